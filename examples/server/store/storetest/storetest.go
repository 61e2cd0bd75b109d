// Package storetest is the conformance suite of store.Store: every backend
// runs it from its own tests, so that all backends keep the same promises.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/store"
)

// Run checks the store that open returns against every promise of package
// store. open must return a new, empty, migrated store for each call; Run
// closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"deals: create, get, update by revision", testDeals},
		{"deals: list filters and pages by ID", testDealList},
		{"scopes: documents and every revision", testScopes},
		{"proposals: one per deal, updated by revision", testProposals},
		{"contracts: one per deal, listed by renewal", testContracts},
		{"policy set: one, replaced by revision", testPolicies},
		{"events: one per position of a history", testEvents},
		{"outbox: one message per key, until delivered or given up", testOutbox},
		{"outbox: concurrent claims never take one message twice", testClaim},
		{"InTx: concurrent transactions fail or panic alone", testGroup},
		{"tokens: found by hash only", testTokens},
		{"sessions: found by hash, removed once expired", testSessions},
		{"InTx: all of a transaction or none of it", testAtomic},
		{"concurrent writers of one revision: exactly one wins", testRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func write(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.InTx(context.Background(), fn); err != nil {
		t.Fatalf("InTx: %v", err)
	}
}

func read(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func deal(id, account, owner, segment, stage string) store.Deal {
	return store.Deal{ID: id, AccountID: account, Owner: owner, Segment: segment, Stage: stage,
		UpdatedAt: t0, Doc: []byte(`{"id":"` + id + `"}`)}
}

func testDeals(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := deal("d-1", "acme", "u-1", "smb", "targeting")
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Deals().Create(ctx, d)
		same(t, "revision of a new deal", rev, int64(1))
		return err
	})
	err := s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Deals().Create(ctx, d)
		return err
	})
	wantErr(t, "creating d-1 again", err, store.ErrExists)

	var got store.Deal
	read(t, s, func(tx store.Tx) (err error) {
		got, err = tx.Deals().Get(ctx, "d-1")
		return err
	})
	d.Rev = 1
	same(t, "stored deal", canonDeal(got), canonDeal(d))

	next := got
	next.Stage, next.Owner, next.UpdatedAt = "qualification", "u-2", t0.Add(time.Hour)
	next.Doc = []byte(`{"id":"d-1","stage":"qualification"}`)
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Deals().Update(ctx, next, got)
		same(t, "revision after an update", rev, int64(2))
		return err
	})
	read(t, s, func(tx store.Tx) (err error) {
		stored, err := tx.Deals().Get(ctx, "d-1")
		want := next
		want.Rev = 2
		same(t, "deal after an update of its stage and owner", canonDeal(stored), canonDeal(want))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Deals().Update(ctx, next, got) // still at revision 1
		return err
	})
	wantErr(t, "update from a stale revision", err, store.ErrStale)
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Deals().Update(ctx, deal("d-404", "", "", "", ""), store.Deal{})
		return err
	})
	wantErr(t, "update of a missing deal", err, store.ErrNotFound)
	err = s.View(ctx, func(tx store.Tx) error {
		_, err := tx.Deals().Get(ctx, "d-404")
		return err
	})
	wantErr(t, "get of a missing deal", err, store.ErrNotFound)

	read(t, s, func(tx store.Tx) (err error) {
		got, err = tx.Deals().Get(ctx, "d-1")
		return err
	})
	next.Rev = 2
	same(t, "deal after the update", canonDeal(got), canonDeal(next))
}

func ids(ds []store.Deal) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func testDealList(t *testing.T, s store.Store) {
	ctx := context.Background()
	write(t, s, func(tx store.Tx) error {
		for _, d := range []store.Deal{
			deal("d-5", "acme", "u-1", "smb", "discovery"),
			deal("d-1", "acme", "u-1", "smb", "targeting"),
			deal("d-3", "globex", "u-2", "enterprise", "discovery"),
			deal("d-2", "acme", "u-2", "smb", "discovery"),
			deal("d-4", "initech", "u-1", "enterprise", "proposal"),
		} {
			if _, err := tx.Deals().Create(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	for _, tc := range []struct {
		f    store.DealFilter
		want []string
	}{
		{store.DealFilter{}, []string{"d-1", "d-2", "d-3", "d-4", "d-5"}},
		{store.DealFilter{Stage: "discovery"}, []string{"d-2", "d-3", "d-5"}},
		{store.DealFilter{Owner: "u-1"}, []string{"d-1", "d-4", "d-5"}},
		{store.DealFilter{Segment: "enterprise"}, []string{"d-3", "d-4"}},
		{store.DealFilter{AccountID: "acme", Stage: "discovery"}, []string{"d-2", "d-5"}},
		{store.DealFilter{Limit: 2}, []string{"d-1", "d-2"}},
		{store.DealFilter{After: "d-2", Limit: 2}, []string{"d-3", "d-4"}},
		{store.DealFilter{After: "d-4", Limit: 2}, []string{"d-5"}},
		{store.DealFilter{After: "d-5"}, []string{}},
		{store.DealFilter{Stage: "live"}, []string{}},
	} {
		var got []store.Deal
		read(t, s, func(tx store.Tx) (err error) {
			got, err = tx.Deals().List(ctx, tc.f)
			return err
		})
		same(t, fmt.Sprintf("List(%+v)", tc.f), ids(got), tc.want)
	}
}

func testScopes(t *testing.T, s store.Store) {
	ctx := context.Background()
	sc := store.Scope{ID: "s-1", DealID: "d-1", AccountID: "acme", Status: "draft", Revision: 1,
		UpdatedAt: t0, Doc: []byte(`{"id":"s-1"}`)}
	err := s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Scopes().Create(ctx, sc)
		return err
	})
	if err == nil {
		t.Errorf("creating a scope of a missing deal: no error, want one")
	}
	write(t, s, func(tx store.Tx) error {
		if _, err := tx.Deals().Create(ctx, deal("d-1", "acme", "u-1", "smb", "discovery")); err != nil {
			return err
		}
		if _, err := tx.Scopes().Create(ctx, sc); err != nil {
			return err
		}
		return tx.Scopes().AddRevision(ctx, store.ScopeRevision{ScopeID: "s-1", Revision: 1, Digest: "aa",
			At: t0, By: "u-1", Doc: []byte(`{"rev":1}`)})
	})
	next := sc
	next.Rev, next.Status, next.Revision, next.Doc = 1, "submitted", 2, []byte(`{"id":"s-1","n":2}`)
	next.Capacity = []byte(`{"per_role":{"consultant":"8"}}`)
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Scopes().Update(ctx, next)
		same(t, "revision after an update", rev, int64(2))
		if err != nil {
			return err
		}
		first, err := tx.Scopes().Get(ctx, "s-1")
		if err != nil {
			return err
		}
		same(t, "a stored capacity", string(canon(t, first.Capacity)), `{"per_role":{"consultant":"8"}}`)
		return tx.Scopes().AddRevision(ctx, store.ScopeRevision{ScopeID: "s-1", Revision: 2, Digest: "bb",
			At: t0.Add(time.Hour), By: "u-1", Doc: []byte(`{"rev":2}`)})
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Scopes().Update(ctx, next)
		return err
	})
	wantErr(t, "update from a stale revision", err, store.ErrStale)
	err = s.InTx(ctx, func(tx store.Tx) error {
		return tx.Scopes().AddRevision(ctx, store.ScopeRevision{ScopeID: "s-1", Revision: 2, Digest: "cc", Doc: []byte(`{}`)})
	})
	wantErr(t, "recording revision 2 again", err, store.ErrExists)

	read(t, s, func(tx store.Tx) error {
		got, err := tx.Scopes().Get(ctx, "s-1")
		if err != nil {
			return err
		}
		next.Rev = 2
		same(t, "stored scope", canonScope(got), canonScope(next))
		byDeal, err := tx.Scopes().ByDeal(ctx, "d-1")
		if err != nil {
			return err
		}
		if len(byDeal) != 1 {
			t.Fatalf("scopes of d-1: got %d, want 1", len(byDeal))
		}
		same(t, "scope of d-1", canonScope(byDeal[0]), canonScope(next))
		r1, err := tx.Scopes().Revision(ctx, "s-1", 1)
		if err != nil {
			return err
		}
		r1.Doc = canon(t, r1.Doc)
		same(t, "revision 1", r1, store.ScopeRevision{ScopeID: "s-1", Revision: 1, Digest: "aa", At: t0, By: "u-1", Doc: []byte(`{"rev":1}`)})
		all, err := tx.Scopes().Revisions(ctx, "s-1")
		if err != nil {
			return err
		}
		var revs []string
		for _, r := range all {
			revs = append(revs, fmt.Sprintf("%d %s %s", r.Revision, r.Digest, canon(t, r.Doc)))
		}
		same(t, "revisions", revs, []string{`1 aa {"rev":1}`, `2 bb {"rev":2}`})
		_, err = tx.Scopes().Revision(ctx, "s-1", 3)
		wantErr(t, "revision 3", err, store.ErrNotFound)
		return nil
	})
}

// canon returns a JSON document in one canonical form: a backend may store
// documents as JSON values (PostgreSQL's jsonb) and give back other bytes
// for the same value.
func canon(t *testing.T, doc []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("stored document %q is not JSON: %v", doc, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func canonScope(s store.Scope) store.Scope {
	var v any
	if json.Unmarshal(s.Doc, &v) == nil {
		s.Doc, _ = json.Marshal(v)
	}
	var c any
	if s.Capacity != nil && json.Unmarshal(s.Capacity, &c) == nil {
		s.Capacity, _ = json.Marshal(c)
	}
	return s
}

func testProposals(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := store.Proposal{DealID: "d-1", ID: "p-1", UpdatedAt: t0, Doc: []byte(`{"id":"p-1","weeks":8}`)}
	err := s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Proposals().Create(ctx, p)
		return err
	})
	if err == nil {
		t.Errorf("creating the proposal of a missing deal: no error, want one")
	}
	write(t, s, func(tx store.Tx) error {
		if _, err := tx.Deals().Create(ctx, deal("d-1", "acme", "u-1", "smb", "proposal")); err != nil {
			return err
		}
		rev, err := tx.Proposals().Create(ctx, p)
		same(t, "revision of a new proposal", rev, int64(1))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Proposals().Create(ctx, p)
		return err
	})
	wantErr(t, "a second proposal of d-1", err, store.ErrExists)
	next := p
	next.Rev, next.ID, next.UpdatedAt, next.Doc = 1, "p-2", t0.Add(time.Hour), []byte(`{"id":"p-2","weeks":9}`)
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Proposals().Update(ctx, next)
		same(t, "revision after an update", rev, int64(2))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Proposals().Update(ctx, next)
		return err
	})
	wantErr(t, "update from a stale revision", err, store.ErrStale)
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Proposals().Update(ctx, store.Proposal{DealID: "d-9", Rev: 1, Doc: []byte(`{}`)})
		return err
	})
	wantErr(t, "update of a missing proposal", err, store.ErrNotFound)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Proposals().Get(ctx, "d-1")
		if err != nil {
			return err
		}
		got.Doc = canon(t, got.Doc)
		next.Rev = 2
		same(t, "stored proposal", got, next)
		_, err = tx.Proposals().Get(ctx, "d-9")
		wantErr(t, "the proposal of a deal with none", err, store.ErrNotFound)
		return nil
	})
}

func canonDeal(d store.Deal) store.Deal {
	var v any
	if json.Unmarshal(d.Doc, &v) == nil {
		d.Doc, _ = json.Marshal(v)
	}
	return d
}

func testContracts(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := store.Contract{ID: "c-1", DealID: "d-1", AccountID: "acme", Owner: "u-1", Status: "onboarding",
		Renewal: "2027-03-02", UpdatedAt: t0, Doc: []byte(`{"id":"c-1"}`)}
	write(t, s, func(tx store.Tx) error {
		for _, d := range []store.Deal{deal("d-1", "acme", "u-1", "smb", "handoff"), deal("d-2", "globex", "u-1", "smb", "handoff")} {
			if _, err := tx.Deals().Create(ctx, d); err != nil {
				return err
			}
		}
		if _, err := tx.Contracts().Create(ctx, c); err != nil {
			return err
		}
		c2 := c
		c2.ID, c2.DealID, c2.AccountID, c2.Renewal = "c-2", "d-2", "globex", "2026-06-01"
		_, err := tx.Contracts().Create(ctx, c2)
		return err
	})
	err := s.InTx(ctx, func(tx store.Tx) error {
		dup := c
		dup.ID = "c-3"
		_, err := tx.Contracts().Create(ctx, dup)
		return err
	})
	wantErr(t, "a second contract for d-1", err, store.ErrExists)

	next := c
	next.Rev, next.Status, next.Renewal = 1, "active", "2028-03-02"
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Contracts().Update(ctx, next)
		same(t, "revision after an update", rev, int64(2))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Contracts().Update(ctx, next)
		return err
	})
	wantErr(t, "update from a stale revision", err, store.ErrStale)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Contracts().ByDeal(ctx, "d-1")
		if err != nil {
			return err
		}
		got.Doc = canon(t, got.Doc)
		next.Rev = 2
		same(t, "contract of d-1", got, next)
		for _, tc := range []struct {
			f    store.ContractFilter
			want []string
		}{
			{store.ContractFilter{}, []string{"c-1", "c-2"}},
			{store.ContractFilter{RenewalBefore: "2026-07-01"}, []string{"c-2"}},
			{store.ContractFilter{RenewalBefore: "2026-06-01"}, []string{}},
			{store.ContractFilter{AccountID: "acme"}, []string{"c-1"}},
			{store.ContractFilter{Status: "onboarding"}, []string{"c-2"}},
			{store.ContractFilter{After: "c-1", Limit: 5}, []string{"c-2"}},
		} {
			cs, err := tx.Contracts().List(ctx, tc.f)
			if err != nil {
				return err
			}
			got := []string{}
			for _, c := range cs {
				got = append(got, c.ID)
			}
			same(t, fmt.Sprintf("List(%+v)", tc.f), got, tc.want)
		}
		_, err = tx.Contracts().ByDeal(ctx, "d-404")
		wantErr(t, "contract of a missing deal", err, store.ErrNotFound)
		return nil
	})
}

func testEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	ev := func(id string, seq int, kind string) store.Event {
		return store.Event{Subject: store.SubjectDeal, SubjectID: id, Seq: seq, Kind: kind,
			At: t0.Add(time.Duration(seq) * time.Hour), ActorID: "u-1", Doc: []byte(`{"kind":"` + kind + `"}`)}
	}
	write(t, s, func(tx store.Tx) error {
		return tx.Events().Append(ctx, []store.Event{ev("d-1", 0, "open"), ev("d-1", 1, "advance"), ev("d-2", 0, "open")})
	})
	err := s.InTx(ctx, func(tx store.Tx) error {
		return tx.Events().Append(ctx, []store.Event{ev("d-1", 2, "advance"), ev("d-1", 1, "lost")})
	})
	wantErr(t, "a second event at position 1", err, store.ErrExists)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Events().List(ctx, store.SubjectDeal, "d-1")
		for i := range got {
			got[i].Doc = canon(t, got[i].Doc)
		}
		same(t, "events of d-1", got, []store.Event{ev("d-1", 0, "open"), ev("d-1", 1, "advance")})
		return err
	})
}

func testOutbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	m := func(key string, at time.Time) store.Message {
		return store.Message{Key: key, Kind: "follow_up_task", Subject: store.SubjectDeal, SubjectID: "d-1",
			CreatedAt: at, Payload: []byte(`{"key":"` + key + `"}`)}
	}
	write(t, s, func(tx store.Tx) error {
		n, err := tx.Outbox().Enqueue(ctx, []store.Message{m("k-2", t0.Add(time.Minute)), m("k-1", t0)})
		same(t, "messages enqueued", n, 2)
		return err
	})
	write(t, s, func(tx store.Tx) error {
		n, err := tx.Outbox().Enqueue(ctx, []store.Message{m("k-1", t0.Add(time.Hour)), m("k-3", t0.Add(2*time.Minute))})
		same(t, "messages enqueued again", n, 1)
		return err
	})
	keys := func(now time.Time) []string {
		var out []string
		read(t, s, func(tx store.Tx) error {
			ms, err := tx.Outbox().Pending(ctx, now, 10)
			for _, m := range ms {
				out = append(out, m.Key)
			}
			return err
		})
		return out
	}
	same(t, "pending at t0+1h", keys(t0.Add(time.Hour)), []string{"k-1", "k-2", "k-3"})
	same(t, "pending at t0+1m", keys(t0.Add(time.Minute)), []string{"k-1", "k-2"})
	write(t, s, func(tx store.Tx) error {
		if err := tx.Outbox().Failed(ctx, "k-1", "503 from receiver", t0.Add(2*time.Hour)); err != nil {
			return err
		}
		return tx.Outbox().Delivered(ctx, "k-2", t0.Add(time.Hour))
	})
	same(t, "pending after a failure and a delivery", keys(t0.Add(time.Hour)), []string{"k-3"})
	same(t, "pending once the retry is due", keys(t0.Add(2*time.Hour)), []string{"k-1", "k-3"})
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Outbox().Get(ctx, "k-1")
		got.Payload = canon(t, got.Payload)
		want := m("k-1", t0)
		want.Attempts, want.NextAt, want.LastError = 1, t0.Add(2*time.Hour), "503 from receiver"
		same(t, "k-1 after a failure", got, want)
		return err
	})
	err := s.InTx(ctx, func(tx store.Tx) error { return tx.Outbox().Delivered(ctx, "k-404", t0) })
	wantErr(t, "delivering a missing message", err, store.ErrNotFound)

	write(t, s, func(tx store.Tx) error {
		return tx.Outbox().GiveUp(ctx, "k-3", "410 from receiver", t0.Add(3*time.Hour))
	})
	same(t, "pending once k-3 is given up", keys(t0.Add(4*time.Hour)), []string{"k-1"})
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Outbox().Get(ctx, "k-3")
		got.Payload = canon(t, got.Payload)
		want := m("k-3", t0.Add(2*time.Minute))
		want.Attempts, want.NextAt, want.GaveUpAt, want.LastError = 1, t0.Add(2*time.Minute), t0.Add(3*time.Hour), "410 from receiver"
		same(t, "k-3 given up", got, want)
		return err
	})
}

func testClaim(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 40
	var all []string
	write(t, s, func(tx store.Tx) error {
		var ms []store.Message
		for i := range n {
			k := fmt.Sprintf("k-%02d", i)
			all = append(all, k)
			ms = append(ms, store.Message{Key: k, Kind: "follow_up_task", Subject: store.SubjectDeal, SubjectID: "d-1",
				CreatedAt: t0.Add(time.Duration(i) * time.Second), Payload: []byte(`{}`)})
		}
		_, err := tx.Outbox().Enqueue(ctx, ms)
		return err
	})
	// Four dispatchers claim three at a time until nothing is left; no
	// message may be claimed twice while its claim holds.
	now, until := t0.Add(time.Hour), t0.Add(2*time.Hour)
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var ms []store.Message
				err := s.InTx(ctx, func(tx store.Tx) (err error) {
					ms, err = tx.Outbox().Claim(ctx, now, until, 3)
					return err
				})
				if err != nil {
					t.Errorf("Claim: %v", err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for i, m := range ms {
					claimed[m.Key]++
					if !m.NextAt.Equal(until) {
						t.Errorf("claimed %s: NextAt %v, want %v", m.Key, m.NextAt, until)
					}
					if i > 0 && m.Key < ms[i-1].Key {
						t.Errorf("a claim is not oldest first: %s after %s", m.Key, ms[i-1].Key)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var got []string
	for k, c := range claimed {
		if c != 1 {
			t.Errorf("%s claimed %d times, want once", k, c)
		}
		got = append(got, k)
	}
	slices.Sort(got)
	same(t, "claimed", got, all)

	// A claim that was not settled lapses at until.
	var again []store.Message
	write(t, s, func(tx store.Tx) (err error) {
		if again, err = tx.Outbox().Claim(ctx, until.Add(-time.Second), until.Add(time.Hour), 100); err != nil || len(again) > 0 {
			return err
		}
		again, err = tx.Outbox().Claim(ctx, until, until.Add(time.Hour), 2)
		return err
	})
	same(t, "claimed again once the claims lapsed", len(again), 2)
	if len(again) == 2 {
		same(t, "the oldest claimed again", []string{again[0].Key, again[1].Key}, all[:2])
	}
}

func testGroup(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Writers that succeed and writers that fail, at once: a failure rolls
	// back its own writes only, whatever the backend groups together.
	const n = 24
	var wg sync.WaitGroup
	errs := make([]error, n)
	boom := errors.New("boom")
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InTx(ctx, func(tx store.Tx) error {
				id := fmt.Sprintf("d-%02d", i)
				if _, err := tx.Deals().Create(ctx, deal(id, "acme", "u-1", "smb", "targeting")); err != nil {
					return err
				}
				if i%3 == 0 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	var want []string
	for i, err := range errs {
		if i%3 == 0 {
			wantErr(t, fmt.Sprintf("writer %d", i), err, boom)
			continue
		}
		if err != nil {
			t.Errorf("writer %d: %v, want nil", i, err)
		}
		want = append(want, fmt.Sprintf("d-%02d", i))
	}
	read(t, s, func(tx store.Tx) error {
		ds, err := tx.Deals().List(ctx, store.DealFilter{})
		same(t, "deals kept", ids(ds), want)
		return err
	})
	// A panic in fn reaches the caller and rolls back fn's writes only.
	func() {
		defer func() {
			if p := recover(); p != "fn panicked" {
				t.Errorf("recovered %v, want the panic of fn", p)
			}
		}()
		s.InTx(ctx, func(tx store.Tx) error {
			tx.Deals().Create(ctx, deal("d-panic", "acme", "u-1", "smb", "targeting"))
			panic("fn panicked")
		})
	}()
	read(t, s, func(tx store.Tx) error {
		_, err := tx.Deals().Get(ctx, "d-panic")
		wantErr(t, "deal of a transaction that panicked", err, store.ErrNotFound)
		return nil
	})
	// A caller whose context has ended is not run.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	err := s.InTx(cctx, func(tx store.Tx) error { ran = true; return nil })
	wantErr(t, "InTx with an ended context", err, context.Canceled)
	same(t, "ran with an ended context", ran, false)
}

func testTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	tk := store.Token{ID: "t-1", Prefix: "acd_ab12", Hash: []byte{1, 2, 3}, ActorID: "c-9", ActorName: "Dana",
		Role: "client", AccountID: "acme", CreatedAt: t0}
	write(t, s, func(tx store.Tx) error { return tx.Tokens().Create(ctx, tk) })
	err := s.InTx(ctx, func(tx store.Tx) error { return tx.Tokens().Create(ctx, tk) })
	wantErr(t, "creating t-1 again", err, store.ErrExists)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Tokens().ByHash(ctx, []byte{1, 2, 3})
		same(t, "token by hash", got, tk)
		_, err2 := tx.Tokens().ByHash(ctx, []byte{1, 2})
		wantErr(t, "an unknown hash", err2, store.ErrNotFound)
		all, err3 := tx.Tokens().List(ctx)
		same(t, "tokens", all, []store.Token{tk})
		return errors.Join(err, err3)
	})
}

func testAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Deals().Create(ctx, deal("d-1", "acme", "u-1", "smb", "targeting")); err != nil {
			return err
		}
		if err := tx.Events().Append(ctx, []store.Event{{Subject: store.SubjectDeal, SubjectID: "d-1", Kind: "open", Doc: []byte(`{}`)}}); err != nil {
			return err
		}
		if _, err := tx.Outbox().Enqueue(ctx, []store.Message{{Key: "k", Kind: "x", Payload: []byte(`{}`)}}); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "InTx", err, boom)
	read(t, s, func(tx store.Tx) error {
		_, err := tx.Deals().Get(ctx, "d-1")
		wantErr(t, "deal of a rolled back transaction", err, store.ErrNotFound)
		es, err := tx.Events().List(ctx, store.SubjectDeal, "d-1")
		same(t, "events of a rolled back transaction", len(es), 0)
		_, err2 := tx.Outbox().Get(ctx, "k")
		wantErr(t, "message of a rolled back transaction", err2, store.ErrNotFound)
		return err
	})
}

func testRace(t *testing.T, s store.Store) {
	ctx := context.Background()
	write(t, s, func(tx store.Tx) error {
		_, err := tx.Deals().Create(ctx, deal("d-1", "acme", "u-1", "smb", "targeting"))
		return err
	})
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InTx(ctx, func(tx store.Tx) error {
				d, err := tx.Deals().Get(ctx, "d-1")
				if err != nil {
					return err
				}
				d.Rev = 1 // every writer read revision 1
				was := d
				d.Owner = fmt.Sprintf("u-%d", i)
				if _, err := tx.Deals().Update(ctx, d, was); err != nil {
					return err
				}
				return tx.Events().Append(ctx, []store.Event{{Subject: store.SubjectDeal, SubjectID: "d-1", Seq: 1,
					Kind: "advance", At: t0, ActorID: d.Owner, Doc: []byte(`{}`)}})
			})
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, store.ErrStale):
		default:
			t.Errorf("writer %d: got %v, want nil or ErrStale", i, err)
		}
	}
	same(t, "writers that won", won, 1)
	read(t, s, func(tx store.Tx) error {
		d, err := tx.Deals().Get(ctx, "d-1")
		same(t, "revision", d.Rev, int64(2))
		es, err2 := tx.Events().List(ctx, store.SubjectDeal, "d-1")
		same(t, "events", len(es), 1)
		if len(es) == 1 {
			same(t, "the winner's event", es[0].ActorID, d.Owner)
		}
		return errors.Join(err, err2)
	})
}

func testPolicies(t *testing.T, s store.Store) {
	ctx := context.Background()
	read(t, s, func(tx store.Tx) error {
		_, err := tx.Policies().Get(ctx)
		wantErr(t, "the policy set before any is stored", err, store.ErrNotFound)
		return nil
	})
	err := s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Policies().Put(ctx, store.PolicySet{Rev: 1, Doc: []byte(`{}`)})
		return err
	})
	wantErr(t, "replacing a set that is not stored", err, store.ErrNotFound)
	p := store.PolicySet{UpdatedAt: t0, By: "u-admin", Doc: []byte(`{"policies":[{"id":"no_quotas"}]}`)}
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Policies().Put(ctx, p)
		same(t, "revision of the first set", rev, int64(1))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Policies().Put(ctx, p)
		return err
	})
	wantErr(t, "a second first set", err, store.ErrExists)
	next := p
	next.Rev, next.UpdatedAt, next.By, next.Doc = 1, t0.Add(time.Hour), "u-root", []byte(`{"policies":[]}`)
	write(t, s, func(tx store.Tx) error {
		rev, err := tx.Policies().Put(ctx, next)
		same(t, "revision after a replacement", rev, int64(2))
		return err
	})
	err = s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.Policies().Put(ctx, next)
		return err
	})
	wantErr(t, "a replacement from a stale revision", err, store.ErrStale)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Policies().Get(ctx)
		if err != nil {
			return err
		}
		got.Doc = canon(t, got.Doc)
		next.Rev, next.Doc = 2, canon(t, next.Doc)
		same(t, "stored set", got, next)
		return nil
	})
}
