package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/store"
)

func testSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	live := store.Session{Hash: []byte{1, 2, 3}, ActorID: "c-9", ActorName: "Dana", Role: "client",
		AccountID: "acme", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	old := store.Session{Hash: []byte{4, 5}, ActorID: "u-1", ActorName: "Asha", Role: "sales_rep",
		CreatedAt: t0.Add(-24 * time.Hour), ExpiresAt: t0.Add(-12 * time.Hour)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.Sessions().Create(ctx, live); err != nil {
			return err
		}
		return tx.Sessions().Create(ctx, old)
	})
	err := s.InTx(ctx, func(tx store.Tx) error { return tx.Sessions().Create(ctx, live) })
	wantErr(t, "creating a session with a stored hash", err, store.ErrExists)
	read(t, s, func(tx store.Tx) error {
		got, err := tx.Sessions().ByHash(ctx, []byte{1, 2, 3})
		same(t, "session by hash", got, live)
		_, err2 := tx.Sessions().ByHash(ctx, []byte{1, 2})
		wantErr(t, "an unknown hash", err2, store.ErrNotFound)
		return err
	})
	var n int
	write(t, s, func(tx store.Tx) (err error) {
		n, err = tx.Sessions().DeleteExpired(ctx, t0)
		return err
	})
	same(t, "sessions removed as expired at t0", n, 1)
	write(t, s, func(tx store.Tx) error { return tx.Sessions().Delete(ctx, []byte{1, 2, 3}) })
	read(t, s, func(tx store.Tx) error {
		_, err := tx.Sessions().ByHash(ctx, []byte{1, 2, 3})
		wantErr(t, "a deleted session", err, store.ErrNotFound)
		_, err = tx.Sessions().ByHash(ctx, []byte{4, 5})
		wantErr(t, "an expired session after DeleteExpired", err, store.ErrNotFound)
		return nil
	})
}
