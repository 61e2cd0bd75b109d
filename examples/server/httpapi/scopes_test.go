package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

// sowBody is a valid scope of deal dealID: four requirements, two
// deliverables, six steps from Monday 2 March 2026, feasible for a team of
// 16 consultant and 8 engineer hours a day.
func sowBody(dealID string) string {
	return `{"id":"s-` + dealID + `","deal_id":"` + dealID + `","title":"Acme pipeline rollout","start":"2026-03-02T00:00:00Z",
	"requirements":[
		{"id":"R1","title":"Forecasts in spreadsheets","kind":"current_state","priority":"should","source":{"name":"Dana","at":"2026-02-10T15:00:00Z"}},
		{"id":"R2","title":"One pipeline","kind":"future_state","priority":"must","acceptance":["one board"],"source":{"name":"Dana","at":"2026-02-10T15:00:00Z"}},
		{"id":"R3","title":"Nightly ERP import","kind":"integration","priority":"must","source":{"name":"Dana","at":"2026-02-10T15:00:00Z"}},
		{"id":"R4","title":"Two years of history","kind":"data_structure","priority":"must","source":{"name":"Dana","at":"2026-02-10T15:00:00Z"}}],
	"deliverables":[{"id":"pipeline","name":"Configured pipeline","requirements":["R2"]},{"id":"erp-sync","name":"ERP sync","requirements":["R3"]}],
	"entitlements":[{"name":"support","quantity":"4","unit":"hours","per":"week"}],
	"price":{"amount":"48000","currency":"USD"},
	"steps":[
		{"id":"audit","offset":0,"days":2,"activity":"audit","phase":"audit","requirements":["R1"],"effort_hours":"12","owner":"consultant"},
		{"id":"configure","offset":2,"days":3,"activity":"configuration","phase":"configure","requirements":["R2"],"effort_hours":"48","owner":"consultant","depends_on":["audit"]},
		{"id":"migrate","offset":2,"days":2,"activity":"data_migration","phase":"migrate","requirements":["R4"],"effort_hours":"12","owner":"engineer","depends_on":["audit"]},
		{"id":"integrate","offset":4,"days":2,"activity":"integration","phase":"integrate","requirements":["R3"],"effort_hours":"16","owner":"engineer","depends_on":["migrate"]},
		{"id":"train","offset":6,"days":1,"activity":"training","phase":"train","effort_hours":"6","owner":"consultant","depends_on":["configure"]},
		{"id":"go-live","offset":7,"days":1,"activity":"go_live","phase":"go_live","effort_hours":"4","owner":"consultant","depends_on":["train","integrate"]}]}`
}

const team = `{"capacity":{"per_role":{"consultant":"16","engineer":"8"}}}`

// proposalBody is a proposal of deal dealID that matches sowBody but for
// its price.
func proposalBody(dealID string) string {
	return `{"id":"p-` + dealID + `","deliverables":[{"id":"pipeline","name":"Configured pipeline"},{"id":"erp-sync","name":"ERP sync"}],
	"entitlements":[{"name":"support","quantity":"4","unit":"hours","per":"week"}],"price":{"amount":"45000","currency":"USD"}}`
}

var (
	lead   = app.Principal{ID: "u-lead", Name: "Ravi", Role: "implementation_lead"}
	client = app.Principal{ID: "u-dana", Name: "Dana", Role: "client", Account: "acme"}
)

// scope makes a deal of acme with a scope written by rep, in state draft,
// submitted, lead_approved, approved (by the lead and the client) or
// proposed (a draft whose deal has a proposal), and returns the deal's ID,
// the scope's and the scope's ETag.
func (e *env) scope(state string) (dealID, id, tag string) {
	e.t.Helper()
	ctx := context.Background()
	dealID = e.deal("fresh")
	s, err := e.app.CreateScope(ctx, rep, dealID, []byte(sowBody(dealID)))
	if err != nil {
		e.t.Fatal(err)
	}
	steps := map[string][]func(rev int64) (app.Doc[app.Scope], error){
		"submitted": {func(rev int64) (app.Doc[app.Scope], error) { return e.app.Submit(ctx, rep, s.Value.ID, rev, nil) }},
	}
	steps["lead_approved"] = append(steps["submitted"], func(rev int64) (app.Doc[app.Scope], error) {
		return e.app.ApproveAsLead(ctx, lead, s.Value.ID, rev, []byte(team))
	})
	steps["approved"] = append(steps["lead_approved"], func(rev int64) (app.Doc[app.Scope], error) {
		return e.app.ApproveAsClient(ctx, client, s.Value.ID, rev, nil)
	})
	for _, step := range steps[state] {
		if s, err = step(s.Rev); err != nil {
			e.t.Fatal(err)
		}
	}
	if state == "proposed" {
		if _, _, err := e.app.PutProposal(ctx, rep, dealID, 0, []byte(proposalBody(dealID))); err != nil {
			e.t.Fatal(err)
		}
	}
	return dealID, s.Value.ID, fmt.Sprintf(`"%d"`, s.Rev)
}

func TestEveryScopeEndpointByRole(t *testing.T) {
	e := newEnv(t)
	editors := []string{"sales_rep", "sales_manager", "implementation_lead", "admin"}
	staff := []string{"sales_rep", "sales_manager", "implementation_lead", "admin", "finance"}
	ctx := context.Background()
	for _, tc := range []struct {
		method, path, state, body string
		// on says which ID the path takes: the scope's or the deal's.
		onDeal bool
		write  bool
		want   map[string]int
	}{
		{"POST", "/api/v1/deals/{id}/scopes", "deal", "", true, false, onlyRoles(201, editors...)},
		{"GET", "/api/v1/scopes/{id}", "draft", "", false, false, allRoles(200)},
		{"PUT", "/api/v1/scopes/{id}", "draft", "", false, true, onlyRoles(200, editors...)},
		{"PATCH", "/api/v1/scopes/{id}", "draft", `{"assumptions":["ERP access by day 3"]}`, false, true, onlyRoles(200, editors...)},
		{"GET", "/api/v1/scopes/{id}/revisions", "draft", "", false, false, allRoles(200)},
		{"POST", "/api/v1/scopes/{id}/submit", "draft", "", false, true, onlyRoles(200, editors...)},
		{"POST", "/api/v1/scopes/{id}/request-changes", "submitted", `{"comments":[{"step":"configure","text":"16 hours a day"}]}`, false, true, onlyRoles(200, "implementation_lead")},
		{"POST", "/api/v1/scopes/{id}/approve-lead", "submitted", team, false, true, onlyRoles(200, "implementation_lead")},
		{"POST", "/api/v1/scopes/{id}/approve-client", "lead_approved", "", false, true, onlyRoles(200, "client")},
		{"POST", "/api/v1/scopes/{id}/feasibility", "draft", team, false, false, allRoles(200)},
		{"GET", "/api/v1/scopes/{id}/discrepancies", "proposed", "", false, false, allRoles(200)},
		{"POST", "/api/v1/scopes/{id}/decisions", "proposed", "", false, true, onlyRoles(200, "sales_manager", "implementation_lead", "admin")},
		{"GET", "/api/v1/deals/{id}/proposal", "proposed", "", true, false, allRoles(200)},
		{"PUT", "/api/v1/deals/{id}/proposal", "draft", "", true, false, onlyRoles(201, "sales_rep", "sales_manager", "admin")},
		{"POST", "/api/v1/deals/{id}/payment-check", "approved", `{"id":"pay-1","amount":{"amount":"24000","currency":"USD"}}`, true, false, onlyRoles(200, staff...)},
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
				var dealID, id, tag string
				if tc.state == "deal" {
					dealID = e.deal("fresh")
				} else {
					dealID, id, tag = e.scope(tc.state)
				}
				b := tc.body
				switch {
				case tc.method == "POST" && strings.HasSuffix(tc.path, "/scopes"):
					b = sowBody(dealID)
				case tc.method == "PUT" && tc.onDeal:
					b = proposalBody(dealID)
				case tc.method == "PUT":
					b = strings.Replace(sowBody(dealID), `"title":"Acme pipeline rollout"`, `"title":"Acme rollout"`, 1)
				case strings.HasSuffix(tc.path, "/decisions"):
					ds, err := e.app.Discrepancies(ctx, rep, id)
					if err != nil || len(ds) != 1 {
						t.Fatalf("discrepancies %v, %v; want one", ds, err)
					}
					d, _ := json.Marshal(ds[0])
					b = `{"discrepancy":` + string(d) + `,"change":"proposal","note":"the proposal was a draft"}`
				}
				path := strings.Replace(tc.path, "{id}", id, 1)
				if tc.onDeal {
					path = strings.Replace(tc.path, "{id}", dealID, 1)
				}
				ifMatch := ""
				if tc.write {
					ifMatch = tag
				}
				w := e.do(tc.method, path, e.tokens[role], ifMatch, b)
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

// TestScopeReviewOverHTTP walks a scope from draft to the payment, and
// checks the deal's reference after each step.
func TestScopeReviewOverHTTP(t *testing.T) {
	e := newEnv(t)
	dealID := e.deal("fresh")
	rep, leadTok, clientTok, manager := e.tokens["sales_rep"], e.tokens["implementation_lead"], e.tokens["client"], e.tokens["sales_manager"]
	var sow struct {
		ID     string `json:"id"`
		Review struct {
			Status   string `json:"status"`
			Revision int    `json:"revision"`
			Digest   string `json:"digest"`
		} `json:"review"`
	}
	w := e.do("POST", "/api/v1/deals/"+dealID+"/scopes", rep, "", sowBody(dealID))
	if w.Code != 201 || w.Header().Get("ETag") != `"1"` || w.Header().Get("Location") != "/api/v1/scopes/s-"+dealID {
		t.Fatalf("create: %d ETag %s Location %s: %s", w.Code, w.Header().Get("ETag"), w.Header().Get("Location"), w.Body)
	}
	json.Unmarshal(w.Body.Bytes(), &sow)
	path := "/api/v1/scopes/" + sow.ID
	first := sow.Review.Digest
	if sow.Review.Status != "draft" || sow.Review.Revision != 1 || len(first) != 64 {
		t.Errorf("created: status %s revision %d digest %q", sow.Review.Status, sow.Review.Revision, first)
	}
	ref := func() map[string]any {
		t.Helper()
		var d struct {
			Scope map[string]any `json:"scope"`
		}
		json.Unmarshal(e.do("GET", "/api/v1/deals/"+dealID, rep, "", "").Body.Bytes(), &d)
		return d.Scope
	}
	if r := ref(); r["id"] != sow.ID || r["revision"] != 1.0 || r["approvals"] != "none" || r["reconciled"] != false {
		t.Errorf("the deal's reference after create: %v", r)
	}
	if w := e.do("POST", "/api/v1/deals/"+dealID+"/scopes", rep, "", strings.Replace(sowBody(dealID), `"id":"s-`, `"id":"t-`, 1)); w.Code != 409 {
		t.Errorf("a second scope for the deal: %d, want 409", w.Code)
	}

	// An edit is a recorded revision; every revision's content is kept.
	w = e.do("PATCH", path, rep, `"1"`, `{"assumptions":["ERP access by day 3"]}`)
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || w.Header().Get("ETag") != `"2"` || sow.Review.Revision != 2 || sow.Review.Status != "draft" {
		t.Fatalf("patch: %d ETag %s revision %d status %s: %s", w.Code, w.Header().Get("ETag"), sow.Review.Revision, sow.Review.Status, w.Body)
	}
	var revs []struct {
		Revision int            `json:"revision"`
		Digest   string         `json:"digest"`
		By       string         `json:"by"`
		Content  map[string]any `json:"content"`
	}
	json.Unmarshal(e.do("GET", path+"/revisions", clientTok, "", "").Body.Bytes(), &revs)
	if len(revs) != 2 || revs[0].Revision != 1 || revs[0].Digest != first || revs[0].By != "u-sales_rep" ||
		revs[0].Content["assumptions"] != nil || revs[1].Revision != 2 || revs[1].Digest != sow.Review.Digest ||
		!reflect.DeepEqual(revs[1].Content["assumptions"], []any{"ERP access by day 3"}) || revs[1].Content["review"] != nil {
		t.Errorf("revisions: %+v", revs)
	}

	// Submitted, sent back, revised, resubmitted.
	w = e.do("POST", path+"/submit", rep, `"2"`, "")
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || sow.Review.Status != "submitted" {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	w = e.do("POST", path+"/request-changes", leadTok, `"3"`, `{"comments":[{"step":"configure","text":"16 hours a day is two people"}]}`)
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || sow.Review.Status != "changes_requested" {
		t.Fatalf("request changes: %d %s", w.Code, w.Body)
	}
	if w := e.do("PATCH", path, rep, `"4"`, `{"title":"Acme rollout, two consultants"}`); w.Code != 200 {
		t.Fatalf("edit after the request for changes: %d %s", w.Code, w.Body)
	}
	w = e.do("POST", path+"/submit", rep, `"5"`, "")
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || sow.Review.Status != "resubmitted" || sow.Review.Revision != 3 {
		t.Fatalf("resubmit: %d %s", w.Code, w.Body)
	}

	// Feasibility against a team with one consultant: three overloaded days.
	var f struct {
		Feasible  bool             `json:"feasible"`
		Slip      int              `json:"slip_days"`
		Overloads []map[string]any `json:"overloads"`
	}
	json.Unmarshal(e.do("POST", path+"/feasibility", leadTok, "", `{"capacity":{"per_role":{"consultant":"8","engineer":"8"}}}`).Body.Bytes(), &f)
	if f.Feasible || f.Slip != 2 || len(f.Overloads) != 3 || f.Overloads[0]["role"] != "consultant" {
		t.Errorf("feasibility with one consultant: %+v", f)
	}

	// The client cannot approve before the lead: the library's unmet list.
	w = e.do("POST", path+"/approve-client", clientTok, `"6"`, "")
	if p := problem(t, w); w.Code != 422 || p["unmet"].([]any)[0].(map[string]any)["criterion"] != "lead_approval" {
		t.Errorf("client before lead: %d %v", w.Code, p)
	}
	// The lead approves against the capacity they give.
	w = e.do("POST", path+"/approve-lead", leadTok, `"6"`, team)
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || sow.Review.Status != "lead_approved" || ref()["approvals"] != "lead" {
		t.Fatalf("lead approval: %d %s; ref %v", w.Code, w.Body, ref())
	}
	// No payment yet.
	pay := `{"id":"pay-1","amount":{"amount":"24000","currency":"USD"}}`
	w = e.do("POST", "/api/v1/deals/"+dealID+"/payment-check", e.tokens["finance"], "", pay)
	p := problem(t, w)
	want := []any{map[string]any{"criterion": "policy.payment_after_client_approval", "field": "payment",
		"message": `the client has not approved revision 3 of Scope of Work "s-` + dealID + `" (it is lead approved); take payment only after the client approves`}}
	if w.Code != 422 || !reflect.DeepEqual(p["unmet"], want) {
		t.Errorf("payment before the client approved: %d\n got %v\nwant %v", w.Code, p["unmet"], want)
	}
	w = e.do("POST", path+"/approve-client", clientTok, `"7"`, "")
	json.Unmarshal(w.Body.Bytes(), &sow)
	if w.Code != 200 || sow.Review.Status != "client_approved" || ref()["approvals"] != "lead_and_client" {
		t.Fatalf("client approval: %d %s; ref %v", w.Code, w.Body, ref())
	}
	w = e.do("POST", "/api/v1/deals/"+dealID+"/payment-check", e.tokens["finance"], "", pay)
	if w.Code != 200 || w.Body.String() != `{"allowed":true,"deal_id":"`+dealID+`","scope_id":"s-`+dealID+`","revision":3}`+"\n" {
		t.Errorf("payment after approval: %d %s", w.Code, w.Body)
	}

	// The proposal differs in price: reconciled, one discrepancy, decided.
	w = e.do("PUT", "/api/v1/deals/"+dealID+"/proposal", rep, "", proposalBody(dealID))
	if w.Code != 201 || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("proposal: %d %s", w.Code, w.Body)
	}
	if w := e.do("PUT", "/api/v1/deals/"+dealID+"/proposal", rep, "", proposalBody(dealID)); w.Code != 428 {
		t.Errorf("replacing a proposal without If-Match: %d, want 428", w.Code)
	}
	if r := ref(); r["reconciled"] != true || r["unresolved"] != 1.0 || r["approvals"] != "lead_and_client" {
		t.Errorf("the deal's reference after the proposal: %v", r)
	}
	var ds []map[string]any
	json.Unmarshal(e.do("GET", path+"/discrepancies", manager, "", "").Body.Bytes(), &ds)
	if len(ds) != 1 || ds[0]["kind"] != "price" || ds[0]["message"] != "the price differs: 45000 USD proposed, 48000 USD scoped" {
		t.Fatalf("discrepancies: %v", ds)
	}
	d, _ := json.Marshal(ds[0])
	decision := `{"discrepancy":` + string(d) + `,"change":"proposal","note":"the 45000 was before the ERP sync"}`
	if w := e.do("POST", path+"/decisions", rep, `"8"`, decision); w.Code != 403 {
		t.Errorf("the author decides: %d, want 403: %s", w.Code, w.Body)
	}
	w = e.do("POST", path+"/decisions", manager, `"8"`, decision)
	if w.Code != 200 {
		t.Fatalf("decision: %d %s", w.Code, w.Body)
	}
	if r := ref(); r["reconciled"] != true || r["unresolved"] != 0.0 || r["approvals"] != "lead_and_client" {
		t.Errorf("the deal's reference after the decision: %v", r)
	}

	// The scope's events are stored in their own table, one per review step.
	var kinds []string
	err := e.db.View(context.Background(), func(tx store.Tx) error {
		evs, err := tx.Events().List(context.Background(), store.SubjectScope, sow.ID)
		for i, ev := range evs {
			if ev.Seq != i {
				t.Errorf("event %d at position %d", i, ev.Seq)
			}
			kinds = append(kinds, ev.Kind)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"opened", "revised", "submitted", "changes_requested", "revised", "submitted", "lead_approved", "client_approved"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("scope events %v, want %v", kinds, want)
	}
}

// TestScopeIntegrityThroughTheAPI checks the library's separation of duties
// and the If-Match guard of approvals over HTTP, on both backends.
func TestScopeIntegrityThroughTheAPI(t *testing.T) {
	run := func(t *testing.T, addr string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		a := app.New(app.Config{Store: db, Now: func() time.Time { return now }})
		e := &env{t: t, app: a, db: db, h: httpapi.New(a, slog.New(slog.NewTextHandler(io.Discard, nil))), tokens: map[string]string{}}
		for name, spec := range map[string]app.TokenSpec{
			"rep":    {ActorID: "u-asha", Name: "Asha", Role: "sales_rep"},
			"lead":   {ActorID: "u-ravi", Name: "Ravi", Role: "implementation_lead"},
			"client": {ActorID: "u-dana", Name: "Dana", Role: "client", Account: "acme"},
			// The author holds a client token of the same account too.
			"author as client": {ActorID: "u-asha", Name: "Asha", Role: "client", Account: "acme"},
			"globex":           {ActorID: "u-gina", Name: "Gina", Role: "client", Account: "globex"},
		} {
			if e.tokens[name], _, err = a.CreateToken(ctx, spec); err != nil {
				t.Fatal(err)
			}
		}
		dealID := e.deal("fresh")
		path := "/api/v1/scopes/s-" + dealID
		for _, s := range []struct{ method, path, token, ifMatch, body string }{
			{"POST", "/api/v1/deals/" + dealID + "/scopes", "rep", "", sowBody(dealID)},
			{"POST", path + "/submit", "rep", `"1"`, ""},
			{"POST", path + "/approve-lead", "lead", `"2"`, team},
		} {
			if w := e.do(s.method, s.path, e.tokens[s.token], s.ifMatch, s.body); w.Code/100 != 2 {
				t.Fatalf("%s %s: %d %s", s.method, s.path, w.Code, w.Body)
			}
		}

		w := e.do("POST", path+"/approve-client", e.tokens["author as client"], `"3"`, "")
		p := problem(t, w)
		if w.Code != 403 || p["detail"] != `accord: forbidden: scope "s-`+dealID+`": u-asha wrote this scope and cannot approve it for the client` {
			t.Errorf("the author approves as client: %d %v, want 403", w.Code, p["detail"])
		}
		if w := e.do("POST", path+"/approve-client", e.tokens["globex"], `"3"`, ""); w.Code != 404 {
			t.Errorf("another account's client approves: %d, want 404: %s", w.Code, w.Body)
		}
		if w := e.do("GET", path, e.tokens["globex"], "", ""); w.Code != 404 {
			t.Errorf("another account's client reads: %d, want 404", w.Code)
		}

		// The rep edits the approved revision; a client holding the ETag of
		// the revision the lead approved cannot approve it any more.
		if w := e.do("PATCH", path, e.tokens["rep"], `"3"`, `{"price":{"amount":"52000","currency":"USD"}}`); w.Code != 200 {
			t.Fatalf("edit: %d %s", w.Code, w.Body)
		}
		w = e.do("POST", path+"/approve-client", e.tokens["client"], `"3"`, `{"revision":1}`)
		p = problem(t, w)
		cur, _ := p["current"].(map[string]any)
		review, _ := cur["review"].(map[string]any)
		if w.Code != 412 || w.Header().Get("ETag") != `"4"` || review["revision"] != 2.0 || review["status"] != "changes_requested" {
			t.Errorf("a stale ETag approves: %d ETag %s current review %v, want 412 \"4\" at revision 2", w.Code, w.Header().Get("ETag"), review)
		}
		var d struct {
			Scope map[string]any `json:"scope"`
		}
		json.Unmarshal(e.do("GET", "/api/v1/deals/"+dealID, e.tokens["client"], "", "").Body.Bytes(), &d)
		if d.Scope["revision"] != 2.0 || d.Scope["approvals"] != "none" {
			t.Errorf("the deal's reference after the refusals: %v, want revision 2 with no approvals", d.Scope)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, pgtest.Start(t).Database(t)) })
}
