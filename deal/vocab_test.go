package deal

import (
	"testing"

	"github.com/accordhq/accord/internal/vocabtest"
)

// TestVocabValid checks the valid methods written as switches over their
// constants (every move validates the deal) against the lists of codes.
func TestVocabValid(t *testing.T) {
	vocabtest.Check(t, Fit.valid, FitStrong, FitPossible, FitNone)
	vocabtest.Check(t, Strength.valid, StrengthStrong, StrengthModerate, StrengthWeak, StrengthNone)
	vocabtest.Check(t, StakeholderRole.valid, RoleChampion, RoleEconomicBuyer, RoleExecutiveSponsor, RoleTechnicalEvaluator, RoleProcurement, RoleLegal, RoleUser)
}
