// Package contractcsv reads exports of contracts or subscriptions (a
// contract type, a status and, where present, start and end dates and
// values) into records that the metrics retention calculator accepts as
// contracts, or, for an export with only a status (a snapshot, as many
// churn datasets are), into the churned share by any segment column,
// labelled as a snapshot share.
//
// A [Mapping] names the columns, maps contract type labels to term months
// (month-to-month 1, one year 12, two year 24) and status labels to
// active, churned or cancelled; [Load] reads it from JSON with the
// library's strict decoder. [Read] reads from an io.Reader: every refused
// row is a problem with its line and reason, counted in the summary.
package contractcsv

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/csvmap"
	"github.com/accordhq/accord/internal/strictjson"
)

// Field names what a column holds. The codes are stable.
type Field string

// The fields.
const (
	FieldID      Field = "id"     // required
	FieldType    Field = "type"   // a contract type label, through Mapping.Types
	FieldMonths  Field = "months" // the term in months, a whole number
	FieldStatus  Field = "status" // required, through Mapping.Status
	FieldStart   Field = "start"
	FieldEnd     Field = "end"
	FieldValue   Field = "value"   // the value of one term
	FieldMonthly Field = "monthly" // the value of one month
)

var fields = []Field{FieldID, FieldType, FieldMonths, FieldStatus, FieldStart, FieldEnd, FieldValue, FieldMonthly}

// Status is a contract's status in an export. The codes are stable.
type Status string

// The statuses.
const (
	StatusActive    Status = "active"
	StatusChurned   Status = "churned"
	StatusCancelled Status = "cancelled"
)

// Ended reports whether the customer left: churned or cancelled.
func (s Status) Ended() bool { return s == StatusChurned || s == StatusCancelled }

// Mapping says how to read an export of contracts.
type Mapping struct {
	// Columns names the column of each field.
	Columns map[Field]string
	// Segments names the columns kept on each record, to group by.
	Segments []string
	// Types maps contract type labels (compared ignoring case) to term
	// months: 1 for month-to-month, 12 for one year, 24 for two years.
	Types map[string]int
	// Status maps status labels (compared ignoring case) to a Status.
	Status map[string]Status
	// Formats are the Go layouts of the dates; empty means the common
	// ones (see deal/dealcsv).
	Formats []string
	// Currency is the currency of the values. Required.
	Currency accord.Currency
}

// Validate reports every problem of the mapping at its JSON path.
func (m *Mapping) Validate() error {
	if m == nil {
		return accord.Invalid("mapping", "is nil")
	}
	var errs []error
	bad := func(f, format string, args ...any) { errs = append(errs, accord.Invalid(f, format, args...)) }
	keys := make([]string, 0, len(m.Columns))
	for f := range m.Columns {
		keys = append(keys, string(f))
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(fields, Field(k)) {
			bad(strictjson.Path("columns", k), "is not a field of a contracts export; the fields are id, type, months, status, start, end, value, monthly")
		} else if strings.TrimSpace(m.Columns[Field(k)]) == "" {
			bad(strictjson.Path("columns", k), "must name a column")
		}
	}
	for _, f := range []Field{FieldID, FieldStatus} {
		if m.Columns[f] == "" {
			bad("columns."+string(f), "is required")
		}
	}
	if m.Columns[FieldType] != "" && m.Columns[FieldMonths] != "" {
		bad("columns.months", "give the type or the months, not both")
	}
	if m.Columns[FieldValue] != "" && m.Columns[FieldMonthly] != "" {
		bad("columns.monthly", "give the value of a term or of a month, not both")
	}
	if m.Columns[FieldType] != "" && len(m.Types) == 0 {
		bad("types", "is required with a type column: map each label to its term months")
	}
	for _, k := range sortedKeys(m.Types) {
		if n := m.Types[k]; n < 1 || n > contract.MaxTermMonths {
			bad(strictjson.Path("types", k), "must be between 1 and %d months; got %d", contract.MaxTermMonths, n)
		}
	}
	if len(m.Status) == 0 {
		bad("status", "is required: map each status label to active, churned or cancelled")
	}
	for _, k := range sortedKeys(m.Status) {
		if s := m.Status[k]; s != StatusActive && s != StatusChurned && s != StatusCancelled {
			bad(strictjson.Path("status", k), "must be active, churned or cancelled; got %q", s)
		}
	}
	for i, s := range m.Segments {
		if strings.TrimSpace(s) == "" {
			bad(fmt.Sprintf("segments[%d]", i), "must name a column")
		}
	}
	if !m.Currency.Valid() {
		bad("currency", "must be an ISO 4217 code such as USD; got %q", m.Currency)
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Load reads a mapping written as JSON (keys columns, segments, types,
// status, formats, currency) and validates it; every problem is reported
// at its JSON path, as dealcsv.Load does.
func Load(data []byte) (*Mapping, error) {
	d := strictjson.NewDecoder("mapping")
	top, ok := d.Document(data, "a mapping", "columns", "segments", "types", "status", "formats", "currency")
	if !ok {
		return nil, d.Err()
	}
	m := &Mapping{Columns: map[Field]string{}}
	object := func(path string, raw []byte) map[string][]byte {
		var probe map[string]any
		if raw == nil {
			return nil
		}
		if err := jsonUnmarshal(raw, &probe); err != nil || probe == nil {
			d.Fail(path, "must be an object")
			return nil
		}
		o, _ := d.Object(path, "an object", raw, sortedKeys(probe)...)
		out := map[string][]byte{}
		for k, v := range o {
			out[k] = v
		}
		return out
	}
	cols := object("columns", top["columns"])
	for _, k := range sortedKeys(cols) {
		m.Columns[Field(k)] = d.String(strictjson.Path("columns", k), cols[k], "")
	}
	m.Segments = d.Strings("segments", top["segments"])
	if t := object("types", top["types"]); t != nil {
		m.Types = map[string]int{}
		for _, k := range sortedKeys(t) {
			m.Types[k] = d.Int(strictjson.Path("types", k), t[k], 0)
		}
	}
	if s := object("status", top["status"]); s != nil {
		m.Status = map[string]Status{}
		for _, k := range sortedKeys(s) {
			m.Status[k] = Status(d.String(strictjson.Path("status", k), s[k], ""))
		}
	}
	m.Formats = d.Strings("formats", top["formats"])
	m.Currency = accord.Currency(d.String("currency", top["currency"], ""))
	if err := d.Err(); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Record is one contract or subscription read from an export.
type Record struct {
	Line int
	ID   string
	// Months is the term in months: 1 for month-to-month; 0 when the
	// export does not say.
	Months int
	Status Status
	// Start and End are the first and last days, zero when not given.
	Start, End accord.Date
	// Value is the value of one term (the monthly value times Months,
	// when the export gives a monthly value); zero in the mapping's
	// currency when not given.
	Value accord.Money
	// Segments holds the value of each of the mapping's segment columns,
	// in the mapping's order.
	Segments []string
}

// Commitment returns the contract commitment of the record's term:
// month-to-month for 1 month, multi-year beyond 12, term otherwise.
func (r *Record) Commitment() contract.Commitment {
	switch {
	case r.Months == 1:
		return contract.CommitMonthToMonth
	case r.Months > 12:
		return contract.CommitMultiYear
	}
	return contract.CommitTerm
}

// Result is what [Read] reads.
type Result struct {
	Records  []Record
	Problems []csvmap.Problem
	Summary  Summary
	// Segments are the names of the segment columns, as the header
	// writes them.
	Segments []string
}

// Summary counts the rows read, the records built and the rows refused by
// reason.
type Summary struct {
	Rows, Records int
	Rejected      map[string]int
}

// String writes "rows read 10, contracts built 9, rows rejected 1 (bad
// date 1)".
func (s Summary) String() string {
	n := 0
	var parts []string
	for _, k := range sortedKeys(s.Rejected) {
		n += s.Rejected[k]
		parts = append(parts, fmt.Sprintf("%s %d", k, s.Rejected[k]))
	}
	out := fmt.Sprintf("rows read %d, contracts built %d, rows rejected %d", s.Rows, s.Records, n)
	if len(parts) > 0 {
		out += " (" + strings.Join(parts, ", ") + ")"
	}
	return out
}

// Read reads an export of contracts with mapping m. The error is for a
// mapping that does not fit the export or input that cannot be read; a
// bad row is a problem, never an error.
func Read(r io.Reader, m *Mapping) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	rd, err := csvmap.NewReader("export", r)
	if err != nil {
		return nil, err
	}
	h := rd.Header()
	var errs []error
	col := map[Field]int{}
	for _, f := range fields {
		if name := m.Columns[f]; name != "" {
			i, err := csvmap.Column("export", h, name)
			if err != nil {
				errs = append(errs, fmt.Errorf("columns.%s: %w", f, err))
			}
			col[f] = i
		}
	}
	res := &Result{Summary: Summary{Rejected: map[string]int{}}}
	var segs []int
	for i, s := range m.Segments {
		c, err := csvmap.Column("export", h, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("segments[%d]: %w", i, err))
			continue
		}
		segs = append(segs, c)
		res.Segments = append(res.Segments, h[c])
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	types, status := map[string]int{}, map[string]Status{}
	for k, v := range m.Types {
		types[strings.ToLower(strings.TrimSpace(k))] = v
	}
	for k, v := range m.Status {
		status[strings.ToLower(strings.TrimSpace(k))] = v
	}
	dates := csvmap.Dates{Formats: m.Formats}
	seen := map[string]int{}
	var rec []string
	for {
		line, fields, p, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		res.Summary.Rows++
		if p != nil {
			p.File = ""
			res.Problems = append(res.Problems, *p)
			res.Summary.Rejected[p.Reason]++
			continue
		}
		rec = csvmap.Strings(fields, rec)
		get := func(f Field) (string, bool) {
			i, ok := col[f]
			if !ok {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		fe := func(f Field, err error) error { return fmt.Errorf("%s (column %q): %w", f, h[col[f]], err) }
		var rowErrs []error
		reason := ""
		bad := func(r string, err error) {
			if reason == "" {
				reason = r
			}
			rowErrs = append(rowErrs, err)
		}
		x := Record{Line: line}
		x.ID, _ = get(FieldID)
		if x.ID == "" {
			bad("missing id", fe(FieldID, errors.New("is required")))
		} else if first, dup := seen[x.ID]; dup {
			bad("duplicate id", fe(FieldID, fmt.Errorf("%q repeats line %d", x.ID, first)))
		}
		if v, ok := get(FieldType); ok {
			n, known := types[strings.ToLower(v)]
			if !known {
				bad("unknown type", fe(FieldType, fmt.Errorf("%q is not one of the types %s", v, csvmap.QuoteList(sortedKeys(m.Types)))))
			}
			x.Months = n
		}
		if v, ok := get(FieldMonths); ok && v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > contract.MaxTermMonths {
				bad("bad months", fe(FieldMonths, fmt.Errorf("must be a whole number of months from 1 to %d; got %q", contract.MaxTermMonths, v)))
			}
			x.Months = n
		}
		v, _ := get(FieldStatus)
		st, known := status[strings.ToLower(v)]
		if !known {
			bad("unknown status", fe(FieldStatus, fmt.Errorf("%q is not one of the status values %s", v, csvmap.QuoteList(sortedKeys(m.Status)))))
		}
		x.Status = st
		for _, f := range []Field{FieldStart, FieldEnd} {
			v, ok := get(f)
			if !ok || v == "" {
				continue
			}
			t, err := dates.Parse(v)
			if err != nil {
				bad("bad date", fe(f, err))
				continue
			}
			day := accord.DateOf(t)
			if f == FieldStart {
				x.Start = day
			} else {
				x.End = day
			}
		}
		if x.Start.Valid() && x.End.Valid() && x.End.Before(x.Start) {
			bad("end before start", fe(FieldEnd, fmt.Errorf("%s is before the start, %s", x.End, x.Start)))
		}
		for _, f := range []Field{FieldValue, FieldMonthly} {
			v, ok := get(f)
			if !ok || v == "" {
				continue
			}
			money, err := csvmap.ParseValue(v, m.Currency)
			if err != nil {
				bad("bad value", fe(f, err))
				continue
			}
			if f == FieldMonthly {
				money.Amount = money.Amount.Mul(decimalOf(max(x.Months, 1)))
			}
			x.Value = money
		}
		if !x.Value.IsSet() {
			x.Value = accord.Money{Amount: decimalOf(0), Currency: m.Currency}
		}
		if len(rowErrs) > 0 {
			res.Problems = append(res.Problems, csvmap.Problem{Line: line, Reason: reason, Err: errors.Join(rowErrs...)})
			res.Summary.Rejected[reason]++
			continue
		}
		x.ID = strings.Clone(x.ID)
		seen[x.ID] = line
		for _, c := range segs {
			x.Segments = append(x.Segments, strings.Clone(strings.TrimSpace(rec[c])))
		}
		res.Records = append(res.Records, x)
		res.Summary.Records++
	}
	slices.SortStableFunc(res.Problems, func(a, b csvmap.Problem) int { return cmp.Compare(a.Line, b.Line) })
	return res, nil
}

var importer = accord.Actor{ID: "import", Role: accord.RoleSalesManager}

// Contract returns the record as a contract for the retention calculator:
// terms of Months from Start, each renewed (month-to-month ones
// auto-renewed) up to the one in force on End, or on asOf for an active
// contract without an end; a churned or cancelled record churns at its
// End. It needs Start and Months, and End for a record that ended: a
// record without them is a snapshot, for [ChurnedShare] only.
func (r *Record) Contract(asOf accord.Date) (*contract.Contract, error) {
	var errs []error
	if !r.Start.Valid() {
		errs = append(errs, accord.Invalid("start", "is required to follow a contract over time"))
	}
	if r.Months < 1 {
		errs = append(errs, accord.Invalid("months", "is required: map a type or a months column"))
	}
	if r.Status.Ended() && !r.End.Valid() {
		errs = append(errs, accord.Invalid("end", "is required for a contract that %s", r.Status))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("contract %q: %w", r.ID, err)
	}
	value := r.Value
	billing, outcome := contract.BillingAnnual, contract.OutcomeRenewed
	if r.Months == 1 {
		billing, outcome = contract.BillingMonthly, contract.OutcomeAutoRenewed
	}
	at := func(d accord.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }
	c := &contract.Contract{
		ID: r.ID, DealID: r.ID, Owner: importer.ID,
		Vendor: contract.Party{Name: "(import)"}, Client: contract.Party{ID: r.ID, Name: r.ID},
		Billing: billing, Commitment: r.Commitment(), Since: r.Start,
		AutoRenew: r.Months == 1, WindowDays: 30, Refund: contract.RefundTerms{Basis: contract.RefundAllPaid},
		Status:  contract.StatusActive,
		History: []contract.Event{{Kind: contract.EventCreated, To: contract.StatusActive, By: importer, At: at(r.Start)}},
	}
	until := asOf
	if r.End.Valid() {
		until = r.End
	}
	term := func(k int) contract.Term {
		start, renewal := r.Start.AddMonths(k*r.Months), r.Start.AddMonths((k+1)*r.Months)
		return contract.Term{Start: start, End: renewal.AddDays(-1), Months: r.Months, Renewal: renewal, Value: value}
	}
	c.Term = term(0)
	// Renew while the next term has begun by until; a contract that ended
	// on a renewal date churned at it, without the term it did not start.
	for k := 1; k < 4*contract.MaxTermMonths; k++ {
		if until.Before(c.Term.Renewal) || r.Status.Ended() && !until.After(c.Term.Renewal) {
			break
		}
		next := term(k)
		c.Renewals = append(c.Renewals, contract.Renewal{Outcome: outcome, Previous: c.Term, Next: next, By: importer, At: at(c.Term.Renewal)})
		c.History = append(c.History, contract.Event{Kind: contract.EventRenewal, Reason: string(outcome), By: importer, At: at(c.Term.Renewal)})
		c.Term = next
	}
	if r.Status.Ended() {
		note := "imported as " + string(r.Status)
		c.Status = contract.StatusChurned
		c.Renewals = append(c.Renewals, contract.Renewal{Outcome: contract.OutcomeChurned, Previous: c.Term, Reason: contract.ChurnOther, Note: note, By: importer, At: at(r.End)})
		c.History = append(c.History, contract.Event{Kind: contract.EventStatus, From: contract.StatusActive, To: contract.StatusChurned, Reason: note, By: importer, At: at(r.End)})
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("contract %q: %w", r.ID, err)
	}
	return c, nil
}

// Share is the churned share of one group of a snapshot: the contracts
// that had churned or been cancelled when the export was taken, over all
// its contracts. It is a snapshot share, not a churn rate over a period:
// the export does not say when they left.
type Share struct {
	Key                string
	Churned, Contracts int
}

// String writes the share as "26.58% churned (1869/7032), snapshot share".
func (s Share) String() string {
	if s.Contracts == 0 {
		return "n/a churned (0/0), snapshot share"
	}
	return fmt.Sprintf("%.2f%% churned (%d/%d), snapshot share", 100*float64(s.Churned)/float64(s.Contracts), s.Churned, s.Contracts)
}

// ChurnedShare returns the churned share of the records grouped by key,
// ordered by key; records whose key is "" form the group "(none)".
func ChurnedShare(records []Record, key func(*Record) string) []Share {
	idx := map[string]int{}
	var out []Share
	for i := range records {
		k := cmp.Or(key(&records[i]), "(none)")
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, Share{Key: k})
		}
		out[j].Contracts++
		if records[i].Status.Ended() {
			out[j].Churned++
		}
	}
	slices.SortFunc(out, func(a, b Share) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// ByCommitment groups records by their contract commitment.
func ByCommitment(r *Record) string { return string(r.Commitment()) }

// BySegment groups records by the segment column at index i of the
// mapping's segments.
func BySegment(i int) func(*Record) string {
	return func(r *Record) string {
		if i < len(r.Segments) {
			return r.Segments[i]
		}
		return ""
	}
}
