// Package csvread reads CSV exactly as encoding/csv does with the settings
// the importers use (a comma between fields, no comment lines, LazyQuotes
// and TrimLeadingSpace off, any number of fields per record), but hands
// out each record's fields as byte slices into a buffer it reuses, so that
// reading a record allocates nothing.
//
// It reads RFC 4180 records: quoted fields, with a doubled quote for a
// quote and line breaks inside, CRLF or LF line ends (a CRLF is read as
// LF, inside a quoted field too), and a last line with or without its line
// end. As in encoding/csv, blank lines are skipped, a carriage return
// before the end of the input is dropped, and a byte order mark is data
// (the first field keeps it). Its records, the lines they start on, the
// offsets and the errors (a *csv.ParseError with the same lines, column
// and cause, or the input's own error) are encoding/csv's: FuzzReader
// checks it against encoding/csv on any input.
package csvread

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"io"
	"math/bits"
)

// Reader reads records from an io.Reader.
type Reader struct {
	r       *bufio.Reader
	numLine int   // the lines read so far
	offset  int64 // the bytes read so far
	start   int   // the line the last record starts on
	// raw holds a line longer than the buffer.
	raw []byte
	// buf holds the fields of the last record one after the other; ends
	// holds where each ends, and fields slices buf by them.
	buf    []byte
	ends   []int
	fields [][]byte
	// win holds bytes of r's buffer, of which the records read in place
	// took the first used; r has not been told to discard them yet.
	win  []byte
	used int
}

// NewReader returns a reader of r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Read returns the next record, as encoding/csv's Read does: io.EOF after
// the last one, a *csv.ParseError (with the fields read before it) for a
// record it cannot read, or the error of the input. The fields, and the
// slice that holds them, are valid until the next call: copy what you
// keep. Each field's capacity ends where the field does, so appending to
// one never writes over the next.
func (r *Reader) Read() ([][]byte, error) {
	if r.inPlace() {
		return r.fields, nil
	}
	// Read a line, skipping empty ones.
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	r.start = r.numLine
	if errRead == nil && r.split(line[:len(line)-lengthNL(line)]) {
		// The common record: one line without quotes, its fields the
		// line's bytes between commas.
		return r.fields, nil
	}
	var err error
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	posLine, col := r.numLine, 1 // where the parse is, lines and columns from 1
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// A field without quotes runs to the next comma or the end of
			// the line, and must not hold a quote.
			i := 0
			for i < len(line) && line[i] != ',' && line[i] != '"' {
				i++
			}
			if i < len(line) && line[i] == '"' {
				err = &csv.ParseError{StartLine: r.start, Line: r.numLine, Column: col + i, Err: csv.ErrBareQuote}
				break parseField
			}
			if i < len(line) {
				r.buf = append(r.buf, line[:i]...)
				r.ends = append(r.ends, len(r.buf))
				line = line[i+1:]
				col += i + 1
				continue parseField
			}
			r.buf = append(r.buf, line[:len(line)-lengthNL(line)]...)
			r.ends = append(r.ends, len(r.buf))
			break parseField
		}
		// A quoted field.
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				r.buf = append(r.buf, line[:i]...)
				line = line[i+1:]
				col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"': // a doubled quote
					r.buf = append(r.buf, '"')
					line = line[1:]
					col++
				case len(line) > 0 && line[0] == ',': // the end of the field
					line = line[1:]
					col++
					r.ends = append(r.ends, len(r.buf))
					continue parseField
				case lengthNL(line) == len(line): // the end of the record
					r.ends = append(r.ends, len(r.buf))
					break parseField
				default: // a quote followed by anything else
					err = &csv.ParseError{StartLine: r.start, Line: r.numLine, Column: col - 1, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0:
				// The field goes on past the end of the line.
				r.buf = append(r.buf, line...)
				if errRead != nil {
					break parseField
				}
				col += len(line)
				line, errRead = r.readLine()
				if len(line) > 0 {
					posLine++
					col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The input ended inside the field.
				if errRead == nil {
					err = &csv.ParseError{StartLine: r.start, Line: posLine, Column: col, Err: csv.ErrQuote}
					break parseField
				}
				r.ends = append(r.ends, len(r.buf))
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	r.fields = r.fields[:0]
	at := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, r.buf[at:end:end])
		at = end
	}
	return r.fields, err
}

// split sets r.fields to the fields of line, which has no line end, as
// slices of it, and reports true, when line holds no quote; it reports
// false otherwise.
func (r *Reader) split(line []byte) bool {
	if bytes.IndexByte(line, '"') >= 0 {
		return false
	}
	r.splitCommas(line)
	return true
}

// splitCommas sets r.fields to the fields of line, which has no line end
// and no quote, as slices of it. It finds the commas eight bytes at a
// time.
func (r *Reader) splitCommas(line []byte) {
	const (
		ones   = 0x0101010101010101
		low7   = 0x7f7f7f7f7f7f7f7f
		commas = ones * ','
	)
	// In locals, so that the loop keeps them in registers.
	fields := r.fields[:0]
	from, i := 0, 0
	for ; i+8 <= len(line); i += 8 {
		// Each byte of x is zero where line has a comma; m has the top
		// bit of those bytes set, and no other bit.
		x := binary.LittleEndian.Uint64(line[i:]) ^ commas
		for m := ^((x&low7 + low7) | x | low7); m != 0; m &= m - 1 {
			at := i + bits.TrailingZeros64(m)>>3
			fields = append(fields, line[from:at:at])
			from = at + 1
		}
	}
	for ; i < len(line); i++ {
		if line[i] == ',' {
			fields = append(fields, line[from:i:i])
			from = i + 1
		}
	}
	r.fields = append(fields, line[from:len(line):len(line)])
}

// Line returns the line the record last read starts on, counting from 1:
// encoding/csv's FieldPos(0).
func (r *Reader) Line() int { return r.start }

// InputOffset returns how many bytes of the input the records read so far
// took, as encoding/csv's InputOffset does.
func (r *Reader) InputOffset() int64 { return r.offset }

// inPlace reads the next record, when it is one line without quotes that
// is not blank and is whole in r's buffer, as Read would, its fields
// slices of the buffer, and reports true; it reports false, having read
// nothing, for any other record.
func (r *Reader) inPlace() bool {
	if r.used >= len(r.win) {
		r.sync()
		if r.r.Buffered() == 0 {
			return false
		}
		r.win, _ = r.r.Peek(r.r.Buffered()) // no error: the bytes are buffered
	}
	b := r.win[r.used:]
	end := bytes.IndexByte(b, '\n')
	if end < 0 {
		return false // no line end in the buffer
	}
	line := b[:end]
	if end > 0 && line[end-1] == '\r' {
		line = line[:end-1] // a CRLF is read as a LF
	}
	if len(line) == 0 || !r.split(line) {
		return false // a blank line, which Read skips, or quotes
	}
	r.used += end + 1
	r.numLine++
	r.offset += int64(end + 1)
	r.start = r.numLine
	return true
}

// sync tells r's buffer that the records read in place are read.
func (r *Reader) sync() {
	if r.used > 0 {
		_, _ = r.r.Discard(r.used) // no error: the bytes are buffered
	}
	r.win, r.used = nil, 0
}

// readLine reads the next line with its line end (none at the end of the
// input), a CRLF turned into LF, as encoding/csv does. It returns io.EOF
// only when it read nothing. The line is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	r.sync()
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.raw = append(r.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.raw = append(r.raw, line...)
		}
		line = r.raw
	}
	n := len(line)
	if n > 0 && err == io.EOF {
		err = nil
		// As encoding/csv does, drop a carriage return at the end of the
		// input.
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	r.numLine++
	r.offset += int64(n)
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL returns 1 when b ends in a line feed, 0 otherwise.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}
