package accord_test

import (
	"errors"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// TestExtremeExponentsDoNotHang builds amounts directly, bypassing
// validation, with exponents that would make decimal rescale for hours.
// Every operation must answer at once: an error, or the value unchanged.
func TestExtremeExponentsDoNotHang(t *testing.T) {
	tiny := accord.Money{Amount: decimal.New(1, -2147483648), Currency: "USD"}
	huge := accord.Money{Amount: decimal.New(0, 2147483647), Currency: "USD"}
	one := accord.Money{Amount: decimal.NewFromInt(1), Currency: "USD"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, x := range []accord.Money{tiny, huge} {
			for _, y := range []accord.Money{one, tiny, huge} {
				refused(t, x, y)
				_ = x.Equal(y)
			}
			if !x.Equal(x) {
				t.Errorf("%v is not equal to itself", x)
			}
			if r := x.Round(); r.Amount.Exponent() != x.Amount.Exponent() {
				t.Errorf("round of %v changed it to %v", x, r)
			}
			if err := x.Validate("v"); !errors.Is(err, accord.ErrInvalid) {
				t.Errorf("validate %v: want ErrInvalid, got %v", x, err)
			}
			if _, err := x.MarshalJSON(); !errors.Is(err, accord.ErrInvalid) {
				t.Errorf("marshal %v: want ErrInvalid, got %v", x, err)
			}
		}
		if got := tiny.String(); got != "1e-2147483648 USD" {
			t.Errorf("tiny.String() = %q", got)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("an operation on an extreme exponent did not return within 10s")
	}
}
