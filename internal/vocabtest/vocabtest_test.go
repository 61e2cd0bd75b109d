package vocabtest_test

import (
	"slices"
	"testing"

	"github.com/accordhq/accord/internal/vocabtest"
)

func TestNearMisses(t *testing.T) {
	got := vocabtest.NearMisses("ab", "abc")
	want := []string{"", "`b", "ac", "a", "abs", "AB", " ab", "ab ", "`bc", "acc", "abb", "abcs", "ABC", " abc", "abc "}
	if !slices.Equal(got, want) {
		t.Errorf("NearMisses(ab, abc) = %q, want %q", got, want)
	}
}

// TestCheckFails checks that Check reports a Valid that accepts a near
// miss, or refuses a code: a Check that cannot fail checks nothing.
func TestCheckFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		valid func(string) bool
	}{
		{"accepts a longer code", func(s string) bool { return s == "must" || s == "musts" }},
		{"refuses a code", func(s string) bool { return s == "must" }},
		{"accepts any prefix", func(s string) bool { return s != "" && "should"[:min(len(s), 6)] == s || s == "must" }},
	} {
		rec := &recorder{TB: t}
		vocabtest.Check(rec, tc.valid, "must", "should")
		if !rec.failed {
			t.Errorf("%s: Check reported nothing", tc.name)
		}
	}
	rec := &recorder{TB: t}
	vocabtest.Check(rec, func(s string) bool { return s == "must" || s == "should" }, "must", "should")
	if rec.failed {
		t.Error("Check reported an exact Valid")
	}
}

// recorder is a testing.TB that notes a reported error instead of failing
// the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.failed = true }
