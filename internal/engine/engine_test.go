package engine_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// subject is a set of facts; a criterion named "x" holds when fact x does.
type subject map[string]bool

type fact string

func (f fact) Met(s subject, _ time.Time) bool { return s[string(f)] }

func crit(id string) engine.Criterion[subject] {
	return engine.Criterion[subject]{ID: id, Message: "need " + id, Field: "f." + id, Check: fact(id)}
}

func machine(t testing.TB) *engine.Machine[subject] {
	t.Helper()
	m, err := engine.New(machineStates(), machineMoves())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func machineStates() []engine.State[subject] {
	return []engine.State[subject]{
		{ID: "a", Exit: []engine.Criterion[subject]{crit("a1"), crit("a2")}},
		{ID: "b", Entry: []engine.Criterion[subject]{crit("b1"), crit("b2")}, Exit: []engine.Criterion[subject]{crit("b3")}},
		{ID: "c", Entry: []engine.Criterion[subject]{crit("c1")}},
	}
}

func machineMoves() []engine.Move {
	return []engine.Move{
		{Event: "next", From: []string{"a"}, To: "b", GateExit: true, GateEntry: true},
		{Event: "next", From: []string{"b"}, To: "c", GateExit: true, GateEntry: true},
		{Event: "back", From: []string{"b", "c"}, To: "a"},
		{Event: "jump", From: []string{"a"}, To: "c", GateEntry: true},
	}
}

func TestFind(t *testing.T) {
	m := machine(t)
	for _, tt := range []struct {
		from, event, to string
		ok              bool
	}{
		{"a", "next", "b", true},
		{"b", "next", "c", true},
		{"c", "next", "", false},
		{"c", "back", "a", true},
		{"a", "back", "", false},
		{"a", "jump", "c", true},
		{"nowhere", "next", "", false},
	} {
		tr, ok := m.Find(tt.from, tt.event)
		if ok != tt.ok || ok && (tr.To != tt.to || tr.From != tt.from || tr.Event != tt.event) {
			t.Errorf("Find(%s, %s) = %+v, %v; want to %s, %v", tt.from, tt.event, tr, ok, tt.to, tt.ok)
		}
	}
}

func TestUnmetOrderAndGates(t *testing.T) {
	m := machine(t)
	next, _ := m.Find("a", "next")
	got := next.Unmet(subject{"a2": true}, time.Time{})
	want := []accord.Unmet{
		{Criterion: "a1", State: "a", Side: accord.SideExit, Message: "need a1", Field: "f.a1"},
		{Criterion: "b1", State: "b", Side: accord.SideEntry, Message: "need b1", Field: "f.b1"},
		{Criterion: "b2", State: "b", Side: accord.SideEntry, Message: "need b2", Field: "f.b2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("unmet (-want +got):\n%s", diff)
	}
	err := next.Blocked("s-1", subject{}, time.Time{})
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) || blocked.Subject != "s-1" || len(blocked.Unmet) != 4 {
		t.Fatalf("want a BlockedError for s-1 with 4 unmet, got %v", err)
	}
	jump, _ := m.Find("a", "jump")
	if got := jump.Unmet(subject{}, time.Time{}); len(got) != 1 || got[0].Criterion != "c1" {
		t.Fatalf("jump gates only on c's entry, got %v", got)
	}
	back, _ := m.Find("b", "back")
	if got := back.Unmet(subject{}, time.Time{}); got != nil {
		t.Fatalf("back is ungated, got %v", got)
	}
	if err := back.Blocked("s", subject{}, time.Time{}); err != nil {
		t.Fatalf("ungated move blocked: %v", err)
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := engine.New([]engine.State[subject]{
		{ID: "a", Exit: []engine.Criterion[subject]{{ID: "x", Message: "m", Check: fact("x")}, {ID: "x"}}},
		{ID: "a"},
		{},
	}, []engine.Move{
		{Event: "go", From: []string{"a"}, To: "z"},
		{Event: "go", From: []string{"a", "q"}, To: "a"},
		{From: nil, To: "a"},
	})
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *accord.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("not a FieldError: %v", e)
		}
		got = append(got, fe.Error())
	}
	want := []string{
		`states[0].exit[1].id: duplicates criterion "x"`,
		`states[0].exit[1].message: is required`,
		`states[0].exit[1].check: is required`,
		`states[1].id: duplicates state "a"`,
		`states[2].id: is required`,
		`moves[0].to: names unknown state "z"`,
		`moves[1].from[0]: event "go" from "a" is already declared`,
		`moves[1].from[1]: names unknown state "q"`,
		`moves[2].event: is required`,
		`moves[2].from: must list at least one state`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
	if _, err := engine.New[subject](nil, nil); !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("no states: want ErrInvalid, got %v", err)
	}
}

// TestUnmetMatchesModel checks, on random machines and subjects, that a
// transition reports exactly the failing gate criteria, exit before entry,
// each in declaration order, each once.
func TestUnmetMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "states")
		var states []engine.State[subject]
		for i := 0; i < n; i++ {
			s := engine.State[subject]{ID: fmt.Sprintf("s%d", i)}
			for j := range rapid.IntRange(0, 4).Draw(t, "entry") {
				s.Entry = append(s.Entry, crit(fmt.Sprintf("in%d_%d", i, j)))
			}
			for j := range rapid.IntRange(0, 4).Draw(t, "exit") {
				s.Exit = append(s.Exit, crit(fmt.Sprintf("out%d_%d", i, j)))
			}
			states = append(states, s)
		}
		from, to := rapid.IntRange(0, n-1).Draw(t, "from"), rapid.IntRange(0, n-1).Draw(t, "to")
		gateExit, gateEntry := rapid.Bool().Draw(t, "gate_exit"), rapid.Bool().Draw(t, "gate_entry")
		m, err := engine.New(states, []engine.Move{{Event: "e", From: []string{states[from].ID}, To: states[to].ID, GateExit: gateExit, GateEntry: gateEntry}})
		if err != nil {
			t.Fatal(err)
		}
		facts := subject{}
		for _, s := range states {
			for _, c := range slices.Concat(s.Entry, s.Exit) {
				facts[c.ID] = rapid.Bool().Draw(t, c.ID)
			}
		}
		var want []string
		if gateExit {
			for _, c := range states[from].Exit {
				if !facts[c.ID] {
					want = append(want, c.ID)
				}
			}
		}
		if gateEntry {
			for _, c := range states[to].Entry {
				if !facts[c.ID] {
					want = append(want, c.ID)
				}
			}
		}
		tr, ok := m.Find(states[from].ID, "e")
		if !ok || tr.To != states[to].ID {
			t.Fatalf("Find: %+v, %v", tr, ok)
		}
		var got []string
		for _, u := range tr.Unmet(facts, time.Time{}) {
			got = append(got, u.Criterion)
		}
		if !slices.Equal(want, got) {
			t.Fatalf("unmet: got %v, want %v", got, want)
		}
	})
}

// TestConcurrentEvaluation shares one machine between goroutines; run with
// -race.
func TestConcurrentEvaluation(t *testing.T) {
	m := machine(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				tr, _ := m.Find("a", "next")
				_ = tr.Unmet(subject{"a1": i%2 == 0}, time.Time{})
			}
		}()
	}
	wg.Wait()
}

// BenchmarkUnmetMet is the cost of evaluating a move whose gates all hold:
// no allocation.
func BenchmarkUnmetMet(b *testing.B) {
	m := machine(b)
	tr, _ := m.Find("a", "next")
	s := subject{"a1": true, "a2": true, "b1": true, "b2": true}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if tr.Unmet(s, time.Time{}) != nil {
			b.Fatal("want no unmet")
		}
	}
}

// explained fails when fact "x" is missing, and explains itself with the
// reasons listed under the facts "r1" and "r2", or with none.
type explained struct{}

func (explained) Met(s subject, _ time.Time) bool { return s["x"] }
func (explained) Explain(s subject, _ time.Time) []accord.Unmet {
	var out []accord.Unmet
	if s["r1"] {
		out = append(out, accord.Unmet{Criterion: "ignored", State: "ignored", Side: accord.SideEntry, Message: "first reason", Field: "one"})
	}
	if s["r2"] {
		out = append(out, accord.Unmet{Message: "second reason"})
	}
	return out
}

func TestUnmetExplained(t *testing.T) {
	m, err := engine.New([]engine.State[subject]{
		{ID: "a", Exit: []engine.Criterion[subject]{
			{ID: "x", Message: "need x", Field: "f.x", Check: explained{}},
			crit("y"),
		}},
		{ID: "b"},
	}, []engine.Move{{Event: "next", From: []string{"a"}, To: "b", GateExit: true}})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := m.Find("a", "next")
	static := accord.Unmet{Criterion: "x", State: "a", Side: accord.SideExit, Message: "need x", Field: "f.x"}
	y := accord.Unmet{Criterion: "y", State: "a", Side: accord.SideExit, Message: "need y", Field: "f.y"}
	for _, tc := range []struct {
		name string
		s    subject
		want []accord.Unmet
	}{
		{"met", subject{"x": true, "y": true, "r1": true}, nil},
		{"no reasons", subject{"y": true}, []accord.Unmet{static}},
		{"one reason per problem", subject{"r1": true, "r2": true}, []accord.Unmet{
			{Criterion: "x", State: "a", Side: accord.SideExit, Message: "first reason", Field: "one"},
			{Criterion: "x", State: "a", Side: accord.SideExit, Message: "second reason", Field: "f.x"},
			y,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tr.Unmet(tc.s, time.Time{})); diff != "" {
				t.Errorf("Unmet (-want +got):\n%s", diff)
			}
		})
	}
}
