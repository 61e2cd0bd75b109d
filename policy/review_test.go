package policy_test

// Probe tests from an independent review of issue 7. Each TestReview_ test
// states a claim of the package (its doc or the issue) and checks it on an
// input a caller can construct. A failing one is a bug or a doc/code
// mismatch described in the review report.

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// rvDiscountAt is a clean deal whose discount was offered at t.
func rvDiscountAt(t time.Time) *deal.Deal {
	d := cleanDeal()
	d.Quote.Discounts[0].OfferedAt = t
	return d
}

// rvMaxDiscountBuilder is how a host naturally writes a builder for
// LoadOptions.Policies: unmarshal the params into the policy.
func rvMaxDiscountBuilder(params json.RawMessage) (policy.Policy, error) {
	p := maxDiscount{Percent: 10}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, err
	}
	return p, nil
}

// TestReview_HostParamsNull: LoadOptions.Policies says a builder gets "null
// when the definition gives none". It gets an empty RawMessage instead, on
// which json.Unmarshal fails, so a host policy written without params (as
// MarshalJSON writes one whose Params is nil) cannot be read back.
func TestReview_HostParamsNull(t *testing.T) {
	var got []string
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"max_discount": func(params json.RawMessage) (policy.Policy, error) {
			got = append(got, fmt.Sprintf("%q", []byte(params)))
			return rvMaxDiscountBuilder(params)
		},
	}}
	for _, def := range []string{
		`{"policies":[{"id":"max_discount"}]}`,
		`{"policies":[{"id":"max_discount","params":null}]}`,
	} {
		if _, err := policy.Load([]byte(def), opts); err != nil {
			t.Errorf("Load(%s): %v; want a set (the builder should get null)", def, err)
		}
	}
	if want := []string{`"null"`, `"null"`}; !slices.Equal(got, want) {
		t.Errorf("the builder got params %v, want %v", got, want)
	}
}

// TestReview_UnnamedZoneRoundTrip: MarshalJSON promises that Load "reads it
// back into a set that checks exactly as set does". A location whose name
// is "" (time.FixedZone("", offset), the usual way to build a fixed offset)
// is written as "time_zone":"" and read back as UTC, silently: the loaded
// set then calls a discount a period-end one that the original does not.
func TestReview_UnnamedZoneRoundTrip(t *testing.T) {
	plus530 := time.FixedZone("", 5*3600+1800)
	set, err := policy.NewSet(policy.NoPanicDiscounts(policy.Blackout{QuarterDays: 1, Location: plus530}))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(set)
	if err != nil {
		// Refusing to write it is the fix; writing something else is not.
		if !strings.Contains(err.Error(), "policies[0].params.time_zone: a time zone without a name cannot be written as data") {
			t.Fatalf("Marshal: %v", err)
		}
		return
	}
	back, err := policy.Load(data, policy.LoadOptions{Zone: time.LoadLocation})
	if err != nil {
		t.Logf("Load refused %s: %v", data, err)
		return
	}
	// 31 March 20:00 UTC is 1 April 01:30 at +05:30: not the last day of a
	// quarter there.
	s := policy.Subject{Deal: rvDiscountAt(time.Date(2027, time.March, 31, 20, 0, 0, 0, time.UTC))}
	before, after := set.Check(s, fixNow), back.Check(s, fixNow)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("%s read back checks differently (-original +loaded):\n%s", data, diff)
	}
}

// TestReview_FixedZoneNamedUTC: the same silent change for a fixed zone
// that happens to be named "UTC" but is not at offset 0: Load never asks
// LoadOptions.Zone about "UTC".
func TestReview_FixedZoneNamedUTC(t *testing.T) {
	notUTC := time.FixedZone("UTC", 3*3600)
	set, err := policy.NewSet(policy.RefundGuarantee(notUTC))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(set)
	if err != nil {
		if !strings.Contains(err.Error(), `policies[0].params.time_zone: a time zone named "UTC" that is not UTC cannot be written as data`) {
			t.Fatalf("Marshal: %v", err)
		}
		return
	}
	back, err := policy.Load(data, policy.LoadOptions{Zone: time.LoadLocation})
	if err != nil {
		t.Logf("Load refused %s: %v", data, err)
		return
	}
	// Asked 20:30 UTC on 1 May (23:30 at +3, 1 May), granted 21:30 UTC the
	// same UTC day (00:30 at +3, 2 May): a day late at +3.
	r := &policy.RefundRequest{ID: "r", RequestedAt: time.Date(2027, time.May, 1, 20, 30, 0, 0, time.UTC), GrantedAt: time.Date(2027, time.May, 1, 21, 30, 0, 0, time.UTC)}
	s := policy.Subject{Refund: r}
	if diff := cmp.Diff(set.Check(s, fixNow), back.Check(s, fixNow)); diff != "" {
		t.Errorf("%s read back checks differently (-original +loaded):\n%s", data, diff)
	}
}

// TestReview_UnmarshalSilentlyEmpty: *Set has MarshalJSON but no
// UnmarshalJSON, so a host config struct holding a *policy.Set encodes the
// policies and decodes them into an empty set, with no error: every policy
// is silently off. (Design principle 1: marshal then unmarshal gives back an
// equal value.)
func TestReview_UnmarshalSilentlyEmpty(t *testing.T) {
	type hostConfig struct {
		Policies *policy.Set `json:"policies"`
	}
	data, err := json.Marshal(hostConfig{Policies: defaultSet()})
	if err != nil {
		t.Fatal(err)
	}
	var back hostConfig
	err = json.Unmarshal(data, &back)
	if err == nil && len(back.Policies.Policies()) != 7 {
		t.Errorf("json.Unmarshal(%s) succeeded with %d policies; want an error or all 7", data, len(back.Policies.Policies()))
	}
}

// rvShared is a host policy that returns the same violations every time, a
// slice it keeps (with spare capacity), as a cache would.
type rvShared struct {
	id string
	vs []policy.Violation
}

func (p rvShared) ID() string          { return p.id }
func (p rvShared) Description() string { return "shared" }
func (p rvShared) Params() any         { return nil }
func (p rvShared) Check(policy.Subject, time.Time) []policy.Violation {
	return p.vs
}

// TestReview_CheckWritesIntoPolicySlice: Set.Check keeps the first
// violating policy's slice as its result ("no copy"), fills in its empty
// fields in place and appends the next policies' violations to it. A
// policy's result is therefore changed, and when it has spare capacity the
// next policy's violations overwrite the policy's own memory. Two
// goroutines checking the same set then race (Set claims to be safe for
// concurrent use).
func TestReview_CheckWritesIntoPolicySlice(t *testing.T) {
	buf := make([]policy.Violation, 1, 4)
	buf[0] = policy.Violation{Message: "a"}
	first := rvShared{id: "a_first", vs: buf}
	second := rvShared{id: "b_second", vs: []policy.Violation{{Message: "b"}}}
	set, err := policy.NewSet(first, second)
	if err != nil {
		t.Fatal(err)
	}
	s := policy.Subject{ID: "x", Owner: "o"}
	_ = set.Check(s, fixNow)
	if got := buf[:2]; got[0] != (policy.Violation{Message: "a"}) || got[1] != (policy.Violation{}) {
		t.Errorf("Check wrote into the first policy's slice: %+v", got)
	}
}

// TestReview_CheckConcurrent runs the probe above from two goroutines; under
// -race it reports the write in Set.Check.
func TestReview_CheckConcurrent(t *testing.T) {
	first := rvShared{id: "a_first", vs: []policy.Violation{{Message: "a"}}}
	second := rvShared{id: "b_second", vs: []policy.Violation{{Message: "b"}}}
	set, err := policy.NewSet(first, second)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]policy.Violation, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = set.Check(policy.Subject{ID: fmt.Sprint("s", i), Owner: fmt.Sprint("o", i)}, fixNow)
		}()
	}
	wg.Wait()
	for i, vs := range results {
		want := []policy.Violation{
			{Policy: "a_first", Subject: fmt.Sprint("s", i), Owner: fmt.Sprint("o", i), Message: "a"},
			{Policy: "b_second", Subject: fmt.Sprint("s", i), Owner: fmt.Sprint("o", i), Message: "b"},
		}
		if diff := cmp.Diff(want, vs); diff != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", i, diff)
		}
	}
}

// rvRef computes the blackout window of day by brute force: walk to the end
// of the month, of the fiscal quarter and of the fiscal year, day by day.
func rvRef(b policy.Blackout, day accord.Date) (policy.Window, bool) {
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

// TestReview_BlackoutEdgeYears checks Blackout.In against the brute force
// for every day of a few years, every fiscal start, in a DST zone, including
// leap years and years outside 1..9999 that a time.Time can hold.
func TestReview_BlackoutEdgeYears(t *testing.T) {
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
				wantW, wantOK := rvRef(b, d)
				if gotOK != wantOK || gotW != wantW {
					if bad++; bad <= 5 {
						t.Errorf("fs %d, %v: In = %+v %v, want %+v %v", fs, d, gotW, gotOK, wantW, wantOK)
					}
				}
			}
		}
	}
}

// TestReview_NoPanics: built-in policies on inputs a caller can build,
// including empty pointers and extreme times.
func TestReview_NoPanics(t *testing.T) {
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

// TestReview_GatedProcessRoundTrip: "A gated process marshals like any
// other; Rules gives deal.Load the named rules to read it back." The
// process read back must refuse the close with the same gaps.
func TestReview_GatedProcessRoundTrip(t *testing.T) {
	set := defaultSet()
	p, err := policy.Gated(closeProcess(t), set)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := deal.Load(data, policy.Rules(set))
	if err != nil {
		t.Fatalf("deal.Load: %v", err)
	}
	d := cleanDeal()
	d.History = nil
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Quote.Discounts[0].Concession = ""
	d.Scope.Approvals = scope.ApprovalsNone
	want := p.Gaps(d, fixNow)
	if len(want) < 3 {
		t.Fatalf("too few gaps to compare: %v", want)
	}
	if diff := cmp.Diff(want, back.Gaps(d, fixNow)); diff != "" {
		t.Errorf("gaps of the process read back (-original +loaded):\n%s", diff)
	}
}

// TestReview_AllowMatchesGate: for a closing deal, Allow and the gate report
// the same criteria and messages, the gate's fields being Allow's with
// "deal." stripped.
func TestReview_AllowMatchesGate(t *testing.T) {
	set := defaultSet()
	p, err := policy.Gated(closeProcess(t), set)
	if err != nil {
		t.Fatal(err)
	}
	d := cleanDeal()
	d.History = nil
	d.Artifacts = []deal.Artifact{{Kind: deal.ArtifactSignedAgreement, Ref: "x"}}
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.Quote.Discounts[0].Concession = ""
	d.Quote.Lines[1].Edition = "pro"
	d.Quote.Lines[1].Price = usd("10")
	d.Scope.Categories = nil
	d.Commercials.TermMonths = 0
	d.Lead.FirstTouchAt = d.Lead.ReceivedAt.Add(time.Hour)
	err = set.Allow(policy.Subject{Deal: d, Closing: true}, fixNow)
	var allowed *accord.BlockedError
	if !errors.As(err, &allowed) {
		t.Fatalf("Allow: %v", err)
	}
	var fromAllow []accord.Unmet
	for _, u := range allowed.Unmet {
		u.Field = strings.TrimPrefix(u.Field, "deal.")
		u.State, u.Side = "handoff", accord.Entry
		fromAllow = append(fromAllow, u)
	}
	if diff := cmp.Diff(fromAllow, p.Gaps(d, fixNow)); diff != "" {
		t.Errorf("Allow vs gate (-allow +gate):\n%s", diff)
	}
}

// TestReview_SummaryMerge: a summary of the whole equals the merge of
// summaries of its parts, including a part with no violations.
func TestReview_SummaryMerge(t *testing.T) {
	vs := [][]policy.Violation{
		nil,
		{{Policy: "a", Owner: "x"}, {Policy: "b"}},
		{{Policy: "a", Owner: "y"}},
		{},
	}
	var whole policy.Summary
	for _, v := range vs {
		whole.Add(v)
	}
	var left, right, merged policy.Summary
	left.Add(vs[0])
	left.Add(vs[3])
	right.Add(vs[1])
	right.Add(vs[2])
	merged.Merge(left)
	merged.Merge(right)
	if diff := cmp.Diff(whole, merged); diff != "" {
		t.Errorf("merge (-whole +merged):\n%s", diff)
	}
	want := policy.Summary{Subjects: 4, Violating: 2, Violations: 3, ByPolicy: map[string]int{"a": 2, "b": 1}, ByOwner: map[string]int{"x": 1, "y": 1, "": 1}}
	if diff := cmp.Diff(want, whole); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

// TestReview_DealtestWithQuotes runs the dealtest harness on a gated
// Unified process with deals whose quotes, leads and scope references are
// drawn too, so that the gate reports several violations per policy (one
// unmet criterion each) and the harness's invariants see them.
func TestReview_DealtestWithQuotes(t *testing.T) {
	p, err := policy.Gated(deal.Unified(), defaultSet())
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2027, time.March, 20, 0, 0, 0, 0, time.UTC)
	dealtest.Run(t, p, dealtest.Populate(func(rt *rapid.T, d *deal.Deal) {
		n := rapid.IntRange(0, 3).Draw(rt, "discounts")
		for i := range n {
			d.Quote.Discounts = append(d.Quote.Discounts, deal.Discount{
				ID:         fmt.Sprint("disc-", i),
				Amount:     usd("100"),
				OfferedAt:  base.Add(time.Duration(rapid.IntRange(0, 40*24).Draw(rt, "hours")) * time.Hour),
				Concession: rapid.SampledFrom([]deal.Concession{"", deal.ConcessionMultiYear, deal.ConcessionReference, "bogus"}).Draw(rt, "concession"),
			})
		}
		for i := range rapid.IntRange(0, 3).Draw(rt, "lines") {
			d.Quote.Lines = append(d.Quote.Lines, deal.QuoteLine{Product: fmt.Sprint("p", i),
				Edition: rapid.SampledFrom([]string{"", "complete", "pro"}).Draw(rt, "edition"),
				AddOn:   rapid.Bool().Draw(rt, "add_on"), Price: usd("10")})
		}
		if rapid.Bool().Draw(rt, "inbound") {
			d.Lead = deal.Lead{Inbound: true, ReceivedAt: base, FirstTouchAt: base.Add(time.Duration(rapid.IntRange(0, 20).Draw(rt, "touch")) * time.Minute)}
		}
		if rapid.Bool().Draw(rt, "scoped") {
			approvals := scope.ApprovalsNone
			if rapid.Bool().Draw(rt, "approved") {
				approvals = scope.ApprovalsLeadAndClient
			}
			d.Scope = scope.Ref{ID: "sow", DealID: d.ID, Revision: 1, Approvals: approvals,
				Categories: []scope.Activity{scope.ActivityConfiguration}}
		}
	}))
}

// rvHostNoQuotas is a host's own, stricter take on a built-in policy,
// under the built-in's ID.
type rvHostNoQuotas struct{}

func (rvHostNoQuotas) ID() string          { return policy.IDNoQuotas }
func (rvHostNoQuotas) Description() string { return "No targets at all." }
func (rvHostNoQuotas) Params() any         { return nil }
func (rvHostNoQuotas) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Plan == nil || len(s.Plan.Targets) == 0 {
		return nil
	}
	return []policy.Violation{s.Violation(policy.IDNoQuotas, "plan.targets", "no targets at all")}
}

// TestReview_HostPolicyWithBuiltinID: NewSet accepts a host policy under a
// built-in ID, and MarshalJSON writes it, but Load refuses it ("a host
// policy must take another ID") with the host's builder, and without one
// reads back the built-in, which checks differently. The two validations
// should agree.
func TestReview_HostPolicyWithBuiltinID(t *testing.T) {
	set, err := policy.NewSet(rvHostNoQuotas{})
	if err != nil {
		return // refusing here is consistent with Load
	}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	withBuilder := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		policy.IDNoQuotas: func(json.RawMessage) (policy.Policy, error) { return rvHostNoQuotas{}, nil },
	}}
	if _, err := policy.Load(data, withBuilder); err != nil {
		t.Errorf("NewSet accepted a host policy %q that Load refuses: %v", policy.IDNoQuotas, err)
	}
	back, err := policy.Load(data, policy.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := policy.Subject{Plan: &policy.Plan{ID: "p", Targets: []policy.Target{{Assignee: "team", Team: true, Period: accord.PeriodMonth}}}}
	if diff := cmp.Diff(set.Check(s, fixNow), back.Check(s, fixNow)); diff != "" {
		t.Errorf("%s read back without a builder checks differently (-original +loaded):\n%s", data, diff)
	}
}

// TestReview_DuplicateKeys: Load promises to report every problem with its
// path, but a repeated key is silently resolved to its last value, so a
// definition whose first "policies" names an unknown policy loads as an
// empty set, and a bad parameter value is hidden by a later good one.
func TestReview_DuplicateKeys(t *testing.T) {
	for _, def := range []string{
		`{"policies":[{"id":"bogus"}],"policies":[]}`,
		`{"policies":[{"id":"lead_response_sla","params":{"minutes":"x","minutes":5}}]}`,
		`{"policies":[{"id":"no_quotas","id":"single_edition"}]}`,
	} {
		if set, err := policy.Load([]byte(def), policy.LoadOptions{}); err == nil {
			t.Errorf("Load(%s) = %d policies, no error; want the repeated key reported", def, len(set.Policies()))
		}
	}
}

// TestReview_WholeNumberWithFraction: "must be a whole number" is said of
// 5.0 and 1e1, which are whole numbers in JSON (and what Python's json or a
// float-typed host writes).
func TestReview_WholeNumberWithFraction(t *testing.T) {
	for _, n := range []string{"5.0", "1e1", "15.00"} {
		def := `{"policies":[{"id":"lead_response_sla","params":{"minutes":` + n + `}}]}`
		if _, err := policy.Load([]byte(def), policy.LoadOptions{}); err != nil {
			t.Errorf("Load(%s): %v", def, err)
		}
	}
}

// rvRenamer is a host policy whose violations carry another policy ID.
type rvRenamer struct{}

func (rvRenamer) ID() string          { return "bundle" }
func (rvRenamer) Description() string { return "A bundle of rules." }
func (rvRenamer) Params() any         { return nil }
func (rvRenamer) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Deal == nil {
		return nil
	}
	return []policy.Violation{s.Violation("bundle_part", "deal.fields.x", "part of the bundle")}
}

// TestReview_AllowCriterionIsPolicyID: Allow's doc says each unmet's
// Criterion is "policy." and the policy's ID, "as in the criteria of Gate";
// it is built from the violation's Policy field instead, which a policy may
// set to something else, so Allow and the gate name different criteria
// (and Summary counts a policy that is not in the set).
func TestReview_AllowCriterionIsPolicyID(t *testing.T) {
	set, err := policy.NewSet(rvRenamer{})
	if err != nil {
		t.Fatal(err)
	}
	d := cleanDeal()
	err = set.Allow(policy.Subject{Deal: d, Closing: true}, fixNow)
	var blocked *accord.BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("Allow: %v", err)
	}
	gate := policy.Gate(set)
	if got, want := blocked.Unmet[0].Criterion, gate[0].ID; got != want {
		t.Errorf("Allow names criterion %q, the gate %q", got, want)
	}
}
