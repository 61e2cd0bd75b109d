package deal_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/looplab/fsm"
)

// BenchmarkAdvance measures one gated advance on the default process from
// discovery to solution alignment: every exit criterion of discovery and
// every entry criterion of solution alignment evaluated and met, and the
// event appended to the history. Each iteration starts from the deal as a
// host that stores deals as JSON loads it: decoded by encoding/json, whose
// slices keep the spare capacity it grew them with (3 events, capacity 4).
func BenchmarkAdvance(b *testing.B) {
	benchmarkAdvance(b, func(d deal.Deal) []deal.Event {
		return jsontest.Copy(b, d).History
	})
}

// BenchmarkAdvanceGrowHistory is BenchmarkAdvance in the worst case: the
// history at exact capacity, as a host that sizes the slice to its rows
// builds it, so that every advance reallocates it.
func BenchmarkAdvanceGrowHistory(b *testing.B) {
	benchmarkAdvance(b, func(d deal.Deal) []deal.Event {
		return slices.Clip(slices.Clone(d.History))
	})
}

// BenchmarkAdvanceEvidence is BenchmarkAdvance out of the business case,
// whose exit asks for evidence: who validated it and when, a champion
// engaged within 30 days, a graded champion, an executive sponsor.
func BenchmarkAdvanceEvidence(b *testing.B) {
	benchmarkAdvanceFrom(b, deal.StageBusinessCase, func(d deal.Deal) []deal.Event {
		return slices.Grow(slices.Clone(d.History), 1)
	})
}

func benchmarkAdvance(b *testing.B, load func(deal.Deal) []deal.Event) {
	benchmarkAdvanceFrom(b, deal.StageDiscovery, load)
}

func benchmarkAdvanceFrom(b *testing.B, from deal.StageID, load func(deal.Deal) []deal.Event) {
	p := deal.Default()
	to, _ := p.StageAfter(from)
	d, at := openAt(p, from, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	at = at.Add(time.Hour)
	if gaps := p.Unmet(&d, at); len(gaps) != 0 {
		b.Fatalf("want every criterion met, got gaps %v", gaps)
	}
	history, entered, version := load(d), d.StageEnteredAt, d.Version
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Stage, d.StageEnteredAt, d.Version, d.History = from, entered, version, history
		if err := p.Advance(&d, rep, at); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if d.Stage != to || len(d.History) != len(history)+1 || !d.History[len(history)].At.Equal(at) {
		b.Fatalf("advance did not happen: stage %s, %d events", d.Stage, len(d.History))
	}
}

// BenchmarkValidate measures Deal.Validate on the deal BenchmarkAdvance
// moves: the structural check every move runs before its criteria, so that
// the cost of a move splits into this and the gates.
func BenchmarkValidate(b *testing.B) {
	p := deal.Default()
	d, _ := openAt(p, deal.StageDiscovery, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateJSON is BenchmarkValidate on the deal as a host that
// stores deals as JSON loads it: every string decoded into memory of its
// own, so that no code or name shares its bytes with the constants the
// library compares it with (BenchmarkValidate's deal is built from Go
// constants, whose comparisons the runtime can answer from the pointers).
func BenchmarkValidateJSON(b *testing.B) {
	p := deal.Default()
	d, _ := openAt(p, deal.StageDiscovery, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	d = jsontest.Copy(b, d)
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLooplabEvent measures the engine we build on: a bare
// looplab/fsm Event with one before_event callback, on a reused machine.
func BenchmarkLooplabEvent(b *testing.B) {
	f := fsm.NewFSM("discovery", fsm.Events{
		{Name: "advance", Src: []string{"discovery"}, Dst: "solution_alignment"},
		{Name: "advance", Src: []string{"solution_alignment"}, Dst: "discovery"},
	}, fsm.Callbacks{
		"before_event": func(context.Context, *fsm.Event) {},
	})
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.Event(ctx, "advance"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmet measures Unmet on a deal where every criterion of the move
// (discovery exit, solution alignment entry) is unmet.
func BenchmarkUnmet(b *testing.B) {
	d := deal.Deal{ID: "d-1", Owner: rep.ID, Stage: deal.StageDiscovery}
	benchmarkUnmet(b, deal.Default(), d, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 11)
}

// BenchmarkUnmetNone measures Unmet when nothing is missing: the check a host
// runs on every save.
func BenchmarkUnmetNone(b *testing.B) {
	p := deal.Default()
	d, at := openAt(p, deal.StageDiscovery, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	benchmarkUnmet(b, p, d, at, 0)
}

// benchmarkUnmet measures Unmet of d at now, which must list want gaps, and
// be nil when it lists none.
func benchmarkUnmet(b *testing.B, p *deal.Process, d deal.Deal, now time.Time, want int) {
	check := func(gaps []accord.Unmet) bool { return len(gaps) == want && (want > 0 || gaps == nil) }
	if gaps := p.Unmet(&d, now); !check(gaps) {
		b.Fatalf("want %d gaps, got %v", want, gaps)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !check(p.Unmet(&d, now)) {
			b.Fatal("wrong gaps")
		}
	}
}

// BenchmarkRisks measures the risk flags of a healthy deal in proposal.
func BenchmarkRisks(b *testing.B) {
	p := deal.Default()
	d, at := openAt(p, deal.StageProposal, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p.Risks(&d, at) != nil {
			b.Fatal("want no risks")
		}
	}
}

// BenchmarkClose measures the close of the unified process: the presented
// Scope of Work compared with the deal's reference (its review history
// verified, its digest computed, its approvals and its reconciliation with
// the proposal taken again), then every criterion of the move evaluated
// and the won event recorded.
func BenchmarkClose(b *testing.B) {
	p := deal.Unified()
	d, at := openAt(p, deal.StageProposal, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	sow, prop, f, err := buildScope(&d, at)
	if err != nil {
		b.Fatal(err)
	}
	d.Scope = sow.Ref(prop, f)
	c := deal.Closing{Scope: sow, Proposal: prop, Feasibility: f}
	at = at.Add(time.Hour)
	history, entered, version := slices.Clone(d.History), d.StageEnteredAt, d.Version
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Stage, d.StageEnteredAt, d.Version, d.History = deal.StageProposal, entered, version, history[:len(history):len(history)]
		if err := p.Close(&d, c, rep, at); err != nil {
			b.Fatal(err)
		}
	}
}
