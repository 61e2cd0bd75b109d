package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// SQLite appends every commit to the write-ahead log and copies the log
// back into the database file at a checkpoint. Left to itself it
// checkpoints in the connection whose commit took the log past 1000 pages,
// before that commit returns: the single writer, and every caller of its
// group, then waits for the copy and its fsyncs, which on a busy disk take
// tens or hundreds of milliseconds. So the writer's own checkpoints are
// turned off and a checkpointer runs them on a connection of its own,
// PASSIVE, which copies what no reader still needs without taking the
// writer's lock: commits go on while it copies.
//
// Nothing of this decides when a write is acknowledged: a commit is in the
// log when COMMIT returns, checkpointed or not, and a crash replays the log
// at the next open.

// checkpointEvery is how often at most the checkpointer runs, while
// commits come in.
const checkpointEvery = 50 * time.Millisecond

type checkpointer struct {
	db   *sql.DB
	kick chan struct{}
	quit chan struct{}
	done chan struct{}
}

func startCheckpointer(dsn string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

// committed tells the checkpointer that the log grew; it never waits.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-c.kick:
		case <-c.quit:
			return
		}
		// A failed checkpoint (a reader still on old pages, a busy disk) is
		// tried again at the next commit: the log is only longer meanwhile.
		c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		t.Reset(checkpointEvery)
		select {
		case <-t.C:
		case <-c.quit:
			return
		}
	}
}

// stop ends the checkpointer; the last connection to close checkpoints
// what is left.
func (c *checkpointer) stop() error {
	close(c.quit)
	<-c.done
	return c.db.Close()
}
