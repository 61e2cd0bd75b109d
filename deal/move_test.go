package deal_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)

// TestMoveErrors covers each documented refusal: its class, the field it
// names, and that the deal is left exactly as it was.
func TestMoveErrors(t *testing.T) {
	p := deal.Default()
	tests := []struct {
		name  string
		stage deal.StageID // where the complete deal starts
		lost  bool         // lose it first
		move  func(d *deal.Deal, at time.Time) error
		is    error
		field string // the FieldError's field, for ErrInvalid
		msg   string // a part of the message
	}{
		{
			name: "advance dated before the last event", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Advance(d, rep, at.Add(-2*time.Minute)) },
			is:   accord.ErrInvalid, field: "at",
		},
		{
			name: "advance by a client", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Advance(d, client, at) },
			is:   accord.ErrForbidden, msg: "role client may not advance",
		},
		{
			name: "advance by finance", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error {
				return p.Advance(d, accord.Actor{ID: "f", Role: accord.RoleFinance}, at)
			},
			is: accord.ErrForbidden,
		},
		{
			name: "advance by an actor without a role", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Advance(d, accord.Actor{ID: "x"}, at) },
			is:   accord.ErrInvalid, field: "by.role",
		},
		{
			name: "implementation lead advancing an unwon deal", stage: deal.StageProposal,
			move: func(d *deal.Deal, at time.Time) error { return p.Advance(d, lead, at) },
			is:   accord.ErrForbidden,
		},
		{
			name: "advance from lost", stage: deal.StageDiscovery, lost: true,
			move: func(d *deal.Deal, at time.Time) error { return p.Advance(d, rep, at) },
			is:   accord.ErrConflict, msg: "cannot advance",
		},
		{
			name: "revert without a reason", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Revert(d, deal.StageTargeting, "  ", rep, at) },
			is:   accord.ErrInvalid, field: "reason",
		},
		{
			name: "revert forward", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Revert(d, deal.StageProposal, "why", rep, at) },
			is:   accord.ErrInvalid, field: "to",
		},
		{
			name: "revert to the current stage", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Revert(d, deal.StageDiscovery, "why", rep, at) },
			is:   accord.ErrInvalid, field: "to",
		},
		{
			name: "revert a lost deal", stage: deal.StageDiscovery, lost: true,
			move: func(d *deal.Deal, at time.Time) error { return p.Revert(d, deal.StageTargeting, "why", rep, at) },
			is:   accord.ErrConflict,
		},
		{
			name: "lose with an unknown reason", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Lose(d, "bored", "", rep, at) },
			is:   accord.ErrInvalid, field: "reason",
		},
		{
			name: "lose for another reason without a note", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Lose(d, deal.LossOther, "", rep, at) },
			is:   accord.ErrInvalid, field: "note",
		},
		{
			name: "lose a lost deal", stage: deal.StageDiscovery, lost: true,
			move: func(d *deal.Deal, at time.Time) error { return p.Lose(d, deal.LossPrice, "", rep, at) },
			is:   accord.ErrConflict,
		},
		{
			name: "reopen an open deal", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { return p.Reopen(d, deal.StageTargeting, "why", rep, at) },
			is:   accord.ErrConflict,
		},
		{
			name: "reopen past the stage it was lost at", stage: deal.StageDiscovery, lost: true,
			move: func(d *deal.Deal, at time.Time) error { return p.Reopen(d, deal.StageProposal, "why", rep, at) },
			is:   accord.ErrInvalid, field: "to",
		},
		{
			name: "reopen into live", stage: deal.StageDiscovery, lost: true,
			move: func(d *deal.Deal, at time.Time) error { return p.Reopen(d, deal.StageLive, "why", rep, at) },
			is:   accord.ErrInvalid, field: "to",
		},
		{
			name: "reopen into a stage whose entry criteria fail", stage: deal.StageProposal, lost: true,
			move: func(d *deal.Deal, at time.Time) error {
				d.Commercials.DecisionPath = ""
				return p.Reopen(d, deal.StageProposal, "why", rep, at)
			},
			is: accord.ErrBlocked, msg: "proposal entry decision_path",
		},
		{
			name: "advance a deal in a stage the process does not have", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { d.Stage = "negotiation"; return p.Advance(d, rep, at) },
			is:   accord.ErrInvalid, field: "stage",
		},
		{
			name: "advance a deal never opened", stage: deal.StageDiscovery,
			move: func(d *deal.Deal, at time.Time) error { d.History = nil; return p.Advance(d, rep, at) },
			is:   accord.ErrInvalid, field: "history",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, at := openAt(p, tt.stage, t0)
			if tt.lost {
				at = at.Add(time.Hour)
				if err := p.Lose(&d, deal.LossTiming, "", rep, at); err != nil {
					t.Fatal(err)
				}
			}
			err := tt.move(&d, at.Add(time.Minute))
			if !errors.Is(err, tt.is) {
				t.Fatalf("want %v, got %v", tt.is, err)
			}
			// The mutation of the test itself is made on d; compare what the
			// move could have changed.
			if len(d.History) > 0 && d.Stage != d.History[len(d.History)-1].To && tt.field != "stage" {
				t.Fatalf("refused move changed the stage to %s", d.Stage)
			}
			if tt.field != "" {
				var fe *accord.FieldError
				if !errors.As(err, &fe) || fe.Field != tt.field {
					t.Fatalf("want a FieldError on %q, got %v", tt.field, err)
				}
			}
			if tt.msg != "" && !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("want the message to contain %q, got %q", tt.msg, err)
			}
		})
	}
}

func TestRefusedMoveChangesNothing(t *testing.T) {
	p := deal.Default()
	d, at := openAt(p, deal.StageDiscovery, t0)
	d.Discovery.Problem = ""
	before := jsontest.Copy(t, d)
	err := p.Advance(&d, rep, at.Add(time.Hour))
	blocked := errtest.Blocked(t, err)
	want := []accord.Unmet{{
		Criterion: "problem_statement", State: "discovery", Side: accord.SideExit,
		Message: "Write the problem statement in the buyer's words.", Field: "discovery.problem",
	}}
	if diff := cmp.Diff(want, blocked.Unmet); diff != "" {
		t.Fatalf("unmet (-want +got):\n%s", diff)
	}
	if blocked.Subject != "d-1" || blocked.From != "discovery" || blocked.To != "solution_alignment" {
		t.Fatalf("blocked error names %s %s→%s", blocked.Subject, blocked.From, blocked.To)
	}
	if diff := cmp.Diff(before, d); diff != "" {
		t.Fatalf("refused move changed the deal (-before +after):\n%s", diff)
	}
}

// TestExitThenEntryOrder checks the order of a report: the exit criteria of
// the current stage in declaration order, then the entry criteria of the
// next.
func TestExitThenEntryOrder(t *testing.T) {
	p := deal.Default()
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	d.Stage = deal.StageBusinessCase
	var got []string
	for _, u := range p.Unmet(&d, t0) {
		got = append(got, u.State+" "+string(u.Side)+" "+u.Criterion)
	}
	want := []string{
		"business_case exit quantified_impact",
		"business_case exit business_case_agreed",
		"business_case exit champion_engaged",
		"business_case exit champion_strength",
		"business_case exit executive_sponsor",
		"business_case exit decision_plan",
		"proposal entry decision_path",
		"proposal entry procurement_requirements",
		"proposal entry legal_requirements",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("gaps (-want +got):\n%s", diff)
	}
}

// TestDefaultLifecycle takes one deal through every stage and checks the
// kinds of the events recorded.
func TestDefaultLifecycle(t *testing.T) {
	p := deal.Default()
	d, at := openAt(p, deal.StageHandoff, t0)
	if err := p.Advance(&d, lead, at.Add(time.Hour)); err != nil {
		t.Fatalf("the implementation lead takes a won deal live: %v", err)
	}
	var kinds []deal.EventKind
	for _, ev := range d.History {
		kinds = append(kinds, ev.Kind)
	}
	want := []deal.EventKind{"open", "advance", "advance", "advance", "advance", "advance", "won", "live"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Fatalf("event kinds (-want +got):\n%s", diff)
	}
	if d.Stage != deal.StageLive || d.Version != 7 || !p.Won(&d) {
		t.Fatalf("want live at version 7 and won, got %s at %d, won %v", d.Stage, d.Version, p.Won(&d))
	}
	if moves := p.Moves(&d, at); moves != nil {
		t.Fatalf("a live deal has no moves, got %v", moves)
	}
	if gaps := p.Unmet(&d, at); gaps != nil {
		t.Fatalf("a live deal has no gaps, got %v", gaps)
	}
}

func TestLoseAndReopen(t *testing.T) {
	p := deal.Default()
	d, at := openAt(p, deal.StageBusinessCase, t0)
	if err := p.Lose(&d, deal.LossCompetitor, "went with the incumbent", manager, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := &deal.Loss{Reason: deal.LossCompetitor, Stage: deal.StageBusinessCase, Note: "went with the incumbent"}
	if diff := cmp.Diff(want, d.Loss); diff != "" {
		t.Fatalf("loss (-want +got):\n%s", diff)
	}
	last := d.History[len(d.History)-1]
	if last.Kind != deal.EventLost || last.LossReason != deal.LossCompetitor || last.From != deal.StageBusinessCase {
		t.Fatalf("lost event: %+v", last)
	}
	if err := p.Reopen(&d, deal.StageDiscovery, "the incumbent failed their pilot", manager, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if d.Stage != deal.StageDiscovery || d.Loss != nil {
		t.Fatalf("want discovery with no loss, got %s with %v", d.Stage, d.Loss)
	}
}

func TestOpen(t *testing.T) {
	p := deal.Default()
	d := deal.Deal{ID: "d-1", Owner: rep.ID}
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	want := []deal.Event{{Kind: deal.EventOpen, To: deal.StageTargeting, At: t0, By: rep}}
	if diff := cmp.Diff(want, d.History); diff != "" {
		t.Fatalf("history (-want +got):\n%s", diff)
	}
	if err := p.Open(&d, rep, t0); !errors.Is(err, accord.ErrConflict) {
		t.Fatalf("opening twice: want ErrConflict, got %v", err)
	}

	bad := deal.Deal{Value: accord.Money{Currency: "ZZZ"}}
	err := p.Open(&bad, rep, time.Time{})
	if diff := cmp.Diff([]string{"id", "owner", "value.currency", "at"}, errtest.Fields(err)); diff != "" {
		t.Fatalf("open of a bad deal: fields (-want +got):\n%s\n%v", diff, err)
	}
	if bad.Stage != "" || bad.History != nil {
		t.Fatalf("refused open changed the deal: %+v", bad)
	}
}

func TestSetCloseDate(t *testing.T) {
	var d deal.Deal
	may, june, april := t0.AddDate(0, 1, 0), t0.AddDate(0, 2, 0), t0
	for _, date := range []time.Time{may, may, june, april, june} {
		if err := d.SetCloseDate(date, rep, t0); err != nil {
			t.Fatal(err)
		}
	}
	want := []deal.CloseDateChange{
		{From: may, To: june, At: t0, By: rep.ID},
		{From: june, To: april, At: t0, By: rep.ID},
		{From: april, To: june, At: t0, By: rep.ID},
	}
	if diff := cmp.Diff(want, d.CloseDateChanges); diff != "" {
		t.Fatalf("changes (-want +got):\n%s", diff)
	}
	if d.Slips() != 2 {
		t.Fatalf("want 2 slips, got %d", d.Slips())
	}
	if err := d.SetCloseDate(time.Time{}, accord.Actor{}, t0); !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
}

// TestConcurrentUse shares one process between goroutines that each move
// their own deals; run with -race.
func TestConcurrentUse(t *testing.T) {
	p := deal.Default()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				d, at := openAt(p, deal.StageHandoff, t0)
				_ = p.Unmet(&d, at)
				_ = p.Moves(&d, at)
				_ = p.Risks(&d, at)
				if err := p.Advance(&d, rep, at.Add(time.Hour)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestZeroValues checks that a zero Process, a nil Process and a nil Deal
// answer with nothing and refuse moves with ErrInvalid instead of
// panicking.
func TestZeroValues(t *testing.T) {
	d, at := openAt(deal.Default(), deal.StageDiscovery, t0)
	for name, p := range map[string]*deal.Process{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			c := d
			for i, err := range []error{
				p.Open(&deal.Deal{ID: "x", Owner: "o"}, rep, at),
				p.Advance(&c, rep, at),
				p.Revert(&c, deal.StageTargeting, "r", rep, at),
				p.Lose(&c, deal.LossPrice, "", rep, at),
				p.Reopen(&c, deal.StageTargeting, "r", rep, at),
			} {
				if !errors.Is(err, accord.ErrInvalid) {
					t.Errorf("move %d: want ErrInvalid, got %v", i, err)
				}
			}
			if _, err := p.UnmetTo(&c, deal.StageTargeting, at); !errors.Is(err, accord.ErrInvalid) {
				t.Errorf("UnmetTo: want ErrInvalid, got %v", err)
			}
			if p.Unmet(&c, at) != nil || p.Moves(&c, at) != nil || p.Risks(&c, at) != nil || p.Triggers(&c, at) != nil ||
				p.Stages() != nil || p.Won(&c) || p.ClosedWon() != "" {
				t.Error("a process that was never built answered")
			}
			if _, ok := p.StageAfter(deal.StageTargeting); ok {
				t.Error("Next answered")
			}
			if _, ok := p.Stage(deal.StageTargeting); ok {
				t.Error("Stage answered")
			}
		})
	}
	p := deal.Default()
	var nilDeal *deal.Deal
	if err := p.Advance(nilDeal, rep, at); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("nil deal: want ErrInvalid, got %v", err)
	}
	if p.Unmet(nilDeal, at) != nil || p.Moves(nilDeal, at) != nil || p.Risks(nilDeal, at) != nil || p.Triggers(nilDeal, at) != nil ||
		nilDeal.TimeByStage(at) != nil || nilDeal.TimeInStage(at) != 0 || nilDeal.Slips() != 0 {
		t.Error("a nil deal answered")
	}
	if nilDeal.Validate() == nil || nilDeal.SetCloseDate(at, rep, at) == nil {
		t.Error("a nil deal validated")
	}
}
