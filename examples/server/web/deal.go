package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/accordhq/accord/examples/server/app"
)

// fieldView is one input of a section, with what the process says of it.
type fieldView struct {
	field
	ID    string
	Value value
	// Unmet are the messages of the unmet criteria about the field.
	Unmet []string
}

type listView struct {
	Name  string
	ID    string
	Items []map[string]any
	Unmet []string
}

type sectionView struct {
	section
	Current bool
	Fields  []fieldView
	Lists   []listView
}

// refusal is a move the process refused, with every unmet criterion.
type refusal struct {
	Move  string
	Unmet []app.Unmet
}

type dealData struct {
	app.DealPage
	Sections []sectionView
	Choices  map[string][]app.Choice
	Chart    chart
	// Refused, Problems and Notice answer the form just sent.
	Refused  *refusal
	Problems []fieldProblem
	Notice   string
	// Fields is the deal as a JSON object, by path.
	Fields map[string]any
	// CSRF is the session's form token.
	CSRF string
}

func (h *Handler) loadDeal(w http.ResponseWriter, r *http.Request, u user) (*dealData, bool) {
	pg, err := h.cfg.App.DealPage(r.Context(), u.Principal, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &u, err)
		return nil, false
	}
	doc, err := app.DealFields(&pg.Doc.Value)
	if err != nil {
		h.fail(w, r, &u, err)
		return nil, false
	}
	d := &dealData{DealPage: pg, Choices: app.Choices(), Chart: timeChart(pg.Times), Fields: doc, CSRF: u.FormToken}
	unmet := map[string][]string{}
	for _, m := range pg.Unmet {
		unmet[m.Field] = append(unmet[m.Field], m.Message)
	}
	for _, s := range sections {
		sv := sectionView{section: s, Current: s.ID == pg.Stage.ID}
		for _, f := range s.Fields {
			sv.Fields = append(sv.Fields, fieldView{field: f, ID: fieldID(f.Path), Value: fieldValue(doc, f), Unmet: unmet[f.Path]})
		}
		for _, l := range s.Lists {
			path := l
			if l == "requirements" {
				path = "discovery.requirements"
			}
			lv := listView{Name: l, ID: fieldID(path), Unmet: unmet[path]}
			items, _ := lookup(doc, path).([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					lv.Items = append(lv.Items, m)
				}
			}
			sv.Lists = append(sv.Lists, lv)
		}
		d.Sections = append(d.Sections, sv)
	}
	// The deal's own fields first, then the current stage's, then the rest
	// in the order of the process.
	slices.SortStableFunc(d.Sections[1:], func(a, b sectionView) int {
		switch {
		case a.Current == b.Current:
			return 0
		case a.Current:
			return -1
		}
		return 1
	})
	return d, true
}

func (h *Handler) dealPage(w http.ResponseWriter, r *http.Request, u user) {
	d, ok := h.loadDeal(w, r, u)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "deal", &u, d.Doc.Value.Account, d)
}

// answer shows the result of a form: back to the deal page when it
// changed the deal, or the page as it is now with what went wrong.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, u user, move string, problems []fieldProblem, err error) {
	if err == nil && len(problems) == 0 {
		http.Redirect(w, r, "/deals/"+r.PathValue("id"), http.StatusSeeOther)
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
	d, ok := h.loadDeal(w, r, u)
	if !ok {
		return
	}
	status := http.StatusBadRequest
	d.Problems = problems
	if e != nil {
		switch e.Kind {
		case app.KindBlocked:
			status = http.StatusUnprocessableEntity
			d.Refused = &refusal{Move: move, Unmet: e.Unmet}
		case app.KindStale, app.KindConflict:
			status = http.StatusConflict
			d.Notice = "This deal was changed by someone else since you opened it, so nothing was saved. Here it is as it is now; make your change again."
		case app.KindInvalid:
			for _, f := range e.Fields {
				d.Problems = append(d.Problems, fieldProblem{Path: f.Field, Label: f.Field, Rule: f.Rule})
			}
			if len(e.Fields) == 0 {
				d.Problems = append(d.Problems, fieldProblem{Rule: e.Detail})
			}
		default:
			status, _, d.Notice = classify(err)
		}
	}
	h.render(w, r, status, "deal", &u, d.Doc.Value.Account, d)
}

func rev(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	return n
}

func (h *Handler) saveFields(w http.ResponseWriter, r *http.Request, u user) {
	s, ok := sectionByID(r.PostFormValue("section"))
	if !ok {
		h.problem(w, r, &u, http.StatusBadRequest, "Unknown form", "The form names no section of a deal.")
		return
	}
	patch, problems := patchFrom(s, r.PostForm)
	if len(problems) > 0 {
		h.answer(w, r, u, "", problems, nil)
		return
	}
	body, _ := json.Marshal(patch)
	_, err := h.cfg.App.PatchDeal(r.Context(), u.Principal, r.PathValue("id"), rev(r), body)
	h.answer(w, r, u, "", nil, err)
}

// addItem adds a stakeholder, a requirement or an artifact to the deal as
// read at the form's revision.
func (h *Handler) addItem(w http.ResponseWriter, r *http.Request, u user) {
	list := r.PostFormValue("list")
	path := map[string]string{"stakeholders": "stakeholders", "requirements": "discovery.requirements", "artifacts": "artifacts"}[list]
	if path == "" {
		h.problem(w, r, &u, http.StatusBadRequest, "Unknown form", "The form names no list of a deal.")
		return
	}
	doc, err := h.cfg.App.GetDeal(r.Context(), u.Principal, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	fields, err := app.DealFields(&doc.Value)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	items, _ := lookup(fields, path).([]any)
	item, problems := newItem(list, r.PostForm, items)
	if len(problems) > 0 {
		h.answer(w, r, u, "", problems, nil)
		return
	}
	patch := map[string]any{}
	set(patch, path, append(items, item))
	body, _ := json.Marshal(patch)
	_, err = h.cfg.App.PatchDeal(r.Context(), u.Principal, r.PathValue("id"), rev(r), body)
	h.answer(w, r, u, "", nil, err)
}

// move runs Advance, Revert, Lose or Reopen.
func (h *Handler) move(w http.ResponseWriter, r *http.Request, u user) {
	a, id, ctx := h.cfg.App, r.PathValue("id"), r.Context()
	var err error
	move := r.PathValue("move")
	switch move {
	case "advance":
		_, err = a.Advance(ctx, u.Principal, id, rev(r))
	case "revert", "reopen":
		body, _ := json.Marshal(app.RevertInput{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason")})
		if move == "revert" {
			_, err = a.Revert(ctx, u.Principal, id, rev(r), body)
		} else {
			_, err = a.Reopen(ctx, u.Principal, id, rev(r), body)
		}
	case "lose":
		body, _ := json.Marshal(app.LoseInput{Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note")})
		_, err = a.Lose(ctx, u.Principal, id, rev(r), body)
	default:
		h.problem(w, r, &u, http.StatusNotFound, "Not found", "There is nothing here, or nothing you may see.")
		return
	}
	h.answer(w, r, u, move, nil, err)
}
