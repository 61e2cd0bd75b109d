package deal_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/google/go-cmp/cmp"
)

func kinds[T any, K ~string](xs []T, kind func(T) K) []string {
	var out []string
	for _, x := range xs {
		out = append(out, string(kind(x)))
	}
	return out
}

func TestRisks(t *testing.T) {
	p := deal.Default()
	day := 24 * time.Hour
	riskKind := func(r deal.Risk) deal.RiskKind { return r.Kind }
	tests := []struct {
		name  string
		stage deal.StageID
		edit  func(d *deal.Deal, at time.Time)
		after time.Duration
		want  []string
	}{
		{"healthy", deal.StageProposal, func(*deal.Deal, time.Time) {}, 0, nil},
		{"next step in the past", deal.StageDiscovery, func(d *deal.Deal, at time.Time) { d.NextStep.At = at.Add(-time.Minute) }, 0, []string{"no_next_step"}},
		{"single-threaded from solution alignment", deal.StageSolutionAlignment, func(d *deal.Deal, _ time.Time) {
			d.Stakeholders[1].Engaged, d.Stakeholders[2].Engaged = false, false
		}, 0, []string{"single_threaded"}},
		{"single-threaded is fine in discovery", deal.StageDiscovery, func(d *deal.Deal, _ time.Time) { d.Stakeholders = nil }, 0, nil},
		{"no business case from business case", deal.StageBusinessCase, func(d *deal.Deal, _ time.Time) { d.BusinessCase.Impact = usd("0") }, 0, []string{"no_business_case"}},
		{"no business case is fine in alignment", deal.StageSolutionAlignment, func(d *deal.Deal, _ time.Time) { d.BusinessCase = deal.BusinessCase{} }, 0, nil},
		{"stalled past 21 days in discovery", deal.StageDiscovery, func(d *deal.Deal, at time.Time) {
			d.NextStep.At = at.Add(30 * day)
		}, 21*day + time.Minute, []string{"stalled"}},
		{"not stalled at exactly 21 days", deal.StageDiscovery, func(d *deal.Deal, at time.Time) {
			d.NextStep.At = at.Add(30 * day)
		}, 21 * day, nil},
		{"close date passed", deal.StageDiscovery, func(d *deal.Deal, at time.Time) {
			d.CloseDate = at.Add(-day)
		}, 0, []string{"close_date_passed"}},
		{"close date today is not passed", deal.StageDiscovery, func(d *deal.Deal, at time.Time) {
			d.CloseDate = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		}, 0, nil},
		{"a won deal in handoff has no close-date risks", deal.StageHandoff, func(d *deal.Deal, at time.Time) {
			_ = d.SetCloseDate(at.Add(10*day), rep, at)
			_ = d.SetCloseDate(at.Add(20*day), rep, at)
			d.NextStep = deal.NextStep{}
		}, 40 * day, []string{"no_next_step", "stalled"}},
		{"slipped twice", deal.StageDiscovery, func(d *deal.Deal, at time.Time) {
			_ = d.SetCloseDate(at.Add(10*day), rep, at)
			_ = d.SetCloseDate(at.Add(20*day), rep, at)
			_ = d.SetCloseDate(at.Add(15*day), rep, at)
			_ = d.SetCloseDate(at.Add(40*day), rep, at)
		}, 0, []string{"close_date_slipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, at := openAt(p, tt.stage, t0)
			tt.edit(&d, at)
			risks := p.Risks(&d, at.Add(tt.after))
			if diff := cmp.Diff(tt.want, kinds(risks, riskKind)); diff != "" {
				t.Fatalf("risks (-want +got):\n%s\n%+v", diff, risks)
			}
		})
	}
	t.Run("counts", func(t *testing.T) {
		d, at := openAt(p, deal.StageDiscovery, t0)
		_ = d.SetCloseDate(at.Add(10*day), rep, at)
		_ = d.SetCloseDate(at.Add(20*day), rep, at)
		_ = d.SetCloseDate(at.Add(30*day), rep, at)
		d.NextStep.At = at.Add(60 * day)
		risks := p.Risks(&d, at.Add(23*day+time.Hour))
		want := []deal.Risk{
			{Kind: deal.RiskStalled, Count: 3, Message: "In Discovery for longer than its healthy 21 days."},
			{Kind: deal.RiskCloseDateSlipped, Count: 2, Message: "The close date was moved later 2 time(s)."},
		}
		if diff := cmp.Diff(want, risks); diff != "" {
			t.Fatalf("risks (-want +got):\n%s", diff)
		}
	})
	t.Run("won and lost deals carry no pipeline risk", func(t *testing.T) {
		d, at := openAt(p, deal.StageHandoff, t0)
		_ = p.Advance(&d, rep, at)
		d.NextStep = deal.NextStep{}
		if r := p.Risks(&d, at.Add(90*day)); r != nil {
			t.Fatalf("live deal: %v", r)
		}
	})
}

func TestTriggers(t *testing.T) {
	p := deal.Default()
	day := 24 * time.Hour
	actionKind := func(a deal.Action) deal.ActionKind { return a.Kind }

	d, at := openAt(p, deal.StageProposal, t0)
	if got := kinds(p.Triggers(&d, at.Add(3*day-time.Second)), actionKind); got != nil {
		t.Fatalf("before 3 days in proposal: %v", got)
	}
	follow := p.Triggers(&d, at.Add(3*day))
	if diff := cmp.Diff([]string{"follow_up_task"}, kinds(follow, actionKind)); diff != "" {
		t.Fatalf("at 3 days (-want +got):\n%s", diff)
	}
	if !follow[0].Due.Equal(at.Add(3*day)) || follow[0].Owner != rep.ID || follow[0].To != "sales_rep" {
		t.Fatalf("follow-up: %+v", follow[0])
	}
	again := p.Triggers(&d, at.Add(5*day))
	if again[0].Key != follow[0].Key {
		t.Fatalf("the same situation must keep its key: %q then %q", follow[0].Key, again[0].Key)
	}

	// Idle: 14 days with no activity in the stage; an activity resets it.
	if got := kinds(p.Triggers(&d, at.Add(14*day)), actionKind); !cmp.Equal(got, []string{"follow_up_task", "idle_alert"}) {
		t.Fatalf("at 14 idle days: %v", got)
	}
	d.Activities = append(d.Activities, deal.Activity{Kind: "call", At: at.Add(10 * day), By: rep.ID})
	if got := kinds(p.Triggers(&d, at.Add(23*day)), actionKind); !cmp.Equal(got, []string{"follow_up_task"}) {
		t.Fatalf("9 days after the last activity: %v", got)
	}
	if got := kinds(p.Triggers(&d, at.Add(24*day)), actionKind); !cmp.Equal(got, []string{"follow_up_task", "idle_alert"}) {
		t.Fatalf("14 days after the last activity: %v", got)
	}

	// Won: a handoff notice to implementation, until the deal moves on.
	wonAt := at.Add(25 * day)
	if err := p.Advance(&d, rep, wonAt); err != nil {
		t.Fatal(err)
	}
	notice := p.Triggers(&d, wonAt)
	want := []deal.Action{{
		Kind: deal.ActionHandoffNotice, DealID: "d-1", To: "implementation_lead", Owner: rep.ID, Due: wonAt,
		Key:     notice[0].Key,
		Message: "d-1 was won: start the handoff to implementation.",
	}}
	if diff := cmp.Diff(want, notice); diff != "" {
		t.Fatalf("handoff notice (-want +got):\n%s", diff)
	}
	if err := p.Advance(&d, lead, wonAt.Add(day)); err != nil {
		t.Fatal(err)
	}
	if got := p.Triggers(&d, wonAt.Add(30*day)); got != nil {
		t.Fatalf("live deal: %v", got)
	}
}

func TestTimeByStage(t *testing.T) {
	p := deal.Default()
	hour := time.Hour
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	fill(&d, t0)
	steps := []func(at time.Time) error{
		func(at time.Time) error { return p.Open(&d, rep, at) },
		func(at time.Time) error { return p.Advance(&d, rep, at) },                                 // qualification
		func(at time.Time) error { return p.Advance(&d, rep, at) },                                 // discovery
		func(at time.Time) error { return p.Revert(&d, deal.StageQualification, "why", rep, at) },  // back
		func(at time.Time) error { return p.Advance(&d, rep, at) },                                 // discovery again
		func(at time.Time) error { return p.Lose(&d, deal.LossTiming, "", rep, at) },               // lost
		func(at time.Time) error { return p.Reopen(&d, deal.StageDiscovery, "back", manager, at) }, // discovery
	}
	at := t0
	for i, step := range steps {
		if err := step(at); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		at = at.Add(time.Duration(i+1) * hour)
	}
	// Stays: targeting 1h, qualification 2h + 4h, discovery 3h + 5h + (now), lost 6h.
	now := at.Add(-7*hour + 10*hour)
	want := map[deal.StageID]time.Duration{
		deal.StageTargeting:     1 * hour,
		deal.StageQualification: 6 * hour,
		deal.StageDiscovery:     18 * hour,
		deal.StageLost:          6 * hour,
	}
	if diff := cmp.Diff(want, d.TimeByStage(now)); diff != "" {
		t.Fatalf("time by stage (-want +got):\n%s", diff)
	}
	if got := d.TimeInStage(now); got != 10*hour {
		t.Fatalf("time in stage %v, want 10h", got)
	}
	if got := d.TimeInStage(d.StageEnteredAt.Add(-hour)); got != 0 {
		t.Fatalf("time in stage before entry %v, want 0", got)
	}
}
