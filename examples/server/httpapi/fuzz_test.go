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
