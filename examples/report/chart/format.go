package chart

import (
	"strconv"
	"strings"

	"github.com/accordhq/accord"
)

// Int writes n with thousands separators: 8800 as "8,800".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = group(s)
	if neg {
		return "-" + s
	}
	return s
}

// group puts commas between the groups of three digits of a string of
// digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Percent writes a share from 0 to 1 as a percentage with one decimal:
// 0.63153 as "63.2%".
func Percent(v float64) string {
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// symbols are the currency symbols written before an amount; other
// currencies are written as a code after it.
var symbols = map[accord.Currency]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

// Money writes an amount with thousands separators and its currency: "$1,234,567"
// for a whole amount, "$1,234.50" otherwise, "1,234 CHF" for a currency
// without a symbol here, and "" when m is not set.
func Money(m accord.Money) string {
	if !m.IsSet() {
		return ""
	}
	places := int32(2)
	if u, ok := m.Currency.MinorUnits(); ok {
		places = u
	}
	a := m.Amount
	s := a.StringFixed(places)
	if a.Equal(a.Truncate(0)) {
		s = a.StringFixed(0)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	s = group(whole)
	if frac != "" {
		s += "." + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if sym, ok := symbols[m.Currency]; ok {
		return sign + sym + s
	}
	return sign + s + " " + string(m.Currency)
}
