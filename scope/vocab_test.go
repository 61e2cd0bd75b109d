package scope_test

import (
	"testing"

	"github.com/accordhq/accord/internal/vocabtest"
	"github.com/accordhq/accord/scope"
)

// TestVocabValid checks the Valid methods written as switches over their
// constants (every move of a deal asks them of each requirement) against
// the lists of codes.
func TestVocabValid(t *testing.T) {
	vocabtest.Check(t, scope.Kind.Valid, scope.Kinds()...)
	vocabtest.Check(t, scope.Priority.Valid, scope.Must, scope.Should, scope.Could)
}
