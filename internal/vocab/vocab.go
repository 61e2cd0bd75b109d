// Package vocab is the one home of a closed vocabulary of stable codes: its
// list in a fixed order, the test that a value belongs to it, and the rule a
// value outside it breaks. Each exported vocabulary (roles, stages' loss
// reasons, requirement kinds, customer statuses...) declares its codes once,
// as a [Set], and answers its list, Valid and "must be one of" from it.
//
// The exception is a Valid that every move of a deal asks: it is a switch
// over the constants, because the compiler compares a string with a
// constant inline, as words, where [Set.Has] calls on the runtime to
// compare the bytes. Actor roles and requirement kinds keep their Set for
// their list and their rule, and a test checks the switch against the list
// (internal/vocabtest). Requirement priorities, stakeholder roles, fit and
// champion strength have no list to give: their constants are the codes,
// their switch is the one test of membership, their tests list the codes
// again, and their rules name the codes in words.
package vocab

import (
	"fmt"
	"slices"
	"strings"
)

// Set is a vocabulary: its codes in a fixed order. It is read-only once
// made, so a package may keep one in a variable and share it.
type Set[T ~string] struct {
	codes []T
	names string // the codes joined with ", "
	// byLen[n%16] is the code whose length is n modulo 16 when exactly
	// one code's is, else "": the codes of a vocabulary mostly differ in
	// length, so that Has, which the validation of a record asks of its
	// coded fields, compares one code, read straight from here, instead of
	// scanning them.
	byLen [16]string
}

// Of makes the set of codes, in the order given.
func Of[T ~string](codes ...T) Set[T] {
	var b strings.Builder
	for i, c := range codes {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	s := Set[T]{codes: slices.Clip(codes), names: b.String()}
	var count [len(s.byLen)]int
	for _, c := range codes {
		count[len(c)%len(count)]++
	}
	for _, c := range codes {
		if count[len(c)%len(count)] == 1 {
			s.byLen[len(c)%len(count)] = string(c)
		}
	}
	return s
}

// Codes returns the codes in order, in a new slice the caller may keep.
func (s Set[T]) Codes() []T { return slices.Clone(s.codes) }

// Has reports whether c is one of the codes.
func (s *Set[T]) Has(c T) bool {
	if code := s.byLen[uint(len(c))%uint(len(s.byLen))]; code != "" {
		return code == string(c)
	}
	return s.scan(c)
}

// scan is Has for a string whose length modulo 16 is that of no code, or
// of several, or of the empty code.
func (s *Set[T]) scan(c T) bool { return slices.Contains(s.codes, c) }

// Names returns the codes joined with ", ": "a, b, c".
func (s Set[T]) Names() string { return s.names }

// Rule is the rule got breaks when it is not one of the codes:
// `must be one of a, b, c; got "x"`.
func (s Set[T]) Rule(got T) string {
	return fmt.Sprintf("must be one of %s; got %q", s.names, got)
}

// ListRule is [Set.Rule] with the codes as Go prints a list:
// `must be one of [a b c]; got "x"`.
func (s Set[T]) ListRule(got T) string {
	return fmt.Sprintf("must be one of %v; got %q", s.codes, got)
}
