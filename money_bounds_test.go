package accord

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestBoundsFastPath checks that checkBounds, which compares an amount with
// no positive exponent against digitBounds, agrees with counting its digits,
// around every boundary: coefficients of MaxDigits+i-1, MaxDigits+i and
// MaxDigits+i+1 digits at every exponent -i, of either sign.
func TestBoundsFastPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		i := rapid.IntRange(0, MaxScale+2).Draw(t, "places")
		digits := rapid.IntRange(1, MaxDigits+MaxScale+3).Draw(t, "digits")
		c := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits-1)), nil)
		switch rapid.IntRange(0, 2).Draw(t, "shape") {
		case 1: // 99...9
			c.Mul(c, big.NewInt(10)).Sub(c, big.NewInt(1))
		case 2: // a random coefficient of that many digits
			c.Add(c, big.NewInt(rapid.Int64Range(0, 1<<62).Draw(t, "low")))
			if limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil); c.Cmp(limit) >= 0 {
				c.Sub(limit, big.NewInt(1))
			}
		}
		if rapid.Bool().Draw(t, "negative") {
			c.Neg(c)
		}
		d := decimal.NewFromBigInt(c, int32(-i))
		var want bool // within bounds
		switch {
		case -i < -MaxScale:
			want = false
		default:
			want = numDigits(d)-int64(i) <= MaxDigits
		}
		if got := checkBounds(d) == nil; got != want {
			t.Fatalf("checkBounds(%s) within bounds = %v, want %v (digits %d, places %d)", d, got, want, digits, i)
		}
	})
}
