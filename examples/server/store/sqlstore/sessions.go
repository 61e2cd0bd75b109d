package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/accordhq/accord/examples/server/store"
)

type sessions struct{ q querier }

const sessionCols = "hash, actor_id, actor_name, role, account_id, created_at, expires_at"

func (s sessions) Create(ctx context.Context, se store.Session) error {
	err := inserted(s.q.ExecContext(ctx, `INSERT INTO sessions (`+sessionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		se.Hash, se.ActorID, se.ActorName, se.Role, se.AccountID, micros(se.CreatedAt), micros(se.ExpiresAt)))
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	return nil
}

func (s sessions) ByHash(ctx context.Context, hash []byte) (store.Session, error) {
	var se store.Session
	var created, expires int64
	err := s.q.QueryRowContext(ctx, "SELECT "+sessionCols+" FROM sessions WHERE hash = $1", hash).
		Scan(&se.Hash, &se.ActorID, &se.ActorName, &se.Role, &se.AccountID, &created, &expires)
	if err != nil {
		return store.Session{}, fmt.Errorf("session: %w", notFound(err))
	}
	se.CreatedAt, se.ExpiresAt = fromMicros(created), fromMicros(expires)
	return se, nil
}

func (s sessions) Delete(ctx context.Context, hash []byte) error {
	_, err := s.q.ExecContext(ctx, "DELETE FROM sessions WHERE hash = $1", hash)
	return err
}

func (s sessions) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.q.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", micros(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
