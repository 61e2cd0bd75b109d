// Package loadtest drives the service over HTTP for the reliability tests:
// conflicting moves at one deal from many clients, with every answer kept
// so that a test can check that each revision had one winner.
package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Client is an API client for one token.
type Client struct {
	HTTP  *http.Client
	Token string
}

// Do sends a request to base+path and returns its status, ETag and body.
func (c *Client) Do(ctx context.Context, method, url, ifMatch, body string) (int, string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("ETag"), b, err
}

// Attempt is one move tried at a revision, and its answer.
type Attempt struct {
	IfMatch string
	Status  int
}

// Conflicts runs workers goroutines that each, rounds times, read the deal
// id from one of the bases (in turn) and move it from what they read: an
// advance from targeting, a revert from qualification. All read the same
// revisions at about the same time, so most moves conflict. It returns
// every attempt.
func Conflicts(t *testing.T, c *Client, bases []string, id string, workers, rounds int) []Attempt {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	var out []Attempt
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				base := bases[(w+r)%len(bases)]
				status, tag, body, err := c.Do(ctx, "GET", base+"/api/v1/deals/"+id, "", "")
				if err != nil || status != 200 {
					t.Errorf("GET %s: %d %v", id, status, err)
					return
				}
				var d struct{ Stage string }
				json.Unmarshal(body, &d)
				path, move := "/advance", ""
				if d.Stage == "qualification" {
					path, move = "/revert", `{"to":"targeting","reason":"trigger was wrong"}`
				}
				status, _, body, err = c.Do(ctx, "POST", base+"/api/v1/deals/"+id+path, tag, move)
				if err != nil {
					t.Errorf("POST %s%s: %v", id, path, err)
					return
				}
				if status != 200 && status != 412 && status != 409 {
					t.Errorf("POST %s%s at %s: %d %s, want 200, 412 or 409", id, path, tag, status, body)
				}
				mu.Lock()
				out = append(out, Attempt{IfMatch: tag, Status: status})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// Check checks the attempts against the deal as it ended: each revision
// tried had exactly one winner, and the deal's history has one event for
// its opening and one per win.
func Check(t *testing.T, c *Client, base, id string, attempts []Attempt) {
	t.Helper()
	wins := map[string]int{}
	tried := map[string]bool{}
	won := 0
	for _, a := range attempts {
		tried[a.IfMatch] = true
		if a.Status == 200 {
			wins[a.IfMatch]++
			won++
		}
	}
	for rev := range tried {
		if wins[rev] != 1 {
			t.Errorf("revision %s: %d winners, want 1", rev, wins[rev])
		}
	}
	ctx := context.Background()
	status, tag, _, err := c.Do(ctx, "GET", base+"/api/v1/deals/"+id, "", "")
	if err != nil || status != 200 {
		t.Fatalf("GET %s: %d %v", id, status, err)
	}
	if want := fmt.Sprintf(`"%d"`, 1+won); tag != want {
		t.Errorf("ETag %s after %d wins, want %s", tag, won, want)
	}
	_, _, body, err := c.Do(ctx, "GET", base+"/api/v1/deals/"+id+"/history", "", "")
	var history []any
	if err == nil {
		err = json.Unmarshal(body, &history)
	}
	if err != nil || len(history) != 1+won {
		t.Errorf("history: %d events, %v; want 1 + %d wins", len(history), err, won)
	}
	if len(attempts) <= won {
		t.Errorf("%d attempts, %d wins: the moves did not conflict", len(attempts), won)
	}
}
