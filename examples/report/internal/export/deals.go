package export

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// The fields a column can be mapped to. Snapshot reads id, stage, opened,
// closed, value, owner and segment; Events reads id, at, stage, field,
// value, owner and segment.
const (
	FieldID      = "id"
	FieldStage   = "stage"
	FieldOpened  = "opened"
	FieldClosed  = "closed"
	FieldValue   = "value"
	FieldOwner   = "owner"
	FieldSegment = "segment"
	FieldAt      = "at"
	FieldChange  = "field"
)

var (
	snapshotFields = []string{FieldID, FieldStage, FieldOpened, FieldClosed, FieldValue, FieldOwner, FieldSegment}
	eventFields    = []string{FieldID, FieldAt, FieldStage, FieldChange, FieldValue, FieldOwner, FieldSegment}
)

// ParseMap parses a column mapping such as "id=Opportunity ID,stage=Deal
// Stage": comma-separated field=column pairs. Every problem (a pair
// without "=", an empty column, a field given twice) is reported.
// Whether a field is known depends on the reader: see [Options.Map].
func ParseMap(s string) (map[string]string, error) {
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

// Options configures [Snapshot] and [Events].
type Options struct {
	// Map maps fields to column names. A field not in Map is read from the
	// column of the same name, if the table has one; id and stage (and at,
	// for events) are required.
	Map map[string]string
	// Won and Lost list the stage labels that mean won and lost, compared
	// ignoring case and surrounding spaces. Snapshot needs both; Events
	// needs Won and reads a loss from Lost or from LostField.
	Won, Lost []string
	// Currency is the currency of the values. Required.
	Currency accord.Currency
	// Location is where dates without an offset are read. Required.
	Location *time.Location

	// Stages lists the open stages of an event log in order, the won ones
	// included; without it, the labels must be numbers, taken in numeric
	// order (a file's order of first appearance is no order). Events only.
	Stages []string
	// StageField and LostField apply when the field column is mapped, to
	// logs with one row per changed field: rows whose field is StageField
	// are stage changes, rows whose field is LostField mark the deal lost,
	// and other rows are ignored. Events only.
	StageField, LostField string
}

// Deal is a deal read from an export: what the export tells of it. It is
// kept small (an export may hold millions of rows); [Deal.Fill] makes the
// accord deal that package metrics reads.
type Deal struct {
	// Line is the line of the deal's row (its first row, for an event log).
	Line int
	// Label is the export's label of the deal's current stage.
	Label              string
	ID, Owner, Segment string
	Value              accord.Money
	// History is the deal's history in the result's process. It is empty
	// for an open deal without an opened date, which has none to tell.
	History []deal.Event

	loss deal.Loss // the last loss, when the history ends in one
}

// finish records what the history implies that Fill hands out by pointer.
func (x *Deal) finish() {
	if n := len(x.History); n > 0 && x.History[n-1].To == deal.StageLost {
		last := x.History[n-1]
		x.loss = deal.Loss{Reason: last.LossReason, Stage: last.From}
	}
}

// Fill sets *d to the deal: its ID, owner, segment, value and history,
// and the current stage, the time it was entered, the version and the loss
// that the history implies. Every other field is zeroed, so that one
// deal.Deal can be filled again and again. d shares the history's array
// and the loss with x: treat them as read-only.
func (x *Deal) Fill(d *deal.Deal) {
	*d = deal.Deal{ID: x.ID, Owner: x.Owner, Segment: x.Segment, Value: x.Value, History: x.History}
	if n := len(x.History); n > 0 {
		last := x.History[n-1]
		d.Stage, d.StageEnteredAt, d.Version = last.To, last.At, n
		if last.To == deal.StageLost {
			d.Loss = &x.loss
		}
	}
}

// Result is what [Snapshot] and [Events] read.
type Result struct {
	// Process is the process the histories follow: for a snapshot, one
	// open stage "open" then live (won) or lost; for an event log, its
	// open stages in order, Closed Won at the first won label.
	Process *deal.Process
	Deals   []Deal
	// Problems lists the refused rows in line order.
	Problems []Problem
	// Ignored counts the rows of an event log whose field is neither the
	// stage field nor the lost field.
	Ignored int
}

type columns map[string]int

func (c columns) get(r Row, f string) string {
	if i, ok := c[f]; ok {
		return strings.TrimSpace(r.Fields[i])
	}
	return ""
}

func resolve(t *Table, m map[string]string, known, required []string) (columns, error) {
	cols := columns{}
	var errs []error
	for f := range m {
		if !slices.Contains(known, f) {
			errs = append(errs, fmt.Errorf("map: unknown field %q; the fields are %s", f, strings.Join(known, ", ")))
		}
	}
	for _, f := range known {
		name, mapped := m[f]
		if !mapped {
			name = f
		}
		i, err := t.Column(name)
		switch {
		case err == nil:
			cols[f] = i
		case mapped || slices.Contains(required, f):
			errs = append(errs, fmt.Errorf("field %s: %w", f, err))
		}
	}
	return cols, errors.Join(errs...)
}

func labelIn(label string, labels []string) bool {
	for _, l := range labels {
		if strings.EqualFold(strings.TrimSpace(l), label) {
			return true
		}
	}
	return false
}

func (o *Options) check(events bool) []error {
	var errs []error
	if !o.Currency.Valid() {
		errs = append(errs, fmt.Errorf("currency: must be an ISO 4217 code such as USD; got %q", o.Currency))
	}
	if o.Location == nil {
		errs = append(errs, errors.New("location: is required"))
	}
	if len(o.Won) == 0 {
		errs = append(errs, errors.New("won: give the label of won deals"))
	}
	if !events && len(o.Lost) == 0 {
		errs = append(errs, errors.New("lost: give the label of lost deals"))
	}
	for _, w := range o.Won {
		if labelIn(strings.TrimSpace(w), o.Lost) {
			errs = append(errs, fmt.Errorf("won: %q is also a lost label", w))
		}
	}
	return errs
}

const stageOpen deal.StageID = "open"

var by = accord.Actor{ID: "export", Role: accord.RoleSalesRep}

func fieldErr(f string, col int, t *Table, err error) error {
	return fmt.Errorf("%s (column %q): %w", f, t.Header[col], err)
}

// Snapshot reads one row per opportunity. A row is refused, with a problem
// naming every field at fault, when its id is blank or repeats an earlier
// row's, its stage is blank, a date or the value does not parse, a won or
// lost deal lacks its opened or closed date, it closed before it opened,
// or its join key has no match. A deal is won or lost when its stage is
// one of the Won or Lost labels, and open otherwise; its history is the
// open event at the opened date then, for a closed deal, the move to live
// (won) or lost (with the loss reason "other") at the closed date.
func Snapshot(t *Table, o Options) (*Result, error) {
	errs := o.check(false)
	cols, err := resolve(t, o.Map, snapshotFields, []string{FieldID, FieldStage})
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	proc, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: stageOpen, Name: "open"}}})
	if err != nil {
		return nil, err
	}
	res := &Result{Process: proc, Deals: make([]Deal, 0, len(t.Rows))}
	seen := make(map[string]int, len(t.Rows))
	for _, row := range t.Rows {
		var errs []error
		if row.missing != nil {
			errs = append(errs, row.missing)
		}
		id := cols.get(row, FieldID)
		if id == "" {
			errs = append(errs, fmt.Errorf("id (column %q): is required", t.Header[cols[FieldID]]))
		} else if first, dup := seen[id]; dup {
			errs = append(errs, fmt.Errorf("id (column %q): %q repeats line %d", t.Header[cols[FieldID]], id, first))
		}
		label := cols.get(row, FieldStage)
		if label == "" {
			errs = append(errs, fmt.Errorf("stage (column %q): is required", t.Header[cols[FieldStage]]))
		}
		won, lost := labelIn(label, o.Won), labelIn(label, o.Lost)
		var dates [2]time.Time
		for i, f := range []string{FieldOpened, FieldClosed} {
			c, ok := cols[f]
			if !ok {
				if won || lost {
					errs = append(errs, fmt.Errorf("%s: a closed deal needs it; map it with -map %s=COLUMN", f, f))
				}
				continue
			}
			s := cols.get(row, f)
			if s == "" {
				if won || lost {
					errs = append(errs, fieldErr(f, c, t, errors.New("is required for a won or lost deal")))
				}
				continue
			}
			d, err := ParseTime(s, o.Location)
			if err != nil {
				errs = append(errs, fieldErr(f, c, t, err))
			}
			dates[i] = d
		}
		if !dates[0].IsZero() && !dates[1].IsZero() && dates[1].Before(dates[0]) {
			errs = append(errs, fieldErr(FieldClosed, cols[FieldClosed], t, fmt.Errorf("%s is before the opened date", dates[1].Format(time.DateOnly))))
		}
		value, err := ParseValue(cols.get(row, FieldValue), o.Currency)
		if err != nil {
			errs = append(errs, fieldErr(FieldValue, cols[FieldValue], t, err))
		}
		if errs != nil {
			res.Problems = append(res.Problems, Problem{Line: row.Line, Err: errors.Join(errs...)})
			continue
		}
		seen[id] = row.Line
		d := Deal{Line: row.Line, Label: label, ID: id, Owner: cols.get(row, FieldOwner), Segment: cols.get(row, FieldSegment), Value: value}
		if !dates[0].IsZero() {
			d.History = append(d.History, deal.Event{Kind: deal.EventOpen, To: stageOpen, At: dates[0], By: by})
			switch {
			case won:
				d.History = append(d.History, deal.Event{Kind: deal.EventWon, From: stageOpen, To: deal.StageLive, At: dates[1], By: by})
			case lost:
				d.History = append(d.History, deal.Event{Kind: deal.EventLost, From: stageOpen, To: deal.StageLost, At: dates[1], By: by, LossReason: deal.LossOther})
			}
		}
		d.finish()
		res.Deals = append(res.Deals, d)
	}
	return res, nil
}

// change is one row of an event log.
type change struct {
	line  int
	at    time.Time
	stage int // index into the stage list; -1 for a loss
}

// Events reads a stage-change log: one row per change, giving the deal,
// the time and the new stage. A row is refused when its id, time or stage
// is blank, its time does not parse, its stage is not in Stages (when
// given), its value does not parse, or its join key has no match. A
// deal's rows are sorted by time (rows at the same time keep their file
// order), repeats of the current stage dropped, and turned into its
// history: open, advance, won, revert, lost (loss reason "other") and
// reopen. A deal whose history does not hold together (a loss before any
// stage) is refused with the line of its first row. A deal's segment,
// owner and value are the last non-blank ones in its rows.
func Events(t *Table, o Options) (*Result, error) {
	errs := o.check(true)
	required := []string{FieldID, FieldAt, FieldStage}
	cols, err := resolve(t, o.Map, eventFields, required)
	errs = append(errs, err)
	_, byField := cols[FieldChange]
	if byField && o.StageField == "" {
		errs = append(errs, errors.New("stage-field: is required when the field column is mapped"))
	}
	if !byField && (o.StageField != "" || o.LostField != "") {
		errs = append(errs, errors.New("stage-field, lost-field: map the field column to use them (-map field=COLUMN)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	res := &Result{}
	stages := stageList(o.Stages)
	index := map[string]int{}
	for i, s := range stages {
		index[strings.ToLower(s)] = i
	}
	fixed := len(o.Stages) > 0
	type acc struct {
		id             string
		line           int
		changes        []change
		owner, segment string
		value          accord.Money
	}
	var order []*acc
	byID := map[string]*acc{}
	for _, row := range t.Rows {
		lostRow := false
		if byField {
			switch f := cols.get(row, FieldChange); {
			case strings.EqualFold(f, o.StageField):
			case o.LostField != "" && strings.EqualFold(f, o.LostField):
				lostRow = true
			default:
				res.Ignored++
				continue
			}
		}
		var errs []error
		if row.missing != nil {
			errs = append(errs, row.missing)
		}
		id := cols.get(row, FieldID)
		if id == "" {
			errs = append(errs, fmt.Errorf("id (column %q): is required", t.Header[cols[FieldID]]))
		}
		var at time.Time
		if s := cols.get(row, FieldAt); s == "" {
			errs = append(errs, fieldErr(FieldAt, cols[FieldAt], t, errors.New("is required")))
		} else if at, err = ParseTime(s, o.Location); err != nil {
			errs = append(errs, fieldErr(FieldAt, cols[FieldAt], t, err))
		}
		st := -1
		if !lostRow {
			label := cols.get(row, FieldStage)
			switch i, ok := index[strings.ToLower(label)]; {
			case label == "":
				errs = append(errs, fieldErr(FieldStage, cols[FieldStage], t, errors.New("is required")))
			case labelIn(label, o.Lost):
			case ok:
				st = i
			case fixed:
				errs = append(errs, fieldErr(FieldStage, cols[FieldStage], t, fmt.Errorf("%q is not one of the stages %s", label, quoteList(o.Stages))))
			default:
				st = len(stages)
				stages = append(stages, label)
				index[strings.ToLower(label)] = st
			}
		}
		value, err := ParseValue(cols.get(row, FieldValue), o.Currency)
		if err != nil {
			errs = append(errs, fieldErr(FieldValue, cols[FieldValue], t, err))
		}
		if errs != nil {
			res.Problems = append(res.Problems, Problem{Line: row.Line, Err: errors.Join(errs...)})
			continue
		}
		a := byID[id]
		if a == nil {
			a = &acc{id: id, line: row.Line}
			byID[id] = a
			order = append(order, a)
		}
		a.changes = append(a.changes, change{line: row.Line, at: at, stage: st})
		if s := cols.get(row, FieldOwner); s != "" {
			a.owner = s
		}
		if s := cols.get(row, FieldSegment); s != "" {
			a.segment = s
		}
		if value.IsSet() {
			a.value = value
		}
	}
	if !fixed {
		var ok bool
		if stages, ok = sortNumeric(stages); !ok {
			// First appearance in a file is no order: a deal that skips a
			// stage would put it late, and the funnel would be wrong.
			return nil, fmt.Errorf("stages: the log's stage labels are not numbers, so their order cannot be inferred; give it with -stages (the log names %s)", quoteList(stages))
		}
	}
	proc, ids, err := eventProcess(stages, o.Won)
	if err != nil {
		return nil, err
	}
	res.Process = proc
	// sortNumeric may have moved the stages: remap positions by label.
	pos := map[string]int{}
	for i, s := range stages {
		pos[strings.ToLower(s)] = i
	}
	won := -1
	for i, s := range stages {
		if labelIn(s, o.Won) {
			won = i
			break
		}
	}
	remap := make(map[int]int, len(index))
	for k, i := range index {
		remap[i] = pos[k]
	}
	for _, a := range order {
		slices.SortStableFunc(a.changes, func(x, y change) int { return x.at.Compare(y.at) })
		d := Deal{Line: a.line, ID: a.id, Owner: a.owner, Segment: a.segment, Value: a.value}
		cur, label := -2, ""
		var bad error
		for _, c := range a.changes {
			next := -1
			if c.stage >= 0 {
				next = remap[c.stage]
			}
			if next == cur {
				continue
			}
			ev := deal.Event{At: c.at, By: by, To: deal.StageLost}
			if next >= 0 {
				ev.To = ids[next]
			}
			if cur >= 0 {
				ev.From = ids[cur]
			} else if cur == -1 {
				ev.From = deal.StageLost
			}
			switch {
			case cur == -2 && next < 0:
				bad = fmt.Errorf("deal %q: lost at line %d before entering any stage", a.id, c.line)
			case cur == -2:
				ev.Kind = deal.EventOpen
			case next < 0:
				ev.Kind, ev.LossReason = deal.EventLost, deal.LossOther
			case cur == -1:
				ev.Kind, ev.Reason = deal.EventReopen, "reopened in the export"
			case next < cur:
				ev.Kind, ev.Reason = deal.EventRevert, "moved back in the export"
			case won >= 0 && next >= won && cur < won:
				ev.Kind = deal.EventWon
			default:
				ev.Kind = deal.EventAdvance
			}
			if bad != nil {
				break
			}
			d.History = append(d.History, ev)
			cur = next
			if next >= 0 {
				label = stages[next]
			} else {
				label = "lost"
			}
		}
		if bad != nil {
			res.Problems = append(res.Problems, Problem{Line: a.line, Err: bad})
			continue
		}
		d.Label = label
		d.finish()
		res.Deals = append(res.Deals, d)
	}
	slices.SortFunc(res.Problems, func(x, y Problem) int { return cmp.Compare(x.Line, y.Line) })
	return res, nil
}

func stageList(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sortNumeric orders labels numerically when all of them are integers, and
// reports false, leaving them as they are, otherwise.
func sortNumeric(labels []string) ([]string, bool) {
	nums := make([]int64, len(labels))
	for i, l := range labels {
		n, err := strconv.ParseInt(l, 10, 64)
		if err != nil {
			return labels, false
		}
		nums[i] = n
	}
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(nums[a], nums[b]) })
	out := make([]string, len(labels))
	for i, j := range idx {
		out[i] = labels[j]
	}
	return out, true
}

// eventProcess builds the process of an event log: one open stage per
// label, in order, with IDs made from the labels, and Closed Won at the
// first won label.
func eventProcess(labels, won []string) (*deal.Process, []deal.StageID, error) {
	var errs []error
	if len(labels) == 0 {
		errs = append(errs, errors.New("stages: the log names no stage"))
	}
	cfg := deal.Config{}
	ids := make([]deal.StageID, len(labels))
	used := map[deal.StageID]bool{deal.StageLive: true, deal.StageLost: true}
	for i, l := range labels {
		id := slug(l)
		for n := 2; used[id]; n++ {
			id = slug(l) + deal.StageID("_"+strconv.Itoa(n))
		}
		used[id] = true
		ids[i] = id
		cfg.Stages = append(cfg.Stages, deal.Stage{ID: id, Name: l})
		if cfg.ClosedWon == "" && labelIn(l, won) {
			cfg.ClosedWon = id
			if i == 0 {
				errs = append(errs, fmt.Errorf("won: %q is the first stage; a deal must be open before it is won", l))
			}
		}
	}
	if cfg.ClosedWon == "" && len(labels) > 0 {
		errs = append(errs, fmt.Errorf("won: none of %s is a stage of the log; the stages are %s", quoteList(won), quoteList(labels)))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	p, err := deal.NewProcess(cfg)
	return p, ids, err
}

// slug turns a label into a stage ID: lower case, with spaces, tabs,
// newlines and colons turned into underscores.
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
