package deal

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
)

// Quote is what a deal offers the buyer: the lines quoted and the discounts
// conceded on them. The zero Quote means nothing has been quoted yet.
type Quote struct {
	ID        string      `json:"id"`
	Lines     []QuoteLine `json:"lines"`
	Discounts []Discount  `json:"discounts"`
}

// QuoteLine is one priced line of a quote.
type QuoteLine struct {
	// Product names what is sold, as the host's catalog does.
	Product string `json:"product"`
	// Edition is the edition, tier or plan the line is for, as the
	// catalog names it. A product sold in one edition quotes the same
	// edition on every line.
	Edition string `json:"edition"`
	// AddOn marks a feature sold on top of an edition.
	AddOn bool         `json:"add_on"`
	Price accord.Money `json:"price"`
}

// Discount is a price reduction offered to the buyer, and what it buys.
type Discount struct {
	ID     string       `json:"id"`
	Amount accord.Money `json:"amount"`
	// OfferedAt is when the discount was offered. When it falls in the
	// last days of a month, quarter or fiscal year it is a period-end
	// discount, which package policy refuses.
	OfferedAt time.Time `json:"offered_at"`
	// By is the actor ID of who offered it.
	By string `json:"by"`
	// Concession is what the buyer gives in return. A discount that buys
	// nothing is a discount policy refuses.
	Concession Concession `json:"concession"`
	Note       string     `json:"note"`
}

// Concession is what a buyer gives in return for a discount, from a
// controlled vocabulary.
type Concession string

// The concessions a discount may buy.
const (
	// ConcessionMultiYear: the buyer commits to a term of two years or more.
	ConcessionMultiYear Concession = "multi_year_term"
	// ConcessionReference: the buyer agrees to be a reference customer.
	ConcessionReference Concession = "reference"
	// ConcessionFasterSignature: the buyer signs sooner than planned.
	ConcessionFasterSignature Concession = "faster_signature"
	// ConcessionExpandedScope: the buyer buys more scope than proposed.
	ConcessionExpandedScope Concession = "expanded_scope"
)

// Concessions lists every concession, in a fixed order.
func Concessions() []Concession {
	return []Concession{ConcessionMultiYear, ConcessionReference, ConcessionFasterSignature, ConcessionExpandedScope}
}

// Valid reports whether c is one of the concessions listed by Concessions.
func (c Concession) Valid() bool {
	switch c {
	case ConcessionMultiYear, ConcessionReference, ConcessionFasterSignature, ConcessionExpandedScope:
		return true
	}
	return false
}

// Lead records where a deal came from. The zero Lead means the deal was not
// opened from a lead the team must answer, such as an outbound one.
type Lead struct {
	// Inbound marks a lead that came to the team: a demo request, a form,
	// a call. Inbound leads are owed a fast first touch.
	Inbound bool `json:"inbound"`
	// ReceivedAt is when the lead arrived.
	ReceivedAt time.Time `json:"received_at"`
	// FirstTouchAt is when someone first answered it; zero while no one
	// has.
	FirstTouchAt time.Time `json:"first_touch_at"`
}

// validate checks the amounts and the vocabulary of q, with paths under
// prefix. It does not judge the commercial terms: that is package policy's
// work.
func (q Quote) validate(prefix string) error {
	// Paths are built only for a problem: every move validates the deal.
	var errs []error
	for i, l := range q.Lines {
		p := func() string { return fmt.Sprintf("%s.lines[%d]", prefix, i) }
		if !text(l.Product) {
			errs = append(errs, accord.Invalid(p()+".product", "is required"))
		}
		if l.Price.Validate("") != nil {
			errs = append(errs, l.Price.Validate(p()+".price"))
		}
	}
	for i, d := range q.Discounts {
		if d.Validate("") != nil {
			errs = append(errs, d.Validate(fmt.Sprintf("%s.discounts[%d]", prefix, i)))
		}
	}
	return errors.Join(errs...)
}

// Validate checks a discount: a valid amount, the time it was offered, and
// a concession, when named, from the vocabulary. Errors name their field
// under prefix, such as "quote.discounts[0].concession". An empty concession
// is valid data; it is package policy that refuses a discount buying
// nothing.
func (d Discount) Validate(prefix string) error {
	if d.Amount.Validate("") == nil && !d.OfferedAt.IsZero() && (d.Concession == "" || d.Concession.Valid()) {
		return nil // valid, without building a path
	}
	var errs []error
	if prefix != "" {
		prefix += "."
	}
	errs = append(errs, d.Amount.Validate(prefix+"amount"))
	if d.OfferedAt.IsZero() {
		errs = append(errs, accord.Invalid(prefix+"offered_at", "is required"))
	}
	if d.Concession != "" && !d.Concession.Valid() {
		errs = append(errs, accord.Invalid(prefix+"concession", "must be multi_year_term, reference, faster_signature or expanded_scope; got %q", d.Concession))
	}
	return errors.Join(errs...)
}
