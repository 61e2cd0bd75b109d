package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

// The benchmarks below put the service beside the floor under it: the same
// deal document, the same database and settings, the same 16 concurrent
// clients. BenchmarkServerAdvance is one move over HTTP on loopback (auth,
// load, the library's decision, the save of the document with its event and
// actions, the response); BenchmarkStoreFloor is the bare versioned UPDATE
// of that document through database/sql. Run them together:
//
//	go test -run '^$' -bench 'ServerAdvance|StoreFloor' -benchtime 4000x ./httpapi

// clients is how many clients drive each benchmark at once.
const clients = 16

// benchDeal is a deal as a company keeps one, ready to leave targeting.
func benchDeal(id string) string {
	return `{"id":"` + id + `","account_id":"acme","account":"Acme Corporation","segment":"mid-market",
		"value":{"amount":"120000","currency":"USD"},
		"targeting":{"trigger":"new VP of Sales since January","hypothesis":"forecasts live in spreadsheets and take a day a week"},
		"stakeholders":[{"name":"Kim Park","title":"VP Sales","role":"champion","engaged":true},
			{"name":"Lee Chen","title":"CFO","role":"economic_buyer","engaged":false},
			{"name":"Ana Ruiz","title":"RevOps lead","role":"technical_evaluator","engaged":true}]}`
}

// backendsB runs fn against SQLite and PostgreSQL databases; each call of
// fn's open gives a new, migrated database.
func backendsB(b *testing.B, fn func(b *testing.B, addr func() string)) {
	b.Run("sqlite", func(b *testing.B) {
		fn(b, func() string { return "sqlite:" + filepath.Join(b.TempDir(), "bench.db") })
	})
	b.Run("postgres", func(b *testing.B) {
		c := pgtest.Start(b)
		fn(b, func() string { return c.Database(b) })
	})
}

func BenchmarkServerAdvance(b *testing.B) {
	backendsB(b, func(b *testing.B, addr func() string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, addr())
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		a := app.New(app.Config{Store: db})
		tok, _, err := a.CreateToken(ctx, app.TokenSpec{ActorID: "u-rep", Name: "Asha", Role: "sales_rep"})
		if err != nil {
			b.Fatal(err)
		}
		// One fresh deal per move, stored before the clock starts, so that
		// every move is the same move on the same document: copies of one
		// deal the library opened, under other IDs.
		tmpl, err := a.CreateDeal(ctx, rep, []byte(benchDeal("d-template")))
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, b.N)
		for i := range ids {
			ids[i] = fmt.Sprintf("d-%07d", i)
		}
		for chunk := range slices.Chunk(ids, 500) {
			err := db.InTx(ctx, func(tx store.Tx) error {
				for _, id := range chunk {
					_, err := tx.Deals().Create(ctx, store.Deal{ID: id, AccountID: "acme", Owner: rep.ID, Segment: "mid-market",
						Stage: string(tmpl.Value.Stage), Doc: bytes.Replace(tmpl.JSON, []byte(`"d-template"`), []byte(`"`+id+`"`), 1)})
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		var next atomic.Int64
		srv := httptest.NewServer(httpapi.New(a, slog.New(slog.NewJSONHandler(io.Discard, nil))))
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
		defer client.CloseIdleConnections()

		lat := make([][]time.Duration, 0, clients)
		var mu sync.Mutex
		b.SetParallelism(max(1, clients/runtimeProcs()))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			var mine []time.Duration
			for pb.Next() {
				id := ids[next.Add(1)-1]
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/deals/"+id+"/advance", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("If-Match", `"1"`)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(start))
				if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"2"` {
					b.Errorf("advance %s: %d ETag %s, want 200 \"2\"", id, resp.StatusCode, resp.Header.Get("ETag"))
					return
				}
			}
			mu.Lock()
			lat = append(lat, mine)
			mu.Unlock()
		})
		b.StopTimer()
		reportLatency(b, lat)
	})
}

func BenchmarkStoreFloor(b *testing.B) {
	backendsB(b, func(b *testing.B, addr func() string) {
		ctx := context.Background()
		where := addr()
		db, err := sqlstore.Open(ctx, where)
		if err != nil {
			b.Fatal(err)
		}
		// The document of a deal after the benchmarked move, stored for
		// every client.
		a := app.New(app.Config{Store: db})
		d, err := a.CreateDeal(ctx, rep, []byte(benchDeal("d-moved")))
		if err == nil {
			d, err = a.Advance(ctx, rep, d.Value.ID, d.Rev)
		}
		if err != nil {
			b.Fatal(err)
		}
		doc := d.JSON
		for i := range clients {
			if _, err := a.CreateDeal(ctx, rep, []byte(benchDeal(fmt.Sprintf("d-%02d", i)))); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
		pool, err := sqlstore.Pool(where)
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		update, err := pool.PrepareContext(ctx, `UPDATE deals SET doc = $1, rev = rev + 1, updated_at = $2 WHERE id = $3 AND rev = $4`)
		if err != nil {
			b.Fatal(err)
		}
		defer update.Close()
		var client atomic.Int64
		lat := make([][]time.Duration, 0, clients)
		var mu sync.Mutex
		b.SetParallelism(max(1, clients/runtimeProcs()))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			id := fmt.Sprintf("d-%02d", (client.Add(1)-1)%clients)
			rev := int64(1)
			var mine []time.Duration
			for pb.Next() {
				start := time.Now()
				res, err := update.ExecContext(ctx, doc, time.Now().UnixMicro(), id, rev)
				if err != nil {
					b.Error(err)
					return
				}
				if n, _ := res.RowsAffected(); n != 1 {
					b.Errorf("update of %s at %d: %d rows, want 1", id, rev, n)
					return
				}
				mine = append(mine, time.Since(start))
				rev++
			}
			mu.Lock()
			lat = append(lat, mine)
			mu.Unlock()
		})
		b.StopTimer()
		reportLatency(b, lat)
		b.ReportMetric(float64(len(doc)), "doc-bytes")
	})
}

// reportLatency reports the median and 99th percentile of the latencies.
func reportLatency(b *testing.B, per [][]time.Duration) {
	all := slices.Concat(per...)
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	q := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / 1e6 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
