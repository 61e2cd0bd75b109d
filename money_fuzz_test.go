package accord_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/accordhq/accord"
)

// maxAmountLen is the longest a valid amount can be formatted: a sign,
// MaxDigits digits, the point and MaxScale decimals.
const maxAmountLen = 1 + accord.MaxDigits + 1 + accord.MaxScale

func FuzzMoneyJSON(f *testing.F) {
	for _, seed := range []string{
		// Valid.
		`{"amount":"1200.50","currency":"INR"}`,
		`{"currency":"EUR","amount":"-0.05"}`,
		`{"amount":"0","currency":"JPY"}`,
		`{"amount":"-0.00","currency":"USD"}`,
		`{"amount":"0.000000000000000001","currency":"KWD"}`,
		`{"amount":"999999999999999999999999999999","currency":"USD"}`,
		`{"amount":"1e29","currency":"USD"}`,
		`{"amount":"0e29","currency":"USD"}`,
		`{"amount":"0e30","currency":"USD"}`,
		`{"AMOUNT":"1","Currency":"USD"}`,
		`{"amount":"\u0031.5","currency":"USD"}`,
		`{"amount":"1","currency":"USD","amount":"2"}`,
		// Null.
		`null`,
		` null `,
		`{"amount":null,"currency":"USD"}`,
		`{"amount":"1","currency":null}`,
		`{"amount":"null","currency":"USD"}`,
		// Numbers.
		`{"amount":1200.5,"currency":"INR"}`,
		`{"amount":-3,"currency":"JPY"}`,
		`{"amount":1e3,"currency":"JPY"}`,
		`{"amount":2.5E-1,"currency":"USD"}`,
		`{"amount":-0,"currency":"USD"}`,
		`12`,
		// Huge exponents and bounds.
		`{"amount":"1e-2147483648","currency":"USD"}`,
		`{"amount":1e-2147483648,"currency":"USD"}`,
		`{"amount":"1e99999","currency":"USD"}`,
		`{"amount":1e99999,"currency":"USD"}`,
		`{"amount":"0e2147483647","currency":"USD"}`,
		`{"amount":"0.5e-2147483648","currency":"USD"}`,
		`{"amount":"1e2147483648","currency":"USD"}`,
		`{"amount":"1000000000000000e15","currency":"USD"}`,
		`{"amount":"1e-19","currency":"USD"}`,
		`{"amount":"1e30","currency":"USD"}`,
		// Garbage.
		``,
		`}{`,
		`{"amount":`,
		`"1.00 USD"`,
		`[]`,
		`true`,
		`{}`,
		`{"amount":"","currency":"USD"}`,
		`{"amount":"abc","currency":"USD"}`,
		`{"amount":"1","currency":"usd"}`,
		`{"amount":"1","currency":"XYZ"}`,
		`{"amount":"1","currency":5}`,
		`{"amount":true,"currency":"USD"}`,
		`{"amount":"1","currency":"USD"}{"x":1}`,
		// Nested objects.
		`{"amount":{"amount":"1","currency":"USD"},"currency":"USD"}`,
		`{"amount":"1","currency":{"code":"USD"}}`,
		`{"amount":"1","currency":"USD","note":{"a":[1,{"b":null}]}}`,
		`[{"amount":"1","currency":"USD"}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Calling the method directly, on any bytes, must not panic either.
		var direct accord.Money
		_ = direct.UnmarshalJSON(data)

		var m accord.Money
		if err := json.Unmarshal(data, &m); err != nil {
			if m.IsSet() || !m.Amount.IsZero() {
				t.Fatalf("json.Unmarshal(%q) failed with %v but left %v, want the zero Money", data, err, m)
			}
			return
		}
		if err := m.Validate("money"); err != nil {
			t.Fatalf("json.Unmarshal(%q) = %v, which does not validate: %v", data, m, err)
		}
		if s := m.String(); len(s) > maxAmountLen+4 {
			t.Fatalf("json.Unmarshal(%q) = %v: String is %d bytes, want at most %d", data, s, len(s), maxAmountLen+4)
		}
		roundTrip(t, m)
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, seed := range []struct{ amount, currency string }{
		{"1200.50", "INR"},
		{"-2.345", "USD"},
		{"0", "JPY"},
		{"0", ""},
		{"1.0005", "KWD"},
		{"0.12345", "CLF"},
		{"1e3", "JPY"},
		{".5", "USD"},
		{"5.", "USD"},
		{"+7", "EUR"},
		{"-0.00", "EUR"},
		{"0.000000000000000001", "USD"},
		{"999999999999999999999999999999", "USD"},
		{"1000000000000000e15", "USD"},
		{"999999999999999e15", "USD"},
		{"1e-2147483648", "USD"},
		{"1e99999", "USD"},
		{"0e2147483647", "USD"},
		{"1e2147483648", "USD"},
		{"", "USD"},
		{"abc", "USD"},
		{"1,000", "USD"},
		{"NaN", "USD"},
		{"1", "usd"},
		{"1", "XYZ"},
		{"1", "USDX"},
	} {
		f.Add(seed.amount, seed.currency)
	}
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := accord.ParseMoney(amount, accord.Currency(currency))
		if err != nil {
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("ParseMoney(%q, %q): errors.Is(%v, ErrInvalid) is false, want true", amount, currency, err)
			}
			var fe *accord.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseMoney(%q, %q): got %v, want a *FieldError", amount, currency, err)
			}
			if m.IsSet() || !m.Amount.IsZero() {
				t.Fatalf("ParseMoney(%q, %q) failed with %v but returned %v, want the zero Money", amount, currency, err, m)
			}
			return
		}
		if m.Currency != accord.Currency(currency) || !m.Currency.Valid() {
			t.Fatalf("ParseMoney(%q, %q).Currency: got %q, want %q, a valid code", amount, currency, m.Currency, currency)
		}
		if want := decimal.RequireFromString(amount); !m.Amount.Equal(want) {
			t.Fatalf("ParseMoney(%q, %q).Amount: got %v, want %v", amount, currency, m.Amount, want)
		}
		if err := m.Validate("money"); err != nil {
			t.Fatalf("ParseMoney(%q, %q) = %v, which does not validate: %v", amount, currency, m, err)
		}

		// The String form parses back to an Equal value with the same form.
		s := m.String()
		text, ok := strings.CutSuffix(s, " "+currency)
		if !ok || len(text) > maxAmountLen {
			t.Fatalf("ParseMoney(%q, %q).String(): got %q, want an amount of at most %d bytes, a space and %s", amount, currency, s, maxAmountLen, currency)
		}
		again, err := accord.ParseMoney(text, m.Currency)
		if err != nil {
			t.Fatalf("ParseMoney(%q, %q), from %v: %v", text, currency, m, err)
		}
		if !again.Equal(m) || again.String() != s {
			t.Fatalf("ParseMoney(%q, %q): got %v, want %v", text, currency, again, s)
		}

		// JSON round-trips.
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("json.Marshal(%v): %v", m, err)
		}
		var m2 accord.Money
		if err := json.Unmarshal(b, &m2); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if !m2.Equal(m) {
			t.Fatalf("json round trip of %v through %s: got %v", m, b, m2)
		}

		// Rounding is idempotent, within half a minor unit, and payable.
		units, _ := m.Currency.MinorUnits()
		r := m.Round()
		if rr := r.Round(); !rr.Equal(r) {
			t.Fatalf("%v.Round() = %v, rounding again gives %v", m, r, rr)
		}
		if diff := m.Amount.Sub(r.Amount).Abs(); diff.Cmp(decimal.New(5, -units-1)) > 0 {
			t.Fatalf("%v.Round() = %v: off by %v, want at most half a minor unit", m, r, diff)
		}
	})
}
