package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"

	"github.com/accordhq/accord/examples/server/store"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// Dialect names the SQL dialect of a database.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a store.Store over database/sql.
type DB struct {
	dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	// On SQLite: the group committer that owns the writer once the
	// migrations ran, and the reader pool's prepared statements.
	commit *committer
	reads  *poolStmts
	ckpt   *checkpointer
	// dsn is the driver's address of the database, on SQLite.
	dsn string
}

var _ store.Store = (*DB)(nil)

// sqlitePragmas are set on every SQLite connection.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"

// Parse splits a database address into its dialect and the driver's DSN:
// "sqlite:FILE" (FILE may be ":memory:" only for tests that use one
// connection) or "postgres://..." / "postgresql://...".
func Parse(addr string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(addr, "sqlite:"):
		file := strings.TrimPrefix(addr, "sqlite:")
		if file == "" {
			return "", "", errors.New("sqlstore: sqlite: needs a file, as in sqlite:accord.db")
		}
		return SQLite, file, nil
	case strings.HasPrefix(addr, "postgres://"), strings.HasPrefix(addr, "postgresql://"):
		return Postgres, addr, nil
	}
	return "", "", fmt.Errorf("sqlstore: unknown database %q: want sqlite:FILE or a postgres:// URL", redact(addr))
}

// redact hides a password in a database address.
func redact(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || u.User == nil {
		return addr
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open opens the database at addr (see Parse) and applies the migrations
// it lacks.
func Open(ctx context.Context, addr string) (*DB, error) {
	db, err := open(addr)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.dialect == SQLite {
		if db.ckpt, err = startCheckpointer("file:" + db.dsn + "?" + sqlitePragmas); err != nil {
			db.Close()
			return nil, err
		}
		if db.commit, err = startCommitter(ctx, db.writer, db.ckpt); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// Migrate applies the migrations the database at addr lacks, and reports
// the version it is at.
func Migrate(ctx context.Context, addr string) (int64, error) {
	db, err := open(addr)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := db.migrate(ctx); err != nil {
		return 0, err
	}
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Pool opens the database at addr as a plain database/sql pool with the
// settings of the store's writer: on SQLite the same pragmas and one
// connection, on PostgreSQL the same pool. It applies no migrations. It is
// for tools, and for measuring the store against the bare database.
func Pool(addr string) (*sql.DB, error) {
	db, err := open(addr)
	if err != nil {
		return nil, err
	}
	if db.reader != db.writer {
		db.reader.Close()
	}
	return db.writer, nil
}

func open(addr string) (*DB, error) {
	dialect, dsn, err := Parse(addr)
	if err != nil {
		return nil, err
	}
	switch dialect {
	case SQLite:
		w, err := sql.Open("sqlite", "file:"+dsn+"?"+sqlitePragmas+"&_txlock=immediate")
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+dsn+"?"+sqlitePragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, err
		}
		n := max(4, runtime.GOMAXPROCS(0))
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		return &DB{dialect: SQLite, writer: w, reader: r, reads: &poolStmts{db: r}, dsn: dsn}, nil
	default:
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(32)
		p.SetMaxIdleConns(32)
		return &DB{dialect: Postgres, writer: p, reader: p}, nil
	}
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	d := goose.DialectSQLite3
	if db.dialect == Postgres {
		d = goose.DialectPostgres
		// Replicas that start together take turns at migrating.
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	return goose.NewProvider(d, db.writer, sub, opts...)
}

func (db *DB) migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return nil
}

// Dialect reports the database's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close waits for the transactions in progress and closes both pools.
func (db *DB) Close() error {
	if db.commit != nil {
		db.commit.stop()
	}
	if db.reads != nil {
		db.reads.close()
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.stop()
	}
	err = errors.Join(err, db.writer.Close())
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// InTx runs fn in a write transaction: on SQLite in the group the
// committer commits next (see commit.go), on PostgreSQL in a transaction
// of its own.
func (db *DB) InTx(ctx context.Context, fn func(store.Tx) error) (err error) {
	if db.commit != nil {
		return db.commit.do(ctx, fn)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&access{q: tx, dialect: db.dialect}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// View runs fn on the reader pool, outside a transaction.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if db.reads != nil {
		return fn(&access{q: db.reads, dialect: db.dialect})
	}
	return fn(&access{q: db.reader, dialect: db.dialect})
}
