package deal_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// TestReadImportedLoopsAgree: ReadImported reads most histories through a
// loop for plain ones and leaves the rest to its general loop; on any
// history, recorded or damaged, the two give the same reading or the same
// error. The damage covers what the plain loop tells apart: stage IDs and
// loss reasons equal to the process's but stored elsewhere, unknown
// stages, times undated, out of order, equal, with nanoseconds or a zone,
// or beyond the years it handles, contract events, bad losses and gaps.
// One Reading is reused across histories and processes, as calculators
// do.
func TestReadImportedLoopsAgree(t *testing.T) {
	var reused deal.Reading // across processes too
	for _, p := range processes(t) {
		gen := dealtest.Deal(p)
		ids, reasons := drawnVocab(p)
		rapid.Check(t, func(t *rapid.T) {
			d := gen.Draw(t, "deal")
			h := d.History
			damages := rapid.IntRange(0, 3).Draw(t, "damages")
			if damages == 0 && !slices.ContainsFunc(h, func(ev deal.Event) bool { return ev.Kind == deal.EventContract }) && !p.ReadsPlain(d) {
				t.Fatalf("a recorded history without a contract is not read as a plain one: %+v", h)
			}
			for k := damages; k > 0 && len(h) > 0; k-- {
				i := rapid.IntRange(0, len(h)-1).Draw(t, "i")
				ev := &h[i]
				switch rapid.IntRange(0, 7).Draw(t, "damage") {
				case 0:
					ev.To = deal.StageID(strings.Clone(string(ev.To)))
				case 1:
					ev.To = rapid.SampledFrom(ids).Draw(t, "to")
				case 2:
					ev.At = rapid.SampledFrom([]time.Time{
						{},
						time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC),
						time.Date(1827, 1, 1, 0, 0, 0, 0, time.UTC),
						time.Date(2113, 1, 1, 0, 0, 0, 0, time.UTC),
						time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC),
						time.Unix(1<<62, 0),
						time.Unix(-1<<62, 0),
					}).Draw(t, "at")
				case 3:
					if i > 0 {
						ev.At = h[i-1].At.Add(time.Duration(rapid.Int64Range(-2e9, 2e9).Draw(t, "shift")))
					}
				case 4:
					ev.At = ev.At.In(time.FixedZone("x", 3600)).Add(time.Duration(rapid.IntRange(0, 999).Draw(t, "ns")))
				case 5:
					ev.LossReason = deal.LossReason(strings.Clone(string(rapid.SampledFrom(reasons).Draw(t, "reason"))))
				case 6:
					c := deal.Event{Kind: deal.EventContract, From: ev.To, To: ev.To, At: ev.At, Contract: "c-1"}
					h = append(h[:i+1], append([]deal.Event{c}, h[i+1:]...)...)
				default:
					h = append(h[:i], h[i+1:]...)
				}
			}
			d.History = h
			loopsAgree(t, p, d, &reused, len(ids))
		})
	}
}

// TestReadImportedLoopsAgreeOnArbitrary is TestReadImportedLoopsAgree on
// histories no process records but an export may hold: any stage after
// any other, live or lost first, losses from anywhere with any reason or
// none, contract events anywhere, zero, equal and backward times, stage
// IDs stored apart from the process's, and the empty history.
func TestReadImportedLoopsAgreeOnArbitrary(t *testing.T) {
	var reused deal.Reading
	for _, p := range processes(t) {
		all, reasons := drawnVocab(p)
		rapid.Check(t, func(t *rapid.T) {
			n := rapid.IntRange(0, 12).Draw(t, "n")
			at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			var h []deal.Event
			for i := range n {
				to := rapid.SampledFrom(all).Draw(t, "to")
				if rapid.IntRange(0, 3).Draw(t, "clone") == 0 {
					to = deal.StageID(strings.Clone(string(to)))
				}
				ev := deal.Event{Kind: deal.EventAdvance, To: to, At: at}
				switch rapid.IntRange(0, 12).Draw(t, "odd") {
				case 0:
					ev.At = time.Time{}
				case 1:
					ev.Kind, ev.Contract = deal.EventContract, "c"
				case 2:
					ev.At = at.Add(-time.Second)
				}
				if to == deal.StageLost {
					ev.Kind = deal.EventLost
					ev.LossReason = rapid.SampledFrom(reasons).Draw(t, "reason")
					ev.Reason = rapid.SampledFrom([]string{"", "note"}).Draw(t, "note")
					if i > 0 {
						ev.From = h[i-1].To
					}
				}
				h = append(h, ev)
				at = at.Add(time.Duration(rapid.Int64Range(0, 1e15).Draw(t, "gap")))
			}
			loopsAgree(t, p, &deal.Deal{ID: "d", History: h}, &reused, len(all))
		})
	}
}

// drawnVocab returns what the tests of ReadImported draw stages and loss
// reasons from: p's stages, live, lost and a stage p does not have; every
// loss reason, none and an unknown one.
func drawnVocab(p *deal.Process) ([]deal.StageID, []deal.LossReason) {
	var ids []deal.StageID
	for _, s := range p.Stages() {
		ids = append(ids, s.ID)
	}
	ids = append(ids, deal.StageLive, deal.StageLost, "elsewhere")
	return ids, append(deal.LossReasons(), "", "bogus")
}

// loopsAgree reads d with ReadImported into reused and with the general
// loop alone into a new Reading, and fails t unless the two agree: the
// error, the reading, its stays, the entries and time of every position
// up to positions, and the stage of every stay.
func loopsAgree(t *rapid.T, p *deal.Process, d *deal.Deal, reused *deal.Reading, positions int) {
	t.Helper()
	var general deal.Reading
	errPlain, errGeneral := p.ReadImported(d, reused), p.ReadImportedGeneral(d, &general)
	if (errPlain == nil) != (errGeneral == nil) || errPlain != nil && errPlain.Error() != errGeneral.Error() {
		t.Fatalf("ReadImported: %v\ngeneral loop: %v", errPlain, errGeneral)
	}
	if diff := cmp.Diff(general, *reused, cmpopts.IgnoreUnexported(deal.Reading{})); diff != "" {
		t.Fatalf("reading (-general +ReadImported):\n%s", diff)
	}
	if diff := cmp.Diff(stays(&general), stays(reused)); diff != "" {
		t.Fatalf("stays (-general +ReadImported):\n%s", diff)
	}
	for pos := -1; pos <= positions; pos++ {
		f1, l1 := reused.Entries(pos)
		f2, l2 := general.Entries(pos)
		if f1 != f2 || l1 != l2 || reused.TimeIn(pos) != general.TimeIn(pos) {
			t.Fatalf("position %d: ReadImported %d, %d, %v; general loop %d, %d, %v",
				pos, f1, l1, reused.TimeIn(pos), f2, l2, general.TimeIn(pos))
		}
	}
	for j := -1; j <= reused.Len(); j++ {
		if a, b := reused.Index(j), general.Index(j); a != b {
			t.Fatalf("Index(%d): ReadImported %d, general loop %d", j, a, b)
		}
	}
}
