package policy_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/policy"
)

// TestRefundDayAgreesWithContract: the reviewer's repro. A refund asked
// for at 18:30 EST after an event at 19:30 EST the same day is granted by
// contract.RequestRefund at 19:30 EST (00:30 UTC the next day); the policy
// refund_guarantee, whatever its zone, reads the same day and finds no
// violation. Granted a day later, it is a violation in every zone.
func TestRefundDayAgreesWithContract(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	asked := time.Date(2027, time.May, 12, 18, 30, 0, 0, est)
	last := time.Date(2027, time.May, 12, 19, 30, 0, 0, est)
	if !contract.SameRefundDay(asked, last) {
		t.Fatalf("18:30 and 19:30 EST are the same refund day")
	}
	if got, want := contract.RefundDay(asked, last), accord.MakeDate(2027, time.May, 12); got != want {
		t.Fatalf("RefundDay %s; want %s", got, want)
	}
	for _, loc := range []*time.Location{nil, time.UTC, est, ist} {
		set := mustSet(policy.RefundGuarantee(loc))
		s := policy.Subject{Refund: &policy.RefundRequest{ID: "ref-1", ContractID: "c-1", Amount: usd("100"), RequestedAt: asked, GrantedAt: last.UTC()}}
		if vs := set.Check(s, last.Add(time.Hour)); vs != nil {
			t.Errorf("zone %v: granted 19:30 EST the day asked: %v", loc, vs)
		}
		s.Refund.GrantedAt = last.Add(24 * time.Hour)
		vs := set.Check(s, last.Add(25*time.Hour))
		const want = "the refund asked for on 2027-05-12 was granted on 2027-05-13; grant it the day it is asked for"
		if len(vs) != 1 || vs[0].Field != "refund.granted_at" || vs[0].Message != want {
			t.Errorf("zone %v: granted the next day: %v; want one violation %q", loc, vs, want)
		}
	}
}
