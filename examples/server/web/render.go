package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/accordhq/accord"
	charts "github.com/accordhq/accord/examples/report/chart"
	"github.com/accordhq/accord/examples/server/app"
)

// layoutData is what every page's layout needs.
type layoutData struct {
	Title string
	// Name is the page's template, for the navigation to mark it.
	Name string
	User *user
	Page any
}

func parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"label":    label,
		"role":     roleName,
		"date":     date,
		"days":     days,
		"money":    charts.Money,
		"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
		"fieldID":  fieldID,
		"listArgs": func(p *dealData, l listView) listArgs { return listArgs{Page: p, List: l} },
		"renewForm": func(id string, rev int64, months int, value accord.Money, csrf string) renewArgs {
			return renewArgs{ID: id, Rev: rev, Months: months, Value: value, CSRF: csrf}
		},
	}
	for k, f := range scopeFuncs() {
		funcs[k] = f
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/chart.html", "templates/renew.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"signin", "board", "deal", "scope", "problem", "customer", "renewals", "report"} {
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}

// render writes a page with its layout, whole or not at all.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, u *user, title string, data any) {
	var buf bytes.Buffer
	if err := h.tmpl[name].ExecuteTemplate(&buf, "layout", layoutData{Title: title, Name: name, User: u, Page: data}); err != nil {
		h.cfg.Log.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// listArgs is what the template of a list of a deal needs.
type listArgs struct {
	Page *dealData
	List listView
}

type problemData struct {
	Status        int
	Title, Detail string
}

// problem renders an error page.
func (h *Handler) problem(w http.ResponseWriter, r *http.Request, u *user, status int, title, detail string) {
	h.render(w, r, status, "problem", u, title, problemData{Status: status, Title: title, Detail: detail})
}

// classify maps an error of package app to a status and what to tell a person.
func classify(err error) (int, string, string) {
	var e *app.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError, "Something went wrong", "The service failed; try again later."
	}
	switch e.Kind {
	case app.KindInvalid:
		return http.StatusBadRequest, "Some fields are not valid", e.Detail
	case app.KindUnauthenticated:
		return http.StatusUnauthorized, "Signed out", "Sign in again."
	case app.KindForbidden:
		return http.StatusForbidden, "Not allowed", e.Detail
	case app.KindNotFound:
		return http.StatusNotFound, "Not found", "There is nothing here, or nothing you may see."
	case app.KindConflict, app.KindStale:
		return http.StatusConflict, "Changed meanwhile", e.Detail
	case app.KindPrecondition:
		return http.StatusPreconditionRequired, "Reload the page", e.Detail
	case app.KindBlocked:
		return http.StatusUnprocessableEntity, "Refused by the process", e.Detail
	}
	return http.StatusInternalServerError, "Something went wrong", "The service failed; try again later."
}

// fail renders the error page for err.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, u *user, err error) {
	status, title, detail := classify(err)
	if status == http.StatusInternalServerError {
		h.cfg.Log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	h.problem(w, r, u, status, title, detail)
}

// label turns a stored code into words: "economic_buyer" -> "Economic buyer".
func label(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func roleName(role string) string {
	switch role {
	case "sales_rep":
		return "Sales rep"
	case "sales_manager":
		return "Sales manager"
	case "implementation_lead":
		return "Implementation lead"
	}
	return label(role)
}

// days says a number of days in words: "in 59 days", "today", "3 days ago".
func days(n int) string {
	switch {
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	case n == -1:
		return "yesterday"
	case n < 0:
		return fmt.Sprintf("%d days ago", -n)
	}
	return fmt.Sprintf("in %d days", n)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}

// fieldID is the id of the input of a field path, so that a message about
// the field can point at it.
func fieldID(path string) string {
	return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(path)
}
