package contract_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestReferenceRefusals: what RecordConsent and RecordReference refuse, and
// how.
func TestReferenceRefusals(t *testing.T) {
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	// reference is a call of RecordReference, with no note, at at.
	reference := func(kind contract.ReferenceKind, contact, referred string, by accord.Actor) func(c *contract.Contract) error {
		return func(c *contract.Contract) error { return c.RecordReference(kind, contact, referred, "", by, at) }
	}
	tests := []struct {
		name    string
		consent []contract.ReferenceKind
		call    func(c *contract.Contract) error
		is      error
		want    string
	}{
		{"case study without consent", nil, reference(contract.ReferenceCaseStudy, "Dana Ruiz", "", rep), accord.ErrBlocked, "ctr-1 cannot record a reference: 1 unmet: reference_consent: Record the customer's consent to a case study first: it uses their name. (consent)"},
		{"review with consent to calls only", []contract.ReferenceKind{contract.ReferenceCall}, reference(contract.ReferenceReview, "Dana Ruiz", "", rep), accord.ErrBlocked, "The customer consented to reference_call only: record their consent to a review first."},
		{"referral without a prospect", nil, reference(contract.ReferenceReferral, "Dana Ruiz", " ", rep), accord.ErrInvalid, "referred: is required for a referral"},
		{"call naming a prospect", []contract.ReferenceKind{contract.ReferenceCall}, reference(contract.ReferenceCall, "Dana Ruiz", "acc-9", rep), accord.ErrInvalid, "referred: must be empty for a reference_call"},
		{"unknown kind, no contact", nil, reference("tweet", "", "", rep), accord.ErrInvalid, `kind: must be one of [case_study reference_call referral review]; got "tweet"`},
		{"client records a reference", nil, reference(contract.ReferenceReferral, "Dana Ruiz", "acc-9", client), accord.ErrForbidden, "may not record references"},
		{"consent to nothing", nil, func(c *contract.Contract) error {
			return c.RecordConsent(nil, "Dana Ruiz", client, at)
		}, accord.ErrInvalid, "kinds: must list at least one of"},
		{"consent repeated, no contact", nil, func(c *contract.Contract) error {
			return c.RecordConsent([]contract.ReferenceKind{contract.ReferenceReview, contract.ReferenceReview}, " ", client, at)
		}, accord.ErrInvalid, "kinds[1]: repeats review"},
		{"withdraw without reason", []contract.ReferenceKind{contract.ReferenceReview}, func(c *contract.Contract) error {
			return c.WithdrawConsent("", client, at)
		}, accord.ErrInvalid, "reason: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContract()
			if tt.consent != nil {
				if err := c.RecordConsent(tt.consent, "Dana Ruiz", client, at.Add(-time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			before := jsontest.Copy(t, c)
			err := tt.call(&c)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v; want %v containing %q", err, tt.is, tt.want)
			}
			if diff := cmp.Diff(before, c); diff != "" {
				t.Errorf("a refused call changed the contract (-before +after):\n%s", diff)
			}
		})
	}
}

// TestReferencesRecorded: a consent, a call, a referral from an active
// customer and one from the same customer after a refund, recorded exactly.
func TestReferencesRecorded(t *testing.T) {
	c := newContract()
	day := func(d int) time.Time { return time.Date(2026, 6, d, 9, 0, 0, 0, time.UTC) }
	c.GoLiveAt = day(1)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Move(contract.StatusActive, "live", lead, day(1)))
	must(c.RecordConsent([]contract.ReferenceKind{contract.ReferenceCall, contract.ReferenceCaseStudy}, " Dana Ruiz ", client, day(2)))
	must(c.RecordReference(contract.ReferenceCall, "Dana Ruiz", "", "took Acme's call", rep, day(3)))
	must(c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-31", "", rep, day(4)))
	if _, err := c.RequestRefund("", client, day(5)); err != nil {
		t.Fatal(err)
	}
	must(c.RecordReference(contract.ReferenceReferral, "Dana Ruiz", "acc-32", "", rep, day(6)))
	must(c.WithdrawConsent("moving on", client, day(7)))
	must(c.WithdrawConsent("again", client, day(8))) // nothing to withdraw: nothing recorded

	want := []contract.Reference{
		{Kind: contract.ReferenceCall, Contact: "Dana Ruiz", Note: "took Acme's call", Status: contract.StatusActive, By: rep, At: day(3)},
		{Kind: contract.ReferenceReferral, Contact: "Dana Ruiz", Referred: "acc-31", Status: contract.StatusActive, By: rep, At: day(4)},
		{Kind: contract.ReferenceReferral, Contact: "Dana Ruiz", Referred: "acc-32", Status: contract.StatusRefunded, By: rep, At: day(6)},
	}
	if diff := cmp.Diff(want, c.References); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	if c.Consent != nil || !c.IsReference() || c.Referrals() != 2 {
		t.Errorf("consent %v, reference %v, referrals %d; want nil, true, 2", c.Consent, c.IsReference(), c.Referrals())
	}
	if got := []bool{want[0].Ambassador(), want[1].Ambassador(), want[2].Ambassador()}; !slices.Equal(got, []bool{false, false, true}) {
		t.Errorf("ambassadors %v", got)
	}
	if c.Refunded.StillRefers == nil || !*c.Refunded.StillRefers {
		t.Errorf("a refunded client's referral did not record that they still refer")
	}
	var kinds []string
	for _, e := range c.History[2:] {
		kinds = append(kinds, fmt.Sprintf("%s:%v:%s", e.Kind, e.On, e.Ref))
	}
	wantKinds := []string{"consent:true:", "reference:false:reference_call", "reference:false:referral",
		"refund:false:", "status:false:", "reference:false:referral", "referral:true:", "consent:false:"}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("events %v; want %v", kinds, wantKinds)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}
	if diff := cmp.Diff(c, jsontest.Copy(t, c)); diff != "" {
		t.Errorf("JSON round trip (-before +after):\n%s", diff)
	}
}

// TestReferenceProperties: any sequence of consents, withdrawals and
// references keeps the promises: every case study, call and review was
// covered by the consent in force when it was recorded, a refused call
// changes nothing, each recorded change is one event, ambassadors are
// exactly the referrals recorded while refunded, and the contract
// validates and survives JSON.
func TestReferenceProperties(t *testing.T) {
	kinds := rapid.SampledFrom(append(contract.ReferenceKinds(), "tweet"))
	rapid.Check(t, func(t *rapid.T) {
		c := newContract()
		at := created
		var consent []contract.ReferenceKind // in force, per the model
		var ambassadors []bool               // per reference recorded, per the model
		n := rapid.IntRange(1, 30).Draw(t, "steps")
		for i := range n {
			at = at.Add(time.Duration(rapid.IntRange(0, 72).Draw(t, "hours")) * time.Hour)
			before := jsontest.Copy(t, c)
			var err error
			var wantErr bool
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("op%d", i)) {
			case 0:
				ks := rapid.SliceOfNDistinct(rapid.SampledFrom(contract.ReferenceKinds()), 0, 4, rapid.ID).Draw(t, "kinds")
				err = c.RecordConsent(ks, "Dana", client, at)
				if wantErr = len(ks) == 0; !wantErr {
					consent = ks
				}
			case 1:
				err = c.WithdrawConsent("no longer", client, at)
				consent = nil
			case 2:
				k := kinds.Draw(t, "kind")
				referred := ""
				if k == contract.ReferenceReferral {
					referred = "acc-9"
				}
				err = c.RecordReference(k, "Dana", referred, "", rep, at)
				wantErr = k == "tweet" || k != contract.ReferenceReferral && !slices.Contains(consent, k)
				if !wantErr {
					ambassadors = append(ambassadors, k == contract.ReferenceReferral && c.Refunded != nil)
				}
			case 3:
				if c.Refunded == nil {
					_, err = c.RequestRefund("", client, at)
				}
			}
			if (err != nil) != wantErr {
				t.Fatalf("step %d: error %v; want error %v", i, err, wantErr)
			}
			if err != nil {
				if diff := cmp.Diff(before, c); diff != "" {
					t.Fatalf("step %d: a refused call changed the contract:\n%s", i, diff)
				}
			}
			if c.Version != len(c.History)-1 {
				t.Fatalf("version %d with %d events", c.Version, len(c.History))
			}
		}
		if len(c.References) != len(ambassadors) {
			t.Fatalf("%d references recorded; want %d", len(c.References), len(ambassadors))
		}
		for i, r := range c.References {
			if r.Ambassador() != ambassadors[i] {
				t.Fatalf("reference %d %+v: ambassador %v; want %v", i, r, r.Ambassador(), ambassadors[i])
			}
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("validate: %v", err)
		}
		if diff := cmp.Diff(c, jsontest.Copy(t, c)); diff != "" {
			t.Fatalf("JSON round trip:\n%s", diff)
		}
	})
}
