package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
	"github.com/google/go-cmp/cmp"
)

// badID is a host policy with the wrong kind of ID.
type badID string

func (b badID) ID() string                                       { return string(b) }
func (badID) Description() string                                { return "bad" }
func (badID) Params() any                                        { return nil }
func (badID) Check(policy.Subject, time.Time) []policy.Violation { return nil }

// ptrPolicy is a host policy with pointer methods.
type ptrPolicy struct{ id string }

func (p *ptrPolicy) ID() string                                       { return p.id }
func (*ptrPolicy) Description() string                                { return "pointer" }
func (*ptrPolicy) Params() any                                        { return nil }
func (*ptrPolicy) Check(policy.Subject, time.Time) []policy.Violation { return nil }

func TestNewSetTypedNil(t *testing.T) {
	var p *ptrPolicy
	_, err := policy.NewSet(&ptrPolicy{id: "fine"}, p)
	if diff := cmp.Diff([]string{"policies[1]: is nil"}, fieldErrors(t, err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	_, err = policy.Load([]byte(`{"policies":[{"id":"ptr"}]}`), policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"ptr": func(json.RawMessage) (policy.Policy, error) { return p, nil },
	}})
	if diff := cmp.Diff([]string{`policies[0]: the host's builder for "ptr" returned no policy`}, fieldErrors(t, err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestNewSetErrors(t *testing.T) {
	_, err := policy.NewSet(
		nil,
		badID(""),
		badID("No-Quotas"),
		policy.NoQuotas(),
		badID("no_quotas"),
		policy.NoPanicDiscounts(policy.Blackout{MonthDays: 30, FiscalYearStart: -1}),
		policy.LeadResponseSLA(20000),
		policy.SingleEdition(""),
		policy.SingleEdition("complete"),
	)
	want := []string{
		"policies[0]: is nil",
		`policies[1].id: must be lower-case letters, digits and underscores, starting with a letter; got ""`,
		`policies[2].id: must be lower-case letters, digits and underscores, starting with a letter; got "No-Quotas"`,
		`policies[4].id: "no_quotas" is the ID of a built-in policy; a host policy takes another`,
		"policies[5].params.month_days: must be between 0 and 27 days; got 30",
		"policies[5].params.fiscal_year_start: must be a month, 1 to 12; got -1",
		"policies[6].params.minutes: must be between 1 and 10080 (a week); got 20000",
		`policies[8].id: duplicates policy "single_edition"`,
	}
	if diff := cmp.Diff(want, fieldErrors(t, err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	_, err = policy.Default(policy.DefaultOptions{FiscalYearStart: 13})
	if got, want := accord.FieldErrors(err), []*accord.FieldError{{Field: "policies[2].params.fiscal_year_start", Rule: "must be a month, 1 to 12; got 13"}}; !cmp.Equal(got, want) {
		t.Errorf("Default with month 13: got %v (%v), want %v", got, err, want)
	}
}

// wrapped is a host policy that decorates a built-in one.
type wrapped struct{ policy.Policy }

// TestBuiltinIDReserved: NewSet and Load refuse a host policy that
// takes a built-in ID, even one wrapping the built-in itself, and accept
// the built-ins.
func TestBuiltinIDReserved(t *testing.T) {
	_, err := policy.NewSet(policy.NoQuotas(), wrapped{policy.LeadResponseSLA(5)})
	if diff := cmp.Diff([]string{"policies[1].id"}, errorFields(t, err)); diff != "" {
		t.Errorf("NewSet (-want +got):\n%s\n%v", diff, err)
	}
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"no_quotas": func(json.RawMessage) (policy.Policy, error) { return policy.NoQuotas(), nil },
		"renamed":   func(json.RawMessage) (policy.Policy, error) { return policy.NoQuotas(), nil },
	}}
	_, err = policy.Load([]byte(`{"policies":[{"id":"no_quotas"},{"id":"renamed"}]}`), opts)
	if diff := cmp.Diff([]string{"policies[0].id", "policies[1].id"}, errorFields(t, err)); diff != "" {
		t.Errorf("Load (-want +got):\n%s\n%v", diff, err)
	}
}

func TestSetIgnoresOrder(t *testing.T) {
	a := mustSet(policy.NoQuotas(), policy.SingleEdition(""), policy.LeadResponseSLA(5))
	b := mustSet(policy.LeadResponseSLA(5), policy.NoQuotas(), policy.SingleEdition(""))
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("sets of the same policies write\n%s\n%s", ja, jb)
	}
	var ids []string
	for _, p := range a.Policies() {
		ids = append(ids, p.ID())
	}
	if diff := cmp.Diff([]string{"lead_response_sla", "no_quotas", "single_edition"}, ids); diff != "" {
		t.Errorf("Policies (-want +got):\n%s", diff)
	}
}

// sharedViolations is a host policy that returns the same violations every time, a
// slice it keeps (with spare capacity), as a cache would.
type sharedViolations struct {
	id string
	vs []policy.Violation
}

func (p sharedViolations) ID() string          { return p.id }
func (p sharedViolations) Description() string { return "shared" }
func (p sharedViolations) Params() any         { return nil }
func (p sharedViolations) Check(policy.Subject, time.Time) []policy.Violation {
	return p.vs
}

// TestCheckWritesIntoPolicySlice: Set.Check never writes into the slice a
// policy returned, even one with spare capacity, as a cache might keep: it
// fills in subject and owner and appends the next policies' violations in
// its own memory.
func TestCheckWritesIntoPolicySlice(t *testing.T) {
	buf := make([]policy.Violation, 1, 4)
	buf[0] = policy.Violation{Message: "a"}
	first := sharedViolations{id: "a_first", vs: buf}
	second := sharedViolations{id: "b_second", vs: []policy.Violation{{Message: "b"}}}
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

// TestCheckConcurrent checks a set whose policies return shared slices from
// two goroutines: each gets its own complete result, and -race sees no
// write to the policies' memory.
func TestCheckConcurrent(t *testing.T) {
	first := sharedViolations{id: "a_first", vs: []policy.Violation{{Message: "a"}}}
	second := sharedViolations{id: "b_second", vs: []policy.Violation{{Message: "b"}}}
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

// liar reports violations naming another policy, subject and owner.
type liar struct{}

func (liar) ID() string          { return "liar" }
func (liar) Description() string { return "lies" }
func (liar) Params() any         { return nil }
func (liar) Check(s policy.Subject, _ time.Time) []policy.Violation {
	return []policy.Violation{{Policy: "no_quotas", Subject: "other", Owner: "someone", Message: "m"}, {Message: "n"}}
}

// TestCheckSetsPolicy: every violation carries the ID of the
// policy that reported it; subject and owner are filled only when empty,
// the owner from Payment.By when nothing comes before it.
func TestCheckSetsPolicy(t *testing.T) {
	set, err := policy.NewSet(liar{})
	if err != nil {
		t.Fatal(err)
	}
	s := policy.Subject{Payment: &policy.PaymentRequest{ID: "pay-1", By: "fin-1"}}
	want := []policy.Violation{
		{Policy: "liar", Subject: "other", Owner: "someone", Message: "m"},
		{Policy: "liar", Subject: "pay-1", Owner: "fin-1", Message: "n"},
	}
	if diff := cmp.Diff(want, set.Check(s, fixNow)); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	err = set.Allow(policy.Subject{}, fixNow)
	if got, want := err.Error(), "accord: refused: 2 unmet: policy.liar: m; policy.liar: n"; got != want {
		t.Errorf("Allow error = %q, want %q", got, want)
	}
	s.Discount = &deal.Discount{By: "rep-9"}
	if got := s.Responsible(); got != "rep-9" {
		t.Errorf("Responsible with a discount and a payment = %q, want the discount's rep-9", got)
	}
}

// renamer is a host policy whose violations carry another policy ID.
type renamer struct{}

func (renamer) ID() string          { return "bundle" }
func (renamer) Description() string { return "A bundle of rules." }
func (renamer) Params() any         { return nil }
func (renamer) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Deal == nil {
		return nil
	}
	return []policy.Violation{s.Violation("bundle_part", "deal.fields.x", "part of the bundle")}
}

// TestAllowCriterionIsPolicyID: each unmet criterion of Allow is "policy."
// and the ID of the policy in the set, as in the criteria of Gate, even
// when a policy's violations name another policy.
func TestAllowCriterionIsPolicyID(t *testing.T) {
	set, err := policy.NewSet(renamer{})
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

func TestOnly(t *testing.T) {
	set := defaultSet()
	closing, err := set.Only(policy.IDSingleEdition, policy.IDClosedWonOnStructure, policy.IDNoPanicDiscounts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range closing.Policies() {
		ids = append(ids, p.ID())
	}
	if diff := cmp.Diff([]string{"closed_won_on_structure", "no_panic_discounts", "single_edition"}, ids); diff != "" {
		t.Errorf("Only (-want +got):\n%s", diff)
	}
	_, err = set.Only(policy.IDNoQuotas, "max_discount", policy.IDNoQuotas)
	want := []string{`ids[1]: the set has no policy "max_discount"`, `ids[2]: repeats policy "no_quotas"`}
	if diff := cmp.Diff(want, fieldErrors(t, err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	empty, err := set.Only()
	if err != nil || len(empty.Policies()) != 0 {
		t.Errorf("Only() = %v, %v", empty.Policies(), err)
	}
}

// listed is a host policy of a type == cannot compare (it holds a slice).
type listed struct {
	id    string
	names []string
}

func (p listed) ID() string          { return p.id }
func (p listed) Description() string { return "listed: " + strings.Join(p.names, ", ") }
func (p listed) Params() any         { return nil }
func (p listed) Check(policy.Subject, time.Time) []policy.Violation {
	return nil
}

// TestOnlyUncomparablePanics: Only works on host policies of a type that
// == cannot compare (two of them of the same type in one set).
func TestOnlyUncomparablePanics(t *testing.T) {
	set, err := policy.NewSet(listed{id: "a", names: []string{"x"}}, listed{id: "b"})
	if err != nil {
		t.Fatal(err)
	}
	var got *policy.Set
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("Only(\"b\", \"a\") panicked: %v", r)
			}
		}()
		got, err = set.Only("b", "a")
	}()
	if t.Failed() {
		return
	}
	if err != nil || len(got.Policies()) != 2 || got.Policies()[0].ID() != "a" {
		t.Errorf("Only(\"b\", \"a\") = %v, %v; want a and b", got.Policies(), err)
	}
}

// TestOnlyBuiltins pins down Only on built-in policies: order by ID,
// unknown and repeated IDs reported at their index, all at once.
func TestOnlyBuiltins(t *testing.T) {
	set := defaultSet()
	got, err := set.Only(policy.IDSingleEdition, policy.IDClosedWonOnStructure)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got.Policies() {
		ids = append(ids, p.ID())
	}
	if diff := cmp.Diff([]string{policy.IDClosedWonOnStructure, policy.IDSingleEdition}, ids); diff != "" {
		t.Errorf("Only ids (-want +got):\n%s", diff)
	}
	_, err = set.Only("no_quotas", "nope", "no_quotas", "")
	if diff := cmp.Diff([]string{"ids[1]", "ids[2]", "ids[3]"}, errorFields(t, err)); diff != "" {
		t.Errorf("Only errors (-want +got):\n%s\n%v", diff, err)
	}
	var none *policy.Set
	if _, err := none.Only("no_quotas"); err == nil {
		t.Error("nil set Only(no_quotas): no error")
	}
	if empty, err := set.Only(); err != nil || len(empty.Policies()) != 0 {
		t.Errorf("Only() = %v, %v; want an empty set", empty.Policies(), err)
	}
}

func TestSummary(t *testing.T) {
	set := defaultSet()
	var all policy.Summary
	var parts [2]policy.Summary
	for i, tc := range builtinCases {
		s := cleanSubject()
		tc.edit(&s)
		vs := set.Check(s, fixNow)
		all.Add(vs)
		parts[i%2].Add(vs)
	}
	var merged policy.Summary
	merged.Merge(parts[1])
	merged.Merge(parts[0])
	if diff := cmp.Diff(all, merged); diff != "" {
		t.Errorf("merged (-one summary +merged):\n%s", diff)
	}
	// The case "refund day in the request's zone" breaks no policy in any
	// zone: the refund day is read in the request time's zone.
	want := policy.Summary{Subjects: 34, Violating: 28, Violations: 48,
		ByPolicy: map[string]int{
			"closed_won_on_structure": 9, "lead_response_sla": 3, "no_panic_discounts": 12, "no_quotas": 3,
			"payment_after_client_approval": 10, "refund_guarantee": 5, "single_edition": 6,
		},
		ByOwner: map[string]int{"": 1, "fin-1": 2, "rep-1": 44, "rep-2": 1},
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

// TestSummaryMerge: a summary of the whole equals the merge of
// summaries of its parts, including a part with no violations.
func TestSummaryMerge(t *testing.T) {
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
