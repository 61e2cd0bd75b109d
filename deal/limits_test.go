package deal_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestDayLimits: every count of days is at most 36500, in NewProcess and
// so in Load and Derive, each reported at its path; a century is accepted
// and behaves as a century, not as an overflowed duration.
func TestDayLimits(t *testing.T) {
	stage := func(s deal.Stage) deal.Config {
		s.ID, s.Name = "a", "A"
		return deal.Config{Stages: []deal.Stage{s, {ID: "b", Name: "B"}}}
	}
	tests := []struct {
		name string
		cfg  deal.Config
		want []string
	}{
		{"healthy_days", stage(deal.Stage{HealthyDays: 36501}), []string{"stages[0].healthy_days: must be at most 36500 (a century); got 36501"}},
		{"follow_up_days", stage(deal.Stage{FollowUpDays: 110000}), []string{"stages[0].follow_up_days: must be at most 36500 (a century); got 110000"}},
		{"idle_alert_days", deal.Config{IdleAlertDays: 110000, Stages: []deal.Stage{{ID: "a", Name: "A"}}}, []string{"idle_alert_days: must be at most 36500 (a century); got 110000"}},
		{"next_step_within", stage(deal.Stage{Exit: []deal.Criterion{{ID: "n", Description: "d", Rule: deal.NextStepWithin(200000)}}}),
			[]string{"stages[0].exit[0].rule: NextStepWithin needs days between 1 and 36500, got 200000"}},
		{"any_of next_step_within", stage(deal.Stage{Exit: []deal.Criterion{{ID: "n", Description: "d", Rule: deal.AnyOf(deal.Present("segment"), deal.NextStepWithin(36501))}}}),
			[]string{"stages[0].exit[0].rule: AnyOf rule 1: NextStepWithin needs days between 1 and 36500, got 36501"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := deal.NewProcess(tt.cfg)
			if diff := cmp.Diff(tt.want, problems(err)); diff != "" {
				t.Fatalf("problems (-want +got):\n%s", diff)
			}
		})
	}

	loads := []struct{ in, want string }{
		{`{"stages":[{"id":"a","name":"A","probability":0.1,"healthy_days":200000},{"id":"b","name":"B","probability":0.5}]}`,
			"stages[0].healthy_days: must be at most 36500 (a century); got 200000"},
		{`{"idle_alert_days":110000,"stages":[{"id":"a","name":"A","probability":0,"follow_up_days":110000}]}`,
			"stages[0].follow_up_days: must be at most 36500 (a century); got 110000\nidle_alert_days: must be at most 36500 (a century); got 110000"},
		{`{"stages":[{"id":"a","name":"A","probability":0,"exit":[{"id":"n","description":"n","kind":"next_step_within","days":200000}]}]}`,
			"stages[0].exit[0].days: must be at most 36500 (a century); got 200000"},
	}
	for _, tt := range loads {
		if _, err := deal.Load([]byte(tt.in), deal.LoadOptions{}); errText(err) != tt.want {
			t.Errorf("Load(%s):\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}

	days := 36501
	for _, v := range []deal.Variant{
		{Stages: []deal.StageChange{{Stage: deal.StageDiscovery, HealthyDays: &days}}},
		{Insert: []deal.Insertion{{After: deal.StageHandoff, Before: deal.StageLive, Stage: deal.Stage{ID: "renewal", Name: "Renewal", FollowUpDays: days}}}},
	} {
		_, err := deal.Default().Derive(v)
		want := []string{"stages[0].healthy_days: must be at most 36500 (a century); got 36501"}
		if v.Insert != nil {
			want = []string{"insert[0].stage.follow_up_days: must be at most 36500 (a century); got 36501"}
		}
		if diff := cmp.Diff(want, problems(err)); diff != "" {
			t.Errorf("Derive (-want +got):\n%s", diff)
		}
	}

	// A century is a century: one hour in, nothing is stalled, due or
	// missed.
	p, err := deal.NewProcess(deal.Config{IdleAlertDays: 36500, Stages: []deal.Stage{
		{ID: "a", Name: "A", HealthyDays: 36500, FollowUpDays: 36500,
			Exit: []deal.Criterion{{ID: "n", Description: "Schedule a next step.", Rule: deal.NextStepWithin(36500)}}},
		{ID: "b", Name: "B"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d := &deal.Deal{ID: "d", Owner: "o", Stage: "a", StageEnteredAt: t0.Add(-time.Hour),
		NextStep: deal.NextStep{At: t0.Add(time.Hour), Purpose: "demo"}}
	if r := p.Risks(d, t0); r != nil {
		t.Errorf("risks one hour into a century-long stage: %v", r)
	}
	if a := p.Triggers(d, t0); a != nil {
		t.Errorf("triggers one hour in: %v", a)
	}
	if g := p.Unmet(d, t0); g != nil {
		t.Errorf("gaps with a next step in an hour: %v", g)
	}
	if a := p.Triggers(d, t0.Add(-time.Hour).Add(36500*24*time.Hour)); len(a) != 2 {
		t.Errorf("triggers a century in: %v, want the follow-up and the idle alert", a)
	}
}

// TestDaysAreMonotonic: for every count of days a process accepts, a deal
// is stalled exactly once it has been longer than that in the stage, and
// a next step is in time exactly up to that many days ahead.
func TestDaysAreMonotonic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 36500).Draw(t, "days")
		p, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{
			{ID: "a", Name: "A", HealthyDays: n, Exit: []deal.Criterion{{ID: "n", Description: "d", Rule: deal.NextStepWithin(n)}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		limit := time.Duration(n) * 24 * time.Hour
		off := time.Duration(rapid.Int64Range(-int64(time.Hour), int64(time.Hour)).Draw(t, "offset"))
		d := &deal.Deal{ID: "d", Owner: "o", Stage: "a", StageEnteredAt: t0,
			NextStep: deal.NextStep{At: t0.Add(limit + off), Purpose: "demo"}}
		stalled := false
		for _, r := range p.Risks(d, t0.Add(limit+off)) {
			stalled = stalled || r.Kind == deal.RiskStalled
		}
		if stalled != (off > 0) {
			t.Fatalf("%d healthy days, %v past them: stalled %v", n, off, stalled)
		}
		if met := p.Unmet(d, t0) == nil; met != (off <= 0) {
			t.Fatalf("next step %v after %d days: met %v", off, n, met)
		}
	})
}

// TestProbabilityBounds: NewProcess holds a probability to the bounds Load
// reads, so that every process it builds marshals to a definition that
// loads back; and it rejects an out-of-bounds one without expanding it.
func TestProbabilityBounds(t *testing.T) {
	build := func(p decimal.Decimal) error {
		_, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "a", Name: "A", Probability: p}}})
		return err
	}
	const bounds = "stages[0].probability: must be between 0 and 1 with at most 18 decimal places and 19 digits, so that the process written as data loads back"
	tests := []struct {
		name string
		p    decimal.Decimal
		want string
	}{
		{"19 places", decimal.RequireFromString("0.3333333333333333333"), bounds},
		{"18 places", decimal.RequireFromString("0.333333333333333333"), ""},
		{"20 digits", decimal.RequireFromString("10.000000000000000000"), bounds},
		{"huge negative exponent", decimal.New(1, -1_000_000_000), bounds},
		{"huge exponent", decimal.New(1, 1_000_000_000), bounds},
		{"above one", decimal.RequireFromString("1.5"), "stages[0].probability: must be between 0 and 1; got 1.5"},
		{"one", decimal.New(1, 0), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errText(build(tt.p)); got != tt.want {
				t.Fatalf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		p := decimal.New(rapid.Int64Range(0, 1<<62).Draw(t, "coef"), int32(rapid.IntRange(-40, 2).Draw(t, "exp")))
		q, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "a", Name: "A", Probability: p}}})
		if err != nil {
			return
		}
		raw, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		back, err := deal.Load(raw, deal.LoadOptions{})
		if err != nil {
			t.Fatalf("probability %s builds, but its definition does not load: %v", p, err)
		}
		if got := back.Stages()[0].Probability; !got.Equal(p) {
			t.Fatalf("probability %s loads back as %s", p, got)
		}
	})
}

// nestAnyOf returns a criterion's rule as JSON: depth levels of rules, the
// outer depth-1 any_of, the innermost a present rule.
func nestAnyOf(depth int) string {
	return strings.Repeat(`{"kind":"any_of","rules":[`, depth-1) + `{"kind":"present","path":"segment"}` + strings.Repeat(`]}`, depth-1)
}

// TestRuleDepth: rules nest at most 16 deep, in Load and in NewProcess, and
// a deeply nested definition is refused quickly, at the path of the any_of
// that nests too deep.
func TestRuleDepth(t *testing.T) {
	load := func(depth int) error {
		rule := nestAnyOf(depth)
		doc := `{"stages":[{"id":"a","name":"A","probability":0,"exit":[{"id":"x","description":"x",` + rule[1:] + `]}]}`
		_, err := deal.Load([]byte(doc), deal.LoadOptions{})
		return err
	}
	if err := load(16); err != nil {
		t.Fatalf("depth 16: %v", err)
	}
	want := "stages[0].exit[0]" + strings.Repeat(".rules[0]", 15) + ".rules: must not nest rules more than 16 deep: this any_of is at depth 16"
	for _, depth := range []int{17, 3000} {
		if got := errText(load(depth)); got != want {
			t.Errorf("depth %d:\n got %s\nwant %s", depth, got, want)
		}
	}

	nest := func(depth int) deal.Rule {
		r := deal.Present("segment")
		for range depth - 1 {
			r = deal.AnyOf(r)
		}
		return r
	}
	build := func(r deal.Rule) error {
		_, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "a", Name: "A", Exit: []deal.Criterion{{ID: "x", Description: "d", Rule: r}}}}})
		return err
	}
	if err := build(nest(16)); err != nil {
		t.Fatalf("depth 16: %v", err)
	}
	got := problems(build(nest(17)))
	wantNew := "stages[0].exit[0].rule: " + strings.Repeat("AnyOf rule 0: ", 15) + "AnyOf at depth 16 nests its rules deeper than 16 levels"
	if len(got) != 1 || got[0] != wantNew {
		t.Errorf("NewProcess at depth 17:\n got %q\nwant %q", got, wantNew)
	}
	// Named adds no depth.
	if err := build(deal.AnyOf(deal.Named("n", nest(15)))); err != nil {
		t.Errorf("named at depth 2 over 15 levels: %v", err)
	}

	// AnyOf keeps a copy of its rules, so that no rule can hold itself.
	rules := []deal.Rule{deal.Present("segment")}
	self := deal.AnyOf(rules...)
	rules[0] = self
	if err := build(self); err != nil {
		t.Fatalf("AnyOf after its argument changed: %v", err)
	}
	if !self.Met(&deal.Deal{Segment: "smb"}, t0) || self.Met(&deal.Deal{}, t0) {
		t.Fatal("AnyOf must decide by the rules it was given")
	}
}

// TestCriterionReads: Reads lists every field and artifact kind a rule
// reads, inside any_of and named rules, and ignores the criterion's Field.
func TestCriterionReads(t *testing.T) {
	host := deal.RuleFunc(func(*deal.Deal, time.Time) bool { return true })
	tests := []struct {
		name              string
		c                 deal.Criterion
		fields, artifacts []string
	}{
		{"present", deal.Criterion{Rule: deal.Present("discovery.problem")}, []string{"discovery.problem"}, nil},
		{"field ignored", deal.Criterion{Field: "budget", Rule: deal.Present("fields.budget")}, []string{"fields.budget"}, nil},
		{"artifact", deal.Criterion{Rule: deal.HasArtifact("nda")}, nil, []string{"nda"}},
		{"any_of", deal.Criterion{Rule: deal.AnyOf(
			deal.HasArtifact("security_questionnaire"), deal.Present("fields.security_waiver"),
			deal.AnyOf(deal.Engaged(deal.RoleChampion, 1), deal.Named("n", deal.Reached("onboarding.live_at")), deal.HasArtifact("nda")),
			deal.NextStepWithin(7), deal.Present("fields.security_waiver"), deal.HasArtifact("nda"),
		)}, []string{"fields.security_waiver", "stakeholders", "onboarding.live_at", "next_step"}, []string{"security_questionnaire", "nda"}},
		{"named", deal.Criterion{Rule: deal.Named("tier", deal.Present("fields.tier"))}, []string{"fields.tier"}, nil},
		{"unified kinds", deal.Criterion{Rule: deal.AnyOf(deal.FitViable(), deal.ScopeApproved(), deal.DiscrepanciesResolved(), deal.RequirementsGathered("workflow"))},
			[]string{"qualification.fit", "scope", "discovery.requirements"}, nil},
		{"host rule", deal.Criterion{Field: "fields.x", Rule: deal.Named("h", host)}, nil, nil},
		{"nil rule", deal.Criterion{}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, artifacts := tt.c.Reads()
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.artifacts, artifacts); diff != "" {
				t.Errorf("artifacts (-want +got):\n%s", diff)
			}
		})
	}
}
