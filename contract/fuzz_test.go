package contract_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// FuzzContractJSON: no input makes decoding, or any question or method on
// the decoded contract, panic; and whatever decodes and encodes again
// decodes to an equal contract.
func FuzzContractJSON(f *testing.F) {
	c := newContract()
	c.GoLiveAt = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	_ = c.Move(contract.StatusActive, "live", lead, c.GoLiveAt)
	_ = c.RecordPayment("inv-1", usd("48000.00"), finance, c.GoLiveAt)
	_ = c.RecordChange(contract.ChangeRequest{ID: "cr-1", Category: "integration", Summary: "billing sync", Hours: decimal.RequireFromString("1.50")}, rep, c.GoLiveAt)
	seed, _ := json.Marshal(c)
	f.Add(seed)
	f.Add([]byte(`{"since":"2028-02-29","term":{"start":"2028-02-29","months":12,"end":"2029-02-27","renewal":"2029-02-28"}}`))
	f.Add([]byte(`{"scope":{"entitlements":[{"name":"s","quantity":"0e1000000000","per":"month"}]},"usage":[{"entitlement":"s","day":"0000-01-01","quantity":"1"}]}`))
	f.Add([]byte(`{"status":"refunded","refunded":{"still_refers":true},"term":{"end":"9999-12-31"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c contract.Contract
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		now := time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)
		if c.Validate() != nil {
			// Still no panics on what does not validate; but decimals
			// out of range may take forever to format, so stop here.
			_ = c.Moves(now)
			_ = contract.Due([]contract.Contract{c}, now)
			return
		}
		_ = c.Drift(now)
		_ = c.Moves(now)
		_ = c.Conditions(now)
		_ = contract.Due([]contract.Contract{c}, now)
		_ = c.RefundAmount(now)
		enc, err := json.Marshal(c)
		if err != nil {
			return // a date that is not a real day cannot be encoded
		}
		var again contract.Contract
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", enc, err)
		}
		// Equal values: decimal writes 1.50 as 1.5.
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("round trip differs:\n%s", diff)
		}
		x := jsontest.Copy(t, c)
		_ = x.Renew(12, x.Term.Value, rep, now)
		_, _ = c.RequestRefund("", client, now)
	})
}
