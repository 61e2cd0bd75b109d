package contractcsv

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func decimalOf(n int) decimal.Decimal { return decimal.NewFromInt(int64(n)) }
