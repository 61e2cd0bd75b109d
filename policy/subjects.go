package policy

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// PaymentRequest is a request to take a payment from a client.
type PaymentRequest struct {
	ID     string `json:"id"`
	DealID string `json:"deal_id"`
	// Amount is what would be taken.
	Amount      accord.Money `json:"amount"`
	RequestedAt time.Time    `json:"requested_at"`
	// By is the actor ID of who asks.
	By string `json:"by"`
}

// RefundRequest is a client's request for a refund, and when it was granted.
type RefundRequest struct {
	ID          string       `json:"id"`
	ContractID  string       `json:"contract_id"`
	Amount      accord.Money `json:"amount"`
	RequestedAt time.Time    `json:"requested_at"`
	// GrantedAt is when the refund was granted; zero while it is not.
	GrantedAt time.Time `json:"granted_at"`
}

// ProposedTerms are contract terms as proposed or redlined, before they become a
// contract: the clauses a policy must see before anyone signs them.
// Package contract keeps no such clauses (its refund terms have no field
// for a waiting period or a penalty), so a promise to refund is never
// watered down after signature; these are the terms a buyer's paper or a
// rep's draft proposes.
type ProposedTerms struct {
	ID string `json:"id"`
	// RefundWaitingDays is a period a refund must wait before it is paid.
	RefundWaitingDays int `json:"refund_waiting_days"`
	// RefundPenalty is a fixed amount kept back from a refund.
	RefundPenalty accord.Money `json:"refund_penalty"`
	// RefundPenaltyPercent is a share of a refund kept back, in percent.
	RefundPenaltyPercent decimal.Decimal `json:"refund_penalty_percent"`
}

// Plan is a compensation or targets plan.
type Plan struct {
	ID string `json:"id"`
	// Owner is the actor ID of who wrote the plan.
	Owner   string   `json:"owner"`
	Targets []Target `json:"targets"`
}

// Target is one sales target of a plan.
type Target struct {
	// Assignee names who carries the target: a person, or a team when Team
	// is set.
	Assignee string        `json:"assignee"`
	Team     bool          `json:"team"`
	Period   accord.Period `json:"period"`
	// Amount is the revenue or bookings to reach; Deals a number of deals
	// to close. A target for a person, whatever it counts, is a quota,
	// which [NoQuotas] refuses.
	Amount accord.Money `json:"amount"`
	Deals  int          `json:"deals"`
}

// Catalog is the product catalog: what is for sale and how it is packaged.
type Catalog struct {
	ID string `json:"id"`
	// Features lists every feature of the product.
	Features []string `json:"features"`
	// Editions lists the editions (tiers, plans) on sale.
	Editions []Edition `json:"editions"`
	// AddOns lists features sold apart from an edition.
	AddOns []AddOn `json:"add_ons"`
}

// Edition is one packaging of the product.
type Edition struct {
	Name     string   `json:"name"`
	Features []string `json:"features"`
}

// AddOn is a feature sold apart from an edition; one with a price is a paid
// add-on.
type AddOn struct {
	Name  string       `json:"name"`
	Price accord.Money `json:"price"`
}
