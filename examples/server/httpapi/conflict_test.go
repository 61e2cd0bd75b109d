package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/internal/loadtest"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

func TestConflictingMovesHaveOneWinnerPerRevision(t *testing.T) {
	run := func(t *testing.T, addr string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		a := app.New(app.Config{Store: db})
		tok, _, err := a.CreateToken(ctx, app.TokenSpec{ActorID: "u-rep", Name: "Asha", Role: "sales_rep"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateDeal(ctx, rep, []byte(benchDeal("d-contested"))); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.New(a, slog.New(slog.NewTextHandler(io.Discard, nil))))
		defer srv.Close()
		c := &loadtest.Client{HTTP: &http.Client{}, Token: tok}
		attempts := loadtest.Conflicts(t, c, []string{srv.URL}, "d-contested", 8, 12)
		loadtest.Check(t, c, srv.URL, "d-contested", attempts)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, pgtest.Start(t).Database(t)) })
}
