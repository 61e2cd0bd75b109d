package csvmap_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/accordhq/accord/internal/csvmap"
)

func read(t *testing.T, name, text string) *csvmap.Table {
	t.Helper()
	tb, problems, err := csvmap.ReadCSV(name, strings.NewReader(text))
	if err != nil || len(problems) > 0 {
		t.Fatalf("ReadCSV(%s): %v %v", name, err, problems)
	}
	return tb
}

func problemText(ps []csvmap.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		header   []string
		lines    []int
		problems []string
		reasons  []string
	}{
		{"plain", "a,b\n1,2\n3,4\n", []string{"a", "b"}, []int{2, 3}, nil, nil},
		{"bom and spaces in the header", "\uFEFF a , b\n1,2\n", []string{"a", "b"}, []int{2}, nil, nil},
		{"blank lines skipped", "a,b\n\n1,2\n\n3,4\n", []string{"a", "b"}, []int{3, 5}, nil, nil},
		{"multi-line field keeps its first line", "a,b\n\"x\ny\",2\n3,4\n", []string{"a", "b"}, []int{2, 4}, nil, nil},
		{"wrong field count", "a,b\n1,2\n3\n4,5,6\n7,8\n", []string{"a", "b"}, []int{2, 5},
			[]string{"f.csv: line 3: has 1 fields, the header has 2", "f.csv: line 4: has 3 fields, the header has 2"},
			[]string{csvmap.ReasonFieldCount, csvmap.ReasonFieldCount}},
		{"empty row", "a,b\n,\n1,2\n", []string{"a", "b"}, []int{3}, []string{"f.csv: line 2: is empty"}, []string{csvmap.ReasonEmpty}},
		{"bare quote", "a,b\n1,x\"y\n3,4\n", []string{"a", "b"}, []int{3}, []string{`f.csv: line 2: bare " in non-quoted-field`}, []string{csvmap.ReasonMalformed}},
		{"unclosed quote swallows the rest", "id,name\n1,a\n2,\"b\n3,c\n4,d\n", []string{"id", "name"}, []int{2},
			[]string{`f.csv: line 3: extraneous or missing " in quoted-field (the record runs to line 5; the lines in between were not read as rows)`},
			[]string{csvmap.ReasonMalformed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, ps, err := csvmap.ReadCSV("f.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, r := range tb.Rows {
				lines = append(lines, r.Line)
			}
			var reasons []string
			for _, p := range ps {
				reasons = append(reasons, p.Reason)
			}
			if diff := cmp.Diff(tt.header, tb.Header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("row lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problemText(ps)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.reasons, reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCSVNoHeader(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\"a\n"} {
		if _, _, err := csvmap.ReadCSV("f.csv", strings.NewReader(in)); err == nil {
			t.Errorf("ReadCSV(%q): got no error, want one", in)
		}
	}
	if _, _, err := csvmap.ReadCSV("f.csv", strings.NewReader("")); !errors.Is(err, csvmap.ErrNoHeader) {
		t.Errorf("ReadCSV(empty): got %v, want ErrNoHeader", err)
	}
}

func TestColumn(t *testing.T) {
	tb := read(t, "f.csv", "Deal ID,Stage,stage ,Amount,Amount\n1,a,b,2,3\n")
	tests := []struct {
		name string
		want int
		err  string
	}{
		{"Deal ID", 0, ""},
		{"deal id", 0, ""},
		{"Stage", 1, ""},
		{"STAGE", -1, `f.csv: column "STAGE" is ambiguous: it matches "Stage" and "stage"`},
		{"Amount", -1, `f.csv: column "Amount" is ambiguous: the header has it twice`},
		{"Owner", -1, `f.csv: no column "Owner"; the columns are "Deal ID", "Stage", "stage", "Amount", "Amount"`},
	}
	for _, tt := range tests {
		got, err := tb.Column(tt.name)
		if got != tt.want || fmt.Sprint(err) != cmpOr(tt.err) {
			t.Errorf("Column(%q): got %d, %v; want %d, %s", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestIndex(t *testing.T) {
	accounts := read(t, "accounts.csv", "account,sector\nAcme,software\n ,none\nBeta,retail\n")
	ix, err := csvmap.NewIndex(accounts, "account")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"Acme": "software", " Beta ": "retail", "acme": "", "": ""} {
		f, ok := ix.Lookup(key)
		if got := ""; ok {
			got = f[1]
			if got != want {
				t.Errorf("Lookup(%q): got %q, want %q", key, got, want)
			}
		} else if want != "" {
			t.Errorf("Lookup(%q): not found, want %q", key, want)
		}
	}
	dup := read(t, "accounts.csv", "account,sector\nAcme,software\nBeta,retail\nAcme,retail\nBeta,retail\n")
	_, err = csvmap.NewIndex(dup, "account")
	want := "accounts.csv: line 4: duplicate key \"Acme\" in column \"account\" (first at line 2)\n" +
		"accounts.csv: line 5: duplicate key \"Beta\" in column \"account\" (first at line 3)"
	if fmt.Sprint(err) != want {
		t.Errorf("NewIndex: got %v, want %s", err, want)
	}
	if _, err := csvmap.NewIndex(dup, "acct"); err == nil || !strings.Contains(err.Error(), `no column "acct"`) {
		t.Errorf("NewIndex on a missing column: got %v", err)
	}
}

var fieldGen = rapid.SampledFrom([]string{"", "a", "b c", "x,y", "say \"hi\"", "two\nlines", " pad ", "é"})

// TestReadCSVProperty writes random records with encoding/csv, some with
// the wrong number of fields or none but blanks, and checks that ReadCSV
// gives back exactly the well-formed ones, each with the line it starts
// on, and refuses each other one with its line.
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
		var wantRows []csvmap.Row
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
				wantRows = append(wantRows, csvmap.Row{Line: line, Fields: rec})
			}
			for _, f := range rec {
				line += strings.Count(f, "\n")
			}
			line++
		}
		w.Flush()
		tb, problems, err := csvmap.ReadCSV("p.csv", &b)
		if err != nil {
			t.Fatal(err)
		}
		var gotBad []int
		for _, p := range problems {
			gotBad = append(gotBad, p.Line)
		}
		if diff := cmp.Diff(wantRows, tb.Rows); diff != "" {
			t.Fatalf("rows (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantBad, gotBad); diff != "" {
			t.Fatalf("bad lines (-want +got):\n%s", diff)
		}
	})
}

// FuzzReadCSV reads arbitrary bytes. No input may panic; every row kept
// has as many fields as the header and a line within the file; every
// refused row carries its file and a line within the file; kept and
// refused rows never share a line.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"id,stage,opened\n1,Won,1/2/2025\n",
		"a,b\n\"x\ny\",2\n3\n,\n1,x\"y\n",
		"\uFEFFid,stage\n\"unterminated\n",
		"",
		"id,id\n1,2\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, problems, err := csvmap.ReadCSV("f.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		used := map[int]bool{}
		for _, r := range tb.Rows {
			if len(r.Fields) != len(tb.Header) || r.Line < 1 || r.Line > lines {
				t.Fatalf("row at line %d has %d fields (header %d), file %d lines", r.Line, len(r.Fields), len(tb.Header), lines)
			}
			used[r.Line] = true
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || used[p.Line] || !strings.HasPrefix(p.Error(), "f.csv: line ") || p.Reason == "" {
				t.Fatalf("problem %q (reason %q): bad line or prefix", p.Error(), p.Reason)
			}
		}
	})
}
