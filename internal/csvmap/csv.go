package csvmap

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/accordhq/accord/internal/csvread"
)

// Problem is a row that was refused, with the file and line it came from
// and the short reason it is counted under in a summary.
type Problem struct {
	// File names the file, or is empty for the main export.
	File string
	Line int
	// Reason is a short, stable label of the kind of problem, such as "bad
	// date" or "unknown stage", under which summaries count it.
	Reason string
	Err    error
}

// Error formats the problem as "line 12: <problem>", prefixed with the
// file's name for a file other than the main export.
func (p Problem) Error() string {
	if p.File != "" {
		return fmt.Sprintf("%s: line %d: %v", p.File, p.Line, p.Err)
	}
	return fmt.Sprintf("line %d: %v", p.Line, p.Err)
}

// Unwrap returns the underlying error.
func (p Problem) Unwrap() error { return p.Err }

// Reasons of the problems the reader itself finds.
const (
	ReasonMalformed  = "malformed CSV"
	ReasonFieldCount = "wrong number of fields"
	ReasonEmpty      = "empty row"
)

// ErrNoHeader is returned for a file without a header row.
var ErrNoHeader = errors.New("no header row")

// Reader reads a CSV file with a header row one row at a time, keeping the
// line each row starts on and turning every row it cannot use into a
// [Problem]. It reads as encoding/csv does (see package csvread), but
// hands out each row's fields as bytes in memory it reuses for the next
// row, so that reading a row allocates nothing.
type Reader struct {
	name   string
	cr     *csvread.Reader
	header []string
}

// NewReader returns a reader of the file called name (in problems) and
// reads its header. The error is for a file that has no header or cannot
// be read at all.
func NewReader(name string, r io.Reader) (*Reader, error) {
	cr := csvread.NewReader(r)
	rd := &Reader{name: name, cr: cr}
	rec, err := cr.Read()
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("%s: %w", name, ErrNoHeader)
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: header: %w", name, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rd.header = header(rec)
	return rd, nil
}

// Offset returns how many bytes of the input have been read.
func (r *Reader) Offset() int64 { return r.cr.InputOffset() }

// Name returns the name of the file.
func (r *Reader) Name() string { return r.name }

// Header returns the column names, trimmed of spaces and of a leading byte
// order mark.
func (r *Reader) Header() []string { return r.header }

// Next returns the next row and the line it starts on, or a problem for a
// row that cannot be used (a malformed quote, the wrong number of fields,
// a row of blanks), with fields nil. Blank lines are skipped, as
// encoding/csv does. It returns io.EOF at the end, and any other error
// when the input cannot be read. fields, and the bytes of each field, are
// valid until the next call: copy what you keep.
func (r *Reader) Next() (line int, fields [][]byte, p *Problem, err error) {
	rec, err := r.cr.Read()
	if err == io.EOF {
		return 0, nil, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return 0, nil, nil, fmt.Errorf("%s: %w", r.name, err)
		}
		// The record starts at StartLine; Line is where the reader gave
		// up, and the lines between were swallowed by the bad record, so
		// say so rather than lose them silently.
		perr := pe.Err
		if pe.Line > pe.StartLine {
			perr = fmt.Errorf("%w (the record runs to line %d; the lines in between were not read as rows)", pe.Err, pe.Line)
		}
		return pe.StartLine, nil, &Problem{File: r.name, Line: pe.StartLine, Reason: ReasonMalformed, Err: perr}, nil
	}
	line = r.cr.Line()
	switch {
	case len(rec) != len(r.header):
		return line, nil, &Problem{File: r.name, Line: line, Reason: ReasonFieldCount,
			Err: fmt.Errorf("has %d fields, the header has %d", len(rec), len(r.header))}, nil
	case blank(rec):
		return line, nil, &Problem{File: r.name, Line: line, Reason: ReasonEmpty, Err: errors.New("is empty")}, nil
	}
	return line, rec, nil, nil
}

// Strings returns fields as strings, in dst when it has room; the strings
// share one allocation.
func Strings(fields [][]byte, dst []string) []string {
	n := 0
	for _, f := range fields {
		n += len(f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.Write(f)
	}
	all := b.String()
	dst = dst[:0]
	at := 0
	for _, f := range fields {
		dst = append(dst, all[at:at+len(f)])
		at += len(f)
	}
	return dst
}

// Table is a CSV file read in full.
type Table struct {
	// Name names the file in problems, such as "accounts.csv".
	Name string
	// Header holds the column names, trimmed of spaces and of a leading
	// byte order mark.
	Header []string
	// Rows holds the rows that were read, in file order. Each has exactly
	// len(Header) fields.
	Rows []Row
}

// Row is one row of a [Table].
type Row struct {
	// Line is the line of the file the row starts on, counting from 1 (the
	// header is usually line 1).
	Line   int
	Fields []string
}

// ReadCSV reads a CSV file with a header row in full. Rows that cannot be
// read are left out of the table and returned as problems, in line order;
// the error is for a file that has no header or cannot be read at all.
// Blank lines are skipped, as encoding/csv does; a row whose fields are
// all empty is a problem.
func ReadCSV(name string, r io.Reader) (*Table, []Problem, error) {
	rd, err := NewReader(name, r)
	if err != nil {
		return nil, nil, err
	}
	t := &Table{Name: name, Header: rd.Header()}
	var problems []Problem
	for {
		line, rec, p, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: Strings(rec, make([]string, 0, len(rec)))})
	}
	return t, problems, nil
}

func header(rec [][]byte) []string {
	h := make([]string, len(rec))
	for i, f := range rec {
		s := string(f)
		if i == 0 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		h[i] = strings.TrimSpace(s)
	}
	return h
}

func blank(rec [][]byte) bool {
	for _, f := range rec {
		if len(f) > 0 && f[0] > ' ' && f[0] < utf8.RuneSelf {
			return false // a field that starts with a character that is not a space
		}
		if len(bytes.TrimSpace(f)) != 0 {
			return false
		}
	}
	return true
}

// Column returns the index in header of the named column: the column with
// exactly that name, or else the only one whose name is equal to it
// ignoring case and surrounding spaces. A name that matches no column, or
// several, is an error that names the file and lists the header.
func Column(file string, header []string, name string) (int, error) {
	found := -1
	for i, h := range header {
		if h == name {
			if found >= 0 {
				return -1, fmt.Errorf("%s: column %q is ambiguous: the header has it twice", file, name)
			}
			found = i
		}
	}
	if found >= 0 {
		return found, nil
	}
	want := strings.TrimSpace(name)
	for i, h := range header {
		if strings.EqualFold(h, want) {
			if found >= 0 {
				return -1, fmt.Errorf("%s: column %q is ambiguous: it matches %q and %q", file, name, header[found], h)
			}
			found = i
		}
	}
	if found < 0 {
		return -1, fmt.Errorf("%s: %w %q; the columns are %s", file, ErrNoColumn, name, QuoteList(header))
	}
	return found, nil
}

// ErrNoColumn is the error of [Column] for a name the header lacks.
var ErrNoColumn = errors.New("no column")

// Column returns the index of the named column of t (see [Column]).
func (t *Table) Column(name string) (int, error) { return Column(t.Name, t.Header, name) }

// QuoteList quotes each string and joins them with commas.
func QuoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
