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

func BenchmarkMoneyAdd(b *testing.B) {
	x := money(b, "1200.50", "USD")
	y := money(b, "99.99", "USD")
	b.ReportAllocs()
	for b.Loop() {
		sum, err := x.Add(y)
		if err != nil {
			b.Fatal(err)
		}
		sinkMoney = sum
	}
}

func BenchmarkDecimalAdd(b *testing.B) {
	x := decimal.RequireFromString("1200.50")
	y := decimal.RequireFromString("99.99")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecimal = x.Add(y)
	}
}

func BenchmarkMoneyMarshalJSON(b *testing.B) {
	m := money(b, "1200.50", "USD")
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
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
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
}
