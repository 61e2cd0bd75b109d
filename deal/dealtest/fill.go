package dealtest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/fieldpath"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// level says how completely a part of a deal is filled.
type level int

const (
	full  level = iota // every field the built-in criteria read
	empty              // zero values, nil slices and maps
	blank              // blank strings, empty non-nil slices and maps, dates in the past
	mixed              // drawn field by field
)

// fill draws every part of d, as of at.
func (m *model) fill(t *rapid.T, d *deal.Deal, at time.Time) {
	levels := make([]level, len(parts))
	if rapid.Bool().Draw(t, "complete") {
		// A complete deal with a few gaps: the case where moves succeed.
		for range rapid.IntRange(0, 3).Draw(t, "gaps") {
			i := rapid.IntRange(0, len(parts)-1).Draw(t, "gap_part")
			levels[i] = rapid.SampledFrom([]level{empty, blank, mixed}).Draw(t, "gap_level")
		}
	} else {
		for i := range parts {
			levels[i] = rapid.SampledFrom([]level{full, empty, blank, mixed}).Draw(t, parts[i].name)
		}
	}
	for i, p := range parts {
		p.fill(m, t, d, at, levels[i])
	}
	m.fillRead(d, at, levels)
	link(d)
}

// read is a criterion and the fields of a deal it reads, by path.
type read struct {
	c     deal.Criterion
	paths []string // fields of deal.Deal, not host fields
}

func newRead(c deal.Criterion, fields []string) read {
	r := read{c: c}
	for _, f := range fields {
		if _, ok := dealFields()[f]; ok {
			r.paths = append(r.paths, f)
		}
	}
	return r
}

// dealFields maps the path of every field of deal.Deal to where it is,
// derived from the type once.
var dealFields = sync.OnceValue(func() map[string]fieldpath.Field {
	leaf := func(t reflect.Type) bool {
		return t == reflect.TypeFor[time.Time]() || t == reflect.TypeFor[accord.Money]() || t == reflect.TypeFor[deal.NextStep]()
	}
	out := map[string]fieldpath.Field{}
	for _, f := range fieldpath.Fields(reflect.TypeFor[deal.Deal](), nil, leaf) {
		out[f.Path] = f
	}
	return out
})

// fillRead fills, by its type, a field that a criterion of the process
// reads, that its part was drawn full for, and that no part filled: so a
// field added to deal.Deal and read by a criterion is drawn complete
// without this file knowing of it. A criterion already met is left alone
// (such as an any_of met by another of its fields), so the parts decide
// every field they know. The part of a field is its top-level key, or
// "basics" for a field of the deal itself.
func (m *model) fillRead(d *deal.Deal, at time.Time, levels []level) {
	for _, r := range m.reads {
		if r.c.Rule == nil || r.c.Rule.Met(d, at) {
			continue
		}
		for _, p := range r.paths {
			if levels[partOf(p)] != full || deal.Present(p).Met(d, at) {
				continue
			}
			v := reflect.ValueOf(d).Elem().FieldByIndex(dealFields()[p].Index)
			switch t := v.Type(); {
			case t == reflect.TypeFor[time.Time]():
				v.Set(reflect.ValueOf(at))
			case t == reflect.TypeFor[accord.Money]():
				v.Set(reflect.ValueOf(usd(1000)))
			case t == reflect.TypeFor[[]string]():
				v.Set(reflect.ValueOf([]string{"drawn by dealtest"}))
			case t.Kind() == reflect.String:
				v.SetString("drawn by dealtest")
			case t.Kind() == reflect.Bool:
				v.SetBool(true)
			case t.Kind() == reflect.Int:
				v.SetInt(1)
			}
		}
	}
}

// partOf returns the index of the part that fills the field at path.
func partOf(path string) int {
	top, _, _ := strings.Cut(path, ".")
	basics := 0
	for i, p := range parts {
		switch p.name {
		case top:
			return i
		case "basics":
			basics = i
		}
	}
	return basics
}

// part fills one part of a deal at a level; t is used only for mixed.
type part struct {
	name string
	fill func(m *model, t *rapid.T, d *deal.Deal, at time.Time, lv level)
}

// text returns the value of a string field at lv.
func text(t *rapid.T, label, value string, lv level) string {
	switch lv {
	case full:
		return value
	case empty:
		return ""
	case blank:
		return " "
	}
	return rapid.SampledFrom([]string{value, "", " "}).Draw(t, label)
}

// person returns the name of a stakeholder of d, for a confirmation, at
// lv: the first stakeholder's when full, none when empty or blank, and a
// drawn one or none when mixed. [link] repairs a name its part no longer
// has once the stakeholders are drawn again.
func person(t *rapid.T, label string, d *deal.Deal, lv level) string {
	switch {
	case len(d.Stakeholders) == 0:
		return ""
	case lv == full:
		return d.Stakeholders[0].Name
	case lv != mixed:
		return ""
	}
	i := rapid.IntRange(-1, len(d.Stakeholders)-1).Draw(t, label)
	if i < 0 {
		return ""
	}
	return d.Stakeholders[i].Name
}

// link keeps the evidence of d consistent with its stakeholders, as
// [deal.Deal.Validate] asks, after its parts were drawn independently: a
// confirmation that names no stakeholder names the first one, or is
// cleared with its date when there is none; a date with no name is
// cleared; a confirmed absence of an
// executive sponsor sets the flag; a champion strength with no champion
// behind it is graded none.
func link(d *deal.Deal) {
	fix := func(by *string, at *time.Time) {
		if *by == "" {
			*at = time.Time{}
			return
		}
		for _, s := range d.Stakeholders {
			if s.Name == *by {
				return
			}
		}
		if len(d.Stakeholders) == 0 {
			*by, *at = "", time.Time{}
			return
		}
		*by = d.Stakeholders[0].Name
	}
	fix(&d.Alignment.AgreedBy, &d.Alignment.AgreedAt)
	fix(&d.BusinessCase.AgreedBy, &d.BusinessCase.AgreedAt)
	fix(&d.BusinessCase.NoExecutiveSponsorBy, &d.BusinessCase.NoExecutiveSponsorAt)
	if d.BusinessCase.NoExecutiveSponsorBy != "" {
		d.BusinessCase.NoExecutiveSponsor = true
	}
	switch d.BusinessCase.ChampionStrength {
	case "", deal.StrengthNone:
	default:
		if !slices.ContainsFunc(d.Stakeholders, func(s deal.Stakeholder) bool { return s.Role == deal.RoleChampion }) {
			d.BusinessCase.ChampionStrength = deal.StrengthNone
		}
	}
}

// date returns the value of a date field at lv: value when full, zero when
// empty, a day before at when blank.
func date(t *rapid.T, label string, at, value time.Time, lv level) time.Time {
	switch lv {
	case full:
		return value
	case empty:
		return time.Time{}
	case blank:
		return at.Add(-24 * time.Hour)
	}
	if rapid.IntRange(0, 3).Draw(t, label+"_zero") == 0 {
		return time.Time{}
	}
	return at.Add(time.Duration(rapid.IntRange(-30*24, 30*24).Draw(t, label+"_hours")) * time.Hour)
}

// money returns an amount of USD at lv: amount when full, unset when empty,
// zero when blank.
func money(t *rapid.T, label string, amount int64, lv level) accord.Money {
	switch lv {
	case full:
		return usd(amount)
	case empty:
		return accord.Money{}
	case blank:
		return usd(0)
	}
	switch rapid.IntRange(0, 2).Draw(t, label) {
	case 0:
		return accord.Money{}
	case 1:
		return usd(0)
	}
	return usd(rapid.Int64Range(1, 1_000_000).Draw(t, label+"_amount"))
}

func usd(n int64) accord.Money { return accord.Money{Amount: decimal.NewFromInt(n), Currency: "USD"} }

// list returns a slice at lv: all of items when full, nil when empty, an
// empty slice when blank, and a drawn subset when mixed.
func list[T any](t *rapid.T, label string, items []T, lv level) []T {
	switch lv {
	case full:
		return slices.Clone(items)
	case empty:
		return nil
	case blank:
		return []T{}
	}
	var out []T
	for _, x := range items {
		if rapid.Bool().Draw(t, label) {
			out = append(out, x)
		}
	}
	return out
}

var stakeholderRoles = []deal.StakeholderRole{deal.RoleChampion, deal.RoleEconomicBuyer, deal.RoleExecutiveSponsor, deal.RoleTechnicalEvaluator, deal.RoleProcurement, deal.RoleLegal, deal.RoleUser}

// parts are the parts of a deal the generators fill, each independently.
var parts = []part{
	{"basics", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.Account = text(t, "account", "Northwind", lv)
		d.AccountID = text(t, "account_id", "acc-1", lv)
		d.Segment = text(t, "segment", "mid-market", lv)
		d.Value = money(t, "value", 48000, lv)
		d.CloseDate = date(t, "close_date", at, at.AddDate(0, 1, 0), lv)
		if lv == mixed && !d.CloseDate.IsZero() && rapid.Bool().Draw(t, "slipped") {
			first := d.CloseDate.AddDate(0, 0, -rapid.IntRange(1, 60).Draw(t, "slip_days"))
			d.CloseDateChanges = []deal.CloseDateChange{{From: first, To: d.CloseDate, At: at, By: rep.ID}}
		}
	}},
	{"targeting", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		d.Targeting = deal.Targeting{
			Trigger:    text(t, "trigger", "new VP of Sales", lv),
			Hypothesis: text(t, "hypothesis", "forecasts built in spreadsheets", lv),
		}
	}},
	{"qualification", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		d.Qualification.WhyNow = text(t, "why_now", "board wants a forecast by Q3", lv)
		switch lv {
		case full:
			d.Qualification.Fit = deal.FitStrong
		case mixed:
			d.Qualification.Fit = rapid.SampledFrom([]deal.Fit{deal.FitStrong, deal.FitPossible, deal.FitNone, ""}).Draw(t, "fit")
		default:
			d.Qualification.Fit = ""
		}
	}},
	{"stakeholders", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		if lv != mixed {
			d.Stakeholders = list(t, "stakeholder", []deal.Stakeholder{
				{Name: "Lee", Title: "RevOps lead", Role: deal.RoleChampion, Engaged: true, EngagedAt: at.Add(-48 * time.Hour)},
				{Name: "Kim", Title: "CFO", Role: deal.RoleEconomicBuyer, Engaged: true, EngagedAt: at.Add(-72 * time.Hour)},
				{Name: "Ana", Title: "CRO", Role: deal.RoleExecutiveSponsor, Engaged: true, EngagedAt: at.Add(-96 * time.Hour)},
			}, lv)
			return
		}
		d.Stakeholders = nil
		for i := range rapid.IntRange(0, 4).Draw(t, "stakeholders") {
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{
				Name:      fmt.Sprintf("Person %d", i+1),
				Role:      rapid.SampledFrom(stakeholderRoles).Draw(t, "stakeholder_role"),
				Engaged:   rapid.Bool().Draw(t, "engaged"),
				EngagedAt: date(t, "engaged_at", at, at.Add(-24*time.Hour), lv),
			})
		}
	}},
	{"discovery", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		reqs := d.Discovery.Requirements
		d.Discovery = deal.Discovery{
			Problem:         text(t, "problem", "forecast misses by 30%", lv),
			DesiredOutcome:  text(t, "desired_outcome", "forecast within 5%", lv),
			SuccessCriteria: list(t, "success_criterion", []string{"weekly forecast within 5% for a quarter"}, lv),
			Constraints: deal.Constraints{
				Security:     text(t, "security", "SSO", lv),
				Timeline:     text(t, "timeline", "live by June", lv),
				Integrations: text(t, "integrations", "Salesforce", lv),
				Legal:        text(t, "legal", "DPA", lv),
			},
			CurrentStack: text(t, "current_stack", "Salesforce, Sheets", lv),
			Blockers:     text(t, "blockers", "none", lv),
			Requirements: reqs,
		}
		if lv == blank {
			d.Discovery.SuccessCriteria = []string{" "}
		}
	}},
	{"requirements", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		src := scope.Source{Name: "Lee, RevOps", At: at}
		var all []scope.Requirement
		for i, k := range scope.Kinds() {
			all = append(all, scope.Requirement{ID: fmt.Sprintf("R%d", i+1), Title: "requirement: " + string(k), Kind: k, Priority: scope.Must, Source: src})
		}
		d.Discovery.Requirements = list(t, "requirement", all, lv)
	}},
	{"alignment", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.Alignment = deal.Alignment{
			AgreedBy: person(t, "agreed_by", d, lv),
			AgreedAt: date(t, "agreed_at", at, at.Add(-24*time.Hour), lv),
		}
	}},
	{"next_step", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.NextStep = deal.NextStep{
			At:      date(t, "next_step", at, at.Add(7*24*time.Hour), lv),
			Purpose: text(t, "purpose", "review the business case", lv),
		}
	}},
	{"business_case", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.BusinessCase = deal.BusinessCase{
			Summary:            text(t, "summary", "saves 2 FTE", lv),
			Impact:             money(t, "impact", 150000, lv),
			AgreedBy:           person(t, "business_case_agreed_by", d, lv),
			AgreedAt:           date(t, "business_case_agreed_at", at, at.Add(-24*time.Hour), lv),
			NoExecutiveSponsor: lv == mixed && rapid.Bool().Draw(t, "no_executive_sponsor"),
			DecisionPlan:       text(t, "decision_plan", "CFO signs by May 30", lv),
		}
		if d.BusinessCase.NoExecutiveSponsor {
			d.BusinessCase.NoExecutiveSponsorBy = person(t, "no_executive_sponsor_by", d, lv)
			d.BusinessCase.NoExecutiveSponsorAt = date(t, "no_executive_sponsor_at", at, at.Add(-24*time.Hour), lv)
		}
		switch lv {
		case full:
			d.BusinessCase.ChampionStrength = deal.StrengthStrong
		case mixed:
			d.BusinessCase.ChampionStrength = rapid.SampledFrom([]deal.Strength{deal.StrengthStrong, deal.StrengthModerate, deal.StrengthWeak, deal.StrengthNone, ""}).Draw(t, "champion_strength")
		}
	}},
	{"commercials", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.Commercials = deal.Commercials{
			DecisionPath:        text(t, "decision_path", "VP, CFO, legal", lv),
			Procurement:         text(t, "procurement", "vendor form", lv),
			Legal:               text(t, "legal_terms", "MSA + DPA", lv),
			ImplementationStart: date(t, "implementation_start", at, at, lv),
			FinalPrice:          money(t, "final_price", 46000, lv),
			Concessions:         text(t, "concessions", "none", lv),
		}
		switch lv {
		case full:
			d.Commercials.TermMonths = 12
		case mixed:
			d.Commercials.TermMonths = rapid.IntRange(0, 36).Draw(t, "term_months")
		}
	}},
	{"onboarding", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.Onboarding = deal.Onboarding{
			FirstMilestoneAt: date(t, "first_milestone_at", at, at, lv),
			LiveAt:           date(t, "live_at", at, time.Time{}, lv),
		}
	}},
	{"activities", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.Activities = list(t, "activity", []deal.Activity{
			{Kind: "call", At: at.Add(-48 * time.Hour), By: rep.ID, Summary: "discovery call"},
			{Kind: "email", At: at, By: rep.ID, Summary: "sent the recap"},
		}, lv)
	}},
	{"artifacts", func(m *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		var all []deal.Artifact
		for i, k := range m.artifacts {
			all = append(all, deal.Artifact{Kind: k, Name: k, Ref: fmt.Sprintf("doc-%d", i+1), AddedAt: at})
		}
		d.Artifacts = list(t, "artifact", all, lv)
		for i := range d.Artifacts {
			if lv == mixed && rapid.IntRange(0, 3).Draw(t, "artifact_without_ref") == 0 {
				d.Artifacts[i].Ref = ""
			}
		}
	}},
	{"scope", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		switch lv {
		case full:
			d.Scope = scope.Ref{
				ID: "sow-1", DealID: d.ID, Revision: 2, Digest: "c0ffee", Approvals: scope.ApprovalsLeadAndClient, Reconciled: true,
				Categories: []scope.Activity{scope.ActivityConfiguration, scope.ActivityDataMigration},
			}
		case mixed:
			d.Scope = scope.Ref{
				ID: "sow-1", DealID: rapid.SampledFrom([]string{d.ID, d.ID, "another-deal"}).Draw(t, "scope_deal"),
				Revision: rapid.IntRange(1, 3).Draw(t, "scope_revision"), Digest: "c0ffee",
				Approvals:  rapid.SampledFrom([]scope.Approvals{"", scope.ApprovalsNone, scope.ApprovalsLead, scope.ApprovalsLeadAndClient}).Draw(t, "scope_approvals"),
				Reconciled: rapid.Bool().Draw(t, "reconciled"),
				Unresolved: rapid.IntRange(0, 2).Draw(t, "unresolved"),
				Categories: list(t, "scope_category", []scope.Activity{scope.ActivityConfiguration, scope.ActivityDataMigration}, mixed),
			}
		default:
			d.Scope = scope.Ref{}
		}
	}},
	{"fields", func(m *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		switch lv {
		case empty:
			d.Fields = nil
			return
		case blank:
			d.Fields = map[string]string{}
		default:
			d.Fields = make(map[string]string, len(m.fields))
		}
		for _, name := range m.fields {
			switch v := text(t, "field_"+name, "set", lv); {
			case lv == mixed && v == "":
				// Absent rather than empty.
			default:
				d.Fields[name] = v
			}
		}
	}},
}
