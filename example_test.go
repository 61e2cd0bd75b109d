package accord_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/accordhq/accord"
)

func ExampleParseMoney() {
	m, err := accord.ParseMoney("1200.50", "INR")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m)
	fmt.Println(m.Amount, m.Currency)

	_, err = accord.ParseMoney("1,200.50", "INR")
	fmt.Println(err)
	_, err = accord.ParseMoney("1200.50", "inr")
	fmt.Println(err)
	fmt.Println(errors.Is(err, accord.ErrInvalid))
	// Output:
	// 1200.50 INR
	// 1200.5 INR
	// money.amount: must be a decimal number, got "1,200.50"
	// money.currency: must be an active ISO 4217 code, got "inr"
	// true
}

func ExampleMoney_Add() {
	price, _ := accord.ParseMoney("1200.50", "USD")
	tax, _ := accord.ParseMoney("96.04", "USD")
	total, err := price.Add(tax)
	fmt.Println(total, err)

	fee, _ := accord.ParseMoney("25", "EUR")
	_, err = total.Add(fee)
	fmt.Println(err)
	fmt.Println(errors.Is(err, accord.ErrInvalid))
	// Output:
	// 1296.54 USD <nil>
	// accord: invalid: cannot add USD and EUR amounts
	// true
}

func ExampleMoney_Round() {
	for _, in := range []struct {
		amount   string
		currency accord.Currency
	}{
		{"2.345", "USD"},
		{"-2.345", "USD"},
		{"7", "USD"},
		{"1234.5", "JPY"},
		{"1.0005", "KWD"},
	} {
		m, _ := accord.ParseMoney(in.amount, in.currency)
		fmt.Println(m, "->", m.Round())
	}

	// A discount computed exactly, then rounded to be payable.
	price, _ := accord.ParseMoney("19.99", "EUR")
	discount := price.Mul(decimal.RequireFromString("0.175"))
	fmt.Println(discount, "->", discount.Round())
	// Output:
	// 2.345 USD -> 2.35 USD
	// -2.345 USD -> -2.35 USD
	// 7 USD -> 7.00 USD
	// 1234.5 JPY -> 1235 JPY
	// 1.0005 KWD -> 1.001 KWD
	// 3.49825 EUR -> 3.50 EUR
}

func ExampleMoney_MarshalJSON() {
	type invoice struct {
		Total accord.Money `json:"total"`
		Paid  accord.Money `json:"paid"`
	}
	total, _ := accord.ParseMoney("1200.50", "INR")
	b, err := json.Marshal(invoice{Total: total})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))

	var back invoice
	if err := json.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Total, back.Total.Equal(total), back.Paid.IsSet())

	// Amounts may also arrive as JSON numbers.
	var m accord.Money
	err = json.Unmarshal([]byte(`{"amount":99.9,"currency":"USD"}`), &m)
	fmt.Println(m, err)
	// Output:
	// {"total":{"amount":"1200.50","currency":"INR"},"paid":null}
	// 1200.50 INR true false
	// 99.9 USD <nil>
}

// A host handles a refusal one way, whatever refused it: it tells a
// refusal from bad input by class, returns the refusal as JSON with 422, as
// the reference service (examples/server) does, and lists the fields of bad
// input without walking the error tree.
func ExampleBlockedError_json() {
	handle := func(err error) {
		var blocked *accord.BlockedError
		switch {
		case errors.As(err, &blocked):
			body, _ := json.Marshal(blocked)
			fmt.Printf("422 %s\n", body)
		case errors.Is(err, accord.ErrInvalid):
			for _, fe := range accord.FieldErrors(err) {
				fmt.Printf("400 %s: %s\n", fe.Field, fe.Rule)
			}
		}
	}
	handle(fmt.Errorf("create contract: %w", &accord.BlockedError{
		Op: accord.OpCreateContract, Subject: "deal-42",
		Unmet: []accord.Unmet{{Criterion: "deal_won", Message: "Close the deal won first.", Field: "stage"}},
	}))
	handle(fmt.Errorf("create contract: %w", errors.Join(
		accord.Invalid("months", "must be between 1 and 120; got 0"),
		accord.Invalid("billing", "is required"),
	)))
	// Output:
	// 422 {"op":"create_contract","subject":"deal-42","unmet":[{"criterion":"deal_won","message":"Close the deal won first.","field":"stage"}]}
	// 400 months: must be between 1 and 120; got 0
	// 400 billing: is required
}

func ExampleFieldErrors() {
	err := fmt.Errorf("save deal: %w", errors.Join(
		accord.Invalid("value.currency", "is required"),
		fmt.Errorf("stakeholders: %w", accord.Invalid("stakeholders[2].role", "is unknown")),
	))
	for _, fe := range accord.FieldErrors(err) {
		fmt.Println(fe.Field, "-", fe.Rule)
	}
	// Output:
	// value.currency - is required
	// stakeholders[2].role - is unknown
}
