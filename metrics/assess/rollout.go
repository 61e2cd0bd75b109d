package assess

import (
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord/scope"
)

// RolloutEvidence answers the exit criteria of the CRM rollout
// ([scope.CRMRollout]) from what was measured: the vendor scorecard
// ([Score]), the maturity model's figures ([Maturity]) and the adoption
// figures in them, and the few facts that only people can record. It
// implements [scope.Evidence]:
//
//	criterion                 holds when
//	process_mapped            ProcessMapped
//	data_mapped               DataMapped
//	vendors_scored            the scorecard ranks at least one vendor and the pick (Pick, or the
//	                          only winner when Pick is empty) is ranked and not eliminated:
//	                          its workflow fit is at least 4
//	required_fields_enforced  the maturity model's defined_process and required_fields_80 are met
//	data_migrated             DataMigrated
//	data_deduplicated         the maturity model's duplicates_5 is met: at most 5% duplicates
//	users_trained             every user in Workflows has a training on their own workflow
//	adoption_reviewed         AdoptionReviewed, with the weekly active share measured; the
//	                          message of an unmet one gives the share against its target
//
// A criterion it does not know does not hold.
type RolloutEvidence struct {
	// ProcessMapped and DataMapped record the audit.
	ProcessMapped bool `json:"process_mapped"`
	DataMapped    bool `json:"data_mapped"`
	// Scorecard is the outcome of [Score]; Pick the vendor picked.
	Scorecard Scorecard `json:"scorecard"`
	Pick      string    `json:"pick"`
	// DataMigrated records the migration.
	DataMigrated bool `json:"data_migrated"`
	// Figures are the maturity model's figures: the duplicates, the
	// defined process, the required-field completion and the weekly
	// active share are read.
	Figures MaturityFigures `json:"figures"`
	// Workflows gives each user's own workflow, by user ID; Trained the
	// workflows each user was trained on.
	Workflows map[string]string   `json:"workflows"`
	Trained   map[string][]string `json:"trained"`
	// AdoptionReviewed records that the adoption figures were reviewed
	// against their targets; WeeklyActiveTarget is the target for the
	// weekly active share, in percent (0 means 80, the maturity model's
	// bar for a defined process).
	AdoptionReviewed   bool  `json:"adoption_reviewed"`
	WeeklyActiveTarget int64 `json:"weekly_active_target"`
}

var _ scope.Evidence = (*RolloutEvidence)(nil)

// Holds reports whether the exit criterion id holds, and what is missing
// when it does not.
func (e *RolloutEvidence) Holds(id string) (bool, string) {
	if e == nil {
		return false, ""
	}
	switch id {
	case scope.ExitProcessMapped:
		return e.ProcessMapped, ""
	case scope.ExitDataMapped:
		return e.DataMapped, ""
	case scope.ExitVendorsScored:
		return e.vendorsScored()
	case scope.ExitRequiredFields:
		return e.maturityMet("defined_process", "required_fields_80")
	case scope.ExitDataMigrated:
		return e.DataMigrated, ""
	case scope.ExitDataDeduplicated:
		if !e.DataMigrated {
			return false, "Migrate the data first: deduplication is measured on the migrated records."
		}
		return e.maturityMet("duplicates_5")
	case scope.ExitUsersTrained:
		return e.usersTrained()
	case scope.ExitAdoptionReviewed:
		return e.adoptionReviewed()
	}
	return false, fmt.Sprintf("No evidence answers criterion %q.", id)
}

func (e *RolloutEvidence) vendorsScored() (bool, string) {
	if len(e.Scorecard.Ranking) == 0 {
		return false, "Score the vendors on the weighted scorecard."
	}
	pick := e.Pick
	if pick == "" {
		if len(e.Scorecard.Winners) != 1 {
			return false, fmt.Sprintf("Pick a vendor: the scorecard has %d winners.", len(e.Scorecard.Winners))
		}
		pick = e.Scorecard.Winners[0]
	}
	i := slices.IndexFunc(e.Scorecard.Ranking, func(r VendorResult) bool { return r.Vendor == pick })
	switch {
	case i < 0:
		return false, fmt.Sprintf("Score %s on the scorecard: it is not ranked.", pick)
	case e.Scorecard.Ranking[i].Eliminated:
		return false, fmt.Sprintf("Pick another vendor: %s has a workflow fit below 4.", pick)
	}
	return true, ""
}

// maturityMet holds when the maturity model meets every criterion ids
// names on the figures.
func (e *RolloutEvidence) maturityMet(ids ...string) (bool, string) {
	m, err := Maturity(e.Figures)
	if err != nil {
		return false, "Measure the maturity figures: " + err.Error()
	}
	var missing []string
	for _, id := range ids {
		if !slices.ContainsFunc(m.Met, func(c MaturityCriterion) bool { return c.ID == id }) {
			for _, c := range MaturityModel() {
				if c.ID == id {
					missing = append(missing, c.Description)
				}
			}
		}
	}
	if len(missing) > 0 {
		return false, strings.Join(missing, " ")
	}
	return true, ""
}

func (e *RolloutEvidence) usersTrained() (bool, string) {
	if len(e.Workflows) == 0 {
		return false, "List every user with their own workflow."
	}
	var untrained []string
	for user, wf := range e.Workflows {
		if !slices.Contains(e.Trained[user], wf) {
			untrained = append(untrained, user)
		}
	}
	if len(untrained) == 0 {
		return true, ""
	}
	slices.Sort(untrained)
	return false, fmt.Sprintf("Train %d of %d users on their own workflow: %s.", len(untrained), len(e.Workflows), strings.Join(untrained, ", "))
}

func (e *RolloutEvidence) adoptionReviewed() (bool, string) {
	target := e.WeeklyActiveTarget
	if target == 0 {
		target = 80
	}
	wa := e.Figures.WeeklyActive
	switch {
	case wa.Den == 0:
		return false, "Measure adoption: the weekly active share of the team is not measured."
	case !e.AdoptionReviewed:
		verdict := "meets"
		if !wa.AtLeast(target) {
			verdict = "is below"
		}
		return false, fmt.Sprintf("Review adoption against the targets: weekly active %s %s the target of %d%%.", wa, verdict, target)
	}
	return true, ""
}
