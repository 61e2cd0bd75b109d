package metrics

import (
	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// amountSum adds decimal amounts exactly without allocating per amount in
// the common case: amounts that share an exponent and have at most 15
// digits are summed as int64 coefficients; any other amount, or a sum that
// would overflow, goes through decimal arithmetic.
type amountSum struct {
	exp   int32
	small int64
	has   bool // exp is set
	big   decimal.Decimal
}

func (s *amountSum) add(a decimal.Decimal) {
	if a.NumDigits() <= 15 {
		if !s.has {
			s.exp, s.has = a.Exponent(), true
		}
		if a.Exponent() == s.exp {
			c := a.CoefficientInt64()
			if t := s.small + c; (c >= 0) == (t >= s.small) {
				s.small = t
				return
			}
		}
	}
	s.big = s.big.Add(a)
}

func (s *amountSum) merge(o *amountSum) {
	oc := *o // o may be s
	o = &oc
	if o.has {
		s.add(decimal.New(o.small, o.exp))
	}
	if !o.big.IsZero() {
		s.big = s.big.Add(o.big)
	}
}

func (s *amountSum) value() decimal.Decimal {
	if !s.has {
		return s.big
	}
	return s.big.Add(decimal.New(s.small, s.exp))
}

func (s *amountSum) money(c accord.Currency) accord.Money {
	return accord.Money{Amount: s.value(), Currency: c}
}

// minorUnits returns the decimal places of c, or 2 for an unknown currency.
func minorUnits(c accord.Currency) int32 {
	if n, ok := c.MinorUnits(); ok {
		return n
	}
	return 2
}
