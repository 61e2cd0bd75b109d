package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/google/go-cmp/cmp"
)

// ledger is a subject that records its moves, for the journal tests.
type ledger struct {
	facts   subject
	state   string
	history []string
	version int
}

// apply is engine.Apply for a ledger: the gates read its facts.
func apply(t *engine.Transition[subject], l *ledger, ev string) error {
	return engine.Apply(l.facts, "l-1", t, time.Time{}, func() { ledgerJournal{l}.Append(t, ev) })
}

// ledgerJournal records on a ledger the way each machine's journal does:
// the event, the state and the version together.
type ledgerJournal struct{ l *ledger }

func (j ledgerJournal) Append(t *engine.Transition[subject], ev string) {
	j.l.history = append(j.l.history, t.From+">"+t.To+":"+ev)
	j.l.state = t.To
	j.l.version++
}

// TestApply: a move whose gates hold is recorded, event, state and version
// together; a refused one records nothing and reports the move's op.
func TestApply(t *testing.T) {
	m, err := engine.New([]engine.State[subject]{
		{ID: "draft", Exit: []engine.Criterion[subject]{crit("ready")}},
		{ID: "sent"},
	}, []engine.Move{
		{Event: "send", Op: accord.OpSubmit, From: []string{"draft"}, To: "sent", GateExit: true},
		{Event: "recall", From: []string{"sent"}, To: "draft"},
	})
	if err != nil {
		t.Fatal(err)
	}
	send, _ := m.Find("draft", "send")
	recall, _ := m.Find("sent", "recall")
	if send.Op != accord.OpSubmit || recall.Op != accord.OpMove {
		t.Fatalf("ops %q, %q; want submit, and move by default", send.Op, recall.Op)
	}

	l := &ledger{facts: subject{}, state: "draft"}
	err = apply(send, l, "e1")
	want := &accord.BlockedError{Op: accord.OpSubmit, Subject: "l-1", From: "draft", To: "sent",
		Unmet: []accord.Unmet{{Criterion: "ready", State: "draft", Side: accord.SideExit, Message: "need ready", Field: "f.ready"}}}
	var got *accord.BlockedError
	if !errors.As(err, &got) {
		t.Fatalf("Apply refused with %v, want a *BlockedError", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("refusal (-want +got):\n%s", diff)
	}
	if l.state != "draft" || l.history != nil || l.version != 0 {
		t.Errorf("a refused move recorded something: %+v", l)
	}

	l.facts["ready"] = true
	if err := apply(send, l, "e1"); err != nil {
		t.Fatal(err)
	}
	if err := apply(recall, l, "e2"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"draft>sent:e1", "sent>draft:e2"}, l.history); diff != "" || l.state != "draft" || l.version != 2 {
		t.Errorf("after two moves: state %s, version %d, history (-want +got):\n%s", l.state, l.version, diff)
	}
}

// TestChangeCheck: every problem with the actor, the time and the change's
// own arguments together, as field errors; then the role.
func TestChangeCheck(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rep := accord.Actor{ID: "u-1", Role: accord.RoleSalesRep}
	onlyReps := func(r accord.Role) bool { return r == accord.RoleSalesRep }
	tests := []struct {
		name     string
		c        engine.Change
		problems []error
		class    error
		fields   []string
		message  string
	}{
		{"fine", engine.Change{Noun: "contract", ID: "c-1", Action: "move", By: rep, At: t0}, nil, nil, nil, ""},
		{"fine at the last event", engine.Change{Noun: "contract", ID: "c-1", Action: "move", By: rep, At: t0, Last: t0}, nil, nil, nil, ""},
		{"no time", engine.Change{Noun: "contract", ID: "c-1", Action: "move", By: rep}, nil, accord.ErrInvalid, []string{"at"},
			`contract "c-1": move: at: is required`},
		{"before the last event", engine.Change{Noun: "scope", ID: "s-1", Action: "submit", By: rep, At: t0, Last: t0.Add(time.Hour), LastEvent: "review event"},
			nil, accord.ErrInvalid, []string{"at"},
			`scope "s-1": submit: at: 2026-03-02T09:00:00Z is before the last review event, at 2026-03-02T10:00:00Z`},
		{"everything at once", engine.Change{Noun: "contract", ID: "c-1", Action: "flag", By: accord.Actor{Role: "ceo"}},
			[]error{nil, accord.Invalid("why", "is required: say why")}, accord.ErrInvalid, []string{"by.id", "by.role", "at", "why"}, ""},
		{"a role the machine refuses", engine.Change{Noun: "contract", ID: "c-1", Action: "renew", By: accord.Actor{ID: "u-2", Role: accord.RoleClient}, At: t0},
			nil, accord.ErrForbidden, nil, `accord: forbidden: contract "c-1": role client may not record a renewal`},
		{"bad input before the role", engine.Change{Noun: "contract", ID: "c-1", Action: "renew", By: accord.Actor{ID: "u-2", Role: accord.RoleClient}},
			nil, accord.ErrInvalid, []string{"at"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Check(onlyReps, "may not record a renewal", tt.problems...)
			if tt.class == nil {
				if err != nil {
					t.Fatalf("Check: %v, want nil", err)
				}
				return
			}
			checkChangeErr(t, err, tt.class, tt.fields, tt.message)
		})
	}
}

// TestChangeCheckActor: only the actor, then the role, whatever the time;
// the refusal's reason is built only for a refusal.
func TestChangeCheckActor(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	onlyReps := func(r accord.Role) bool { return r == accord.RoleSalesRep }
	tests := []struct {
		name    string
		by      accord.Actor
		class   error
		fields  []string
		message string
	}{
		{"fine", accord.Actor{ID: "u-1", Role: accord.RoleSalesRep}, nil, nil, ""},
		{"no actor", accord.Actor{Role: "ceo"}, accord.ErrInvalid, []string{"by.id", "by.role"}, ""},
		{"a role the machine refuses", accord.Actor{ID: "u-2", Role: accord.RoleClient}, accord.ErrForbidden, nil,
			`accord: forbidden: deal "d-1": role client may not advance a deal in stage proposal`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A time before the last event is not the actor's problem.
			c := engine.Change{Noun: "deal", ID: "d-1", Action: "advance", By: tt.by, At: t0, Last: t0.Add(time.Hour)}
			asked := 0
			err := c.CheckActor(onlyReps, func() string { asked++; return "may not advance a deal in stage proposal" })
			want := 0
			if tt.class == accord.ErrForbidden {
				want = 1
			}
			if asked != want {
				t.Errorf("refusal built %d times, want %d", asked, want)
			}
			if tt.class == nil {
				if err != nil {
					t.Fatalf("CheckActor: %v, want nil", err)
				}
				return
			}
			checkChangeErr(t, err, tt.class, tt.fields, tt.message)
		})
	}
}

// checkChangeErr fails t unless err is of class alone, names fields (in
// order) and, when message is set, reads message.
func checkChangeErr(t *testing.T, err, class error, fields []string, message string) {
	t.Helper()
	for _, c := range []error{accord.ErrInvalid, accord.ErrForbidden, accord.ErrConflict, accord.ErrBlocked} {
		if got := errors.Is(err, c); got != (c == class) {
			t.Errorf("errors.Is(%v, %v) = %v", err, c, got)
		}
	}
	if diff := cmp.Diff(fields, errtest.Fields(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if message != "" && err.Error() != message {
		t.Errorf("Error():\ngot  %s\nwant %s", err, message)
	}
}
