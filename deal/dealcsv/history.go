package dealcsv

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

var by = accord.Actor{ID: "import", Role: accord.RoleSalesRep}

// builder turns the stages a deal entered, its wins and its losses, in
// time order, into its history. Positions are stage indices, live being
// len(ids), with none before the first event and lost after a loss.
type builder struct {
	p        *plan
	h        []deal.Event
	cur      int
	lostFrom int // the stage of the last loss
	after    *AfterWin
}

func (b *builder) reset(p *plan, h []deal.Event) {
	// Field by field: a composite literal is built on the stack in words
	// and copied in wider loads, which wait for the words to be stored.
	b.p, b.h, b.cur, b.lostFrom, b.after = p, h[:0], none, none, nil
}

func (b *builder) id(pos int) deal.StageID {
	switch {
	case pos == lost:
		return deal.StageLost
	case pos >= len(b.p.ids):
		return deal.StageLive
	case pos >= 0:
		return b.p.ids[pos]
	}
	return ""
}

// move records entering the stage at position to; a repeat of the stage
// the deal is in records nothing.
func (b *builder) move(at time.Time, to int) {
	if to == b.cur {
		return
	}
	b.after = nil // the deal went on: a loss after the win is undone
	// Built in place: an event is a large struct.
	b.h = append(b.h, deal.Event{})
	ev := &b.h[len(b.h)-1]
	ev.At, ev.By, ev.From, ev.To = at, by, b.id(b.cur), b.id(to)
	live, won := len(b.p.ids), b.p.won
	switch {
	case b.cur == none:
		ev.Kind = deal.EventOpen
	case b.cur == lost:
		ev.Kind, ev.Reason = deal.EventReopen, "reopened in the export"
	case to < b.cur:
		ev.Kind, ev.Reason = deal.EventRevert, "moved back in the export"
	case b.cur < won && to >= won:
		ev.Kind = deal.EventWon
	case to == live:
		ev.Kind = deal.EventLive
	default:
		ev.Kind = deal.EventAdvance
	}
	b.cur = to
}

// win records Closed Won: entering the Closed Won stage (or live), unless
// the deal is at or past it.
func (b *builder) win(at time.Time) {
	if b.cur < b.p.won {
		if b.cur == none {
			b.move(at, 0)
		}
		b.move(at, b.p.won)
	}
}

// lose records a loss; it reports false for a loss before any stage. A
// deal at or past the Closed Won stage was won: its loss is kept apart,
// as lost after the win.
func (b *builder) lose(at time.Time, reason deal.LossReason, note string) bool {
	switch {
	case b.cur == none:
		return false
	case b.cur == lost:
		// Lost again: the reason may be given in a row of its own.
		if n := len(b.h); n > 0 && reason != deal.LossOther {
			b.h[n-1].LossReason, b.h[n-1].Reason = reason, note
		}
		return true
	case b.cur >= b.p.won:
		if b.after == nil || reason != deal.LossOther || note != "" {
			b.after = &AfterWin{Stage: b.id(b.cur), Reason: reason, Note: note, At: at}
		}
		return true
	}
	// Built in place, as in move.
	b.h = append(b.h, deal.Event{})
	ev := &b.h[len(b.h)-1]
	ev.Kind, ev.From, ev.To, ev.At, ev.By, ev.LossReason, ev.Reason = deal.EventLost, b.id(b.cur), deal.StageLost, at, by, reason, note
	b.lostFrom, b.cur = b.cur, lost
	return true
}

// reopen undoes a loss, back into the stage the deal was lost at.
func (b *builder) reopen(at time.Time) {
	if b.cur == lost {
		b.move(at, b.lostFrom)
	}
	b.after = nil
}

// label returns the export's label of where the deal is.
func (b *builder) label() string {
	switch {
	case b.cur == lost:
		return "lost"
	case b.cur >= 0 && b.cur < len(b.p.labels):
		return b.p.labels[b.cur]
	case b.cur >= len(b.p.labels):
		return "live"
	}
	return ""
}
