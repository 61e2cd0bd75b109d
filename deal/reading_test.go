package deal_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// kindInto is the kind of event an advance into to records in p.
func kindInto(p *deal.Process, to deal.StageID) deal.EventKind {
	switch to {
	case p.ClosedWon():
		return deal.EventWon
	case deal.StageLive:
		return deal.EventLive
	}
	return deal.EventAdvance
}

// canonical returns a deal opened at start and advanced a day at a time
// into stage, recorded as p records it; a lost deal is lost at the last
// open stage.
func canonical(p *deal.Process, stage deal.StageID, start time.Time) *deal.Deal {
	ids := []deal.StageID{}
	for _, s := range p.Stages() {
		ids = append(ids, s.ID)
	}
	ids = append(ids, deal.StageLive)
	goal := len(ids) - 1
	for i, id := range ids {
		if id == stage {
			goal = i
		}
	}
	if stage == deal.StageLost {
		goal = len(ids) - 2
	}
	at := start
	d := &deal.Deal{ID: "d-1", Owner: rep.ID}
	h := []deal.Event{{Kind: deal.EventOpen, To: ids[0], At: at, By: rep}}
	for i := 0; i < goal; i++ {
		at = at.Add(24 * time.Hour)
		h = append(h, deal.Event{Kind: kindInto(p, ids[i+1]), From: ids[i], To: ids[i+1], At: at, By: rep})
	}
	if stage == deal.StageLost {
		at = at.Add(24 * time.Hour)
		h = append(h, deal.Event{Kind: deal.EventLost, From: ids[goal], To: deal.StageLost, At: at, By: rep, Reason: "no decision", LossReason: deal.LossNoDecision})
		d.Loss = &deal.Loss{Reason: deal.LossNoDecision, Stage: ids[goal], Note: "no decision"}
	}
	d.History, d.Stage, d.StageEnteredAt, d.Version = h, h[len(h)-1].To, at, len(h)-1
	return d
}

// TestReadRules: Read accepts the histories the process records and names
// every way a history can go wrong, by event index and rule.
func TestReadRules(t *testing.T) {
	p := deal.Default()
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		stage deal.StageID
		edit  func(d *deal.Deal)
		want  string
	}{
		{"proposal", deal.StageProposal, func(*deal.Deal) {}, ""},
		{"live", deal.StageLive, func(*deal.Deal) {}, ""},
		{"lost", deal.StageLost, func(*deal.Deal) {}, ""},
		{"empty", deal.StageTargeting, func(d *deal.Deal) { d.History = nil },
			"history: is empty: an open deal has at least its open event"},
		{"not_opened", deal.StageQualification, func(d *deal.Deal) { d.History[0].Kind = deal.EventAdvance },
			`history[0].kind: must be an open event from "" to targeting; got advance from "" to targeting`},
		{"stage", deal.StageDiscovery, func(d *deal.Deal) { d.Stage = deal.StageProposal },
			"stage: must be discovery, where the last event went; got proposal"},
		{"entered_at", deal.StageDiscovery, func(d *deal.Deal) { d.StageEnteredAt = start },
			"stage_entered_at: must be 2026-03-04 09:00:00 +0000 UTC, the time of the last event; got 2026-03-02 09:00:00 +0000 UTC"},
		{"version", deal.StageDiscovery, func(d *deal.Deal) { d.Version = 7 },
			"version: must be 2, the number of moves in the history; got 7"},
		{"undated", deal.StageDiscovery, func(d *deal.Deal) { d.History[1].At = time.Time{} },
			"history[1].at: is required"},
		{"out_of_order", deal.StageDiscovery, func(d *deal.Deal) { d.History[2].At = start.Add(-time.Hour); d.StageEnteredAt = d.History[2].At },
			"history[2].at: 2026-03-02 08:00:00 +0000 UTC is before event 1, at 2026-03-03 09:00:00 +0000 UTC"},
		{"broken_chain", deal.StageDiscovery, func(d *deal.Deal) { d.History[2].From = deal.StageTargeting },
			"history[2].from: must be qualification, where event 1 went; got targeting\n" +
				"history[2].to: an advance from targeting must go to the next stage; went to discovery"},
		{"won_as_advance", deal.StageHandoff, func(d *deal.Deal) { d.History[6].Kind = deal.EventAdvance },
			"history[6].kind: an advance into handoff must be recorded as won; got advance"},
		{"revert_forward", deal.StageQualification, func(d *deal.Deal) {
			d.History = append(d.History, deal.Event{Kind: deal.EventRevert, From: deal.StageQualification, To: deal.StageDiscovery, At: d.StageEnteredAt})
			d.Stage, d.Version = deal.StageDiscovery, 2
		}, "history[2].to: a revert must go from an open stage to an earlier one; went from qualification to discovery"},
		{"reopen_later", deal.StageQualification, func(d *deal.Deal) {
			at := d.StageEnteredAt
			d.History = append(d.History,
				deal.Event{Kind: deal.EventLost, From: deal.StageQualification, To: deal.StageLost, At: at, LossReason: deal.LossTiming},
				deal.Event{Kind: deal.EventReopen, From: deal.StageLost, To: deal.StageDiscovery, At: at})
			d.Stage, d.Version = deal.StageDiscovery, 3
		}, "history[3].to: a reopen must go no later than qualification, where the deal was lost; went to discovery"},
		{"reopen_into_won", deal.StageLost, func(d *deal.Deal) {
			// Lost at handoff, the Closed Won stage: a reopen straight back
			// into it would skip the close gate.
			d.History = append(d.History, deal.Event{Kind: deal.EventReopen, From: deal.StageLost, To: deal.StageHandoff, At: d.StageEnteredAt})
			d.Stage, d.Version, d.Loss = deal.StageHandoff, len(d.History)-1, nil
		}, "history[8].to: a reopen must go to a stage before handoff, the Closed Won stage: a deal is won again only through the close; went to handoff"},
		{"reopen_beyond_loss", deal.StageLost, func(d *deal.Deal) {
			d.History = append(d.History, deal.Event{Kind: deal.EventReopen, From: deal.StageLost, To: deal.StageLive, At: d.StageEnteredAt})
			d.Stage, d.Version, d.Loss = deal.StageLive, len(d.History)-1, nil
		}, "history[8].to: a reopen must go from lost to an open stage; went from lost to live"},
		{"lost_without_loss", deal.StageLost, func(d *deal.Deal) { d.Loss = nil },
			"loss: is required while the deal is lost"},
		{"loss_while_open", deal.StageProposal, func(d *deal.Deal) { d.Loss = &deal.Loss{Reason: deal.LossPrice, Stage: deal.StageProposal} },
			"loss: must be nil while the deal is proposal"},
		{"bad_loss_reason", deal.StageLost, func(d *deal.Deal) { d.History[len(d.History)-1].LossReason = "boredom" },
			`history[7].loss_reason: must be one of the loss reasons; got "boredom"` + "\n" +
				"loss: must record the last loss, boredom at handoff; got no_decision at handoff"},
		{"unknown_stage", deal.StageQualification, func(d *deal.Deal) { d.History[1].To = "elsewhere"; d.Stage = "elsewhere" },
			`history[1].to: "elsewhere" is not a stage of the process`},
		{"unknown_kind", deal.StageQualification, func(d *deal.Deal) { d.History[1].Kind = "teleport" },
			`history[1].kind: must be advance, won, live, revert, lost, reopen or contract; got "teleport"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := canonical(p, tt.stage, start)
			tt.edit(d)
			var r deal.Reading
			err := p.Read(d, &r)
			got := ""
			if err != nil {
				got = err.Error()
				if !errors.Is(err, accord.ErrInvalid) {
					t.Errorf("Read: %v does not wrap ErrInvalid", err)
				}
				if r.Len() != 0 || r.Outcome != "" {
					t.Errorf("Read refused the history but left a reading: %+v", r)
				}
			}
			want := ""
			if tt.want != "" {
				want = `deal "d-1": ` + tt.want
			}
			if got != want {
				t.Errorf("Read:\ngot  %s\nwant %s", got, want)
			}
		})
	}
}

// TestReadImportedRules: ReadImported checks stages, dates and losses, and
// nothing a CRM's export does not record.
func TestReadImportedRules(t *testing.T) {
	p := deal.Default()
	t0 := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	ev := func(to deal.StageID, at time.Time, r deal.LossReason) deal.Event {
		return deal.Event{To: to, At: at, LossReason: r}
	}
	tg, ql, ho, ls := deal.StageTargeting, deal.StageQualification, deal.StageHandoff, deal.StageLost
	tests := []struct {
		name    string
		history []deal.Event
		want    string
	}{
		{"skips and jumps", []deal.Event{ev(ql, t0, ""), ev(ho, t0, ""), ev(tg, t0.Add(time.Hour), "")}, ""},
		{"unknown stage", []deal.Event{ev(tg, t0, ""), ev("elsewhere", t0, "")}, `history[1].to: "elsewhere" is not a stage of the process`},
		{"undated", []deal.Event{ev(tg, time.Time{}, "")}, "history[0].at: is required"},
		{"out of order", []deal.Event{ev(tg, t0, ""), ev(ql, t0.Add(-time.Second), "")},
			"history[1].at: 2026-03-02 08:59:59 +0000 UTC is before event 0, at 2026-03-02 09:00:00 +0000 UTC"},
		{"lost first, no reason", []deal.Event{ev(ls, t0, "")},
			"history[0].to: a loss must follow an open stage\nhistory[0].loss_reason: must be one of the loss reasons; got \"\""},
		{"lost after lost", []deal.Event{ev(tg, t0, ""), ev(ls, t0, deal.LossPrice), ev(ls, t0, deal.LossPrice)},
			"history[2].to: a loss must follow an open stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r deal.Reading
			got := ""
			if err := p.ReadImported(&deal.Deal{ID: "x", History: tt.history}, &r); err != nil {
				got = err.Error()
			}
			if want := `deal "x": ` + tt.want; tt.want != "" && got != want || tt.want == "" && got != "" {
				t.Errorf("ReadImported:\ngot  %s\nwant %s", got, want)
			}
		})
	}
}

// postWon is a process with two stages after Closed Won.
func postWon(t testing.TB) *deal.Process {
	t.Helper()
	p, err := deal.NewProcess(deal.Config{ClosedWon: "kickoff", Stages: []deal.Stage{
		{ID: "proposal", Name: "Proposal"}, {ID: "kickoff", Name: "Kickoff"}, {ID: "rollout", Name: "Rollout"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadOutcome: the outcome and when the deal was won, including the
// cases the contract package once judged by scanning for a won event.
func TestReadOutcome(t *testing.T) {
	p := postWon(t)
	t0 := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	type step struct {
		kind     deal.EventKind
		from, to deal.StageID
	}
	open := step{deal.EventOpen, "", "proposal"}
	won := step{deal.EventWon, "proposal", "kickoff"}
	tests := []struct {
		name    string
		steps   []step
		outcome deal.Outcome
		wonAt   int // index of the event that won, or -1
	}{
		{"never won", []step{open}, deal.OutcomeOpen, -1},
		{"won", []step{open, won}, deal.OutcomeWon, 1},
		{"reverted between stages after the win", []step{open, won, {deal.EventAdvance, "kickoff", "rollout"}, {deal.EventRevert, "rollout", "kickoff"}}, deal.OutcomeWon, 1},
		{"reverted before the win", []step{open, won, {deal.EventRevert, "kickoff", "proposal"}}, deal.OutcomeOpen, -1},
		{"lost after the win", []step{open, won, {deal.EventLost, "kickoff", deal.StageLost}}, deal.OutcomeLost, -1},
		{"lost, reopened, won again", []step{open, won, {deal.EventLost, "kickoff", deal.StageLost}, {deal.EventReopen, deal.StageLost, "proposal"}, won}, deal.OutcomeWon, 4},
		{"live", []step{open, won, {deal.EventAdvance, "kickoff", "rollout"}, {deal.EventLive, "rollout", deal.StageLive}}, deal.OutcomeLive, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &deal.Deal{ID: "d-1", Owner: rep.ID}
			for i, s := range tt.steps {
				ev := deal.Event{Kind: s.kind, From: s.from, To: s.to, At: t0.Add(time.Duration(i) * time.Hour), By: rep, Reason: "a reason"}
				if s.kind == deal.EventLost {
					ev.LossReason = deal.LossPrice
				}
				d.History = append(d.History, ev)
			}
			last := d.History[len(d.History)-1]
			d.Stage, d.StageEnteredAt, d.Version = last.To, last.At, len(d.History)-1
			if last.Kind == deal.EventLost {
				d.Loss = &deal.Loss{Reason: last.LossReason, Stage: last.From, Note: last.Reason}
			}
			var r deal.Reading
			if err := p.Read(d, &r); err != nil {
				t.Fatal(err)
			}
			var wonAt time.Time
			if tt.wonAt >= 0 {
				wonAt = d.History[tt.wonAt].At
			}
			if r.Outcome != tt.outcome || !r.WonAt.Equal(wonAt) {
				t.Errorf("outcome %s won at %v; want %s won at %v", r.Outcome, r.WonAt, tt.outcome, wonAt)
			}
			if r.Won() != p.Won(d) {
				t.Errorf("Reading.Won %v, Process.Won %v", r.Won(), p.Won(d))
			}
		})
	}
}

// model reads a legal history the straightforward way: one stay per
// event, the outcome from the last stage, won at the last entry into the
// won stages from outside them.
func model(p *deal.Process, d *deal.Deal) ([]deal.Stay, deal.Reading) {
	pos := map[deal.StageID]int{}
	for i, s := range p.Stages() {
		pos[s.ID] = i
	}
	live := len(pos)
	pos[deal.StageLive], pos[deal.StageLost] = live, live+1
	won := func(id deal.StageID) bool { return id != deal.StageLost && pos[id] >= pos[p.ClosedWon()] }
	var r deal.Reading
	var stays []deal.Stay
	h := d.History
	r.OpenedAt = h[0].At
	for i, ev := range h {
		s := deal.Stay{Stage: ev.To, Index: pos[ev.To], Entered: ev.At}
		if i+1 < len(h) {
			s.Left = h[i+1].At
			s.Duration = s.Left.Sub(s.Entered)
		}
		stays = append(stays, s)
		if won(ev.To) && (i == 0 || !won(h[i-1].To)) {
			r.WonAt = ev.At
		}
		switch ev.Kind {
		case deal.EventRevert:
			r.Reverts++
		case deal.EventReopen:
			r.Reopens++
		}
	}
	last := h[len(h)-1]
	switch {
	case last.To == deal.StageLost:
		r.Outcome, r.LostAt, r.Loss = deal.OutcomeLost, last.At, *d.Loss
	case last.To == deal.StageLive:
		r.Outcome, r.LiveAt = deal.OutcomeLive, last.At
	case won(last.To):
		r.Outcome = deal.OutcomeWon
	default:
		r.Outcome = deal.OutcomeOpen
	}
	if !won(last.To) {
		r.WonAt = time.Time{}
	}
	return stays, r
}

// stays collects the stays of r.
func stays(r *deal.Reading) []deal.Stay {
	var out []deal.Stay
	for i, s := range r.Stays() {
		if s != r.Stay(i) {
			panic("Stays and Stay disagree")
		}
		out = append(out, s)
	}
	return out
}

// checkByStage checks Entries and TimeIn of r, for n positions, against
// the stays.
func checkByStage(t *rapid.T, stays []deal.Stay, r *deal.Reading, n int) {
	for pos := -1; pos <= n; pos++ {
		first, last, spent := -1, -1, time.Duration(0)
		for i, s := range stays {
			if s.Index != pos {
				continue
			}
			if first < 0 {
				first = i
			}
			last = i
			spent += s.Duration
		}
		if f, l := r.Entries(pos); f != first || l != last {
			t.Fatalf("Entries(%d) = %d, %d; want %d, %d", pos, f, l, first, last)
		}
		if got := r.TimeIn(pos); got != spent {
			t.Fatalf("TimeIn(%d) = %v; want %v", pos, got, spent)
		}
	}
}

func processes(t testing.TB) []*deal.Process {
	return []*deal.Process{deal.Default(), deal.Unified(), postWon(t)}
}

// TestReadAgreesWithModel: on every history a process records, Read and
// ReadImported give the model's reading, and Process.Won agrees with it.
func TestReadAgreesWithModel(t *testing.T) {
	for _, p := range processes(t) {
		gen := dealtest.Deal(p)
		r := new(deal.Reading) // reused across deals, as a calculator does
		rapid.Check(t, func(t *rapid.T) {
			d := gen.Draw(t, "deal")
			wantStays, want := model(p, d)
			// readsAsModel reads d into r with read, named name, and checks
			// the reading and its stays against the model's.
			readsAsModel := func(name string, read func(*deal.Deal, *deal.Reading) error) {
				t.Helper()
				if err := read(d, r); err != nil {
					t.Fatalf("%s refused a recorded history: %v", name, err)
				}
				if diff := cmp.Diff(want, *r, cmpopts.IgnoreUnexported(deal.Reading{})); diff != "" {
					t.Fatalf("%s (-model +got):\n%s", name, diff)
				}
				if diff := cmp.Diff(wantStays, stays(r)); diff != "" {
					t.Fatalf("%s's stays (-model +got):\n%s", name, diff)
				}
				for i := -1; i <= r.Len(); i++ {
					want := -1
					if i >= 0 && i < len(wantStays) {
						want = wantStays[i].Index
					}
					if got := r.Index(i); got != want {
						t.Fatalf("%s: Index(%d) = %d; want %d (of %d stays)", name, i, got, want, len(wantStays))
					}
				}
			}
			readsAsModel("Read", p.Read)
			if r.Current() != wantStays[len(wantStays)-1] {
				t.Fatalf("Current %+v; want the last stay", r.Current())
			}
			checkByStage(t, wantStays, r, len(p.Stages())+2)
			if r.Won() != p.Won(d) {
				t.Fatalf("Reading.Won %v, Process.Won %v for a deal in %s", r.Won(), p.Won(d), d.Stage)
			}
			readsAsModel("ReadImported", p.ReadImported)
		})
	}
}

// TestReadReportsCorruption: a history reordered, with a wrong From or with
// an unknown stage is refused, naming the event.
func TestReadReportsCorruption(t *testing.T) {
	for _, p := range processes(t) {
		gen := dealtest.Deal(p)
		stages := []deal.StageID{deal.StageLive, deal.StageLost}
		for _, s := range p.Stages() {
			stages = append(stages, s.ID)
		}
		rapid.Check(t, func(t *rapid.T) {
			d := gen.Draw(t, "deal")
			h := d.History
			var want string // a field the error must name
			switch rapid.IntRange(0, 2).Draw(t, "corruption") {
			case 0:
				if len(h) < 2 {
					t.Skip("one event cannot be reordered")
				}
				i := rapid.IntRange(0, len(h)-2).Draw(t, "i")
				j := rapid.IntRange(i+1, len(h)-1).Draw(t, "j")
				if h[i].From == h[j].From && h[i].To == h[j].To {
					t.Skip("swapping the same move changes nothing")
				}
				h[i], h[j] = h[j], h[i]
				want = "history["
			case 1:
				if len(h) < 2 {
					t.Skip("the first event has no From to get wrong")
				}
				i := rapid.IntRange(1, len(h)-1).Draw(t, "i")
				from := rapid.SampledFrom(stages).Filter(func(s deal.StageID) bool { return s != h[i-1].To }).Draw(t, "from")
				h[i].From = from
				want = fmt.Sprintf("history[%d].from: ", i)
			default:
				i := rapid.IntRange(0, len(h)-1).Draw(t, "i")
				h[i].To = "nowhere"
				want = fmt.Sprintf("history[%d].to: ", i)
			}
			var r deal.Reading
			err := p.Read(d, &r)
			if err == nil || !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), want) {
				t.Fatalf("Read of a corrupted history: %v; want an ErrInvalid naming %q", err, want)
			}
		})
	}
}

// TestReadAllocs: reading into a reused Reading allocates nothing.
func TestReadAllocs(t *testing.T) {
	p := deal.Default()
	d := canonical(p, deal.StageLive, time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))
	var r deal.Reading
	if n := testing.AllocsPerRun(100, func() {
		if err := p.Read(d, &r); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Read allocates %v times per deal; want 0", n)
	}
}

func TestReadBadInput(t *testing.T) {
	p := deal.Default()
	var r deal.Reading
	for name, err := range map[string]error{
		"nil deal":     p.Read(nil, &r),
		"nil reading":  p.Read(&deal.Deal{}, nil),
		"zero process": new(deal.Process).Read(&deal.Deal{}, &r),
	} {
		if !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
	}
	var none *deal.Reading
	if got := none.Index(0); got != -1 {
		t.Errorf("Index(0) of a nil Reading = %d; want -1", got)
	}
}

func BenchmarkRead(b *testing.B) {
	p := deal.Default()
	d := canonical(p, deal.StageLive, time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC))
	var r deal.Reading
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := p.Read(d, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLossReasonValid: every loss reason is valid, and near misses are not.
func TestLossReasonValid(t *testing.T) {
	for i, r := range deal.LossReasons() {
		if !r.Valid() || r.Index() != i {
			t.Errorf("%q: valid %v, index %d; want valid, index %d", r, r.Valid(), r.Index(), i)
		}
	}
	for _, r := range []deal.LossReason{"", "pricey", "other ", "disqualified_", "Price", "price\x00"} {
		if r.Valid() || r.Index() != -1 {
			t.Errorf("%q: valid %v, index %d; want invalid, -1", r, r.Valid(), r.Index())
		}
	}
}
