package csvread_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"testing"

	"github.com/accordhq/accord/internal/csvread"
)

// benchData is a deals export of 100,000 rows, as deal/dealcsv's
// benchmarks write it, with every tenth row's owner quoted.
func benchData() []byte {
	var buf bytes.Buffer
	buf.WriteString("id,stage,opened,closed,value,owner,segment\n")
	for i := range 100_000 {
		owner := fmt.Sprintf("rep %d", i%40)
		if i%10 == 0 {
			owner = `"` + owner + `, ""senior"""`
		}
		fmt.Fprintf(&buf, "D%d,Won,2024-%02d-%02d,2025-01-02,%d.50,%s,s%d\n", i, 1+i%12, 1+i%28, i%5000, owner, i%8)
	}
	return buf.Bytes()
}

// BenchmarkReader reads the export and touches every field, beside
// BenchmarkReaderStd, encoding/csv doing the same.
func BenchmarkReader(b *testing.B) {
	benchmarkRead(b, func(data []byte) func() ([][]byte, error) {
		return csvread.NewReader(bytes.NewReader(data)).Read
	})
}

func BenchmarkReaderStd(b *testing.B) {
	benchmarkRead(b, func(data []byte) func() ([]string, error) {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		return r.Read
	})
}

// benchmarkRead reads the export through the reader open makes, touching
// every field of every record.
func benchmarkRead[F string | []byte](b *testing.B, open func(data []byte) func() ([]F, error)) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		read := open(data)
		total := 0
		for {
			rec, err := read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range rec {
				total += len(f)
			}
		}
	}
}
