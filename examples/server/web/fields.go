package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// field is one editable field of a deal, addressed by its JSON path.
type field struct {
	Path, Label, Hint string
	// Kind is how it is edited: text, textarea, lines (one item a line),
	// choice (Choices names the list of app.Choices), bool, money, date
	// or int.
	Kind, Choices string
}

// section is the fields one stage asks for, edited with one form.
type section struct {
	ID, Title string
	Fields    []field
	// List names the list of items the section adds to ("stakeholders",
	// "requirements", "artifacts"), if any.
	Lists []string
}

// sections are the forms of the deal page: the deal itself, then the
// fields of each stage of the unified process, by stage ID.
var sections = []section{
	{ID: "deal", Title: "Deal", Fields: []field{
		{Path: "account", Label: "Account name", Kind: "text"},
		{Path: "value", Label: "Value", Kind: "money"},
		{Path: "close_date", Label: "Expected close date", Kind: "date"},
		{Path: "next_step.at", Label: "Next step date", Kind: "date"},
		{Path: "next_step.purpose", Label: "Next step purpose", Kind: "text"},
	}},
	{ID: "targeting", Title: "Targeting", Fields: []field{
		{Path: "segment", Label: "Segment", Kind: "text"},
		{Path: "targeting.trigger", Label: "Trigger event", Kind: "text"},
		{Path: "targeting.hypothesis", Label: "Account hypothesis", Kind: "textarea"},
	}},
	{ID: "qualification", Title: "Qualification", Fields: []field{
		{Path: "qualification.why_now", Label: "Why now", Kind: "textarea"},
		{Path: "qualification.fit", Label: "Fit", Kind: "choice", Choices: "fit"},
	}, Lists: []string{"stakeholders"}},
	{ID: "discovery", Title: "Discovery", Fields: []field{
		{Path: "discovery.problem", Label: "Problem statement", Kind: "textarea"},
		{Path: "discovery.desired_outcome", Label: "Desired outcome", Kind: "textarea"},
		{Path: "discovery.success_criteria", Label: "Success criteria", Kind: "lines", Hint: "One criterion a line."},
		{Path: "discovery.constraints.security", Label: "Security constraints", Kind: "text"},
		{Path: "discovery.constraints.timeline", Label: "Timeline constraints", Kind: "text"},
		{Path: "discovery.constraints.integrations", Label: "Integrations", Kind: "text"},
		{Path: "discovery.constraints.legal", Label: "Legal constraints", Kind: "text"},
		{Path: "discovery.current_stack", Label: "Current stack", Kind: "text"},
		{Path: "discovery.blockers", Label: "Blockers", Kind: "text", Hint: `Write "none" if there are none.`},
	}, Lists: []string{"requirements"}},
	{ID: "solution_alignment", Title: "Solution alignment", Fields: []field{
		{Path: "alignment.agreed", Label: "The prospect agrees the solution meets the success criteria", Kind: "bool"},
		{Path: "alignment.agreed_by", Label: "Agreed by", Kind: "text"},
	}},
	{ID: "business_case", Title: "Business case", Fields: []field{
		{Path: "business_case.summary", Label: "Summary", Kind: "textarea"},
		{Path: "business_case.impact", Label: "Quantified impact", Kind: "money"},
		{Path: "business_case.champion_strength", Label: "Champion strength", Kind: "choice", Choices: "champion_strength"},
		{Path: "business_case.no_executive_sponsor", Label: "There is no executive sponsor", Kind: "bool"},
		{Path: "business_case.decision_plan", Label: "Decision plan", Kind: "textarea"},
	}},
	{ID: "proposal", Title: "Proposal and close", Fields: []field{
		{Path: "commercials.decision_path", Label: "Decision path", Kind: "text"},
		{Path: "commercials.procurement", Label: "Procurement requirements", Kind: "text"},
		{Path: "commercials.legal", Label: "Legal requirements", Kind: "text"},
		{Path: "commercials.implementation_start", Label: "Implementation start", Kind: "date"},
		{Path: "commercials.final_price", Label: "Final price", Kind: "money"},
		{Path: "commercials.term_months", Label: "Term (months)", Kind: "int"},
		{Path: "commercials.concessions", Label: "Concessions", Kind: "text", Hint: `Write "none" if there are none.`},
	}, Lists: []string{"artifacts"}},
	{ID: "handoff", Title: "Handoff and onboarding", Fields: []field{
		{Path: "onboarding.first_milestone_at", Label: "First milestone reached", Kind: "date"},
		{Path: "onboarding.live_at", Label: "Go-live date", Kind: "date"},
	}},
}

func sectionByID(id string) (section, bool) {
	for _, s := range sections {
		if s.ID == id {
			return s, true
		}
	}
	return section{}, false
}

// lookup reads the value at a dotted path of a JSON object.
func lookup(doc map[string]any, path string) any {
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// set writes v at a dotted path of a merge patch.
func set(patch map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	m := patch
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// value is what a field's input shows.
type value struct {
	Text     string
	Amount   string
	Currency string
	Checked  bool
}

func fieldValue(doc map[string]any, f field) value {
	v := lookup(doc, f.Path)
	switch f.Kind {
	case "money":
		m, _ := v.(map[string]any)
		a, _ := m["amount"].(string)
		c, _ := m["currency"].(string)
		return value{Amount: a, Currency: c}
	case "bool":
		b, _ := v.(bool)
		return value{Checked: b}
	case "date":
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil || t.IsZero() {
			return value{}
		}
		return value{Text: t.UTC().Format(time.DateOnly)}
	case "int":
		n, _ := v.(float64)
		if n == 0 {
			return value{}
		}
		return value{Text: strconv.FormatFloat(n, 'f', -1, 64)}
	case "lines":
		items, _ := v.([]any)
		var lines []string
		for _, it := range items {
			if s, ok := it.(string); ok {
				lines = append(lines, s)
			}
		}
		return value{Text: strings.Join(lines, "\n")}
	}
	s, _ := v.(string)
	return value{Text: s}
}

// fieldProblem is a value of a form that cannot be a field's.
type fieldProblem struct{ Path, Label, Rule string }

// patchFrom builds a JSON merge patch of the section's fields from a form.
// An emptied field is removed from the deal (null in the patch).
func patchFrom(s section, form url.Values) (map[string]any, []fieldProblem) {
	patch := map[string]any{}
	var problems []fieldProblem
	for _, f := range s.Fields {
		name := fieldID(f.Path)
		text := strings.TrimSpace(form.Get(name))
		var v any
		switch f.Kind {
		case "bool":
			if form.Get(name) != "" {
				v = true
			}
		case "money":
			amount := strings.TrimSpace(form.Get(name + "-amount"))
			currency := strings.ToUpper(strings.TrimSpace(form.Get(name + "-currency")))
			if amount != "" || currency != "" {
				v = map[string]any{"amount": amount, "currency": currency}
			}
		case "date":
			if text != "" {
				t, err := time.Parse(time.DateOnly, text)
				if err != nil {
					problems = append(problems, fieldProblem{f.Path, f.Label, "must be a date such as 2026-05-31"})
					continue
				}
				v = t.Format(time.RFC3339)
			}
		case "int":
			if text != "" {
				n, err := strconv.Atoi(text)
				if err != nil || n < 0 {
					problems = append(problems, fieldProblem{f.Path, f.Label, "must be a whole number, 0 or more"})
					continue
				}
				v = n
			}
		case "lines":
			var lines []any
			for _, l := range strings.Split(form.Get(name), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			if len(lines) > 0 {
				v = lines
			}
		default:
			if text != "" {
				v = text
			}
		}
		set(patch, f.Path, v)
	}
	return patch, problems
}

// newItem builds the item a list's add form describes, or says what is
// missing.
func newItem(list string, form url.Values, existing []any) (map[string]any, []fieldProblem) {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	var problems []fieldProblem
	need := func(k, lbl string) string {
		v := get(k)
		if v == "" {
			problems = append(problems, fieldProblem{k, lbl, "is required"})
		}
		return v
	}
	switch list {
	case "stakeholders":
		item := map[string]any{"name": need("name", "Name"), "title": get("title"), "email": get("email"),
			"role": need("role", "Role"), "engaged": form.Get("engaged") != ""}
		return item, problems
	case "requirements":
		ids := map[string]bool{}
		for _, it := range existing {
			if m, ok := it.(map[string]any); ok {
				id, _ := m["id"].(string)
				ids[id] = true
			}
		}
		id := ""
		for n := len(existing) + 1; ; n++ {
			if id = fmt.Sprintf("r%d", n); !ids[id] {
				break
			}
		}
		item := map[string]any{"id": id, "title": need("title", "Title"), "kind": need("kind", "Kind")}
		if p := get("priority"); p != "" {
			item["priority"] = p
		}
		return item, problems
	case "artifacts":
		item := map[string]any{"kind": need("kind", "Kind"), "name": need("name", "Name"), "ref": get("ref")}
		return item, problems
	}
	return nil, []fieldProblem{{"list", "List", "is not a list of a deal"}}
}
