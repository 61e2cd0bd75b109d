package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/accordhq/accord/examples/server/store"
	"github.com/jackc/pgx/v5/pgconn"
)

// SaveDeal writes the update of a deal (as Deals.Update: d at revision
// d.Rev, was as read), its events (as Events.Append) and its messages (as
// Outbox.Enqueue) together, and returns the deal's new revision: what a
// transaction of those three calls does, in fewer round trips.
//
// On PostgreSQL it is one statement, whose data-modifying CTEs run in the
// statement's own transaction: a BEGIN, an UPDATE, an INSERT per table and
// a COMMIT were five round trips to the server, this is one (and a second
// only when the update is refused, to tell a stale revision from a missing
// deal). The events and messages are inserted only if the update matched;
// an event at a position already taken fails the whole statement, so
// nothing of it is written. On SQLite it is a transaction of the group
// committer, as InTx.
func (db *DB) SaveDeal(ctx context.Context, d, was store.Deal, es []store.Event, ms []store.Message) (rev int64, err error) {
	if db.dialect != Postgres {
		err = db.InTx(ctx, func(tx store.Tx) error {
			if rev, err = tx.Deals().Update(ctx, d, was); err != nil {
				return err
			}
			if len(es) > 0 {
				if err := tx.Events().Append(ctx, es); err != nil {
					return err
				}
			}
			if len(ms) > 0 {
				if _, err := tx.Outbox().Enqueue(ctx, ms); err != nil {
					return err
				}
			}
			return nil
		})
		return rev, err
	}
	var q strings.Builder
	args := []any{micros(d.UpdatedAt), d.Doc, d.ID, d.Rev}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q.WriteString("WITH u AS (UPDATE deals SET rev = rev + 1, updated_at = $1, doc = $2")
	for _, c := range []struct {
		col      string
		now, was string
	}{{"account_id", d.AccountID, was.AccountID}, {"owner", d.Owner, was.Owner},
		{"segment", d.Segment, was.Segment}, {"stage", d.Stage, was.Stage}} {
		if c.now != c.was || was.ID == "" {
			q.WriteString(", " + c.col + " = " + arg(c.now))
		}
	}
	q.WriteString(" WHERE id = $3 AND rev = $4 RETURNING rev)")
	if len(es) > 0 {
		q.WriteString(", e AS (INSERT INTO events (subject, subject_id, seq, kind, at, actor_id, doc) SELECT v.* FROM u, (VALUES ")
		for i, e := range es {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "(%s::text, %s::text, %s::integer, %s::text, %s::bigint, %s::text, %s::jsonb)",
				arg(e.Subject), arg(e.SubjectID), arg(e.Seq), arg(e.Kind), arg(micros(e.At)), arg(e.ActorID), arg(e.Doc))
		}
		q.WriteString(") AS v)")
	}
	if len(ms) > 0 {
		q.WriteString(", o AS (INSERT INTO outbox (key, kind, subject, subject_id, created_at, payload, next_at) SELECT v.* FROM u, (VALUES ")
		for i, m := range ms {
			if i > 0 {
				q.WriteString(", ")
			}
			next := m.NextAt
			if next.IsZero() {
				next = m.CreatedAt
			}
			fmt.Fprintf(&q, "(%s::text, %s::text, %s::text, %s::text, %s::bigint, %s::jsonb, %s::bigint)",
				arg(m.Key), arg(m.Kind), arg(m.Subject), arg(m.SubjectID), arg(micros(m.CreatedAt)), arg(m.Payload), arg(micros(next)))
		}
		q.WriteString(") AS v ON CONFLICT (key) DO NOTHING)")
	}
	q.WriteString(" SELECT rev FROM u")
	found := false
	rows, err := db.writer.QueryContext(ctx, q.String(), args...)
	if err == nil {
		if found = rows.Next(); found {
			err = rows.Scan(&rev)
		}
		// The statement's failure, such as a taken event position, may
		// come after the row.
		err = errors.Join(err, rows.Close(), rows.Err())
	}
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "events_pkey":
		e := es[0]
		return 0, fmt.Errorf("event %s %s #%d: %w", e.Subject, e.SubjectID, e.Seq, store.ErrExists)
	case err != nil:
		return 0, fmt.Errorf("deal %s: %w", d.ID, err)
	case !found:
		return 0, fmt.Errorf("deal %s: %w", d.ID, updatedKey(ctx, db.reader, "deals", "id", d.ID, noRows{}, nil))
	}
	return rev, nil
}

// noRows is the result of a statement that changed nothing.
type noRows struct{}

func (noRows) LastInsertId() (int64, error) { return 0, nil }
func (noRows) RowsAffected() (int64, error) { return 0, nil }
