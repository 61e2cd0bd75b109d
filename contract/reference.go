package contract

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
)

// ReferenceKind is a way a customer vouches for the vendor. Its codes are
// stable.
type ReferenceKind string

// The reference kinds.
const (
	// ReferenceCaseStudy: the customer's story, published with their
	// consent.
	ReferenceCaseStudy ReferenceKind = "case_study"
	// ReferenceCall: the customer took a call from a prospect.
	ReferenceCall ReferenceKind = "reference_call"
	// ReferenceReferral: the customer sent the vendor a new prospect.
	ReferenceReferral ReferenceKind = "referral"
	// ReferenceReview: the customer posted a public review.
	ReferenceReview ReferenceKind = "review"
)

// phrase is k in a sentence: "case study", "reference call".
func (k ReferenceKind) phrase() string { return strings.ReplaceAll(string(k), "_", " ") }

// ReferenceKinds lists every reference kind in a fixed order.
func ReferenceKinds() []ReferenceKind { return referenceKinds.Codes() }

// Consent records that the customer agreed to act as a reference: for
// which kinds, who on the customer's side agreed, and who recorded it when.
type Consent struct {
	Kinds []ReferenceKind `json:"kinds"`
	// Contact is the person on the customer's side who gave the consent,
	// such as "Dana Ruiz, Head of Sales Ops".
	Contact string       `json:"contact"`
	By      accord.Actor `json:"by"`
	At      time.Time    `json:"at"`
}

// Covers reports whether the consent covers kind.
func (c *Consent) Covers(kind ReferenceKind) bool {
	return c != nil && slices.Contains(c.Kinds, kind)
}

// Reference records one time the customer vouched for the vendor.
type Reference struct {
	Kind ReferenceKind `json:"kind"`
	// Contact is the person on the customer's side who gave it.
	Contact string `json:"contact"`
	// Referred names the prospect a referral brought, such as an account
	// ID; empty for the other kinds.
	Referred string `json:"referred,omitempty"`
	Note     string `json:"note,omitempty"`
	// Status is the customer's status when the reference was given: a
	// referral given with status refunded comes from an ambassador of the
	// refund guarantee.
	Status Status       `json:"status"`
	By     accord.Actor `json:"by"`
	At     time.Time    `json:"at"`
}

// Ambassador reports whether r is a referral from a customer who had been
// refunded: the refund guarantee's ambassadors.
func (r Reference) Ambassador() bool {
	return r.Kind == ReferenceReferral && r.Status == StatusRefunded
}

// RecordConsent records that the customer agreed to act as a reference of
// the given kinds, as contact (the person on their side) said, replacing
// any consent recorded before. Anyone may record it, the client included.
// Consent is asked of any customer, whatever their status.
func (c *Contract) RecordConsent(kinds []ReferenceKind, contact string, by accord.Actor, at time.Time) error {
	var problems []error
	if len(kinds) == 0 {
		problems = append(problems, accord.Invalid("kinds", "must list at least one of %v", referenceKinds.Codes()))
	}
	for i, k := range kinds {
		switch {
		case !referenceKinds.Has(k):
			problems = append(problems, checkCode(fmt.Sprintf("kinds[%d]", i), k, referenceKinds))
		case slices.Contains(kinds[:i], k):
			problems = append(problems, accord.Invalid(fmt.Sprintf("kinds[%d]", i), "repeats %s", k))
		}
	}
	problems = append(problems, requireContact(contact))
	if err := c.precheck("record consent", by, at, anyone, "", problems...); err != nil {
		return err
	}
	c.Consent = &Consent{Kinds: slices.Clone(kinds), Contact: strings.TrimSpace(contact), By: by, At: at}
	c.record(Event{Kind: EventConsent, On: true, Reason: joinKinds(kinds), By: by, At: at})
	return nil
}

// WithdrawConsent records that the customer withdrew their consent to act
// as a reference, for reason. Withdrawing when no consent is recorded
// changes nothing. Anyone may record it, the client included.
func (c *Contract) WithdrawConsent(reason string, by accord.Actor, at time.Time) error {
	if err := c.precheck("withdraw consent", by, at, anyone, "", requireReason(reason)); err != nil {
		return err
	}
	if c.Consent == nil {
		return nil
	}
	c.Consent = nil
	c.record(Event{Kind: EventConsent, On: false, Reason: reason, By: by, At: at})
	return nil
}

// RecordReference records that the customer vouched for the vendor: kind,
// given by contact on their side, with referred naming the prospect of a
// referral (required for a referral, empty otherwise) and an optional
// note. It records the customer's status with it, so a referral from a
// refunded customer counts as an ambassador's (see [Reference.Ambassador]);
// such a referral also records that the refunded client still refers
// others ([Refund.StillRefers]).
//
// A case study, a reference call or a review uses the customer's name and
// needs their recorded consent to cover the kind: without it, a
// *[accord.BlockedError] with op [accord.OpReference] and the unmet
// criterion "reference_consent" ([accord.ErrBlocked]). A referral is the
// customer's own act and needs none. Anyone on the vendor's side records
// references.
func (c *Contract) RecordReference(kind ReferenceKind, contact, referred, note string, by accord.Actor, at time.Time) error {
	var problems []error
	problems = append(problems, checkCode("kind", kind, referenceKinds))
	problems = append(problems, requireContact(contact))
	switch {
	case kind == ReferenceReferral && strings.TrimSpace(referred) == "":
		problems = append(problems, accord.Invalid("referred", "is required for a referral: name the prospect referred"))
	case kind != ReferenceReferral && referred != "":
		problems = append(problems, accord.Invalid("referred", "must be empty for a %s", kind))
	}
	if err := c.precheck("record reference", by, at, manager, "may not record references", problems...); err != nil {
		return err
	}
	if kind != ReferenceReferral && !c.Consent.Covers(kind) {
		msg := fmt.Sprintf("Record the customer's consent to a %s first: it uses their name.", kind.phrase())
		if c.Consent != nil {
			msg = fmt.Sprintf("The customer consented to %s only: record their consent to a %s first.", joinKinds(c.Consent.Kinds), kind.phrase())
		}
		return &accord.BlockedError{Op: accord.OpReference, Subject: c.ID, Unmet: []accord.Unmet{{
			Criterion: "reference_consent", Field: "consent", Message: msg,
		}}}
	}
	r := Reference{Kind: kind, Contact: strings.TrimSpace(contact), Referred: strings.TrimSpace(referred), Note: note, Status: c.Status, By: by, At: at}
	c.References = append(c.References, r)
	c.record(Event{Kind: EventReference, Ref: string(kind), Reason: r.Referred, By: by, At: at})
	if r.Ambassador() && c.Refunded != nil && (c.Refunded.StillRefers == nil || !*c.Refunded.StillRefers) {
		refers := true
		c.Refunded.StillRefers = &refers
		c.record(Event{Kind: EventReferral, On: true, By: by, At: at})
	}
	return nil
}

// IsReference reports whether the customer has vouched for the vendor at
// least once, in any way.
func (c *Contract) IsReference() bool { return c != nil && len(c.References) > 0 }

// Referrals counts the referrals the customer gave.
func (c *Contract) Referrals() int {
	if c == nil {
		return 0
	}
	n := 0
	for _, r := range c.References {
		if r.Kind == ReferenceReferral {
			n++
		}
	}
	return n
}

// checkReferences reports malformed consent and references.
func (c *Contract) checkReferences() []error {
	var errs []error
	if c.Consent != nil {
		if len(c.Consent.Kinds) == 0 {
			errs = append(errs, accord.Invalid("consent.kinds", "must list at least one kind"))
		}
		for i, k := range c.Consent.Kinds {
			if err := checkCode(fmt.Sprintf("consent.kinds[%d]", i), k, referenceKinds); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for i, r := range c.References {
		if err := checkCode(fmt.Sprintf("references[%d].kind", i), r.Kind, referenceKinds); err != nil {
			errs = append(errs, err)
		}
		if err := checkCode(fmt.Sprintf("references[%d].status", i), r.Status, statuses); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// anyone allows every role.
func anyone(accord.Role) bool { return true }

func requireContact(contact string) error {
	if strings.TrimSpace(contact) == "" {
		return accord.Invalid("contact", "is required: name the person on the customer's side")
	}
	return nil
}

func joinKinds(kinds []ReferenceKind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}
