package dealtest

import (
	"errors"
	"fmt"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// checkHistory reports every way d's history disagrees with m's process or
// with d's own stage, version and loss. Each problem names the field.
func (m *model) checkHistory(d *deal.Deal) error {
	h := d.History
	if len(h) == 0 {
		return accord.Invalid("history", "is empty: an open deal has at least its open event")
	}
	var errs []error
	bad := func(i int, field, format string, args ...any) {
		errs = append(errs, accord.Invalid(fmt.Sprintf("history[%d].%s", i, field), format, args...))
	}
	if first := h[0]; first.Kind != deal.KindOpen || first.From != "" || first.To != m.id(0) {
		bad(0, "kind", "must be an open event from \"\" to %s; got %s from %q to %s", m.id(0), first.Kind, first.From, first.To)
	}
	for i := 1; i < len(h); i++ {
		ev, prev := h[i], h[i-1]
		if ev.From != prev.To {
			bad(i, "from", "must be %s, where event %d went; got %s", prev.To, i-1, ev.From)
		}
		if ev.At.Before(prev.At) {
			bad(i, "at", "%s is before event %d, at %s", ev.At, i-1, prev.At)
		}
		from, fok := m.order[ev.From]
		to, tok := m.order[ev.To]
		if !fok || !tok {
			bad(i, "to", "moves from %q to %q, which are not both stages of the process", ev.From, ev.To)
			continue
		}
		switch ev.Kind {
		case deal.KindAdvance, deal.KindWon, deal.KindLive:
			if !m.open(from) || to != from+1 {
				bad(i, "to", "an advance from %s must go to the next stage; went to %s", ev.From, ev.To)
			} else if want := m.advanceKind(ev.To); ev.Kind != want {
				bad(i, "kind", "an advance into %s must be recorded as %s; got %s", ev.To, want, ev.Kind)
			}
		case deal.KindRevert:
			if !m.open(from) || !m.open(to) || to >= from {
				bad(i, "to", "a revert must go from an open stage to an earlier one; went from %s to %s", ev.From, ev.To)
			}
		case deal.KindLost:
			if !m.open(from) || ev.To != deal.StageLost {
				bad(i, "to", "a loss must go from an open stage to lost; went from %s to %s", ev.From, ev.To)
			}
			if !ev.LossReason.Valid() {
				bad(i, "loss_reason", "must be one of the loss reasons; got %q", ev.LossReason)
			}
		case deal.KindReopen:
			if ev.From != deal.StageLost || !m.open(to) {
				bad(i, "to", "a reopen must go from lost to an open stage; went from %s to %s", ev.From, ev.To)
			} else if i >= 2 && h[i-1].Kind == deal.KindLost && to > m.order[h[i-1].From] {
				bad(i, "to", "a reopen must go no later than %s, where the deal was lost; went to %s", h[i-1].From, ev.To)
			}
		default:
			bad(i, "kind", "must be advance, won, live, revert, lost or reopen; got %q", ev.Kind)
		}
	}
	last := h[len(h)-1]
	if d.Stage != last.To {
		errs = append(errs, accord.Invalid("stage", "must be %s, where the last event went; got %s", last.To, d.Stage))
	}
	if !d.StageEnteredAt.Equal(last.At) {
		errs = append(errs, accord.Invalid("stage_entered_at", "must be %s, the time of the last event; got %s", last.At, d.StageEnteredAt))
	}
	if d.Version != len(h)-1 {
		errs = append(errs, accord.Invalid("version", "must be %d, the number of moves in the history; got %d", len(h)-1, d.Version))
	}
	switch {
	case d.Stage == deal.StageLost && d.Loss == nil:
		errs = append(errs, accord.Invalid("loss", "is required while the deal is lost"))
	case d.Stage != deal.StageLost && d.Loss != nil:
		errs = append(errs, accord.Invalid("loss", "must be nil while the deal is %s", d.Stage))
	case d.Loss != nil && last.Kind == deal.KindLost && (d.Loss.Stage != last.From || d.Loss.Reason != last.LossReason):
		errs = append(errs, accord.Invalid("loss", "must record the last loss, %s at %s; got %s at %s", last.LossReason, last.From, d.Loss.Reason, d.Loss.Stage))
	}
	return errors.Join(errs...)
}
