package csvread_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord/internal/csvread"
)

// result is what one call of Read gave: the record, the line it starts
// on, the offset after it and the error, in a form both readers share.
type result struct {
	Fields []string
	Line   int
	Offset int64
	Err    string
}

// errOf writes an error so that a *csv.ParseError compares by its lines,
// column and cause, and any other error by its text.
func errOf(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("parse error: start line %d, line %d, column %d: %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return ""
}

// stop reports whether a read ends the file: the end, or an error of the
// input (a parse error lets the reading go on, as it does for the
// importers).
func stop(err error) bool {
	var pe *csv.ParseError
	return err != nil && !errors.As(err, &pe)
}

// maxReads bounds the reads of one input: a reader whose input keeps
// failing could be read forever.
const maxReads = 10_000

// stdRecords reads in with encoding/csv set up as the importers set it.
func stdRecords(in io.Reader) []result {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var out []result
	for range maxReads {
		rec, err := r.Read()
		res := result{Offset: r.InputOffset(), Err: errOf(err)}
		if err == nil {
			res.Line, _ = r.FieldPos(0)
		}
		res.Fields = append([]string(nil), rec...)
		out = append(out, res)
		if err == io.EOF || stop(err) {
			break
		}
	}
	return out
}

// records reads in with csvread.
func records(in io.Reader) []result {
	r := csvread.NewReader(in)
	var out []result
	for range maxReads {
		rec, err := r.Read()
		res := result{Offset: r.InputOffset(), Err: errOf(err)}
		if err == nil {
			res.Line = r.Line()
		}
		for _, f := range rec {
			res.Fields = append(res.Fields, string(f))
		}
		out = append(out, res)
		if err == io.EOF || stop(err) {
			break
		}
	}
	return out
}

// same checks that csvread reads in as encoding/csv does, whole and cut
// short by an error of the input after cut bytes.
func same(t *testing.T, in []byte, cut int) {
	t.Helper()
	if diff := cmp.Diff(stdRecords(bytes.NewReader(in)), records(bytes.NewReader(in))); diff != "" {
		t.Fatalf("reading %q (-encoding/csv +csvread):\n%s", in, diff)
	}
	if diff := cmp.Diff(stdRecords(iotest.OneByteReader(bytes.NewReader(in))), records(iotest.OneByteReader(bytes.NewReader(in)))); diff != "" {
		t.Fatalf("reading %q a byte at a time (-encoding/csv +csvread):\n%s", in, diff)
	}
	if cut < 0 || cut > len(in) {
		return
	}
	failing := func() io.Reader {
		return io.MultiReader(bytes.NewReader(in[:cut]), iotest.ErrReader(errCut))
	}
	if diff := cmp.Diff(stdRecords(failing()), records(failing())); diff != "" {
		t.Fatalf("reading %q failing after %d bytes (-encoding/csv +csvread):\n%s", in, cut, diff)
	}
}

var errCut = errors.New("the input failed")

// cases are inputs with what encoding/csv makes of them, the parts of RFC
// 4180 and of encoding/csv's reading of it that the importers rely on.
var cases = []struct {
	name, in string
	want     []result // as encoding/csv reads it; nil to leave it to the comparison
}{
	{"plain", "a,b\n1,2\n", []result{
		{Fields: []string{"a", "b"}, Line: 1, Offset: 4},
		{Fields: []string{"1", "2"}, Line: 2, Offset: 8},
		{Offset: 8, Err: "error: EOF"},
	}},
	{"no final line end", "a,b\n1,2", []result{
		{Fields: []string{"a", "b"}, Line: 1, Offset: 4},
		{Fields: []string{"1", "2"}, Line: 2, Offset: 7},
		{Offset: 7, Err: "error: EOF"},
	}},
	{"CRLF line ends", "a,b\r\n1,2\r\n", []result{
		{Fields: []string{"a", "b"}, Line: 1, Offset: 5},
		{Fields: []string{"1", "2"}, Line: 2, Offset: 10},
		{Offset: 10, Err: "error: EOF"},
	}},
	{"quotes and doubled quotes", "\"a,b\",\"say \"\"hi\"\"\",\"\"\n", []result{
		{Fields: []string{"a,b", `say "hi"`, ""}, Line: 1, Offset: 22},
		{Offset: 22, Err: "error: EOF"},
	}},
	{"line breaks in a quoted field", "id,note\n1,\"two\r\nlines\nhere\"\n2,x\n", []result{
		{Fields: []string{"id", "note"}, Line: 1, Offset: 8},
		{Fields: []string{"1", "two\nlines\nhere"}, Line: 2, Offset: 28},
		{Fields: []string{"2", "x"}, Line: 5, Offset: 32},
		{Offset: 32, Err: "error: EOF"},
	}},
	{"blank lines skipped", "\n\na\n\r\n\nb\n", []result{
		{Fields: []string{"a"}, Line: 3, Offset: 4},
		{Fields: []string{"b"}, Line: 6, Offset: 9},
		{Offset: 9, Err: "error: EOF"},
	}},
	{"empty fields", ",\n,,\n", []result{
		{Fields: []string{"", ""}, Line: 1, Offset: 2},
		{Fields: []string{"", "", ""}, Line: 2, Offset: 5},
		{Offset: 5, Err: "error: EOF"},
	}},
	{"byte order mark is data", "\uFEFFid,x\n", []result{
		{Fields: []string{"\uFEFFid", "x"}, Line: 1, Offset: 8},
		{Offset: 8, Err: "error: EOF"},
	}},
	{"a carriage return at the end is dropped", "a,b\r", []result{
		{Fields: []string{"a", "b"}, Line: 1, Offset: 4},
		{Offset: 4, Err: "error: EOF"},
	}},
	{"a lone carriage return is data", "a\rb,c\n", []result{
		{Fields: []string{"a\rb", "c"}, Line: 1, Offset: 6},
		{Offset: 6, Err: "error: EOF"},
	}},
	{"bare quote", "a,b\n1,x\"y\n3,4\n", []result{
		{Fields: []string{"a", "b"}, Line: 1, Offset: 4},
		{Fields: []string{"1"}, Offset: 10, Err: `parse error: start line 2, line 2, column 4: bare " in non-quoted-field`},
		{Fields: []string{"3", "4"}, Line: 3, Offset: 14},
		{Offset: 14, Err: "error: EOF"},
	}},
	{"quote then text", "\"a\"b,c\nd\n", []result{
		{Offset: 7, Err: `parse error: start line 1, line 1, column 3: extraneous or missing " in quoted-field`},
		{Fields: []string{"d"}, Line: 2, Offset: 9},
		{Offset: 9, Err: "error: EOF"},
	}},
	{"unclosed quote runs to the end", "id\n\"a\nb\nc\n", []result{
		{Fields: []string{"id"}, Line: 1, Offset: 3},
		{Offset: 10, Err: `parse error: start line 2, line 4, column 3: extraneous or missing " in quoted-field`},
		{Offset: 10, Err: "error: EOF"},
	}},
	{"bare quote after a quoted line break", "\"a\nb\",c\"\n", []result{
		{Fields: []string{"a\nb"}, Offset: 9, Err: `parse error: start line 1, line 2, column 5: bare " in non-quoted-field`},
		{Offset: 9, Err: "error: EOF"},
	}},
	{"empty input", "", []result{{Err: "error: EOF"}}},
	{"a long line", "a," + strings.Repeat("x", 200_000) + "\n\"" + strings.Repeat("y\"\"", 30_000) + "\"\n", nil},
}

func TestReader(t *testing.T) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, stdRecords(strings.NewReader(tt.in))); diff != "" {
					t.Fatalf("encoding/csv no longer reads it so (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.want, records(strings.NewReader(tt.in))); diff != "" {
					t.Errorf("csvread (-want +got):\n%s", diff)
				}
			}
			for cut := range len(tt.in) + 1 {
				if len(tt.in) > 100 && cut%(len(tt.in)/7) != 0 {
					continue
				}
				same(t, []byte(tt.in), cut)
			}
		})
	}
}

// TestReaderFieldsDoNotOverlap checks that appending to a field leaves
// the next one alone: each field's capacity ends with it.
func TestReaderFieldsDoNotOverlap(t *testing.T) {
	r := csvread.NewReader(strings.NewReader("ab,cd,\"e\"\"f\"\n"))
	rec, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	_ = append(rec[0], "XYZ"...)
	_ = append(rec[1], "XYZ"...)
	got := []string{string(rec[0]), string(rec[1]), string(rec[2])}
	if want := []string{"ab", "cd", `e"f`}; !cmp.Equal(got, want) {
		t.Errorf("after appending to the fields: got %q, want %q", got, want)
	}
}

// TestReaderAllocations checks that reading a record allocates nothing
// once the reader's buffers have grown.
func TestReaderAllocations(t *testing.T) {
	line := "D1,Won,2024-01-02,2025-02-03,\"1,200.50\",\"rep \"\"7\"\"\",s1\n"
	data := []byte(strings.Repeat(line, 2000))
	r := csvread.NewReader(bytes.NewReader(data))
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("a record costs %v allocations, want 0", allocs)
	}
}

// FuzzReader reads any bytes with csvread and with encoding/csv, whole,
// a byte at a time, and cut short by an error of the input after cut
// bytes: every record, the line it starts on, the offset after it and
// every error (a parse error's lines, column and cause) must be the same.
func FuzzReader(f *testing.F) {
	for _, tt := range cases {
		if len(tt.in) < 1000 {
			f.Add([]byte(tt.in), uint16(len(tt.in)/2))
		}
	}
	for _, seed := range []string{
		"id,stage,opened,closed,value,owner,segment\nD1,Won,2024-01-02,2025-02-03,1200.50,rep 1,s1\n",
		"\"a\"\"\",\"\n\"\r\n,\"\"\r",
		"a,\"b\r\nc\"\r\n\"d\"\"\r\n",
		"\"\"\"\n\"\n",
		"x,\"y\",\"\"z\n",
		"a,\"\nb\n",
		"\r\n\r\r\n\"\r\"\r",
		"é,\xff\"\n\"\xff\",ü\n",
	} {
		f.Add([]byte(seed), uint16(len(seed)/3))
	}
	f.Fuzz(func(t *testing.T, in []byte, cut uint16) {
		same(t, in, int(cut))
	})
}
