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
