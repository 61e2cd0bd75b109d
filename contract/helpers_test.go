package contract_test

import (
	"encoding/json"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/accordhq/accord/contract"
)

type fataler interface {
	Fatalf(format string, args ...any)
}

// clone returns a deep copy of c through its JSON form.
func clone(t fataler, c contract.Contract) contract.Contract {
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out contract.Contract
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}

// exact compares decimals by their representation: 1.0 and 1 differ.
var exact = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.String() == b.String() && a.Exponent() == b.Exponent() })
