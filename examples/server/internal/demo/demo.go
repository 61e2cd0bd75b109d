// Package demo seeds the demo company of accordd -demo: the deals, a
// Scope of Work in review and a won deal whose contract is in its renewal
// window. The browser tests of package web seed the same data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

// demoDeals are the demo company's deals: one JSON body and how many
// stages it advances.
var demoDeals = []struct {
	body     string
	advances int
}{
	{`{"id":"demo-northwind","account_id":"northwind","account":"Northwind","segment":"mid-market",
		"value":{"amount":"48000","currency":"USD"}}`, 0},
	{`{"id":"demo-acme","account_id":"acme","account":"Acme","segment":"mid-market",
		"value":{"amount":"120000","currency":"USD"},
		"targeting":{"trigger":"new VP of Sales","hypothesis":"forecasts live in spreadsheets"}}`, 1},
	{`{"id":"demo-globex","account_id":"globex","account":"Globex","segment":"enterprise",
		"value":{"amount":"300000","currency":"EUR"},
		"targeting":{"trigger":"CRM contract ends in June","hypothesis":"pipeline reviews take a day a week"},
		"qualification":{"why_now":"board asked for a reliable forecast","fit":"strong"},
		"stakeholders":[{"name":"Kim Park","title":"VP Sales","role":"champion","engaged":true},
		                {"name":"Lee Chen","title":"CFO","role":"economic_buyer","engaged":true}]}`, 2},
}

// Seed creates the demo company's deals, its submitted Scope of Work and
// its won deal with a contract dated from now, each unless it exists. The
// tokens are the caller's to print (see People and Steps).
func Seed(ctx context.Context, a *app.App, now time.Time) error {
	rep := People()[0]
	for _, dd := range demoDeals {
		d, err := a.CreateDeal(ctx, rep, []byte(dd.body))
		var e *app.Error
		if errors.As(err, &e) && e.Kind == app.KindConflict {
			continue // seeded by an earlier run
		}
		if err != nil {
			return err
		}
		for range dd.advances {
			if d, err = a.Advance(ctx, rep, d.Value.ID, d.Rev); err != nil {
				return err
			}
		}
	}
	if err := seedScope(ctx, a, rep); err != nil {
		return err
	}
	if err := seedWon(ctx, a, now); err != nil {
		return fmt.Errorf("demo-initech: %w", err)
	}
	return nil
}

// demoScope is the Scope of Work of demo-acme, submitted to the
// implementation lead: feasible for 16 consultant and 8 engineer hours a day.
const demoScope = `{"id":"demo-acme-sow","title":"Acme pipeline rollout","start":"2026-09-07T00:00:00Z",
	"requirements":[
		{"id":"R1","title":"Forecasts live in spreadsheets","kind":"current_state","priority":"should","source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}},
		{"id":"R2","title":"One pipeline for both sales teams","kind":"future_state","priority":"must","acceptance":["both teams report from one board"],"source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}},
		{"id":"R3","title":"Nightly import from the ERP","kind":"integration","priority":"must","source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}}],
	"deliverables":[{"id":"pipeline","name":"Configured pipeline","requirements":["R2"]},{"id":"erp-sync","name":"ERP sync","requirements":["R3"]}],
	"entitlements":[{"name":"support","quantity":"4","unit":"hours","per":"week"}],
	"price":{"amount":"48000","currency":"USD"},
	"steps":[
		{"id":"audit","offset":0,"days":2,"activity":"audit","phase":"audit","requirements":["R1"],"effort_hours":"12","owner":"consultant"},
		{"id":"configure","offset":2,"days":3,"activity":"configuration","phase":"configure","requirements":["R2"],"effort_hours":"48","owner":"consultant","depends_on":["audit"]},
		{"id":"integrate","offset":2,"days":2,"activity":"integration","phase":"integrate","requirements":["R3"],"effort_hours":"16","owner":"engineer","depends_on":["audit"]},
		{"id":"go-live","offset":5,"days":1,"activity":"go_live","phase":"go_live","effort_hours":"4","owner":"consultant","depends_on":["configure","integrate"]}]}`

// seedScope writes and submits demo-acme's scope, unless it exists.
func seedScope(ctx context.Context, a *app.App, rep app.Principal) error {
	s, err := a.CreateScope(ctx, rep, "demo-acme", []byte(demoScope))
	var e *app.Error
	if errors.As(err, &e) && e.Kind == app.KindConflict {
		return nil // seeded by an earlier run
	}
	if err != nil {
		return err
	}
	_, err = a.Submit(ctx, rep, s.Value.ID, s.Rev, nil)
	return err
}

// Steps says which token takes which step of the demo scope's review.
const Steps = `
the Scope of Work demo-acme-sow (deal demo-acme, account acme) is submitted and waits for review:
  check it:            any token         POST /api/v1/scopes/demo-acme-sow/feasibility {"capacity":{"per_role":{"consultant":"16","engineer":"8"}}}
  send it back:        implementation_lead  POST /api/v1/scopes/demo-acme-sow/request-changes
  approve as lead:     implementation_lead  POST /api/v1/scopes/demo-acme-sow/approve-lead with that capacity
  approve as client:   client (acme)     POST /api/v1/scopes/demo-acme-sow/approve-client, after the lead
  edit, resubmit:      sales_rep         PATCH /api/v1/scopes/demo-acme-sow, POST .../submit
  the proposal:        sales_rep         PUT /api/v1/deals/demo-acme/proposal
  decide discrepancies: sales_manager    GET .../discrepancies, POST .../decisions
  take payment:        finance           POST /api/v1/deals/demo-acme/payment-check (422 until the client approves)

the deal demo-initech is won: it closed presenting its approved scope, and its contract
demo-initech-contract started ten months ago and is in its renewal window:
  renewals due:        sales_manager     GET /api/v1/renewals/due; POST puts the alerts in the outbox, once per step
  renew:               sales_rep         POST /api/v1/contracts/demo-initech-contract/renew {"months":12,"value":{...}}
  reports:             sales_manager     GET /api/v1/metrics/pipeline?key=segment, GET /api/v1/metrics/retention
every write needs If-Match: the ETag of the GET before it.
`
