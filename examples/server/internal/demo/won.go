package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

// The demo's won deal, demo-initech: sold ten months ago for a year, its
// scope approved by the implementation lead and then the client, closed
// presenting that scope, and its contract in its renewal window today, so
// that GET /api/v1/renewals/due has an alert to show.

// demoWonDeal is demo-initech's deal at now: every criterion of the unified
// process is met up to the proposal, and the implementation started on
// start, the first day of the contract.
func demoWonDeal(now, start time.Time) string {
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	var reqs []string
	for i, k := range []string{"current_state", "future_state", "workflow", "integration", "data_structure", "edge_case"} {
		reqs = append(reqs, fmt.Sprintf(`{"id":"D%d","title":"%s","kind":"%s","priority":"must","source":{"name":"Ian Lee, COO","at":"%s"}}`,
			i+1, strings.ReplaceAll(k, "_", " "), k, at(-30*24*time.Hour)))
	}
	return `{"id":"demo-initech","account_id":"initech","account":"Initech","segment":"mid-market","value":{"amount":"36000","currency":"USD"},
	"targeting":{"trigger":"merged two sales teams","hypothesis":"two pipelines, no forecast"},
	"qualification":{"why_now":"the merger closes the quarter","fit":"strong"},
	"stakeholders":[
		{"name":"Ian Lee","title":"COO","role":"champion","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"},
		{"name":"Pat Moss","title":"CFO","role":"economic_buyer","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"},
		{"name":"Sam Roy","title":"CEO","role":"executive_sponsor","engaged":true,"engaged_at":"` + at(-24*time.Hour) + `"}],
	"discovery":{"problem":"two pipelines nobody trusts","desired_outcome":"one forecast","success_criteria":["one board for both teams"],
		"constraints":{"security":"SSO","timeline":"before the merger closes","integrations":"ERP","legal":"standard MSA"},
		"current_stack":"two CRMs","blockers":"none","requirements":[` + strings.Join(reqs, ",") + `]},
	"alignment":{"agreed_by":"Ian Lee","agreed_at":"` + at(-time.Hour) + `"},
	"next_step":{"at":"` + at(7*24*time.Hour) + `","purpose":"kick-off"},
	"business_case":{"summary":"a week a month back for the managers","impact":{"amount":"150000","currency":"USD"},"agreed_by":"Pat Moss",
		"agreed_at":"` + at(-time.Hour) + `","champion_strength":"strong","decision_plan":"CFO signs"},
	"commercials":{"decision_path":"COO, CFO","procurement":"none","legal":"MSA","implementation_start":"` + start.Format(time.RFC3339) + `",
		"final_price":{"amount":"36000","currency":"USD"},"term_months":12,"concessions":"none"},
	"artifacts":[{"kind":"signed_agreement","name":"Order form","ref":"docs/initech-order.pdf","added_at":"` + at(-time.Hour) + `"},
		{"kind":"executed_contract","name":"MSA","ref":"docs/initech-msa.pdf","added_at":"` + at(-time.Hour) + `"}]}`
}

// demoWonScope is demo-initech's Scope of Work, from start.
func demoWonScope(start time.Time) string {
	return `{"id":"demo-initech-sow","title":"Initech: one pipeline","start":"` + start.Format(time.RFC3339) + `",
	"requirements":[{"id":"R1","title":"One pipeline for both teams","kind":"future_state","priority":"must","source":{"name":"Ian Lee, COO","at":"` +
		start.AddDate(0, 0, -14).Format(time.RFC3339) + `"}}],
	"deliverables":[{"id":"pipeline","name":"Configured pipeline","requirements":["R1"]}],
	"entitlements":[{"name":"support","quantity":"2","unit":"hours","per":"week"}],
	"price":{"amount":"36000","currency":"USD"},
	"steps":[
		{"id":"configure","offset":0,"days":3,"activity":"configuration","phase":"configure","requirements":["R1"],"effort_hours":"24","owner":"consultant"},
		{"id":"go-live","offset":3,"days":1,"activity":"go_live","phase":"go_live","effort_hours":"4","owner":"consultant","depends_on":["configure"]}]}`
}

const demoWonProposal = `{"id":"demo-initech-proposal","deliverables":[{"id":"pipeline","name":"Configured pipeline"}],
	"entitlements":[{"name":"support","quantity":"2","unit":"hours","per":"week"}],"price":{"amount":"36000","currency":"USD"}}`

// seedWon creates demo-initech through its close and its contract, unless
// it exists. Its contract started ten months before now (on a weekday),
// so it is in its renewal window.
func seedWon(ctx context.Context, a *app.App, now time.Time) error {
	people := People()
	rep, lead := people[0], people[2]
	client := app.Principal{ID: "demo-initech-client", Name: "Ian Lee", Role: "client", Account: "initech"}
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -10, 0)
	for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
		start = start.AddDate(0, 0, 1)
	}
	d, err := a.CreateDeal(ctx, rep, []byte(demoWonDeal(now, start)))
	var e *app.Error
	if errors.As(err, &e) && e.Kind == app.KindConflict {
		return nil // seeded by an earlier run
	}
	if err != nil {
		return err
	}
	for range 5 {
		if d, err = a.Advance(ctx, rep, d.Value.ID, d.Rev); err != nil {
			return fmt.Errorf("demo-initech from %s: %w", d.Value.Stage, err)
		}
	}
	if _, _, err := a.PutProposal(ctx, rep, d.Value.ID, 0, []byte(demoWonProposal)); err != nil {
		return err
	}
	s, err := a.CreateScope(ctx, rep, d.Value.ID, []byte(demoWonScope(start)))
	if err != nil {
		return err
	}
	if s, err = a.Submit(ctx, rep, s.Value.ID, s.Rev, nil); err != nil {
		return err
	}
	if s, err = a.ApproveAsLead(ctx, lead, s.Value.ID, s.Rev, []byte(`{"capacity":{"per_role":{"consultant":"8"}}}`)); err != nil {
		return err
	}
	if _, err = a.ApproveAsClient(ctx, client, s.Value.ID, s.Rev, nil); err != nil {
		return err
	}
	if d, err = a.GetDeal(ctx, rep, d.Value.ID); err != nil {
		return err
	}
	if d, err = a.Close(ctx, rep, d.Value.ID, d.Rev, nil); err != nil {
		return fmt.Errorf("demo-initech close: %w", err)
	}
	_, err = a.CreateContract(ctx, rep, d.Value.ID, d.Rev, []byte(`{"id":"demo-initech-contract",
		"vendor":{"id":"demo","name":"Demo Company"},"billing":"annual","commitment":"term","auto_renew":true,"notice_days":30}`))
	return err
}
