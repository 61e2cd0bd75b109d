package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// draftScope is Acme's Scope of Work as the rep wrote it: its
// configuration takes 16 consultant hours a day, twice what the team has.
const draftScope = `{"id":"demo-acme-sow","title":"Acme pipeline rollout","start":"2026-09-07T00:00:00Z",
	"requirements":[
		{"id":"R1","title":"Forecasts live in spreadsheets","kind":"current_state","priority":"should","source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}},
		{"id":"R2","title":"One pipeline for both sales teams","kind":"future_state","priority":"must","acceptance":["both teams report from one board"],"source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}},
		{"id":"R3","title":"Nightly import from the ERP","kind":"integration","priority":"must","source":{"name":"Kim Park, VP Sales","at":"2026-02-10T15:00:00Z"}}],
	"deliverables":[{"id":"pipeline","name":"Configured pipeline","requirements":["R2"]},{"id":"erp-sync","name":"ERP sync","requirements":["R3"]}],
	"price":{"amount":"48000","currency":"USD"},
	"steps":[
		{"id":"audit","offset":0,"days":2,"activity":"audit","phase":"audit","requirements":["R1"],"effort_hours":"12","owner":"consultant"},
		{"id":"configure","offset":2,"days":3,"activity":"configuration","phase":"configure","requirements":["R2"],"effort_hours":"48","owner":"consultant","depends_on":["audit"]},
		{"id":"integrate","offset":2,"days":2,"activity":"integration","phase":"integrate","requirements":["R3"],"effort_hours":"16","owner":"engineer","depends_on":["audit"]},
		{"id":"go-live","offset":5,"days":1,"activity":"go_live","phase":"go_live","effort_hours":"4","owner":"consultant","depends_on":["configure","integrate"]}]}`

// scopeFlow is flow 2: the rep submits a Scope of Work; the implementation
// lead, refused at the team's capacity, requests changes on a step; the rep
// revises and resubmits; the lead approves; the client approves; finance
// sees payment allowed.
func scopeFlow(t *testing.T, bctx context.Context, dir string) {
	s := startService(t)
	if _, err := s.App.CreateScope(context.Background(), people[0], "demo-acme", []byte(draftScope)); err != nil {
		t.Fatal(err)
	}
	set := func(id, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(chromedp.CSS("#"+id), v) }
	lines := func(f *flow, sel string) string { return strings.Join(f.texts(sel), "\n") }
	page := s.URL + "/scopes/demo-acme-sow"

	rep := newFlow(t, bctx, dir)
	rep.signInAs(s.URL, 0)
	rep.want("the scope on Acme's card", rep.text("#card-demo-acme .scope-link"), "Scope of Work")
	rep.wantStatus("opening the scope from the board", rep.submit("#card-demo-acme .scope-link"), 200)
	rep.want("title", rep.text("#scope-title"), "Acme pipeline rollout")
	rep.want("status of the draft", rep.text("#scope-status"), "Draft")
	rep.want("plan table", rows(rep, "#plan-table tbody tr"), strings.Join([]string{
		"audit | Audit | consultant | Mon 7 Sep 2026 | Tue 8 Sep 2026 | 2 | 12 |  | ",
		"configure | Configure | consultant | Wed 9 Sep 2026 | Fri 11 Sep 2026 | 3 | 48 | audit | ",
		"integrate | Integrate | engineer | Wed 9 Sep 2026 | Thu 10 Sep 2026 | 2 | 16 | audit | ",
		"go-live | Go live | consultant | Mon 14 Sep 2026 | Mon 14 Sep 2026 | 1 | 4 | configure, integrate | ",
	}, "\n"))
	rep.wantStatus("submitting", rep.submit("#submit"), 200)
	rep.want("status after submitting", rep.text("#scope-status"), "Submitted")
	rep.want("what the review waits for", rep.text("#next-step"), "Waiting for the implementation lead to approve it or request changes.")
	rep.want("no review buttons for the rep", rep.text("#approve-lead"), "(no #approve-lead)")

	lead := newFlow(t, bctx, dir)
	lead.signInAs(s.URL, 2)
	lead.wantStatus("Acme's deal page", lead.open(s.URL+"/deals/demo-acme"), 200)
	lead.want("the scope on the deal page", lead.text("#deal-scope"), "Scope of Work")
	lead.wantStatus("opening the scope from the deal page", lead.submit("#deal-scope"), 200)
	lead.want("no edit for the lead", lead.text("#submit"), "(no #submit)")
	labelled(lead)
	lead.wantStatus("approving at the team's capacity", lead.submit("#approve-lead",
		set("lead-cap-consultant", "8"), set("lead-cap-engineer", "8")), 422)
	lead.want("refusal", lead.text("#refusal-title"), "Cannot approve as implementation lead")
	lead.want("unmet criteria", lines(lead, "#refusal-list li"),
		`The sequence does not fit the team's capacity; 3 overloaded day(s), the first 2026-09-09 for "consultant" (16 of 8 hours); at capacity it finishes 3 working day(s) late, on 2026-09-17. Change the scope or the capacity, or approve with an override reason.`)
	lead.want("feasibility at that capacity", lead.text("#feasibility-verdict"),
		"Not feasible against 8 h a day of consultant, 8 h a day of engineer (asked). 3 overloaded days.")
	lead.shot("scope-refused", false)
	lead.wantStatus("requesting changes on a step", lead.submit("#request-changes",
		set("comment-0-step", "configure"),
		set("comment-0-text", "Spread configuration over six days: we have 8 consultant hours a day.")), 200)
	lead.want("status after the request", lead.text("#scope-status"), "Changes requested")
	lead.want("the comment beside its step", lead.text("#step-configure .step-comments"),
		"Chen Wei (revision 1): Spread configuration over six days: we have 8 consultant hours a day.")

	rep.wantStatus("the scope again", rep.open(page), 200)
	rep.want("the comment the rep sees", rep.text("#step-configure .step-comments"),
		"Chen Wei (revision 1): Spread configuration over six days: we have 8 consultant hours a day.")
	labelled(rep)
	rep.wantStatus("saving the revised plan", rep.submit("#save-plan", chromedp.Click(chromedp.CSS("#edit-plan")),
		set("step-1-days", "6"), set("step-3-offset", "8")), 200)
	rep.want("revision after the edit", rep.text("#scope-revision"), "Revision 2")
	rep.want("what changed", rows(rep, "#diff tbody tr"), "steps[configure].days | 3 | 6\nsteps[go-live].offset | 5 | 8")
	rep.wantStatus("resubmitting", rep.submit("#submit"), 200)
	rep.want("status after resubmitting", rep.text("#scope-status"), "Resubmitted")

	lead.wantStatus("the revised scope", lead.open(page), 200)
	lead.wantStatus("approving revision 2", lead.submit("#approve-lead",
		set("lead-cap-consultant", "8"), set("lead-cap-engineer", "8")), 200)
	lead.want("status after the lead", lead.text("#scope-status"), "Lead approved")
	lead.want("feasibility as approved", lead.text("#feasibility-verdict"),
		"Feasible against 8 h a day of consultant, 8 h a day of engineer (as approved).")

	client := newFlow(t, bctx, dir)
	client.signInAs(s.URL, 1)
	client.wantStatus("opening the scope from the board", client.submit("#card-demo-acme .scope-link"), 200)
	client.want("no payment for a client", client.text("#payment"), "(no #payment)")
	client.wantStatus("approving for Acme", client.submit("#approve-client"), 200)
	client.want("status after the client", client.text("#scope-status"), "Client approved")
	client.want("approvals", lines(client, "#approvals li"),
		"Implementation lead: approved revision 2 — Chen Wei, 2 Mar 2026 09:00 UTC\nClient: approved revision 2 — Dana Ruiz, 2 Mar 2026 09:00 UTC")
	client.shot("scope-approved", false)

	finance := newFlow(t, bctx, dir)
	finance.signInAs(s.URL, 3)
	finance.wantStatus("the scope", finance.open(page), 200)
	finance.want("payment", finance.text("#payment-state"), "Payment allowed: the client approved the current revision.")
	finance.want("no buttons for finance", finance.text("#review form"), "(no #review form)")
	finance.shot("scope-payment", false)

	// At 390 px nothing scrolls sideways.
	if err := chromedp.Do(finance.ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	finance.wantStatus("the scope at 390 px", finance.open(page), 200)
	if w, err := chromedp.Run(finance.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("the scope page at 390 px is %d px wide (%v), want at most 390", w, err)
	}
	finance.shot("scope-390", false)
}

// labelled checks that every control of the page has a label.
func labelled(f *flow) {
	f.t.Helper()
	unlabelled, err := chromedp.Run(f.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(e => e.labels.length === 0).map(e => e.id || e.name)`))
	if err != nil || len(unlabelled) > 0 {
		f.t.Errorf("controls without a label: %v (%v)", unlabelled, err)
	}
}

// rows are the rows sel matches, each its cells' texts joined by " | ".
func rows(f *flow, sel string) string {
	f.t.Helper()
	rs, err := chromedp.Run(f.ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(tr => [...tr.cells].map(c => c.textContent.trim().replace(/\s+/g, " ")).join(" | "))`, sel)))
	if err != nil {
		f.t.Fatalf("rows of %s: %v", sel, err)
	}
	return strings.Join(rs, "\n")
}
