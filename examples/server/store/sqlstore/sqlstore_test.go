package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
	"github.com/accordhq/accord/examples/server/store/storetest"
)

func open(t *testing.T, addr string) store.Store {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), addr)
	if err != nil {
		t.Fatalf("Open(%s): %v", addr, err)
	}
	return db
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, "sqlite:"+filepath.Join(t.TempDir(), "accord.db"))
	})
}

func TestPostgres(t *testing.T) {
	c := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, c.Database(t))
	})
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		addr, dialect, dsn, err string
	}{
		{"sqlite:accord.db", "sqlite", "accord.db", ""},
		{"postgres://u@127.0.0.1/x", "postgres", "postgres://u@127.0.0.1/x", ""},
		{"postgresql://u@127.0.0.1/x", "postgres", "postgresql://u@127.0.0.1/x", ""},
		{"sqlite:", "", "", "sqlstore: sqlite: needs a file, as in sqlite:accord.db"},
		{"mysql://u:secret@h/x", "", "", `sqlstore: unknown database "mysql://u:xxxxx@h/x": want sqlite:FILE or a postgres:// URL`},
	} {
		d, dsn, err := sqlstore.Parse(tc.addr)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if string(d) != tc.dialect || dsn != tc.dsn || msg != tc.err {
			t.Errorf("Parse(%q) = %q, %q, %q; want %q, %q, %q", tc.addr, d, dsn, msg, tc.dialect, tc.dsn, tc.err)
		}
	}
}

func TestMigrateReportsVersion(t *testing.T) {
	addr := "sqlite:" + filepath.Join(t.TempDir(), "accord.db")
	for range 2 {
		v, err := sqlstore.Migrate(context.Background(), addr)
		if err != nil || v != 6 {
			t.Fatalf("Migrate = %d, %v; want 6, nil", v, err)
		}
	}
}
