package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// Every query is prepared once and its statement kept: parsing and planning
// a statement costs about as much on SQLite as running a small one. (pgx
// already keeps a statement cache per connection, so PostgreSQL's pool is
// used as it is.)

// poolStmts runs queries on a pool through statements prepared on it; the
// pool prepares each on a connection when it is first used there.
type poolStmts struct {
	db    *sql.DB
	stmts sync.Map // query -> *sql.Stmt
}

func (p *poolStmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := p.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := p.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

func (p *poolStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (p *poolStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (p *poolStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := p.stmt(ctx, query)
	if err != nil {
		// A Row cannot be made with an error; the query itself reports it.
		return p.db.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (p *poolStmts) close() {
	p.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
}

// connStmts runs queries on one connection through statements prepared on
// it. Only the goroutine that owns the connection uses it.
//
// It runs them whatever becomes of the caller's context: the connection is
// the group committer's, and SQLite answers a statement interrupted inside
// a transaction by rolling back the whole transaction, which would undo the
// other callers' writes of the group. (The committer does not start a
// caller's work once its context has ended.) This also spares the driver a
// goroutine per statement to watch the context.
type connStmts struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

func (c *connStmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

func (c *connStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (c *connStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = context.WithoutCancel(ctx)
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (c *connStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.conn.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (c *connStmts) close() {
	for _, s := range c.stmts {
		s.Close()
	}
}
