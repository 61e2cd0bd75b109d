package export_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/report/internal/export"
)

// export writes n opportunity rows.
func exportRows(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Opportunity ID,Deal Stage,Engaged On,Closed On,Amount,Rep\n")
	stages := []string{"Closed Won", "Closed Lost", "Engaging"}
	for i := 0; i < n; i++ {
		st := stages[i%3]
		closed := ""
		if i%3 < 2 {
			closed = fmt.Sprintf("%d/%d/2025", 1+i%12, 1+i%28)
		}
		fmt.Fprintf(&b, "OPP-%d,%s,%d/%d/2024,%s,\"$%d,%03d.00\",rep %d\n", i, st, 1+i%12, 1+i%28, closed, 1+i%90, i%1000, i%7)
	}
	return b.Bytes()
}

// BenchmarkSnapshot reads an export and turns it into deals: the work the
// command does per row before the metrics.
func BenchmarkSnapshot(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 1_000
	}
	data := exportRows(n)
	m, _ := export.ParseMap("id=Opportunity ID,stage=Deal Stage,opened=Engaged On,closed=Closed On,value=Amount,owner=Rep")
	o := export.Options{Map: m, Won: []string{"Closed Won"}, Lost: []string{"Closed Lost"}, Currency: "USD", Location: time.UTC}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tb, _, err := export.ReadCSV("bench.csv", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		res, err := export.Snapshot(tb, o)
		if err != nil || len(res.Deals) != n {
			b.Fatalf("got %d deals, %v; want %d", len(res.Deals), err, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}
