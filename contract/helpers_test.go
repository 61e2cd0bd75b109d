package contract_test

import (
	"encoding/json"

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
