package scope_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// planProposal is the proposal that matches exampleSOW exactly, with no
// promised timeline.
func planProposal() scope.Proposal {
	return scope.Proposal{
		ID: "prop-1", DealID: "deal-42",
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline"}, {ID: "erp-sync", Name: "ERP sync"}},
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}},
		Price:        accord.Money{Amount: decimal.NewFromInt(48000), Currency: "USD"},
	}
}

// planFeasibility is the example's feasibility with the consultant's hours
// per day: 16 is ample, 8 slips two days, 0 leaves the role unstaffed.
func planFeasibility(t testing.TB, consultant int64) scope.Feasibility {
	t.Helper()
	s := exampleSOW()
	f, err := s.Feasibility(accord.Calendar{}, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(consultant), "engineer": hours(8)}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func planUSD(amount string) accord.Money {
	return accord.Money{Amount: decimal.RequireFromString(amount), Currency: "USD"}
}

func TestReconcile(t *testing.T) {
	ample, slow, unstaffed := planFeasibility(t, 16), planFeasibility(t, 8), planFeasibility(t, 0)
	if !ample.FeasibleFinish.Equal(planDate(time.March, 11)) || !slow.FeasibleFinish.Equal(planDate(time.March, 13)) || !unstaffed.FeasibleFinish.IsZero() {
		t.Fatalf("feasibilities: %+v %+v %+v", ample, slow, unstaffed)
	}
	const promised11 = "the proposal promises a finish by %s, but the sequence finishes on 2026-03-11"
	tests := []struct {
		name  string
		edit  func(p *scope.Proposal, s *scope.SOW)
		f     scope.Feasibility
		want  []scope.Discrepancy
		noIDs bool
	}{
		{name: "matching", f: ample},
		{
			name: "a deliverable promised but not scoped, listed twice: the proposal is inconsistent",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Deliverables = append(p.Deliverables, scope.Deliverable{ID: "dashboards", Name: "Executive dashboards"}, scope.Deliverable{ID: "dashboards", Name: "again"})
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.ProposalInvalid, Subject: "deliverables[3].id", Proposed: `duplicates deliverable "dashboards"`, Scoped: "none",
					Message: `the proposal is inconsistent: deliverables[3].id duplicates deliverable "dashboards"`},
				{Kind: scope.NotScoped, Subject: "dashboards", Proposed: "Executive dashboards", Scoped: "none",
					Message: `deliverable "dashboards" (Executive dashboards) was proposed but is not in the scope`},
			},
		},
		{
			name: "a deliverable scoped but not proposed, scoped twice; a name left blank is not compared",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Deliverables = []scope.Deliverable{{ID: "pipeline"}, {ID: "pipeline"}}
				s.Deliverables = append(s.Deliverables, scope.Deliverable{ID: "erp-sync", Name: "again"})
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.ProposalInvalid, Subject: "deliverables[1].id", Proposed: `duplicates deliverable "pipeline"`, Scoped: "none",
					Message: `the proposal is inconsistent: deliverables[1].id duplicates deliverable "pipeline"`},
				{Kind: scope.NotProposed, Subject: "erp-sync", Proposed: "none", Scoped: "ERP sync",
					Message: `deliverable "erp-sync" (ERP sync) is in the scope but was not proposed`},
			},
		},
		{
			name: "a timeline in weeks shorter than the sequence",
			// One week from Monday 2 March is done by Sunday the 8th.
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Weeks = 1 },
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-03-08", Scoped: "2026-03-11", Message: fmt.Sprintf(promised11, "2026-03-08")}},
		},
		{name: "a timeline in weeks long enough", edit: func(p *scope.Proposal, s *scope.SOW) { p.Weeks = 2 }, f: ample},
		{
			name: "a go-live date shorter than the sequence",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.GoLive = planDate(time.March, 10) },
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-03-10", Scoped: "2026-03-11", Message: fmt.Sprintf(promised11, "2026-03-10")}},
		},
		{name: "a go-live on the finish day", edit: func(p *scope.Proposal, s *scope.SOW) { p.GoLive = planDate(time.March, 11) }, f: ample},
		{
			name: "a go-live read in the calendar's zone",
			// Half past midnight on the 11th in Athens is the 10th in UTC.
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.GoLive = time.Date(2026, 3, 11, 0, 30, 0, 0, time.FixedZone("EET", 2*3600))
			},
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-03-10", Scoped: "2026-03-11", Message: fmt.Sprintf(promised11, "2026-03-10")}},
		},
		{
			name: "two timelines: the proposal is inconsistent, and held to the earlier",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Weeks, p.GoLive = 1, planDate(time.March, 20) },
			f:    ample,
			want: []scope.Discrepancy{
				planTwoTimelines,
				{Kind: scope.TimelineShort, Proposed: "2026-03-08", Scoped: "2026-03-11", Message: fmt.Sprintf(promised11, "2026-03-08")},
			},
		},
		{
			name: "two timelines, the go-live the earlier",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Weeks, p.GoLive = 3, planDate(time.March, 10) },
			f:    ample,
			want: []scope.Discrepancy{
				planTwoTimelines,
				{Kind: scope.TimelineShort, Proposed: "2026-03-10", Scoped: "2026-03-11", Message: fmt.Sprintf(promised11, "2026-03-10")},
			},
		},
		{
			name: "a deliverable under another name",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Deliverables[0].Name = " Pipeline setup"
				p.Deliverables = append(p.Deliverables, scope.Deliverable{ID: "erp-sync", Name: "ERP sync "})
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.ProposalInvalid, Subject: "deliverables[2].id", Proposed: `duplicates deliverable "erp-sync"`, Scoped: "none",
					Message: `the proposal is inconsistent: deliverables[2].id duplicates deliverable "erp-sync"`},
				{Kind: scope.DeliverableRenamed, Subject: "pipeline", Proposed: `"Pipeline setup"`, Scoped: `"Configured pipeline"`,
					Message: `deliverable "pipeline" is named "Pipeline setup" in the proposal and "Configured pipeline" in the scope`},
			},
		},
		{
			name: "impossible values in the proposal",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Weeks = -2
				p.Entitlements[0].Quantity = hours(-4)
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.ProposalInvalid, Subject: "weeks", Proposed: "must be between 0 and 520; got -2", Scoped: "none",
					Message: "the proposal is inconsistent: weeks must be between 0 and 520; got -2"},
				{Kind: scope.ProposalInvalid, Subject: "entitlements[0].quantity", Proposed: "must not be negative; got -4", Scoped: "none",
					Message: "the proposal is inconsistent: entitlements[0].quantity must not be negative; got -4"},
				{Kind: scope.EntitlementMismatch, Subject: "support", Proposed: "-4 hours/week", Scoped: "4 hours/week",
					Message: `entitlement "support" differs: -4 hours/week proposed, 4 hours/week scoped`},
			},
		},
		{
			name: "a timeline the sequence meets but the team's capacity does not",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.GoLive = planDate(time.March, 12) },
			f:    slow,
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-03-12", Scoped: "2026-03-13",
				Message: "the proposal promises a finish by 2026-03-12, but at the team's capacity the work finishes on 2026-03-13"}},
		},
		{name: "a timeline the team's capacity meets", edit: func(p *scope.Proposal, s *scope.SOW) { p.GoLive = planDate(time.March, 13) }, f: slow},
		{
			name: "a timeline with no feasible finish",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Weeks = 2 },
			f:    unstaffed,
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-03-15", Scoped: "unknown",
				Message: "the proposal promises a finish by 2026-03-15, but the scope's feasible finish is unknown"}},
		},
		{
			name: "a timeline with no feasibility at all",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.GoLive = planDate(time.December, 31) },
			want: []scope.Discrepancy{{Kind: scope.TimelineShort, Proposed: "2026-12-31", Scoped: "unknown",
				Message: "the proposal promises a finish by 2026-12-31, but the scope's feasible finish is unknown"}},
		},
		{name: "no promise, nothing to confirm", f: unstaffed},
		{
			name: "entitlements differing in quantity, unit and period",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Entitlements = []scope.Entitlement{
					{Name: "support", Quantity: hours(8), Unit: "hours", Per: "week"},
					{Name: "training", Quantity: hours(2), Unit: "days"},
					{Name: "reviews", Quantity: hours(1), Unit: "review", Per: "month"},
					{Name: "support", Quantity: hours(4), Unit: "hours", Per: "week"}, // listed twice: repeated
				}
				s.Entitlements = append(s.Entitlements,
					scope.Entitlement{Name: "training", Quantity: hours(2), Unit: "sessions"},
					scope.Entitlement{Name: "reviews", Quantity: hours(1), Unit: "review", Per: "quarter"},
					scope.Entitlement{Name: "support", Quantity: hours(8), Unit: "hours", Per: "week"},  // repeated too
					scope.Entitlement{Name: "support", Quantity: hours(1), Unit: "visit", Per: "month"}, // another measure
				)
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.EntitlementRepeated, Subject: "support", Proposed: "8 hours/week + 4 hours/week", Scoped: "4 hours/week + 8 hours/week",
					Message: `entitlement "support" in hours/week is listed twice in the proposal (8 hours/week + 4 hours/week) and twice in the scope (4 hours/week + 8 hours/week): say which quantity stands`},
				{Kind: scope.EntitlementMismatch, Subject: "training", Proposed: "2 days", Scoped: "2 sessions",
					Message: `entitlement "training" differs: 2 days proposed, 2 sessions scoped`},
				{Kind: scope.EntitlementMismatch, Subject: "reviews", Proposed: "1 review/month", Scoped: "1 review/quarter",
					Message: `entitlement "reviews" differs: 1 review/month proposed, 1 review/quarter scoped`},
				{Kind: scope.EntitlementMismatch, Subject: "support", Proposed: "none", Scoped: "1 visit/month",
					Message: `entitlement "support" (1 visit/month) is in the scope but was not proposed`},
			},
		},
		{
			name: "entitlements equal in value",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Entitlements[0].Quantity = decimal.RequireFromString("4.00") },
			f:    ample,
		},
		{
			name: "entitlements on one side only",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Entitlements = []scope.Entitlement{{Name: "onboarding", Quantity: decimal.RequireFromString("2.50"), Unit: "sessions"}}
			},
			f: ample,
			want: []scope.Discrepancy{
				{Kind: scope.EntitlementMismatch, Subject: "onboarding", Proposed: "2.5 sessions", Scoped: "none",
					Message: `entitlement "onboarding" (2.5 sessions) was proposed but is not in the scope`},
				{Kind: scope.EntitlementMismatch, Subject: "support", Proposed: "none", Scoped: "4 hours/week",
					Message: `entitlement "support" (4 hours/week) is in the scope but was not proposed`},
			},
		},
		{
			name: "a price in another currency",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Price.Currency = "EUR" },
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.PriceMismatch, Proposed: "48000 EUR", Scoped: "48000 USD",
				Message: "the price differs: 48000 EUR proposed, 48000 USD scoped"}},
		},
		{
			name: "a price of another amount",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Price = planUSD("47999.99") },
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.PriceMismatch, Proposed: "47999.99 USD", Scoped: "48000 USD",
				Message: "the price differs: 47999.99 USD proposed, 48000 USD scoped"}},
		},
		{
			name: "a price not set",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Price = accord.Money{} },
			f:    ample,
			want: []scope.Discrepancy{{Kind: scope.PriceMismatch, Proposed: "unset", Scoped: "48000 USD",
				Message: "the price differs: unset proposed, 48000 USD scoped"}},
		},
		{
			name: "1200.5 and 1200.50 are one price",
			edit: func(p *scope.Proposal, s *scope.SOW) { p.Price, s.Price = planUSD("1200.5"), planUSD("1200.50") },
			f:    ample,
		},
		{
			name: "every kind at once, in order",
			edit: func(p *scope.Proposal, s *scope.SOW) {
				p.Deliverables = []scope.Deliverable{{ID: "z-docs", Name: "Docs"}, {ID: "pipeline", Name: "Pipeline"}, {ID: "a-dash", Name: "Dashboards"}}
				s.Deliverables = append(s.Deliverables, scope.Deliverable{ID: "b-sso", Name: "SSO"})
				p.Weeks, p.GoLive = 1, planDate(time.March, 20)
				p.Entitlements = []scope.Entitlement{{Name: "seats", Quantity: hours(50), Unit: "users"}, {Name: "support", Quantity: hours(2), Unit: "hours", Per: "week"}}
				s.Entitlements = append(s.Entitlements, scope.Entitlement{Name: "admin", Quantity: hours(1), Unit: "admins"}, scope.Entitlement{Name: "admin", Quantity: hours(2), Unit: "admins"})
				p.Price = planUSD("45000.00")
			},
			f: slow,
			want: []scope.Discrepancy{
				planTwoTimelines,
				{Kind: scope.NotScoped, Subject: "z-docs", Proposed: "Docs", Scoped: "none", Message: `deliverable "z-docs" (Docs) was proposed but is not in the scope`},
				{Kind: scope.NotScoped, Subject: "a-dash", Proposed: "Dashboards", Scoped: "none", Message: `deliverable "a-dash" (Dashboards) was proposed but is not in the scope`},
				{Kind: scope.NotProposed, Subject: "erp-sync", Proposed: "none", Scoped: "ERP sync", Message: `deliverable "erp-sync" (ERP sync) is in the scope but was not proposed`},
				{Kind: scope.NotProposed, Subject: "b-sso", Proposed: "none", Scoped: "SSO", Message: `deliverable "b-sso" (SSO) is in the scope but was not proposed`},
				{Kind: scope.DeliverableRenamed, Subject: "pipeline", Proposed: `"Pipeline"`, Scoped: `"Configured pipeline"`,
					Message: `deliverable "pipeline" is named "Pipeline" in the proposal and "Configured pipeline" in the scope`},
				{Kind: scope.TimelineShort, Proposed: "2026-03-08", Scoped: "2026-03-13",
					Message: "the proposal promises a finish by 2026-03-08, but at the team's capacity the work finishes on 2026-03-13"},
				{Kind: scope.EntitlementMismatch, Subject: "seats", Proposed: "50 users", Scoped: "none", Message: `entitlement "seats" (50 users) was proposed but is not in the scope`},
				{Kind: scope.EntitlementMismatch, Subject: "support", Proposed: "2 hours/week", Scoped: "4 hours/week", Message: `entitlement "support" differs: 2 hours/week proposed, 4 hours/week scoped`},
				{Kind: scope.EntitlementRepeated, Subject: "admin", Proposed: "none", Scoped: "1 admins + 2 admins",
					Message: `entitlement "admin" in admins is listed not at all in the proposal (none) and twice in the scope (1 admins + 2 admins): say which quantity stands`},
				{Kind: scope.PriceMismatch, Proposed: "45000.00 USD", Scoped: "48000 USD", Message: "the price differs: 45000.00 USD proposed, 48000 USD scoped"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s := planProposal(), exampleSOW()
			if tt.edit != nil {
				tt.edit(&p, &s)
			}
			got := scope.Reconcile(p, &s, tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("discrepancies (-want +got):\n%s", diff)
			}
		})
	}
	// A nil scope is an empty one: everything proposed is unscoped.
	got := scope.Reconcile(planProposal(), nil, scope.Feasibility{})
	kinds := make([]string, len(got))
	for i, d := range got {
		kinds[i] = string(d.Kind) + " " + d.Subject
	}
	if diff := cmp.Diff([]string{"deliverable_not_scoped pipeline", "deliverable_not_scoped erp-sync", "entitlement support", "price "}, kinds); diff != "" {
		t.Errorf("nil scope:\n%s", diff)
	}
}

// TestResolveSettlesExactly checks that a recorded decision settles the
// discrepancy with exactly the values it was made on, and no other.
func TestResolveSettlesExactly(t *testing.T) {
	rep := accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	manager := accord.Actor{ID: "u-2", Name: "Mei", Role: accord.RoleSalesManager}
	now := time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)
	f := planFeasibility(t, 16)
	s := exampleSOW()
	if err := s.Open(rep, now); err != nil {
		t.Fatal(err)
	}
	p := planProposal()
	p.Price = planUSD("45000")
	p.Entitlements[0].Quantity = hours(8)
	ds := scope.Reconcile(p, &s, f)
	if len(ds) != 2 || ds[0].Kind != scope.EntitlementMismatch || ds[1].Kind != scope.PriceMismatch {
		t.Fatalf("discrepancies: %+v", ds)
	}
	digest := s.Digest()
	if err := s.Resolve(p, f, ds[1], scope.ChangeScope, "the discount stands", manager, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s.Digest() != digest {
		t.Fatal("a decision changed the content")
	}
	want := &scope.Resolution{Kind: scope.PriceMismatch, Proposed: "45000 USD", Scoped: "48000 USD", Change: scope.ChangeScope,
		Note: "the discount stands", By: manager, At: now.Add(time.Hour)}
	after := scope.Reconcile(p, &s, f)
	if diff := cmp.Diff(ds[0], after[0]); diff != "" {
		t.Errorf("the entitlement is unresolved still (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, after[1].Resolution); diff != "" {
		t.Errorf("resolution (-want +got):\n%s", diff)
	}
	if after[1].Kind != ds[1].Kind || after[1].Proposed != ds[1].Proposed || after[1].Message != ds[1].Message {
		t.Errorf("the settled discrepancy changed: %+v", after[1])
	}
	if got := scope.Unresolved(after); len(got) != 1 || got[0].Kind != scope.EntitlementMismatch {
		t.Errorf("unresolved: %+v", got)
	}
	if err := s.Resolve(p, f, after[1], scope.ChangeProposal, "again", manager, now.Add(2*time.Hour)); !errors.Is(err, accord.ErrConflict) {
		t.Errorf("resolving twice: %v", err)
	}

	// Another value on either side is another discrepancy.
	p.Price = planUSD("46000")
	if d := scope.Reconcile(p, &s, f)[1]; d.Resolution != nil || d.Proposed != "46000 USD" {
		t.Errorf("a new proposed price: %+v", d)
	}
	p.Price = planUSD("45000")
	s.Price = planUSD("47000")
	if d := scope.Reconcile(p, &s, f)[1]; d.Resolution != nil || d.Scoped != "47000 USD" {
		t.Errorf("a new scoped price: %+v", d)
	}
	// Back to the decided values, the decision applies again.
	s.Price = planUSD("48000")
	if d := scope.Reconcile(p, &s, f)[1]; d.Resolution == nil {
		t.Errorf("the decided values: %+v", d)
	}
	// 45000.00 is the same price as 45000, but not the same value as
	// decided: the decision named "45000 USD".
	p.Price = planUSD("45000.00")
	if d := scope.Reconcile(p, &s, f)[1]; d.Resolution != nil || d.Proposed != "45000.00 USD" {
		t.Errorf("the same amount written otherwise: %+v", d)
	}
}

// planTwoTimelines is what Reconcile reports of a proposal that promises
// both a number of weeks and a go-live date.
var planTwoTimelines = scope.Discrepancy{Kind: scope.ProposalInvalid, Subject: "go_live", Proposed: "must be unset when weeks is set: promise one timeline", Scoped: "none",
	Message: "the proposal is inconsistent: go_live must be unset when weeks is set: promise one timeline"}

// planKindOrder is the order Reconcile reports kinds in.
var planKindOrder = []scope.DiscrepancyKind{scope.ProposalInvalid, scope.NotScoped, scope.NotProposed, scope.DeliverableRenamed,
	scope.TimelineShort, scope.EntitlementRepeated, scope.EntitlementMismatch, scope.PriceMismatch}

// planReconcileInputs draws a proposal, a scope and a feasibility that
// share IDs, names, prices and dates often enough to match and to differ,
// with decisions recorded on some of the discrepancies and on others that
// do not exist.
func planReconcileInputs(t *rapid.T) (scope.Proposal, scope.SOW, scope.Feasibility) {
	s := planAnySOW().Draw(t, "sow")
	ent := rapid.Custom(func(t *rapid.T) scope.Entitlement {
		return scope.Entitlement{Name: planPick("", "support", "seats", "training").Draw(t, "name"),
			Quantity: planPick(hours(4), decimal.RequireFromString("4.0"), hours(8), decimal.New(1, 900), decimal.New(-1, -3)).Draw(t, "quantity"),
			Unit:     planPick("", "hours", "days").Draw(t, "unit"), Per: planPick("", "week").Draw(t, "per")}
	})
	s.Entitlements = rapid.SliceOfN(ent, 0, 3).Draw(t, "scoped_entitlements")
	deliv := rapid.Custom(func(t *rapid.T) scope.Deliverable {
		return scope.Deliverable{ID: planPick(planDelivIDs...).Draw(t, "id"), Name: planPick("", "A", "B").Draw(t, "name")}
	})
	price := planPick(accord.Money{}, planUSD("48000"), planUSD("48000.00"), planUSD("45000"), accord.Money{Amount: hours(48000), Currency: "EUR"})
	s.Price = price.Draw(t, "scoped_price")
	p := scope.Proposal{
		ID: "p", DealID: "d",
		Deliverables: rapid.SliceOfN(deliv, 0, 4).Draw(t, "deliverables"),
		Weeks:        rapid.IntRange(-1, 12).Draw(t, "weeks"),
		Entitlements: rapid.SliceOfN(ent, 0, 3).Draw(t, "entitlements"),
		Price:        price.Draw(t, "price"),
	}
	if rapid.Bool().Draw(t, "go_live") {
		p.GoLive = planAnyTime().Draw(t, "go_live_at")
	}
	var f scope.Feasibility
	if rapid.IntRange(0, 3).Draw(t, "feasibility") > 0 {
		loc := planZone().Draw(t, "finish_zone")
		if loc == nil {
			loc = time.UTC
		}
		f.ScopedFinish = planStart.AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "scoped_finish")).In(loc)
		if rapid.IntRange(0, 3).Draw(t, "unstaffed") > 0 {
			f.FeasibleFinish = f.ScopedFinish.AddDate(0, 0, rapid.IntRange(0, 10).Draw(t, "slip"))
		}
	}
	// Decisions on some of the discrepancies, and on made-up ones.
	for _, d := range scope.Reconcile(p, &s, f) {
		if rapid.Bool().Draw(t, "decide") {
			s.Review.Resolutions = append(s.Review.Resolutions, scope.Resolution{Kind: d.Kind, Subject: d.Subject, Proposed: d.Proposed, Scoped: d.Scoped, Change: scope.ChangeScope})
		}
	}
	if rapid.Bool().Draw(t, "stray_decision") {
		s.Review.Resolutions = append(s.Review.Resolutions, scope.Resolution{Kind: planPick(planKindOrder...).Draw(t, "kind"),
			Subject: planPick("", "d1", "support").Draw(t, "subject"), Proposed: "none", Scoped: "none"})
	}
	return p, s, f
}

// TestPropReconcile checks that Reconcile is deterministic, changes none of
// its inputs, reports no (kind, subject) twice, in the documented order of
// kinds, with exactly the decisions that settle each discrepancy; and that
// the deliverables, entitlements and price it reports are exactly those
// that differ.
func TestPropReconcile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, s, f := planReconcileInputs(t)
		pBefore := p
		pBefore.Deliverables, pBefore.Entitlements = slices.Clone(p.Deliverables), slices.Clone(p.Entitlements)
		sBefore, fBefore := planClone(s), f
		got := scope.Reconcile(p, &s, f)
		planSame(t, "Reconcile changed the proposal", pBefore, p)
		planSame(t, "Reconcile changed the scope", sBefore, s)
		planSame(t, "Reconcile changed the feasibility", fBefore, f)
		planSame(t, "two reports differ", got, scope.Reconcile(p, &s, f))
		type key struct {
			kind    scope.DiscrepancyKind
			subject string
		}
		// Entitlement discrepancies are judged by name: a name whose
		// entitlements differ in any way is reported, as repeated or as
		// a mismatch.
		const anyEntitlement = scope.DiscrepancyKind("any entitlement")
		seen := map[key]bool{}
		reported := map[scope.Discrepancy]bool{}
		last := 0
		for _, d := range got {
			bare := d
			bare.Resolution = nil
			if reported[bare] {
				t.Fatalf("reported twice: %+v", d)
			}
			reported[bare] = true
			k := key{d.Kind, d.Subject}
			if d.Kind == scope.EntitlementRepeated || d.Kind == scope.EntitlementMismatch {
				k.kind = anyEntitlement
			}
			seen[k] = true
			kind := d.Kind
			if kind == scope.EntitlementRepeated {
				kind = scope.EntitlementMismatch // one group, in the order of the entitlements
			}
			order := slices.Index(planKindOrder, kind)
			if order < last {
				t.Fatalf("%s reported after a later kind", d.Kind)
			}
			last = order
			settles := slices.ContainsFunc(s.Review.Resolutions, func(r scope.Resolution) bool {
				return r.Kind == d.Kind && r.Subject == d.Subject && r.Proposed == d.Proposed && r.Scoped == d.Scoped
			})
			if settles != (d.Resolution != nil) {
				t.Fatalf("resolution %+v for %+v; a settling decision exists: %v", d.Resolution, d, settles)
			}
			if d.Resolution != nil && (d.Resolution.Kind != d.Kind || d.Resolution.Subject != d.Subject || d.Resolution.Proposed != d.Proposed || d.Resolution.Scoped != d.Scoped) {
				t.Fatalf("resolution %+v does not settle %+v", d.Resolution, d)
			}
		}

		// The reference: what differs, by kind and subject.
		want := map[key]bool{}
		for _, fe := range accord.FieldErrors(p.Validate()) {
			if !strings.HasPrefix(fe.Rule, "duplicates entitlement") {
				want[key{scope.ProposalInvalid, fe.Field}] = true
			}
		}
		scoped := map[string]bool{}
		for _, d := range s.Deliverables {
			scoped[d.ID] = true
		}
		proposed := map[string]bool{}
		for _, d := range p.Deliverables {
			proposed[d.ID] = true
			if !scoped[d.ID] {
				want[key{scope.NotScoped, d.ID}] = true
			}
		}
		for _, d := range s.Deliverables {
			if !proposed[d.ID] {
				want[key{scope.NotProposed, d.ID}] = true
			}
		}
		names := func(ds []scope.Deliverable, id string) []string {
			set := map[string]bool{}
			for _, d := range ds {
				if n := strings.TrimSpace(d.Name); d.ID == id && n != "" {
					set[n] = true
				}
			}
			return slices.Sorted(maps.Keys(set))
		}
		for _, d := range p.Deliverables {
			pn, sn := names(p.Deliverables, d.ID), names(s.Deliverables, d.ID)
			if scoped[d.ID] && len(pn) > 0 && len(sn) > 0 && !slices.Equal(pn, sn) {
				want[key{scope.DeliverableRenamed, d.ID}] = true
			}
		}
		// Per name: the entitlements of each side, and whether one is
		// listed twice in the same unit and period.
		measures := func(es []scope.Entitlement, name string) (out []string, repeated bool) {
			count := map[[2]string]int{}
			for _, e := range es {
				if strings.TrimSpace(e.Name) != name {
					continue
				}
				m := [2]string{strings.TrimSpace(e.Unit), strings.TrimSpace(e.Per)}
				count[m]++
				repeated = repeated || count[m] > 1
				out = append(out, m[0]+"/"+m[1]+"="+e.Quantity.String())
			}
			slices.Sort(out)
			return out, repeated
		}
		for _, e := range append(slices.Clone(p.Entitlements), s.Entitlements...) {
			name := strings.TrimSpace(e.Name)
			a, ra := measures(p.Entitlements, name)
			b, rb := measures(s.Entitlements, name)
			if ra || rb || !slices.Equal(a, b) {
				want[key{anyEntitlement, name}] = true
			}
		}
		if p.Price.Currency != s.Price.Currency || !p.Price.Amount.Equal(s.Price.Amount) {
			want[key{scope.PriceMismatch, ""}] = true
		}
		delete(seen, key{scope.TimelineShort, ""})
		if diff := cmp.Diff(want, seen); diff != "" {
			t.Fatalf("reported (-reference +got):\n%s", diff)
		}
	})
}

// TestReconcileStoredFeasibility: a Feasibility stored as JSON (its times
// in a fixed offset) reconciles to the same discrepancies as the live one,
// also when the start is in summer time and the finish in winter time.
func TestReconcileStoredFeasibility(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	cal := accord.Calendar{Location: berlin}
	s := exampleSOW()
	s.Start = time.Date(2026, 10, 19, 0, 0, 0, 0, berlin) // summer time; the finish falls in winter time
	f, err := s.Feasibility(cal, scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(16), "engineer": hours(8)}})
	if err != nil {
		t.Fatal(err)
	}
	stored := jsontest.Copy(t, f)
	for _, weeks := range []int{1, 2, 3} {
		p := scope.Proposal{ID: "p", DealID: s.DealID, Weeks: weeks}
		live, again := scope.Reconcile(p, &s, f), scope.Reconcile(p, &s, stored)
		if diff := cmp.Diff(live, again); diff != "" {
			t.Errorf("%d weeks: stored feasibility reconciles differently (-live +stored):\n%s", weeks, diff)
		}
	}
}

// TestResolveOnlyWhatExistsNow: a decision is recorded only for a
// discrepancy Reconcile reports now, for the scope's own deal's proposal,
// by someone other than the scope's author; every refusal changes nothing.
func TestResolveOnlyWhatExistsNow(t *testing.T) {
	rep := accord.Actor{ID: "u-7", Role: accord.RoleSalesRep}
	manager := accord.Actor{ID: "u-2", Role: accord.RoleSalesManager}
	now := time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)
	f := planFeasibility(t, 16)
	p := planProposal()
	p.Price = planUSD("45000")
	price := scope.Discrepancy{Kind: scope.PriceMismatch, Proposed: "45000 USD", Scoped: "48000 USD"}
	tests := []struct {
		name  string
		edit  func(p *scope.Proposal, s *scope.SOW)
		d     scope.Discrepancy
		by    accord.Actor
		class error
		want  string
	}{
		{"exists", nil, price, manager, nil, ""},
		{"gone: the scope's price changed", func(p *scope.Proposal, s *scope.SOW) { s.Price = planUSD("45000") }, price, manager, accord.ErrConflict,
			`accord: conflict: scope "sow-1": resolve: there is no discrepancy price "" (45000 USD proposed, 48000 USD scoped) between proposal "prop-1" and the scope now`},
		{"never was", nil, scope.Discrepancy{Kind: scope.NotScoped, Subject: "dashboards", Proposed: "Dashboards", Scoped: "none"}, manager, accord.ErrConflict,
			`accord: conflict: scope "sow-1": resolve: there is no discrepancy deliverable_not_scoped "dashboards" (Dashboards proposed, none scoped) between proposal "prop-1" and the scope now`},
		{"another deal's proposal", func(p *scope.Proposal, s *scope.SOW) { p.DealID = "deal-7" }, price, manager, accord.ErrConflict,
			`accord: conflict: scope "sow-1": resolve: the proposal is for deal "deal-7", the scope for deal "deal-42"`},
		{"the author, a manager too", nil, price, accord.Actor{ID: " u-7", Role: accord.RoleSalesManager}, accord.ErrForbidden,
			`accord: forbidden: scope "sow-1": u-7 wrote this scope and cannot decide its discrepancies`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s := p, exampleSOW()
			if err := s.Open(rep, now); err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(&p, &s)
			}
			before := jsontest.Copy(t, s)
			err := s.Resolve(p, f, tt.d, scope.ChangeScope, "agreed", tt.by, now.Add(time.Hour))
			if tt.class == nil {
				if err != nil || len(s.Review.Resolutions) != 1 {
					t.Fatalf("got %v, %d resolutions", err, len(s.Review.Resolutions))
				}
				return
			}
			if !errors.Is(err, tt.class) || err.Error() != tt.want {
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
			rvUnchanged(t, "a refused decision", before, &s)
		})
	}
}
