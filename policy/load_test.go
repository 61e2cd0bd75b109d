package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/strictjson"
	"github.com/accordhq/accord/policy"
	"github.com/google/go-cmp/cmp"
)

// fieldErrors flattens err into "field: rule" lines, failing on any error
// that is not a *accord.FieldError.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, fe := range errtest.FieldErrors(t, err) {
		out = append(out, fe.Field+": "+fe.Rule)
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

// maxDiscountBuilder is how a host naturally writes a builder for
// LoadOptions.Policies: unmarshal the params into the policy.
func maxDiscountBuilder(params json.RawMessage) (policy.Policy, error) {
	p := maxDiscount{Percent: 10}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, err
	}
	return p, nil
}

// TestHostParamsNull: a host policy's builder gets the JSON null when the
// definition gives no params or null ones, so a host policy written without
// params (as MarshalJSON writes one whose Params is nil) reads back.
func TestHostParamsNull(t *testing.T) {
	var got []string
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"max_discount": func(params json.RawMessage) (policy.Policy, error) {
			got = append(got, fmt.Sprintf("%q", []byte(params)))
			return maxDiscountBuilder(params)
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

// discountAt is a clean deal whose discount was offered at t.
func discountAt(t time.Time) *deal.Deal {
	d := cleanDeal()
	d.Quote.Discounts[0].OfferedAt = t
	return d
}

// reloadZone writes set, whose time zone data may not be able to name, and
// loads it back. ok is false when MarshalJSON refuses it with refusal (the
// fix: writing something else is not) or Load refuses what was written;
// any other refusal to write it fails the test.
func reloadZone(t *testing.T, set *policy.Set, refusal string) (back *policy.Set, data []byte, ok bool) {
	t.Helper()
	data, err := json.Marshal(set)
	if err != nil {
		if !strings.Contains(err.Error(), refusal) {
			t.Fatalf("Marshal: %v", err)
		}
		return nil, nil, false
	}
	back, err = policy.Load(data, policy.LoadOptions{Zone: time.LoadLocation})
	if err != nil {
		t.Logf("Load refused %s: %v", data, err)
		return nil, nil, false
	}
	return back, data, true
}

// TestUnnamedZoneRoundTrip: a set with a location whose name is ""
// (time.FixedZone("", offset)) is either refused by MarshalJSON with its
// path, refused by Load, or read back into a set that checks exactly as the
// original: never silently read back as UTC.
func TestUnnamedZoneRoundTrip(t *testing.T) {
	plus530 := time.FixedZone("", 5*3600+1800)
	set, err := policy.NewSet(policy.NoPanicDiscounts(policy.Blackout{QuarterDays: 1, Location: plus530}))
	if err != nil {
		t.Fatal(err)
	}
	back, data, ok := reloadZone(t, set, "policies[0].params.time_zone: a time zone without a name cannot be written as data")
	if !ok {
		return
	}
	// 31 March 20:00 UTC is 1 April 01:30 at +05:30: not the last day of a
	// quarter there.
	s := policy.Subject{Deal: discountAt(time.Date(2027, time.March, 31, 20, 0, 0, 0, time.UTC))}
	before, after := set.Check(s, fixNow), back.Check(s, fixNow)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("%s read back checks differently (-original +loaded):\n%s", data, diff)
	}
}

// TestFixedZoneNamedUTC: likewise for a fixed zone named "UTC" that is not
// at offset 0.
func TestFixedZoneNamedUTC(t *testing.T) {
	notUTC := time.FixedZone("UTC", 3*3600)
	set, err := policy.NewSet(policy.RefundGuarantee(notUTC))
	if err != nil {
		t.Fatal(err)
	}
	back, data, ok := reloadZone(t, set, `policies[0].params.time_zone: a time zone named "UTC" that is not UTC cannot be written as data`)
	if !ok {
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

// TestUnmarshalSilentlyEmpty: a host config struct holding a *policy.Set
// decodes back into the same policies, or fails; it never decodes into an
// empty set with no error (design principle 1: marshal then unmarshal gives
// back an equal value).
func TestUnmarshalSilentlyEmpty(t *testing.T) {
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

// hostNoQuotas is a host's own, stricter take on a built-in policy,
// under the built-in's ID.
type hostNoQuotas struct{}

func (hostNoQuotas) ID() string          { return policy.IDNoQuotas }
func (hostNoQuotas) Description() string { return "No targets at all." }
func (hostNoQuotas) Params() any         { return nil }
func (hostNoQuotas) Check(s policy.Subject, _ time.Time) []policy.Violation {
	if s.Plan == nil || len(s.Plan.Targets) == 0 {
		return nil
	}
	return []policy.Violation{s.Violation(policy.IDNoQuotas, "plan.targets", "no targets at all")}
}

// TestHostPolicyWithBuiltinID: NewSet and Load agree on a host policy under
// a built-in ID: when NewSet accepts it, Load reads it back with the host's
// builder, and without one reads back a set that checks the same.
func TestHostPolicyWithBuiltinID(t *testing.T) {
	set, err := policy.NewSet(hostNoQuotas{})
	if err != nil {
		return // refusing here is consistent with Load
	}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	withBuilder := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		policy.IDNoQuotas: func(json.RawMessage) (policy.Policy, error) { return hostNoQuotas{}, nil },
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

// TestDuplicateKeys: a repeated key is reported, never resolved to its last
// value: not a repeated "policies", nor a repeated parameter, nor a
// repeated ID.
func TestDuplicateKeys(t *testing.T) {
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

// TestWholeNumberWithFraction: 5.0, 1e1 and 15.00 are whole numbers (what
// Python's json or a float-typed host writes).
func TestWholeNumberWithFraction(t *testing.T) {
	for _, n := range []string{"5.0", "1e1", "15.00"} {
		def := `{"policies":[{"id":"lead_response_sla","params":{"minutes":` + n + `}}]}`
		if _, err := policy.Load([]byte(def), policy.LoadOptions{}); err != nil {
			t.Errorf("Load(%s): %v", def, err)
		}
	}
}

// TestRepeatedCorrect pins down what Repeated and the loaders report
// for repeated keys: decoded keys, one report per key, nested objects each
// their own, paths written as package deal writes them.
func TestRepeatedCorrect(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`{"a":1,"a":1,"a":1}`, []string{"a"}},
		{`{"b":{"a":1},"a":[{"a":1,"a":2}],"c":"\"a\":1"}`, nil},
		{`{"\u00e9":1,"é":2,"a\"b":1,"a\u0022b":2}`, []string{"é", `a"b`}},
		{`{"x":1,"y":2,"y":3,"x":4}`, []string{"y", "x"}},
	} {
		if diff := cmp.Diff(tc.want, strictjson.Repeated([]byte(tc.in))); diff != "" {
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
		if diff := cmp.Diff(tc.want, errorFields(t, err)); diff != "" {
			t.Errorf("Load(%s) fields (-want +got):\n%s\n%v", tc.def, diff, err)
		}
	}
}

// loadMinutes loads a lead_response_sla with minutes written as raw, and
// returns the minutes it got (from its params) or the error.
func loadMinutes(raw string) (int, error) {
	set, err := policy.Load([]byte(`{"policies":[{"id":"lead_response_sla","params":{"minutes":`+raw+`}}]}`), policy.LoadOptions{})
	if err != nil {
		return 0, err
	}
	b, _ := json.Marshal(set.Policies()[0].Params())
	var p struct{ Minutes int }
	_ = json.Unmarshal(b, &p)
	return p.Minutes, nil
}

// TestWholeNumbers pins down the whole numbers the loader reads.
func TestWholeNumbers(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int // 0: refused
	}{
		{"5", 5}, {"5.0", 5}, {"1e1", 10}, {"50e-1", 5}, {"10080", 10080}, {"1.008e4", 10080},
		{"5.5", 0}, {"1e400", 0}, {"-1e400", 0}, {"9007199254740993", 0}, {"1e10", 0},
		{"-0", 0}, {"-0.0", 0}, {"true", 0}, {"[5]", 0}, {`{"n":5}`, 0},
	} {
		got, err := loadMinutes(tc.raw)
		if tc.want == 0 {
			if err == nil {
				t.Errorf("minutes %s: loaded as %d, want an error", tc.raw, got)
			} else if diff := cmp.Diff([]string{"policies[0].params.minutes"}, errorFields(t, err)); diff != "" {
				t.Errorf("minutes %s: fields (-want +got):\n%s", tc.raw, diff)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("minutes %s: got %d, %v; want %d", tc.raw, got, err, tc.want)
		}
	}
}

// TestNumberAsString: a number written as a JSON string is a value of the
// wrong type, for the minutes and for the blackout's parameters.
func TestNumberAsString(t *testing.T) {
	for _, raw := range []string{`"5"`, `"15"`, `"1e1"`} {
		if got, err := loadMinutes(raw); err == nil {
			t.Errorf("minutes %s: loaded as %d, want policies[0].params.minutes: must be a whole number", raw, got)
		}
	}
	def := `{"policies":[{"id":"no_panic_discounts","params":{"month_days":"3","fiscal_year_start":"4"}}]}`
	if _, err := policy.Load([]byte(def), policy.LoadOptions{}); err == nil {
		t.Errorf("Load(%s): no error, want month_days and fiscal_year_start reported as not numbers", def)
	}
}

// TestNotWholeAccepted: a whole number is read exactly: 5.0000000000000001
// and 4.9999999999999999 are not whole, and 1e-400 is not 0.
func TestNotWholeAccepted(t *testing.T) {
	for _, raw := range []string{"5.0000000000000001", "4.9999999999999999"} {
		if got, err := loadMinutes(raw); err == nil {
			t.Errorf("minutes %s: loaded as %d, want an error (not a whole number)", raw, got)
		}
	}
	def := `{"policies":[{"id":"no_panic_discounts","params":{"month_days":1e-400}}]}`
	if set, err := policy.Load([]byte(def), policy.LoadOptions{}); err == nil {
		b, _ := set.MarshalJSON()
		t.Errorf("Load(%s) = %s, want policies[0].params.month_days: must be a whole number", def, b)
	}
}

// TestLoadErrorOrder: the same definition gives the same errors in the
// same order, call after call (unknown keys of the set, of an entry and of
// a built-in's params are reported in the order of the keys).
func TestLoadErrorOrder(t *testing.T) {
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

// discountCap is a host policy with a parameter, built as hosts write builders.
type discountCap struct {
	Percent int `json:"percent"`
}

func (discountCap) ID() string                                         { return "discount_cap" }
func (discountCap) Description() string                                { return "A cap on discounts." }
func (p discountCap) Params() any                                      { return p }
func (discountCap) Check(policy.Subject, time.Time) []policy.Violation { return nil }

// TestHostParamsRepeatedKeys: a repeated key in a host policy's params is
// reported, not handed to its builder to be read as its last value.
func TestHostParamsRepeatedKeys(t *testing.T) {
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"discount_cap": func(raw json.RawMessage) (policy.Policy, error) {
			var p discountCap
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

// TestLoadNulls pins down null handling: null params take the
// defaults for built-ins and reach a host builder as null; a null set,
// entry, list or id is refused at its path.
func TestLoadNulls(t *testing.T) {
	var gotRaw []string
	opts := policy.LoadOptions{Policies: map[string]func(json.RawMessage) (policy.Policy, error){
		"discount_cap": func(raw json.RawMessage) (policy.Policy, error) {
			gotRaw = append(gotRaw, string(raw))
			return discountCap{}, nil
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
		if diff := cmp.Diff(want, errorFields(t, err)); diff != "" {
			t.Errorf("Load(%s) (-want +got):\n%s", def, diff)
		}
	}
}

// TestMarshalZonePath: a zone Marshal cannot write fails at the
// index of the policy in the written (sorted) list, every one reported.
func TestMarshalZonePath(t *testing.T) {
	fake := time.FixedZone("UTC", 3600)
	set, err := policy.Default(policy.DefaultOptions{Location: fake, FiscalYearStart: time.April})
	if err != nil {
		t.Fatal(err)
	}
	_, err = set.MarshalJSON()
	// closed_won, lead_response, no_panic(2), no_quotas, payment, refund(5), single.
	if diff := cmp.Diff([]string{"policies[2].params.time_zone", "policies[5].params.time_zone"}, errorFields(t, err)); diff != "" {
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

// TestUnmarshalJSON: json.Unmarshal into a Set loads, refuses what
// needs LoadOptions, and leaves the set unchanged on error.
func TestUnmarshalJSON(t *testing.T) {
	var set policy.Set
	if err := json.Unmarshal([]byte(`{"policies":[{"id":"no_quotas"},{"id":"lead_response_sla","params":{"minutes":7}}]}`), &set); err != nil {
		t.Fatal(err)
	}
	if n := len(set.Policies()); n != 2 {
		t.Fatalf("got %d policies, want 2", n)
	}
	err := json.Unmarshal([]byte(`{"policies":[{"id":"refund_guarantee","params":{"time_zone":"Asia/Kolkata"}},{"id":"host_thing"}]}`), &set)
	if diff := cmp.Diff([]string{"policies[0].params.time_zone", "policies[1].id"}, errorFields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s\n%v", diff, err)
	}
	if n := len(set.Policies()); n != 2 {
		t.Errorf("after a failed Unmarshal the set has %d policies, want the 2 it had", n)
	}
}
