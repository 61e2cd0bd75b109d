package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/internal/pgtest"
	"github.com/accordhq/accord/examples/server/store"
)

// wonDealBody is a deal of account acme whose fields meet every criterion
// of the unified process up to the proposal at now, sold on sowBody's scope
// for twelve months from now's day.
func wonDealBody(id string, now time.Time) string {
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	req := func(id, kind string) string {
		return `{"id":"` + id + `","title":"` + kind + `","kind":"` + kind + `","priority":"must","source":{"name":"Dana","at":"2026-02-10T15:00:00Z"}}`
	}
	var reqs []string
	for i, k := range []string{"current_state", "future_state", "workflow", "integration", "data_structure", "edge_case"} {
		reqs = append(reqs, req(fmt.Sprintf("D%d", i+1), k))
	}
	return `{"id":"` + id + `","account_id":"acme","account":"Acme","segment":"smb","value":{"amount":"48000","currency":"USD"},
	"targeting":{"trigger":"new VP","hypothesis":"spreadsheets"},
	"qualification":{"why_now":"the board wants a forecast","fit":"strong"},
	"stakeholders":[
		{"name":"Lee Park","title":"VP Sales","role":"champion","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"},
		{"name":"Kim Ode","title":"CFO","role":"economic_buyer","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"},
		{"name":"Ana Ruiz","title":"COO","role":"executive_sponsor","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"}],
	"discovery":{"problem":"the forecast misses by 30%","desired_outcome":"a weekly forecast within 5%",
		"success_criteria":["forecast within 5% for a quarter"],
		"constraints":{"security":"SSO","timeline":"live by June","integrations":"ERP","legal":"EU data"},
		"current_stack":"spreadsheets","blockers":"none","requirements":[` + strings.Join(reqs, ",") + `]},
	"alignment":{"agreed_by":"Lee Park","agreed_at":"` + at(-time.Hour) + `"},
	"next_step":{"at":"` + at(7*24*time.Hour) + `","purpose":"review the business case"},
	"business_case":{"summary":"two analysts back","impact":{"amount":"210000","currency":"USD"},"agreed_by":"Kim Ode",
		"agreed_at":"` + at(-time.Hour) + `","champion_strength":"strong","decision_plan":"CFO signs by March 20"},
	"commercials":{"decision_path":"VP, CFO, signature","procurement":"security questionnaire","legal":"MSA",
		"implementation_start":"` + now.UTC().Truncate(24*time.Hour).Format(time.RFC3339) + `","final_price":{"amount":"48000","currency":"USD"},"term_months":12,
		"concessions":"none"},
	"artifacts":[{"kind":"signed_agreement","name":"Order form","ref":"docs/of.pdf","added_at":"` + at(-time.Hour) + `"},
		{"kind":"executed_contract","name":"MSA","ref":"docs/msa.pdf","added_at":"` + at(-time.Hour) + `"}]}`
}

// matchingProposal is a proposal of deal dealID that agrees with sowBody
// in every promise.
func matchingProposal(dealID string) string {
	return `{"id":"p-` + dealID + `","deliverables":[{"id":"pipeline","name":"Configured pipeline"},{"id":"erp-sync","name":"ERP sync"}],
	"entitlements":[{"name":"support","quantity":"4","unit":"hours","per":"week"}],"price":{"amount":"48000","currency":"USD"}}`
}

// closable makes a deal in the proposal stage whose scope the lead and the
// client approved and whose proposal agrees with it: it can close. It
// returns the deal's ID and ETag and the scope's ID and ETag.
func (e *env) closable() (dealID, dealTag, scopeID, scopeTag string) {
	e.t.Helper()
	ctx := context.Background()
	e.n++
	dealID = fmt.Sprintf("d-%d", e.n)
	d, err := e.app.CreateDeal(ctx, rep, []byte(wonDealBody(dealID, e.now)))
	if err != nil {
		e.t.Fatal(err)
	}
	for range 5 {
		if d, err = e.app.Advance(ctx, rep, dealID, d.Rev); err != nil {
			e.t.Fatalf("advance from %s: %v", d.Value.Stage, err)
		}
	}
	if d.Value.Stage != "proposal" {
		e.t.Fatalf("the deal is in %s, want proposal", d.Value.Stage)
	}
	if _, _, err := e.app.PutProposal(ctx, rep, dealID, 0, []byte(matchingProposal(dealID))); err != nil {
		e.t.Fatal(err)
	}
	s, err := e.app.CreateScope(ctx, rep, dealID, []byte(sowBody(dealID)))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, step := range []func(rev int64) (app.Doc[app.Scope], error){
		func(rev int64) (app.Doc[app.Scope], error) { return e.app.Submit(ctx, rep, s.Value.ID, rev, nil) },
		func(rev int64) (app.Doc[app.Scope], error) {
			return e.app.ApproveAsLead(ctx, lead, s.Value.ID, rev, []byte(team))
		},
		func(rev int64) (app.Doc[app.Scope], error) {
			return e.app.ApproveAsClient(ctx, client, s.Value.ID, rev, nil)
		},
	} {
		if s, err = step(s.Rev); err != nil {
			e.t.Fatal(err)
		}
	}
	d, err = e.app.GetDeal(ctx, rep, dealID)
	if err != nil {
		e.t.Fatal(err)
	}
	return dealID, fmt.Sprintf(`"%d"`, d.Rev), s.Value.ID, fmt.Sprintf(`"%d"`, s.Rev)
}

// won closes a closable deal and returns its ID and ETag.
func (e *env) won() (dealID, tag string) {
	e.t.Helper()
	dealID, tag, _, _ = e.closable()
	var rev int64
	fmt.Sscanf(tag, `"%d"`, &rev)
	d, err := e.app.Close(context.Background(), rep, dealID, rev, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return dealID, fmt.Sprintf(`"%d"`, d.Rev)
}

// contract makes the contract of a won deal with the body's agreement and
// returns the deal's ID, the contract's ID and its ETag.
func (e *env) contract(body string) (dealID, id, tag string) {
	e.t.Helper()
	dealID, dtag := e.won()
	var rev int64
	fmt.Sscanf(dtag, `"%d"`, &rev)
	c, err := e.app.CreateContract(context.Background(), rep, dealID, rev, []byte(body))
	if err != nil {
		e.t.Fatal(err)
	}
	return dealID, c.Value.ID, fmt.Sprintf(`"%d"`, c.Rev)
}

const agreement = `{"vendor":{"id":"v","name":"Accord Inc."},"billing":"annual","commitment":"term","notice_days":30}`

// decodeJSON decodes the body of w into v.
func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

type contractView struct {
	ID       string    `json:"id"`
	DealID   string    `json:"deal_id"`
	Status   string    `json:"status"`
	GoLiveAt time.Time `json:"go_live_at"`
	Version  int       `json:"version"`
	Term     struct {
		Start   string `json:"start"`
		End     string `json:"end"`
		Renewal string `json:"renewal"`
		Months  int    `json:"months"`
		Value   struct {
			Amount string `json:"amount"`
		} `json:"value"`
	} `json:"term"`
	Refunded *struct {
		Amount map[string]any `json:"amount"`
	} `json:"refunded"`
}

// TestContractOverHTTP follows a deal from the close to its contract's
// renewal and refund, and the win undone only once the contract ended.
func TestContractOverHTTP(t *testing.T) {
	e := newEnv(t)
	rep, manager, leadTok, clientTok := e.tokens["sales_rep"], e.tokens["sales_manager"], e.tokens["implementation_lead"], e.tokens["client"]
	dealID, tag, _, _ := e.closable()
	deal := "/api/v1/deals/" + dealID

	// Only the close closes, and only with If-Match.
	w := e.do("POST", deal+"/advance", rep, tag, "")
	if p := problem(t, w); w.Code != 422 || !reflect.DeepEqual(criteria(p), []string{"scope_presented"}) {
		t.Errorf("advance into handoff: %d %v, want 422 scope_presented", w.Code, p["unmet"])
	}
	if w := e.do("POST", deal+"/close", rep, "", ""); w.Code != 428 {
		t.Errorf("close without If-Match: %d, want 428", w.Code)
	}
	if w := e.do("POST", deal+"/close", leadTok, tag, ""); w.Code != 403 {
		t.Errorf("close by the implementation lead: %d, want 403", w.Code)
	}
	if w := e.do("POST", deal+"/contract", rep, tag, agreement); w.Code != 422 {
		t.Errorf("a contract before the close: %d, want 422: %s", w.Code, w.Body)
	}
	w = e.do("POST", deal+"/close", rep, tag, "")
	var d struct {
		Stage      string `json:"stage"`
		ContractID string `json:"contract_id"`
		History    []struct {
			Kind  string         `json:"kind"`
			Scope map[string]any `json:"scope"`
		} `json:"history"`
	}
	decodeJSON(t, w.Body.Bytes(), &d)
	if w.Code != 200 || d.Stage != "handoff" || d.History[len(d.History)-1].Scope["id"] != "s-"+dealID {
		t.Fatalf("close: %d stage %s: %s", w.Code, d.Stage, w.Body)
	}
	tag = w.Header().Get("ETag")

	// The contract, from the revision the deal closed on; the deal records it
	// in the same transaction, so its ETag moves.
	if w := e.do("POST", deal+"/contract", rep, "", agreement); w.Code != 428 {
		t.Errorf("a contract without If-Match: %d, want 428", w.Code)
	}
	if w := e.do("POST", deal+"/contract", rep, tag, `{"billing":"weekly"}`); w.Code != 400 {
		t.Errorf("a contract with a bad billing: %d, want 400: %s", w.Code, w.Body)
	}
	w = e.do("POST", deal+"/contract", rep, tag, strings.Replace(agreement, "{", `{"id":"ctr-1",`, 1))
	var c contractView
	decodeJSON(t, w.Body.Bytes(), &c)
	if w.Code != 201 || w.Header().Get("Location") != "/api/v1/contracts/ctr-1" || w.Header().Get("ETag") != `"1"` ||
		c.Status != "onboarding" || c.Term.Start != "2026-03-02" || c.Term.Renewal != "2027-03-02" || c.Term.Value.Amount != "48000" {
		t.Fatalf("create contract: %d %v %+v", w.Code, w.Header(), c)
	}
	if w := e.do("POST", deal+"/contract", rep, tag, agreement); w.Code != 412 {
		t.Errorf("a second contract from the deal's old ETag: %d, want 412", w.Code)
	}
	w = e.do("GET", deal, clientTok, "", "")
	decodeJSON(t, w.Body.Bytes(), &d)
	if d.ContractID != "ctr-1" || w.Header().Get("ETag") == tag {
		t.Errorf("the deal after the contract: contract %q ETag %s (was %s)", d.ContractID, w.Header().Get("ETag"), tag)
	}
	tag = w.Header().Get("ETag")
	if w := e.do("POST", deal+"/contract", rep, tag, agreement); w.Code != 409 {
		t.Errorf("a second contract: %d, want 409: %s", w.Code, w.Body)
	}
	if w := e.do("PATCH", deal, rep, tag, `{"contract_id":null}`); w.Code != 400 {
		t.Errorf("patching the contract away: %d, want 400", w.Code)
	}
	// Undoing the win while the contract lives is refused by the process.
	w = e.do("POST", deal+"/lose", manager, tag, `{"reason":"budget"}`)
	if p := problem(t, w); w.Code != 409 || !strings.Contains(p["detail"].(string), `has contract "ctr-1", which has not ended`) {
		t.Errorf("losing a deal with a live contract: %d %v, want 409", w.Code, p["detail"])
	}

	// Go-live: onboarding → active.
	path := "/api/v1/contracts/ctr-1"
	if w := e.do("POST", path+"/go-live", clientTok, `"1"`, ""); w.Code != 403 {
		t.Errorf("the client records the go-live: %d, want 403", w.Code)
	}
	e.now = e.now.Add(24 * time.Hour)
	w = e.do("POST", path+"/go-live", leadTok, `"1"`, `{"reason":"both teams forecast from one board"}`)
	decodeJSON(t, w.Body.Bytes(), &c)
	if w.Code != 200 || c.Status != "active" || !c.GoLiveAt.Equal(e.now) || w.Header().Get("ETag") != `"2"` {
		t.Fatalf("go-live: %d %s", w.Code, w.Body)
	}
	if w := e.do("POST", path+"/go-live", leadTok, `"2"`, ""); w.Code != 409 {
		t.Errorf("a second go-live: %d, want 409", w.Code)
	}
	if w := e.do("POST", path+"/status", leadTok, `"2"`, `{"to":"lapsed","reason":"x"}`); w.Code != 422 {
		t.Errorf("lapsing before the term ended: %d, want 422: %s", w.Code, w.Body)
	}

	// Renewals: none due in March; in December the notice alert, once.
	var due app.Renewals
	decodeJSON(t, e.do("GET", "/api/v1/renewals/due", manager, "", "").Body.Bytes(), &due)
	if len(due.Alerts) != 0 {
		t.Errorf("renewals due in March: %+v", due)
	}
	if w := e.do("POST", path+"/renew", rep, `"2"`, `{"months":12,"value":{"amount":"52000","currency":"USD"}}`); w.Code != 422 {
		t.Errorf("a renewal before the window: %d, want 422: %s", w.Code, w.Body)
	}
	e.now = time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)
	decodeJSON(t, e.do("POST", "/api/v1/renewals/due", manager, "", "").Body.Bytes(), &due)
	if len(due.Alerts) != 1 || due.Enqueued != 1 || due.Alerts[0].Key != "renewal:ctr-1:2026-03-02:notice:60" {
		t.Fatalf("renewals due in December: %+v", due)
	}
	e.now = e.now.Add(24 * time.Hour)
	decodeJSON(t, e.do("POST", "/api/v1/renewals/due", manager, "", "").Body.Bytes(), &due)
	if len(due.Alerts) != 1 || due.Enqueued != 0 {
		t.Errorf("the next day, the same step: %+v, want nothing new enqueued", due)
	}
	err := e.db.View(context.Background(), func(tx store.Tx) error {
		m, err := tx.Outbox().Get(context.Background(), "renewal:ctr-1:2026-03-02:notice:60")
		if err == nil && (m.Kind != app.RenewalKind || m.Subject != store.SubjectContract || m.SubjectID != "ctr-1") {
			t.Errorf("outbox message: %+v", m)
		}
		return err
	})
	if err != nil {
		t.Fatalf("the alert in the outbox: %v", err)
	}

	// Renew, then the client asks for a refund: granted; then the win can go.
	w = e.do("POST", path+"/renew", rep, `"2"`, `{"months":12,"value":{"amount":"52000","currency":"USD"}}`)
	decodeJSON(t, w.Body.Bytes(), &c)
	if w.Code != 200 || c.Term.Start != "2027-03-02" || c.Term.Value.Amount != "52000" {
		t.Fatalf("renew: %d %s", w.Code, w.Body)
	}
	w = e.do("POST", path+"/refund", clientTok, `"3"`, "")
	decodeJSON(t, w.Body.Bytes(), &c)
	if w.Code != 200 || c.Status != "refunded" || c.Refunded == nil {
		t.Fatalf("refund: %d %s", w.Code, w.Body)
	}
	if w := e.do("POST", path+"/refund", clientTok, `"4"`, ""); w.Code != 409 {
		t.Errorf("a second refund: %d, want 409", w.Code)
	}
	if w := e.do("POST", deal+"/lose", manager, tag, `{"reason":"budget","note":"refunded"}`); w.Code != 200 {
		t.Errorf("losing the deal once its contract was refunded: %d %s", w.Code, w.Body)
	}

	// Every change is an event in the events table.
	var kinds []string
	err = e.db.View(context.Background(), func(tx store.Tx) error {
		evs, err := tx.Events().List(context.Background(), store.SubjectContract, "ctr-1")
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
		return err
	})
	if want := []string{"created", "status", "renewal", "refund", "status"}; err != nil || !reflect.DeepEqual(kinds, want) {
		t.Errorf("contract events %v (%v), want %v", kinds, err, want)
	}
}

func criteria(p map[string]any) []string {
	var out []string
	us, _ := p["unmet"].([]any)
	for _, u := range us {
		out = append(out, u.(map[string]any)["criterion"].(string))
	}
	return out
}

// TestCloseIntegrityThroughTheAPI: a stale ETag cannot close a deal on an
// old scope revision, and a reference that disagrees with its scope closes
// nothing, on both backends.
func TestCloseIntegrityThroughTheAPI(t *testing.T) {
	run := func(t *testing.T, addr string) {
		e := newEnvOn(t, addr)
		rep := e.tokens["sales_rep"]
		dealID, tag, scopeID, scopeTag := e.closable()

		// The rep read the deal with its approved scope; then the scope is
		// edited (the deal's reference with it). The close on the old ETag
		// is stale, with the deal as it is now.
		if w := e.do("PATCH", "/api/v1/scopes/"+scopeID, rep, scopeTag, `{"assumptions":["weekend cut-over"]}`); w.Code != 200 {
			t.Fatalf("edit: %d %s", w.Code, w.Body)
		}
		w := e.do("POST", "/api/v1/deals/"+dealID+"/close", rep, tag, "")
		p := problem(t, w)
		cur, _ := p["current"].(map[string]any)
		ref, _ := cur["scope"].(map[string]any)
		if w.Code != 412 || ref["revision"] != 2.0 || ref["approvals"] != "none" {
			t.Errorf("close from the ETag read before the edit: %d %v, want 412 with revision 2 unapproved", w.Code, ref)
		}
		// With the current ETag, the deal closes on nothing unapproved.
		w = e.do("POST", "/api/v1/deals/"+dealID+"/close", rep, w.Header().Get("ETag"), "")
		if p := problem(t, w); w.Code != 422 || !reflect.DeepEqual(criteria(p), []string{"scope_approved"}) {
			t.Errorf("close on the edited scope: %d %v, want 422 scope_approved", w.Code, p["unmet"])
		}

		// A reference that disagrees with the scope it names (written by a
		// careless host straight into the store) closes nothing: the library's
		// conflict, 409, and the deal does not move.
		dealID, tag, _, _ = e.closable()
		ctx := context.Background()
		err := e.db.InTx(ctx, func(tx store.Tx) error {
			rec, err := tx.Deals().Get(ctx, dealID)
			if err != nil {
				return err
			}
			var doc map[string]any
			json.Unmarshal(rec.Doc, &doc)
			doc["scope"].(map[string]any)["revision"] = 7.0
			was := rec
			rec.Doc, _ = json.Marshal(doc)
			_, err = tx.Deals().Update(ctx, rec, was)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var rev int64
		fmt.Sscanf(tag, `"%d"`, &rev)
		tag = fmt.Sprintf(`"%d"`, rev+1)
		w = e.do("POST", "/api/v1/deals/"+dealID+"/close", rep, tag, "")
		if p := problem(t, w); w.Code != 409 || !strings.Contains(p["detail"].(string), "conflict") {
			t.Errorf("close on a reference that disagrees with the scope: %d %v, want 409", w.Code, p["detail"])
		}
		var d struct {
			Stage string `json:"stage"`
		}
		decodeJSON(t, e.do("GET", "/api/v1/deals/"+dealID, rep, "", "").Body.Bytes(), &d)
		if d.Stage != "proposal" {
			t.Errorf("after the refused close the deal is in %s, want proposal", d.Stage)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, pgtest.Start(t).Database(t)) })
}
