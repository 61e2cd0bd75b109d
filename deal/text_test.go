package deal

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestTextIsNotBlank checks text's fast path against its definition: a
// string is text when TrimSpace leaves something of it.
func TestTextIsNotBlank(t *testing.T) {
	for _, s := range []string{"", " ", "\t\n", "\u00a0", "\u00a0x", "x\u00a0", " x", "x ", "\x7f", "\x00", "é", "\u2003"} {
		if got, want := text(s), strings.TrimSpace(s) != ""; got != want {
			t.Errorf("text(%q) = %v, want %v", s, got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		if got, want := text(s), strings.TrimSpace(s) != ""; got != want {
			t.Fatalf("text(%q) = %v, want %v", s, got, want)
		}
	})
}
