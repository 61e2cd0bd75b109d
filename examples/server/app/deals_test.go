package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

// clock is a fake clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var (
	rep    = app.Principal{ID: "u-rep", Name: "Asha", Role: "sales_rep"}
	client = app.Principal{ID: "c-1", Name: "Dana", Role: "client", Account: "acme"}
	other  = app.Principal{ID: "c-2", Name: "Eve", Role: "client", Account: "globex"}
)

func newApp(t *testing.T) (*app.App, store.Store, *clock) {
	t.Helper()
	return newAppOn(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db"))
}

func newAppOn(t *testing.T, addr string) (*app.App, store.Store, *clock) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return app.New(app.Config{Store: db, Now: c.Now}), db, c
}

func kind(t *testing.T, err error) app.Kind {
	t.Helper()
	var e *app.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *app.Error", err)
	}
	return e.Kind
}

func TestDealLifecycle(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testDealLifecycle(t, newApp) })
	t.Run("postgres", func(t *testing.T) {
		c := pgtest.Start(t)
		testDealLifecycle(t, func(t *testing.T) (*app.App, store.Store, *clock) { return newAppOn(t, c.Database(t)) })
	})
}

func testDealLifecycle(t *testing.T, newApp func(*testing.T) (*app.App, store.Store, *clock)) {
	ctx := context.Background()
	a, db, c := newApp(t)
	d, err := a.CreateDeal(ctx, rep, []byte(`{"id":"d-1","account_id":"acme","account":"Acme"}`))
	if err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	if d.Rev != 1 || d.Value.Stage != "targeting" || d.Value.Owner != "u-rep" || d.Value.Version != 0 {
		t.Fatalf("created deal: rev %d stage %s owner %s version %d; want 1 targeting u-rep 0", d.Rev, d.Value.Stage, d.Value.Owner, d.Value.Version)
	}

	c.Add(time.Hour)
	_, err = a.Advance(ctx, rep, "d-1", 1)
	var e *app.Error
	if !errors.As(err, &e) || e.Kind != app.KindBlocked {
		t.Fatalf("Advance of an empty deal: got %v, want a refusal", err)
	}
	var ids []string
	for _, u := range e.Unmet {
		ids = append(ids, u.Criterion)
	}
	if want := []string{"segment", "trigger", "account_hypothesis"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("unmet: got %v, want %v", ids, want)
	}

	_, err = a.PatchDeal(ctx, rep, "d-1", 1, []byte(`{"stage":"proposal","history":null}`))
	if !errors.As(err, &e) || e.Kind != app.KindInvalid ||
		!reflect.DeepEqual(e.Fields, []app.FieldError{{Field: "stage", Rule: "cannot be changed by a patch"}, {Field: "history", Rule: "cannot be changed by a patch"}}) {
		t.Errorf("patching the stage: got %+v", err)
	}
	d, err = a.PatchDeal(ctx, rep, "d-1", 1, []byte(`{"segment":"mid-market","targeting":{"trigger":"new VP","hypothesis":"forecasts in spreadsheets"}}`))
	if err != nil || d.Rev != 2 || d.Value.Segment != "mid-market" || d.Value.Version != 0 {
		t.Fatalf("PatchDeal: rev %d segment %q version %d err %v; want 2 mid-market 0 nil", d.Rev, d.Value.Segment, d.Value.Version, err)
	}
	_, err = a.Advance(ctx, rep, "d-1", 1)
	if !errors.As(err, &e) || e.Kind != app.KindStale || e.Rev != 2 {
		t.Fatalf("Advance from a stale revision: got %+v, want stale at 2", err)
	}
	d, err = a.Advance(ctx, rep, "d-1", 2)
	if err != nil || d.Rev != 3 || d.Value.Stage != "qualification" || d.Value.Version != 1 {
		t.Fatalf("Advance: rev %d stage %s version %d err %v; want 3 qualification 1 nil", d.Rev, d.Value.Stage, d.Value.Version, err)
	}
	_, err = a.Advance(ctx, client, "d-1", 3)
	if got := kind(t, err); got != app.KindForbidden {
		t.Errorf("a client advancing: kind %d, want forbidden", got)
	}
	_, err = a.GetDeal(ctx, other, "d-1")
	if got := kind(t, err); got != app.KindNotFound {
		t.Errorf("another account's client reading: kind %d, want not found", got)
	}

	c.Add(time.Hour)
	d, err = a.Lose(ctx, rep, "d-1", 3, []byte(`{"reason":"budget"}`))
	if err != nil || d.Value.Stage != "lost" || d.Rev != 4 {
		t.Fatalf("Lose: %v, stage %s rev %d", err, d.Value.Stage, d.Rev)
	}
	d, err = a.Reopen(ctx, rep, "d-1", 4, []byte(`{"to":"targeting","reason":"new budget"}`))
	if err != nil || d.Value.Stage != "targeting" || d.Rev != 5 {
		t.Fatalf("Reopen: %v, stage %s rev %d", err, d.Value.Stage, d.Rev)
	}

	var kinds []string
	err = db.View(ctx, func(tx store.Tx) error {
		es, err := tx.Events().List(ctx, store.SubjectDeal, "d-1")
		for _, e := range es {
			kinds = append(kinds, e.Kind)
		}
		return err
	})
	if err != nil || !reflect.DeepEqual(kinds, []string{"open", "advance", "lost", "reopen"}) {
		t.Errorf("stored events: %v %v; want open advance lost reopen", kinds, err)
	}
	h, _ := a.History(ctx, client, "d-1")
	if len(h) != 4 {
		t.Errorf("history as the account's client: %d events, want 4", len(h))
	}
}

func TestTriggersGoToTheOutboxOnce(t *testing.T) {
	ctx := context.Background()
	a, db, c := newApp(t)
	if _, err := a.CreateDeal(ctx, rep, []byte(`{"id":"d-1","account":"Acme"}`)); err != nil {
		t.Fatal(err)
	}
	c.Add(15 * 24 * time.Hour) // past the 14 idle days of the default process
	for rev := int64(1); rev <= 2; rev++ {
		if _, err := a.PatchDeal(ctx, rep, "d-1", rev, []byte(`{"segment":"smb"}`)); err != nil {
			t.Fatal(err)
		}
	}
	var got []store.Message
	err := db.View(ctx, func(tx store.Tx) (err error) {
		got, err = tx.Outbox().Pending(ctx, c.Now(), 10)
		return err
	})
	if err != nil || len(got) != 1 {
		t.Fatalf("outbox: %d messages, %v; want 1", len(got), err)
	}
	var act struct{ Kind, Deal_ID, To string }
	json.Unmarshal(got[0].Payload, &act)
	if got[0].Kind != "idle_alert" || act.To != "sales_manager" || act.Deal_ID != "d-1" {
		t.Errorf("message: kind %s payload %s; want an idle alert for the manager", got[0].Kind, got[0].Payload)
	}
}

func TestCreateDealInput(t *testing.T) {
	ctx := context.Background()
	a, _, _ := newApp(t)
	for _, tc := range []struct {
		body   string
		fields []app.FieldError
	}{
		{`{"id":"d-1","colour":"red"}`, []app.FieldError{{Field: "colour", Rule: "is not a known field"}}},
		{`{"id":"d-1","stage":"proposal","version":3}`, []app.FieldError{{Field: "stage", Rule: "is set by the process, not by a request"}, {Field: "version", Rule: "is set by the process, not by a request"}}},
		{`{"id":7}`, []app.FieldError{{Field: "id", Rule: "must be a JSON string"}}},
		{`{"id":"d-1"} {}`, []app.FieldError{{Field: "", Rule: "must be one JSON value"}}},
		{`{"id":"d-1","value":{"amount":"10","currency":"XXQ"}}`, []app.FieldError{
			{Field: "money.currency", Rule: `must be an active ISO 4217 code, got "XXQ"`}}},
		{`{"id":"d-1","qualification":{"fit":"maybe"},"stakeholders":[{"name":"Kim","role":"boss"}]}`, []app.FieldError{
			{Field: "qualification.fit", Rule: `must be strong, possible or not_a_fit; got "maybe"`},
			{Field: "stakeholders[0].role", Rule: `must be a stakeholder role; got "boss"`}}},
	} {
		_, err := a.CreateDeal(ctx, rep, []byte(tc.body))
		var e *app.Error
		if !errors.As(err, &e) || e.Kind != app.KindInvalid || !reflect.DeepEqual(e.Fields, tc.fields) {
			t.Errorf("CreateDeal(%s): got %+v, want fields %+v", tc.body, e, tc.fields)
		}
	}
}
