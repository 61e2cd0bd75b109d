package vocab_test

import (
	"strings"
	"testing"

	"github.com/accordhq/accord/internal/vocab"
)

type color string

func TestSet(t *testing.T) {
	s := vocab.Of[color]("red", "green", "blue")
	for _, c := range []color{"red", "green", "blue"} {
		if !s.Has(c) {
			t.Errorf("Has(%q) = false, want true", c)
		}
	}
	for _, c := range []color{"", "Red", "yellow"} {
		if s.Has(c) {
			t.Errorf("Has(%q) = true, want false", c)
		}
	}
	codes := s.Codes()
	codes[0] = "changed"
	if got := s.Codes()[0]; got != "red" {
		t.Errorf("Codes()[0] after changing a returned slice = %q, want %q", got, "red")
	}
	if got, want := s.Names(), "red, green, blue"; got != want {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	if got, want := s.Rule("pink"), `must be one of red, green, blue; got "pink"`; got != want {
		t.Errorf("Rule = %q, want %q", got, want)
	}
	if got, want := s.ListRule("pink"), `must be one of [red green blue]; got "pink"`; got != want {
		t.Errorf("ListRule = %q, want %q", got, want)
	}
}

// TestSetHasByLength checks Has where codes share a length, or a length
// modulo 16, or are empty, and on strings of a code's length that are not
// codes: the cases its table by length must hand to a scan or refuse.
func TestSetHasByLength(t *testing.T) {
	long := color(strings.Repeat("x", 33))   // 33 % 16 == 1, as "a"
	longer := color(strings.Repeat("y", 40)) // 40 % 16 == 8, as "magentas"
	s := vocab.Of[color]("", "a", "weak", "none", "magentas", long, longer)
	for _, c := range []color{"", "a", "weak", "none", "magentas", long, longer} {
		if !s.Has(c) {
			t.Errorf("Has(%q) = false, want true", c)
		}
	}
	for _, c := range []color{"b", "wean", "nonE", "magentaz", color(strings.Repeat("x", 17)), color(strings.Repeat("x", 65)), color(strings.Repeat("y", 8)), "ab"} {
		if s.Has(c) {
			t.Errorf("Has(%q) = true, want false", c)
		}
	}
	if red := vocab.Of[color]("red"); red.Has("") {
		t.Error(`Has("") = true for a set without the empty code`)
	}
}
