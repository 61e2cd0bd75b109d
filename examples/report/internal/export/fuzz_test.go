package export_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/report/internal/export"
)

// FuzzReadCSV reads arbitrary bytes as an export, then as a snapshot and
// as an event log of its first columns. No input may panic; every row
// kept has as many fields as the header; every refused row carries a line
// number within the file; and the rows kept and the rows refused never
// share a line.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"id,stage,opened,closed,value\n1,Won,1/2/2025,2/3/2025,\"$1,200\"\n2,Lost,2025-01-02,2025-01-01,5\n",
		"id,at,stage\n1,2025-01-01 09:00,a\n1,2025-01-02 09:00,b\n2,x,\n",
		"a,b\n\"x\ny\",2\n3\n,\n1,x\"y\n",
		"\uFEFFid,stage\n\"unterminated\n",
		"",
		"id,id\n1,2\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, problems, err := export.ReadCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		used := map[int]bool{}
		for _, r := range tb.Rows {
			if len(r.Fields) != len(tb.Header) {
				t.Fatalf("row at line %d has %d fields, header %d", r.Line, len(r.Fields), len(tb.Header))
			}
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("row line %d outside 1..%d", r.Line, lines)
			}
			used[r.Line] = true
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem %q: line outside 1..%d", p.Error(), lines)
			}
			if !strings.HasPrefix(p.Error(), "f.csv: line ") {
				t.Fatalf("problem %q does not start with its file and line", p.Error())
			}
		}
		if len(tb.Header) < 3 {
			return
		}
		o := export.Options{Won: []string{"Won"}, Lost: []string{"Lost"}, Currency: "USD", Location: time.UTC}
		o.Map = map[string]string{"id": tb.Header[0], "stage": tb.Header[1], "opened": tb.Header[2]}
		for _, read := range []func(*export.Table, export.Options) (*export.Result, error){export.Snapshot, export.Events} {
			res, err := read(tb, o)
			if err != nil {
				continue
			}
			for _, p := range res.Problems {
				if !used[p.Line] {
					t.Fatalf("problem %q names a line that holds no row", p.Error())
				}
			}
			for _, d := range res.Deals {
				if !used[d.Line] {
					t.Fatalf("deal %q names line %d, which holds no row", d.ID, d.Line)
				}
			}
			o.Map = map[string]string{"id": tb.Header[0], "stage": tb.Header[1], "at": tb.Header[2]}
		}
	})
}
