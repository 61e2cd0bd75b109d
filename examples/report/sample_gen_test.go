package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

var gen = flag.Bool("gen", false, "regenerate the sample export in testdata")

// TestGenerateSample writes the committed sample export: accounts,
// opportunities and their stage changes, from a fixed seed, with a handful
// of deliberately bad rows. It runs only with -gen:
//
//	go test ./examples/report -run TestGenerateSample -gen
func TestGenerateSample(t *testing.T) {
	if !*gen {
		t.Skip("regenerate with -gen")
	}
	accounts, opps, events := sample()
	for name, rows := range map[string][][]string{"accounts.csv": accounts, "opportunities.csv": opps, "events.csv": events} {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/"+name, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var (
	sectors    = []string{"Finance", "Healthcare", "Manufacturing", "Retail", "Software"}
	openLabels = []string{"Prospecting", "Qualifying", "Proposal Sent", "Negotiation"}
	reps       = []string{"Ana Ruiz", "Ben Okafor", "Chen Wei", "Dana Levi", "Eli Novak"}
	prefixes   = []string{"Acme", "Blue", "Cedar", "Delta", "Echo", "Fern", "Granite", "Harbor", "Iris", "Juniper"}
	suffixes   = []string{"Labs", "Health", "Works", "Goods", "Systems", "Bank"}
)

// sample returns the rows of the three sample files.
func sample() (accounts, opps, events [][]string) {
	r := rand.New(rand.NewPCG(6, 2026))
	accounts = [][]string{{"Account", "Sector", "Country"}}
	var names []string
	for i := 0; i < 30; i++ {
		name := prefixes[i%len(prefixes)] + " " + suffixes[(i/len(prefixes)+i)%len(suffixes)]
		names = append(names, name)
		accounts = append(accounts, []string{name, sectors[r.IntN(len(sectors))], []string{"US", "UK", "DE", "IN"}[r.IntN(4)]})
	}
	opps = [][]string{{"Opportunity ID", "Rep", "Account", "Deal Stage", "Engaged On", "Closed On", "Amount"}}
	events = [][]string{{"Deal", "Account", "Changed At", "New Stage"}}
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 300; i++ {
		id := fmt.Sprintf("OPP-%04d", 1001+i)
		acct := names[r.IntN(len(names))]
		engaged := start.AddDate(0, 0, r.IntN(300))
		amount := fmt.Sprintf("$%s.00", thousands(1000+500*r.IntN(120)))
		// The furthest open stage reached, and the outcome.
		reached := r.IntN(len(openLabels))
		outcome := r.IntN(10) // 0-3 won, 4-6 lost, 7-9 open
		stage, closed := openLabels[reached], ""
		at := engaged.Add(time.Duration(r.IntN(8*60)) * time.Minute)
		evs := [][]string{{id, acct, at.Format("2006-01-02 15:04"), openLabels[0]}}
		for s := 1; s <= reached || (outcome <= 3 && s < len(openLabels)); s++ {
			at = at.Add(time.Duration(24*(2+r.IntN(20))) * time.Hour)
			evs = append(evs, []string{id, acct, at.Format("2006-01-02 15:04"), openLabels[s]})
			if s == 3 && r.IntN(6) == 0 { // a deal sent back to the proposal
				at = at.Add(time.Duration(24*(1+r.IntN(5))) * time.Hour)
				evs = append(evs, []string{id, acct, at.Format("2006-01-02 15:04"), openLabels[2]}, []string{id, acct, at.Add(72 * time.Hour).Format("2006-01-02 15:04"), openLabels[3]})
				at = at.Add(72 * time.Hour)
			}
		}
		switch {
		case outcome <= 3:
			stage = "Closed Won"
		case outcome <= 6:
			stage = "Closed Lost"
		}
		if outcome <= 6 {
			at = at.Add(time.Duration(24*(1+r.IntN(15))) * time.Hour)
			closed = at.Format("1/2/2006")
			evs = append(evs, []string{id, acct, at.Format("2006-01-02 15:04"), stage})
		}
		opened := engaged.Format("1/2/2006")
		if outcome > 6 && reached == 0 && r.IntN(2) == 0 {
			opened = "" // not engaged yet
		}
		if outcome > 6 && r.IntN(3) == 0 {
			amount = ""
		}
		opps = append(opps, []string{id, reps[r.IntN(len(reps))], acct, stage, opened, closed, amount})
		events = append(events, evs...)
	}
	// Bad rows, placed among the good ones.
	bad := [][]string{
		{"", "Ana Ruiz", "Acme Labs", "Closed Won", "2/3/2025", "3/4/2025", "$5,000.00"},
		{"OPP-9002", "Ben Okafor", "Blue Health", "Closed Lost", "13/45/2025", "3/4/2025", "$7,500.00"},
		{"OPP-9003", "Chen Wei", "Cedar Works", "Closed Won", "5/1/2025", "4/1/2025", "$9,000.00"},
		{"OPP-9004", "Dana Levi", "Delta Goods", "Negotiation", "5/1/2025", "", "about 5k"},
		{"OPP-9005", "Eli Novak", "Umbrella Corp", "Closed Won", "5/1/2025", "6/1/2025", "$3,000.00"},
		{"OPP-9006", "Ana Ruiz", "Echo Systems", "Closed Won", "5/1/2025", "", "$4,000.00"},
		{"OPP-1001", "Ben Okafor", "Fern Bank", "Closed Lost", "5/1/2025", "6/1/2025", "$1,000.00"},
		{"OPP-9008", "Chen Wei", "Granite Labs", "Closed Won", "5/1/2025"},
	}
	for i, row := range bad {
		at := 1 + 35*(i+1)
		opps = append(opps[:at], append([][]string{row}, opps[at:]...)...)
	}
	badEvents := [][]string{
		{"OPP-1002", "Acme Labs", "yesterday", "Qualifying"},
		{"OPP-1003", "Blue Health", "2025-03-01 10:00", ""},
		{"OPP-9100", "Umbrella Corp", "2025-03-01 10:00", "Prospecting"},
		{"OPP-9101", "Acme Labs", "2025-03-01 10:00", "Won?"},
	}
	for i, row := range badEvents {
		at := 1 + 200*(i+1)
		events = append(events[:at], append([][]string{row}, events[at:]...)...)
	}
	return accounts, opps, events
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
