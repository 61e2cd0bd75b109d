package accord_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/accordhq/accord"
)

// Each benchmark pairs Money with the bare decimal.Decimal a user would
// otherwise reach for, to show what the currency check and the JSON form
// that keeps the scale cost.

var (
	sinkMoney   accord.Money
	sinkDecimal decimal.Decimal
	sinkBytes   []byte
)

// loop runs op in b's loop, reporting allocations, and keeps its result in
// sink so that the compiler cannot drop it; an error fails b. Money and
// decimal go through the same loop, so that they are compared alike.
func loop[T any](b *testing.B, sink *T, op func() (T, error)) {
	b.ReportAllocs()
	for b.Loop() {
		v, err := op()
		if err != nil {
			b.Fatal(err)
		}
		*sink = v
	}
}

func BenchmarkMoneyAdd(b *testing.B) {
	x := money(b, "1200.50", "USD")
	y := money(b, "99.99", "USD")
	loop(b, &sinkMoney, func() (accord.Money, error) { return x.Add(y) })
}

func BenchmarkDecimalAdd(b *testing.B) {
	x := decimal.RequireFromString("1200.50")
	y := decimal.RequireFromString("99.99")
	loop(b, &sinkDecimal, func() (decimal.Decimal, error) { return x.Add(y), nil })
}

func BenchmarkMoneyMarshalJSON(b *testing.B) {
	m := money(b, "1200.50", "USD")
	loop(b, &sinkBytes, func() ([]byte, error) { return json.Marshal(m) })
}

// decimalMoney is the struct a user would write without accord. Note that
// decimal's own JSON drops trailing zeros ("1200.5"), so it does not keep
// the scale as Money does.
type decimalMoney struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"`
}

func BenchmarkDecimalMarshalJSON(b *testing.B) {
	m := decimalMoney{Amount: decimal.RequireFromString("1200.50"), Currency: "USD"}
	loop(b, &sinkBytes, func() ([]byte, error) { return json.Marshal(m) })
}
