package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/policy"
	"github.com/google/go-cmp/cmp"
)

// fieldErrors flattens err into "field: rule" lines, failing on any error
// that is not a *accord.FieldError.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *accord.FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("%T %v is not a *accord.FieldError", err, err)
		}
		out = append(out, fe.Field+": "+fe.Rule)
	}
	if err != nil {
		walk(err)
	}
	return out
}

func zones(name string) (*time.Location, error) {
	if name == "Asia/Kolkata" {
		return ist, nil
	}
	return nil, fmt.Errorf("unknown time zone %s", name)
}

func TestLoadRoundTrip(t *testing.T) {
	set, err := policy.NewSet(
		policy.SingleEdition("complete"),
		policy.NoPanicDiscounts(policy.Blackout{MonthDays: 3, QuarterDays: 7, YearDays: 20, FiscalYearStart: time.April, Location: ist}),
		policy.RefundGuarantee(ist),
		policy.LeadResponseSLA(15),
		maxDiscount{Percent: 20},
	)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"policies":[{"id":"lead_response_sla","params":{"minutes":15}},{"id":"max_discount","params":{"percent":20}},` +
		`{"id":"no_panic_discounts","params":{"month_days":3,"quarter_days":7,"year_days":20,"fiscal_year_start":4,"time_zone":"IST"}},` +
		`{"id":"refund_guarantee","params":{"time_zone":"IST"}},{"id":"single_edition","params":{"edition":"complete"}}]}`
	if string(data) != want {
		t.Fatalf("JSON\n%s\nwant\n%s", data, want)
	}
	opts := policy.LoadOptions{
		Zone: func(name string) (*time.Location, error) {
			if name == "IST" {
				return ist, nil
			}
			return nil, fmt.Errorf("unknown %s", name)
		},
		Policies: map[string]func(json.RawMessage) (policy.Policy, error){
			"max_discount": func(params json.RawMessage) (policy.Policy, error) {
				var p maxDiscount
				err := json.Unmarshal(params, &p)
				return p, err
			},
		},
	}
	back, err := policy.Load(data, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != want {
		t.Fatalf("read back, the set writes\n%s", again)
	}
	for _, tc := range builtinCases {
		s := cleanSubject()
		tc.edit(&s)
		if diff := cmp.Diff(set.Check(s, fixNow), back.Check(s, fixNow)); diff != "" {
			t.Errorf("%s: the set read back checks differently (-original +loaded):\n%s", tc.name, diff)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	set, err := policy.Load([]byte(`{"policies":[{"id":"no_panic_discounts","params":{"month_days":null,"time_zone":null}},{"id":"lead_response_sla","params":{"minutes":null}},{"id":"no_quotas","params":{}},{"id":"refund_guarantee","params":null}]}`), policy.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(set)
	const want = `{"policies":[{"id":"lead_response_sla","params":{"minutes":5}},{"id":"no_panic_discounts","params":{"month_days":5,"quarter_days":10,"year_days":15,"fiscal_year_start":1,"time_zone":"UTC"}},{"id":"no_quotas"},{"id":"refund_guarantee","params":{"time_zone":"UTC"}}]}`
	if string(data) != want {
		t.Fatalf("got\n%s\nwant\n%s", data, want)
	}
}

func TestLoadErrors(t *testing.T) {
	opts := policy.LoadOptions{Zone: zones, Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"max_discount": func(params json.RawMessage) (policy.Policy, error) {
			var p maxDiscount
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, accord.Invalid("percent", "must be a whole number")
			}
			return p, nil
		},
		"liar":           func(json.RawMessage) (policy.Policy, error) { return maxDiscount{}, nil },
		"no_quotas":      func(json.RawMessage) (policy.Policy, error) { return policy.NoQuotas(), nil },
		"nothing_at_all": func(json.RawMessage) (policy.Policy, error) { return nil, nil },
	}}
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"not an object", `[1]`, []string{"set: must be a policy set, a JSON object"}},
		{"not JSON", `{`, []string{"set: is not valid JSON: unexpected end of JSON input (at byte 1)"}},
		{"no policies", `{}`, []string{"policies: is required"}},
		{"policies not a list", `{"policies":{}}`, []string{"policies: must be an array"}},
		{"unknown top key", `{"policies":[],"version":2}`, []string{"version: is not a field of a policy set; the fields are policies"}},
		{"odd keys", `{"policies":[{"id":"no_quotas","a b":1}],"":2}`, []string{
			`[""]: is not a field of a policy set; the fields are policies`,
			`policies[0]["a b"]: is not a field of a policy; the fields are id, params`,
		}},
		{"repeated keys", `{"policies":[{"id":"bogus"}],"policies":[{"id":"no_quotas","id":"lead_response_sla","params":{"minutes":"x","minutes":5}}]}`, []string{
			"policies: is given more than once; give each key once",
			"policies[0].id: is given more than once; give each key once",
			"policies[0].params.minutes: is given more than once; give each key once",
		}},
		{"entries", `{"policies":[1,{"params":{}},{"id":7},{"id":"no_quotas","why":"x"},{"id":"surcharge"}]}`, []string{
			"policies[0]: must be a policy, a JSON object",
			"policies[1].id: is required",
			"policies[2].id: must be a string",
			`policies[3].why: is not a field of a policy; the fields are id, params`,
			`policies[3].id: "no_quotas" is a built-in policy; a host policy must take another ID`,
			`policies[4].id: unknown policy "surcharge"; the built-in ones are closed_won_on_structure, lead_response_sla, no_panic_discounts, no_quotas, payment_after_client_approval, refund_guarantee, single_edition, and host policies come from LoadOptions.Policies`,
		}},
		{"parameters", `{"policies":[
			{"id":"no_panic_discounts","params":{"month_days":28,"quarter_days":"ten","year_days":400,"fiscal_year_start":13,"days":3}},
			{"id":"lead_response_sla","params":{"minutes":0}},
			{"id":"refund_guarantee","params":{"time_zone":"Mars/Olympus"}},
			{"id":"single_edition","params":{"edition":5}},
			{"id":"payment_after_client_approval","params":{"strict":true}},
			{"id":"closed_won_on_structure","params":[]}]}`, []string{
			"policies[0].params.days: is not a field of the params of no_panic_discounts; the fields are month_days, quarter_days, year_days, fiscal_year_start, time_zone",
			"policies[0].params.quarter_days: must be a whole number, at most a billion in size",
			"policies[0].params.month_days: must be between 0 and 27 days; got 28",
			"policies[0].params.year_days: must be between 0 and 364 days; got 400",
			"policies[0].params.fiscal_year_start: must be a month, 1 to 12; got 13",
			`policies[2].params.time_zone: time zone "Mars/Olympus" cannot be resolved: unknown time zone Mars/Olympus`,
			"policies[3].params.edition: must be a string",
			"policies[4].params.strict: is not a field of the params of payment_after_client_approval, which has none",
			"policies[5].params: must be the params of closed_won_on_structure, a JSON object",
			"policies[1].params.minutes: must be between 1 and 10080 (a week); got 0",
		}},
		{"ranges", `{"policies":[{"id":"no_panic_discounts","params":{"month_days":28,"quarter_days":-1,"year_days":365,"time_zone":"Asia/Kolkata"}}]}`, []string{
			"policies[0].params.month_days: must be between 0 and 27 days; got 28",
			"policies[0].params.quarter_days: must be between 0 and 88 days; got -1",
			"policies[0].params.year_days: must be between 0 and 364 days; got 365",
		}},
		{"an empty zone name", `{"policies":[{"id":"refund_guarantee","params":{"time_zone":""}}]}`, []string{
			`policies[0].params.time_zone: must name a time zone, such as "UTC"`,
		}},
		{"duplicates", `{"policies":[{"id":"no_quotas"},{"id":"no_quotas"}]}`, []string{`policies[1].id: duplicates policy "no_quotas"`}},
		{"host policies", `{"policies":[{"id":"max_discount","params":{"percent":"x"}},{"id":"liar"},{"id":"nothing_at_all"}]}`, []string{
			"policies[0].params.percent: must be a whole number",
			`policies[1].id: the host's builder for "liar" built policy "max_discount"`,
			`policies[2]: the host's builder for "nothing_at_all" returned no policy`,
		}},
		{"a zone needs a resolver", `{"policies":[{"id":"refund_guarantee","params":{"time_zone":"Asia/Kolkata"}}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opts
			want := tc.want
			if tc.name == "duplicates" || tc.name == "odd keys" || tc.name == "repeated keys" {
				o.Policies = nil
			}
			if tc.name == "a zone needs a resolver" {
				o.Zone = nil
				want = []string{`policies[0].params.time_zone: time zone "Asia/Kolkata" needs LoadOptions.Zone to resolve it`}
			}
			set, err := policy.Load([]byte(tc.in), o)
			if set != nil {
				t.Errorf("Load returned a set with the error %v", err)
			}
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("Load: %v, want ErrInvalid", err)
			}
			if diff := cmp.Diff(want, fieldErrors(t, err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

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
	if _, err := policy.Default(nil, 13); err == nil {
		t.Error("Default accepted month 13")
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
	want := policy.Summary{Subjects: 33, Violating: 28, Violations: 48,
		ByPolicy: map[string]int{
			"closed_won_on_structure": 9, "lead_response_sla": 3, "no_panic_discounts": 12, "no_quotas": 3,
			"payment_after_client_approval": 9, "refund_guarantee": 6, "single_edition": 6,
		},
		ByOwner: map[string]int{"": 1, "fin-1": 2, "rep-1": 44, "rep-2": 1},
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
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
