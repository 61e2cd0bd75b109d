package csvmap

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Index is a table indexed by the values of one of its columns, for
// joining: each row of an export finds the row of the table with its key.
type Index struct {
	Table *Table
	// Key is the index of the key column in the table.
	Key  int
	rows map[string]int
}

// NewIndex indexes t on the named key column (after trimming spaces; case
// counts). Rows with a blank key are left out. A key that t holds twice is
// an error, listing every duplicate with its lines: which row to take
// would be a guess.
func NewIndex(t *Table, key string) (*Index, error) {
	k, err := t.Column(key)
	if err != nil {
		return nil, err
	}
	ix := &Index{Table: t, Key: k, rows: make(map[string]int, len(t.Rows))}
	var dups []error
	for r, row := range t.Rows {
		v := strings.TrimSpace(row.Fields[k])
		if v == "" {
			continue
		}
		if first, ok := ix.rows[v]; ok {
			dups = append(dups, fmt.Errorf("%s: line %d: duplicate key %q in column %q (first at line %d)",
				t.Name, row.Line, v, t.Header[k], t.Rows[first].Line))
			continue
		}
		ix.rows[v] = r
	}
	if dups != nil {
		return nil, errors.Join(dups...)
	}
	return ix, nil
}

// Lookup returns the fields of the row whose key is key (trimmed), and
// false when there is none.
func (ix *Index) Lookup(key string) ([]string, bool) {
	r, ok := ix.rows[strings.TrimSpace(key)]
	if !ok {
		return nil, false
	}
	return ix.Table.Rows[r].Fields, true
}

// LookupBytes is [Index.Lookup] of the key written in b.
func (ix *Index) LookupBytes(key []byte) ([]string, bool) {
	r, ok := ix.rows[string(bytes.TrimSpace(key))]
	if !ok {
		return nil, false
	}
	return ix.Table.Rows[r].Fields, true
}
