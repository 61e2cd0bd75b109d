package policy_test

// Probe tests from a second review, of the fixes made after the first
// (git log 811be87..HEAD). A TestReview2_ test that fails is a bug
// described in the review report; the others pin down behaviour the fixes
// claim, with exact values.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsonobj"
	"github.com/accordhq/accord/policy"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// r2Fields returns the sorted-as-reported "field: rule" lines of a Load or
// NewSet error, failing the test when err holds anything but field errors.
func r2Fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *accord.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("error %T %v is not a *accord.FieldError", e, e)
		}
		out = append(out, fe.Field)
	}
	walk(err)
	return out
}

// ---- jsonobj.Repeated ----

// TestReview2_RepeatedCorrect pins down what Repeated and the loaders report
// for repeated keys: decoded keys, one report per key, nested objects each
// their own, paths written as package deal writes them.
func TestReview2_RepeatedCorrect(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`{"a":1,"a":1,"a":1}`, []string{"a"}},
		{`{"b":{"a":1},"a":[{"a":1,"a":2}],"c":"\"a\":1"}`, nil},
		{`{"\u00e9":1,"é":2,"a\"b":1,"a\u0022b":2}`, []string{"é", `a"b`}},
		{`{"x":1,"y":2,"y":3,"x":4}`, []string{"y", "x"}},
	} {
		if diff := cmp.Diff(tc.want, jsonobj.Repeated([]byte(tc.in))); diff != "" {
			t.Errorf("Repeated(%s) (-want +got):\n%s", tc.in, diff)
		}
	}
	for _, tc := range []struct {
		def  string
		want []string
	}{
		{`{"policies":[],"\u0070olicies":[]}`, []string{"policies"}},
		{`{"policies":[{"id":"no_quotas","id":"no_quotas"}]}`, []string{"policies[0].id"}},
		{`{"policies":[{"id":"lead_response_sla","params":{"minutes":5,"minutes":5}}]}`, []string{"policies[0].params.minutes"}},
		{`{"policies":[{"id":"no_quotas","a b":1,"a b":1}]}`, []string{`policies[0]["a b"]`, `policies[0]["a b"]`}},
		{`{"policies":[],"":1}`, []string{`[""]`}},
		{`{"policies":[],"a.b":1}`, []string{`["a.b"]`}},
		{`{"policies":[{"id":"single_edition","params":{"Édition":"x"}}]}`, []string{`policies[0].params["Édition"]`}},
	} {
		_, err := policy.Load([]byte(tc.def), policy.LoadOptions{})
		if diff := cmp.Diff(tc.want, r2Fields(t, err)); diff != "" {
			t.Errorf("Load(%s) fields (-want +got):\n%s\n%v", tc.def, diff, err)
		}
	}
}

// ---- whole numbers ----

// r2Minutes loads a lead_response_sla with minutes written as raw, and
// returns the minutes it got (from its params) or the error.
func r2Minutes(raw string) (int, error) {
	set, err := policy.Load([]byte(`{"policies":[{"id":"lead_response_sla","params":{"minutes":`+raw+`}}]}`), policy.LoadOptions{})
	if err != nil {
		return 0, err
	}
	b, _ := json.Marshal(set.Policies()[0].Params())
	var p struct{ Minutes int }
	_ = json.Unmarshal(b, &p)
	return p.Minutes, nil
}

// TestReview2_WholeNumbers pins down the whole numbers the loader reads.
func TestReview2_WholeNumbers(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int // 0: refused
	}{
		{"5", 5}, {"5.0", 5}, {"1e1", 10}, {"50e-1", 5}, {"10080", 10080}, {"1.008e4", 10080},
		{"5.5", 0}, {"1e400", 0}, {"-1e400", 0}, {"9007199254740993", 0}, {"1e10", 0},
		{"-0", 0}, {"-0.0", 0}, {"true", 0}, {"[5]", 0}, {`{"n":5}`, 0},
	} {
		got, err := r2Minutes(tc.raw)
		if tc.want == 0 {
			if err == nil {
				t.Errorf("minutes %s: loaded as %d, want an error", tc.raw, got)
			} else if diff := cmp.Diff([]string{"policies[0].params.minutes"}, r2Fields(t, err)); diff != "" {
				t.Errorf("minutes %s: fields (-want +got):\n%s", tc.raw, diff)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("minutes %s: got %d, %v; want %d", tc.raw, got, err, tc.want)
		}
	}
}

// TestReview2_NumberAsString: wholeNumber decodes into json.Number, which
// encoding/json fills from a JSON string holding a number too, so
// {"minutes": "5"} loads as 5 where a value of the wrong type must be
// reported (Load's doc; deal.Load refuses "5" for an integer, and Load did
// before the fix, with var n int).
func TestReview2_NumberAsString(t *testing.T) {
	for _, raw := range []string{`"5"`, `"15"`, `"1e1"`} {
		if got, err := r2Minutes(raw); err == nil {
			t.Errorf("minutes %s: loaded as %d, want policies[0].params.minutes: must be a whole number", raw, got)
		}
	}
	def := `{"policies":[{"id":"no_panic_discounts","params":{"month_days":"3","fiscal_year_start":"4"}}]}`
	if _, err := policy.Load([]byte(def), policy.LoadOptions{}); err == nil {
		t.Errorf("Load(%s): no error, want month_days and fiscal_year_start reported as not numbers", def)
	}
}

// TestReview2_NotWholeAccepted: wholeNumber goes through float64, so a
// number that is not whole but rounds to one is read as that whole number:
// 5.0000000000000001 is 5, and 1e-400 (which underflows to 0) turns a
// blackout off as month_days 0.
func TestReview2_NotWholeAccepted(t *testing.T) {
	for _, raw := range []string{"5.0000000000000001", "4.9999999999999999"} {
		if got, err := r2Minutes(raw); err == nil {
			t.Errorf("minutes %s: loaded as %d, want an error (not a whole number)", raw, got)
		}
	}
	def := `{"policies":[{"id":"no_panic_discounts","params":{"month_days":1e-400}}]}`
	if set, err := policy.Load([]byte(def), policy.LoadOptions{}); err == nil {
		b, _ := set.MarshalJSON()
		t.Errorf("Load(%s) = %s, want policies[0].params.month_days: must be a whole number", def, b)
	}
}

// ---- Set.Only ----

// r2Listed is a host policy of a type == cannot compare (it holds a slice).
type r2Listed struct {
	id    string
	names []string
}

func (p r2Listed) ID() string          { return p.id }
func (p r2Listed) Description() string { return "listed: " + strings.Join(p.names, ", ") }
func (p r2Listed) Params() any         { return nil }
func (p r2Listed) Check(policy.Subject, time.Time) []policy.Violation {
	return nil
}

// TestReview2_OnlyUncomparablePanics: Only detects a repeated ID with
// slices.Contains(out.policies, found), which compares Policy interface
// values with ==; two host policies of the same uncomparable type make it
// panic ("comparing uncomparable type"), on a set NewSet accepted.
func TestReview2_OnlyUncomparablePanics(t *testing.T) {
	set, err := policy.NewSet(r2Listed{id: "a", names: []string{"x"}}, r2Listed{id: "b"})
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

// TestReview2_Only pins down Only on built-in policies: order by ID,
// unknown and repeated IDs reported at their index, all at once.
func TestReview2_Only(t *testing.T) {
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
	if diff := cmp.Diff([]string{"ids[1]", "ids[2]", "ids[3]"}, r2Fields(t, err)); diff != "" {
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

// ---- Load ----

// TestReview2_LoadErrorOrder: Load reports unknown keys of the set, of an
// entry and of a built-in's params in map iteration order (for k := range
// top / m / ps), so the same definition gives differently ordered errors
// from one call to the next; deal.Load sorts them.
func TestReview2_LoadErrorOrder(t *testing.T) {
	def := []byte(`{"policies":[{"id":"no_quotas","x":1,"y":2,"z":3}],"b":1,"a":2,"c":3}`)
	_, first := policy.Load(def, policy.LoadOptions{})
	if first == nil {
		t.Fatal("no error")
	}
	for range 50 {
		if _, err := policy.Load(def, policy.LoadOptions{}); err.Error() != first.Error() {
			t.Fatalf("Load gave two different errors for one definition:\n%v\n---\n%v", first, err)
		}
	}
}

// r2Cap is a host policy with a parameter, built as hosts write builders.
type r2Cap struct {
	Percent int `json:"percent"`
}

func (r2Cap) ID() string                                         { return "discount_cap" }
func (r2Cap) Description() string                                { return "A cap on discounts." }
func (p r2Cap) Params() any                                      { return p }
func (r2Cap) Check(policy.Subject, time.Time) []policy.Violation { return nil }

// TestReview2_HostParamsRepeatedKeys: the fix reports repeated keys in the
// set, its entries and built-in params, but hands a host policy's params to
// its builder unchecked, so {"percent":10,"percent":50} is read by
// json.Unmarshal as 50 without a word: the definition says two things.
func TestReview2_HostParamsRepeatedKeys(t *testing.T) {
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"discount_cap": func(raw json.RawMessage) (policy.Policy, error) {
			var p r2Cap
			if string(raw) != "null" {
				if err := json.Unmarshal(raw, &p); err != nil {
					return nil, err
				}
			}
			return p, nil
		},
	}}
	def := `{"policies":[{"id":"discount_cap","params":{"percent":10,"percent":50}}]}`
	set, err := policy.Load([]byte(def), opts)
	if err == nil {
		t.Errorf("Load(%s) = %+v, want policies[0].params.percent: is given more than once", def, set.Policies())
	}
}

// TestReview2_LoadNulls pins down null handling: null params take the
// defaults for built-ins and reach a host builder as null; a null set,
// entry, list or id is refused at its path.
func TestReview2_LoadNulls(t *testing.T) {
	var gotRaw []string
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"discount_cap": func(raw json.RawMessage) (policy.Policy, error) {
			gotRaw = append(gotRaw, string(raw))
			return r2Cap{}, nil
		},
	}}
	set, err := policy.Load([]byte(`{"policies":[{"id":"discount_cap","params":null},{"id":"lead_response_sla","params":{"minutes":null}},{"id":"no_panic_discounts","params":null}]}`), opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"null"}, gotRaw); diff != "" {
		t.Errorf("builder params (-want +got):\n%s", diff)
	}
	b, _ := set.MarshalJSON()
	want := `{"policies":[{"id":"discount_cap","params":{"percent":0}},{"id":"lead_response_sla","params":{"minutes":5}},{"id":"no_panic_discounts","params":{"month_days":5,"quarter_days":10,"year_days":15,"fiscal_year_start":1,"time_zone":"UTC"}}]}`
	if string(b) != want {
		t.Errorf("MarshalJSON = %s\nwant %s", b, want)
	}
	for def, want := range map[string][]string{
		`null`:                    {"set"},
		`{"policies":null}`:       {"policies"},
		`{"policies":[null]}`:     {"policies[0]"},
		`{"policies":[{"id":1}]}`: {"policies[0].id"},
		`{"policies":[{"id":"refund_guarantee","params":{"time_zone":""}}]}`: {"policies[0].params.time_zone"},
	} {
		_, err := policy.Load([]byte(def), policy.LoadOptions{})
		if diff := cmp.Diff(want, r2Fields(t, err)); diff != "" {
			t.Errorf("Load(%s) (-want +got):\n%s", def, diff)
		}
	}
}

// ---- MarshalJSON's zone check ----

// TestReview2_MarshalZonePath: a zone Marshal cannot write fails at the
// index of the policy in the written (sorted) list, every one reported.
func TestReview2_MarshalZonePath(t *testing.T) {
	fake := time.FixedZone("UTC", 3600)
	set, err := policy.Default(fake, time.April)
	if err != nil {
		t.Fatal(err)
	}
	_, err = set.MarshalJSON()
	// closed_won, lead_response, no_panic(2), no_quotas, payment, refund(5), single.
	if diff := cmp.Diff([]string{"policies[2].params.time_zone", "policies[5].params.time_zone"}, r2Fields(t, err)); diff != "" {
		t.Errorf("MarshalJSON fields (-want +got):\n%s\n%v", diff, err)
	}
	if _, err := json.Marshal(struct{ S *policy.Set }{set}); err == nil {
		t.Error("json.Marshal of a struct holding the set: no error")
	}
	for _, loc := range []*time.Location{time.UTC, nil, time.FixedZone("UTC", 0), time.FixedZone("Asia/Kolkata", 5*3600+1800)} {
		s, err := policy.NewSet(policy.RefundGuarantee(loc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MarshalJSON(); err != nil {
			t.Errorf("MarshalJSON with zone %v: %v", loc, err)
		}
	}
	s, _ := policy.NewSet(policy.RefundGuarantee(time.FixedZone("", 0)))
	if _, err := s.MarshalJSON(); err == nil {
		t.Error("MarshalJSON with an unnamed zone: no error")
	}
}

// TestReview2_UnmarshalJSON: json.Unmarshal into a Set loads, refuses what
// needs LoadOptions, and leaves the set unchanged on error.
func TestReview2_UnmarshalJSON(t *testing.T) {
	var set policy.Set
	if err := json.Unmarshal([]byte(`{"policies":[{"id":"no_quotas"},{"id":"lead_response_sla","params":{"minutes":7}}]}`), &set); err != nil {
		t.Fatal(err)
	}
	if n := len(set.Policies()); n != 2 {
		t.Fatalf("got %d policies, want 2", n)
	}
	err := json.Unmarshal([]byte(`{"policies":[{"id":"refund_guarantee","params":{"time_zone":"Asia/Kolkata"}},{"id":"host_thing"}]}`), &set)
	if diff := cmp.Diff([]string{"policies[0].params.time_zone", "policies[1].id"}, r2Fields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s\n%v", diff, err)
	}
	if n := len(set.Policies()); n != 2 {
		t.Errorf("after a failed Unmarshal the set has %d policies, want the 2 it had", n)
	}
}

// ---- built-in IDs ----

// r2Wrapped is a host policy that decorates a built-in one.
type r2Wrapped struct{ policy.Policy }

// TestReview2_BuiltinIDReserved: NewSet and Load refuse a host policy that
// takes a built-in ID, even one wrapping the built-in itself, and accept
// the built-ins.
func TestReview2_BuiltinIDReserved(t *testing.T) {
	_, err := policy.NewSet(policy.NoQuotas(), r2Wrapped{policy.LeadResponseSLA(5)})
	if diff := cmp.Diff([]string{"policies[1].id"}, r2Fields(t, err)); diff != "" {
		t.Errorf("NewSet (-want +got):\n%s\n%v", diff, err)
	}
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"no_quotas": func(json.RawMessage) (policy.Policy, error) { return policy.NoQuotas(), nil },
		"renamed":   func(json.RawMessage) (policy.Policy, error) { return policy.NoQuotas(), nil },
	}}
	_, err = policy.Load([]byte(`{"policies":[{"id":"no_quotas"},{"id":"renamed"}]}`), opts)
	if diff := cmp.Diff([]string{"policies[0].id", "policies[1].id"}, r2Fields(t, err)); diff != "" {
		t.Errorf("Load (-want +got):\n%s\n%v", diff, err)
	}
}

// ---- Check, Responsible, Allow ----

// r2Liar reports violations naming another policy, subject and owner.
type r2Liar struct{}

func (r2Liar) ID() string          { return "liar" }
func (r2Liar) Description() string { return "lies" }
func (r2Liar) Params() any         { return nil }
func (r2Liar) Check(s policy.Subject, _ time.Time) []policy.Violation {
	return []policy.Violation{{Policy: "no_quotas", Subject: "other", Owner: "someone", Message: "m"}, {Message: "n"}}
}

// TestReview2_CheckSetsPolicy: every violation carries the ID of the
// policy that reported it; subject and owner are filled only when empty,
// the owner from Payment.By when nothing comes before it.
func TestReview2_CheckSetsPolicy(t *testing.T) {
	set, err := policy.NewSet(r2Liar{})
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

// ---- payment against the deal's current scope ----

// r2ApprovedSOW returns a Scope of Work of deal d-1 at revision 1, approved
// by the implementation lead and then the client.
func r2ApprovedSOW(t *testing.T) *scope.SOW {
	t.Helper()
	at := fixNow.Add(-30 * 24 * time.Hour)
	sow := &scope.SOW{
		ID: "sow-1", DealID: "d-1", Title: "rollout",
		Start:        time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC),
		Requirements: []scope.Requirement{{ID: "R1", Title: "one pipeline", Kind: scope.KindFutureState, Priority: scope.Must, Source: scope.Source{Name: "Dana", At: at}}},
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline", Requirements: []string{"R1"}}},
		Price:        accord.Money{Amount: decimal.NewFromInt(48000), Currency: "USD"},
		Steps: []scope.Step{{ID: "configure", Days: 2, Activity: scope.ActivityConfiguration, Phase: scope.PhaseConfigure,
			Requirements: []string{"R1"}, Effort: decimal.NewFromInt(16), Owner: "consultant"}},
	}
	rep := accord.Actor{ID: "rep-1", Name: "Asha", Role: accord.RoleSalesRep}
	lead := accord.Actor{ID: "lead-1", Name: "Ravi", Role: accord.RoleImplementationLead}
	client := accord.Actor{ID: "client-1", Name: "Dana", Role: accord.RoleClient}
	for i, f := range []func(time.Time) error{
		func(at time.Time) error { return sow.Open(rep, at) },
		func(at time.Time) error { return sow.Submit(scope.Calendar{}, rep, at) },
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

// TestReview2_PaymentStaleRevision: the fix compares the Scope of Work's ID
// with the deal's scope reference, not its revision. A payment checked
// against the approved revision 1 of sow-1, while the deal's reference says
// sow-1 is at revision 2 and only submitted, passes: the policy's doc asks
// for the approval of the current revision.
func TestReview2_PaymentStaleRevision(t *testing.T) {
	sow := r2ApprovedSOW(t)
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
