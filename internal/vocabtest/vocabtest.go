// Package vocabtest checks a vocabulary's Valid against the list of its
// codes, for a Valid written as a switch over the constants rather than
// answered from a [vocab.Set]. It is imported by tests only.
//
// [vocab.Set]: https://pkg.go.dev/github.com/accordhq/accord/internal/vocab#Set
package vocabtest

import (
	"slices"
	"strings"
	"testing"
)

// Check reports through t every code of codes that valid refuses, and
// every near miss it accepts: each code with one byte changed, one byte
// short, one byte longer, in upper case, with a space before or after it,
// and the empty string. A near miss that is itself one of the codes (one
// code a prefix of another) is not asked.
func Check[T ~string](t testing.TB, valid func(T) bool, codes ...T) {
	t.Helper()
	for _, c := range codes {
		if !valid(c) {
			t.Errorf("Valid(%q) = false for a code of the vocabulary", c)
		}
	}
	for _, miss := range NearMisses(codes...) {
		if valid(miss) {
			t.Errorf("Valid(%q) = true for a near miss", miss)
		}
	}
}

// NearMisses returns the near misses of codes that Check asks about, each
// once, none of them a code.
func NearMisses[T ~string](codes ...T) []T {
	var out []T
	add := func(s string) {
		if m := T(s); !slices.Contains(codes, m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	add("")
	for _, c := range codes {
		s := string(c)
		for i := range len(s) {
			b := []byte(s)
			b[i] ^= 1
			add(string(b))
		}
		if s != "" {
			add(s[:len(s)-1])
		}
		add(s + "s")
		add(strings.ToUpper(s))
		add(" " + s)
		add(s + " ")
	}
	return out
}
