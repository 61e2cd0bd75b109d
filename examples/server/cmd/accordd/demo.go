package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/accordhq/accord/examples/server/app"
)

// demoDeals are the demo company's deals: one JSON body and how many
// stages it advances.
var demoDeals = []struct {
	body     string
	advances int
}{
	{`{"id":"demo-northwind","account_id":"northwind","account":"Northwind","segment":"mid-market",
		"value":{"amount":"48000","currency":"USD"}}`, 0},
	{`{"id":"demo-acme","account_id":"acme","account":"Acme","segment":"mid-market",
		"value":{"amount":"120000","currency":"USD"},
		"targeting":{"trigger":"new VP of Sales","hypothesis":"forecasts live in spreadsheets"}}`, 1},
	{`{"id":"demo-globex","account_id":"globex","account":"Globex","segment":"enterprise",
		"value":{"amount":"300000","currency":"EUR"},
		"targeting":{"trigger":"CRM contract ends in June","hypothesis":"pipeline reviews take a day a week"},
		"qualification":{"why_now":"board asked for a reliable forecast","fit":"strong"},
		"stakeholders":[{"name":"Kim Park","title":"VP Sales","role":"champion","engaged":true},
		                {"name":"Lee Chen","title":"CFO","role":"economic_buyer","engaged":true}]}`, 2},
}

// seed creates the demo company's deals, unless they exist, and prints a
// new token for each role.
func seed(ctx context.Context, a *app.App, out io.Writer) error {
	rep := demoPeople()[0]
	for _, dd := range demoDeals {
		d, err := a.CreateDeal(ctx, rep, []byte(dd.body))
		var e *app.Error
		if errors.As(err, &e) && e.Kind == app.KindConflict {
			continue // seeded by an earlier run
		}
		if err != nil {
			return err
		}
		for range dd.advances {
			if d, err = a.Advance(ctx, rep, d.Value.ID, d.Rev); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(out, "demo tokens (shown once; the database keeps only their hashes):")
	for _, p := range demoPeople() {
		spec := app.TokenSpec{ActorID: p.ID, Name: p.Name, Role: p.Role, Account: p.Account}
		tok, _, err := a.CreateToken(ctx, spec)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-20s %s\n", p.Role, tok)
	}
	return nil
}
