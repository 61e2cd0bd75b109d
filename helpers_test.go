package accord_test

import (
	"bytes"
	"encoding/json"
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

// roundTrip encodes m as JSON, decodes the encoding and encodes what came
// again, and fails t unless what came is Equal to m and encodes to the
// same bytes. It returns the encoding and what came.
func roundTrip(t errtest.TB, m accord.Money) ([]byte, accord.Money) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("json.Marshal(%v): %v", m, err)
	}
	var got accord.Money
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal(%s), the encoding of %v: %v", b, m, err)
	}
	if !got.Equal(m) {
		t.Fatalf("round trip of %v through %s: got %v, want an Equal value", m, b, got)
	}
	b2, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("json.Marshal(%v) after round trip: %v", got, err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("re-encoding of %v: got %s, want %s", m, b2, b)
	}
	return b, got
}

// errorer is what [refused] needs of a *testing.T or a *rapid.T: it
// reports with Errorf, which a test may call from another goroutine.
type errorer interface {
	Helper()
	Errorf(format string, args ...any)
}

// refused fails t unless x and y, which cannot be combined, are refused
// with [accord.ErrInvalid] by Add, Sub and Cmp, in either order.
func refused(t errorer, x, y accord.Money) {
	t.Helper()
	for _, p := range [][2]accord.Money{{x, y}, {y, x}} {
		a, b := p[0], p[1]
		if _, err := a.Add(b); !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("%v.Add(%v): got error %v, want ErrInvalid", a, b, err)
		}
		if _, err := a.Sub(b); !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("%v.Sub(%v): got error %v, want ErrInvalid", a, b, err)
		}
		if _, err := a.Cmp(b); !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("%v.Cmp(%v): got error %v, want ErrInvalid", a, b, err)
		}
	}
}
