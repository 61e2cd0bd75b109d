// Package errtest reads the errors the module returns the way its tests
// check them: the problems joined in an error, and the field error each one
// must be. It is imported by tests only.
package errtest

import (
	"errors"

	"github.com/accordhq/accord"
)

// TB is what the helpers need of a *testing.T or a *rapid.T.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Leaves returns the errors joined in err, through every level of
// errors.Join, in order; err alone when it joins none, and nil for nil.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// FieldErrors returns the [*accord.FieldError] that every one of the
// [Leaves] of err is, in order, and fails the test at the first leaf that
// is anything else (a field error wrapped in another error included).
func FieldErrors(t TB, err error) []*accord.FieldError {
	t.Helper()
	var out []*accord.FieldError
	for _, e := range Leaves(err) {
		fe, ok := e.(*accord.FieldError)
		if !ok {
			t.Fatalf("%T %v is not a *accord.FieldError", e, e)
		}
		out = append(out, fe)
	}
	return out
}

// Lines returns the "field: rule" text of each of the [FieldErrors] of
// err, in order, and fails the test as FieldErrors does.
func Lines(t TB, err error) []string {
	t.Helper()
	var out []string
	for _, fe := range FieldErrors(t, err) {
		out = append(out, fe.Error())
	}
	return out
}

// Fields returns the Field of each of [accord.FieldErrors] of err, in
// order: the paths a refusal of bad input names.
func Fields(err error) []string {
	var out []string
	for _, fe := range accord.FieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}

// Blocked returns the [*accord.BlockedError] in err's chain, and fails the
// test when there is none.
func Blocked(t TB, err error) *accord.BlockedError {
	t.Helper()
	var b *accord.BlockedError
	if !errors.As(err, &b) {
		t.Fatalf("got %v, want a *accord.BlockedError", err)
	}
	return b
}
