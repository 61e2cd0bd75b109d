package dealcsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/csvmap"
)

// Read reads an export with mapping m: every deal, every refused row with
// its line and reason, warnings about the mapping, and a summary. The
// error is for a mapping that does not fit the export (a column it lacks,
// a join without its reader, a log whose stage order cannot be inferred)
// or input that cannot be read at all; a bad row is never an error, and
// never dropped silently.
//
// A deals export (one row per deal) is read as it streams: its memory
// grows with the deals kept and the IDs seen, never with the rows of a
// join. A log of changes is read in full, since a deal's rows may be
// anywhere in it. See the package documentation for how histories and
// outcomes are built.
func Read(r io.Reader, m *Mapping, o Options) (*Result, error) {
	var deals []Deal
	res, err := scan(r, m, o, true, func(d *Deal) error {
		deals = append(deals, *d)
		return nil
	}, nil)
	if res != nil {
		res.Deals = deals
	}
	return res, err
}

// Each reads an export as [Read] does, but hands each deal to fn, with
// the process its history follows, instead of keeping it: a deals export
// of any length is read in memory that grows only with the IDs seen (to
// refuse a repeated one). The deal and its history are reused for the
// next one: copy what you keep. Its strings may be kept as they are; the
// IDs are made a few hundred to a block of 4 KiB, which an ID kept keeps
// alive. An error from fn stops the read and is returned.
func Each(r io.Reader, m *Mapping, o Options, fn func(*deal.Process, *Deal) error) (*Result, error) {
	var p *plan
	return scan(r, m, o, false, func(d *Deal) error { return fn(p.proc, d) }, &p)
}

func scan(r io.Reader, m *Mapping, o Options, keep bool, fn func(*Deal) error, out **plan) (*Result, error) {
	if m == nil {
		return nil, accord.Invalid("mapping", "is nil")
	}
	rd, err := csvmap.NewReader(cmpOr(o.Name, "export"), r)
	if err != nil {
		return nil, err
	}
	p, joinProblems, err := compile(m, rd.Header(), o)
	if err != nil {
		return nil, err
	}
	if out != nil {
		*out = p
	}
	res := &Result{}
	t := newTally(res)
	if p.kind == KindChanges {
		err = p.changes(rd, t, fn)
	} else {
		res.Process = p.proc
		var size int64 // the input's size, when it says
		if l, ok := r.(interface{ Len() int }); ok {
			size = int64(l.Len())
		}
		err = p.deals(rd, size, t, keep, fn)
	}
	if err != nil {
		return nil, err
	}
	res.Process = p.proc
	t.finish(p, joinProblems)
	return res, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// rowErrs collects the problems of one row.
type rowErrs struct {
	reason string
	errs   []error
}

func (e *rowErrs) add(reason string, err error) {
	if e.reason == "" {
		e.reason = reason
	}
	e.errs = append(e.errs, err)
}

func (e *rowErrs) problem(line int) Problem {
	return Problem{Line: line, Reason: e.reason, Err: errors.Join(e.errs...)}
}

func fieldErr(c ref, f Field, err error) error {
	return fmt.Errorf("%s (column %q): %w", f, c.name, err)
}

// unmatched handles a row whose join found nothing: the problem, or the
// deal kept under Unmatched.
func (p *plan) unmatched(r *row, e *rowErrs) string {
	if r.unmatched < 0 {
		return ""
	}
	j := p.joins[r.unmatched]
	if p.drop {
		e.add(ReasonUnmatched, fmt.Errorf("%s %q is not in %s", j.key.name, r.get(j.key), j.name))
		return ""
	}
	return j.name
}

// attrs sets the owner, segment and value of d from r, keeping what r
// leaves blank; a deal kept under Unmatched gets it as its segment, and as
// its owner when the owner comes from the join that missed.
func (p *plan) attrs(r *row, d *Deal, e *rowErrs) {
	if s := p.text(r, sOwner); len(s) > 0 {
		d.Owner = p.texts.Intern(s)
	}
	if s := p.text(r, sSegment); len(s) > 0 {
		d.Segment = p.texts.Intern(s)
	}
	if r.unmatched >= 0 && !p.drop {
		if c, ok := p.at(sSegment); !ok || c.join == r.unmatched || d.Segment == "" {
			d.Segment = Unmatched
		}
		if c, ok := p.at(sOwner); ok && c.join == r.unmatched {
			d.Owner = Unmatched
		}
	}
	c, ok := p.at(sValue)
	if !ok {
		return
	}
	v := r.field(c)
	if len(v) == 0 {
		return
	}
	if cc, ok := p.at(sCurr); ok {
		if code := r.field(cc); len(code) > 0 && !bytes.EqualFold(code, p.currency) {
			e.add(ReasonBadValue, fieldErr(c, FieldValue, fmt.Errorf("is in %s (column %q), but the mapping reads %s", code, cc.name, p.m.Currency)))
			return
		}
	}
	value, err := p.values.ParseBytes(v)
	if err != nil {
		e.add(ReasonBadValue, fieldErr(c, FieldValue, err))
		return
	}
	d.Value = value
}

// text returns the text of the field of slot s (see row.field); nil when
// it is not mapped.
func (p *plan) text(r *row, s int) []byte {
	if c := &p.cols[s]; c.name != "" {
		return r.field(*c)
	}
	return nil
}

// date reads the date of the field of slot sl; zero when blank or not
// mapped.
func (p *plan) date(r *row, sl int, e *rowErrs) time.Time {
	c := &p.cols[sl]
	if c.name == "" {
		return time.Time{}
	}
	s := r.field(*c)
	if len(s) == 0 {
		return time.Time{}
	}
	t, err := p.dates.ParseBytes(s)
	if err != nil {
		e.add(ReasonBadDate, fieldErr(*c, slotFields[sl], err))
	}
	return t
}

// deals reads an export of one row per deal.
func (p *plan) deals(rd *csvmap.Reader, size int64, t *tally, keep bool, fn func(*Deal) error) error {
	// IDs are remembered by a 64-bit key each, not kept: see idSet.
	seen := newIDSet()
	// When the input says its size, size the set after the first rows
	// rather than grow it step by step.
	sized := size <= 0
	var (
		r   row
		b   builder
		d   Deal
		e   rowErrs
		hs  []deal.Event
		ids arena
	)
	idc := p.cols[sID]
	for {
		if err := p.next(rd, t, &r); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		line := r.line
		e = rowErrs{reason: "", errs: e.errs[:0]}
		d = Deal{Line: line}
		if r.unmatched >= 0 {
			d.Unmatched = p.unmatched(&r, &e)
		}
		id := r.field(idc)
		var (
			key  uint64
			slot int
		)
		if len(id) == 0 {
			e.add(ReasonMissingID, fieldErr(idc, FieldID, errors.New("is required")))
		} else {
			key = idKey(seen, id)
			var first int32
			var dup bool
			if slot, first, dup = seen.find(key); dup {
				e.add(ReasonDuplicateID, fieldErr(idc, FieldID, fmt.Errorf("%q repeats line %d", string(id), first)))
			}
		}
		p.attrs(&r, &d, &e)
		if keep {
			hs = nil
		}
		p.dealHistory(&r, &b, &d, hs, &e)
		if len(e.errs) > 0 {
			t.reject(e.problem(line))
			continue
		}
		seen.add(slot, key, line)
		if !sized && seen.n == 1024 {
			sized = true
			if per := rd.Offset() / 1024; per > 0 && size/per < 1<<26 {
				seen.reserve(int(size/per + size/per/8))
			}
		}
		// The owner, segment and label are strings of their own already.
		d.ID = ids.string(id)
		if !keep {
			hs = b.h
		}
		d.finish()
		t.deal(&d)
		if err := fn(&d); err != nil {
			return err
		}
	}
}

// dealHistory builds the history of a deals export's row into d.
func (p *plan) dealHistory(r *row, b *builder, d *Deal, hs []deal.Event, e *rowErrs) {
	b.reset(p, hs)
	reached, outcome := 0, deal.Outcome("")
	if c, ok := p.at(sStage); ok {
		label := r.field(c)
		h := p.stageAt(label)
		d.Label = h.label
		switch s, ok := h.pos, h.ok; {
		case len(label) == 0:
			if !p.outcomes {
				e.add(ReasonMissingStage, fieldErr(c, FieldStage, errors.New("is required")))
			}
		case ok && s == lost:
			outcome = deal.OutcomeLost
		case ok:
			reached = s
		case len(p.m.Stages) > 0:
			e.add(ReasonUnknownStage, fieldErr(c, FieldStage, fmt.Errorf("%q is not one of the stages %s", h.label, csvmap.QuoteList(p.labels))))
		}
	}
	if reached >= p.won {
		outcome = deal.OutcomeWon
	}
	// Asked only when a column tells outcomes: the call makes a method
	// value.
	if p.outcomes {
		if o := p.outcomeOf(r, e.add); o != "" {
			outcome = o
		}
	}
	if outcome == "" {
		outcome = deal.OutcomeOpen
	}
	opened := p.date(r, sOpened, e)
	closed := p.date(r, sClosed, e)
	reason, note := deal.LossOther, ""
	if s := p.text(r, sReason); len(s) > 0 {
		reason, note = p.lossOf(p.texts.Intern(s))
	}
	if n := p.text(r, sNote); len(n) > 0 {
		note = strings.TrimSpace(note + " " + string(n))
	}
	// The dates the deal entered its stages, when the export has them.
	type entry struct {
		at    time.Time
		stage int
	}
	var entries []entry
	for _, ec := range p.enter {
		s := r.field(ec.at)
		if len(s) == 0 {
			continue
		}
		at, err := p.dates.ParseBytes(s)
		if err != nil {
			e.add(ReasonBadDate, fmt.Errorf("entered %s (column %q): %w", p.ids[ec.stage], ec.at.name, err))
			continue
		}
		entries = append(entries, entry{at, ec.stage})
	}
	// A closed deal without dates of entry needs both dates; one not mapped
	// is zero.
	if len(entries) == 0 && outcome != deal.OutcomeOpen && (opened.IsZero() || closed.IsZero()) {
		for _, s := range [...]int{sOpened, sClosed} {
			c, ok := p.at(s)
			f := slotFields[s]
			switch {
			case !ok:
				e.add(ReasonMissingDate, fmt.Errorf("%s: a closed deal needs it; map it in columns.%s", f, f))
			case f == FieldOpened && opened.IsZero() || f == FieldClosed && closed.IsZero():
				if len(r.field(c)) == 0 {
					e.add(ReasonMissingDate, fieldErr(c, f, errors.New("is required for a won or lost deal")))
				}
			}
		}
	}
	if !opened.IsZero() && !closed.IsZero() && closed.Before(opened) {
		e.add(ReasonDateOrder, fieldErr(p.cols[sClosed], FieldClosed, fmt.Errorf("%s is before the opened date", closed.Format(time.DateOnly))))
	}
	if len(e.errs) > 0 {
		return
	}
	or := func(a, b time.Time) time.Time {
		if a.IsZero() {
			return b
		}
		return a
	}
	if len(entries) > 0 {
		slices.SortStableFunc(entries, func(a, b entry) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return a.stage - b.stage
		})
		if !opened.IsZero() && opened.Before(entries[0].at) {
			b.move(opened, entries[0].stage)
		}
		for _, en := range entries {
			b.move(en.at, en.stage)
		}
		last := entries[len(entries)-1].at
		end := or(closed, last)
		if end.Before(last) {
			end = last
		}
		switch outcome {
		case deal.OutcomeWon:
			b.win(end)
		case deal.OutcomeLost:
			b.lose(end, reason, note)
		}
	} else if !opened.IsZero() {
		if reached < p.won {
			b.move(opened, reached)
			switch outcome {
			case deal.OutcomeWon:
				b.win(closed)
			case deal.OutcomeLost:
				b.lose(closed, reason, note)
			}
		} else {
			b.move(opened, 0)
			b.move(or(closed, opened), reached)
			if outcome == deal.OutcomeLost {
				b.lose(or(closed, opened), reason, note)
			}
		}
	}
	d.History, d.LostAfterWin = b.h, b.after
	if len(b.h) > 0 && p.cols[sStage].name != "" && d.Label == "" {
		d.Label = b.label()
	}
}
