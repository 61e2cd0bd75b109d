package deal

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestReadFollowsContractOf checks that a reading's contract and outcome
// event, which read follows along its one pass over the history, are what
// contractOf and lastMove find in theirs, for any history it accepts:
// moves between any stages and contract events anywhere.
func TestReadFollowsContractOf(t *testing.T) {
	p := Default()
	stages := append(p.ids[:len(p.ids):len(p.ids)], StageLive, StageLost)
	// Won stages thrice as often, so that contracts are recorded and then
	// kept or dropped by later moves.
	for range 3 {
		stages = append(stages, p.ids[p.wonIndex:]...)
		stages = append(stages, StageLive)
	}
	withContract := 0 // histories read with a contract
	rapid.Check(t, func(t *rapid.T) {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		h := []Event{{Kind: EventOpen, To: p.ids[0], At: at}}
		for range rapid.IntRange(0, 12).Draw(t, "events") {
			at = at.Add(time.Hour)
			prev := h[len(h)-1].To
			if p.won(p.order(prev)) && p.contractOf(h) == "" && rapid.Bool().Draw(t, "contract") { // as SetContract records it
				c := rapid.SampledFrom([]string{"ctr-1", "ctr-2"}).Draw(t, "id")
				h = append(h, Event{Kind: EventContract, From: prev, To: prev, At: at, Contract: c})
				continue
			}
			ev := Event{
				Kind: rapid.SampledFrom([]EventKind{EventAdvance, EventWon, EventRevert, EventLost, EventReopen, EventLive}).Draw(t, "kind"),
				From: rapid.SampledFrom(append(stages, "")).Draw(t, "from"),
				To:   rapid.SampledFrom(stages).Draw(t, "to"),
				At:   at,
			}
			if ev.To == StageLost {
				ev.LossReason = LossPrice
			}
			h = append(h, ev)
		}
		var r Reading
		if p.ReadImported(&Deal{ID: "d", History: h}, &r) != nil {
			return
		}
		if r.Contract != "" {
			withContract++
		}
		if got, want := r.Contract, p.contractOf(h); got != want {
			t.Fatalf("Contract = %q, want %q (contractOf) for %+v", got, want, h)
		}
		end := lastMove(h)
		switch r.Outcome {
		case OutcomeLost:
			if !r.LostAt.Equal(end.At) || r.Loss.Stage != end.From {
				t.Fatalf("lost at %s from %s, want %s from %s", r.LostAt, r.Loss.Stage, end.At, end.From)
			}
		case OutcomeLive:
			if !r.LiveAt.Equal(end.At) {
				t.Fatalf("live at %s, want %s", r.LiveAt, end.At)
			}
		}
	})
	if withContract == 0 {
		t.Error("no history read had a contract: the generator misses the case")
	}
}
