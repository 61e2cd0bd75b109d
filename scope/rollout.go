package scope

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// The exit criteria of the CRM rollout ([CRMRollout]). The IDs are stable.
const (
	// ExitProcessMapped: the current sales process is mapped (audit).
	ExitProcessMapped = "process_mapped"
	// ExitDataMapped: the current data is mapped: objects, fields and
	// where they come from (audit).
	ExitDataMapped = "data_mapped"
	// ExitVendorsScored: the vendors are scored on the weighted scorecard
	// and the vendor picked has a workflow fit of at least 4 (pick).
	ExitVendorsScored = "vendors_scored"
	// ExitRequiredFields: the pipeline's stages enforce their required
	// fields, and the fields are filled (implement: configure).
	ExitRequiredFields = "required_fields_enforced"
	// ExitDataMigrated: the data is migrated (implement: migrate).
	ExitDataMigrated = "data_migrated"
	// ExitDataDeduplicated: the migrated data is deduplicated (implement:
	// migrate).
	ExitDataDeduplicated = "data_deduplicated"
	// ExitUsersTrained: every user is trained on their own workflow
	// (train).
	ExitUsersTrained = "users_trained"
	// ExitAdoptionReviewed: the adoption figures are reviewed against
	// their targets (iterate).
	ExitAdoptionReviewed = "adoption_reviewed"
)

// RolloutOptions are what a [CRMRollout] needs beyond the template.
type RolloutOptions struct {
	ID     string
	DealID string
	// Title defaults to "CRM rollout".
	Title string
	// Start is the first day of the rollout.
	Start time.Time
	Price accord.Money
}

// CRMRollout returns the five-phase CRM rollout as a Scope of Work
// template: audit → pick → implement → train → iterate, each phase with
// its exit criteria as a [Gate], so that no phase's steps start before the
// exits of the phases before it hold ([SOW.CanStart]).
//
//	phase      steps (working days from the start, owner)            exit criteria
//	audit      map the sales process (0-2, consultant)               process_mapped
//	           map the data (0-1, engineer)                          data_mapped
//	pick       score the vendors (3-4, consultant)                   vendors_scored (workflow fit ≥ 4)
//	configure  stages, criteria and required fields (5-9)            required_fields_enforced
//	migrate    migrate and deduplicate the data (5-8, engineer)      data_migrated, data_deduplicated
//	train      train every user on their own workflow (10-12)        users_trained
//	iterate    review adoption against the targets (13-14)           adoption_reviewed
//
// Configure and migrate are the two parts of implement and run side by
// side. The template is content like any other: a host adds its
// requirements, deliverables and dates, and the scope goes through the
// review as usual. The library holds no evidence: package metrics/assess's
// RolloutEvidence answers the exit criteria from the vendor scorecard, the
// maturity model and the adoption figures.
func CRMRollout(o RolloutOptions) SOW {
	if o.Title == "" {
		o.Title = "CRM rollout"
	}
	h := func(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
	return SOW{
		ID: o.ID, DealID: o.DealID, Title: o.Title, Start: o.Start, Price: o.Price,
		InScope: []string{"audit of the current process and data", "vendor selection", "configuration", "data migration", "training", "adoption review"},
		Steps: []Step{
			{ID: "map-process", Title: "Map the current sales process", Offset: 0, Days: 3, Activity: ActivityAudit, Phase: PhaseAudit, Effort: h(12), Owner: "consultant"},
			{ID: "map-data", Title: "Map the current data: objects, fields, sources", Offset: 0, Days: 2, Activity: ActivityAudit, Phase: PhaseAudit, Effort: h(8), Owner: "engineer"},
			{ID: "score-vendors", Title: "Score the vendors on the scorecard", Offset: 3, Days: 2, Activity: ActivityProjectManagement, Phase: PhasePick, Effort: h(8), Owner: "consultant", DependsOn: []string{"map-process", "map-data"}},
			{ID: "configure", Title: "Configure stages, criteria and required fields", Offset: 5, Days: 5, Activity: ActivityConfiguration, Phase: PhaseConfigure, Effort: h(30), Owner: "consultant", DependsOn: []string{"score-vendors"}},
			{ID: "migrate", Title: "Migrate and deduplicate the data", Offset: 5, Days: 4, Activity: ActivityDataMigration, Phase: PhaseMigrate, Effort: h(24), Owner: "engineer", DependsOn: []string{"score-vendors"}},
			{ID: "train", Title: "Train every user on their own workflow", Offset: 10, Days: 3, Activity: ActivityTraining, Phase: PhaseTrain, Effort: h(18), Owner: "consultant", DependsOn: []string{"configure", "migrate"}},
			{ID: "review-adoption", Title: "Review adoption against the targets", Offset: 13, Days: 2, Activity: ActivityProjectManagement, Phase: PhaseIterate, Effort: h(6), Owner: "consultant", DependsOn: []string{"train"}},
		},
		Gates: []Gate{
			{Phase: PhaseAudit, Exit: []ExitCriterion{
				{ExitProcessMapped, "Map the current sales process: stages, hand-offs and who does what."},
				{ExitDataMapped, "Map the current data: objects, fields and where they come from."},
			}},
			{Phase: PhasePick, Exit: []ExitCriterion{
				{ExitVendorsScored, "Score the vendors on the weighted scorecard and pick one whose workflow fit is at least 4."},
			}},
			{Phase: PhaseConfigure, Exit: []ExitCriterion{
				{ExitRequiredFields, "Enforce each stage's required fields: stages with entry and exit criteria, and fields filled."},
			}},
			{Phase: PhaseMigrate, Exit: []ExitCriterion{
				{ExitDataMigrated, "Migrate the data into the new CRM."},
				{ExitDataDeduplicated, "Deduplicate the migrated records."},
			}},
			{Phase: PhaseTrain, Exit: []ExitCriterion{
				{ExitUsersTrained, "Train every user on their own workflow."},
			}},
			{Phase: PhaseIterate, Exit: []ExitCriterion{
				{ExitAdoptionReviewed, "Review the adoption figures against their targets."},
			}},
		},
	}
}
