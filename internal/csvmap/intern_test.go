package csvmap_test

import (
	"fmt"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/accordhq/accord/internal/csvmap"
)

// TestInterner checks that Intern returns the text it is given, as one
// string in memory for a text it has seen, for more texts than it keeps
// and texts of every length.
func TestInterner(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var in csvmap.Interner
		first := map[string]string{}
		text := rapid.OneOf(
			rapid.StringN(0, 20, -1),
			rapid.Custom(func(t *rapid.T) string { return fmt.Sprint("rep ", rapid.IntRange(0, 6000).Draw(t, "n")) }),
		)
		for _, s := range rapid.SliceOfN(text, 1, 6000).Draw(t, "texts") {
			b := []byte(s)
			got := in.Intern(b)
			for i := range b {
				b[i] = 'X' // the bytes are the caller's to change after
			}
			if got != s {
				t.Fatalf("Intern(%q) = %q", s, got)
			}
			if f, ok := first[s]; ok && len(first) <= 1024 && unsafe.StringData(f) != unsafe.StringData(got) && s != "" {
				t.Fatalf("Intern(%q): a new string, while it keeps %d", s, len(first))
			}
			if _, ok := first[s]; !ok {
				first[s] = got
			}
		}
	})
	var in csvmap.Interner
	b := []byte("Won")
	s := in.Intern(b)
	b[0] = 'X'
	if s != "Won" {
		t.Errorf("after the bytes changed, the string is %q, want Won", s)
	}
	if n := testing.AllocsPerRun(100, func() { in.Intern([]byte("Won")) }); n != 0 {
		t.Errorf("Intern of a text seen: %v allocations, want 0", n)
	}
}
