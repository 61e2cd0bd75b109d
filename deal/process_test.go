package deal_test

import (
	"errors"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func TestNewProcessReportsEveryProblem(t *testing.T) {
	ok := deal.Criterion{ID: "c", Description: "d", Rule: deal.Present("segment")}
	cfg := deal.Config{
		ClosedWon:     "nowhere",
		IdleAlertDays: -1,
		Stages: []deal.Stage{
			{ID: "a", Name: "A", HealthyDays: -1, FollowUpDays: -2, Probability: decimal.NewFromFloat(1.5),
				Entry: []deal.Criterion{ok, ok},
				Exit: []deal.Criterion{
					{Description: "no id", Rule: deal.Present("segment")},
					{ID: "r", Description: "nil rule"},
					{ID: "f", Description: "bad field", Rule: deal.Present("segmnet")},
					{ID: "e", Description: "bad n", Rule: deal.Engaged(deal.RoleChampion, 0)},
					{ID: "g", Description: "bad role", Rule: deal.Engaged("boss", 1)},
					{ID: "h", Description: "no kind", Rule: deal.HasArtifact("")},
					{ID: "i", Description: "bad days", Rule: deal.NextStepWithin(0)},
					{ID: "j", Description: "empty any", Rule: deal.AnyOf()},
					{ID: "k", Description: "bad date", Rule: deal.Reached("segment")},
					{ID: "l", Description: "nil func", Rule: deal.RuleFunc(nil)},
				}},
			{ID: "a", Name: "dup"},
			{ID: deal.StageLost, Name: "Lost"},
			{ID: "has space", Name: "S"},
			{Name: "no id"},
		},
	}
	_, err := deal.NewProcess(cfg)
	if !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	want := []string{
		"stages[0].healthy_days",
		"stages[0].follow_up_days",
		"stages[0].probability",
		"stages[0].entry[1].id",
		"stages[0].exit[0].id",
		"stages[0].exit[1].rule",
		"stages[0].exit[2].rule",
		"stages[0].exit[3].rule",
		"stages[0].exit[4].rule",
		"stages[0].exit[5].rule",
		"stages[0].exit[6].rule",
		"stages[0].exit[7].rule",
		"stages[0].exit[8].rule",
		"stages[0].exit[9].rule",
		"stages[1].id",
		"stages[2].id",
		"stages[3].id",
		"stages[4].id",
		"closed_won",
		"idle_alert_days",
	}
	if diff := cmp.Diff(want, errtest.Fields(err)); diff != "" {
		t.Fatalf("fields (-want +got):\n%s\n%v", diff, err)
	}
	if _, err := deal.NewProcess(deal.Config{}); !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("empty config: want ErrInvalid, got %v", err)
	}
	if _, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "a", Name: "A"}}, ClosedWon: "a"}); err == nil {
		t.Fatal("closed won on the first stage: want an error")
	}
}

// TestProcessIsImmutable checks that changing the config after NewProcess,
// or the stages returned by Stages, does not change the process.
func TestProcessIsImmutable(t *testing.T) {
	cfg := deal.Config{Stages: []deal.Stage{
		{ID: "a", Name: "A", Exit: []deal.Criterion{{ID: "seg", Description: "Segment.", Rule: deal.Present("segment")}}},
		{ID: "b", Name: "B"},
	}}
	p, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Stages[0].Exit[0] = deal.Criterion{ID: "x", Description: "X", Rule: deal.RuleFunc(func(*deal.Deal, time.Time) bool { return false })}
	cfg.Stages[0].Name = "changed"
	got := p.Stages()
	got[0].Exit[0].ID = "y"
	s, _ := p.Stage("a")
	if s.Name != "A" || s.Exit[0].ID != "seg" {
		t.Fatalf("process changed through shared slices: %+v", s)
	}
	d := deal.Deal{ID: "d", Owner: "o", Segment: "smb"}
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	if err := p.Advance(&d, rep, t0); err != nil {
		t.Fatalf("the original criterion should decide: %v", err)
	}
}

func TestStageAccessors(t *testing.T) {
	p := deal.Default()
	for _, tt := range []struct {
		from, next deal.StageID
		ok         bool
	}{
		{deal.StageTargeting, deal.StageQualification, true},
		{deal.StageProposal, deal.StageHandoff, true},
		{deal.StageHandoff, deal.StageLive, true},
		{deal.StageLive, "", false},
		{deal.StageLost, "", false},
		{"nope", "", false},
	} {
		next, ok := p.StageAfter(tt.from)
		if next != tt.next || ok != tt.ok {
			t.Errorf("Next(%s) = %s, %v; want %s, %v", tt.from, next, ok, tt.next, tt.ok)
		}
	}
	if _, ok := p.Stage(deal.StageLive); ok {
		t.Error("Stage(live) should not be an open stage")
	}
	s, _ := p.Stage(deal.StageProposal)
	if diff := cmp.Diff([]string{deal.ArtifactSignedAgreement}, s.RequiredArtifacts()); diff != "" {
		t.Errorf("proposal artifacts (-want +got):\n%s", diff)
	}
	if p.ClosedWon() != deal.StageHandoff {
		t.Errorf("closed won = %s", p.ClosedWon())
	}
}

// TestRules covers each built-in rule at its edges.
func TestRules(t *testing.T) {
	now := t0
	base := func() deal.Deal { return deal.Deal{ID: "d"} }
	tests := []struct {
		name string
		rule deal.Rule
		edit func(d *deal.Deal)
		want bool
	}{
		{"present: blank string", deal.Present("segment"), func(d *deal.Deal) { d.Segment = "  " }, false},
		{"present: string", deal.Present("segment"), func(d *deal.Deal) { d.Segment = "smb" }, true},
		{"present: list of blanks", deal.Present("discovery.success_criteria"), func(d *deal.Deal) { d.Discovery.SuccessCriteria = []string{"", " "} }, false},
		{"present: list", deal.Present("discovery.success_criteria"), func(d *deal.Deal) { d.Discovery.SuccessCriteria = []string{"", "x"} }, true},
		{"present: zero impact", deal.Present("business_case.impact"), func(d *deal.Deal) { d.BusinessCase.Impact = usd("0") }, false},
		{"present: impact", deal.Present("business_case.impact"), func(d *deal.Deal) { d.BusinessCase.Impact = usd("10") }, true},
		{"present: unknown fit", deal.Present("qualification.fit"), func(d *deal.Deal) { d.Qualification.Fit = "great" }, false},
		{"present: not a fit is a label", deal.Present("qualification.fit"), func(d *deal.Deal) { d.Qualification.Fit = deal.FitNone }, true},
		{"present: host field", deal.Present("fields.po"), func(d *deal.Deal) { d.Fields = map[string]string{"po": "123"} }, true},
		{"present: missing host field", deal.Present("fields.po"), func(d *deal.Deal) {}, false},
		{"present: date", deal.Present("close_date"), func(d *deal.Deal) { d.CloseDate = now }, true},
		{"present: term 0", deal.Present("commercials.term_months"), func(d *deal.Deal) {}, false},
		{"reached: future", deal.Reached("onboarding.live_at"), func(d *deal.Deal) { d.Onboarding.LiveAt = now.Add(time.Second) }, false},
		{"reached: now", deal.Reached("onboarding.live_at"), func(d *deal.Deal) { d.Onboarding.LiveAt = now }, true},
		{"engaged: not engaged", deal.Engaged(deal.RoleChampion, 1), func(d *deal.Deal) { d.Stakeholders = []deal.Stakeholder{{Name: "a", Role: deal.RoleChampion}} }, false},
		{"engaged: other role", deal.Engaged(deal.RoleChampion, 1), func(d *deal.Deal) {
			d.Stakeholders = []deal.Stakeholder{{Name: "a", Role: deal.RoleUser, Engaged: true}}
		}, false},
		{"engaged: any role", deal.Engaged("", 2), func(d *deal.Deal) {
			d.Stakeholders = []deal.Stakeholder{{Name: "a", Role: deal.RoleUser, Engaged: true}, {Name: "b", Role: deal.RoleLegal, Engaged: true}}
		}, true},
		{"artifact: no ref", deal.HasArtifact("x"), func(d *deal.Deal) { d.Artifacts = []deal.Artifact{{Kind: "x"}} }, false},
		{"artifact", deal.HasArtifact("x"), func(d *deal.Deal) { d.Artifacts = []deal.Artifact{{Kind: "y", Ref: "1"}, {Kind: "x", Ref: "2"}} }, true},
		{"next step: none", deal.NextStepWithin(14), func(d *deal.Deal) {}, false},
		{"next step: past", deal.NextStepWithin(14), func(d *deal.Deal) { d.NextStep = deal.NextStep{At: now.Add(-time.Second), Purpose: "p"} }, false},
		{"next step: no purpose", deal.NextStepWithin(14), func(d *deal.Deal) { d.NextStep = deal.NextStep{At: now} }, false},
		{"next step: at the limit", deal.NextStepWithin(14), func(d *deal.Deal) { d.NextStep = deal.NextStep{At: now.AddDate(0, 0, 14), Purpose: "p"} }, true},
		{"next step: beyond", deal.NextStepWithin(14), func(d *deal.Deal) {
			d.NextStep = deal.NextStep{At: now.AddDate(0, 0, 14).Add(time.Second), Purpose: "p"}
		}, false},
		{"any of: second", deal.AnyOf(deal.Present("segment"), deal.Present("account")), func(d *deal.Deal) { d.Account = "a" }, true},
		{"any of: none", deal.AnyOf(deal.Present("segment"), deal.Present("account")), func(d *deal.Deal) {}, false},
	}
	for _, tt := range tests {
		d := base()
		tt.edit(&d)
		if got := tt.rule.Met(&d, now); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
