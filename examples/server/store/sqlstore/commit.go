package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"

	"github.com/accordhq/accord/examples/server/store"
)

// SQLite has one writer: transactions run one after another whatever the
// number of connections. What one transaction costs is then mostly its
// commit, so the writer commits the transactions of concurrent requests
// together (group commit). The committer takes every transaction waiting
// when it is free, runs them one after another in one database
// transaction, each inside its own savepoint, and commits once:
//
//   - a transaction whose fn fails (or panics) is rolled back to its
//     savepoint and the others of its group are kept;
//   - no caller hears of success before the group's COMMIT returned, and
//     if the commit fails every transaction of the group fails with it;
//   - a caller whose context ends before its turn is never run.
//
// The committer owns the writer's one connection and keeps its prepared
// statements for as long as it runs.

// maxGroup bounds how many transactions are committed together, so that
// one group does not keep its first caller waiting for long.
const maxGroup = 64

// errClosed is returned by InTx once the store is closed.
var errClosed = errors.New("sqlstore: closed")

type committer struct {
	// ckpt, when set, is told of every commit (see checkpoint.go).
	ckpt *checkpointer
	reqs chan *request
	quit chan struct{}
	done chan struct{}
}

type request struct {
	ctx      context.Context
	fn       func(store.Tx) error
	err      error
	panicked bool
	panicVal any
	done     chan struct{}
}

func startCommitter(ctx context.Context, writer *sql.DB, ckpt *checkpointer) (*committer, error) {
	conn, err := writer.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if ckpt != nil {
		// The checkpointer checkpoints instead of the writer.
		if _, err := conn.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
			conn.Close()
			return nil, err
		}
	}
	c := &committer{ckpt: ckpt, reqs: make(chan *request), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop(&connStmts{conn: conn, stmts: map[string]*sql.Stmt{}})
	return c, nil
}

// do runs fn in the next group and waits for the group's commit.
func (c *committer) do(ctx context.Context, fn func(store.Tx) error) error {
	r := &request{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case c.reqs <- r:
	case <-c.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	<-r.done
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// stop lets the group in progress finish and stops the committer.
func (c *committer) stop() {
	close(c.quit)
	<-c.done
}

func (c *committer) loop(cs *connStmts) {
	defer close(c.done)
	defer func() {
		cs.close()
		cs.conn.Close()
	}()
	group := make([]*request, 0, maxGroup)
	for {
		select {
		case r := <-c.reqs:
			group = append(group[:0], r)
		case <-c.quit:
			return
		}
		// Let the requests that are about to ask join this group.
		runtime.Gosched()
	gather:
		for len(group) < maxGroup {
			select {
			case r := <-c.reqs:
				group = append(group, r)
			default:
				break gather
			}
		}
		c.commit(cs, group)
		if c.ckpt != nil {
			c.ckpt.committed()
		}
		for _, r := range group {
			close(r.done)
		}
		clear(group)
	}
}

// commit runs one group in one transaction.
func (c *committer) commit(cs *connStmts, group []*request) {
	bg := context.Background()
	exec := func(q string) error {
		_, err := cs.ExecContext(bg, q)
		return err
	}
	// fail gives every transaction of the group that has not failed on its
	// own the error err.
	fail := func(err error) {
		for _, r := range group {
			if r.err == nil && !r.panicked {
				r.err = err
			}
		}
	}
	if err := exec("BEGIN IMMEDIATE"); err != nil {
		fail(fmt.Errorf("sqlstore: begin: %w", err))
		return
	}
	tx := &access{q: cs, dialect: SQLite}
	if len(group) == 1 {
		// Alone, the transaction needs no savepoint: its failure is the
		// group's.
		r := group[0]
		if r.err = r.ctx.Err(); r.err == nil {
			r.panicked, r.panicVal, r.err = call(r.fn, tx)
		}
		if r.err != nil || r.panicked {
			exec("ROLLBACK")
			return
		}
		if err := exec("COMMIT"); err != nil {
			exec("ROLLBACK")
			fail(fmt.Errorf("sqlstore: commit: %w", err))
		}
		return
	}
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if err := exec("SAVEPOINT request"); err != nil {
			exec("ROLLBACK")
			fail(fmt.Errorf("sqlstore: savepoint: %w", err))
			return
		}
		r.panicked, r.panicVal, r.err = call(r.fn, tx)
		if r.err != nil || r.panicked {
			if err := exec("ROLLBACK TO request"); err != nil {
				exec("ROLLBACK")
				fail(fmt.Errorf("sqlstore: rollback of a request: %w", err))
				return
			}
		}
		if err := exec("RELEASE request"); err != nil {
			exec("ROLLBACK")
			fail(fmt.Errorf("sqlstore: release after request %d of %d: %w", i+1, len(group), err))
			return
		}
	}
	if err := exec("COMMIT"); err != nil {
		exec("ROLLBACK")
		fail(fmt.Errorf("sqlstore: commit: %w", err))
	}
}

// call runs fn, catching a panic so that the caller's goroutine can raise
// it again.
func call(fn func(store.Tx) error, tx store.Tx) (panicked bool, val any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked, val = true, p
		}
	}()
	return false, nil, fn(tx)
}
