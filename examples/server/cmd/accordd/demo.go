package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/internal/demo"
)

// seed seeds the demo company (package demo) and prints a new token for
// each of its people.
func seed(ctx context.Context, a *app.App, out io.Writer) error {
	if err := demo.Seed(ctx, a, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(out, "demo tokens (shown once; the database keeps only their hashes):")
	for _, p := range demo.People() {
		spec := app.TokenSpec{ActorID: p.ID, Name: p.Name, Role: p.Role, Account: p.Account}
		tok, _, err := a.CreateToken(ctx, spec)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-20s %s\n", p.Role, tok)
	}
	fmt.Fprint(out, demo.Steps)
	return nil
}

// demoPeople are the people the sign-in page offers in -demo mode.
func demoPeople() []app.Principal { return demo.People() }
