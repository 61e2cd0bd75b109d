package metrics

import (
	"fmt"
	"math/big"
)

// Rate is a share: Num of Den counted things have a property, so
// 0 ≤ Num ≤ Den. It keeps both counts rather than a float, so that rates
// from shards can be added and a reader sees how much evidence stands behind
// a figure. A Rate over nothing (Den 0) is undefined: [Rate.Value] says so.
//
// In JSON a Rate is {"num":3,"den":4}.
type Rate struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Value returns Num/Den and true, or 0 and false when the rate is undefined
// because Den is 0.
func (r Rate) Value() (float64, bool) { return ratio(r.Num, r.Den) }

// String formats r as "75.00% (3/4)", or "undefined (0/0)".
func (r Rate) String() string { return formatQuotient(r.Num, r.Den, 100, "%") }

// AtLeast reports whether r is defined and at least pct percent, compared
// exactly (Num×100 ≥ pct×Den, without overflow).
func (r Rate) AtLeast(pct int64) bool {
	if r.Den <= 0 || r.Num < 0 {
		return false
	}
	return cmpScaled(r.Num, 100, pct, r.Den) >= 0
}

// AtMost reports whether r is defined and at most pct percent, compared
// exactly.
func (r Rate) AtMost(pct int64) bool {
	if r.Den <= 0 || r.Num < 0 {
		return false
	}
	return cmpScaled(r.Num, 100, pct, r.Den) <= 0
}

// cmpScaled compares a×b with c×d exactly.
func cmpScaled(a, b, c, d int64) int {
	var x, y big.Int
	x.Mul(big.NewInt(a), big.NewInt(b))
	y.Mul(big.NewInt(c), big.NewInt(d))
	return x.Cmp(&y)
}

// Ratio is a quotient of two counts that is not a share, such as activities
// per week: Num may exceed Den. Like a [Rate] it keeps both counts, and is
// undefined when Den is 0.
//
// In JSON a Ratio is {"num":9,"den":2}.
type Ratio struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Value returns Num/Den and true, or 0 and false when Den is 0.
func (r Ratio) Value() (float64, bool) { return ratio(r.Num, r.Den) }

// String formats r as "4.50 (9/2)", or "undefined (9/0)".
func (r Ratio) String() string { return formatQuotient(r.Num, r.Den, 1, "") }

// formatQuotient formats num/den, times scale, with two decimals and unit,
// then the counts: "75.00% (3/4)"; "undefined (0/0)" when den is 0.
func formatQuotient(num, den int64, scale float64, unit string) string {
	v, ok := ratio(num, den)
	if !ok {
		return fmt.Sprintf("undefined (%d/%d)", num, den)
	}
	return fmt.Sprintf("%.2f%s (%d/%d)", scale*v, unit, num, den)
}

func ratio(num, den int64) (float64, bool) {
	if den == 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}
