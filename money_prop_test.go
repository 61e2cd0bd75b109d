package accord_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/accordhq/accord"
)

// propCurrencies are valid codes covering every minor unit in use (0 to 4).
var propCurrencies = []accord.Currency{"USD", "EUR", "INR", "JPY", "KRW", "KWD", "BHD", "CLF", "UYW"}

// genAmount generates amounts with any int64 coefficient and an exponent in
// [-MaxScale, 5]: at most 19+5 digits before the point, within bounds.
func genAmount() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		coef := rapid.Int64().Draw(t, "coef")
		exp := rapid.Int32Range(-accord.MaxScale, 5).Draw(t, "exp")
		return decimal.New(coef, exp)
	})
}

// genMoneyIn generates valid Money in currency c.
func genMoneyIn(c accord.Currency) *rapid.Generator[accord.Money] {
	return rapid.Custom(func(t *rapid.T) accord.Money {
		return accord.Money{Amount: genAmount().Draw(t, "amount"), Currency: c}
	})
}

// genMoney generates valid Money in a random currency.
func genMoney() *rapid.Generator[accord.Money] {
	return rapid.Custom(func(t *rapid.T) accord.Money {
		c := rapid.SampledFrom(propCurrencies).Draw(t, "currency")
		return genMoneyIn(c).Draw(t, "money")
	})
}

// genPair generates two valid amounts in one currency.
func genPair(t *rapid.T) (a, b accord.Money) {
	c := rapid.SampledFrom(propCurrencies).Draw(t, "currency")
	return genMoneyIn(c).Draw(t, "a"), genMoneyIn(c).Draw(t, "b")
}

func TestPropGeneratedMoneyIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genMoney().Draw(t, "m")
		if err := m.Validate("m"); err != nil {
			t.Fatalf("Validate of generated %v: got %v, want no error", m, err)
		}
	})
}

func TestPropJSONRoundTrip(t *testing.T) {
	gen := rapid.OneOf(genMoney(), rapid.Just(accord.Money{}))
	rapid.Check(t, func(t *rapid.T) {
		m := gen.Draw(t, "m")
		b, got := roundTrip(t, m)
		if got.String() != m.String() {
			t.Fatalf("round trip of %v through %s: got %s, want %s (scale kept)", m, b, got, m)
		}
	})
}

func TestPropAddSub(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genPair(t)
		sum := mustOp(t, "Add", accord.Money.Add, a, b)
		if sum.Currency != a.Currency {
			t.Fatalf("%v.Add(%v).Currency: got %q, want %q", a, b, sum.Currency, a.Currency)
		}
		back := mustOp(t, "Sub", accord.Money.Sub, sum, b)
		if !back.Equal(a) {
			t.Fatalf("(%v + %v) - %v: got %v, want %v", a, b, b, back, a)
		}
	})
}

func TestPropAddCommutative(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genPair(t)
		ab, ba := mustOp(t, "Add", accord.Money.Add, a, b), mustOp(t, "Add", accord.Money.Add, b, a)
		if !ab.Equal(ba) {
			t.Fatalf("a + b = %v but b + a = %v (a = %v, b = %v)", ab, ba, a, b)
		}
	})
}

func TestPropMulDistributes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genPair(t)
		k := genAmount().Draw(t, "k")
		sum := mustOp(t, "Add", accord.Money.Add, a, b)
		want, err := a.Mul(k).Add(b.Mul(k))
		if err != nil {
			t.Fatalf("a×k + b×k: %v", err)
		}
		if got := sum.Mul(k); !got.Equal(want) {
			t.Fatalf("(%v + %v) × %v: got %v, want %v", a, b, k, got, want)
		}
	})
}

func TestPropCmp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genPair(t)
		// Half the time compare equal values written with different scales.
		// Adding 0eN keeps the value and lowers the exponent to N.
		if rapid.Bool().Draw(t, "same value") {
			e := rapid.Int32Range(-accord.MaxScale, 5).Draw(t, "scale")
			b = accord.Money{Amount: a.Amount.Add(decimal.New(0, e)), Currency: a.Currency}
		}
		ab, ba := mustOp(t, "Cmp", accord.Money.Cmp, a, b), mustOp(t, "Cmp", accord.Money.Cmp, b, a)
		if ab != -ba {
			t.Fatalf("a.Cmp(b) = %d, b.Cmp(a) = %d, want opposites (a = %v, b = %v)", ab, ba, a, b)
		}
		if ab < -1 || ab > 1 {
			t.Fatalf("%v.Cmp(%v): got %d, want -1, 0 or 1", a, b, ab)
		}
		if eq := a.Equal(b); eq != (ab == 0) {
			t.Fatalf("%v.Equal(%v) = %t but Cmp = %d", a, b, eq, ab)
		}
		if self, err := a.Cmp(a); err != nil || self != 0 {
			t.Fatalf("%v.Cmp(itself): got %d, %v, want 0, nil", a, self, err)
		}
	})
}

func TestPropRound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genMoney().Draw(t, "m")
		units, ok := m.Currency.MinorUnits()
		if !ok {
			t.Fatalf("MinorUnits(%q): not found", m.Currency)
		}
		r := m.Round()
		if r.Currency != m.Currency {
			t.Fatalf("%v.Round().Currency: got %q, want %q", m, r.Currency, m.Currency)
		}
		if rr := r.Round(); !rr.Equal(r) {
			t.Fatalf("%v.Round() = %v but rounding again gives %v", m, r, rr)
		}
		if exp := r.Amount.Exponent(); exp < -units {
			t.Fatalf("%v.Round() = %v: got %d decimal places, want at most %d", m, r, -exp, units)
		}
		half := decimal.New(5, -units-1)
		if diff := m.Amount.Sub(r.Amount).Abs(); diff.Cmp(half) > 0 {
			t.Fatalf("%v.Round() = %v: off by %v, want at most %v", m, r, diff, half)
		}
	})
}

func TestPropCrossCurrency(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		i := rapid.IntRange(0, len(propCurrencies)-1).Draw(t, "i")
		j := rapid.IntRange(1, len(propCurrencies)-1).Draw(t, "j offset")
		ca, cb := propCurrencies[i], propCurrencies[(i+j)%len(propCurrencies)]
		a := genMoneyIn(ca).Draw(t, "a")
		b := rapid.OneOf(genMoneyIn(cb), rapid.Just(accord.Money{})).Draw(t, "b")

		refused(t, a, b)
		if a.Equal(b) {
			t.Fatalf("%v.Equal(%v): got true, want false", a, b)
		}
	})
}

// TestPropBounds checks ParseMoney's bounds against digits counted in the
// text, around every power of ten: a coefficient of n digits with exponent e
// is accepted exactly when e >= -MaxScale and n+e <= MaxDigits.
func TestPropBounds(t *testing.T) {
	genCoef := rapid.OneOf(
		rapid.StringMatching(`[1-9][0-9]{0,39}`),
		rapid.Custom(func(t *rapid.T) string { // 10^k
			return "1" + strings.Repeat("0", rapid.IntRange(0, 40).Draw(t, "k"))
		}),
		rapid.Custom(func(t *rapid.T) string { // 10^k - 1
			return strings.Repeat("9", rapid.IntRange(1, 40).Draw(t, "k"))
		}),
		rapid.Just("0"),
	)
	rapid.Check(t, func(t *rapid.T) {
		coef := genCoef.Draw(t, "coef")
		exp := rapid.IntRange(-accord.MaxScale-5, accord.MaxDigits+5).Draw(t, "exp")
		if rapid.Bool().Draw(t, "at the edge") { // n+e is MaxDigits or one more
			exp = accord.MaxDigits - len(coef) + rapid.IntRange(0, 1).Draw(t, "over")
		}
		sign := rapid.SampledFrom([]string{"", "-"}).Draw(t, "sign")
		amount := sign + coef + "e" + strconv.Itoa(exp)

		wantOK := exp >= -accord.MaxScale && len(coef)+exp <= accord.MaxDigits
		_, err := accord.ParseMoney(amount, "USD")
		if gotOK := err == nil; gotOK != wantOK {
			t.Fatalf("ParseMoney(%q, USD): got error %v, want accepted = %t", amount, err, wantOK)
		}
	})
}
