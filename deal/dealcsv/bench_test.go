package dealcsv_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/internal/golden"
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
		benchData = genExport(benchRows)
	})
	return benchData, benchRows
}

// genExport writes the deals export of the benchmarks with n rows.
func genExport(n int) []byte {
	var buf bytes.Buffer
	buf.Grow(n * 64)
	buf.WriteString("id,stage,opened,closed,value,owner,segment\n")
	labels := []string{"Won", "Lost", "Open"}
	for i := 0; i < n; i++ {
		closed := ""
		if i%3 < 2 {
			closed = fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)
		}
		fmt.Fprintf(&buf, "D%d,%s,2024-%02d-%02d,%s,%d.50,rep %d,s%d\n", i, labels[i%3], 1+i%12, 1+i%28, closed, i%5000, i%40, i%8)
	}
	return buf.Bytes()
}

// benchMapping is the mapping of the benchmarks' export.
func benchMapping() *dealcsv.Mapping {
	return &dealcsv.Mapping{
		Columns:   cols("id", "id", "stage", "stage", "opened", "opened", "closed", "closed", "value", "value", "owner", "owner", "segment", "segment"),
		Dates:     dealcsv.Dates{Formats: []string{"2006-01-02"}},
		WonValues: []string{"Won"}, LostValues: []string{"Lost"}, Currency: "USD",
	}
}

// reportCSV reads data with mapping m as BenchmarkReportCSV does: every
// deal into a Pipeline grouped by segment.
func reportCSV(data []byte, m *dealcsv.Mapping) (*metrics.Pipeline, *dealcsv.Result, error) {
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
	return p, res, err
}

// TestReportCSV pins what BenchmarkReportCSV computes, and the same
// path on the export with rows to refuse and quoted fields mixed in: the
// pipeline report, the summary, the problems, the warnings, and a digest
// of every deal Read builds from the same bytes.
func TestReportCSV(t *testing.T) {
	plain := genExport(30_000)
	// Rows to refuse and rows to read despite quotes and CRLF line ends.
	var mixed bytes.Buffer
	for i, line := range bytes.SplitAfter(plain, []byte("\n")) {
		switch i % 997 {
		case 5:
			mixed.WriteString("D5,Won,2024-01-02,2025-01-03,1.50,rep 1,s1\n") // a repeat
		case 7:
			mixed.WriteString("X7,Won,2024-02-30,2025-01-03,1.50,rep 1,s1\n") // no such day
		case 11:
			mixed.WriteString("X11,\"Won\",\"2024-01-02\",2025-01-03,\"1,200.50\",\"rep \"\"q\"\"\",\"s,9\"\r\n")
		case 13:
			mixed.WriteString("X13,Lost,2024-01-02,2023-01-02,,rep 2,s2\n") // closed before opened
		case 17:
			mixed.WriteString("X17,Won,2024-01-02,2025-01-03,x\"y,rep 2,s2\n") // a bare quote
		}
		mixed.Write(line)
	}
	var out bytes.Buffer
	for _, tt := range []struct {
		name string
		data []byte
	}{{"plain", plain}, {"mixed", mixed.Bytes()}} {
		p, res, err := reportCSV(tt.data, benchMapping())
		if err != nil {
			t.Fatal(err)
		}
		report, err := json.MarshalIndent(p.Result(), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		all, err := dealcsv.Read(bytes.NewReader(tt.data), benchMapping(), dealcsv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if all.Summary.String() != res.Summary.String() {
			t.Errorf("%s: Read's summary %q, Each's %q", tt.name, all.Summary, res.Summary)
		}
		fmt.Fprintf(&out, "%s: %s\ndeals digest %x\n", tt.name, res.Summary, sha256.Sum256([]byte(render(all))))
		for _, pr := range res.Problems {
			fmt.Fprintf(&out, "problem (%s) %v\n", pr.Reason, pr)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(&out, "warning %s\n", w)
		}
		fmt.Fprintf(&out, "%s\n", report)
	}
	golden.Check(t, "report_csv.golden", out.Bytes())
}

// BenchmarkCSVFloor is the floor: a plain encoding/csv read of the same
// bytes that touches every field.
func BenchmarkCSVFloor(b *testing.B) {
	data, n := benchExport(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, total, err := readFloor(data)
		if err != nil {
			b.Fatal(err)
		}
		if rows != n+1 || total == 0 {
			b.Fatalf("read %d rows", rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

// readFloor reads data with encoding/csv, touching every field: the
// rows read and the bytes of their fields.
func readFloor(data []byte) (rows, total int, err error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, total, nil
		}
		if err != nil {
			return rows, total, err
		}
		for _, f := range rec {
			total += len(f)
		}
		rows++
	}
}

// BenchmarkReportCSV is the whole path from CSV bytes to the pipeline
// report: the export streamed through a mapping (IDs checked for repeats,
// dates, values and outcomes read, histories built) into a Pipeline
// grouped by segment, then its result.
func BenchmarkReportCSV(b *testing.B) {
	data, n := benchExport(b)
	m := benchMapping()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, res, err := reportCSV(data, m)
		if err != nil {
			b.Fatal(err)
		}
		if r := p.Result(); r.Deals != int64(n) || res.Summary.Deals != n {
			b.Fatalf("got %d deals, want %d", r.Deals, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}
