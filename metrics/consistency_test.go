package metrics_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// smbProcess is a three-stage process: qualify (exit: a why-now), propose
// (entry: a budget; exit: a next step within 14 days and a proposal), won.
func smbProcess(t fataler, id string) *deal.Process {
	p, err := deal.NewProcess(deal.Config{ID: id, ClosedWon: "won", Stages: []deal.Stage{
		{ID: "qualify", Name: "Qualify", Exit: []deal.Criterion{{ID: "why_now", Description: "Say why now.", Rule: deal.Present("qualification.why_now")}}},
		{ID: "propose", Name: "Propose",
			Entry: []deal.Criterion{{ID: "budget", Description: "Record the budget.", Rule: deal.Present("fields.budget")}},
			Exit: []deal.Criterion{
				{ID: "next", Description: "Schedule the next step.", Rule: deal.NextStepWithin(14)},
				{ID: "proposal", Description: "Attach the proposal.", Rule: deal.HasArtifact("proposal")},
			}},
		{ID: "won", Name: "Won"},
	}})
	if err != nil {
		t.Fatalf("process: %v", err)
	}
	return p
}

// consistencyDeals returns three deals of smbProcess: d1 moved through the
// process by a, with every field and an activity in each stage; d2, by b,
// set to won by hand from qualify, skipping propose, with no why-now and
// no activity; d3, by b, opened and in qualify with an activity.
func consistencyDeals(t fataler, p *deal.Process) []*deal.Deal {
	a := accord.Actor{ID: "a", Role: accord.RoleSalesRep}
	b := accord.Actor{ID: "b", Role: accord.RoleSalesRep}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	check := func(err error) {
		if err != nil {
			t.Fatalf("%v", err)
		}
	}
	d1 := &deal.Deal{ID: "d1", Owner: "a", Fields: map[string]string{"budget": "40k"}}
	check(p.Open(d1, a, day(0)))
	d1.Qualification.WhyNow = "renewal of the old CRM in May"
	d1.Activities = append(d1.Activities, deal.Activity{Kind: "call", At: day(1), By: "a"})
	check(p.Advance(d1, a, day(2)))
	d1.NextStep = deal.NextStep{At: day(6), Purpose: "review the proposal"}
	d1.Artifacts = append(d1.Artifacts, deal.Artifact{Kind: "proposal", Ref: "doc-1", AddedAt: day(3)})
	d1.Activities = append(d1.Activities, deal.Activity{Kind: "email", At: day(3), By: "a"})
	check(p.Advance(d1, a, day(4)))
	d1.Activities = append(d1.Activities, deal.Activity{Kind: "meeting", At: day(5), By: "a"})

	d2 := &deal.Deal{ID: "d2", Owner: "b", Stage: "won", StageEnteredAt: day(3), History: []deal.Event{
		{Kind: deal.EventOpen, To: "qualify", At: day(0), By: b},
		{Kind: deal.EventWon, From: "qualify", To: "won", At: day(3), By: b},
	}}

	d3 := &deal.Deal{ID: "d3", Owner: "b"}
	check(p.Open(d3, b, day(0)))
	d3.Activities = append(d3.Activities, deal.Activity{Kind: "call", At: day(1), By: "b"})
	return []*deal.Deal{d1, d2, d3}
}

func TestConsistency(t *testing.T) {
	p := smbProcess(t, "smb")
	c, err := metrics.NewConsistency(p, metrics.ConsistencyOptions{Teams: map[string]string{"a": "east", "b": "west"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range consistencyDeals(t, p) {
		if err := c.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add(&deal.Deal{ID: "empty"}); err == nil {
		t.Fatal("a deal with no history was accepted")
	}
	r := func(n, d int64) metrics.Rate { return metrics.Rate{Num: n, Den: d} }
	a := metrics.ConsistencyFigures{Deals: 1, ThroughProcess: r(1, 1), CriteriaHeld: r(2, 2), RequiredFields: r(3, 3), ActivityLogged: r(3, 3)}
	b := metrics.ConsistencyFigures{Deals: 2, ThroughProcess: r(1, 2), CriteriaHeld: r(0, 1), RequiredFields: r(0, 1), ActivityLogged: r(1, 3)}
	all := metrics.ConsistencyFigures{Deals: 3, ThroughProcess: r(2, 3), CriteriaHeld: r(2, 3), RequiredFields: r(3, 4), ActivityLogged: r(4, 6)}
	bFlags := func(group, key string, f metrics.ConsistencyFigures) []metrics.ConsistencyFlag {
		return []metrics.ConsistencyFlag{
			{Group: group, Key: key, Figure: metrics.FigureThroughProcess, Rate: f.ThroughProcess, Drag: []metrics.Drag{{Reason: "history[].to", Count: 1}}},
			{Group: group, Key: key, Figure: metrics.FigureCriteriaHeld, Rate: f.CriteriaHeld, Drag: []metrics.Drag{{Reason: "qualify/why_now", Count: 1}}},
			{Group: group, Key: key, Figure: metrics.FigureRequiredFields, Rate: f.RequiredFields, Drag: []metrics.Drag{{Reason: "qualification.why_now", Count: 1}}},
			{Group: group, Key: key, Figure: metrics.FigureActivityLogged, Rate: f.ActivityLogged, Drag: []metrics.Drag{{Reason: "qualify", Count: 1}, {Reason: "won", Count: 1}}},
		}
	}
	want := metrics.ConsistencyResult{
		Deals: 3, Rejected: 1, Target: 90, Overall: all,
		ByRep:     []metrics.ConsistencyGroup{{Key: "a", ConsistencyFigures: a}, {Key: "b", ConsistencyFigures: b}},
		ByTeam:    []metrics.ConsistencyGroup{{Key: "east", ConsistencyFigures: a}, {Key: "west", ConsistencyFigures: b}},
		ByVariant: []metrics.ConsistencyGroup{{Key: "smb", ConsistencyFigures: all}},
	}
	want.Flags = append(want.Flags, bFlags(metrics.GroupOverall, "", all)...)
	want.Flags = append(want.Flags, bFlags(metrics.GroupRep, "b", b)...)
	want.Flags = append(want.Flags, bFlags(metrics.GroupTeam, "west", b)...)
	want.Flags = append(want.Flags, bFlags(metrics.GroupVariant, "smb", all)...)
	got := c.Result()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

// TestConsistencyVariants: accumulators of two variants merge, told apart
// by the process's ID; two processes with one ID do not; other teams do
// not.
func TestConsistencyVariants(t *testing.T) {
	smb, ent := smbProcess(t, "smb"), smbProcess(t, "enterprise")
	a, _ := metrics.NewConsistency(smb, metrics.ConsistencyOptions{})
	b, _ := metrics.NewConsistency(ent, metrics.ConsistencyOptions{})
	for _, d := range consistencyDeals(t, smb) {
		_ = a.Add(d)
		_ = b.Add(d)
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	res := a.Result()
	if len(res.ByVariant) != 2 || res.ByVariant[0].Key != "enterprise" || res.ByVariant[1].Key != "smb" || res.Overall.Deals != 6 {
		t.Errorf("variants %+v, overall %+v", res.ByVariant, res.Overall)
	}
	other, _ := deal.NewProcess(deal.Config{ID: "smb", Stages: []deal.Stage{{ID: "only", Name: "Only"}}})
	o, _ := metrics.NewConsistency(other, metrics.ConsistencyOptions{})
	if err := a.Merge(o); err == nil {
		t.Error("merged two processes with one ID")
	}
	teams, _ := metrics.NewConsistency(smb, metrics.ConsistencyOptions{Teams: map[string]string{"a": "east"}})
	if err := a.Merge(teams); err == nil {
		t.Error("merged accumulators with other teams")
	}
	if _, err := metrics.NewConsistency(smb, metrics.ConsistencyOptions{Target: 101}); err == nil {
		t.Error("a target of 101% was accepted")
	}
}

// TestConsistencyMergeLaws: on generated histories, any split merged
// equals the whole, in any order; rates stay within bounds; and a deal
// moved only by the process's own moves counts as through the process.
func TestConsistencyMergeLaws(t *testing.T) {
	p := deal.Default()
	g := genHistoryDeal()
	calctest.CheckMergeLaws(t, calctest.Of("Consistency", g, func(*rapid.T) (*metrics.Consistency, error) {
		return metrics.NewConsistency(p, metrics.ConsistencyOptions{Teams: map[string]string{"u-1": "east", "u-2": "west"}})
	}, (*metrics.Consistency).Add))
	rapid.Check(t, func(t *rapid.T) {
		d := g.Draw(t, "deal")
		c, _ := metrics.NewConsistency(p, metrics.ConsistencyOptions{})
		if err := c.Add(d); err != nil {
			return
		}
		var rd deal.Reading
		through := p.Read(d, &rd) == nil
		if got := c.Result().Overall.ThroughProcess; got != (metrics.Rate{Num: map[bool]int64{true: 1}[through], Den: 1}) {
			t.Fatalf("through the process %v; Read says %v", got, through)
		}
	})
}
