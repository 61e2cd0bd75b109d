package policy_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// builtinCases mutate the clean subject so that it breaks the policies in
// their own way; want lists every violation, in the set's order.
var builtinCases = []struct {
	name string
	set  *policy.Set // nil: the default set
	now  time.Time   // zero: fixNow
	edit func(s *policy.Subject)
	want []policy.Violation
}{
	{name: "clean", edit: func(*policy.Subject) {}},

	// single_edition
	{name: "quote with a second edition and a paid add-on", want: []policy.Violation{
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.lines[2].edition",
			Message: "the quote offers edition \"enterprise\" besides \"complete\"; quote the one edition"},
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.lines[3].add_on",
			Message: "the quote sells \"sso\" as a paid add-on for 3000 USD; every feature belongs to the one edition"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Quote.Lines = append(s.Deal.Quote.Lines,
				deal.QuoteLine{Product: "accord", Edition: "enterprise", Price: usd("12000")},
				deal.QuoteLine{Product: "sso", AddOn: true, Price: usd("3000")})
		}},
	{name: "catalog with tiers, a partial edition and a paid add-on", want: []policy.Violation{
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "catalog.editions",
			Message: "the catalog offers 2 editions (\"complete\", \"starter\"); offer one with every feature"},
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "catalog.editions[1].features",
			Message: "edition \"starter\" leaves out \"scope\", \"contracts\"; every feature belongs to the one edition"},
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "catalog.add_ons[1].price",
			Message: "add-on \"sso\" is sold for 3000 USD; every feature belongs to the one edition"},
	},
		edit: func(s *policy.Subject) {
			s.Catalog.Editions = append(s.Catalog.Editions, policy.Edition{Name: "starter", Features: []string{"pipeline"}})
			s.Catalog.AddOns = append(s.Catalog.AddOns, policy.AddOn{Name: "sso", Price: usd("3000")})
		}},
	{name: "catalog with no edition", want: []policy.Violation{
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "catalog.editions",
			Message: "the catalog offers no edition; offer one with every feature"},
	},
		edit: func(s *policy.Subject) { s.Catalog.Editions = nil }},
	{name: "named edition", want: []policy.Violation{
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "catalog.editions[0].name",
			Message: "the catalog's edition is \"complete\", not \"accord\""},
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.lines[0].edition",
			Message: "the quote offers edition \"complete\" besides \"accord\"; quote the one edition"},
		{Policy: "single_edition", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.lines[1].edition",
			Message: "the quote offers edition \"complete\" besides \"accord\"; quote the one edition"},
	},
		set: mustSet(policy.SingleEdition("accord")), edit: func(*policy.Subject) {}},

	// no_quotas
	{name: "individual quotas", want: []policy.Violation{
		{Policy: "no_quotas", Subject: "d-1", Owner: "rep-1", Field: "plan.targets[1]",
			Message: "the plan gives \"rep-1\" a monthly sales quota of 40000 USD; set targets for the team, not for a person"},
		{Policy: "no_quotas", Subject: "d-1", Owner: "rep-1", Field: "plan.targets[2]",
			Message: "the plan gives \"rep-2\" a sales quota of 3 deals; set targets for the team, not for a person"},
		{Policy: "no_quotas", Subject: "d-1", Owner: "rep-1", Field: "plan.targets[3]",
			Message: "the plan gives a person a yearly sales quota; set targets for the team, not for a person"},
	},
		edit: func(s *policy.Subject) {
			s.Plan.Targets = append(s.Plan.Targets,
				policy.Target{Assignee: "rep-1", Period: accord.PeriodMonth, Amount: usd("40000")},
				policy.Target{Assignee: "rep-2", Period: "week", Deals: 3},
				policy.Target{Period: accord.PeriodYear})
		}},

	// no_panic_discounts
	{name: "discount on the last day of the quarter, buying nothing", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.offered_at",
			Message: "the discount was offered on 2027-03-31, in the last 10 days of the quarter ending 2027-03-31; no discounts in the last days of a period"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.concession",
			Message: "the discount buys nothing; name the concession it buys: multi_year_term, reference, faster_signature or expanded_scope"},
	},
		edit: func(s *policy.Subject) {
			s.Discount.OfferedAt = time.Date(2027, time.March, 31, 16, 0, 0, 0, time.UTC)
			s.Discount.Concession = ""
		}},
	{name: "discounts in the fiscal year's and the month's last days", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.offered_at",
			Message: "the discount was offered on 2027-05-28, in the last 5 days of the month ending 2027-05-31; no discounts in the last days of a period"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.discounts[0].offered_at",
			Message: "the discount was offered on 2027-12-20, in the last 15 days of the fiscal year ending 2027-12-31; no discounts in the last days of a period"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Quote.Discounts[0].OfferedAt = time.Date(2027, time.December, 20, 9, 0, 0, 0, time.UTC)
			s.Discount.OfferedAt = time.Date(2027, time.May, 28, 9, 0, 0, 0, time.UTC)
		}},
	{name: "no offer date, an unknown concession, a short multi-year term", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.offered_at",
			Message: "the discount has no offer date; record when it was offered"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.concession",
			Message: "\"goodwill\" is not a concession; name multi_year_term, reference, faster_signature or expanded_scope"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.discounts[0].concession",
			Message: "the discount buys a multi-year term, but the deal's term is 12 months; a multi-year term is 24 months or more"},
	},
		edit: func(s *policy.Subject) {
			s.Discount.OfferedAt = time.Time{}
			s.Discount.Concession = "goodwill"
			s.Deal.Commercials.TermMonths = 12
		}},
	{name: "days are read in the blackout's zone", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.offered_at",
			Message: "the discount was offered on 2027-05-31, the last day of the month; no discounts in the last days of a period"},
	},
		set: mustSet(policy.NoPanicDiscounts(policy.Blackout{MonthDays: 1, Location: ist})), edit: func(s *policy.Subject) {
			s.Deal.Quote.Discounts[0].OfferedAt = time.Date(2027, time.April, 30, 20, 0, 0, 0, time.UTC) // 1 May in India
			s.Discount.OfferedAt = time.Date(2027, time.May, 31, 17, 0, 0, 0, time.UTC)                  // 31 May in India
		}},
	{name: "fiscal year from April", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "discount.offered_at",
			Message: "the discount was offered on 2027-06-29, in the last 3 days of the quarter ending 2027-06-30; no discounts in the last days of a period"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.discounts[0].offered_at",
			Message: "the discount was offered on 2027-03-20, in the last 15 days of the fiscal year ending 2027-03-31; no discounts in the last days of a period"},
	},
		set: mustSet(policy.NoPanicDiscounts(policy.Blackout{YearDays: 15, QuarterDays: 3, FiscalYearStart: time.April})), edit: func(s *policy.Subject) {
			s.Deal.Quote.Discounts[0].OfferedAt = time.Date(2027, time.March, 20, 9, 0, 0, 0, time.UTC)
			s.Discount.OfferedAt = time.Date(2027, time.June, 29, 9, 0, 0, 0, time.UTC)
		}},

	// payment_after_client_approval
	{name: "payment before the client approved", want: []policy.Violation{
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.approvals",
			Message: "the client has not approved revision 3 of the Scope of Work after the implementation lead"},
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "payment",
			Message: "the client has not approved revision 3 of Scope of Work \"sow-1\" (it is lead approved); take payment only after the client approves"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Scope.Approvals = scope.ApprovalsLead
			s.Scope = reviewedScope(false)
		}},
	{name: "payment against a draft scope", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "pay-1", Owner: "fin-1", Field: "payment",
			Message: "the client has not approved Scope of Work \"sow-1\" (it is a draft); take payment only after the client approves"},
	},
		edit: func(s *policy.Subject) {
			*s = policy.Subject{Payment: s.Payment, Scope: &scope.SOW{ID: "sow-1", DealID: "d-1"}}
		}},
	{name: "payment against an older revision than the deal knows", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "scope.review.revision",
			Message: "the payment is checked against revision 0 of Scope of Work \"sow-1\", but the deal knows revision 3; take payment against the current revision"},
	},
		edit: func(s *policy.Subject) {
			s.Scope = &scope.SOW{ID: "sow-1", DealID: "d-1"}
		}},
	{name: "payment against another deal's scope", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "payment.deal_id",
			Message: "the Scope of Work \"sow-9\" is for deal \"d-9\", not \"d-1\"; take payment against the deal's own scope"},
	},
		edit: func(s *policy.Subject) {
			s.Scope = &scope.SOW{ID: "sow-9", DealID: "d-9"}
		}},
	{name: "payment against a scope the deal has moved on from", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "scope.id",
			Message: "the payment is checked against Scope of Work \"sow-0\", but the deal's scope is \"sow-1\"; take payment against the deal's current scope"},
	},
		edit: func(s *policy.Subject) { s.Scope = &scope.SOW{ID: "sow-0", DealID: "d-1"} }},
	{name: "payment for another deal", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "payment.deal_id",
			Message: "the payment is for deal \"d-2\", but the subject's deal is \"d-1\""},
	},
		edit: func(s *policy.Subject) { s.Payment.DealID = "d-2" }},
	{name: "payment on the deal's reference alone", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "scope",
			Message: "no Scope of Work presented; present the deal's Scope of Work: a payment is checked against the document, never against the deal's reference alone"},
	},
		edit: func(s *policy.Subject) {
			s.Scope = nil // the reference says lead_and_client
			s.Closing = false
		}},
	{name: "payment with no scope at all", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "pay-1", Owner: "fin-1", Field: "scope",
			Message: "no Scope of Work presented; present the deal's Scope of Work: a payment is checked against the document, never against the deal's reference alone"},
	},
		edit: func(s *policy.Subject) {
			*s = policy.Subject{Payment: s.Payment}
		}},
	{name: "payment with a deal that has no scope", want: []policy.Violation{
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "scope",
			Message: "the deal has no Scope of Work; take payment only after the client approves one"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Scope = scope.Ref{}
			s.Scope = nil
			s.Closing = false
		}},

	// refund_guarantee
	{name: "refund granted the next day, terms with a wait and penalties", want: []policy.Violation{
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "refund.granted_at",
			Message: "the refund asked for on 2027-05-12 was granted on 2027-05-13; grant it the day it is asked for"},
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "terms.refund_waiting_days",
			Message: "the terms make a refund wait 30 days; the guarantee grants it the day it is asked for"},
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "terms.refund_penalty",
			Message: "the terms keep 500 USD back from a refund; the guarantee refunds in full"},
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "terms.refund_penalty_percent",
			Message: "the terms keep 10% back from a refund; the guarantee refunds in full"},
	},
		edit: func(s *policy.Subject) {
			s.Refund.GrantedAt = s.Refund.RequestedAt.Add(24 * time.Hour)
			*s.Terms = policy.ProposedTerms{ID: "terms-1", RefundWaitingDays: 30, RefundPenalty: usd("500"), RefundPenaltyPercent: pct("10")}
		}},
	{name: "refund still not granted the next day", want: []policy.Violation{
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "refund.granted_at",
			Message: "the refund asked for on 2027-05-12 is still not granted on 2027-05-13; grant it the day it is asked for"},
	},
		now: fixNow.Add(24 * time.Hour), edit: func(s *policy.Subject) {
			s.Refund.GrantedAt = time.Time{}
		}},
	{name: "refund not granted yet, the same day", edit: func(s *policy.Subject) { s.Refund.GrantedAt = time.Time{} }},
	{name: "refund with no request date", want: []policy.Violation{
		{Policy: "refund_guarantee", Subject: "d-1", Owner: "rep-1", Field: "refund.requested_at",
			Message: "the refund has no request date; record when it was asked for"},
	},
		edit: func(s *policy.Subject) { s.Refund.RequestedAt = time.Time{} }},
	{name: "refund day in the request's zone", set: mustSet(policy.RefundGuarantee(time.UTC)), edit: func(s *policy.Subject) {
		s.Refund.RequestedAt = time.Date(2027, time.May, 11, 20, 0, 0, 0, time.UTC).In(ist) // 12 May, 01:30 in India
		s.Refund.GrantedAt = time.Date(2027, time.May, 12, 10, 0, 0, 0, time.UTC)
	}},

	// closed_won_on_structure
	{name: "closing without structure", want: []policy.Violation{
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.approvals",
			Message: "the implementation lead has not approved revision 2 of the Scope of Work"},
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.approvals",
			Message: "the client has not approved revision 2 of the Scope of Work after the implementation lead"},
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.categories",
			Message: "the Scope of Work names no categories of work; give its steps their activities"},
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.commercials.term_months",
			Message: "the term is not set; a contract needs its term in months"},
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.commercials.implementation_start",
			Message: "the implementation start is not set; with the term it fixes the renewal date"},
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.discounts[0].concession",
			Message: "the discount buys a multi-year term, but the deal's term is 0 months; a multi-year term is 24 months or more"},
		{Policy: "payment_after_client_approval", Subject: "d-1", Owner: "rep-1", Field: "payment",
			Message: "the client has not approved revision 3 of Scope of Work \"sow-1\" (it is lead approved); take payment only after the client approves"},
	},
		edit: func(s *policy.Subject) {
			s.Scope = reviewedScope(false)
			s.Deal.Scope = scope.Ref{ID: "sow-1", DealID: "d-1", Revision: 2, Approvals: scope.ApprovalsNone}
			s.Deal.Commercials.TermMonths = 0
			s.Deal.Commercials.ImplementationStart = time.Time{}
		}},
	{name: "closing on another deal's scope", want: []policy.Violation{
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.deal_id",
			Message: "the deal's scope reference is to deal \"d-9\"'s scope; close on the deal's own scope"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Scope.DealID = "d-9"
			s.Payment = nil
		}},
	{name: "closing with no scope", want: []policy.Violation{
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope",
			Message: "the deal has no Scope of Work; close on a scope the implementation lead and the client approved"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Scope = scope.Ref{}
			s.Payment = nil
		}},
	{name: "an open deal is not judged on structure", want: []policy.Violation{
		{Policy: "no_panic_discounts", Subject: "d-1", Owner: "rep-1", Field: "deal.quote.discounts[0].concession",
			Message: "the discount buys a multi-year term, but the deal's term is 0 months; a multi-year term is 24 months or more"},
	},
		edit: func(s *policy.Subject) {
			s.Closing = false
			s.Deal.Scope.Categories = nil
			s.Deal.Commercials.TermMonths = 0
		}},
	{name: "a won deal is", want: []policy.Violation{
		{Policy: "closed_won_on_structure", Subject: "d-1", Owner: "rep-1", Field: "deal.scope.categories",
			Message: "the Scope of Work names no categories of work; give its steps their activities"},
	},
		edit: func(s *policy.Subject) {
			s.Closing = false
			s.Won = true
			s.Deal.Scope.Categories = nil
		}},

	// lead_response_sla
	{name: "lead touched late", want: []policy.Violation{
		{Policy: "lead_response_sla", Subject: "d-1", Owner: "rep-1", Field: "deal.lead.first_touch_at",
			Message: "the inbound lead was first touched 6m30s after it arrived; touch inbound leads within 5 minutes"},
	},
		edit: func(s *policy.Subject) {
			s.Deal.Lead.FirstTouchAt = s.Deal.Lead.ReceivedAt.Add(6*time.Minute + 30*time.Second)
		}},
	{name: "lead still untouched", want: []policy.Violation{
		{Policy: "lead_response_sla", Subject: "lead-7", Owner: "rep-2", Field: "lead.first_touch_at",
			Message: "the inbound lead is still untouched 10m0s after it arrived; touch inbound leads within 5 minutes"},
	},
		now: time.Date(2027, time.March, 1, 9, 10, 0, 0, time.UTC), edit: func(s *policy.Subject) {
			*s = policy.Subject{ID: "lead-7", Owner: "rep-2", Lead: &deal.Lead{Inbound: true, ReceivedAt: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)}}
		}},
	{name: "lead untouched within the time", now: time.Date(2027, time.March, 1, 9, 4, 0, 0, time.UTC), edit: func(s *policy.Subject) {
		*s = policy.Subject{ID: "lead-7", Lead: &deal.Lead{Inbound: true, ReceivedAt: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)}}
	}},
	{name: "outbound leads have no deadline", edit: func(s *policy.Subject) {
		s.Deal.Lead = deal.Lead{ReceivedAt: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)}
	}},
}

func mustSet(ps ...policy.Policy) *policy.Set {
	set, err := policy.NewSet(ps...)
	if err != nil {
		panic(err)
	}
	return set
}

// TestBuiltins checks each built-in policy's violations, exactly, through
// the default set or a set of one policy with its own parameters.
func TestBuiltins(t *testing.T) {
	for _, tc := range builtinCases {
		t.Run(tc.name, func(t *testing.T) {
			s := cleanSubject()
			tc.edit(&s)
			set := tc.set
			if set == nil {
				set = defaultSet()
			}
			now := tc.now
			if now.IsZero() {
				now = fixNow
			}
			if diff := cmp.Diff(tc.want, set.Check(s, now)); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuiltinsNoPanics: built-in policies on inputs a caller can build,
// including empty pointers and extreme times.
func TestBuiltinsNoPanics(t *testing.T) {
	set := defaultSet()
	far := time.Date(292277026000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(-292277022000, 1, 1, 0, 0, 0, 0, time.UTC)
	subjects := []policy.Subject{
		{},
		{Deal: &deal.Deal{}, Closing: true, Discount: &deal.Discount{}, Lead: &deal.Lead{}, Payment: &policy.PaymentRequest{}, Scope: &scope.SOW{}, Refund: &policy.RefundRequest{}, Terms: &policy.ProposedTerms{}, Plan: &policy.Plan{Targets: []policy.Target{{}}}, Catalog: &policy.Catalog{Editions: []policy.Edition{{}, {}}, AddOns: []policy.AddOn{{}}}},
		{Discount: &deal.Discount{OfferedAt: far}, Lead: &deal.Lead{Inbound: true, ReceivedAt: early}, Refund: &policy.RefundRequest{RequestedAt: early, GrantedAt: far}},
		{Discount: &deal.Discount{OfferedAt: early}, Lead: &deal.Lead{Inbound: true, ReceivedAt: far, FirstTouchAt: early}, Refund: &policy.RefundRequest{RequestedAt: far}},
	}
	for i, s := range subjects {
		for _, now := range []time.Time{{}, far, early} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("subject %d at %v: panic %v", i, now, r)
					}
				}()
				_ = set.Check(s, now)
				_ = set.Allow(s, now)
			}()
		}
	}
	var nilSet *policy.Set
	if nilSet.Check(subjects[1], fixNow) != nil || nilSet.Allow(subjects[1], fixNow) != nil || policy.Gate(nilSet) != nil {
		t.Error("a nil set reports something")
	}
	if _, err := json.Marshal(nilSet); err != nil {
		t.Errorf("marshal nil set: %v", err)
	}
}

// blackoutByWalking computes the blackout window of day by brute force: walk to the end
// of the month, of the fiscal quarter and of the fiscal year, day by day.
func blackoutByWalking(b policy.Blackout, day accord.Date) (policy.Window, bool) {
	fs := b.FiscalYearStart
	if fs == 0 {
		fs = time.January
	}
	left := func(sameperiod func(a, b accord.Date) bool) int {
		n := 1
		for d := day.AddDays(1); sameperiod(day, d); d = d.AddDays(1) {
			n++
		}
		return n
	}
	fiscalIndex := func(d accord.Date) int { // months since year 0's fiscal start
		return d.Year*12 + int(d.Month) - int(fs)
	}
	floor := func(a, n int) int {
		if a < 0 {
			return -((-a + n - 1) / n)
		}
		return a / n
	}
	month := left(func(a, c accord.Date) bool { return a.Year == c.Year && a.Month == c.Month })
	quarter := left(func(a, c accord.Date) bool { return floor(fiscalIndex(a), 3) == floor(fiscalIndex(c), 3) })
	year := left(func(a, c accord.Date) bool { return floor(fiscalIndex(a), 12) == floor(fiscalIndex(c), 12) })
	switch {
	case year <= b.YearDays:
		return policy.Window{Day: day, Period: "fiscal year", End: day.AddDays(year - 1), Days: b.YearDays}, true
	case quarter <= b.QuarterDays:
		return policy.Window{Day: day, Period: "quarter", End: day.AddDays(quarter - 1), Days: b.QuarterDays}, true
	case month <= b.MonthDays:
		return policy.Window{Day: day, Period: "month", End: day.AddDays(month - 1), Days: b.MonthDays}, true
	}
	return policy.Window{}, false
}

// TestBlackoutEdgeYears checks Blackout.In against the brute force
// for every day of a few years, every fiscal start, in a DST zone, including
// leap years and years outside 1..9999 that a time.Time can hold.
func TestBlackoutEdgeYears(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	years := []int{-1, 0, 1, 1900, 2000, 2024, 2027, 9999, 10000}
	bad := 0
	for fs := time.Month(0); fs <= 12; fs++ {
		b := policy.Blackout{MonthDays: 27, QuarterDays: 88, YearDays: 300, FiscalYearStart: fs, Location: ny}
		if fs%2 == 0 {
			b = policy.Blackout{MonthDays: 3, QuarterDays: 31, YearDays: 59, FiscalYearStart: fs, Location: ny}
		}
		for _, y := range years {
			for d := (accord.Date{Year: y, Month: 1, Day: 1}); d.Year == y; d = d.AddDays(1) {
				// Late in the evening, local time: the day is ny's day.
				at := time.Date(d.Year, d.Month, d.Day, 23, 59, 0, 0, ny)
				gotW, gotOK := b.In(at)
				wantW, wantOK := blackoutByWalking(b, d)
				if gotOK != wantOK || gotW != wantW {
					if bad++; bad <= 5 {
						t.Errorf("fs %d, %v: In = %+v %v, want %+v %v", fs, d, gotW, gotOK, wantW, wantOK)
					}
				}
			}
		}
	}
}

// approvedSOW returns a Scope of Work of deal d-1 at revision 1, approved
// by the implementation lead and then the client.
func approvedSOW(t *testing.T) *scope.SOW {
	t.Helper()
	at := fixNow.Add(-30 * 24 * time.Hour)
	sow := draftScope(at)
	rep := accord.Actor{ID: "rep-1", Name: "Asha", Role: accord.RoleSalesRep}
	lead := accord.Actor{ID: "lead-1", Name: "Ravi", Role: accord.RoleImplementationLead}
	client := accord.Actor{ID: "client-1", Name: "Dana", Role: accord.RoleClient}
	for i, f := range []func(time.Time) error{
		func(at time.Time) error { return sow.Open(rep, at) },
		func(at time.Time) error { return sow.Submit(accord.Calendar{}, rep, at) },
		func(at time.Time) error { return sow.ApproveAsLead(leadReview(sow), lead, at) },
		func(at time.Time) error { return sow.ApproveAsClient(1, client, at) },
	} {
		if err := f(at.Add(time.Duration(i+1) * time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if !sow.Approved() || sow.Review.Revision != 1 {
		t.Fatalf("fixture: Approved %v at revision %d", sow.Approved(), sow.Review.Revision)
	}
	return sow
}

// TestPaymentStaleRevision: the payment policy asks for the approval of
// the current revision: a payment checked against the approved revision 1
// of sow-1, while the deal's reference says sow-1 is at revision 2 and only
// submitted, is a violation.
func TestPaymentStaleRevision(t *testing.T) {
	sow := approvedSOW(t)
	set, err := policy.NewSet(policy.PaymentAfterClientApproval())
	if err != nil {
		t.Fatal(err)
	}
	d := cleanDeal()
	d.Scope = scope.Ref{ID: "sow-1", DealID: "d-1", Revision: 1, Digest: sow.Review.Digest, Approvals: scope.ApprovalsLeadAndClient}
	s := policy.Subject{Deal: d, Payment: &policy.PaymentRequest{ID: "pay-1", DealID: "d-1", By: "fin-1"}, Scope: sow}
	if vs := set.Check(s, fixNow); vs != nil {
		t.Fatalf("control, current revision: %v", vs)
	}
	d.Scope = scope.Ref{ID: "sow-1", DealID: "d-1", Revision: 2, Digest: "revision-2", Approvals: scope.ApprovalsNone}
	vs := set.Check(s, fixNow)
	if len(vs) != 1 || vs[0].Policy != policy.IDPaymentAfterClientApproval {
		t.Errorf("payment against revision 1 of a scope now at revision 2: violations %v, want one (stale revision)", vs)
	}
}
