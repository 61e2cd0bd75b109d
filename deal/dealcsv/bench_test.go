package dealcsv_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/metrics"
)

var (
	benchOnce sync.Once
	benchData []byte
	benchRows int
)

// benchExport generates a deals export of 1,000,000 rows (10,000 with
// -short): a third won, a third lost, a third open, eight segments.
func benchExport(b *testing.B) ([]byte, int) {
	benchOnce.Do(func() {
		benchRows = 1_000_000
		if testing.Short() {
			benchRows = 10_000
		}
		var buf bytes.Buffer
		buf.Grow(benchRows * 64)
		buf.WriteString("id,stage,opened,closed,value,owner,segment\n")
		labels := []string{"Won", "Lost", "Open"}
		for i := 0; i < benchRows; i++ {
			closed := ""
			if i%3 < 2 {
				closed = fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)
			}
			fmt.Fprintf(&buf, "D%d,%s,2024-%02d-%02d,%s,%d.50,rep %d,s%d\n", i, labels[i%3], 1+i%12, 1+i%28, closed, i%5000, i%40, i%8)
		}
		benchData = buf.Bytes()
	})
	return benchData, benchRows
}

// BenchmarkCSVFloor is the floor: a plain encoding/csv read of the same
// bytes that touches every field.
func BenchmarkCSVFloor(b *testing.B) {
	data, n := benchExport(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		total, rows := 0, 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range rec {
				total += len(f)
			}
			rows++
		}
		if rows != n+1 || total == 0 {
			b.Fatalf("read %d rows", rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

// BenchmarkReportCSV is the whole path from CSV bytes to the pipeline
// report: the export streamed through a mapping (IDs checked for repeats,
// dates, values and outcomes read, histories built) into a Pipeline
// grouped by segment, then its result.
func BenchmarkReportCSV(b *testing.B) {
	data, n := benchExport(b)
	m := &dealcsv.Mapping{
		Columns:   cols("id", "id", "stage", "stage", "opened", "opened", "closed", "closed", "value", "value", "owner", "owner", "segment", "segment"),
		Dates:     dealcsv.Dates{Formats: []string{"2006-01-02"}},
		WonValues: []string{"Won"}, LostValues: []string{"Lost"}, Currency: "USD",
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var p *metrics.Pipeline
		var d deal.Deal
		res, err := dealcsv.Each(bytes.NewReader(data), m, dealcsv.Options{}, func(proc *deal.Process, x *dealcsv.Deal) error {
			if p == nil {
				var err error
				if p, err = metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.BySegment}); err != nil {
					return err
				}
			}
			x.Fill(&d)
			return p.Add(&d)
		})
		if err != nil {
			b.Fatal(err)
		}
		if r := p.Result(); r.Deals != int64(n) || res.Summary.Deals != n {
			b.Fatalf("got %d deals, want %d", r.Deals, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}
