package accord_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/errtest"
)

// checkValidate checks err, what Validate(prefix) returned for the value
// shown (as the messages print it): no error when want is nil, else an
// error that is [accord.ErrInvalid] with exactly the field errors want, in
// order.
func checkValidate(t *testing.T, prefix, shown string, err error, want []accord.FieldError) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate(%q) of %s: got %v, want no error", prefix, shown, err)
		}
		return
	}
	if !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("Validate(%q) of %s: errors.Is(%v, ErrInvalid) is false, want true", prefix, shown, err)
	}
	if diff := cmp.Diff(want, fieldErrors(t, err)); diff != "" {
		t.Errorf("Validate(%q) of %s field errors (-want +got):\n%s", prefix, shown, diff)
	}
}

// mustOp returns what op, a method of Money such as accord.Money.Add,
// gives for a and b, and fails the test, naming the method, when it
// refuses.
func mustOp[T any](t errtest.TB, name string, op func(a, b accord.Money) (T, error), a, b accord.Money) T {
	t.Helper()
	v, err := op(a, b)
	if err != nil {
		t.Fatalf("%v.%s(%v): %v", a, name, b, err)
	}
	return v
}
