package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/policy"
)

// fuzzKolkata stands for Asia/Kolkata without reading the zone database.
var fuzzKolkata = time.FixedZone("Asia/Kolkata", 5*3600+1800)

// fuzzOptions resolve "UTC" and "Asia/Kolkata" only, and build the host
// policy genTermFloor.
var fuzzOptions = policy.LoadOptions{
	Zone: func(name string) (*time.Location, error) {
		switch name {
		case "UTC":
			return time.UTC, nil
		case "Asia/Kolkata":
			return fuzzKolkata, nil
		}
		return nil, fmt.Errorf("unknown time zone %q", name)
	},
	Policies: map[string]func(json.RawMessage) (policy.Policy, error){genTermFloorID: genTermFloorBuilder},
}

// FuzzLoad: Load never panics; every problem it reports is a
// *accord.FieldError with a path; and a set it loads writes JSON that
// loads back into a set writing the same bytes.
func FuzzLoad(f *testing.F) {
	for _, zone := range []*time.Location{time.UTC, fuzzKolkata} {
		set, err := policy.Default(policy.DefaultOptions{Location: zone, FiscalYearStart: time.April})
		if err != nil {
			f.Fatal(err)
		}
		data, err := json.Marshal(set)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		`{}`,
		`[]`,
		`null`,
		`""`,
		`{"policies":[]}`,
		`{"policies":null}`,
		`{"policies":{}}`,
		`[{"id":"no_quotas"}]`,
		`{"policies":[],"extra":1}`,
		`{"policies":[{"id":"no_quotas","params":{"x":1}}]}`,
		`{"policies":[{"id":"no_quotas","extra":true,"params":null}]}`,
		`{"policies":[{"id":5}]}`,
		`{"policies":[{"params":{}}]}`,
		`{"policies":[{"id":"lead_response_sla","params":{"minutes":"5"}}]}`,
		`{"policies":[{"id":"lead_response_sla","params":{"minutes":0}}]}`,
		`{"policies":[{"id":"single_edition","params":{"edition":"complete"}}]}`,
		`{"policies":[{"id":"single_edition","params":[]}]}`,
		`{"policies":[{"id":"gen_term_floor","params":{"min_months":24}}]}`,
		`{"policies":[{"id":"gen_term_floor","params":{"min_months":500}}]}`,
		`{"policies":[{"id":"gen_term_floor","params":{"bogus":1}}]}`,
		`{"policies":[{"id":"gen_term_floor"},{"id":"gen_term_floor"}]}`,
		`{"policies":[{"id":"no_quotas"},{"id":"no_quotas"},{"id":"Not_An_ID"}]}`,
		`{"policies":[{"id":"no_panic_discounts","params":{"month_days":1e400,"quarter_days":-1,"year_days":99999999999999999999999,"fiscal_year_start":13}}]}`,
		`{"policies":[{"id":"no_panic_discounts","params":{"month_days":5.5,"fiscal_year_start":0,"time_zone":"Asia/Kolkata"}}]}`,
		`{"policies":[{"id":"no_panic_discounts","params":{"month_days":null,"time_zone":null}}]}`,
		`{"policies":[{"id":"refund_guarantee","params":{"time_zone":"Mars/Olympus_Mons"}}]}`,
		`{"policies":[{"id":"refund_guarantee","params":{"time_zone":7}}]}`,
		`{"policies":[[[[{}]]],{"id":{"id":"no_quotas"}},{"id":"closed_won_on_structure","params":{"a":{"b":[1,{"c":null}]}}}]}`,
		`{"policies":[{"id":"payment_after_client_approval"}]}{"trailing":true}`,
		`{"policies":[{"id":"no_quotas"}],"policies":[]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := policy.Load(data, fuzzOptions)
		if err != nil {
			if set != nil {
				t.Fatalf("Load returned a set and the error %v", err)
			}
			for _, e := range errtest.Leaves(err) {
				var fe *accord.FieldError
				if !errors.As(e, &fe) {
					t.Fatalf("Load(%q): %T %q is not a *accord.FieldError", data, e, e)
				}
				if fe.Field == "" {
					t.Fatalf("Load(%q): %q has no field", data, e)
				}
				if !errors.Is(e, accord.ErrInvalid) {
					t.Fatalf("Load(%q): %q does not wrap ErrInvalid", data, e)
				}
			}
			return
		}
		if set == nil {
			t.Fatalf("Load(%q) returned neither a set nor an error", data)
		}
		first, err := json.Marshal(set)
		if err != nil {
			t.Fatalf("Marshal of Load(%q): %v", data, err)
		}
		again, err := policy.Load(first, fuzzOptions)
		if err != nil {
			t.Fatalf("Load(%q) succeeded, but its JSON %s does not load: %v", data, first, err)
		}
		second, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("Marshal of the reloaded set: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("Load(%q): the set marshals as\n%s\nbut reloaded as\n%s", data, first, second)
		}
	})
}
