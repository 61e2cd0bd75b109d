package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

type env struct {
	t      testing.TB
	app    *app.App
	db     store.Store
	h      http.Handler
	tokens map[string]string // role -> token
	logs   *bytes.Buffer
	n      int
	// now is the fake clock's time, which tests move by hand; see clock.
	now time.Time
}

// clock is the env's fake clock.
func (e *env) clock() time.Time { return e.now }

var rep = app.Principal{ID: "u-rep", Name: "Asha", Role: "sales_rep"}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvOn(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db"))
}

// newEnvOn is newEnv on the database at addr.
func newEnvOn(t testing.TB, addr string) *env {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, tokens: map[string]string{}, logs: &bytes.Buffer{}, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	a := app.New(app.Config{Store: db, Now: e.clock})
	e.app, e.h = a, httpapi.New(a, slog.New(slog.NewJSONHandler(e.logs, nil)))
	for _, role := range app.Roles() {
		spec := app.TokenSpec{ActorID: "u-" + role, Name: role, Role: role}
		if role == "client" {
			spec.Account = "acme"
		}
		tok, _, err := a.CreateToken(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = tok
	}
	return e
}

func (e *env) do(method, path, token, ifMatch, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if ifMatch != "" {
		r.Header.Set("If-Match", ifMatch)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// deal makes a deal of account acme whose targeting is done, in stage
// targeting ("fresh"), qualification ("advanced") or lost ("lost").
func (e *env) deal(state string) string {
	e.t.Helper()
	e.n++
	id := fmt.Sprintf("d-%d", e.n)
	ctx := context.Background()
	_, err := e.app.CreateDeal(ctx, rep, []byte(`{"id":"`+id+`","account_id":"acme","account":"Acme","segment":"smb",
		"targeting":{"trigger":"new VP","hypothesis":"spreadsheets"}}`))
	if err != nil {
		e.t.Fatal(err)
	}
	switch state {
	case "advanced":
		_, err = e.app.Advance(ctx, rep, id, 1)
	case "lost":
		_, err = e.app.Lose(ctx, rep, id, 1, []byte(`{"reason":"budget"}`))
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestEveryEndpointByRole(t *testing.T) {
	e := newEnv(t)
	sales := func(ok int, lead int) map[string]int {
		return map[string]int{"sales_rep": ok, "sales_manager": ok, "admin": ok, "implementation_lead": lead, "client": 403, "finance": 403}
	}
	for _, tc := range []struct {
		method, path, state, body string
		write                     bool
		want                      map[string]int
	}{
		{"POST", "/api/v1/deals", "", `{"account_id":"acme","account":"Acme"}`, false, sales(201, 403)},
		{"GET", "/api/v1/deals", "", "", false, allRoles(200)},
		{"GET", "/api/v1/deals/{id}", "fresh", "", false, allRoles(200)},
		{"PATCH", "/api/v1/deals/{id}", "fresh", `{"segment":"enterprise"}`, true, sales(200, 200)},
		{"POST", "/api/v1/deals/{id}/advance", "fresh", "", true, sales(200, 403)},
		{"POST", "/api/v1/deals/{id}/revert", "advanced", `{"to":"targeting","reason":"wrong trigger"}`, true, sales(200, 403)},
		{"POST", "/api/v1/deals/{id}/lose", "fresh", `{"reason":"budget"}`, true, sales(200, 403)},
		{"POST", "/api/v1/deals/{id}/reopen", "lost", `{"to":"targeting","reason":"budget found"}`, true, sales(200, 403)},
		{"GET", "/api/v1/deals/{id}/gaps", "fresh", "", false, allRoles(200)},
		{"GET", "/api/v1/deals/{id}/moves", "fresh", "", false, allRoles(200)},
		{"GET", "/api/v1/deals/{id}/risks", "fresh", "", false, allRoles(200)},
		{"GET", "/api/v1/deals/{id}/history", "fresh", "", false, allRoles(200)},
	} {
		route := tc.method + " " + tc.path
		t.Run(route+" without a token", func(t *testing.T) {
			w := e.do(tc.method, strings.Replace(tc.path, "{id}", "d-0", 1), "", "", tc.body)
			if w.Code != 401 || w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("got %d %s, want 401 application/problem+json", w.Code, w.Header().Get("Content-Type"))
			}
			if w := e.do(tc.method, strings.Replace(tc.path, "{id}", "d-0", 1), "acd_nottoken", "", tc.body); w.Code != 401 {
				t.Errorf("with an unknown token: got %d, want 401", w.Code)
			}
		})
		for _, role := range app.Roles() {
			t.Run(route+" as "+role, func(t *testing.T) {
				path := tc.path
				if tc.state != "" {
					path = strings.Replace(path, "{id}", e.deal(tc.state), 1)
				}
				ifMatch := ""
				if tc.write {
					ifMatch = `"1"`
					if tc.state != "fresh" {
						ifMatch = `"2"`
					}
				}
				w := e.do(tc.method, path, e.tokens[role], ifMatch, tc.body)
				if w.Code != tc.want[role] {
					t.Errorf("got %d, want %d: %s", w.Code, tc.want[role], w.Body)
				}
				if !e.documented(tc.method, tc.path, w.Code) {
					t.Errorf("status %d is not in the OpenAPI document's responses of %s", w.Code, route)
				}
			})
		}
	}
}

// documented reports whether the OpenAPI document lists status among the
// responses of method path.
func (e *env) documented(method, path string, status int) bool {
	e.t.Helper()
	w := e.do("GET", "/api/v1/openapi.json", "", "", "")
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		e.t.Fatal(err)
	}
	_, ok := doc.Paths[path][strings.ToLower(method)].Responses[fmt.Sprint(status)]
	return ok
}

func problem(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, w.Body)
	}
	var p map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	delete(p, "request_id")
	return p
}

func TestProblems(t *testing.T) {
	e := newEnv(t)
	tok := e.tokens["sales_rep"]
	id := e.deal("fresh")
	path := "/api/v1/deals/" + id

	w := e.do("POST", path+"/advance", tok, "", "")
	if w.Code != 428 {
		t.Errorf("a write without If-Match: got %d, want 428", w.Code)
	}
	w = e.do("POST", path+"/advance", tok, `"7"`, "")
	p := problem(t, w)
	cur, _ := p["current"].(map[string]any)
	if w.Code != 412 || w.Header().Get("ETag") != `"1"` || cur["id"] != id || cur["stage"] != "targeting" {
		t.Errorf("a stale If-Match: got %d ETag %s current %v, want 412 \"1\" with the deal", w.Code, w.Header().Get("ETag"), cur)
	}
	w = e.do("PATCH", path, tok, `"1"`, `{"colour":"red","stage":"live"}`)
	p = problem(t, w)
	want := map[string]any{"type": "https://accordhq.github.io/accord/problems/invalid", "title": "Invalid request",
		"status": 400.0, "detail": "the request has invalid fields", "instance": path,
		"errors": []any{map[string]any{"field": "stage", "rule": "cannot be changed by a patch"}}}
	if w.Code != 400 || !reflect.DeepEqual(p, want) {
		t.Errorf("a patch of the stage:\n got %d %v\nwant 400 %v", w.Code, p, want)
	}
	w = e.do("PATCH", path, tok, `"1"`, `{"colour":"red"}`)
	p = problem(t, w)
	if w.Code != 400 || !reflect.DeepEqual(p["errors"], []any{map[string]any{"field": "colour", "rule": "is not a known field"}}) {
		t.Errorf("an unknown field: got %d %v", w.Code, p)
	}
	w = e.do("PATCH", path, tok, `"1"`, `{"account":"`+strings.Repeat("x", httpapi.MaxBody)+`"}`)
	if w.Code != 413 {
		t.Errorf("a body over 1 MiB: got %d, want 413", w.Code)
	}

	// A fresh deal in qualification cannot advance: every unmet criterion,
	// as the library reports it.
	id = e.deal("advanced")
	w = e.do("POST", "/api/v1/deals/"+id+"/advance", tok, `"2"`, "")
	p = problem(t, w)
	var crits []string
	for _, u := range p["unmet"].([]any) {
		crits = append(crits, u.(map[string]any)["criterion"].(string))
	}
	if w.Code != 422 || p["type"] != "https://accordhq.github.io/accord/problems/blocked" ||
		!reflect.DeepEqual(crits, []string{"why_now", "fit", "decision_people"}) {
		t.Errorf("a refused advance: got %d %v, unmet %v", w.Code, p["type"], crits)
	}
	w = e.do("POST", "/api/v1/deals/"+id+"/reopen", tok, `"2"`, `{"to":"targeting","reason":"x"}`)
	if p := problem(t, w); w.Code != 409 || p["type"] != "https://accordhq.github.io/accord/problems/conflict" {
		t.Errorf("reopening an open deal: got %d %v, want 409 conflict", w.Code, p["type"])
	}
	if w := e.do("GET", "/api/v1/deals/d-404", tok, "", ""); w.Code != 404 {
		t.Errorf("a missing deal: got %d, want 404", w.Code)
	}
}

func TestWriteAnswersWithTheNewETag(t *testing.T) {
	e := newEnv(t)
	tok := e.tokens["sales_rep"]
	id := e.deal("fresh")
	w := e.do("POST", "/api/v1/deals/"+id+"/advance", tok, `"1"`, "")
	var d map[string]any
	json.Unmarshal(w.Body.Bytes(), &d)
	if w.Code != 200 || w.Header().Get("ETag") != `"2"` || d["stage"] != "qualification" || d["version"] != 1.0 {
		t.Fatalf("advance: got %d ETag %s stage %v version %v", w.Code, w.Header().Get("ETag"), d["stage"], d["version"])
	}
	w = e.do("PATCH", "/api/v1/deals/"+id, tok, `"2"`, `{"segment":"enterprise"}`)
	json.Unmarshal(w.Body.Bytes(), &d)
	if w.Code != 200 || w.Header().Get("ETag") != `"3"` || d["version"] != 1.0 || d["segment"] != "enterprise" {
		t.Errorf("patch: got %d ETag %s version %v segment %v; the ETag moves, the deal's version does not",
			w.Code, w.Header().Get("ETag"), d["version"], d["segment"])
	}
	if w := e.do("GET", "/api/v1/deals/"+id, tok, "", ""); w.Header().Get("ETag") != `"3"` {
		t.Errorf("GET ETag %s, want \"3\"", w.Header().Get("ETag"))
	}
}

func TestClientsSeeTheirAccountOnly(t *testing.T) {
	e := newEnv(t)
	mine := e.deal("fresh")
	ctx := context.Background()
	if _, err := e.app.CreateDeal(ctx, rep, []byte(`{"id":"d-other","account_id":"globex","account":"Globex"}`)); err != nil {
		t.Fatal(err)
	}
	tok := e.tokens["client"]
	var list struct {
		Deals []map[string]any `json:"deals"`
	}
	w := e.do("GET", "/api/v1/deals", tok, "", "")
	json.Unmarshal(w.Body.Bytes(), &list)
	if len(list.Deals) != 1 || list.Deals[0]["id"] != mine {
		t.Errorf("a client's list: %v, want only %s", list.Deals, mine)
	}
	for _, path := range []string{"/api/v1/deals/d-other", "/api/v1/deals/d-other/history"} {
		if w := e.do("GET", path, tok, "", ""); w.Code != 404 {
			t.Errorf("GET %s as another account's client: %d, want 404", path, w.Code)
		}
	}
	w = e.do("GET", "/api/v1/deals", e.tokens["sales_rep"], "", "")
	json.Unmarshal(w.Body.Bytes(), &list)
	if len(list.Deals) != 2 {
		t.Errorf("a rep's list: %d deals, want 2", len(list.Deals))
	}
}

func TestListPages(t *testing.T) {
	e := newEnv(t)
	for range 3 {
		e.deal("fresh")
	}
	e.deal("advanced")
	tok := e.tokens["sales_manager"]
	var page struct {
		Deals []map[string]any `json:"deals"`
		Next  string           `json:"next"`
	}
	var got []string
	next := ""
	for i := 0; i < 5; i++ {
		w := e.do("GET", "/api/v1/deals?stage=targeting&limit=2&after="+next, tok, "", "")
		page.Next = ""
		json.Unmarshal(w.Body.Bytes(), &page)
		for _, d := range page.Deals {
			got = append(got, d["id"].(string))
		}
		if next = page.Next; next == "" {
			break
		}
	}
	if want := []string{"d-1", "d-2", "d-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("pages of targeting deals: %v, want %v", got, want)
	}
	if w := e.do("GET", "/api/v1/deals?limit=x", tok, "", ""); w.Code != 400 {
		t.Errorf("limit=x: %d, want 400", w.Code)
	}
}

func TestLogsNeverHoldATokenAndHealthz(t *testing.T) {
	e := newEnv(t)
	w := e.do("GET", "/healthz", "", "", "")
	if w.Code != 200 || w.Body.String() != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz: %d %q", w.Code, w.Body)
	}
	e.logs.Reset()
	id := e.deal("fresh")
	e.do("GET", "/api/v1/deals/"+id, e.tokens["finance"], "", "")
	var line map[string]any
	if err := json.Unmarshal(e.logs.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", e.logs, err)
	}
	for k, want := range map[string]any{"msg": "request", "route": "GET /api/v1/deals/{id}", "status": 200.0,
		"actor": "u-finance", "role": "finance", "method": "GET"} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if _, ok := line["id"]; !ok {
		t.Errorf("log has no request id: %v", line)
	}
	if strings.Contains(e.logs.String(), e.tokens["finance"]) || strings.Contains(e.logs.String(), "acd_") {
		t.Errorf("the log holds a token: %s", e.logs)
	}
}

// allRoles expects status from every role.
func allRoles(status int) map[string]int {
	m := map[string]int{}
	for _, r := range app.Roles() {
		m[r] = status
	}
	return m
}

// onlyRoles expects ok from roles and 403 from every other role.
func onlyRoles(ok int, roles ...string) map[string]int {
	m := allRoles(403)
	for _, r := range roles {
		m[r] = ok
	}
	return m
}
