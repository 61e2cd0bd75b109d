// Package moneytest writes the amounts of the module's test fixtures: a
// decimal literal in a currency, read by accord.ParseMoney as a host's
// input is, with a panic for a literal that does not parse (a bug in the
// fixture, not in the code under test). It is imported by tests only.
package moneytest

import "github.com/accordhq/accord"

// Parse returns the amount s in currency c; it panics when s does not
// parse.
func Parse(s string, c accord.Currency) accord.Money {
	m, err := accord.ParseMoney(s, c)
	if err != nil {
		panic(err)
	}
	return m
}

// USD returns the amount s in US dollars; it panics when s does not parse.
func USD(s string) accord.Money { return Parse(s, "USD") }
