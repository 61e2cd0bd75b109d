package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
)

// parseMap parses a -map flag such as "id=Opportunity ID,stage=Deal
// Stage": comma-separated field=column pairs. Every problem (a pair
// without "=", an empty column, a field given twice) is reported.
func parseMap(s string) (map[string]string, error) {
	m := map[string]string{}
	var errs []error
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for i, pair := range strings.Split(s, ",") {
		f, col, ok := strings.Cut(pair, "=")
		f, col = strings.ToLower(strings.TrimSpace(f)), strings.TrimSpace(col)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("map[%d]: %q must be field=column", i, pair))
		case f == "" || col == "":
			errs = append(errs, fmt.Errorf("map[%d]: %q needs both a field and a column", i, pair))
		case m[f] != "":
			errs = append(errs, fmt.Errorf("map[%d]: field %q is mapped twice", i, f))
		default:
			m[f] = col
		}
	}
	return m, errors.Join(errs...)
}

// joinSpec is a parsed -join flag: the file to join and the key columns.
type joinSpec struct {
	File string
	// Key is the key column of the export; OtherKey that of File. They
	// are the same column name unless the flag says "LEFT=RIGHT".
	Key, OtherKey string
}

// parseJoin parses "FILE:KEY" or "FILE:KEY=OTHERKEY". The file name is
// everything before the last colon.
func parseJoin(s string) (joinSpec, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return joinSpec{}, fmt.Errorf("join %q: must be FILE:KEY or FILE:KEY=OTHERKEY", s)
	}
	j := joinSpec{File: strings.TrimSpace(s[:i]), Key: strings.TrimSpace(s[i+1:])}
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

// flagFields are the fields -map knows for each kind of export.
var flagFields = map[dealcsv.Kind][]string{
	dealcsv.KindDeals:   {"id", "stage", "opened", "closed", "value", "owner", "segment", "status", "loss_reason"},
	dealcsv.KindChanges: {"id", "at", "stage", "field", "value", "owner", "segment", "status", "loss_reason"},
}

// flagMapping builds the mapping the flags describe: the command's flags
// are a shorthand for a mapping file.
func flagMapping(c *config) (*dealcsv.Mapping, error) {
	var errs []error
	kind := dealcsv.KindDeals
	if c.events != "" {
		kind = dealcsv.KindChanges
	}
	m := &dealcsv.Mapping{Kind: kind, Columns: map[dealcsv.Field]string{}, Currency: accord.Currency(c.currency), Dates: dealcsv.Dates{TimeZone: c.tz}}
	cols, err := parseMap(c.mapping)
	errs = append(errs, err)
	known := flagFields[kind]
	for _, f := range known {
		col, ok := cols[f]
		if !ok {
			col = f // a field not mapped is read from the column of its name
		}
		if f == "field" && ok {
			m.Columns[dealcsv.FieldChanged] = col
			m.Columns[dealcsv.FieldNew] = cmpOr(cols["stage"], "stage")
			continue
		}
		if f == "stage" && cols["field"] != "" {
			continue
		}
		if ok || f == "id" || f == "stage" || f == "at" {
			m.Columns[dealcsv.Field(f)] = col
		}
	}
	for f := range cols {
		if !contains(known, f) {
			errs = append(errs, fmt.Errorf("map: unknown field %q; the fields are %s", f, strings.Join(known, ", ")))
		}
	}
	for _, l := range splitList(c.stages) {
		m.Stages = append(m.Stages, dealcsv.Stage{ID: slug(l), Name: l})
	}
	for _, w := range c.won {
		if st := stageNamed(m.Stages, w); st != "" {
			if m.ClosedWon == "" {
				m.ClosedWon = st
			}
			continue
		}
		m.WonValues = append(m.WonValues, w)
	}
	m.LostValues = append(m.LostValues, c.lost...)
	if kind == dealcsv.KindChanges && m.ClosedWon == "" && len(m.Stages) > 0 && len(m.WonValues) > 0 {
		errs = append(errs, fmt.Errorf("won: none of %q is a stage of -stages", c.won))
	}
	if kind == dealcsv.KindDeals && len(c.won) == 0 && cols["status"] == "" {
		errs = append(errs, errors.New("won: give the label of won deals"))
	}
	if kind == dealcsv.KindDeals && len(c.lost) == 0 && cols["status"] == "" {
		errs = append(errs, errors.New("lost: give the label of lost deals"))
	}
	if m.Columns[dealcsv.FieldChanged] != "" {
		m.Changes = dealcsv.ChangeKeys{Stage: c.stageField, Loss: c.lostField}
		if c.stageField == "" {
			errs = append(errs, errors.New("stage-field: is required when the field column is mapped"))
		}
	} else if c.stageField != "" || c.lostField != "" {
		errs = append(errs, errors.New("stage-field, lost-field: map the field column to use them (-map field=COLUMN)"))
	}
	if cols["status"] != "" {
		m.Status = map[string]deal.Outcome{"open": deal.OutcomeOpen, "won": deal.OutcomeWon, "lost": deal.OutcomeLost}
	}
	for _, spec := range c.joins {
		j, err := parseJoin(spec)
		errs = append(errs, err)
		m.Joins = append(m.Joins, dealcsv.Join{Name: j.File, Key: j.Key, OtherKey: j.OtherKey})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m, nil
}

func stageNamed(stages []dealcsv.Stage, label string) deal.StageID {
	for _, s := range stages {
		if strings.EqualFold(s.Name, strings.TrimSpace(label)) {
			return s.ID
		}
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// slug turns a label into a stage ID, as the importer does for a log's
// own labels: lower case, spaces and colons turned into underscores.
func slug(label string) deal.StageID {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', ':':
			return '_'
		}
		return r
	}, strings.ToLower(label))
	return deal.StageID(s)
}
