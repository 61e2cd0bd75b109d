package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The demo people as the sign-in page lists them (demo.People).
const (
	demoManager = 1
	demoFinance = 4
)

// lifecycleFlow is flow 6: finance, in the demo data, opens Initech's
// customer page from the renewals due (which offer finance no renewal),
// is refused the move to active before the go-live with the unmet
// criterion, records the go-live, marks the customer at risk, records the
// churn and grants the refund the guarantee gives.
func lifecycleFlow(t *testing.T, bctx context.Context, dir string) {
	s := startDemo(t)
	set := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(chromedp.CSS(sel), v) }
	f := newFlow(t, bctx, dir)
	f.signInAs(s.URL, demoFinance)
	f.want("signed in as", f.text("#who"), "Femi Adeyemi · Finance")
	f.wantStatus("renewals due", f.submit("#nav-renewals"), 200)
	f.want("no renew form for finance", f.text("#renew-demo-initech-contract"), "(no #renew-demo-initech-contract)")
	f.wantStatus("Initech's customer page", f.submit("#due-demo-initech-contract a"), 200)
	f.want("status", f.text("#customer-status"), "Onboarding")
	f.want("no renew form on the customer page for finance", f.text("#renew-title"), "(no #renew-title)")

	f.wantStatus("moving to active before the go-live", f.submit("#move", set("#move-to", "active"), set("#move-reason", "kick-off done")), 422)
	f.want("refusal", f.text("#refusal-title"), "Cannot change the status")
	f.want("unmet criteria", strings.Join(f.texts("#refusal-list li"), "\n"), "Record the go-live: a customer is active once it is live.")
	f.want("status after the refusal", f.text("#customer-status"), "Onboarding")
	f.shot("customer-refusal", false)

	f.wantStatus("the go-live", f.submit("#go-live", set("#golive-reason", "first forecast run")), 200)
	f.want("status after the go-live", f.text("#customer-status"), "Active")
	f.want("went live", f.text("#go-live-at"), "2 Mar 2026")
	f.want("no refusal once it succeeded", f.text("#refusal"), "(no #refusal)")

	f.wantStatus("marking the customer at risk", f.submit("#move", set("#move-to", "at_risk"), set("#move-reason", "champion left")), 200)
	f.want("status at risk", f.text("#customer-status"), "At risk")

	f.wantStatus("the churn", f.submit("#churn", set("#churn-reason", "budget"), set("#churn-note", "no budget next year")), 200)
	f.want("status after the churn", f.text("#customer-status"), "Churned")
	f.want("the churn among the renewals", f.text("#renewal-history li"), "Churned on 2 Mar 2026 by Femi Adeyemi: Budget")
	f.want("no more status changes", f.text("#status-readonly"), "The relationship has ended.")
	f.want("renewal window closed", f.text("#renewal-window"), "Fri 30 Jan 2026 to Thu 30 Apr 2026")

	f.wantStatus("the refund", f.submit("#refund-button", set("#refund-reason", "never used it")), 200)
	f.want("status after the refund", f.text("#customer-status"), "Refunded")
	f.want("refund granted", f.text("#refunded"), "Refunded $0 on 2 Mar 2026 (never used it).")
	f.want("no second refund", f.text("#refund-button"), "(no #refund-button)")
	f.shot("customer-ended", false)
}

// renewFlow is flow 7: a manager renews Initech from the renewals due,
// for more than its current term, and lands on its customer page with
// the new term; the renewals due are then empty.
func renewFlow(t *testing.T, bctx context.Context, dir string) {
	s := startDemo(t)
	f := newFlow(t, bctx, dir)
	f.signInAs(s.URL, demoManager)
	f.wantStatus("renewals due", f.submit("#nav-renewals"), 200)
	f.want("Initech's row with its renew form", strings.Join(f.texts("#due-demo-initech-contract > *"), " | "),
		"Initech | Thu 30 Apr 2026 | 59 | Tue 31 Mar 2026 (in 29 days) | Fri 1 May 2026, renews by itself | demo-rep | $36,000 | New term, months Value, USD Renew")
	f.shot("renewals-form", false)
	f.wantStatus("renewing for $40,000", f.submit("#renew-demo-initech-contract",
		chromedp.SetValue(chromedp.CSS("#renew-value-demo-initech-contract"), "40000")), 200)
	f.want("the customer page", f.text("#customer-title"), "Initech")
	f.want("new term", f.text("#term"), "Fri 1 May 2026 to Fri 30 Apr 2027 (12 months)")
	f.want("new value", f.text("#term-value"), "$40,000")
	f.want("renewal date", f.text("#renewal-date"), "Sat 1 May 2027")
	f.want("renewals", strings.Join(f.texts("#renewal-history li"), "\n"),
		"Renewed on 2 Mar 2026 by Ben Okafor: Fri 1 May 2026 to Fri 30 Apr 2027 (12 months), $40,000; the term before, $36,000")
	f.want("no renew form until the next window", f.text("#renew-title"), "(no #renew-title)")
	f.want("conditions", strings.Join(f.texts(".condition"), ","), "")
	f.shot("renewed", false)

	f.wantStatus("renewals due after the renewal", f.submit("#nav-renewals"), 200)
	f.want("renewals caption", f.text("#renewals caption"), "0 contracts due")
	f.want("renewals rows", f.text("#renewals tbody"), "No contract is in its renewal window.")
}
