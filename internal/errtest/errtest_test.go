package errtest_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/errtest"
)

func TestLeaves(t *testing.T) {
	a, b, c := errors.New("a"), errors.New("b"), errors.New("c")
	if got := errtest.Leaves(nil); got != nil {
		t.Errorf("Leaves(nil) = %v, want nil", got)
	}
	if got, want := errtest.Leaves(errors.Join(a, errors.Join(b, nil, c))), []error{a, b, c}; !slices.Equal(got, want) {
		t.Errorf("Leaves of nested joins = %v, want %v", got, want)
	}
	if got, want := errtest.Leaves(a), []error{a}; !slices.Equal(got, want) {
		t.Errorf("Leaves(a) = %v, want %v", got, want)
	}
}

// fatal records a Fatalf instead of stopping the test.
type fatal struct{ msg string }

func (f *fatal) Helper() {}
func (f *fatal) Fatalf(format string, args ...any) {
	if f.msg == "" {
		f.msg = fmt.Sprintf(format, args...)
	}
}

func TestFieldErrors(t *testing.T) {
	x, y := &accord.FieldError{Field: "x", Rule: "r"}, &accord.FieldError{Field: "y", Rule: "s"}
	var f fatal
	if got := errtest.FieldErrors(&f, errors.Join(x, errors.Join(y))); f.msg != "" || !slices.Equal(got, []*accord.FieldError{x, y}) {
		t.Errorf("FieldErrors = %v, failure %q; want [x y] and none", got, f.msg)
	}
	for _, err := range []error{errors.New("plain"), fmt.Errorf("wrapped: %w", x)} {
		f = fatal{}
		errtest.FieldErrors(&f, errors.Join(x, err))
		if f.msg == "" {
			t.Errorf("FieldErrors(%v) did not fail", err)
		}
	}
}

func TestLines(t *testing.T) {
	x, y := &accord.FieldError{Field: "x", Rule: "r"}, &accord.FieldError{Field: "y", Rule: "is required"}
	var f fatal
	if got, want := errtest.Lines(&f, errors.Join(x, errors.Join(y))), []string{"x: r", "y: is required"}; f.msg != "" || !slices.Equal(got, want) {
		t.Errorf("Lines = %q, failure %q; want %q and none", got, f.msg, want)
	}
}

func TestFields(t *testing.T) {
	if got := errtest.Fields(nil); got != nil {
		t.Errorf("Fields(nil) = %v, want nil", got)
	}
	err := errors.Join(accord.Invalid("id", "is required"), fmt.Errorf("at: %w", accord.Invalid("at", "is required")))
	if got, want := errtest.Fields(err), []string{"id", "at"}; !slices.Equal(got, want) {
		t.Errorf("Fields = %v, want %v", got, want)
	}
}

func TestBlocked(t *testing.T) {
	b := &accord.BlockedError{Op: accord.OpMove, Subject: "d-1", Unmet: []accord.Unmet{{Criterion: "c"}}}
	var f fatal
	if got := errtest.Blocked(&f, fmt.Errorf("wrapped: %w", b)); f.msg != "" || got != b {
		t.Errorf("Blocked = %p, failure %q; want %p and none", got, f.msg, b)
	}
	for _, err := range []error{nil, errors.New("plain"), accord.Invalid("id", "is required")} {
		f = fatal{}
		errtest.Blocked(&f, err)
		if f.msg == "" {
			t.Errorf("Blocked(%v) did not fail", err)
		}
	}
}
