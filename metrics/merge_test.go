package metrics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// TestMergeRefusesVariants: accumulators of two processes with the same
// stage IDs but different criteria or probabilities do not merge (merging
// them panicked, or gave an answer that depended on the order).
func TestMergeRefusesVariants(t *testing.T) {
	base := deal.Default()
	variant, err := base.Derive(deal.Variant{ID: "v", Stages: []deal.StageChange{{Stage: tg, AddExit: []deal.Criterion{
		{ID: "x", Description: "x", Rule: deal.Present("account")},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(40 * day)
	a, _ := metrics.NewHygiene(variant, metrics.HygieneOptions{Now: now})
	b, _ := metrics.NewHygiene(base, metrics.HygieneOptions{Now: now})
	_ = b.Add(mkDeal("A", "", step{tg, 0, ""}))
	if err := a.Merge(b); err == nil || !strings.Contains(err.Error(), "different process") {
		t.Errorf("merging hygiene of a variant: %v; want a refusal", err)
	}

	cfg := base.Config()
	cfg.Stages[0].Probability = cfg.Stages[0].Probability.Div(cfg.Stages[0].Probability.Add(cfg.Stages[0].Probability))
	other, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := metrics.NewPipelineValue(base, metrics.ValueOptions{})
	v2, _ := metrics.NewPipelineValue(other, metrics.ValueOptions{})
	if err := v1.Merge(v2); err == nil {
		t.Error("merged pipeline values of processes with different probabilities")
	}
}

// TestMergeRefusesOtherZones: two unnamed fixed zones are different zones.
func TestMergeRefusesOtherZones(t *testing.T) {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	to := from.Add(7 * day)
	a, _ := metrics.NewActivity(metrics.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 0)})
	b, _ := metrics.NewActivity(metrics.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 3600)})
	if err := b.Add(deal.Activity{By: "r", At: to.Add(-30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(b); err == nil {
		t.Fatal("merged activity kept in two different zones")
	}
	_ = a.Result() // and nothing panics
	same, _ := metrics.NewActivity(metrics.ActivityOptions{From: from, To: to, Location: time.FixedZone("", 0)})
	if err := a.Merge(same); err != nil {
		t.Errorf("two fixed zones at the same offset: %v", err)
	}
}
