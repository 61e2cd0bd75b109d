package dealcsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/csvmap"
)

// What a row of a log says happened.
const (
	markStage = iota
	markLost
	markWon
	markOpen
)

type mark struct {
	at     time.Time
	line   int
	kind   int
	stage  int    // markStage: the stage's index
	reason string // markLost: the loss reason label
}

// history gathers the rows of one deal of a log.
type history struct {
	d       Deal
	marks   []mark
	created []int // the lines of the rows that create the deal
	status  deal.Outcome
	closed  time.Time
	reason  string
}

// changes reads a log of changes: the rows of every deal, then each
// deal's history.
func (p *plan) changes(rd *csvmap.Reader, t *tally, fn func(*Deal) error) error {
	idc, atc := p.cols[sID], p.cols[sAt]
	fieldc, byField := p.at(sChanged)
	keys := p.m.Changes
	// The field keys as bytes, to compare a row's with; nil when unset.
	key := func(k string) []byte {
		if k == "" {
			return nil
		}
		return []byte(k)
	}
	stageKey, statusKey, lossKey, createdKey := key(keys.Stage), key(keys.Status), key(keys.Loss), key(keys.Created)
	var order []*history
	byID := map[string]*history{}
	var r row
	for {
		if err := p.next(rd, t, &r); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		line := r.line
		var e rowErrs
		m := mark{line: line, kind: -1}
		created := false
		var v []byte
		vc := p.cols[sStage]
		if byField {
			vc = p.cols[sNew]
			v = r.field(vc)
			switch f := r.field(fieldc); {
			case stageKey != nil && bytes.EqualFold(f, stageKey):
				m.kind = markStage
			case statusKey != nil && bytes.EqualFold(f, statusKey):
				o, ok := lookupFold(p.status, v)
				switch {
				case !ok:
					e.add(ReasonStatus, fieldErr(vc, FieldNew, fmt.Errorf("%q is not one of the status values %s", string(v), csvmap.QuoteList(sortedKeys(p.m.Status)))))
				case o == deal.OutcomeWon:
					m.kind = markWon
				case o == deal.OutcomeLost:
					m.kind = markLost
				default:
					m.kind = markOpen
				}
			case lossKey != nil && bytes.EqualFold(f, lossKey):
				m.kind, m.reason = markLost, p.texts.Intern(v)
			case createdKey != nil && bytes.EqualFold(f, createdKey):
				created = true
			default:
				t.res.Summary.Ignored++
				continue
			}
		} else {
			v = r.field(vc)
			m.kind = markStage
		}
		if m.kind == markStage {
			switch s, ok := p.logStage(v); {
			case len(v) == 0:
				e.add(ReasonMissingStage, fieldErr(vc, FieldStage, errors.New("is required")))
			case !ok:
				e.add(ReasonUnknownStage, fieldErr(vc, FieldStage, fmt.Errorf("%q is not one of the stages %s", string(v), csvmap.QuoteList(p.labels))))
			case s == lost:
				m.kind, m.reason = markLost, p.texts.Intern(p.text(&r, sReason))
			default:
				m.stage = s
			}
		}
		unmatched := p.unmatched(&r, &e)
		id := r.field(idc)
		if len(id) == 0 {
			e.add(ReasonMissingID, fieldErr(idc, FieldID, errors.New("is required")))
		}
		if s := r.field(atc); len(s) == 0 {
			e.add(ReasonMissingDate, fieldErr(atc, FieldAt, errors.New("is required")))
		} else if at, err := p.dates.ParseBytes(s); err != nil {
			e.add(ReasonBadDate, fieldErr(atc, FieldAt, err))
		} else {
			m.at = at
		}
		h := byID[string(id)]
		var d Deal
		if h != nil {
			d = h.d
		}
		p.attrs(&r, &d, &e)
		status := p.outcomeOf(&r, e.add)
		closed := p.date(&r, sClosed, &e)
		if len(e.errs) > 0 {
			t.reject(e.problem(line))
			continue
		}
		if h == nil {
			h = &history{}
			d.ID, d.Line = string(id), line
			byID[d.ID] = h
			order = append(order, h)
		}
		// The owner, segment and reasons are strings of their own already.
		if unmatched != "" {
			d.Unmatched = unmatched
		}
		h.d = d
		if created {
			h.created = append(h.created, line)
		} else if m.kind >= 0 {
			h.marks = append(h.marks, m)
		}
		if status != "" {
			h.status = status
		}
		if !closed.IsZero() {
			h.closed = closed
		}
		if s := p.text(&r, sReason); len(s) > 0 {
			h.reason = p.texts.Intern(s)
		}
	}
	if !p.fixed {
		if err := p.inferStages(); err != nil {
			return err
		}
	}
	var b builder
	for _, h := range order {
		if len(h.created) > 1 {
			lines := make([]string, len(h.created))
			for i, l := range h.created {
				lines[i] = fmt.Sprint(l)
			}
			t.reject(Problem{Line: h.d.Line, Reason: ReasonTwoHistories,
				Err: fmt.Errorf("deal %q: its rows hold %d separate histories (created at lines %s); give each its own ID", h.d.ID, len(h.created), strings.Join(lines, ", "))})
			continue
		}
		if err := p.logHistory(h, &b); err != nil {
			t.reject(Problem{Line: h.d.Line, Reason: ReasonLostFirst, Err: err})
			continue
		}
		d := &h.d
		d.finish()
		t.deal(d)
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// logStage reads the stage of a log's row; a log without a stage list
// learns its stages as it reads them.
func (p *plan) logStage(v []byte) (int, bool) {
	if len(v) == 0 {
		return 0, false
	}
	if p.fixed {
		h := p.stageAt(v)
		return h.pos, h.ok
	}
	if i, ok := lookupFold(p.index, v); ok {
		return i, true
	}
	p.index[strings.ToLower(string(v))] = len(p.labels)
	p.labels = append(p.labels, string(v))
	return len(p.labels) - 1, true
}

// inferStages orders the stages a log named, which must be numbers, and
// builds the process.
func (p *plan) inferStages() error {
	sorted, ok := sortNumeric(p.labels)
	if !ok {
		// First appearance in a file is no order: a deal that skips a
		// stage would put it late, and the funnel would be wrong.
		return fmt.Errorf("stages: the log's stage labels are not numbers, so their order cannot be inferred; list them in the mapping's stages (the log names %s)", csvmap.QuoteList(p.labels))
	}
	remap := make([]int, len(p.labels))
	for i, l := range sorted {
		remap[p.index[strings.ToLower(l)]] = i
	}
	for k, i := range p.index {
		if i >= 0 {
			p.index[k] = remap[i]
		}
	}
	p.remap = remap
	p.labels = sorted
	return p.build()
}

// logHistory builds the history of one deal of a log.
func (p *plan) logHistory(h *history, b *builder) error {
	slices.SortStableFunc(h.marks, func(x, y mark) int { return x.at.Compare(y.at) })
	b.reset(p, nil)
	var last time.Time
	for _, m := range h.marks {
		last = m.at
		switch m.kind {
		case markStage:
			s := m.stage
			if p.remap != nil {
				s = p.remap[s]
			}
			b.move(m.at, s)
		case markWon:
			b.win(m.at)
		case markOpen:
			b.reopen(m.at)
		case markLost:
			reason, note := p.lossOf(m.reason)
			if !b.lose(m.at, reason, note) {
				return fmt.Errorf("deal %q: lost at line %d before entering any stage", h.d.ID, m.line)
			}
		}
	}
	// The deal's status, from a status column or a joined deals file,
	// has the last word.
	end := last
	if !h.closed.IsZero() && !h.closed.Before(last) {
		end = h.closed
	}
	reason, note := p.lossOf(h.reason)
	switch {
	case len(b.h) == 0:
	case h.status == deal.OutcomeWon:
		if b.cur == lost {
			b.move(end, b.lostFrom)
		}
		b.win(end)
	case h.status == deal.OutcomeLost && b.cur != lost && b.after == nil:
		b.lose(end, reason, note)
	case h.status == deal.OutcomeLost && b.cur == lost && h.reason != "":
		b.lose(end, reason, note) // the reason of the loss already recorded
	case h.status == deal.OutcomeLost && b.after != nil && h.reason != "" && b.after.Reason == deal.LossOther && b.after.Note == "":
		b.after.Reason, b.after.Note = reason, note
	case h.status == deal.OutcomeOpen:
		b.reopen(end)
	}
	h.d.History, h.d.LostAfterWin, h.d.Label = b.h, b.after, b.label()
	return nil
}
