package assess_test

import (
	"testing"

	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var usd = moneytest.USD

func TestMaturity(t *testing.T) {
	r := func(n, d int64) metrics.Rate { return metrics.Rate{Num: n, Den: d} }
	stage3 := assess.MaturityFigures{
		SystemOfRecord: true, DefinedProcess: true,
		WeeklyActive: r(9, 10), RequiredFields: r(96, 100), Idle: r(15, 100), Duplicates: r(5, 100),
		Forecast: metrics.ForecastAccuracy{Actual: usd("100"), AbsError: usd("20")}, // 80%
		// Stage 4 and 5 figures, partly met.
		DiscoveryQuality: r(7, 10), MultiThreaded: r(1, 2), PeriodEndClustering: r(3, 10),
	}
	got, err := assess.Maturity(stage3)
	if err != nil {
		t.Fatal(err)
	}
	names := func(cs []assess.MaturityCriterion) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got.Stage != 3 || got.Name != "managed" {
		t.Errorf("Stage = %d %q, want 3 managed", got.Stage, got.Name)
	}
	wantMet := []string{"system_of_record", "weekly_active_50", "defined_process", "weekly_active_80", "required_fields_80",
		"required_fields_95", "idle_20", "duplicates_5", "forecast_75", "discovery_quality_70", "period_end_30"}
	if diff := cmp.Diff(wantMet, names(got.Met)); diff != "" {
		t.Errorf("Met (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"forecast_85", "multi_threaded_60", "idle_10"}, names(got.Missing)); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}

	// Nothing measured: pre-CRM, and what adoption needs.
	got, err = assess.Maturity(assess.MaturityFigures{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != 0 || got.Met != nil || !cmp.Equal(names(got.Missing), []string{"system_of_record", "weekly_active_50"}) {
		t.Errorf("Maturity of nothing = %+v, want stage 0 missing system_of_record and weekly_active_50", got)
	}
	// A later stage met does not count while an earlier one is not.
	got, _ = assess.Maturity(assess.MaturityFigures{SystemOfRecord: true, WeeklyActive: r(1, 10), DefinedProcess: true, RequiredFields: r(1, 1)})
	if got.Stage != 0 {
		t.Errorf("Stage = %d, want 0: weekly activity is below 50%%", got.Stage)
	}
	_, err = assess.Maturity(assess.MaturityFigures{Idle: r(2, 1), Duplicates: r(-1, 3)})
	if diff := cmp.Diff([]string{"idle", "duplicates"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("invalid figures (-want +got):\n%s", diff)
	}
	if n := len(assess.MaturityModel()); n != 17 {
		t.Errorf("MaturityModel has %d criteria, want 17", n)
	}
}

func TestScore(t *testing.T) {
	w := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	criteria := []assess.ScoreCriterion{
		{ID: assess.WorkflowFit, Name: "Workflow fit", Weight: w("0.4")},
		{ID: "cost", Name: "Total cost", Weight: w("0.3")},
		{ID: "integrations", Name: "Integrations", Weight: w("0.3")},
	}
	got, err := assess.Score(criteria, []assess.VendorScores{
		{Vendor: "Alpha", Scores: map[string]int{assess.WorkflowFit: 3, "cost": 5, "integrations": 5}}, // 4.2, but eliminated
		{Vendor: "Beta", Scores: map[string]int{assess.WorkflowFit: 4, "cost": 4, "integrations": 3}},  // 3.7
		{Vendor: "Gamma", Scores: map[string]int{assess.WorkflowFit: 5, "cost": 3, "integrations": 3}}, // 3.8
		{Vendor: "Delta", Scores: map[string]int{assess.WorkflowFit: 5, "cost": 2, "integrations": 4}}, // 3.8
	})
	if err != nil {
		t.Fatal(err)
	}
	want := assess.Scorecard{
		Ranking: []assess.VendorResult{
			{Vendor: "Delta", Total: w("3.8")}, {Vendor: "Gamma", Total: w("3.8")},
			{Vendor: "Beta", Total: w("3.7")}, {Vendor: "Alpha", Total: w("4.2"), Eliminated: true},
		},
		Winners: []string{"Delta", "Gamma"},
	}
	if diff := cmp.Diff(want, got, calctest.MoneyEqual); diff != "" {
		t.Errorf("Score (-want +got):\n%s", diff)
	}
	_, err = assess.Score([]assess.ScoreCriterion{{ID: "cost", Weight: w("0")}, {ID: "cost", Weight: w("1")}},
		[]assess.VendorScores{{Vendor: "A", Scores: map[string]int{"cost": 6, "speed": 3}}, {Vendor: "A"}})
	wantFields := []string{"criteria[0].weight", "criteria[1].id", "criteria", "vendors[0].scores.cost", "vendors[0].scores.cost",
		"vendors[0].scores.speed", "vendors[1].vendor", "vendors[1].scores.cost", "vendors[1].scores.cost"}
	if diff := cmp.Diff(wantFields, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("invalid scorecard fields (-want +got):\n%s\n%v", diff, err)
	}
}

// TestRatesBounded checks Num ≤ Den in every result, for the calculators
// not covered above.
func TestRatesBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		calctest.CheckRates(t, metrics.Rate{Num: 1, Den: 1}) // the walker itself
		vendors := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) assess.VendorScores {
			return assess.VendorScores{Vendor: rapid.StringMatching(`v[0-9]`).Draw(t, "vendor"), Scores: map[string]int{
				assess.WorkflowFit: rapid.IntRange(1, 5).Draw(t, "fit"), "cost": rapid.IntRange(1, 5).Draw(t, "cost"),
			}}
		}), 0, 4).Draw(t, "vendors")
		_, _ = assess.Score([]assess.ScoreCriterion{{ID: assess.WorkflowFit, Weight: decimal.New(3, -1)}, {ID: "cost", Weight: decimal.New(7, -1)}}, vendors)
	})
}
