package httpapi_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

func TestEveryContractEndpointByRole(t *testing.T) {
	e := newEnv(t)
	sales := []string{"sales_rep", "sales_manager", "admin"}
	staff := []string{"sales_rep", "sales_manager", "implementation_lead", "admin", "finance"}
	// A two-month term is in its renewal window from its first day.
	short := strings.Replace(agreement, "{", `{"months":2,`, 1)
	for _, tc := range []struct {
		method, path, state, body string
		want                      map[string]int
	}{
		{"POST", "/api/v1/deals/{id}/close", "closable", "", onlyRoles(200, sales...)},
		{"POST", "/api/v1/deals/{id}/contract", "won", agreement, onlyRoles(201, sales...)},
		{"GET", "/api/v1/contracts/{id}", "contract", "", allRoles(200)},
		{"POST", "/api/v1/contracts/{id}/go-live", "contract", "", onlyRoles(200, staff...)},
		{"POST", "/api/v1/contracts/{id}/status", "contract", `{"to":"at_risk","reason":"champion left"}`, onlyRoles(409, staff...)},
		{"POST", "/api/v1/contracts/{id}/renew", "short", `{"months":2,"value":{"amount":"50000","currency":"USD"}}`, onlyRoles(200, sales...)},
		{"POST", "/api/v1/contracts/{id}/auto-renew", "renewing", "", onlyRoles(200, staff...)},
		{"POST", "/api/v1/contracts/{id}/churn", "contract", `{"reason":"budget"}`, onlyRoles(200, staff...)},
		{"POST", "/api/v1/contracts/{id}/refund", "contract", `{"reason":"not for us"}`, allRoles(200)},
		{"GET", "/api/v1/renewals/due", "", "", onlyRoles(200, staff...)},
		{"POST", "/api/v1/renewals/due", "", "", onlyRoles(200, staff...)},
		{"GET", "/api/v1/policies", "", "", allRoles(200)},
		{"PUT", "/api/v1/policies", "", `{"policies":[{"id":"no_quotas"}]}`, onlyRoles(201, "admin")},
		{"POST", "/api/v1/policies/check", "", `{"plan":{"id":"fy27","owner":"u-1","targets":[]}}`, onlyRoles(200, staff...)},
		{"GET", "/api/v1/metrics/pipeline", "", "", onlyRoles(200, staff...)},
		{"GET", "/api/v1/metrics/retention", "", "", onlyRoles(200, staff...)},
	} {
		route := tc.method + " " + tc.path
		t.Run(route+" without a token", func(t *testing.T) {
			w := e.do(tc.method, strings.Replace(tc.path, "{id}", "x-0", 1), "", "", tc.body)
			if w.Code != 401 || w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("got %d %s, want 401 application/problem+json", w.Code, w.Header().Get("Content-Type"))
			}
		})
		for _, role := range app.Roles() {
			t.Run(route+" as "+role, func(t *testing.T) {
				var id, tag string
				switch tc.state {
				case "closable":
					id, tag, _, _ = e.closable()
				case "won":
					id, tag = e.won()
				case "contract":
					_, id, tag = e.contract(agreement)
				case "short":
					_, id, tag = e.contract(short)
				case "renewing":
					_, id, tag = e.contract(strings.Replace(short, "{", `{"auto_renew":true,"notice_days":0,`, 1))
					e.now = e.now.AddDate(0, 2, 1) // past the renewal date
				}
				w := e.do(tc.method, strings.Replace(tc.path, "{id}", id, 1), e.tokens[role], tag, tc.body)
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

func TestPoliciesOverHTTP(t *testing.T) {
	e := newEnv(t)
	admin, rep := e.tokens["admin"], e.tokens["sales_rep"]
	var set struct {
		Policies []struct {
			ID     string         `json:"id"`
			Params map[string]any `json:"params"`
		} `json:"policies"`
	}
	w := e.do("GET", "/api/v1/policies", rep, "", "")
	decodeJSON(t, w.Body.Bytes(), &set)
	if w.Code != 200 || w.Header().Get("ETag") != "" || len(set.Policies) != 7 {
		t.Errorf("the default set: %d ETag %q, %d policies", w.Code, w.Header().Get("ETag"), len(set.Policies))
	}
	// Load reports every problem with its path.
	w = e.do("PUT", "/api/v1/policies", admin, "", `{"policies":[{"id":"no_such"},{"id":"no_panic_discounts","params":{"month_days":"5","time_zone":"Mars/Olympus"}}]}`)
	p := problem(t, w)
	var fields []string
	for _, f := range p["errors"].([]any) {
		fields = append(fields, f.(map[string]any)["field"].(string))
	}
	if w.Code != 400 || len(fields) < 3 {
		t.Errorf("an invalid set: %d %v", w.Code, p["errors"])
	}
	body := `{"policies":[{"id":"no_quotas"},{"id":"no_panic_discounts","params":{"month_days":3,"time_zone":"Asia/Kolkata"}}]}`
	w = e.do("PUT", "/api/v1/policies", admin, "", body)
	if w.Code != 201 || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("the first set: %d %s", w.Code, w.Body)
	}
	if w := e.do("PUT", "/api/v1/policies", admin, "", body); w.Code != 428 {
		t.Errorf("replacing without If-Match: %d, want 428", w.Code)
	}
	if w := e.do("PUT", "/api/v1/policies", admin, `"7"`, body); w.Code != 412 || w.Header().Get("ETag") != `"1"` {
		t.Errorf("replacing from a stale ETag: %d %s", w.Code, w.Header().Get("ETag"))
	}
	w = e.do("GET", "/api/v1/policies", rep, "", "")
	decodeJSON(t, w.Body.Bytes(), &set)
	if w.Header().Get("ETag") != `"1"` || len(set.Policies) != 2 || set.Policies[0].Params["time_zone"] != "Asia/Kolkata" {
		t.Errorf("the stored set: ETag %s %s", w.Header().Get("ETag"), w.Body)
	}

	// A check against the stored set: a discount offered on the last day of
	// the month in Kolkata, buying nothing; and a deal as stored.
	id := e.deal("fresh")
	w = e.do("POST", "/api/v1/policies/check", rep, "", `{"deal_id":"`+id+`","discount":{"id":"x","amount":{"amount":"500","currency":"USD"},
		"offered_at":"2026-03-31T10:00:00Z","by":"u-rep"},"plan":{"id":"fy27","owner":"u-mgr","targets":[]}}`)
	var check struct {
		Allowed    bool `json:"allowed"`
		Violations []struct {
			Policy  string `json:"policy"`
			Subject string `json:"subject"`
		} `json:"violations"`
	}
	decodeJSON(t, w.Body.Bytes(), &check)
	var pols []string
	for _, v := range check.Violations {
		pols = append(pols, v.Policy)
	}
	if w.Code != 200 || check.Allowed || !reflect.DeepEqual(pols, []string{"no_panic_discounts", "no_panic_discounts"}) {
		t.Errorf("check: %d %s", w.Code, w.Body)
	}
	w = e.do("POST", "/api/v1/policies/check", rep, "", `{"deal_id":"`+id+`"}`)
	decodeJSON(t, w.Body.Bytes(), &check)
	if w.Code != 200 || !check.Allowed || check.Violations == nil {
		t.Errorf("a clean deal: %d %s", w.Code, w.Body)
	}
	if w := e.do("POST", "/api/v1/policies/check", rep, "", `{"deal_id":"d-404"}`); w.Code != 404 {
		t.Errorf("a missing deal: %d, want 404", w.Code)
	}
	if w := e.do("POST", "/api/v1/policies/check", rep, "", `{"colour":"red"}`); w.Code != 400 {
		t.Errorf("an unknown field: %d, want 400", w.Code)
	}
}

func TestReportsOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.deal("fresh")
	e.deal("lost")
	_, id, tag := e.contract(agreement)
	e.now = e.now.Add(48 * time.Hour)
	if w := e.do("POST", "/api/v1/contracts/"+id+"/go-live", e.tokens["implementation_lead"], tag, ""); w.Code != 200 {
		t.Fatalf("go-live: %d %s", w.Code, w.Body)
	}
	mgr := e.tokens["sales_manager"]
	var pl struct {
		Deals   int64 `json:"deals"`
		WinRate struct {
			Num, Den int64
		} `json:"win_rate"`
		WinRateBy []map[string]any `json:"win_rate_by"`
	}
	w := e.do("GET", "/api/v1/metrics/pipeline?key=segment", mgr, "", "")
	decodeJSON(t, w.Body.Bytes(), &pl)
	if w.Code != 200 || pl.Deals != 3 || pl.WinRate.Num != 1 || pl.WinRate.Den != 2 || len(pl.WinRateBy) != 1 {
		t.Errorf("pipeline: %d %s", w.Code, w.Body)
	}
	if w := e.do("GET", "/api/v1/metrics/pipeline?key=colour", mgr, "", ""); w.Code != 400 {
		t.Errorf("an unknown key: %d, want 400", w.Code)
	}
	var rt struct {
		Contracts  int64 `json:"contracts"`
		TimeToLive struct {
			Count int64 `json:"count"`
		} `json:"time_to_live"`
	}
	w = e.do("GET", "/api/v1/metrics/retention?from=2026-01-01&to=2027-01-01", mgr, "", "")
	decodeJSON(t, w.Body.Bytes(), &rt)
	if w.Code != 200 || rt.Contracts != 1 || rt.TimeToLive.Count != 1 {
		t.Errorf("retention: %d %s", w.Code, w.Body)
	}
	if w := e.do("GET", "/api/v1/metrics/retention?from=soon", mgr, "", ""); w.Code != 400 {
		t.Errorf("a bad period: %d, want 400", w.Code)
	}
}

// FuzzContractBodies sends one body to every contract and policy endpoint
// that reads one, each where it can succeed: never a 5xx, never a panic,
// always one JSON document.
//
//	go test -run '^$' -fuzz FuzzContractBodies -fuzztime 30s ./httpapi
func FuzzContractBodies(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, agreement, `{"billing":"weekly","months":-1,"time_zone":"Mars/Olympus"}`,
		`{"start":"2026-02-30"}`, `{"at":"2099-01-01T00:00:00Z"}`, `{"to":"churned","reason":""}`,
		`{"months":1200000,"value":{"amount":"1e999999","currency":"USD"}}`, `{"reason":"other"}`,
		`{"policies":[{"id":"no_panic_discounts","params":{"month_days":1e9}}]}`, `{"deal_id":"d-404","closing":true}`,
	} {
		f.Add([]byte(seed))
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t
		_, cid, ctag := e.contract(agreement)
		dealID, dtag := e.won()
		for _, w := range []struct{ method, path, tag, role string }{
			{"POST", "/api/v1/deals/" + dealID + "/contract", dtag, "sales_rep"},
			{"POST", "/api/v1/contracts/" + cid + "/go-live", ctag, "implementation_lead"},
			{"POST", "/api/v1/contracts/" + cid + "/status", ctag, "implementation_lead"},
			{"POST", "/api/v1/contracts/" + cid + "/renew", ctag, "sales_rep"},
			{"POST", "/api/v1/contracts/" + cid + "/churn", ctag, "sales_rep"},
			{"POST", "/api/v1/contracts/" + cid + "/refund", ctag, "client"},
			{"PUT", "/api/v1/policies", "", "admin"},
			{"POST", "/api/v1/policies/check", "", "sales_rep"},
		} {
			r := e.do(w.method, w.path, e.tokens[w.role], w.tag, string(body))
			if r.Code >= 500 {
				t.Fatalf("%s %s with %q: %d %s", w.method, w.path, body, r.Code, r.Body)
			}
			if !json.Valid(r.Body.Bytes()) {
				t.Errorf("%s %s with %q: the answer is not JSON: %s", w.method, w.path, body, r.Body)
			}
		}
	})
}
