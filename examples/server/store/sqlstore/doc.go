// Package sqlstore is the database/sql implementation of store.Store, for
// SQLite (modernc.org/sqlite, pure Go) and PostgreSQL (pgx through its
// database/sql adapter). One set of queries serves both: they use $N
// placeholders and ON CONFLICT, which both dialects read the same way.
//
// SQLite runs in WAL mode with a busy timeout, NORMAL synchronous and
// foreign keys, behind two pools: one writer connection, owned by a group
// committer that runs the write transactions of concurrent callers in one
// IMMEDIATE transaction, each in its own savepoint, and commits them
// together (see [DB.InTx]); and a pool of query-only readers. A connection
// of its own checkpoints the log, off the writer's path. Every query
// is prepared once. [DB.SaveDeal] writes a deal's move in one statement on
// PostgreSQL. PostgreSQL uses one pool for both, a transaction per
// InTx, and pgx's own statement cache.
//
// The outbox is claimed with a lease: a claim moves a message's next
// attempt past the time its delivery may take, with FOR UPDATE SKIP LOCKED
// on PostgreSQL so that dispatchers in several processes never take the
// same message at once.
//
// Migrations are embedded and versioned per dialect, applied with goose at
// Open (or alone with Migrate).
package sqlstore
