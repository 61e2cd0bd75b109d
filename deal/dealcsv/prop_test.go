package dealcsv_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
)

// TestReadProperty reads random deals exports and logs and checks the
// promises: every row is a deal's or a problem's, never both and never
// neither; every deal's history is one package metrics accepts; a deal
// lost after the win is at or past Closed Won and counts as won.
func TestReadProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		labels := []string{"Lead", "Demo", "Proposal", "Won", "Onboarding", "Lost", "", "Bogus"}
		log := rapid.Bool().Draw(t, "log")
		n := rapid.IntRange(0, 30).Draw(t, "rows")
		var b strings.Builder
		m := &dealcsv.Mapping{Stages: stages, ClosedWon: "won", LostValues: []string{"Lost"}, Currency: "USD",
			Status: map[string]deal.Outcome{"open": deal.OutcomeOpen, "won": deal.OutcomeWon, "lost": deal.OutcomeLost}}
		ids := map[string]bool{}
		if log {
			m.Kind = dealcsv.KindChanges
			m.Columns = cols("id", "id", "at", "at", "stage", "stage", "status", "status")
			b.WriteString("id,at,stage,status\n")
			for i := 0; i < n; i++ {
				id := rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "id")
				ids[id] = true
				fmt.Fprintf(&b, "%s,2025-02-%02d 10:00,%s,%s\n", id, rapid.IntRange(1, 28).Draw(t, "day"),
					rapid.SampledFrom(labels[:6]).Draw(t, "stage"), rapid.SampledFrom([]string{"", "open", "won", "lost"}).Draw(t, "status"))
			}
		} else {
			m.Columns = cols("id", "id", "stage", "stage", "status", "status", "opened", "opened", "closed", "closed")
			b.WriteString("id,stage,status,opened,closed\n")
			for i := 0; i < n; i++ {
				closed := ""
				if rapid.Bool().Draw(t, "closed") {
					closed = fmt.Sprintf("2025-03-%02d", rapid.IntRange(1, 28).Draw(t, "closed day"))
				}
				fmt.Fprintf(&b, "%s,%s,%s,2025-%02d-10,%s\n", rapid.SampledFrom([]string{"a", "b", "c", "d", "e", "f", ""}).Draw(t, "id"),
					rapid.SampledFrom(labels).Draw(t, "stage"), rapid.SampledFrom([]string{"", "open", "won", "lost", "odd"}).Draw(t, "status"),
					rapid.IntRange(1, 4).Draw(t, "month"), closed)
			}
		}
		res, err := dealcsv.Read(strings.NewReader(b.String()), m, dealcsv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rejected := 0
		for _, r := range res.Summary.Rejected {
			rejected += r.Rows
		}
		if rejected != len(res.Problems) || res.Summary.Deals != len(res.Deals) {
			t.Fatalf("summary %v, %d problems, %d deals", res.Summary, len(res.Problems), len(res.Deals))
		}
		if log {
			// A deal refused as a whole counts once; a row refused counts once.
			if len(res.Deals) > len(ids) {
				t.Fatalf("%d deals from %d ids", len(res.Deals), len(ids))
			}
		} else if res.Summary.Rows != n || len(res.Deals)+len(res.Problems) != n {
			t.Fatalf("%d rows: %d deals, %d problems", n, len(res.Deals), len(res.Problems))
		}
		p := newPipeline(t, res.Process)
		var d deal.Deal
		var rd deal.Reading
		for i := range res.Deals {
			res.Deals[i].Fill(&d)
			if len(d.History) == 0 {
				continue
			}
			if err := p.Add(&d); err != nil {
				t.Fatalf("deal %q refused by metrics: %v\n%+v", d.ID, err, d.History)
			}
			if err := res.Process.ReadImported(&d, &rd); err != nil {
				t.Fatal(err)
			}
			if res.Deals[i].LostAfterWin != nil && !rd.Won() {
				t.Fatalf("deal %q lost after the win reads as %s", d.ID, rd.Outcome)
			}
		}
	})
}

// FuzzRead reads arbitrary bytes as a deals export and as a log: no input
// may panic, and every deal's history is one package metrics accepts.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"id,stage,status,opened,closed\n1,Demo,won,2025-01-01,2025-02-01\n2,Onboarding,lost,1/2/2025,3/4/2025\n",
		"id,stage,status,opened,closed\n1,Won,,2025-01-01,\n,,,,\n\"x\ny\",Lost,lost,2025-01-01,2024-01-01\n",
		"id,stage\n1,Lead\n1,Demo\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, log bool) {
		m := &dealcsv.Mapping{Stages: stages, ClosedWon: "won", LostValues: []string{"Lost"}, Currency: "USD",
			Columns: cols("id", "id", "stage", "stage"),
			Status:  map[string]deal.Outcome{"open": deal.OutcomeOpen, "won": deal.OutcomeWon, "lost": deal.OutcomeLost}}
		if log {
			m.Kind = dealcsv.KindChanges
			m.Columns["at"] = "opened"
		} else {
			m.Columns["opened"], m.Columns["closed"], m.Columns["status"] = "opened", "closed", "status"
		}
		res, err := dealcsv.Read(bytes.NewReader(data), m, dealcsv.Options{})
		if err != nil {
			return
		}
		p := newPipeline(t, res.Process)
		var d deal.Deal
		for i := range res.Deals {
			res.Deals[i].Fill(&d)
			if len(d.History) > 0 {
				if err := p.Add(&d); err != nil {
					t.Fatalf("deal %q refused by metrics: %v", d.ID, err)
				}
			}
		}
	})
}
