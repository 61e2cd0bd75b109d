// Package sqlstore is the database/sql implementation of store.Store, for
// SQLite (modernc.org/sqlite, pure Go) and PostgreSQL (pgx through its
// database/sql adapter). One set of queries serves both: they use $N
// placeholders and ON CONFLICT, which both dialects read the same way.
//
// SQLite runs in WAL mode with a busy timeout, NORMAL synchronous and
// foreign keys, behind two pools: one writer connection whose transactions
// begin IMMEDIATE (so a transaction that would upgrade to a write never
// fails half-way with SQLITE_BUSY), and a pool of query-only readers.
// PostgreSQL uses one pool for both.
//
// Migrations are embedded and versioned per dialect, applied with goose at
// Open (or alone with Migrate).
package sqlstore
