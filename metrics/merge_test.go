package metrics_test

import (
	"strings"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// TestMergeRefusesVariants: accumulators of two processes with the same
// stage IDs but different criteria or probabilities do not merge (merging
// them panicked, or gave an answer that depended on the order).
func TestMergeRefusesVariants(t *testing.T) {
	base := deal.Default()
	variant := variantOf(t, base, tg)
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
