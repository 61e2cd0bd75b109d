package accord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// Bounds on the amounts [Money] accepts from text, so that no input can make
// formatting an amount allocate without limit.
const (
	// MaxScale is the most decimal places an amount may carry.
	MaxScale = 18
	// MaxDigits is the most digits an amount may have before the point.
	MaxDigits = 30
)

// Money is an exact decimal amount in an ISO 4217 currency.
//
// The zero Money (no amount, no currency) means "not set". Arithmetic and
// comparison between amounts of different currencies return an error wrapping
// [ErrInvalid]; there is no silent conversion. Compare amounts with
// [Money.Equal] or [Money.Cmp], never with ==, which compares the decimal's
// representation (1.0 and 1 differ).
//
// In JSON a Money is {"amount":"1200.50","currency":"INR"}, the amount a
// string that keeps its scale, so it round-trips exactly; the zero Money is
// null.
type Money struct {
	Amount   decimal.Decimal
	Currency Currency
}

// NewMoney returns amount in currency, or an error if the currency is not an
// active ISO 4217 code.
func NewMoney(amount decimal.Decimal, currency Currency) (Money, error) {
	m := Money{Amount: amount, Currency: currency}
	// Not Validate: a constructor needs a currency even for a zero amount.
	if err := m.validate("money"); err != nil {
		return Money{}, err
	}
	return m, nil
}

// ParseMoney parses a decimal amount such as "1200.50" in currency. The
// amount may have at most [MaxScale] decimal places and [MaxDigits] digits
// before the point.
func ParseMoney(amount string, currency Currency) (Money, error) {
	d, err := decimal.NewFromString(amount)
	if err != nil {
		return Money{}, Invalid("money.amount", "must be a decimal number, got %q", amount)
	}
	return NewMoney(d, currency)
}

// Validate reports a Money whose currency is not an active ISO 4217 code or
// whose amount is out of bounds. The zero Money is valid: it means "not set".
// Errors name their field under prefix, such as "value.currency".
func (m Money) Validate(prefix string) error {
	// The answer for a valid Money comes first and builds nothing: every
	// move of a deal validates its amounts.
	if m.Currency == "" && m.Amount.IsZero() || m.Currency.Valid() && bounded(m.Amount) {
		return nil
	}
	return m.validate(prefix)
}

// bounded reports whether checkBounds accepts d, answering the common case
// (at most MaxScale decimal places and no positive exponent: see
// checkBounds) with one comparison, inlined into Validate.
func bounded(d decimal.Decimal) bool {
	if exp := d.Exponent(); exp <= 0 && exp >= -MaxScale {
		b := &digitBounds[-exp]
		switch d.Sign() {
		case 0:
			return true
		case 1:
			return d.Cmp(b[1]) < 0
		}
		return d.Cmp(b[0]) > 0
	}
	return checkBounds(d) == nil
}

func (m Money) validate(prefix string) error {
	var errs []error
	if !m.Currency.Valid() {
		errs = append(errs, Invalid(join(prefix, "currency"), "must be an active ISO 4217 code, got %q", m.Currency))
	}
	if err := checkBounds(m.Amount); err != nil {
		errs = append(errs, Invalid(join(prefix, "amount"), "%s", err))
	}
	return errors.Join(errs...)
}

func checkBounds(d decimal.Decimal) error {
	exp := d.Exponent()
	if exp < -MaxScale {
		return fmt.Errorf("must have at most %d decimal places", MaxScale)
	}
	// Zero is bounded too: formatting 0e2147483647 would compute
	// 10^2147483647.
	if exp <= 0 {
		// The common case, answered without counting digits: at exponent
		// exp the amount has at most MaxDigits digits before the point
		// exactly when its coefficient lies strictly within
		// ±10^(MaxDigits-exp), and two decimals of one exponent compare
		// without rescaling or allocating.
		// The sign picks the one bound to compare with.
		b := &digitBounds[-exp]
		switch d.Sign() {
		case 0:
			return nil
		case 1:
			if d.Cmp(b[1]) < 0 {
				return nil
			}
		default:
			if d.Cmp(b[0]) > 0 {
				return nil
			}
		}
		return fmt.Errorf("must have at most %d digits before the point", MaxDigits)
	}
	if numDigits(d)+int64(exp) > MaxDigits {
		return fmt.Errorf("must have at most %d digits before the point", MaxDigits)
	}
	return nil
}

// digitBounds[i] holds -10^(MaxDigits+i) and 10^(MaxDigits+i) at exponent
// -i: the open interval of the amounts with i decimal places and at most
// MaxDigits digits before the point. Built once, never written.
var digitBounds = func() (b [MaxScale + 1][2]decimal.Decimal) {
	for i := range b {
		limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(MaxDigits+i)), nil)
		b[i][1] = decimal.NewFromBigInt(limit, int32(-i))
		b[i][0] = decimal.NewFromBigInt(new(big.Int).Neg(limit), int32(-i))
	}
	return b
}()

// numDigits returns the number of digits of d's coefficient, 1 for zero.
// decimal's NumDigits takes a float logarithm of coefficients up to 2^53 (at
// most 16 digits) and is one short for some powers of ten (it counts 10^15
// as 15 digits), so those are counted here; above them it is exact.
func numDigits(d decimal.Decimal) int64 {
	if n := d.NumDigits(); n > 16 {
		return int64(n)
	}
	c := d.CoefficientInt64() // exact: fewer than 18 digits
	if c < 0 {
		c = -c
	}
	n := int64(1)
	for ; c >= 10; c /= 10 {
		n++
	}
	return n
}

// IsZero reports whether m is the zero Money: no currency and a zero amount.
func (m Money) IsZero() bool { return m.Currency == "" && m.Amount.IsZero() }

// IsSet reports whether m has a currency, that is, whether it was set.
func (m Money) IsSet() bool { return m.Currency != "" }

func (m Money) same(o Money, op string) error {
	if m.Currency != o.Currency {
		return fmt.Errorf("%w: cannot %s %s and %s amounts", ErrInvalid, op, m.currencyName(), o.currencyName())
	}
	if !saneExponent(m.Amount) || !saneExponent(o.Amount) {
		return fmt.Errorf("%w: cannot %s amounts with exponents %d and %d: an exponent beyond ±1000 is refused", ErrInvalid, op, m.Amount.Exponent(), o.Amount.Exponent())
	}
	return nil
}

// maxOpExponent bounds the exponents that arithmetic accepts. It is far
// looser than validation (products of rates carry many decimal places) but
// keeps rescaling cheap.
const maxOpExponent = 1000

// saneExponent reports whether arithmetic on d is cheap. decimal rescales
// operands to a common exponent, which costs time in the distance between
// exponents: an amount built directly with an exponent like -2147483648
// would make an addition, a comparison or rounding run for hours.
// Operations refuse such amounts instead.
func saneExponent(d decimal.Decimal) bool {
	exp := d.Exponent()
	return exp >= -maxOpExponent && exp <= maxOpExponent
}

func (m Money) currencyName() string {
	if m.Currency == "" {
		return "unset-currency"
	}
	return string(m.Currency)
}

// Add returns m + o. Amounts in different currencies are not added, nor
// amounts with an extreme exponent (see [Money.Round]): the error wraps
// [ErrInvalid].
func (m Money) Add(o Money) (Money, error) {
	if err := m.same(o, "add"); err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Add(o.Amount), Currency: m.Currency}, nil
}

// Sub returns m − o. Amounts in different currencies are not subtracted,
// nor amounts with an extreme exponent: the error wraps [ErrInvalid].
func (m Money) Sub(o Money) (Money, error) {
	if err := m.same(o, "subtract"); err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Sub(o.Amount), Currency: m.Currency}, nil
}

// Mul returns m × factor, exactly, in m's currency. Round the result with
// [Money.Round] when it must be payable.
func (m Money) Mul(factor decimal.Decimal) Money {
	return Money{Amount: m.Amount.Mul(factor), Currency: m.Currency}
}

// Cmp compares m and o: -1 if m < o, 0 if equal, +1 if m > o. Amounts in
// different currencies are not comparable, nor amounts with an extreme
// exponent: the error wraps [ErrInvalid].
func (m Money) Cmp(o Money) (int, error) {
	if err := m.same(o, "compare"); err != nil {
		return 0, err
	}
	return m.Amount.Cmp(o.Amount), nil
}

// Equal reports whether m and o have the same currency and equal amounts
// (1.0 USD equals 1 USD).
func (m Money) Equal(o Money) bool {
	if m.Currency != o.Currency {
		return false
	}
	if !saneExponent(m.Amount) || !saneExponent(o.Amount) {
		// Extreme exponents: equal only in representation, without
		// rescaling.
		return m.Amount.Exponent() == o.Amount.Exponent() && m.Amount.Cmp(o.Amount) == 0
	}
	return m.Amount.Equal(o.Amount)
}

// Round rounds m to its currency's minor unit (cents for USD, whole yen for
// JPY), half away from zero. A Money whose currency is unknown, or whose
// amount has an extreme exponent (beyond ±1000, which no validated amount
// has), is returned unchanged.
func (m Money) Round() Money {
	places, ok := m.Currency.MinorUnits()
	if !ok || !saneExponent(m.Amount) {
		return m
	}
	return Money{Amount: m.Amount.Round(places), Currency: m.Currency}
}

// String formats m as "1200.50 INR", keeping the amount's scale.
func (m Money) String() string {
	if m.IsZero() {
		return "unset"
	}
	return formatAmount(m.Amount) + " " + string(m.Currency)
}

// formatAmount keeps the scale of d: 1200.50 stays "1200.50".
func formatAmount(d decimal.Decimal) string {
	if !saneExponent(d) {
		// Extreme exponent: scientific notation, without expanding zeros.
		return d.Coefficient().String() + "e" + fmt.Sprint(d.Exponent())
	}
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.String()
}

type moneyJSON struct {
	Amount   json.RawMessage `json:"amount"`
	Currency Currency        `json:"currency"`
}

// MarshalJSON encodes m as {"amount":"1200.50","currency":"INR"}, or null
// for the zero Money. It fails for a Money that [Money.Validate] rejects.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	if err := m.Validate("money"); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"amount":"`)
	b.WriteString(formatAmount(m.Amount))
	b.WriteString(`","currency":"`)
	b.WriteString(string(m.Currency))
	b.WriteString(`"}`)
	return b.Bytes(), nil
}

// UnmarshalJSON decodes {"amount":"1200.50","currency":"INR"}; the amount
// may also be a JSON number. null leaves m unchanged. The currency must be an
// active ISO 4217 code and the amount within bounds.
func (m *Money) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var raw moneyJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%w: money: %v", ErrInvalid, err)
	}
	text := string(raw.Amount)
	if len(raw.Amount) > 0 && raw.Amount[0] == '"' {
		if err := json.Unmarshal(raw.Amount, &text); err != nil {
			return fmt.Errorf("%w: money.amount: %v", ErrInvalid, err)
		}
	}
	if len(raw.Amount) == 0 || text == "null" {
		return Invalid("money.amount", "is required")
	}
	if raw.Currency == "" {
		return Invalid("money.currency", "is required")
	}
	v, err := ParseMoney(text, raw.Currency)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
