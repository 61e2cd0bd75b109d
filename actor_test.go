package accord_test

import (
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/vocabtest"
)

// TestRoleValid checks Role.Valid, a switch over the constants (every
// recorded change validates its actor), against Roles.
func TestRoleValid(t *testing.T) {
	vocabtest.Check(t, accord.Role.Valid, accord.Roles()...)
}
