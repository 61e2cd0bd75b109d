package export

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// JoinSpec is a parsed -join flag: the file to join and the key columns.
type JoinSpec struct {
	File string
	// Key is the key column of the export; OtherKey that of File. They
	// are the same column name unless the flag says "LEFT=RIGHT".
	Key, OtherKey string
}

// ParseJoin parses "FILE:KEY" or "FILE:KEY=OTHERKEY". The file name is
// everything before the last colon.
func ParseJoin(s string) (JoinSpec, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return JoinSpec{}, fmt.Errorf("join %q: must be FILE:KEY or FILE:KEY=OTHERKEY", s)
	}
	j := JoinSpec{File: strings.TrimSpace(s[:i]), Key: strings.TrimSpace(s[i+1:])}
	j.OtherKey = j.Key
	if k, o, ok := strings.Cut(j.Key, "="); ok {
		j.Key, j.OtherKey = strings.TrimSpace(k), strings.TrimSpace(o)
	}
	var errs []error
	if j.File == "" {
		errs = append(errs, fmt.Errorf("join %q: the file name is required", s))
	}
	if j.Key == "" || j.OtherKey == "" {
		errs = append(errs, fmt.Errorf("join %q: the key column is required", s))
	}
	return j, errors.Join(errs...)
}

// Join adds the columns of o to t, matching each row of t to the row of o
// whose column okey equals t's column key (after trimming spaces; case
// counts). The key column of o is not added again; a column of o whose
// name t already has is added as "<file>.<name>", the file name without
// its extension.
//
// A row of t with a blank key gets blank joined columns. A row whose key
// has no match gets blank joined columns too, and is refused with a
// problem if a caller uses it (see [Snapshot] and [Events]). A key that o
// holds twice makes the join fail: which row to take would be a guess. The
// error lists every duplicate with its lines.
func (t *Table) Join(o *Table, key, okey string) error {
	ki, err := t.Column(key)
	oi, oerr := o.Column(okey)
	if err := errors.Join(err, oerr); err != nil {
		return err
	}
	index := make(map[string]int, len(o.Rows))
	var dups []error
	for r, row := range o.Rows {
		k := strings.TrimSpace(row.Fields[oi])
		if k == "" {
			continue
		}
		if first, ok := index[k]; ok {
			dups = append(dups, fmt.Errorf("%s: line %d: duplicate key %q in column %q (first at line %d)",
				o.Name, row.Line, k, o.Header[oi], o.Rows[first].Line))
			continue
		}
		index[k] = r
	}
	if dups != nil {
		return errors.Join(dups...)
	}
	var cols []int
	have := make(map[string]bool, len(t.Header))
	for _, h := range t.Header {
		have[strings.ToLower(h)] = true
	}
	stem := strings.TrimSuffix(filepath.Base(o.Name), filepath.Ext(o.Name))
	for i, h := range o.Header {
		if i == oi {
			continue
		}
		name := h
		if have[strings.ToLower(name)] {
			name = stem + "." + h
		}
		have[strings.ToLower(name)] = true
		t.Header = append(t.Header, name)
		cols = append(cols, i)
	}
	for r := range t.Rows {
		row := &t.Rows[r]
		k := strings.TrimSpace(row.Fields[ki])
		m, ok := index[k]
		if k != "" && !ok && row.missing == nil {
			row.missing = fmt.Errorf("%s %q is not in %s", t.Header[ki], k, o.Name)
		}
		for _, c := range cols {
			v := ""
			if ok {
				v = o.Rows[m].Fields[c]
			}
			row.Fields = append(row.Fields, v)
		}
	}
	return nil
}
