package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord/examples/server/store"
)

// querier is what a transaction and a pool have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// access implements store.Tx and every document interface over a querier.
type access struct {
	q       querier
	dialect Dialect
}

func (a *access) Deals() store.Deals         { return deals{a.q} }
func (a *access) Scopes() store.Scopes       { return scopes{a.q} }
func (a *access) Contracts() store.Contracts { return contracts{a.q} }
func (a *access) Events() store.Events       { return events{a.q} }
func (a *access) Outbox() store.Outbox       { return outbox{a.q, a.dialect} }
func (a *access) Tokens() store.Tokens       { return tokens{a.q} }
func (a *access) Proposals() store.Proposals { return proposals{a.q} }
func (a *access) Sessions() store.Sessions   { return sessions{a.q} }
func (a *access) Policies() store.Policies   { return policies{a.q} }

// Times are stored as Unix microseconds, 0 for the zero time, so that both
// dialects store and compare them the same way.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// one maps the affected rows of an insert that does nothing on a conflict.
func inserted(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrExists
	}
	return nil
}

// updated maps the affected rows of a versioned update: none means the
// document is missing or was written since; exists tells which.
func updated(ctx context.Context, q querier, table, id string, res sql.Result, err error) error {
	return updatedKey(ctx, q, table, "id", id, res, err)
}

// updatedKey is updated for a table keyed by the column key.
func updatedKey(ctx context.Context, q querier, table, key, id string, res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var one int
	err = q.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE "+key+" = $1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	return store.ErrStale
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// where builds a WHERE clause from the non-empty conditions.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(w.args))))
}

func (w *where) eq(col, v string) {
	if v != "" {
		w.add(col+" = ?", v)
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func (w *where) limit(n int) string {
	if n <= 0 {
		return ""
	}
	w.args = append(w.args, n)
	return " LIMIT $" + strconv.Itoa(len(w.args))
}

type deals struct{ q querier }

const dealCols = "id, account_id, owner, segment, stage, rev, updated_at, doc"

func scanDeal(s interface{ Scan(...any) error }) (store.Deal, error) {
	var d store.Deal
	var at int64
	err := s.Scan(&d.ID, &d.AccountID, &d.Owner, &d.Segment, &d.Stage, &d.Rev, &at, &d.Doc)
	d.UpdatedAt = fromMicros(at)
	return d, err
}

func (t deals) Create(ctx context.Context, d store.Deal) (int64, error) {
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO deals (`+dealCols+`)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7) ON CONFLICT (id) DO NOTHING`,
		d.ID, d.AccountID, d.Owner, d.Segment, d.Stage, micros(d.UpdatedAt), d.Doc))
	if err != nil {
		return 0, fmt.Errorf("deal %s: %w", d.ID, err)
	}
	return 1, nil
}

func (t deals) Get(ctx context.Context, id string) (store.Deal, error) {
	d, err := scanDeal(t.q.QueryRowContext(ctx, "SELECT "+dealCols+" FROM deals WHERE id = $1", id))
	if err != nil {
		return store.Deal{}, fmt.Errorf("deal %s: %w", id, notFound(err))
	}
	return d, nil
}

func (t deals) Update(ctx context.Context, d, was store.Deal) (int64, error) {
	// Setting an indexed column rewrites its index entry even to the same
	// value; on SQLite that is most of what an update costs. At most 16
	// statements come of this, each prepared once.
	q := "UPDATE deals SET rev = rev + 1, updated_at = $1, doc = $2"
	args := []any{micros(d.UpdatedAt), d.Doc, d.ID, d.Rev}
	for _, c := range []struct {
		col      string
		now, was string
	}{{"account_id", d.AccountID, was.AccountID}, {"owner", d.Owner, was.Owner},
		{"segment", d.Segment, was.Segment}, {"stage", d.Stage, was.Stage}} {
		if c.now != c.was || was.ID == "" {
			args = append(args, c.now)
			q += ", " + c.col + " = $" + strconv.Itoa(len(args))
		}
	}
	res, err := t.q.ExecContext(ctx, q+" WHERE id = $3 AND rev = $4", args...)
	if err := updated(ctx, t.q, "deals", d.ID, res, err); err != nil {
		return 0, fmt.Errorf("deal %s: %w", d.ID, err)
	}
	return d.Rev + 1, nil
}

func (t deals) List(ctx context.Context, f store.DealFilter) ([]store.Deal, error) {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("owner", f.Owner)
	w.eq("segment", f.Segment)
	w.eq("stage", f.Stage)
	if f.After != "" {
		w.add("id > ?", f.After)
	}
	q := "SELECT " + dealCols + " FROM deals" + w.sql() + " ORDER BY id"
	q += w.limit(f.Limit)
	rows, err := t.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Deal
	for rows.Next() {
		d, err := scanDeal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

type scopes struct{ q querier }

const scopeCols = "id, deal_id, account_id, status, revision, rev, updated_at, doc, capacity"

func scanScope(s interface{ Scan(...any) error }) (store.Scope, error) {
	var sc store.Scope
	var at int64
	err := s.Scan(&sc.ID, &sc.DealID, &sc.AccountID, &sc.Status, &sc.Revision, &sc.Rev, &at, &sc.Doc, &sc.Capacity)
	sc.UpdatedAt = fromMicros(at)
	return sc, err
}

func (t scopes) Create(ctx context.Context, s store.Scope) (int64, error) {
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO scopes (`+scopeCols+`)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
		s.ID, s.DealID, s.AccountID, s.Status, s.Revision, micros(s.UpdatedAt), s.Doc, nullable(s.Capacity)))
	if err != nil {
		return 0, fmt.Errorf("scope %s: %w", s.ID, err)
	}
	return 1, nil
}

func (t scopes) Get(ctx context.Context, id string) (store.Scope, error) {
	s, err := scanScope(t.q.QueryRowContext(ctx, "SELECT "+scopeCols+" FROM scopes WHERE id = $1", id))
	if err != nil {
		return store.Scope{}, fmt.Errorf("scope %s: %w", id, notFound(err))
	}
	return s, nil
}

func (t scopes) Update(ctx context.Context, s store.Scope) (int64, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE scopes SET status = $1, revision = $2, rev = rev + 1,
		updated_at = $3, doc = $4, capacity = $7 WHERE id = $5 AND rev = $6`,
		s.Status, s.Revision, micros(s.UpdatedAt), s.Doc, s.ID, s.Rev, nullable(s.Capacity))
	if err := updated(ctx, t.q, "scopes", s.ID, res, err); err != nil {
		return 0, fmt.Errorf("scope %s: %w", s.ID, err)
	}
	return s.Rev + 1, nil
}

func (t scopes) ByDeal(ctx context.Context, dealID string) ([]store.Scope, error) {
	rows, err := t.q.QueryContext(ctx, "SELECT "+scopeCols+" FROM scopes WHERE deal_id = $1 ORDER BY id", dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Scope
	for rows.Next() {
		s, err := scanScope(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t scopes) AddRevision(ctx context.Context, r store.ScopeRevision) error {
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO scope_revisions (scope_id, revision, digest, at, by_actor, doc)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope_id, revision) DO NOTHING`,
		r.ScopeID, r.Revision, r.Digest, micros(r.At), r.By, r.Doc))
	if err != nil {
		return fmt.Errorf("scope %s revision %d: %w", r.ScopeID, r.Revision, err)
	}
	return nil
}

const revisionCols = "scope_id, revision, digest, at, by_actor, doc"

func scanRevision(s interface{ Scan(...any) error }) (store.ScopeRevision, error) {
	var r store.ScopeRevision
	var at int64
	err := s.Scan(&r.ScopeID, &r.Revision, &r.Digest, &at, &r.By, &r.Doc)
	r.At = fromMicros(at)
	return r, err
}

func (t scopes) Revision(ctx context.Context, scopeID string, revision int) (store.ScopeRevision, error) {
	r, err := scanRevision(t.q.QueryRowContext(ctx, "SELECT "+revisionCols+
		" FROM scope_revisions WHERE scope_id = $1 AND revision = $2", scopeID, revision))
	if err != nil {
		return store.ScopeRevision{}, fmt.Errorf("scope %s revision %d: %w", scopeID, revision, notFound(err))
	}
	return r, nil
}

func (t scopes) Revisions(ctx context.Context, scopeID string) ([]store.ScopeRevision, error) {
	rows, err := t.q.QueryContext(ctx, "SELECT "+revisionCols+
		" FROM scope_revisions WHERE scope_id = $1 ORDER BY revision", scopeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ScopeRevision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// nullable stores an absent document as NULL.
func nullable(doc []byte) any {
	if doc == nil {
		return nil
	}
	return doc
}

type proposals struct{ q querier }

const proposalCols = "deal_id, id, rev, updated_at, doc"

func (t proposals) Create(ctx context.Context, p store.Proposal) (int64, error) {
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO proposals (`+proposalCols+`)
		VALUES ($1, $2, 1, $3, $4) ON CONFLICT (deal_id) DO NOTHING`,
		p.DealID, p.ID, micros(p.UpdatedAt), p.Doc))
	if err != nil {
		return 0, fmt.Errorf("proposal of deal %s: %w", p.DealID, err)
	}
	return 1, nil
}

func (t proposals) Get(ctx context.Context, dealID string) (store.Proposal, error) {
	var p store.Proposal
	var at int64
	err := t.q.QueryRowContext(ctx, "SELECT "+proposalCols+" FROM proposals WHERE deal_id = $1", dealID).
		Scan(&p.DealID, &p.ID, &p.Rev, &at, &p.Doc)
	if err != nil {
		return store.Proposal{}, fmt.Errorf("proposal of deal %s: %w", dealID, notFound(err))
	}
	p.UpdatedAt = fromMicros(at)
	return p, nil
}

func (t proposals) Update(ctx context.Context, p store.Proposal) (int64, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE proposals SET id = $1, rev = rev + 1, updated_at = $2, doc = $3
		WHERE deal_id = $4 AND rev = $5`, p.ID, micros(p.UpdatedAt), p.Doc, p.DealID, p.Rev)
	if err := updatedKey(ctx, t.q, "proposals", "deal_id", p.DealID, res, err); err != nil {
		return 0, fmt.Errorf("proposal of deal %s: %w", p.DealID, err)
	}
	return p.Rev + 1, nil
}

type contracts struct{ q querier }

const contractCols = "id, deal_id, account_id, owner, status, renewal, rev, updated_at, doc"

func scanContract(s interface{ Scan(...any) error }) (store.Contract, error) {
	var c store.Contract
	var at int64
	err := s.Scan(&c.ID, &c.DealID, &c.AccountID, &c.Owner, &c.Status, &c.Renewal, &c.Rev, &at, &c.Doc)
	c.UpdatedAt = fromMicros(at)
	return c, err
}

func (t contracts) Create(ctx context.Context, c store.Contract) (int64, error) {
	// A second contract for the same deal conflicts on deal_id as well.
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO contracts (`+contractCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) ON CONFLICT DO NOTHING`,
		c.ID, c.DealID, c.AccountID, c.Owner, c.Status, c.Renewal, micros(c.UpdatedAt), c.Doc))
	if err != nil {
		return 0, fmt.Errorf("contract %s: %w", c.ID, err)
	}
	return 1, nil
}

func (t contracts) Get(ctx context.Context, id string) (store.Contract, error) {
	c, err := scanContract(t.q.QueryRowContext(ctx, "SELECT "+contractCols+" FROM contracts WHERE id = $1", id))
	if err != nil {
		return store.Contract{}, fmt.Errorf("contract %s: %w", id, notFound(err))
	}
	return c, nil
}

func (t contracts) ByDeal(ctx context.Context, dealID string) (store.Contract, error) {
	c, err := scanContract(t.q.QueryRowContext(ctx, "SELECT "+contractCols+" FROM contracts WHERE deal_id = $1", dealID))
	if err != nil {
		return store.Contract{}, fmt.Errorf("contract of deal %s: %w", dealID, notFound(err))
	}
	return c, nil
}

func (t contracts) Update(ctx context.Context, c store.Contract) (int64, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE contracts SET owner = $1, status = $2, renewal = $3,
		rev = rev + 1, updated_at = $4, doc = $5 WHERE id = $6 AND rev = $7`,
		c.Owner, c.Status, c.Renewal, micros(c.UpdatedAt), c.Doc, c.ID, c.Rev)
	if err := updated(ctx, t.q, "contracts", c.ID, res, err); err != nil {
		return 0, fmt.Errorf("contract %s: %w", c.ID, err)
	}
	return c.Rev + 1, nil
}

func (t contracts) List(ctx context.Context, f store.ContractFilter) ([]store.Contract, error) {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("status", f.Status)
	if f.RenewalBefore != "" {
		w.add("renewal < ?", f.RenewalBefore)
	}
	if f.After != "" {
		w.add("id > ?", f.After)
	}
	q := "SELECT " + contractCols + " FROM contracts" + w.sql() + " ORDER BY id"
	q += w.limit(f.Limit)
	rows, err := t.q.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Contract
	for rows.Next() {
		c, err := scanContract(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type events struct{ q querier }

func (t events) Append(ctx context.Context, es []store.Event) error {
	for _, e := range es {
		err := inserted(t.q.ExecContext(ctx, `INSERT INTO events (subject, subject_id, seq, kind, at, actor_id, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (subject, subject_id, seq) DO NOTHING`,
			e.Subject, e.SubjectID, e.Seq, e.Kind, micros(e.At), e.ActorID, e.Doc))
		if err != nil {
			return fmt.Errorf("event %s %s #%d: %w", e.Subject, e.SubjectID, e.Seq, err)
		}
	}
	return nil
}

func (t events) List(ctx context.Context, subject, subjectID string) ([]store.Event, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT subject, subject_id, seq, kind, at, actor_id, doc
		FROM events WHERE subject = $1 AND subject_id = $2 ORDER BY seq`, subject, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var e store.Event
		var at int64
		if err := rows.Scan(&e.Subject, &e.SubjectID, &e.Seq, &e.Kind, &at, &e.ActorID, &e.Doc); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

type outbox struct {
	q       querier
	dialect Dialect
}

const messageCols = "key, kind, subject, subject_id, created_at, payload, attempts, next_at, delivered_at, gave_up_at, last_error"

func scanMessage(s interface{ Scan(...any) error }) (store.Message, error) {
	var m store.Message
	var created, next, delivered, gaveUp int64
	err := s.Scan(&m.Key, &m.Kind, &m.Subject, &m.SubjectID, &created, &m.Payload, &m.Attempts, &next, &delivered, &gaveUp, &m.LastError)
	m.CreatedAt, m.NextAt, m.DeliveredAt, m.GaveUpAt = fromMicros(created), fromMicros(next), fromMicros(delivered), fromMicros(gaveUp)
	return m, err
}

func scanMessages(rows *sql.Rows, err error) ([]store.Message, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// pending is the condition of the messages still to deliver that are due.
const pending = "delivered_at = 0 AND gave_up_at = 0 AND next_at <= $1"

func (t outbox) Enqueue(ctx context.Context, ms []store.Message) (int, error) {
	n := 0
	for _, m := range ms {
		next := m.NextAt
		if next.IsZero() {
			next = m.CreatedAt
		}
		err := inserted(t.q.ExecContext(ctx, `INSERT INTO outbox (key, kind, subject, subject_id, created_at, payload, next_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
			m.Key, m.Kind, m.Subject, m.SubjectID, micros(m.CreatedAt), m.Payload, micros(next)))
		switch {
		case errors.Is(err, store.ErrExists):
		case err != nil:
			return n, fmt.Errorf("outbox %s: %w", m.Key, err)
		default:
			n++
		}
	}
	return n, nil
}

func (t outbox) Pending(ctx context.Context, now time.Time, limit int) ([]store.Message, error) {
	return scanMessages(t.q.QueryContext(ctx, "SELECT "+messageCols+
		" FROM outbox WHERE "+pending+" ORDER BY created_at, key LIMIT $2", micros(now), limit))
}

// Claim moves the due messages' NextAt to until in one statement. On
// PostgreSQL, FOR UPDATE SKIP LOCKED makes a concurrent claim pass over the
// rows this one is taking instead of waiting for them, and a row claimed and
// committed meanwhile is checked again against the condition, so it is not
// taken twice. On SQLite the single writer serialises claims.
func (t outbox) Claim(ctx context.Context, now, until time.Time, limit int) ([]store.Message, error) {
	lock := ""
	if t.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	ms, err := scanMessages(t.q.QueryContext(ctx, "UPDATE outbox SET next_at = $3 WHERE key IN (SELECT key FROM outbox WHERE "+
		pending+" ORDER BY created_at, key LIMIT $2"+lock+") RETURNING "+messageCols, micros(now), limit, micros(until)))
	slices.SortFunc(ms, func(a, b store.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.Key, b.Key))
	})
	return ms, err
}

func (t outbox) Get(ctx context.Context, key string) (store.Message, error) {
	m, err := scanMessage(t.q.QueryRowContext(ctx, "SELECT "+messageCols+" FROM outbox WHERE key = $1", key))
	if err != nil {
		return store.Message{}, fmt.Errorf("outbox %s: %w", key, notFound(err))
	}
	return m, nil
}

func (t outbox) Delivered(ctx context.Context, key string, at time.Time) error {
	return t.set(ctx, key, `UPDATE outbox SET delivered_at = $1, attempts = attempts + 1 WHERE key = $2`, micros(at), key)
}

func (t outbox) Failed(ctx context.Context, key, reason string, next time.Time) error {
	return t.set(ctx, key, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE key = $3`,
		reason, micros(next), key)
}

func (t outbox) GiveUp(ctx context.Context, key, reason string, at time.Time) error {
	return t.set(ctx, key, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, gave_up_at = $2 WHERE key = $3`,
		reason, micros(at), key)
}

func (t outbox) set(ctx context.Context, key, q string, args ...any) error {
	res, err := t.q.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("outbox %s: %w", key, store.ErrNotFound)
	}
	return nil
}

type tokens struct{ q querier }

const tokenCols = "id, prefix, hash, actor_id, actor_name, role, account_id, created_at"

func scanToken(s interface{ Scan(...any) error }) (store.Token, error) {
	var t store.Token
	var at int64
	err := s.Scan(&t.ID, &t.Prefix, &t.Hash, &t.ActorID, &t.ActorName, &t.Role, &t.AccountID, &at)
	t.CreatedAt = fromMicros(at)
	return t, err
}

func (t tokens) Create(ctx context.Context, tk store.Token) error {
	err := inserted(t.q.ExecContext(ctx, `INSERT INTO tokens (`+tokenCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		tk.ID, tk.Prefix, tk.Hash, tk.ActorID, tk.ActorName, tk.Role, tk.AccountID, micros(tk.CreatedAt)))
	if err != nil {
		return fmt.Errorf("token %s: %w", tk.ID, err)
	}
	return nil
}

func (t tokens) ByHash(ctx context.Context, hash []byte) (store.Token, error) {
	tk, err := scanToken(t.q.QueryRowContext(ctx, "SELECT "+tokenCols+" FROM tokens WHERE hash = $1", hash))
	if err != nil {
		return store.Token{}, fmt.Errorf("token: %w", notFound(err))
	}
	return tk, nil
}

func (t tokens) List(ctx context.Context) ([]store.Token, error) {
	rows, err := t.q.QueryContext(ctx, "SELECT "+tokenCols+" FROM tokens ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Token
	for rows.Next() {
		tk, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}
