package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

// scopeData is what the Scope of Work page shows.
type scopeData struct {
	app.ScopePage
	Gantt chart
	// Content is the scope's content as JSON, for editing it whole.
	Content string
	// Result answers the form just sent: which form, and what was refused
	// or wrong.
	Result *scopeResult
	Notice string
	CSRF   string
}

// scopeResult is the answer to a form of the scope page that changed
// nothing: the library's unmet criteria, or the fields it found invalid.
type scopeResult struct {
	Form     string
	Unmet    []app.Unmet
	Problems []fieldProblem
}

// scopeForms name the forms of the page, with the title of a refusal of each.
var scopeForms = map[string]string{
	"submit":          "Cannot submit the Scope of Work",
	"request-changes": "Cannot request changes",
	"approve-lead":    "Cannot approve as implementation lead",
	"approve-client":  "Cannot approve for the client",
	"plan":            "The plan was not saved",
	"content":         "The scope was not saved",
	"decide":          "The decision was not recorded",
}

// capacityFrom reads hours per day by role from the form or query values
// named prefix+role; nil when there are none.
func capacityFrom(v url.Values, prefix string) (*app.Capacity, []fieldProblem) {
	perRole := map[string]string{}
	for k := range v {
		if r, ok := strings.CutPrefix(k, prefix); ok && r != "" {
			perRole[r] = v.Get(k)
		}
	}
	if len(perRole) == 0 {
		return nil, nil
	}
	c, fields := app.CapacityOf(perRole)
	var problems []fieldProblem
	for _, f := range fields {
		problems = append(problems, fieldProblem{Path: f.Field, Label: f.Field, Rule: f.Rule})
	}
	return &c, problems
}

func (h *Handler) loadScope(w http.ResponseWriter, r *http.Request, u user, q app.ScopeQuery) (*scopeData, bool) {
	pg, err := h.cfg.App.ScopePage(r.Context(), u.Principal, r.PathValue("id"), q)
	if err != nil {
		h.fail(w, r, &u, err)
		return nil, false
	}
	d := &scopeData{ScopePage: pg, Gantt: ganttChart(pg.Plan), CSRF: u.FormToken}
	if pg.Can.Edit {
		if d.Content, err = app.ScopeContent(&pg.Doc.Value); err != nil {
			h.fail(w, r, &u, err)
			return nil, false
		}
	}
	return d, true
}

// scopeQuery reads the page's question from its URL: the revisions to
// compare and, from the feasibility form, a capacity.
func scopeQuery(r *http.Request) (app.ScopeQuery, []fieldProblem) {
	v := r.URL.Query()
	q := app.ScopeQuery{}
	q.From, _ = strconv.Atoi(v.Get("from"))
	q.To, _ = strconv.Atoi(v.Get("to"))
	c, problems := capacityFrom(v, "cap-")
	if len(problems) == 0 {
		q.Capacity = c
	}
	return q, problems
}

func (h *Handler) scopePage(w http.ResponseWriter, r *http.Request, u user) {
	q, problems := scopeQuery(r)
	d, ok := h.loadScope(w, r, u, q)
	if !ok {
		return
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status, d.Result = http.StatusBadRequest, &scopeResult{Form: "feasibility", Problems: problems}
	}
	h.render(w, r, status, "scope", &u, d.Doc.Value.Title, d)
}

// scopeAnswer shows the result of a form: back to the scope page when it
// changed the scope, or the page as it is now with what went wrong beside
// the form that was sent, judged against the capacity of q.
func (h *Handler) scopeAnswer(w http.ResponseWriter, r *http.Request, u user, q app.ScopeQuery, form string, problems []fieldProblem, err error) {
	id := r.PathValue("id")
	if err == nil && len(problems) == 0 {
		http.Redirect(w, r, "/scopes/"+url.PathEscape(id)+"#review", http.StatusSeeOther)
		return
	}
	var e *app.Error
	if err != nil && !errors.As(err, &e) {
		h.fail(w, r, &u, err)
		return
	}
	if e != nil && (e.Kind == app.KindNotFound || e.Kind == app.KindForbidden || e.Kind == app.KindInternal) {
		h.fail(w, r, &u, err)
		return
	}
	d, ok := h.loadScope(w, r, u, q)
	if !ok {
		return
	}
	status := http.StatusBadRequest
	res := &scopeResult{Form: form, Problems: problems}
	if e != nil {
		switch e.Kind {
		case app.KindBlocked:
			status = http.StatusUnprocessableEntity
			res.Unmet = e.Unmet
		case app.KindStale:
			status = http.StatusConflict
			d.Notice = "This Scope of Work was changed by someone else since you opened it, so nothing was saved. Here it is as it is now; do it again."
		case app.KindInvalid:
			for _, f := range e.Fields {
				res.Problems = append(res.Problems, fieldProblem{Path: f.Field, Label: f.Field, Rule: f.Rule})
			}
			if len(e.Fields) == 0 {
				res.Problems = append(res.Problems, fieldProblem{Rule: e.Detail})
			}
		default:
			status = http.StatusConflict
			res.Problems = append(res.Problems, fieldProblem{Rule: e.Detail})
		}
	}
	if len(res.Unmet) > 0 || len(res.Problems) > 0 {
		d.Result = res
	}
	h.render(w, r, status, "scope", &u, d.Doc.Value.Title, d)
}

// scopeAction runs a step of the review: submit, request changes,
// approve as lead or for the client, or decide a discrepancy.
func (h *Handler) scopeAction(w http.ResponseWriter, r *http.Request, u user) {
	a, id, ctx, form := h.cfg.App, r.PathValue("id"), r.Context(), r.PathValue("action")
	var body []byte
	var problems []fieldProblem
	var err error
	var q app.ScopeQuery
	switch form {
	case "submit":
		_, err = a.Submit(ctx, u.Principal, id, rev(r), nil)
	case "request-changes":
		var in app.RequestChangesInput
		for i := 0; r.PostForm.Has(fmt.Sprintf("comment-%d-text", i)); i++ {
			c := app.CommentInput{Step: r.PostFormValue(fmt.Sprintf("comment-%d-step", i)),
				Deliverable: r.PostFormValue(fmt.Sprintf("comment-%d-deliverable", i)),
				Text:        strings.TrimSpace(r.PostFormValue(fmt.Sprintf("comment-%d-text", i)))}
			if c.Text != "" || c.Step != "" || c.Deliverable != "" {
				in.Comments = append(in.Comments, c)
			}
		}
		body, _ = json.Marshal(in)
		_, err = a.RequestChanges(ctx, u.Principal, id, rev(r), body)
	case "approve-lead":
		var c *app.Capacity
		c, problems = capacityFrom(r.PostForm, "cap-")
		if len(problems) > 0 {
			break
		}
		in := app.LeadApprovalInput{Override: strings.TrimSpace(r.PostFormValue("override"))}
		in.Revision, _ = strconv.Atoi(r.PostFormValue("revision"))
		if c != nil {
			in.Capacity, q.Capacity = *c, c
		}
		body, _ = json.Marshal(in)
		_, err = a.ApproveAsLead(ctx, u.Principal, id, rev(r), body)
	case "approve-client":
		var in app.ClientApprovalInput
		in.Revision, _ = strconv.Atoi(r.PostFormValue("revision"))
		body, _ = json.Marshal(in)
		_, err = a.ApproveAsClient(ctx, u.Principal, id, rev(r), body)
	case "decide":
		body, _ = json.Marshal(map[string]any{
			"discrepancy": map[string]string{"kind": r.PostFormValue("kind"), "subject": r.PostFormValue("subject"),
				"proposed": r.PostFormValue("proposed"), "scoped": r.PostFormValue("scoped")},
			"change": r.PostFormValue("change"), "note": strings.TrimSpace(r.PostFormValue("note"))})
		_, err = a.Decide(ctx, u.Principal, id, rev(r), body)
	case "content":
		_, err = a.PutScope(ctx, u.Principal, id, rev(r), []byte(r.PostFormValue("content")))
	case "plan":
		problems, err = h.savePlan(r, u)
	default:
		h.problem(w, r, &u, http.StatusNotFound, "Not found", "There is nothing here, or nothing you may see.")
		return
	}
	h.scopeAnswer(w, r, u, q, form, problems, err)
}

// savePlan writes the plan's table (each step's offset, days, effort and
// owner) into the scope as read at the form's revision: a new revision.
func (h *Handler) savePlan(r *http.Request, u user) ([]fieldProblem, error) {
	doc, err := h.cfg.App.GetScope(r.Context(), u.Principal, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc.Value.Steps)
	if err != nil {
		return nil, err
	}
	var steps []map[string]any
	if err := json.Unmarshal(b, &steps); err != nil {
		return nil, err
	}
	var problems []fieldProblem
	for i, st := range steps {
		p := fmt.Sprintf("steps[%d]", i)
		name := func(f string) string { return fmt.Sprintf("step-%d-%s", i, f) }
		for _, f := range []string{"offset", "days"} {
			v := strings.TrimSpace(r.PostFormValue(name(f)))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, fieldProblem{Path: p + "." + f, Label: p + "." + f, Rule: "must be a whole number of working days"})
				continue
			}
			st[f] = n
		}
		if v := strings.TrimSpace(r.PostFormValue(name("effort_hours"))); v != "" {
			st["effort_hours"] = v
		}
		if r.PostForm.Has(name("owner")) {
			st["owner"] = strings.TrimSpace(r.PostFormValue(name("owner")))
		}
	}
	if len(problems) > 0 {
		return problems, nil
	}
	body, err := json.Marshal(map[string]any{"steps": steps})
	if err != nil {
		return nil, err
	}
	_, err = h.cfg.App.PatchScope(r.Context(), u.Principal, r.PathValue("id"), rev(r), body)
	return nil, err
}

// scopeFieldID is the id of the control on the scope page that a field of
// a refusal is about, or "" when the page has none for it.
func scopeFieldID(editable bool, field string) string {
	switch {
	case field == "":
		return ""
	case field == "override":
		return "lead-override"
	case strings.HasPrefix(field, "capacity"):
		return "lead-capacity"
	case strings.HasPrefix(field, "comments"):
		return "comment-0-text"
	case strings.HasPrefix(field, "steps["):
		i := strings.IndexByte(field, ']')
		if n, err := strconv.Atoi(field[len("steps["):i]); err == nil {
			f := strings.TrimPrefix(field[i+1:], ".")
			switch f {
			case "offset", "days", "effort_hours", "owner":
				if editable {
					return fmt.Sprintf("step-%d-%s", n, f)
				}
			}
		}
	}
	if editable {
		return "scope-content"
	}
	return ""
}

// unmetView is an unmet criterion with the control it is about.
type unmetView struct {
	Criterion, Message, Target string
}

// resultView is the answer to one form, shown right under it.
type resultView struct {
	Title    string
	Unmet    []unmetView
	Problems []fieldProblem
}

// resultFor is the answer to form, if it is the form just sent.
func resultFor(d *scopeData, form string) *resultView {
	if d.Result == nil || d.Result.Form != form {
		return nil
	}
	v := &resultView{Title: scopeForms[form], Problems: d.Result.Problems}
	if v.Title == "" {
		v.Title = "Nothing was changed"
	}
	if form == "feasibility" {
		v.Title = "The capacity is not valid"
	}
	for _, u := range d.Result.Unmet {
		v.Unmet = append(v.Unmet, unmetView{Criterion: u.Criterion, Message: u.Message, Target: scopeFieldID(d.Can.Edit, u.Field)})
	}
	return v
}

// nextStep says, for people, what the review waits for in a status.
func nextStep(status string) string {
	switch status {
	case "draft":
		return "Draft: sales submits it to the implementation lead when it is ready."
	case "submitted", "resubmitted":
		return "Waiting for the implementation lead to approve it or request changes."
	case "changes_requested":
		return "Changes requested: sales revises the scope and resubmits it."
	case "lead_approved":
		return "Approved by the implementation lead; waiting for the client's approval."
	case "client_approved":
		return "Approved by the implementation lead and the client."
	}
	return label(status)
}

// dated is a day or an instant: accord.Date and time.Time both are.
type dated interface {
	In(*time.Location) time.Time
	IsZero() bool
}

func scopeFuncs() template.FuncMap {
	return template.FuncMap{
		"day": func(d dated) string {
			if d.IsZero() {
				return ""
			}
			return d.In(time.UTC).Format("Mon 2 Jan 2006")
		},
		"join":  strings.Join,
		"hours": app.HoursOf,
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"inc":      func(i int) int { return i + 1 },
		"nextStep": nextStep,
		"stepName": func(s app.Step) string {
			if s.Title != "" {
				return s.Title + " (" + s.ID + ")"
			}
			return s.ID
		},
		"capacityText": func(c app.Capacity, roles []string) string {
			var parts []string
			for _, r := range roles {
				if h := app.HoursOf(c, r); h != "" {
					parts = append(parts, h+" h a day of "+r)
				}
			}
			if len(parts) == 0 {
				return "no capacity"
			}
			return strings.Join(parts, ", ")
		},
		"resultFor": resultFor,
	}
}
