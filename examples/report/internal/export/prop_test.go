package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/report/internal/export"
	"github.com/accordhq/accord/metrics"
)

var fieldGen = rapid.SampledFrom([]string{"", "a", "b c", "x,y", "say \"hi\"", "two\nlines", " pad ", "é"})

// TestReadCSVProperty writes random records with encoding/csv, some with
// the wrong number of fields or none but blanks, and checks that ReadCSV gives back exactly
// the well-formed ones, each with the line it starts on, and refuses each
// other one with its line.
func TestReadCSVProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width := rapid.IntRange(1, 4).Draw(t, "width")
		header := make([]string, width)
		for i := range header {
			header[i] = fmt.Sprintf("c%d", i)
		}
		recs := rapid.SliceOfN(rapid.SliceOfN(fieldGen, 1, 5), 0, 20).Draw(t, "records")
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write(header)
		line := 2
		var wantRows []export.Row
		var wantBad []int
		for _, rec := range recs {
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			switch {
			case len(rec) == 1 && rec[0] == "":
				// csv.Writer writes it as a blank line, which is skipped.
			case len(rec) != width:
				wantBad = append(wantBad, line)
			case strings.TrimSpace(strings.Join(rec, "")) == "":
				wantBad = append(wantBad, line)
			default:
				wantRows = append(wantRows, export.Row{Line: line, Fields: rec})
			}
			for _, f := range rec {
				line += strings.Count(f, "\n")
			}
			line++
		}
		w.Flush()
		tb, problems, err := export.ReadCSV("p.csv", &b)
		if err != nil {
			t.Fatal(err)
		}
		var gotBad []int
		for _, p := range problems {
			gotBad = append(gotBad, p.Line)
		}
		if diff := cmp.Diff(wantRows, tb.Rows, cmp.AllowUnexported(export.Row{})); diff != "" {
			t.Fatalf("rows (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantBad, gotBad); diff != "" {
			t.Fatalf("bad lines (-want +got):\n%s", diff)
		}
	})
}

// TestJoinProperty checks that every row gets the columns of the row of
// the other table with its key, blank ones for a blank key, and is
// refused when used with a key that table lacks.
func TestJoinProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		keys := rapid.SliceOfNDistinct(rapid.StringMatching(`[a-z]{1,3}`), 0, 6, rapid.ID[string]).Draw(t, "keys")
		var other strings.Builder
		other.WriteString("k,v\n")
		vals := map[string]string{}
		for i, k := range keys {
			vals[k] = fmt.Sprint("v", i)
			fmt.Fprintf(&other, "%s,%s\n", k, vals[k])
		}
		refs := rapid.SliceOfN(rapid.OneOf(rapid.SampledFrom(append([]string{"", "zzzz"}, keys...)), rapid.StringMatching(`[a-z]{1,3}`)), 0, 15).Draw(t, "refs")
		var main strings.Builder
		main.WriteString("id,stage,k\n")
		for i, r := range refs {
			fmt.Fprintf(&main, "%d,open,%s\n", i, r)
		}
		tb, _, _ := export.ReadCSV("m.csv", strings.NewReader(main.String()))
		ot, _, _ := export.ReadCSV("o.csv", strings.NewReader(other.String()))
		if err := tb.Join(ot, "k", "k"); err != nil {
			t.Fatal(err)
		}
		res, err := export.Snapshot(tb, export.Options{Won: []string{"W"}, Lost: []string{"L"}, Currency: "USD", Location: time.UTC, Map: map[string]string{"segment": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		missing := map[int]bool{}
		for _, p := range res.Problems {
			missing[p.Line] = true
		}
		for i, r := range refs {
			v, ok := vals[r]
			if ok != !missing[i+2] && r != "" {
				t.Fatalf("row %d with key %q: refused %t, want %t", i, r, missing[i+2], !ok)
			}
			if tb.Rows[i].Fields[3] != v {
				t.Fatalf("row %d with key %q: joined %q, want %q", i, r, tb.Rows[i].Fields[3], v)
			}
		}
		if len(res.Deals)+len(res.Problems) != len(refs) {
			t.Fatalf("%d deals and %d problems from %d rows", len(res.Deals), len(res.Problems), len(refs))
		}
	})
}

// TestEventsProperty reads random event logs, in random row order, and
// checks that every deal read has a history metrics accept: non-empty,
// in time order, losses after an open stage.
func TestEventsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		labels := []string{"Lead", "Demo", "Won", "Lost"}
		n := rapid.IntRange(0, 30).Draw(t, "rows")
		var b strings.Builder
		b.WriteString("id,at,stage\n")
		ids := map[string]bool{}
		for i := 0; i < n; i++ {
			id := rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "id")
			ids[id] = true
			day := rapid.IntRange(1, 28).Draw(t, "day")
			fmt.Fprintf(&b, "%s,2025-02-%02d 10:00,%s\n", id, day, rapid.SampledFrom(labels).Draw(t, "stage"))
		}
		tb, _, err := export.ReadCSV("e.csv", strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		res, err := export.Events(tb, export.Options{Won: []string{"Won"}, Lost: []string{"Lost"}, Currency: "USD", Location: time.UTC, Stages: []string{"Lead", "Demo", "Won"}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := metrics.NewPipeline(res.Process, metrics.PipelineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var d deal.Deal
		for i := range res.Deals {
			res.Deals[i].Fill(&d)
			if err := p.Add(&d); err != nil {
				t.Fatalf("deal %q refused by metrics: %v\n%+v", d.ID, err, d.History)
			}
		}
		for _, pr := range res.Problems {
			if !strings.Contains(pr.Error(), "before entering any stage") {
				t.Fatalf("unexpected problem %v", pr)
			}
		}
		if len(res.Deals)+len(res.Problems) != len(ids) {
			t.Fatalf("%d deals and %d problems from %d ids", len(res.Deals), len(res.Problems), len(ids))
		}
	})
}
