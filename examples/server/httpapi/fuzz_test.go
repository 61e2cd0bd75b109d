package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzWriteBodies sends one body to every write endpoint, each at a deal
// in a state where the endpoint can succeed: whatever the body, the answer
// is never a 5xx, never a panic, and always one JSON document.
//
//	go test -run '^$' -fuzz FuzzWriteBodies -fuzztime 30s ./httpapi
func FuzzWriteBodies(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `0`, `{"id":"d-x"} {}`,
		`{"account_id":"acme","account":"Acme","segment":"smb"}`,
		`{"segment":"enterprise","targeting":{"trigger":"t","hypothesis":"h"}}`,
		`{"close_date":"2026-05-01T00:00:00Z"}`, `{"close_date":"soon"}`, `{"close_date":null}`,
		`{"to":"targeting","reason":"wrong trigger"}`, `{"to":"closed_won","reason":"x"}`, `{"to":"lost"}`, `{"to":""}`,
		`{"reason":"budget","note":"next year"}`, `{"reason":"not-a-reason"}`,
		`{"value":{"amount":"1e999999","currency":"USD"}}`, `{"value":{"amount":"-3","currency":"EUR"}}`,
		`{"stakeholders":[{}],"activities":[{"at":"x"}]}`, `{"id":"` + strings.Repeat("é", 300) + `"}`,
		`{"a":` + strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 201),
		"{\"account\":\"\xff\xfe\"}", `{"version":3,"history":[]}`, `{"owner":"","scope":{}}`,
	} {
		f.Add([]byte(seed))
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t
		tok := e.tokens["sales_manager"]
		for _, w := range []struct{ method, path, state, ifMatch string }{
			{"POST", "/api/v1/deals", "", ""},
			{"PATCH", "/api/v1/deals/{id}", "fresh", `"1"`},
			{"POST", "/api/v1/deals/{id}/advance", "fresh", `"1"`},
			{"POST", "/api/v1/deals/{id}/revert", "advanced", `"2"`},
			{"POST", "/api/v1/deals/{id}/lose", "fresh", `"1"`},
			{"POST", "/api/v1/deals/{id}/reopen", "lost", `"2"`},
		} {
			path := w.path
			if w.state != "" {
				path = strings.Replace(path, "{id}", e.deal(w.state), 1)
			}
			r := e.do(w.method, path, tok, w.ifMatch, string(body))
			if r.Code >= 500 {
				t.Fatalf("%s %s with %q: %d %s", w.method, w.path, body, r.Code, r.Body)
			}
			if ct := r.Header().Get("Content-Type"); ct != "application/json" && ct != "application/problem+json" {
				t.Errorf("%s %s with %q: Content-Type %q", w.method, w.path, body, ct)
			}
			if !json.Valid(r.Body.Bytes()) {
				t.Errorf("%s %s with %q: the answer is not JSON: %s", w.method, w.path, body, r.Body)
			}
		}
	})
}

// FuzzScopeBodies sends one body to every scope endpoint that reads one,
// each at a scope in a state where it can succeed: never a 5xx, never a
// panic, always one JSON document.
//
//	go test -run '^$' -fuzz FuzzScopeBodies -fuzztime 30s ./httpapi
func FuzzScopeBodies(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"review":{}}`, `{"id":"other"}`, `{"deal_id":"d-x"}`,
		`{"assumptions":["x"]}`, `{"steps":[{"id":"a","offset":-1,"days":99999999,"effort_hours":"1e999999"}]}`,
		`{"start":"2026-03-07T00:00:00Z"}`, `{"price":{"amount":"x"}}`, `{"signatories":[""]}`,
		`{"comments":[{"step":"nope","text":""}]}`, `{"comments":[]}`,
		team, `{"capacity":{"per_role":{"consultant":"-1"}},"override":"x"}`, `{"revision":99}`,
		`{"capacity":{"people":[{"id":"p","role":"consultant","hours_per_day":"8","off":["x"]}]}}`,
		`{"discrepancy":{"kind":"price"},"change":"sideways"}`, `{"weeks":-3,"go_live":"2026-01-01T00:00:00Z"}`,
		`{"deliverables":[{"id":""},{"id":""}],"entitlements":[{"name":"s","quantity":"-1"}]}`,
		`{"id":"pay","amount":{"amount":"1","currency":"XXXX"}}`,
	} {
		f.Add([]byte(seed))
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t
		for _, w := range []struct{ method, path, state, role string }{
			{"POST", "/api/v1/deals/{deal}/scopes", "deal", "sales_rep"},
			{"PUT", "/api/v1/scopes/{id}", "draft", "sales_rep"},
			{"PATCH", "/api/v1/scopes/{id}", "draft", "sales_rep"},
			{"POST", "/api/v1/scopes/{id}/request-changes", "submitted", "implementation_lead"},
			{"POST", "/api/v1/scopes/{id}/approve-lead", "submitted", "implementation_lead"},
			{"POST", "/api/v1/scopes/{id}/approve-client", "lead_approved", "client"},
			{"POST", "/api/v1/scopes/{id}/feasibility", "draft", "implementation_lead"},
			{"POST", "/api/v1/scopes/{id}/decisions", "proposed", "sales_manager"},
			{"PUT", "/api/v1/deals/{deal}/proposal", "draft", "sales_rep"},
			{"POST", "/api/v1/deals/{deal}/payment-check", "approved", "finance"},
		} {
			var dealID, id, tag string
			if w.state == "deal" {
				dealID = e.deal("fresh")
			} else {
				dealID, id, tag = e.scope(w.state)
			}
			path := strings.NewReplacer("{deal}", dealID, "{id}", id).Replace(w.path)
			r := e.do(w.method, path, e.tokens[w.role], tag, string(body))
			if r.Code >= 500 {
				t.Fatalf("%s %s with %q: %d %s", w.method, w.path, body, r.Code, r.Body)
			}
			if ct := r.Header().Get("Content-Type"); ct != "application/json" && ct != "application/problem+json" {
				t.Errorf("%s %s with %q: Content-Type %q", w.method, w.path, body, ct)
			}
			if !json.Valid(r.Body.Bytes()) {
				t.Errorf("%s %s with %q: the answer is not JSON: %s", w.method, w.path, body, r.Body)
			}
		}
	})
}
