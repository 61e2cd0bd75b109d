package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/outbox"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// backends runs fn against a new SQLite store and a new PostgreSQL one.
func backends(t *testing.T, fn func(t *testing.T, s store.Store)) {
	open := func(t *testing.T, addr string) store.Store {
		s, err := sqlstore.Open(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, open(t, pgtest.Start(t).Database(t))) })
}

func enqueue(t *testing.T, s store.Store, at time.Time, keys ...string) {
	t.Helper()
	var ms []store.Message
	for i, k := range keys {
		ms = append(ms, store.Message{Key: k, Kind: "follow_up_task", Subject: store.SubjectDeal, SubjectID: "d-1",
			CreatedAt: at.Add(time.Duration(i) * time.Millisecond), Payload: []byte(`{"key":"` + k + `"}`)})
	}
	if err := s.InTx(context.Background(), func(tx store.Tx) error {
		_, err := tx.Outbox().Enqueue(context.Background(), ms)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func message(t *testing.T, s store.Store, key string) store.Message {
	t.Helper()
	var m store.Message
	if err := s.View(context.Background(), func(tx store.Tx) (err error) {
		m, err = tx.Outbox().Get(context.Background(), key)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// receiver is an idempotent webhook: it carries out each key once and
// acknowledges a repeated key without doing it again.
type receiver struct {
	mu         sync.Mutex
	accepted   map[string]int // key -> times carried out
	deliveries map[string]int // key -> requests received
	// hook, when set, runs before a request is answered; it may answer
	// itself and return true.
	hook func(w http.ResponseWriter, r *http.Request, n int) bool
}

func newReceiver(t *testing.T) (*receiver, string) {
	rc := &receiver{accepted: map[string]int{}, deliveries: map[string]int{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	var body struct{ Key string }
	err := json.NewDecoder(r.Body).Decode(&body)
	rc.mu.Lock()
	rc.deliveries[key]++
	n := 0
	for _, c := range rc.deliveries {
		n += c
	}
	hook := rc.hook
	if err == nil && body.Key == key && r.Header.Get("Content-Type") == "application/json" && rc.accepted[key] == 0 {
		rc.accepted[key]++
	}
	rc.mu.Unlock()
	if hook != nil && hook(w, r, n) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) counts() (accepted, deliveries map[string]int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return maps(rc.accepted), maps(rc.deliveries)
}

func maps(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestEveryActionArrivesThroughACrash(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store) {
		var keys []string
		for i := range 30 {
			keys = append(keys, fmt.Sprintf("k-%02d", i))
		}
		enqueue(t, s, time.Now().Add(-time.Minute), keys...)
		rc, url := newReceiver(t)
		inFlight := make(chan string, 1)
		release := make(chan struct{})
		var k20 atomic.Int32 // requests for k-20
		rc.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
			key := r.Header.Get("Idempotency-Key")
			n20 := int32(0)
			if key == "k-20" {
				n20 = k20.Add(1)
			}
			switch {
			case n == 7:
				// The receiver has carried the action out, but the
				// dispatcher dies before it hears so.
				inFlight <- key
				<-release
				return false
			case key == "k-20" && n20 <= 2:
				http.Error(w, "try later", http.StatusServiceUnavailable)
				return true
			}
			return false
		}
		defer close(release)
		d := &outbox.Dispatcher{Store: s, URLs: []string{url}, Log: quiet, Batch: 4,
			Lease: 2 * time.Second, Poll: 10 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}

		ctx, kill := context.WithCancel(context.Background())
		stopped := make(chan error, 1)
		go func() { stopped <- d.Run(ctx) }()
		var killedKey string
		select {
		case killedKey = <-inFlight:
		case <-time.After(30 * time.Second):
			t.Fatal("no delivery reached the receiver in 30 s")
		}
		kill()
		if err := <-stopped; err != nil {
			t.Fatalf("Run after its context ended: %v", err)
		}
		if m := message(t, s, killedKey); !m.DeliveredAt.IsZero() || m.Attempts != 0 {
			t.Fatalf("%s after the crash: delivered %v, %d attempts; want undelivered, 0", killedKey, m.DeliveredAt, m.Attempts)
		}

		// A new dispatcher takes over once the dead one's claims lapse.
		ctx, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		go func() { stopped <- d.Run(ctx) }()
		for ctx.Err() == nil && undelivered(t, s, keys) > 0 {
			time.Sleep(20 * time.Millisecond)
		}
		stop()
		<-stopped

		accepted, deliveries := rc.counts()
		want := map[string]int{}
		for _, k := range keys {
			want[k] = 1
		}
		if !reflect.DeepEqual(accepted, want) {
			t.Errorf("accepted %v\nwant every key once: %v", accepted, want)
		}
		if deliveries[killedKey] != 2 {
			t.Errorf("%s, in flight at the crash, was delivered %d times; want 2", killedKey, deliveries[killedKey])
		}
		for _, k := range keys {
			m := message(t, s, k)
			if m.DeliveredAt.IsZero() {
				t.Errorf("%s is not marked delivered", k)
			}
			if k == "k-20" && (m.Attempts != 3 || m.LastError != "503 Service Unavailable from "+url) {
				t.Errorf("k-20 failed twice before it was delivered: %d attempts, last error %q; want 3, 503", m.Attempts, m.LastError)
			}
		}
	})
}

func undelivered(t *testing.T, s store.Store, keys []string) int {
	n := 0
	for _, k := range keys {
		if message(t, s, k).DeliveredAt.IsZero() {
			n++
		}
	}
	return n
}

func TestRetriesWithBackoffThenGivesUp(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store) {
		t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		now := t0
		enqueue(t, s, t0, "k-bad")
		rc, url := newReceiver(t)
		rc.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
			http.Error(w, "gone", http.StatusGone)
			return true
		}
		d := &outbox.Dispatcher{Store: s, URLs: []string{url}, Log: quiet, Now: func() time.Time { return now },
			MinBackoff: time.Second, MaxBackoff: 3 * time.Second, MaxAttempts: 4}
		ctx := context.Background()
		reason := "410 Gone from " + url
		var nexts []time.Duration
		for _, step := range []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second} {
			now = now.Add(step)
			if n, err := d.Once(ctx); n != 1 || err != nil {
				t.Fatalf("Once at +%v = %d, %v; want 1, nil", now.Sub(t0), n, err)
			}
			m := message(t, s, "k-bad")
			if m.LastError != reason {
				t.Errorf("last error %q, want %q", m.LastError, reason)
			}
			nexts = append(nexts, m.NextAt.Sub(now))
			if n, _ := d.Once(ctx); n != 0 {
				t.Errorf("Once before the retry is due claimed %d", n)
			}
		}
		m := message(t, s, "k-bad")
		if m.Attempts != 4 || !m.GaveUpAt.Equal(now) || !m.DeliveredAt.IsZero() {
			t.Errorf("after 4 failures: %d attempts, given up %v, delivered %v; want 4, %v, never", m.Attempts, m.GaveUpAt, m.DeliveredAt, now)
		}
		// The backoff doubles from 1 s and stops at 3 s; the fourth
		// failure gives up, leaving NextAt at the lease it was claimed for.
		want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 2 * time.Minute}
		if !slices.Equal(nexts, want) {
			t.Errorf("waits before the next try %v, want %v", nexts, want)
		}
		now = now.Add(time.Hour)
		if n, _ := d.Once(ctx); n != 0 {
			t.Errorf("a message given up was claimed again")
		}
		if _, deliveries := rc.counts(); deliveries["k-bad"] != 4 {
			t.Errorf("deliveries %d, want 4", deliveries["k-bad"])
		}
	})
}

func TestEveryURLGetsTheKey(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store) {
		enqueue(t, s, time.Now().Add(-time.Second), "k-1", "k-2")
		a, urlA := newReceiver(t)
		b, urlB := newReceiver(t)
		d := &outbox.Dispatcher{Store: s, URLs: []string{urlA, urlB}, Log: quiet}
		if n, err := d.Once(context.Background()); n != 2 || err != nil {
			t.Fatalf("Once = %d, %v; want 2, nil", n, err)
		}
		for name, rc := range map[string]*receiver{"first": a, "second": b} {
			if got, _ := rc.counts(); !reflect.DeepEqual(got, map[string]int{"k-1": 1, "k-2": 1}) {
				t.Errorf("%s URL accepted %v, want k-1 and k-2 once", name, got)
			}
		}
	})
}
