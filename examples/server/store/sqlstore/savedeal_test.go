package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

// SaveDeal does what a transaction of Update, Append and Enqueue does:
// all of it or nothing, refused at a stale revision, a missing deal or a
// taken event position.
func TestSaveDeal(t *testing.T) {
	run := func(t *testing.T, addr string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := time.UnixMicro(1_700_000_000_000_000).UTC()
		was := store.Deal{ID: "d-1", AccountID: "acme", Owner: "u-1", Segment: "smb", Stage: "targeting", Rev: 1, UpdatedAt: at, Doc: []byte(`{"v":1}`)}
		err = db.InTx(ctx, func(tx store.Tx) error { _, err := tx.Deals().Create(ctx, was); return err })
		if err != nil {
			t.Fatal(err)
		}
		ev := func(seq int) store.Event {
			return store.Event{Subject: store.SubjectDeal, SubjectID: "d-1", Seq: seq, Kind: "advanced", At: at, ActorID: "u-1", Doc: []byte(`{"seq":1}`)}
		}
		msg := store.Message{Key: "k-1", Kind: "task", Subject: store.SubjectDeal, SubjectID: "d-1", CreatedAt: at, Payload: []byte(`{"a":1}`)}
		d := was
		d.Stage, d.Doc = "qualifying", []byte(`{"v":2}`)
		rev, err := db.SaveDeal(ctx, d, was, []store.Event{ev(0), ev(1)}, []store.Message{msg, msg})
		if err != nil || rev != 2 {
			t.Fatalf("SaveDeal = %d, %v; want 2, nil", rev, err)
		}
		if _, err := db.SaveDeal(ctx, d, was, []store.Event{ev(2)}, nil); !errors.Is(err, store.ErrStale) {
			t.Fatalf("SaveDeal at a stale revision: %v, want ErrStale", err)
		}
		missing := d
		missing.ID = "d-none"
		if _, err := db.SaveDeal(ctx, missing, was, nil, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("SaveDeal of a missing deal: %v, want ErrNotFound", err)
		}
		d2 := d
		d2.Rev, d2.Doc = 2, []byte(`{"v":3}`)
		if _, err := db.SaveDeal(ctx, d2, d, []store.Event{ev(1)}, nil); !errors.Is(err, store.ErrExists) {
			t.Fatalf("SaveDeal with a taken event position: %v, want ErrExists", err)
		}
		err = db.View(ctx, func(tx store.Tx) error {
			got, err := tx.Deals().Get(ctx, "d-1")
			if err != nil {
				return err
			}
			if got.Rev != 2 || got.Stage != "qualifying" {
				t.Errorf("deal after the refused save: rev %d stage %s, want 2 qualifying", got.Rev, got.Stage)
			}
			es, err := tx.Events().List(ctx, store.SubjectDeal, "d-1")
			if err != nil {
				return err
			}
			if len(es) != 2 || es[1].Seq != 1 || string(es[1].Doc) == "" {
				t.Errorf("events = %+v, want positions 0 and 1", es)
			}
			m, err := tx.Outbox().Get(ctx, "k-1")
			if err != nil {
				return err
			}
			if !m.NextAt.Equal(at) || m.Kind != "task" {
				t.Errorf("message = %+v", m)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "accord.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, pgtest.Start(t).Database(t)) })
}
