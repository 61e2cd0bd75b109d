package deal

import (
	"reflect"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/google/go-cmp/cmp"
)

// TestJournalAppend checks that the journal records every field of the
// event it is given, since it copies them one by one: an Event with every
// field set (From and To aside, which the journal takes from the deal and
// the move) must come out whole, on a history at capacity and on one with
// room. A field added to Event and not to Append fails it.
func TestJournalAppend(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev := Event{
		Kind:       EventLost,
		At:         at,
		By:         accord.Actor{ID: "rep-1", Role: accord.RoleSalesRep},
		Reason:     "went dark",
		LossReason: LossNoDecision,
		Scope:      &ScopeRevision{ID: "sow-1", Revision: 2, Digest: "c0ffee"},
		Contract:   "ctr-1",
	}
	v := reflect.ValueOf(ev)
	for i := range v.NumField() {
		if name := v.Type().Field(i).Name; name != "From" && name != "To" && v.Field(i).IsZero() {
			t.Fatalf("the test's event leaves %s unset: set it, and copy it in journal.Append", name)
		}
	}
	p := Default()
	tr, ok := p.machine.Find(string(StageDiscovery), eventLose)
	if !ok {
		t.Fatal("no lose move from discovery")
	}
	open := Event{Kind: EventOpen, To: StageDiscovery, At: at.Add(-time.Hour)}
	for _, history := range [][]Event{{open}, append(make([]Event, 0, 4), open)} {
		d := Deal{Stage: StageDiscovery, History: history}
		journal{}.Append(&d, tr, &ev)
		want := ev
		want.From, want.To = StageDiscovery, StageLost
		if diff := cmp.Diff([]Event{open, want}, d.History); diff != "" {
			t.Errorf("history (capacity %d before) (-want +got):\n%s", cap(history), diff)
		}
		if d.Stage != StageLost || !d.StageEnteredAt.Equal(at) || d.Version != 1 {
			t.Errorf("after Append: stage %s, entered %v, version %d; want %s, %v, 1", d.Stage, d.StageEnteredAt, d.Version, StageLost, at)
		}
	}
}
