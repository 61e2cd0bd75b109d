package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/accordhq/accord/examples/server/app"
)

// wonDealBody is a deal of account acme whose fields meet every criterion
// of the unified process up to the proposal, sold on sowBody's scope for
// twelve months from 2 March 2026.
func wonDealBody(id string) string {
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
		{"name":"Lee Park","title":"VP Sales","role":"champion","engaged":true,"engaged_at":"2026-03-01T09:00:00Z"},
		{"name":"Kim Ode","title":"CFO","role":"economic_buyer","engaged":true,"engaged_at":"2026-03-01T09:00:00Z"},
		{"name":"Ana Ruiz","title":"COO","role":"executive_sponsor","engaged":true,"engaged_at":"2026-03-01T09:00:00Z"}],
	"discovery":{"problem":"the forecast misses by 30%","desired_outcome":"a weekly forecast within 5%",
		"success_criteria":["forecast within 5% for a quarter"],
		"constraints":{"security":"SSO","timeline":"live by June","integrations":"ERP","legal":"EU data"},
		"current_stack":"spreadsheets","blockers":"none","requirements":[` + strings.Join(reqs, ",") + `]},
	"alignment":{"agreed_by":"Lee Park","agreed_at":"2026-03-02T08:00:00Z"},
	"next_step":{"at":"2026-03-09T09:00:00Z","purpose":"review the business case"},
	"business_case":{"summary":"two analysts back","impact":{"amount":"210000","currency":"USD"},"agreed_by":"Kim Ode",
		"agreed_at":"2026-03-02T08:00:00Z","champion_strength":"strong","decision_plan":"CFO signs by March 20"},
	"commercials":{"decision_path":"VP, CFO, signature","procurement":"security questionnaire","legal":"MSA",
		"implementation_start":"2026-03-02T00:00:00Z","final_price":{"amount":"48000","currency":"USD"},"term_months":12,
		"concessions":"none"},
	"artifacts":[{"kind":"signed_agreement","name":"Order form","ref":"docs/of.pdf","added_at":"2026-03-02T08:00:00Z"},
		{"kind":"executed_contract","name":"MSA","ref":"docs/msa.pdf","added_at":"2026-03-02T08:00:00Z"}]}`
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
	d, err := e.app.CreateDeal(ctx, rep, []byte(wonDealBody(dealID)))
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

func TestCloseOverHTTP(t *testing.T) {
	e := newEnv(t)
	dealID, tag, _, _ := e.closable()
	tok := e.tokens["sales_rep"]
	w := e.do("POST", "/api/v1/deals/"+dealID+"/advance", tok, tag, "")
	t.Logf("advance: %d %s", w.Code, w.Body)
	w = e.do("POST", "/api/v1/deals/"+dealID+"/close", tok, tag, "")
	t.Logf("close: %d %s", w.Code, w.Body)
}
