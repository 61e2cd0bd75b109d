package strictjson_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/policy"
	"github.com/google/go-cmp/cmp"
)

// A process and a policy set small enough to vary one value at a time.
const (
	process = `{"closed_won":"b","stages":[{"id":"a","name":"A","healthy_days":%s},{"id":"b","name":"B"}]}`
	set     = `{"policies":[{"id":"lead_response_sla","params":{"minutes":%s}}]}`
)

func fill(def, v string) []byte { return []byte(strings.Replace(def, "%s", v, 1)) }

func loadProcess(t *testing.T, data []byte) (*deal.Process, []string) {
	p, err := deal.Load(data, deal.LoadOptions{})
	return p, errtest.Lines(t, err)
}

func loadSet(t *testing.T, data []byte) (*policy.Set, []string) {
	s, err := policy.Load(data, policy.LoadOptions{})
	return s, errtest.Lines(t, err)
}

// TestLoadersDecodeAlike applies each decoding rule of the package
// documentation to deal.Load and policy.Load, with the same input where
// the definitions allow it, and expects the same answer from both.
func TestLoadersDecodeAlike(t *testing.T) {
	for _, tc := range []struct {
		rule string
		// deal and policy are the inputs; dealWant and policyWant the
		// problems, nil when the input loads.
		deal, policy         []byte
		dealWant, policyWant []string
	}{
		{
			rule: "a document that is not JSON is one problem at the root",
			deal: []byte(`{"stages":`), policy: []byte(`{"policies":`),
			dealWant:   []string{"definition: is not valid JSON: unexpected end of JSON input (at byte 10)"},
			policyWant: []string{"set: is not valid JSON: unexpected end of JSON input (at byte 12)"},
		},
		{
			rule: "a document that is null is not an object",
			deal: []byte(`null`), policy: []byte(`null`),
			dealWant:   []string{"definition: must be a process definition, a JSON object"},
			policyWant: []string{"set: must be a policy set, a JSON object"},
		},
		{
			rule: "a document that is a list is not an object",
			deal: []byte(`[]`), policy: []byte(`[]`),
			dealWant:   []string{"definition: must be a process definition, a JSON object"},
			policyWant: []string{"set: must be a policy set, a JSON object"},
		},
		{
			rule: "a repeated key is a problem at its path, reported once",
			deal: fill(process, `1,"healthy_days":2,"healthy_days":3`), policy: fill(set, `1,"minutes":2,"minutes":3`),
			dealWant:   []string{"stages[0].healthy_days: is given more than once; give each key once"},
			policyWant: []string{"policies[0].params.minutes: is given more than once; give each key once"},
		},
		{
			rule: "keys compare as decoded",
			deal: fill(process, `1,"healthy_\u0064ays":2`), policy: fill(set, `1,"\u006dinutes":2`),
			dealWant:   []string{"stages[0].healthy_days: is given more than once; give each key once"},
			policyWant: []string{"policies[0].params.minutes: is given more than once; give each key once"},
		},
		{
			rule: "an unknown key is a problem at its path, even when null",
			deal: fill(process, `1,"b c":null,"colour":2`), policy: fill(set, `1,"b c":null,"colour":2`),
			dealWant: []string{
				`stages[0]["b c"]: is not a field of a stage; the fields are id, name, purpose, buyer_commitments, core, entry, exit, healthy_days, probability, multi_threaded, needs_business_case, follow_up_days`,
				"stages[0].colour: is not a field of a stage; the fields are id, name, purpose, buyer_commitments, core, entry, exit, healthy_days, probability, multi_threaded, needs_business_case, follow_up_days",
			},
			policyWant: []string{
				`policies[0].params["b c"]: is not a field of the params of lead_response_sla; the fields are minutes`,
				"policies[0].params.colour: is not a field of the params of lead_response_sla; the fields are minutes",
			},
		},
		{
			rule: "a whole number may be written with a fraction or an exponent",
			deal: fill(process, `5.0`), policy: fill(set, `5.0`),
		},
		{
			rule: "a whole number may be written 50e-1",
			deal: fill(process, `50e-1`), policy: fill(set, `50e-1`),
		},
		{
			rule: "a number with a fraction is not whole",
			deal: fill(process, `5.5`), policy: fill(set, `5.5`),
			dealWant:   []string{"stages[0].healthy_days: must be a whole number, at most a billion in size"},
			policyWant: []string{"policies[0].params.minutes: must be a whole number, at most a billion in size"},
		},
		{
			rule: "a whole number is read exactly",
			deal: fill(process, `5.0000000000000001`), policy: fill(set, `5.0000000000000001`),
			dealWant:   []string{"stages[0].healthy_days: must be a whole number, at most a billion in size"},
			policyWant: []string{"policies[0].params.minutes: must be a whole number, at most a billion in size"},
		},
		{
			rule: "a number written as a string is not a number",
			deal: fill(process, `"5"`), policy: fill(set, `"5"`),
			dealWant:   []string{"stages[0].healthy_days: must be a whole number, at most a billion in size"},
			policyWant: []string{"policies[0].params.minutes: must be a whole number, at most a billion in size"},
		},
		{
			rule: "a whole number is at most a billion in size",
			deal: fill(process, `1e10`), policy: fill(set, `-1e400`),
			dealWant:   []string{"stages[0].healthy_days: must be a whole number, at most a billion in size"},
			policyWant: []string{"policies[0].params.minutes: must be a whole number, at most a billion in size"},
		},
		{
			rule: "a key whose value is null is absent",
			deal: fill(process, `null`), policy: fill(set, `null`),
		},
		{
			rule: "a required key whose value is null is missing, as in {}",
			deal: []byte(`{"stages":null}`), policy: []byte(`{"policies":null}`),
			dealWant:   []string{"stages: must list at least one open stage"},
			policyWant: []string{"policies: is required"},
		},
		{
			rule: "null in a list is a value of the wrong type",
			deal: []byte(`{"closed_won":"b","stages":[null,{"id":"b","name":"B"}]}`), policy: []byte(`{"policies":[null]}`),
			dealWant:   []string{"stages[0]: must be a stage, a JSON object"},
			policyWant: []string{"policies[0]: must be a policy, a JSON object"},
		},
		{
			rule: "a string is a JSON string",
			deal: []byte(`{"closed_won":"b","stages":[{"id":1,"name":"A"},{"id":"b","name":"B"}]}`), policy: []byte(`{"policies":[{"id":1}]}`),
			dealWant:   []string{"stages[0].id: must be a string"},
			policyWant: []string{"policies[0].id: must be a string"},
		},
		{
			rule: "a list is a JSON array",
			deal: []byte(`{"stages":{}}`), policy: []byte(`{"policies":{}}`),
			dealWant:   []string{"stages: must be an array"},
			policyWant: []string{"policies: must be an array"},
		},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			p, got := loadProcess(t, tc.deal)
			if diff := cmp.Diff(tc.dealWant, got); diff != "" {
				t.Errorf("deal.Load(deal.LoadOptions{Rules: %s}) (-want +got):\n%s", tc.deal, diff)
			}
			if (p == nil) != (tc.dealWant != nil) {
				t.Errorf("deal.Load(deal.LoadOptions{Rules: %s}) returned process %v with problems %v", tc.deal, p != nil, got)
			}
			s, got := loadSet(t, tc.policy)
			if diff := cmp.Diff(tc.policyWant, got); diff != "" {
				t.Errorf("policy.Load(%s) (-want +got):\n%s", tc.policy, diff)
			}
			if (s == nil) != (tc.policyWant != nil) {
				t.Errorf("policy.Load(%s) returned set %v with problems %v", tc.policy, s != nil, got)
			}
		})
	}
}

// TestLoadersReadAlike checks what both loaders read from the inputs they
// accept: a whole number however written, and a null key as its default.
func TestLoadersReadAlike(t *testing.T) {
	for _, tc := range []struct {
		value string
		days  int // the stage's healthy days
		mins  int // the lead response minutes
	}{
		{"7", 7, 7},
		{"7.0", 7, 7},
		{"0.7e1", 7, 7},
		{"70e-1", 7, 7},
		{"null", 0, policy.DefaultResponseMinutes}, // absent: the zero value, the default
	} {
		p, probs := loadProcess(t, fill(process, tc.value))
		if probs != nil {
			t.Fatalf("deal.Load with %s: %v", tc.value, probs)
		}
		if got := p.Stages()[0].HealthyDays; got != tc.days {
			t.Errorf("deal.Load with healthy_days %s: %d, want %d", tc.value, got, tc.days)
		}
		s, probs := loadSet(t, fill(set, tc.value))
		if probs != nil {
			t.Fatalf("policy.Load with %s: %v", tc.value, probs)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(map[string]any{"policies": []any{map[string]any{"id": "lead_response_sla", "params": map[string]int{"minutes": tc.mins}}}})
		if string(b) != string(want) {
			t.Errorf("policy.Load with minutes %s marshals to %s, want %s", tc.value, b, want)
		}
	}
}
