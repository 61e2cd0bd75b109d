package vocab_test

import (
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
