package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

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
	// missing, when set, is the join problem of the row: a key with no
	// match in a joined table. It is reported when the row is used.
	missing error
}

// Problem is a row that was refused, with the file and line it came from.
type Problem struct {
	// File names the file, or is empty for the main export.
	File string
	Line int
	Err  error
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

// ErrNoHeader is returned by [ReadCSV] for a file without a header row.
var ErrNoHeader = errors.New("no header row")

// ReadCSV reads a CSV file with a header row. Rows that cannot be read
// are left out of the table and returned as problems, in line order; the
// error is for a file that has no header or cannot be read at all. Blank
// lines are skipped, as encoding/csv does; a row whose fields are all
// empty is a problem.
func ReadCSV(name string, r io.Reader) (*Table, []Problem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	t := &Table{Name: name}
	var problems []Problem
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("%s: %w", name, err)
			}
			if t.Header == nil {
				return nil, nil, fmt.Errorf("%s: header: %w", name, err)
			}
			// The record starts at StartLine; Line is where the reader
			// gave up, and the lines between were swallowed by the bad
			// record, so say so rather than lose them silently.
			perr := pe.Err
			if pe.Line > pe.StartLine {
				perr = fmt.Errorf("%w (the record runs to line %d; the lines in between were not read as rows)", pe.Err, pe.Line)
			}
			problems = append(problems, Problem{File: name, Line: pe.StartLine, Err: perr})
			continue
		}
		line, _ := cr.FieldPos(0)
		if t.Header == nil {
			t.Header = header(rec)
			continue
		}
		switch {
		case len(rec) != len(t.Header):
			problems = append(problems, Problem{File: name, Line: line,
				Err: fmt.Errorf("has %d fields, the header has %d", len(rec), len(t.Header))})
		case blank(rec):
			problems = append(problems, Problem{File: name, Line: line, Err: errors.New("is empty")})
		default:
			t.Rows = append(t.Rows, Row{Line: line, Fields: rec})
		}
	}
	if t.Header == nil {
		return nil, nil, fmt.Errorf("%s: %w", name, ErrNoHeader)
	}
	return t, problems, nil
}

func header(rec []string) []string {
	h := make([]string, len(rec))
	for i, s := range rec {
		if i == 0 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		h[i] = strings.TrimSpace(s)
	}
	return h
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// Column returns the index of the named column: the column with exactly
// that name, or else the only one whose name is equal to it ignoring case
// and surrounding spaces. A name that matches no column, or several, is an
// error that lists the header.
func (t *Table) Column(name string) (int, error) {
	found := -1
	for i, h := range t.Header {
		if h == name {
			if found >= 0 {
				return -1, fmt.Errorf("%s: column %q is ambiguous: the header has it twice", t.Name, name)
			}
			found = i
		}
	}
	if found >= 0 {
		return found, nil
	}
	want := strings.TrimSpace(name)
	for i, h := range t.Header {
		if strings.EqualFold(h, want) {
			if found >= 0 {
				return -1, fmt.Errorf("%s: column %q is ambiguous: it matches %q and %q", t.Name, name, t.Header[found], h)
			}
			found = i
		}
	}
	if found < 0 {
		return -1, fmt.Errorf("%s: no column %q; the columns are %s", t.Name, name, quoteList(t.Header))
	}
	return found, nil
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
