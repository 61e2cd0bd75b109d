package assess_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestRolloutEvidence: each exit criterion of the CRM rollout, held and
// not, with the exact message.
func TestRolloutEvidence(t *testing.T) {
	card, err := assess.Score([]assess.ScoreCriterion{{ID: assess.WorkflowFit, Weight: decimal.NewFromInt(3)}, {ID: "cost", Weight: decimal.NewFromInt(1)}},
		[]assess.VendorScores{
			{Vendor: "Acme", Scores: map[string]int{assess.WorkflowFit: 5, "cost": 2}},
			{Vendor: "Bolt", Scores: map[string]int{assess.WorkflowFit: 3, "cost": 5}},
		})
	if err != nil {
		t.Fatal(err)
	}
	good := assess.MaturityFigures{DefinedProcess: true, RequiredFields: metrics.Rate{Num: 9, Den: 10}, Duplicates: metrics.Rate{Num: 1, Den: 50}, WeeklyActive: metrics.Rate{Num: 7, Den: 10}}
	tests := []struct {
		name string
		ev   assess.RolloutEvidence
		id   string
		ok   bool
		msg  string
	}{
		{"process mapped", assess.RolloutEvidence{ProcessMapped: true}, scope.ExitProcessMapped, true, ""},
		{"data not mapped", assess.RolloutEvidence{}, scope.ExitDataMapped, false, ""},
		{"no scorecard", assess.RolloutEvidence{}, scope.ExitVendorsScored, false, "Score the vendors on the weighted scorecard."},
		{"the winner", assess.RolloutEvidence{Scorecard: card}, scope.ExitVendorsScored, true, ""},
		{"an eliminated pick", assess.RolloutEvidence{Scorecard: card, Pick: "Bolt"}, scope.ExitVendorsScored, false, "Pick another vendor: Bolt has a workflow fit below 4."},
		{"an unscored pick", assess.RolloutEvidence{Scorecard: card, Pick: "Zed"}, scope.ExitVendorsScored, false, "Score Zed on the scorecard: it is not ranked."},
		{"required fields", assess.RolloutEvidence{Figures: good}, scope.ExitRequiredFields, true, ""},
		{"fields unfilled", assess.RolloutEvidence{Figures: assess.MaturityFigures{DefinedProcess: true, RequiredFields: metrics.Rate{Num: 7, Den: 10}}}, scope.ExitRequiredFields, false,
			"At least 80% of required fields are complete."},
		{"bad figures", assess.RolloutEvidence{Figures: assess.MaturityFigures{Idle: metrics.Rate{Num: 2, Den: 1}}}, scope.ExitRequiredFields, false,
			"Measure the maturity figures: idle: must have 0 ≤ num ≤ den; got 2/1"},
		{"deduplicated before migration", assess.RolloutEvidence{Figures: good}, scope.ExitDataDeduplicated, false, "Migrate the data first: deduplication is measured on the migrated records."},
		{"deduplicated", assess.RolloutEvidence{Figures: good, DataMigrated: true}, scope.ExitDataDeduplicated, true, ""},
		{"duplicates left", assess.RolloutEvidence{Figures: assess.MaturityFigures{Duplicates: metrics.Rate{Num: 3, Den: 50}}, DataMigrated: true}, scope.ExitDataDeduplicated, false,
			"At most 5% of records have a duplicate."},
		{"nobody listed", assess.RolloutEvidence{}, scope.ExitUsersTrained, false, "List every user with their own workflow."},
		{"trained on another workflow", assess.RolloutEvidence{
			Workflows: map[string]string{"u-1": "sdr", "u-2": "ae", "u-3": "ae"},
			Trained:   map[string][]string{"u-1": {"sdr"}, "u-2": {"sdr"}},
		}, scope.ExitUsersTrained, false, "Train 2 of 3 users on their own workflow: u-2, u-3."},
		{"all trained", assess.RolloutEvidence{Workflows: map[string]string{"u-1": "sdr"}, Trained: map[string][]string{"u-1": {"ae", "sdr"}}}, scope.ExitUsersTrained, true, ""},
		{"adoption unmeasured", assess.RolloutEvidence{AdoptionReviewed: true}, scope.ExitAdoptionReviewed, false, "Measure adoption: the weekly active share of the team is not measured."},
		{"adoption not reviewed", assess.RolloutEvidence{Figures: good}, scope.ExitAdoptionReviewed, false,
			"Review adoption against the targets: weekly active 70.00% (7/10) is below the target of 80%."},
		{"adoption not reviewed, on target", assess.RolloutEvidence{Figures: good, WeeklyActiveTarget: 70}, scope.ExitAdoptionReviewed, false,
			"Review adoption against the targets: weekly active 70.00% (7/10) meets the target of 70%."},
		{"adoption reviewed", assess.RolloutEvidence{Figures: good, AdoptionReviewed: true}, scope.ExitAdoptionReviewed, true, ""},
		{"unknown", assess.RolloutEvidence{}, "party", false, `No evidence answers criterion "party".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, msg := tt.ev.Holds(tt.id)
			if ok != tt.ok || msg != tt.msg {
				t.Errorf("Holds(%s) = %v, %q; want %v, %q", tt.id, ok, msg, tt.ok, tt.msg)
			}
		})
	}
}

// TestRolloutEvidenceProperties: on random scorecards the pick holds
// exactly when its workflow fit is at least 4, and on random trainings the
// users are trained exactly when each has a training on their own
// workflow.
func TestRolloutEvidenceProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fits := rapid.SliceOfN(rapid.IntRange(1, 5), 1, 4).Draw(t, "fits")
		var vendors []assess.VendorScores
		for i, f := range fits {
			vendors = append(vendors, assess.VendorScores{Vendor: fmt.Sprintf("v%d", i), Scores: map[string]int{assess.WorkflowFit: f}})
		}
		card, err := assess.Score([]assess.ScoreCriterion{{ID: assess.WorkflowFit, Weight: decimal.NewFromInt(1)}}, vendors)
		if err != nil {
			t.Fatal(err)
		}
		pick := rapid.IntRange(0, len(fits)-1).Draw(t, "pick")
		ok, msg := (&assess.RolloutEvidence{Scorecard: card, Pick: vendors[pick].Vendor}).Holds(scope.ExitVendorsScored)
		if ok != (fits[pick] >= 4) || ok == (msg != "") {
			t.Fatalf("pick %s with fit %d: holds %v, %q", vendors[pick].Vendor, fits[pick], ok, msg)
		}

		ev := assess.RolloutEvidence{Workflows: map[string]string{}, Trained: map[string][]string{}}
		want := true
		for i := range rapid.IntRange(1, 5).Draw(t, "users") {
			u := fmt.Sprintf("u%d", i)
			ev.Workflows[u] = rapid.SampledFrom([]string{"sdr", "ae", "cs"}).Draw(t, "workflow")
			ev.Trained[u] = rapid.SliceOfN(rapid.SampledFrom([]string{"sdr", "ae", "cs"}), 0, 2).Draw(t, "trained")
			want = want && slices.Contains(ev.Trained[u], ev.Workflows[u])
		}
		if ok, msg := ev.Holds(scope.ExitUsersTrained); ok != want || ok == (msg != "") {
			t.Fatalf("workflows %v, trained %v: holds %v, %q", ev.Workflows, ev.Trained, ok, msg)
		}
	})
}
