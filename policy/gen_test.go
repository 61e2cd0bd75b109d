package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Generators for the property tests: subjects with every part a policy
// reads, instants that favour the edges of days, months, years and zone
// transitions, and sets of built-in policies with random valid parameters.

// genZoneNames are the named zones instants and blackouts are read in: DST
// zones of both hemispheres, half-hour and 45-minute offsets, and Apia,
// which skipped 30 December 2011.
var genZoneNames = []string{
	"UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
	"Pacific/Chatham", "America/St_Johns", "Pacific/Apia", "Pacific/Kiritimati",
}

var (
	genZonesOnce sync.Once
	genZonesList []*time.Location
	genZonesErr  error
)

// genZones returns the locations of genZoneNames, loaded once.
func genZones(t interface{ Fatalf(string, ...any) }) []*time.Location {
	genZonesOnce.Do(func() {
		for _, n := range genZoneNames {
			loc, err := time.LoadLocation(n)
			if err != nil {
				genZonesErr = fmt.Errorf("load zone %q: %w", n, err)
				return
			}
			genZonesList = append(genZonesList, loc)
		}
	})
	if genZonesErr != nil {
		t.Fatalf("%v", genZonesErr)
	}
	return genZonesList
}

// genZone draws a loaded zone (any of genZoneNames).
func genZone() *rapid.Generator[*time.Location] {
	return rapid.Custom(func(t *rapid.T) *time.Location {
		return rapid.SampledFrom(genZones(t)).Draw(t, "zone")
	})
}

// genAnyZone draws a loaded zone or a fixed one without a name a host could
// resolve.
func genAnyZone() *rapid.Generator[*time.Location] {
	return rapid.Custom(func(t *rapid.T) *time.Location {
		if rapid.IntRange(0, 5).Draw(t, "fixed_zone") == 0 {
			return time.FixedZone("GEN+0545", 5*3600+45*60)
		}
		return genZone().Draw(t, "zone")
	})
}

var (
	genMinUnix = time.Date(1999, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	genMaxUnix = time.Date(2101, time.December, 31, 23, 59, 59, 0, time.UTC).Unix()
)

// genDaysIn returns the days of month m of year y.
func genDaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// genInstant draws an instant between 1999 and 2101 in a random zone: any
// second, the first and last days of months at the edges of the day, leap
// days and year ends, or minutes around a zone transition.
func genInstant() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		loc := genAnyZone().Draw(t, "loc")
		switch rapid.IntRange(0, 3).Draw(t, "instant_kind") {
		case 0:
			return time.Unix(rapid.Int64Range(genMinUnix, genMaxUnix).Draw(t, "unix"), 0).In(loc)
		case 1:
			y := rapid.IntRange(1999, 2101).Draw(t, "year")
			m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
			last := genDaysIn(y, m)
			d := rapid.SampledFrom([]int{1, 2, last - 1, last, rapid.IntRange(1, last).Draw(t, "any_day")}).Draw(t, "day")
			h := rapid.SampledFrom([]int{0, 1, 2, 3, 12, 22, 23}).Draw(t, "hour")
			mi := rapid.SampledFrom([]int{0, 1, 30, 45, 59}).Draw(t, "minute")
			return time.Date(y, m, d, h, mi, rapid.IntRange(0, 59).Draw(t, "second"), 0, loc)
		case 2:
			y := rapid.SampledFrom([]int{1999, 2000, 2001, 2004, 2020, 2023, 2024, 2096, 2099, 2100, 2101}).Draw(t, "leap_year")
			md := rapid.SampledFrom([][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 1}, {3, 31}, {4, 1}, {6, 30}, {9, 30}, {12, 31}}).Draw(t, "month_day")
			h := rapid.SampledFrom([]int{0, 11, 23}).Draw(t, "hour")
			return time.Date(y, time.Month(md[0]), md[1], h, rapid.SampledFrom([]int{0, 59}).Draw(t, "minute"), 0, 0, loc)
		default:
			base := time.Unix(rapid.Int64Range(genMinUnix, genMaxUnix-400*86400).Draw(t, "unix"), 0).In(loc)
			_, end := base.ZoneBounds()
			if end.IsZero() {
				return base
			}
			return end.Add(time.Duration(rapid.IntRange(-36*60, 36*60).Draw(t, "minutes_from_transition")) * time.Minute).In(loc)
		}
	})
}

// genNear draws an instant near now, in a random zone: within minutes,
// hours or weeks either side.
func genNear(now time.Time) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		scale := rapid.SampledFrom([]time.Duration{time.Minute, time.Hour, 24 * time.Hour}).Draw(t, "scale")
		n := rapid.IntRange(-40, 40).Draw(t, "units")
		return now.Add(time.Duration(n) * scale).In(genAnyZone().Draw(t, "loc"))
	})
}

// genTimeAround draws a zero time, an instant near now, or any instant.
func genTimeAround(now time.Time) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		switch rapid.IntRange(0, 4).Draw(t, "time_kind") {
		case 0:
			return time.Time{}
		case 1:
			return genInstant().Draw(t, "any")
		}
		return genNear(now).Draw(t, "near")
	})
}

// genMoney draws an unset amount, a zero one or a positive one.
func genMoney() *rapid.Generator[accord.Money] {
	return rapid.Custom(func(t *rapid.T) accord.Money {
		switch rapid.IntRange(0, 3).Draw(t, "money_kind") {
		case 0:
			return accord.Money{}
		case 1:
			return accord.Money{Amount: decimal.New(0, -int32(rapid.IntRange(0, 2).Draw(t, "zero_scale"))), Currency: "USD"}
		}
		return accord.Money{
			Amount:   decimal.New(rapid.Int64Range(1, 10_000_000).Draw(t, "cents"), -2),
			Currency: rapid.SampledFrom([]accord.Currency{"USD", "EUR", "INR"}).Draw(t, "currency"),
		}
	})
}

var (
	genEditions  = []string{"", "complete", "complete", "pro", "basic"}
	genProducts  = []string{"accord", "onboarding", "sso", "api"}
	genFeatures  = []string{"pipeline", "scope", "contracts", "metrics"}
	genOwners    = []string{"", "rep-1", "rep-2"}
	genDealIDs   = []string{"d-1", "d-2"}
	genConcedes  = []deal.Concession{"", deal.ConcessionMultiYear, deal.ConcessionReference, deal.ConcessionFasterSignature, deal.ConcessionExpandedScope, "bogus", "Reference"}
	genTermMonth = []int{0, 1, 12, 23, 24, 36, -1}
)

func genQuoteLine() *rapid.Generator[deal.QuoteLine] {
	return rapid.Custom(func(t *rapid.T) deal.QuoteLine {
		return deal.QuoteLine{
			Product: rapid.SampledFrom(genProducts).Draw(t, "product"),
			Edition: rapid.SampledFrom(genEditions).Draw(t, "edition"),
			AddOn:   rapid.Bool().Draw(t, "add_on"),
			Price:   genMoney().Draw(t, "price"),
		}
	})
}

// genDiscount draws a discount offered near now or at any instant (or
// never), buying a concession, nothing, or something not in the vocabulary.
func genDiscount(now time.Time) *rapid.Generator[deal.Discount] {
	return rapid.Custom(func(t *rapid.T) deal.Discount {
		return deal.Discount{
			ID:         rapid.SampledFrom([]string{"", "disc-1", "disc-2"}).Draw(t, "id"),
			Amount:     genMoney().Draw(t, "amount"),
			OfferedAt:  genTimeAround(now).Draw(t, "offered_at"),
			By:         rapid.SampledFrom(genOwners).Draw(t, "by"),
			Concession: rapid.SampledFrom(genConcedes).Draw(t, "concession"),
			Note:       rapid.SampledFrom([]string{"", "note"}).Draw(t, "note"),
		}
	})
}

func genQuote(now time.Time) *rapid.Generator[deal.Quote] {
	return rapid.Custom(func(t *rapid.T) deal.Quote {
		return deal.Quote{
			ID:        rapid.SampledFrom([]string{"", "q-1"}).Draw(t, "id"),
			Lines:     gen.SliceN(genQuoteLine(), 4).Draw(t, "lines"),
			Discounts: gen.SliceN(genDiscount(now), 3).Draw(t, "discounts"),
		}
	})
}

// genLead draws a lead, inbound or not, received near now and touched
// before or after its deadline, or not yet.
func genLead(now time.Time) *rapid.Generator[deal.Lead] {
	return rapid.Custom(func(t *rapid.T) deal.Lead {
		l := deal.Lead{Inbound: rapid.Bool().Draw(t, "inbound")}
		if rapid.IntRange(0, 4).Draw(t, "no_received_at") == 0 {
			return l
		}
		l.ReceivedAt = now.Add(-time.Duration(rapid.IntRange(0, 20000).Draw(t, "received_minutes_ago")) * time.Minute).In(genZone().Draw(t, "loc"))
		if rapid.Bool().Draw(t, "touched") {
			l.FirstTouchAt = l.ReceivedAt.Add(time.Duration(rapid.IntRange(0, 20000).Draw(t, "touch_seconds")) * time.Second)
		}
		return l
	})
}

// genScopeRef draws a deal's scope reference: none, another deal's, or its
// own with any approvals and categories.
func genScopeRef(dealID string) *rapid.Generator[scope.Ref] {
	return rapid.Custom(func(t *rapid.T) scope.Ref {
		switch rapid.IntRange(0, 5).Draw(t, "ref_kind") {
		case 0:
			return scope.Ref{}
		case 1, 2: // approved, with categories
			return scope.Ref{ID: "sow-1", DealID: dealID, Revision: 2, Approvals: scope.ApprovalsLeadAndClient, Reconciled: true,
				Categories: []scope.Activity{scope.ActivityConfiguration, scope.ActivityTraining}}
		}
		return scope.Ref{
			ID:         rapid.SampledFrom([]string{"", "sow-1", "sow-2"}).Draw(t, "id"),
			DealID:     rapid.SampledFrom([]string{dealID, dealID, "", "d-other"}).Draw(t, "deal_id"),
			Revision:   rapid.IntRange(0, 3).Draw(t, "revision"),
			Approvals:  rapid.SampledFrom([]scope.Approvals{"", scope.ApprovalsNone, scope.ApprovalsLead, scope.ApprovalsLeadAndClient}).Draw(t, "approvals"),
			Categories: gen.SliceN(rapid.SampledFrom(scope.Activities()), 3).Draw(t, "categories"),
		}
	})
}

// genDeal draws a deal near now: its quote, lead, commercials and scope
// reference, and sometimes a history that makes it won (or won and then
// lost).
func genDeal(now time.Time) *rapid.Generator[deal.Deal] {
	return rapid.Custom(func(t *rapid.T) deal.Deal {
		id := rapid.SampledFrom(genDealIDs).Draw(t, "id")
		d := deal.Deal{
			ID:    id,
			Owner: rapid.SampledFrom(genOwners).Draw(t, "owner"),
			Value: genMoney().Draw(t, "value"),
			Lead:  genLead(now).Draw(t, "lead"),
			Quote: genQuote(now).Draw(t, "quote"),
			Scope: genScopeRef(id).Draw(t, "scope"),
		}
		d.Commercials.TermMonths = rapid.SampledFrom(genTermMonth).Draw(t, "term_months")
		if rapid.IntRange(0, 3).Draw(t, "no_start") > 0 {
			d.Commercials.ImplementationStart = genNear(now).Draw(t, "implementation_start")
		}
		rep := accord.Actor{ID: "rep-1", Role: accord.RoleSalesRep}
		switch rapid.IntRange(0, 3).Draw(t, "history") {
		case 1:
			d.Stage = deal.StageProposal
			d.History = []deal.Event{{Kind: deal.EventOpen, To: deal.StageProposal, At: now.Add(-48 * time.Hour), By: rep}}
		case 2:
			d.Stage = deal.StageHandoff
			d.History = []deal.Event{
				{Kind: deal.EventOpen, To: deal.StageProposal, At: now.Add(-48 * time.Hour), By: rep},
				{Kind: deal.EventWon, From: deal.StageProposal, To: deal.StageHandoff, At: now.Add(-24 * time.Hour), By: rep},
			}
		case 3:
			d.Stage = deal.StageLost
			d.History = []deal.Event{
				{Kind: deal.EventOpen, To: deal.StageProposal, At: now.Add(-48 * time.Hour), By: rep},
				{Kind: deal.EventWon, From: deal.StageProposal, To: deal.StageHandoff, At: now.Add(-24 * time.Hour), By: rep},
				{Kind: deal.EventLost, From: deal.StageHandoff, To: deal.StageLost, At: now.Add(-time.Hour), By: rep, LossReason: deal.LossReasons()[0]},
			}
			d.Loss = &deal.Loss{Reason: deal.LossReasons()[0], Stage: deal.StageHandoff}
		}
		return d
	})
}

var (
	genRep    = accord.Actor{ID: "rep-1", Name: "Asha", Role: accord.RoleSalesRep}
	genLeadIC = accord.Actor{ID: "lead-1", Name: "Ravi", Role: accord.RoleImplementationLead}
	genClient = accord.Actor{ID: "client-1", Name: "Dana", Role: accord.RoleClient}
)

// genSOW draws a Scope of Work for dealID (or another deal, or none) whose
// review was driven through its workflow to a random point: never opened,
// draft, submitted, approved by the lead, approved by the client, approved
// and then edited without a revision, or approved and then revised.
func genSOW(dealID string, now time.Time) *rapid.Generator[*scope.SOW] {
	return rapid.Custom(func(t *rapid.T) *scope.SOW {
		start := now.Add(-30 * 24 * time.Hour)
		said := scope.Source{Name: "Dana", At: start}
		sow := &scope.SOW{
			ID: rapid.SampledFrom([]string{"sow-1", "sow-2"}).Draw(t, "id"),
			// Never blank: a scope without a deal does not validate, and is
			// never submitted.
			DealID:       rapid.SampledFrom([]string{dealID, dealID, "d-other"}).Draw(t, "deal_id"),
			Title:        "rollout",
			Start:        time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC),
			Requirements: []scope.Requirement{{ID: "R1", Title: "one pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: said}},
			Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline", Requirements: []string{"R1"}}},
			Price:        accord.Money{Amount: decimal.NewFromInt(48000), Currency: "USD"},
			Steps: []scope.Step{{ID: "configure", Days: 2, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure,
				Requirements: []string{"R1"}, Effort: decimal.NewFromInt(16), Owner: "consultant"}},
		}
		stage := rapid.IntRange(0, 6).Draw(t, "review_stage")
		at := start
		step := func(name string, f func(time.Time) error) {
			at = at.Add(time.Hour)
			if err := f(at); err != nil {
				t.Fatalf("sow %s: %v", name, err)
			}
		}
		if stage >= 1 {
			step("open", func(at time.Time) error { return sow.Open(genRep, at) })
		}
		if stage >= 2 {
			step("submit", func(at time.Time) error { return sow.Submit(accord.Calendar{}, genRep, at) })
		}
		if stage >= 3 {
			step("lead", func(at time.Time) error { return sow.ApproveAsLead(leadReview(sow), genLeadIC, at) })
		}
		if stage >= 4 {
			step("client", func(at time.Time) error { return sow.ApproveAsClient(sow.Review.Revision, genClient, at) })
		}
		if stage >= 5 {
			sow.Assumptions = append(sow.Assumptions, "the client names a data owner")
		}
		if stage >= 6 {
			step("revise", func(at time.Time) error { return sow.Revise(genRep, at) })
		}
		if want := stage == 4; sow.Approved() != want {
			t.Fatalf("sow at review stage %d: Approved %v", stage, sow.Approved())
		}
		return sow
	})
}

func genPayment(dealID string, now time.Time) *rapid.Generator[policy.PaymentRequest] {
	return rapid.Custom(func(t *rapid.T) policy.PaymentRequest {
		return policy.PaymentRequest{
			ID:          rapid.SampledFrom([]string{"", "pay-1"}).Draw(t, "id"),
			DealID:      rapid.SampledFrom([]string{"", dealID, "d-other"}).Draw(t, "deal_id"),
			Amount:      genMoney().Draw(t, "amount"),
			RequestedAt: genTimeAround(now).Draw(t, "requested_at"),
			By:          rapid.SampledFrom([]string{"", "fin-1"}).Draw(t, "by"),
		}
	})
}

// genRefund draws a refund asked for near now and granted the same day, a
// later one, or not yet.
func genRefund(now time.Time) *rapid.Generator[policy.RefundRequest] {
	return rapid.Custom(func(t *rapid.T) policy.RefundRequest {
		r := policy.RefundRequest{
			ID:         rapid.SampledFrom([]string{"", "ref-1"}).Draw(t, "id"),
			ContractID: rapid.SampledFrom([]string{"", "c-1"}).Draw(t, "contract_id"),
			Amount:     genMoney().Draw(t, "amount"),
		}
		if rapid.IntRange(0, 5).Draw(t, "no_request") == 0 {
			return r
		}
		r.RequestedAt = now.Add(-time.Duration(rapid.IntRange(0, 4*24*60).Draw(t, "asked_minutes_ago")) * time.Minute).In(genAnyZone().Draw(t, "loc"))
		if rapid.Bool().Draw(t, "granted") {
			r.GrantedAt = r.RequestedAt.Add(time.Duration(rapid.IntRange(0, 3*24*60).Draw(t, "granted_minutes_after")) * time.Minute)
		}
		return r
	})
}

func genTerms() *rapid.Generator[policy.ProposedTerms] {
	return rapid.Custom(func(t *rapid.T) policy.ProposedTerms {
		return policy.ProposedTerms{
			ID:                   rapid.SampledFrom([]string{"", "terms-1"}).Draw(t, "id"),
			RefundWaitingDays:    rapid.SampledFrom([]int{0, 0, 14, -1}).Draw(t, "refund_waiting_days"),
			RefundPenalty:        genMoney().Draw(t, "refund_penalty"),
			RefundPenaltyPercent: rapid.SampledFrom([]decimal.Decimal{{}, decimal.New(0, -1), decimal.NewFromInt(5), decimal.New(105, -1)}).Draw(t, "refund_penalty_percent"),
		}
	})
}

func genTarget() *rapid.Generator[policy.Target] {
	return rapid.Custom(func(t *rapid.T) policy.Target {
		return policy.Target{
			Assignee: rapid.SampledFrom([]string{"", "rep-1", "mid-market team"}).Draw(t, "assignee"),
			Team:     rapid.Bool().Draw(t, "team"),
			Period:   rapid.SampledFrom([]accord.Period{"", accord.PeriodMonth, accord.PeriodQuarter, accord.PeriodYear, "week"}).Draw(t, "period"),
			Amount:   genMoney().Draw(t, "amount"),
			Deals:    rapid.IntRange(0, 5).Draw(t, "deals"),
		}
	})
}

func genPlan() *rapid.Generator[policy.Plan] {
	return rapid.Custom(func(t *rapid.T) policy.Plan {
		return policy.Plan{
			ID:      rapid.SampledFrom([]string{"", "plan-1"}).Draw(t, "id"),
			Owner:   rapid.SampledFrom([]string{"", "vp-1"}).Draw(t, "owner"),
			Targets: gen.SliceN(genTarget(), 3).Draw(t, "targets"),
		}
	})
}

// genFeatureList draws nil, every feature, or a subset of them.
func genFeatureList() *rapid.Generator[[]string] {
	return rapid.Custom(func(t *rapid.T) []string {
		switch rapid.IntRange(0, 3).Draw(t, "features_kind") {
		case 0:
			return nil
		case 1, 2:
			return append([]string(nil), genFeatures...)
		}
		return rapid.SliceOfNDistinct(rapid.SampledFrom(genFeatures), 0, len(genFeatures), rapid.ID[string]).Draw(t, "some_features")
	})
}

func genCatalog() *rapid.Generator[policy.Catalog] {
	return rapid.Custom(func(t *rapid.T) policy.Catalog {
		edition := rapid.Custom(func(t *rapid.T) policy.Edition {
			return policy.Edition{Name: rapid.SampledFrom(genEditions).Draw(t, "name"), Features: genFeatureList().Draw(t, "features")}
		})
		addOn := rapid.Custom(func(t *rapid.T) policy.AddOn {
			return policy.AddOn{Name: rapid.SampledFrom(genProducts).Draw(t, "name"), Price: genMoney().Draw(t, "price")}
		})
		return policy.Catalog{
			ID:       rapid.SampledFrom([]string{"", "cat-1"}).Draw(t, "id"),
			Features: genFeatureList().Draw(t, "features"),
			Editions: gen.SliceN(edition, 3).Draw(t, "editions"),
			AddOns:   gen.SliceN(addOn, 2).Draw(t, "add_ons"),
		}
	})
}

// genPtr draws nil or a pointer to a value of g.
func genPtr[T any](g *rapid.Generator[T]) *rapid.Generator[*T] {
	return rapid.Custom(func(t *rapid.T) *T {
		if rapid.Bool().Draw(t, "absent") {
			return nil
		}
		v := g.Draw(t, "value")
		return &v
	})
}

// genSubject draws a subject for a check at now: any combination of parts.
func genSubject(now time.Time) *rapid.Generator[policy.Subject] {
	return rapid.Custom(func(t *rapid.T) policy.Subject {
		s := policy.Subject{
			ID:      rapid.SampledFrom([]string{"", "", "subj-1"}).Draw(t, "id"),
			Owner:   rapid.SampledFrom([]string{"", "", "owner-1"}).Draw(t, "owner"),
			Deal:    genPtr(genDeal(now)).Draw(t, "deal"),
			Closing: rapid.Bool().Draw(t, "closing"),
			Won:     rapid.Bool().Draw(t, "won"),
		}
		dealID := rapid.SampledFrom(genDealIDs).Draw(t, "deal_id")
		if s.Deal != nil {
			dealID = s.Deal.ID
		}
		s.Discount = genPtr(genDiscount(now)).Draw(t, "discount")
		s.Lead = genPtr(genLead(now)).Draw(t, "lead")
		s.Payment = genPtr(genPayment(dealID, now)).Draw(t, "payment")
		if rapid.Bool().Draw(t, "with_scope") {
			s.Scope = genSOW(dealID, now).Draw(t, "scope")
		}
		s.Refund = genPtr(genRefund(now)).Draw(t, "refund")
		s.Terms = genPtr(genTerms()).Draw(t, "terms")
		s.Plan = genPtr(genPlan()).Draw(t, "plan")
		s.Catalog = genPtr(genCatalog()).Draw(t, "catalog")
		return s
	})
}

// genBlackout draws valid blackout parameters; with loadable, only in zones
// a host resolves by name (or nil, for UTC).
func genBlackout(loadable bool) *rapid.Generator[policy.Blackout] {
	return rapid.Custom(func(t *rapid.T) policy.Blackout {
		b := policy.Blackout{
			MonthDays:       rapid.IntRange(0, 27).Draw(t, "month_days"),
			QuarterDays:     rapid.IntRange(0, 88).Draw(t, "quarter_days"),
			YearDays:        rapid.IntRange(0, 364).Draw(t, "year_days"),
			FiscalYearStart: time.Month(rapid.IntRange(0, 12).Draw(t, "fiscal_year_start")),
		}
		if rapid.IntRange(0, 4).Draw(t, "nil_location") != 0 {
			if loadable {
				b.Location = genZone().Draw(t, "location")
			} else {
				b.Location = genAnyZone().Draw(t, "location")
			}
		}
		return b
	})
}

// genPolicies draws a list of distinct policies: a random subset of the
// built-ins with random valid parameters, and sometimes genTermFloor, a
// host policy. With loadable, every zone can be resolved by name.
func genPolicies(loadable bool) *rapid.Generator[[]policy.Policy] {
	return rapid.Custom(func(t *rapid.T) []policy.Policy {
		var ps []policy.Policy
		zone := func(label string) *time.Location {
			if rapid.IntRange(0, 3).Draw(t, label+"_nil") == 0 {
				return nil
			}
			if loadable {
				return genZone().Draw(t, label)
			}
			return genAnyZone().Draw(t, label)
		}
		if rapid.Bool().Draw(t, "single_edition") {
			ps = append(ps, policy.SingleEdition(rapid.SampledFrom(genEditions).Draw(t, "edition")))
		}
		if rapid.Bool().Draw(t, "no_quotas") {
			ps = append(ps, policy.NoQuotas())
		}
		if rapid.Bool().Draw(t, "no_panic_discounts") {
			ps = append(ps, policy.NoPanicDiscounts(genBlackout(loadable).Draw(t, "blackout")))
		}
		if rapid.Bool().Draw(t, "payment_after_approval") {
			ps = append(ps, policy.PaymentAfterClientApproval())
		}
		if rapid.Bool().Draw(t, "refund_guarantee") {
			ps = append(ps, policy.RefundGuarantee(zone("refund_zone")))
		}
		if rapid.Bool().Draw(t, "closed_won_on_structure") {
			ps = append(ps, policy.ClosedWonOnStructure())
		}
		if rapid.Bool().Draw(t, "lead_response_sla") {
			ps = append(ps, policy.LeadResponseSLA(rapid.SampledFrom([]int{1, 5, 60, 1440, 10080, rapid.IntRange(1, 10080).Draw(t, "any_minutes")}).Draw(t, "minutes")))
		}
		if rapid.IntRange(0, 3).Draw(t, "term_floor") == 0 {
			ps = append(ps, genTermFloor{MinMonths: rapid.IntRange(0, 48).Draw(t, "min_months")})
		}
		return rapid.Permutation(ps).Draw(t, "order")
	})
}

// genTermFloor is a host policy: a deal's term is at least MinMonths. Its
// violations leave the policy ID, subject and owner for the set to fill
// in. It allocates a fresh slice on every check, as a policy should.
type genTermFloor struct {
	MinMonths int `json:"min_months"`
}

const genTermFloorID = "gen_term_floor"

func (genTermFloor) ID() string { return genTermFloorID }
func (p genTermFloor) Description() string {
	return fmt.Sprintf("A deal's term is at least %d months.", p.MinMonths)
}
func (p genTermFloor) Params() any { return p }

var _ policy.Validator = genTermFloor{}

// Validate reports a floor out of range, as a plain error (not a field
// error), which a set must put under the policy's path.
func (p genTermFloor) Validate() error {
	if p.MinMonths < 0 || p.MinMonths > 120 {
		return errors.New("min_months must be between 0 and 120")
	}
	return nil
}

func (p genTermFloor) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Deal == nil || s.Deal.Commercials.TermMonths >= p.MinMonths {
		return nil
	}
	return []policy.Violation{{
		Message: fmt.Sprintf("the term is %d months, under %d", s.Deal.Commercials.TermMonths, p.MinMonths),
		Field:   "deal.commercials.term_months",
	}}
}

// genTermFloorBuilder builds genTermFloor from its parameters for
// LoadOptions.Policies, refusing unknown keys and values of the wrong type.
func genTermFloorBuilder(params json.RawMessage) (policy.Policy, error) {
	var p genTermFloor
	if params == nil {
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, accord.Invalid("", "trailing data after the parameters")
	}
	return p, nil
}

// leadReview is an implementation lead's review of the current revision of
// s under the default calendar, against a team with ample hours for every
// owner role of its sequence: these tests are about what the approvals
// unlock, not about feasibility.
func leadReview(s *scope.SOW) scope.LeadReview {
	team := scope.Capacity{PerRole: map[string]decimal.Decimal{}}
	for _, st := range s.Steps {
		team.PerRole[st.Owner] = decimal.NewFromInt(1000)
	}
	return scope.LeadReview{Revision: s.Review.Revision, Capacity: team}
}
