package assess

import (
	"errors"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
)

// MaturityFigures are the measured figures the CRM maturity model reads,
// most of them results of the calculators of packages metrics and adoption. A Rate left at 0/0 is
// unmeasured and meets no criterion, and so does a zero ForecastAccuracy.
type MaturityFigures struct {
	// SystemOfRecord: deals live in the CRM, not in spreadsheets and
	// inboxes.
	SystemOfRecord bool `json:"system_of_record"`
	// WeeklyActive is the share of the sales team active in the CRM in a
	// week: the WAU of [github.com/accordhq/accord/metrics/adoption.ActivityResult] over the team's size.
	WeeklyActive metrics.Rate `json:"weekly_active"`
	// DefinedProcess: the pipeline has stages with entry and exit criteria
	// (a [deal.Process]).
	DefinedProcess bool `json:"defined_process"`
	// RequiredFields is required-field completion: the Fields rates of
	// [metrics.HygieneResult] summed over the stages.
	RequiredFields metrics.Rate `json:"required_fields"`
	// Idle is [metrics.HygieneResult].Idle: deals in the pipeline not updated in 14
	// days.
	Idle metrics.Rate `json:"idle"`
	// Duplicates is [github.com/accordhq/accord/metrics/adoption.DuplicateResult].Duplicates.
	Duplicates metrics.Rate `json:"duplicates"`
	// Forecast is the accuracy of the forecasts ([metrics.ForecastAccuracy]).
	Forecast metrics.ForecastAccuracy `json:"forecast"`
	// DiscoveryQuality and MultiThreaded are from [metrics.HealthResult].
	DiscoveryQuality metrics.Rate `json:"discovery_quality"`
	MultiThreaded    metrics.Rate `json:"multi_threaded"`
	// PeriodEndClustering is [metrics.PeriodEndResult].Clustering, for the last 14
	// days of the quarter.
	PeriodEndClustering metrics.Rate `json:"period_end_clustering"`
	// UnifiedDelivery: the implementation lead approves every Scope of
	// Work before the client signs or pays.
	UnifiedDelivery bool `json:"unified_delivery"`
}

// MaturityCriterion is one criterion of the maturity model. IDs are stable.
type MaturityCriterion struct {
	ID          string `json:"id"`
	Stage       int    `json:"stage"`
	Description string `json:"description"`
}

// MaturityResult is where an organisation stands in the maturity model.
type MaturityResult struct {
	// Stage is the highest stage whose criteria, and those of every stage
	// before it, are all met: 0 (pre-CRM) to 5 (optimised).
	Stage int    `json:"stage"`
	Name  string `json:"name"`
	// Met lists every criterion met, at any stage, in the model's order.
	Met []MaturityCriterion `json:"met"`
	// Missing lists the criteria of the next stage not met yet; empty at
	// stage 5.
	Missing []MaturityCriterion `json:"missing"`
}

// maturityStages names the stages of the maturity model, from 0 to 5.
var maturityStages = [...]string{"pre-CRM", "adopted", "defined", "managed", "predictable", "optimised"}

type maturityRule struct {
	MaturityCriterion
	met func(f *MaturityFigures) bool
}

// The model: each stage's criteria, in order. Thresholds are compared
// exactly on the rates' counts.
var maturityModel = []maturityRule{
	{MaturityCriterion{"system_of_record", 1, "Deals live in the CRM, not in spreadsheets and inboxes."}, func(f *MaturityFigures) bool { return f.SystemOfRecord }},
	{MaturityCriterion{"weekly_active_50", 1, "At least 50% of the sales team is active in the CRM every week."}, func(f *MaturityFigures) bool { return f.WeeklyActive.AtLeast(50) }},
	{MaturityCriterion{"defined_process", 2, "The pipeline has defined stages with entry and exit criteria."}, func(f *MaturityFigures) bool { return f.DefinedProcess }},
	{MaturityCriterion{"weekly_active_80", 2, "At least 80% of the sales team is active in the CRM every week."}, func(f *MaturityFigures) bool { return f.WeeklyActive.AtLeast(80) }},
	{MaturityCriterion{"required_fields_80", 2, "At least 80% of required fields are complete."}, func(f *MaturityFigures) bool { return f.RequiredFields.AtLeast(80) }},
	{MaturityCriterion{"required_fields_95", 3, "At least 95% of required fields are complete."}, func(f *MaturityFigures) bool { return f.RequiredFields.AtLeast(95) }},
	{MaturityCriterion{"idle_20", 3, "At most 20% of open deals have gone 14 days without an update."}, func(f *MaturityFigures) bool { return f.Idle.AtMost(20) }},
	{MaturityCriterion{"duplicates_5", 3, "At most 5% of records have a duplicate."}, func(f *MaturityFigures) bool { return f.Duplicates.AtMost(5) }},
	{MaturityCriterion{"forecast_75", 3, "Forecasts are at least 75% accurate."}, func(f *MaturityFigures) bool { return f.Forecast.AtLeast(75) }},
	{MaturityCriterion{"forecast_85", 4, "Forecasts are at least 85% accurate."}, func(f *MaturityFigures) bool { return f.Forecast.AtLeast(85) }},
	{MaturityCriterion{"discovery_quality_70", 4, "At least 70% of deals past discovery have success criteria and a quantified impact."}, func(f *MaturityFigures) bool { return f.DiscoveryQuality.AtLeast(70) }},
	{MaturityCriterion{"multi_threaded_60", 4, "At least 60% of late-stage deals have two or more engaged stakeholders."}, func(f *MaturityFigures) bool { return f.MultiThreaded.AtLeast(60) }},
	{MaturityCriterion{"idle_10", 4, "At most 10% of open deals have gone 14 days without an update."}, func(f *MaturityFigures) bool { return f.Idle.AtMost(10) }},
	{MaturityCriterion{"forecast_90", 5, "Forecasts are at least 90% accurate."}, func(f *MaturityFigures) bool { return f.Forecast.AtLeast(90) }},
	{MaturityCriterion{"period_end_30", 5, "At most 30% of wins close in the last 14 days of the quarter."}, func(f *MaturityFigures) bool { return f.PeriodEndClustering.AtMost(30) }},
	{MaturityCriterion{"duplicates_2", 5, "At most 2% of records have a duplicate."}, func(f *MaturityFigures) bool { return f.Duplicates.AtMost(2) }},
	{MaturityCriterion{"unified_delivery", 5, "Implementation approves every Scope of Work before the client signs or pays."}, func(f *MaturityFigures) bool { return f.UnifiedDelivery }},
}

// MaturityModel lists every criterion of the CRM maturity model, by stage:
//
//	0 pre-CRM      deals live in spreadsheets and inboxes
//	1 adopted      the CRM is the system of record; half the team uses it weekly
//	2 defined      stages with criteria; 80% weekly use; 80% of required fields
//	3 managed      95% of required fields; ≤ 20% idle deals; ≤ 5% duplicates; forecasts 75% accurate
//	4 predictable  forecasts 85% accurate; discovery quality 70%; multi-threading 60%; ≤ 10% idle
//	5 optimised    forecasts 90% accurate; ≤ 30% period-end wins; ≤ 2% duplicates; unified delivery
func MaturityModel() []MaturityCriterion {
	out := make([]MaturityCriterion, len(maturityModel))
	for i, r := range maturityModel {
		out[i] = r.MaturityCriterion
	}
	return out
}

// Maturity places the figures in the CRM maturity model (see
// [MaturityModel]): the stage reached, the criteria met and those still
// missing for the next stage. It returns an error naming each figure that
// is not a valid rate (a count below zero, or Num above Den).
func Maturity(f MaturityFigures) (MaturityResult, error) {
	var errs []error
	for _, r := range []struct {
		name string
		r    metrics.Rate
	}{
		{"weekly_active", f.WeeklyActive}, {"required_fields", f.RequiredFields}, {"idle", f.Idle},
		{"duplicates", f.Duplicates}, {"discovery_quality", f.DiscoveryQuality},
		{"multi_threaded", f.MultiThreaded}, {"period_end_clustering", f.PeriodEndClustering},
	} {
		if r.r.Num < 0 || r.r.Den < 0 || r.r.Num > r.r.Den {
			errs = append(errs, accord.Invalid(r.name, "must have 0 ≤ num ≤ den; got %d/%d", r.r.Num, r.r.Den))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return MaturityResult{}, err
	}
	met := make([]bool, len(maturityModel))
	stageOK := [len(maturityStages)]bool{}
	for s := range stageOK {
		stageOK[s] = true
	}
	var out MaturityResult
	for i, r := range maturityModel {
		met[i] = r.met(&f)
		if met[i] {
			out.Met = append(out.Met, r.MaturityCriterion)
		} else {
			stageOK[r.Stage] = false
		}
	}
	for out.Stage+1 < len(maturityStages) && stageOK[out.Stage+1] {
		out.Stage++
	}
	out.Name = maturityStages[out.Stage]
	for i, r := range maturityModel {
		if r.Stage == out.Stage+1 && !met[i] {
			out.Missing = append(out.Missing, r.MaturityCriterion)
		}
	}
	return out, nil
}

// Consistency gives the figures of a [metrics.Consistency] to the maturity
// model: a process counts as defined (DefinedProcess) only while deals
// move through it and its criteria hold at the result's target or better,
// since a process not used consistently defines nothing; and its
// required-field completion fills RequiredFields when that was not
// measured otherwise (its Den is 0).
func (f *MaturityFigures) Consistency(r metrics.ConsistencyResult) {
	if f == nil {
		return
	}
	o := r.Overall
	f.DefinedProcess = o.ThroughProcess.AtLeast(r.Target) && (o.CriteriaHeld.Den == 0 || o.CriteriaHeld.AtLeast(r.Target))
	if f.RequiredFields.Den == 0 {
		f.RequiredFields = o.RequiredFields
	}
}
