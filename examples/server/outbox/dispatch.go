package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accordhq/accord/examples/server/store"
)

// Dispatcher delivers the outbox's messages. Its zero fields take the
// defaults documented on each.
type Dispatcher struct {
	Store store.Store
	// URLs are the webhooks every message is sent to.
	URLs []string
	// Client sends the requests; nil means one with a 10 s timeout.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives a line per failed delivery; nil means slog.Default().
	Log *slog.Logger
	// Batch is how many messages are claimed and sent at once: 16.
	Batch int
	// Lease is how long a claim holds: 2 minutes. It must exceed the time
	// a batch's delivery can take, or a slow delivery is sent twice.
	Lease time.Duration
	// Poll is how long to wait when nothing is due: 1 s.
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the wait before a retry, which
	// doubles with each failure: 1 s and 5 minutes.
	MinBackoff, MaxBackoff time.Duration
	// MaxAttempts is how many failures give a message up: 10.
	MaxAttempts int
}

func (d *Dispatcher) client() *http.Client {
	if d.Client != nil {
		return d.Client
	}
	return defaultClient
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Backoff is the wait before the next try of a message that failed
// attempts times.
func (d *Dispatcher) Backoff(attempts int) time.Duration {
	lo, hi := or(d.MinBackoff, time.Second), or(d.MaxBackoff, 5*time.Minute)
	b := lo
	for i := 1; i < attempts && b < hi; i++ {
		b *= 2
	}
	return min(b, hi)
}

// Run delivers messages until ctx ends, and returns nil then. A failure of
// the database is logged and tried again after Poll.
func (d *Dispatcher) Run(ctx context.Context) error {
	poll := or(d.Poll, time.Second)
	for {
		n, err := d.Once(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.log().Error("outbox", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

// Once claims one batch of due messages, delivers them and records the
// outcome of each, and reports how many it claimed.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	now := d.now()
	var ms []store.Message
	err := d.Store.InTx(ctx, func(tx store.Tx) (err error) {
		ms, err = tx.Outbox().Claim(ctx, now, now.Add(or(d.Lease, 2*time.Minute)), or(d.Batch, 16))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: claim: %w", err)
	}
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.deliver(ctx, m)
		}()
	}
	wg.Wait()
	return len(ms), errors.Join(errs...)
}

// deliver sends m to every URL and records the outcome. When ctx ends
// during the delivery nothing is recorded: the claim lapses and the next
// dispatcher sends m again.
func (d *Dispatcher) deliver(ctx context.Context, m store.Message) error {
	var failures []string
	for _, url := range d.URLs {
		if err := d.post(ctx, url, m); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			failures = append(failures, err.Error())
		}
	}
	now := d.now()
	err := d.Store.InTx(ctx, func(tx store.Tx) error {
		switch {
		case len(failures) == 0:
			return tx.Outbox().Delivered(ctx, m.Key, now)
		case m.Attempts+1 >= or(d.MaxAttempts, 10):
			return tx.Outbox().GiveUp(ctx, m.Key, strings.Join(failures, "; "), now)
		default:
			return tx.Outbox().Failed(ctx, m.Key, strings.Join(failures, "; "), now.Add(d.Backoff(m.Attempts+1)))
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("outbox: %s: %w", m.Key, err)
	}
	if len(failures) > 0 {
		d.log().Warn("outbox delivery failed", "key", m.Key, "kind", m.Kind, "attempt", m.Attempts+1, "err", strings.Join(failures, "; "))
	}
	return nil
}

func (d *Dispatcher) post(ctx context.Context, url string, m store.Message) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(m.Payload)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Key)
	req.Header.Set("Accord-Action", m.Kind)
	resp, err := d.client().Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s from %s", resp.Status, url)
	}
	return nil
}
