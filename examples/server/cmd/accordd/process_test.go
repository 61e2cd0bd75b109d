package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/internal/loadtest"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

// These tests run accordd as a real process, built from this package, on
// loopback, and kill it or run two of it.

var bin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bin.dir != "" {
		os.RemoveAll(bin.dir)
	}
	os.Exit(code)
}

// accordd builds the binary once for the tests that need it.
func accordd(t *testing.T) string {
	t.Helper()
	bin.once.Do(func() {
		if bin.dir, bin.err = os.MkdirTemp("", "accordd-"); bin.err != nil {
			return
		}
		bin.path = filepath.Join(bin.dir, "accordd")
		out, err := exec.Command("go", "build", "-o", bin.path, ".").CombinedOutput()
		if err != nil {
			bin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if bin.err != nil {
		t.Fatal(bin.err)
	}
	return bin.path
}

// proc is a running accordd.
type proc struct {
	cmd  *exec.Cmd
	base string
	done chan error
	mu   sync.Mutex
	logs strings.Builder
}

// start runs accordd on db with args, and waits until it serves.
func start(t *testing.T, db string, args ...string) *proc {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACCORD_") {
			env = append(env, kv)
		}
	}
	p := &proc{cmd: exec.Command(accordd(t), append([]string{"-db", db, "-addr", "127.0.0.1:0"}, args...)...), done: make(chan error, 1)}
	p.cmd.Env = env
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.logs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				addr <- line.Addr
			}
		}
		p.done <- p.cmd.Wait()
	}()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	select {
	case a := <-addr:
		p.base = "http://" + a
	case err := <-p.done:
		t.Fatalf("accordd exited: %v\n%s", err, p.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("accordd did not serve within 30 s\n%s", p.log())
	}
	return p
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stop ends p with sig and returns how it exited.
func (p *proc) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("accordd did not stop within 30 s of %v", sig)
		return nil
	}
}

// prepare migrates db, makes a sales rep's token, and runs fn on the store.
func prepare(t *testing.T, db string, fn func(ctx context.Context, a *app.App, s store.Store)) string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := app.New(app.Config{Store: s})
	tok, _, err := a.CreateToken(ctx, app.TokenSpec{ActorID: "u-rep", Name: "Asha", Role: "sales_rep"})
	if err != nil {
		t.Fatal(err)
	}
	if fn != nil {
		fn(ctx, a, s)
	}
	return tok
}

func dealBody(id string) string {
	return `{"id":"` + id + `","account_id":"acme","account":"Acme","segment":"smb",
		"targeting":{"trigger":"new VP","hypothesis":"spreadsheets"}}`
}

func backends(t *testing.T, fn func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Start(t).Database(t)) })
}

func TestKilledMidLoadKeepsEveryAcknowledgedWrite(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		tok := prepare(t, db, nil)
		p := start(t, db)
		c := &loadtest.Client{HTTP: &http.Client{Timeout: 10 * time.Second}, Token: tok}

		// Eight clients create deals and advance them until the server
		// dies; every 2xx is remembered with the revision it reported.
		type ack struct{ id, etag string }
		var mu sync.Mutex
		var acks []ack
		var n atomic.Int64
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				for i := range 2000 {
					id := fmt.Sprintf("d-%d-%d", w, i)
					status, tag, _, err := c.Do(ctx, "POST", p.base+"/api/v1/deals", "", dealBody(id))
					if err != nil {
						return // killed
					}
					if status != 201 {
						t.Errorf("create %s: %d", id, status)
						return
					}
					mu.Lock()
					acks = append(acks, ack{id, tag})
					mu.Unlock()
					status, tag, _, err = c.Do(ctx, "POST", p.base+"/api/v1/deals/"+id+"/advance", `"1"`, "")
					if err != nil {
						return
					}
					if status != 200 {
						t.Errorf("advance %s: %d", id, status)
						return
					}
					mu.Lock()
					acks = append(acks, ack{id, tag})
					mu.Unlock()
					n.Add(2)
				}
			}()
		}
		deadline := time.Now().Add(20 * time.Second)
		for n.Load() < 300 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if err := p.stop(t, syscall.SIGKILL); err == nil {
			t.Fatal("accordd exited cleanly after SIGKILL")
		}
		wg.Wait()
		if len(acks) < 100 {
			t.Fatalf("only %d writes acknowledged before the kill", len(acks))
		}

		p = start(t, db)
		ctx := context.Background()
		for _, a := range acks {
			status, tag, _, err := c.Do(ctx, "GET", p.base+"/api/v1/deals/"+a.id, "", "")
			got, _ := strconv.Atoi(strings.Trim(tag, `"`))
			want, _ := strconv.Atoi(strings.Trim(a.etag, `"`))
			if err != nil || status != 200 || got < want {
				t.Errorf("deal %s acknowledged at %s: now %d %s %v", a.id, a.etag, status, tag, err)
			}
		}
		if err := p.stop(t, syscall.SIGTERM); err != nil {
			t.Errorf("accordd after SIGTERM: %v\n%s", err, p.log())
		}
		wholeWrites(t, db)
		t.Logf("%d acknowledged writes survived the kill", len(acks))
	})
}

// wholeWrites checks that every stored deal was written whole: its
// history has one stored event per entry, its revision counts its writes,
// and its stage column agrees with its document.
func wholeWrites(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx store.Tx) error {
		ds, err := tx.Deals().List(ctx, store.DealFilter{})
		if err != nil {
			return err
		}
		for _, d := range ds {
			var doc struct {
				Stage   string
				History []any
			}
			if err := json.Unmarshal(d.Doc, &doc); err != nil {
				return err
			}
			es, err := tx.Events().List(ctx, store.SubjectDeal, d.ID)
			if err != nil {
				return err
			}
			if len(es) != len(doc.History) || d.Rev != int64(len(es)) || d.Stage != doc.Stage {
				t.Errorf("deal %s: rev %d, %d events stored, %d in its history, stage %s/%s", d.ID, d.Rev, len(es), len(doc.History), d.Stage, doc.Stage)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTwoProcessesOverOnePostgreSQL(t *testing.T) {
	db := pgtest.Start(t).Database(t)
	var keys []string
	tok := prepare(t, db, func(ctx context.Context, a *app.App, s store.Store) {
		if _, err := a.CreateDeal(ctx, app.Principal{ID: "u-rep", Name: "Asha", Role: "sales_rep"}, []byte(dealBody("d-contested"))); err != nil {
			t.Fatal(err)
		}
		var ms []store.Message
		for i := range 60 {
			k := fmt.Sprintf("k-%02d", i)
			keys = append(keys, k)
			ms = append(ms, store.Message{Key: k, Kind: "follow_up_task", Subject: store.SubjectDeal, SubjectID: "d-contested",
				CreatedAt: time.Now().Add(-time.Hour), Payload: []byte(`{"key":"` + k + `"}`)})
		}
		if err := s.InTx(ctx, func(tx store.Tx) error { _, err := tx.Outbox().Enqueue(ctx, ms); return err }); err != nil {
			t.Fatal(err)
		}
	})
	var mu sync.Mutex
	deliveries := map[string]int{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(150 * time.Millisecond) // slow enough that both dispatchers are at work at once
		mu.Lock()
		deliveries[r.Header.Get("Idempotency-Key")]++
		mu.Unlock()
	}))
	defer receiver.Close()

	p1 := start(t, db, "-webhook", receiver.URL)
	p2 := start(t, db, "-webhook", receiver.URL)
	c := &loadtest.Client{HTTP: &http.Client{Timeout: 10 * time.Second}, Token: tok}
	attempts := loadtest.Conflicts(t, c, []string{p1.base, p2.base}, "d-contested", 8, 12)
	loadtest.Check(t, c, p2.base, "d-contested", attempts)

	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		got := len(deliveries)
		mu.Unlock()
		if got == len(keys) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // a poll of each dispatcher, to see a second delivery if there were one
	for _, p := range []*proc{p1, p2} {
		if err := p.stop(t, syscall.SIGTERM); err != nil {
			t.Errorf("accordd after SIGTERM: %v\n%s", err, p.log())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range keys {
		if deliveries[k] != 1 {
			t.Errorf("%s delivered %d times, want once", k, deliveries[k])
		}
	}
	if len(deliveries) != len(keys) {
		t.Errorf("%d keys delivered, want %d", len(deliveries), len(keys))
	}
}
