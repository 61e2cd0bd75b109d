package assess

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// WorkflowFit is the ID of the scorecard criterion that eliminates a vendor
// scored below 4, whatever its total.
const WorkflowFit = "workflow_fit"

// ScoreCriterion is one weighted criterion of a vendor scorecard.
type ScoreCriterion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Weight is positive; weights need not sum to 1.
	Weight decimal.Decimal `json:"weight"`
}

// VendorScores holds one vendor's score, 1 to 5, on every criterion, by
// criterion ID.
type VendorScores struct {
	Vendor string         `json:"vendor"`
	Scores map[string]int `json:"scores"`
}

// Scorecard is the outcome of [Score].
type Scorecard struct {
	// Ranking lists the vendors still in the running by weighted total,
	// highest first, then those eliminated, each group ties broken by name.
	Ranking []VendorResult `json:"ranking"`
	// Winners lists the vendor with the highest weighted total among those
	// not eliminated; several on a tie, none when all are eliminated.
	Winners []string `json:"winners"`
}

// VendorResult is one vendor's weighted total.
type VendorResult struct {
	Vendor string `json:"vendor"`
	// Total is the sum over the criteria of weight × score, exact.
	Total decimal.Decimal `json:"total"`
	// Eliminated is set when the workflow fit score is below 4.
	Eliminated bool `json:"eliminated"`
}

// Score scores vendors against weighted criteria. Each vendor scores every
// criterion 1 to 5; its weighted total is Σ weight × score. The highest
// total wins, except that a vendor whose [WorkflowFit] score is below 4 is
// eliminated whatever its total: a tool that does not fit how the team
// works will not be used.
//
// The criteria must have unique, non-empty IDs, positive weights, and
// include WorkflowFit; vendors must have unique, non-empty names and a
// score from 1 to 5 for every criterion and no other. Every problem is
// reported, joined, each naming its field.
func Score(criteria []ScoreCriterion, vendors []VendorScores) (Scorecard, error) {
	var errs []error
	if len(criteria) == 0 {
		errs = append(errs, accord.Invalid("criteria", "must list at least one criterion"))
	}
	ids := map[string]bool{}
	for i, c := range criteria {
		p := fmt.Sprintf("criteria[%d]", i)
		if err := keyProblem(ids, p+".id", "criterion", c.ID); err != nil {
			errs = append(errs, err)
		}
		if !c.Weight.IsPositive() {
			errs = append(errs, accord.Invalid(p+".weight", "must be positive; got %s", c.Weight))
		}
	}
	if len(criteria) > 0 && !ids[WorkflowFit] {
		errs = append(errs, accord.Invalid("criteria", "must include %q", WorkflowFit))
	}
	names := map[string]bool{}
	for i, v := range vendors {
		p := fmt.Sprintf("vendors[%d]", i)
		if err := keyProblem(names, p+".vendor", "vendor", v.Vendor); err != nil {
			errs = append(errs, err)
		}
		for _, c := range criteria {
			s, ok := v.Scores[c.ID]
			switch {
			case !ok:
				errs = append(errs, accord.Invalid(p+".scores."+c.ID, "is required"))
			case s < 1 || s > 5:
				errs = append(errs, accord.Invalid(p+".scores."+c.ID, "must be 1 to 5; got %d", s))
			}
		}
		extra := make([]string, 0)
		for id := range v.Scores {
			if !ids[id] {
				extra = append(extra, id)
			}
		}
		slices.Sort(extra)
		for _, id := range extra {
			errs = append(errs, accord.Invalid(p+".scores."+id, "is not a criterion"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Scorecard{}, err
	}
	var sc Scorecard
	for _, v := range vendors {
		r := VendorResult{Vendor: v.Vendor, Total: decimal.Zero, Eliminated: v.Scores[WorkflowFit] < 4}
		for _, c := range criteria {
			r.Total = r.Total.Add(c.Weight.Mul(decimal.NewFromInt(int64(v.Scores[c.ID]))))
		}
		sc.Ranking = append(sc.Ranking, r)
	}
	slices.SortFunc(sc.Ranking, func(a, b VendorResult) int {
		if a.Eliminated != b.Eliminated {
			if a.Eliminated {
				return 1
			}
			return -1
		}
		return cmp.Or(b.Total.Cmp(a.Total), strings.Compare(a.Vendor, b.Vendor))
	})
	for _, r := range sc.Ranking {
		if r.Eliminated || (len(sc.Winners) > 0 && !r.Total.Equal(sc.Ranking[0].Total)) {
			break
		}
		sc.Winners = append(sc.Winners, r.Vendor)
	}
	return sc, nil
}

// keyProblem is the rule for the key of a criterion or a vendor, at field:
// it is required (not blank) and names one item of its list (what). It
// records key in seen.
func keyProblem(seen map[string]bool, field, what, key string) error {
	var err error
	switch {
	case strings.TrimSpace(key) == "":
		err = accord.Invalid(field, "is required")
	case seen[key]:
		err = accord.Invalid(field, "duplicates %s %q", what, key)
	}
	seen[key] = true
	return err
}
