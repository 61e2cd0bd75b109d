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

// Deal returns a generator of deals of p in any of its stages: every open
// stage, live and lost. See [DealAt] for what the deals look like.
func Deal(p *deal.Process, opts ...Option) *rapid.Generator[*deal.Deal] {
	m := newModel(p, opts)
	if m.err != nil {
		return rapid.Custom(func(t *rapid.T) *deal.Deal {
			t.Fatalf("dealtest: Deal: %v", m.err)
			return nil
		})
	}
	return m.anyDeal()
}

// DealAt returns a generator of deals of p in stage, which may be an open
// stage of p, [deal.StageLive] or [deal.StageLost].
//
// Every deal passes [deal.Deal.Validate] and has a history that p could have
// recorded: opened in the first stage, then advances (won into the Closed
// Won stage, live out of the last open stage), with detours back (reverts,
// and losses followed by reopens) along the way, each event no earlier than
// the one before, ending in stage. Stage, StageEnteredAt, Version and Loss
// agree with the history. The fields are drawn around the time of the last
// event, part by part: complete (every field the built-in criteria read),
// empty, blank, or a random mix, so that each criterion is sometimes met
// and sometimes not. Host fields ("fields.<name>") and artifact kinds
// that p's criteria read are drawn too, including those read by one
// alternative of an [deal.AnyOf] or by a [deal.Named] built-in rule (see
// [deal.Criterion.Reads]), and host fields a criterion names as its Field;
// [Populate] draws the rest. A field of [deal.Deal] that a criterion reads
// and the generator has no value for (a field added to the type later) is
// filled by its type when its part is drawn complete.
//
// The generator fails the test when p is not a built process or stage is
// not one of its stages.
func DealAt(p *deal.Process, stage deal.StageID, opts ...Option) *rapid.Generator[*deal.Deal] {
	m := newModel(p, opts)
	if m.err == nil {
		if _, ok := m.order[stage]; !ok {
			m.err = accord.Invalid("stage", "%q is not a stage of the process", stage)
		}
	}
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		if m.err != nil {
			t.Fatalf("dealtest: DealAt: %v", m.err)
		}
		return m.draw(t, stage)
	})
}

// model is what the generators and the invariants know of a process.
type model struct {
	p      *deal.Process
	stages []deal.Stage
	// order gives the position of every stage: open stages in order, then
	// live, then lost.
	order     map[deal.StageID]int
	all       []deal.StageID
	fields    []string // host field names the criteria read or name
	artifacts []string // artifact kinds: the built-in ones and those the criteria read
	reads     []read   // the criteria and the deal fields each reads (see fillRead)
	populate  []func(*rapid.T, *deal.Deal)
	// keeps are the guarantees the process must keep ([Keeps]).
	keeps []deal.Guarantee
	err   error

	// canonical caches the problems found on the canonical deals.
	canonicalOnce sync.Once
	canonical     []problem
}

func newModel(p *deal.Process, opts []Option) *model {
	m := &model{p: p}
	for _, o := range opts {
		if o != nil {
			o.apply(m)
		}
	}
	m.stages = p.Stages()
	if len(m.stages) == 0 {
		m.err = accord.Invalid("process", "is nil or not built: use deal.Default, deal.NewProcess or a loader")
		return m
	}
	m.order = make(map[deal.StageID]int, len(m.stages)+2)
	m.artifacts = []string{deal.ArtifactBusinessCase, deal.ArtifactSignedAgreement, deal.ArtifactExecutedContract, deal.ArtifactSuccessPlan}
	for i, s := range m.stages {
		m.order[s.ID] = i
		m.all = append(m.all, s.ID)
		for _, c := range slices.Concat(s.Entry, s.Exit) {
			fields, artifacts := c.Reads()
			if r := newRead(c, fields); len(r.paths) > 0 {
				m.reads = append(m.reads, r)
			}
			for _, f := range append(fields, c.Field) {
				if name, ok := strings.CutPrefix(f, "fields."); ok && name != "" && !slices.Contains(m.fields, name) {
					m.fields = append(m.fields, name)
				}
			}
			for _, a := range artifacts {
				if !slices.Contains(m.artifacts, a) {
					m.artifacts = append(m.artifacts, a)
				}
			}
		}
	}
	n := len(m.stages)
	m.order[deal.StageLive], m.order[deal.StageLost] = n, n+1
	m.all = append(m.all, deal.StageLive, deal.StageLost)
	return m
}

// open reports whether i is the position of an open stage.
func (m *model) open(i int) bool { return i >= 0 && i < len(m.stages) }

// id returns the stage at position i.
func (m *model) id(i int) deal.StageID {
	switch {
	case m.open(i):
		return m.stages[i].ID
	case i == len(m.stages):
		return deal.StageLive
	}
	return deal.StageLost
}

// advanceKind is the kind of event an advance into to records.
func (m *model) advanceKind(to deal.StageID) deal.EventKind {
	switch to {
	case m.p.ClosedWon():
		return deal.EventWon
	case deal.StageLive:
		return deal.EventLive
	}
	return deal.EventAdvance
}

// won reports whether a deal at position i is at or past Closed Won and not
// lost.
func (m *model) won(i int) bool {
	return i >= m.order[m.p.ClosedWon()] && i <= len(m.stages)
}

// The actors the generated histories use.
var (
	rep     = accord.Actor{ID: "dealtest-rep", Name: "Rep", Role: accord.RoleSalesRep}
	manager = accord.Actor{ID: "dealtest-manager", Name: "Manager", Role: accord.RoleSalesManager}
	admin   = accord.Actor{ID: "dealtest-admin", Name: "Admin", Role: accord.RoleAdmin}
	lead    = accord.Actor{ID: "dealtest-lead", Name: "Lead", Role: accord.RoleImplementationLead}
	client  = accord.Actor{ID: "dealtest-client", Name: "Client", Role: accord.RoleClient}
	finance = accord.Actor{ID: "dealtest-finance", Name: "Finance", Role: accord.RoleFinance}
)

// epoch is the earliest time a generated deal opens.
var epoch = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

var zones = []*time.Location{time.UTC, time.FixedZone("IST", 5*3600+1800), time.FixedZone("EST", -5*3600)}

// draw draws a deal in the stage at target.
func (m *model) draw(t *rapid.T, target deal.StageID) *deal.Deal {
	loc := rapid.SampledFrom(zones).Draw(t, "zone")
	start := epoch.Add(time.Duration(rapid.IntRange(0, 10*365*24*60).Draw(t, "start_minutes")) * time.Minute).In(loc)
	d := &deal.Deal{ID: fmt.Sprintf("d-%d", rapid.IntRange(1, 9999).Draw(t, "id")), Owner: rep.ID}
	m.history(t, d, target, start)
	at := d.History[len(d.History)-1].At
	m.fill(t, d, at)
	for _, f := range m.populate {
		f(t, d)
	}
	return d
}

// history draws a history ending in target and sets the fields that follow
// from it.
func (m *model) history(t *rapid.T, d *deal.Deal, target deal.StageID, start time.Time) {
	n := len(m.stages)
	goal := m.order[target]
	if target == deal.StageLost {
		goal = rapid.IntRange(0, n-1).Draw(t, "lost_at")
	}
	at := start
	step := func() time.Time {
		at = at.Add(time.Duration(rapid.IntRange(0, 10*24*60).Draw(t, "minutes_later")) * time.Minute)
		return at
	}
	cur := 0
	h := []deal.Event{{Kind: deal.EventOpen, To: m.id(0), At: at, By: rep}}
	add := func(ev deal.Event) {
		ev.From = m.id(cur)
		h = append(h, ev)
		cur = m.order[ev.To]
	}
	lose := func() {
		reason := rapid.SampledFrom(deal.LossReasons()).Draw(t, "loss_reason")
		add(deal.Event{Kind: deal.EventLost, To: deal.StageLost, At: step(), By: m.seller(t, cur, false), Reason: "lost to " + string(reason), LossReason: reason})
	}
	detours := rapid.IntRange(0, 3).Draw(t, "detours")
	for {
		if m.open(cur) && detours > 0 && rapid.Bool().Draw(t, "detour") {
			detours--
			if cur > 0 && rapid.Bool().Draw(t, "revert") {
				to := rapid.IntRange(0, cur-1).Draw(t, "revert_to")
				add(deal.Event{Kind: deal.EventRevert, To: m.id(to), At: step(), By: m.seller(t, cur, true), Reason: "new information"})
				continue
			}
			from := cur
			lose()
			to := rapid.IntRange(0, from).Draw(t, "reopen_to")
			add(deal.Event{Kind: deal.EventReopen, To: m.id(to), At: step(), By: m.seller(t, cur, false), Reason: "the buyer came back"})
			continue
		}
		if cur == goal {
			break
		}
		next := m.id(cur + 1)
		add(deal.Event{Kind: m.advanceKind(next), To: next, At: step(), By: m.seller(t, cur, true)})
	}
	if target == deal.StageLost {
		lose()
	}
	last := h[len(h)-1]
	d.History, d.Stage, d.StageEnteredAt, d.Version = h, last.To, last.At, len(h)-1
	if last.Kind == deal.EventLost {
		d.Loss = &deal.Loss{Reason: last.LossReason, Stage: last.From, Note: last.Reason}
	}
}

// seller draws an actor allowed to move a deal at position i: a sales role,
// or the implementation lead for an advance or a revert of a won deal.
func (m *model) seller(t *rapid.T, i int, leadMay bool) accord.Actor {
	choice := []accord.Actor{rep, manager, admin}
	if leadMay && m.won(i) {
		choice = append(choice, lead)
	}
	return rapid.SampledFrom(choice).Draw(t, "by")
}

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

// flag returns the value of a boolean field at lv.
func flag(t *rapid.T, label string, lv level) bool {
	switch lv {
	case full:
		return true
	case mixed:
		return rapid.Bool().Draw(t, label)
	}
	return false
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
	{"stakeholders", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		if lv != mixed {
			d.Stakeholders = list(t, "stakeholder", []deal.Stakeholder{
				{Name: "Lee", Title: "RevOps lead", Role: deal.RoleChampion, Engaged: true},
				{Name: "Kim", Title: "CFO", Role: deal.RoleEconomicBuyer, Engaged: true},
				{Name: "Ana", Title: "CRO", Role: deal.RoleExecutiveSponsor, Engaged: true},
			}, lv)
			return
		}
		d.Stakeholders = nil
		for i := range rapid.IntRange(0, 4).Draw(t, "stakeholders") {
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{
				Name:    fmt.Sprintf("Person %d", i+1),
				Role:    rapid.SampledFrom(stakeholderRoles).Draw(t, "stakeholder_role"),
				Engaged: rapid.Bool().Draw(t, "engaged"),
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
	{"alignment", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		d.Alignment = deal.Alignment{Agreed: flag(t, "agreed", lv), AgreedBy: text(t, "agreed_by", "Lee", lv)}
	}},
	{"next_step", func(_ *model, t *rapid.T, d *deal.Deal, at time.Time, lv level) {
		d.NextStep = deal.NextStep{
			At:      date(t, "next_step", at, at.Add(7*24*time.Hour), lv),
			Purpose: text(t, "purpose", "review the business case", lv),
		}
	}},
	{"business_case", func(_ *model, t *rapid.T, d *deal.Deal, _ time.Time, lv level) {
		d.BusinessCase = deal.BusinessCase{
			Summary:            text(t, "summary", "saves 2 FTE", lv),
			Impact:             money(t, "impact", 150000, lv),
			NoExecutiveSponsor: lv == mixed && rapid.Bool().Draw(t, "no_executive_sponsor"),
			DecisionPlan:       text(t, "decision_plan", "CFO signs by May 30", lv),
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
			}
		case mixed:
			d.Scope = scope.Ref{
				ID: "sow-1", DealID: rapid.SampledFrom([]string{d.ID, d.ID, "another-deal"}).Draw(t, "scope_deal"),
				Revision: rapid.IntRange(1, 3).Draw(t, "scope_revision"), Digest: "c0ffee",
				Approvals:  rapid.SampledFrom([]scope.Approvals{"", scope.ApprovalsNone, scope.ApprovalsLead, scope.ApprovalsLeadAndClient}).Draw(t, "scope_approvals"),
				Reconciled: rapid.Bool().Draw(t, "reconciled"),
				Unresolved: rapid.IntRange(0, 2).Draw(t, "unresolved"),
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
