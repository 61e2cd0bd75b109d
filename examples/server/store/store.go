// Package store defines how the reference service keeps its documents:
// deals, Scopes of Work with every revision, contracts, their events, the
// outbox of actions to carry out, and API tokens.
//
// A document is stored as the library's JSON (Doc) beside the columns that
// lists and filters need, and carries a storage revision (Rev) that changes
// on every write. The revision is what ETags and optimistic concurrency are
// built on; it is not the deal's Version, which counts moves only.
//
// The package knows nothing of the library's types: the use cases in package
// app encode and decode the documents. Every backend satisfies [Store] and is
// checked by the conformance suite in package storetest.
package store

import (
	"context"
	"errors"
	"time"
)

// The errors every backend returns, so that callers test them with errors.Is.
var (
	// ErrNotFound means no document has the key asked for.
	ErrNotFound = errors.New("store: not found")
	// ErrExists means a document with the same key is already stored.
	ErrExists = errors.New("store: already exists")
	// ErrStale means the document was written since the revision the
	// caller read: the optimistic write was refused and changed nothing.
	ErrStale = errors.New("store: stale revision")
)

// Store is a database holding the service's documents.
type Store interface {
	// InTx runs fn in one write transaction: everything fn writes is
	// committed together when it returns nil, and nothing is when it
	// returns an error (which InTx returns as it is). fn must not keep tx.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn with read access. Reads may come from a reader pool
	// and need not see one snapshot across calls.
	View(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the database.
	Close() error
}

// Tx is the access to every kind of document within InTx or View.
type Tx interface {
	Deals() Deals
	Scopes() Scopes
	Contracts() Contracts
	Events() Events
	Outbox() Outbox
	Tokens() Tokens
	Proposals() Proposals
	Sessions() Sessions
	Policies() Policies
}

// Deal is a stored deal.
type Deal struct {
	ID        string
	AccountID string
	Owner     string
	Segment   string
	Stage     string
	// Rev is the storage revision: 1 once created, one more on every write.
	Rev       int64
	UpdatedAt time.Time
	Doc       []byte
}

// DealFilter selects deals for a list. Empty fields match every deal.
// The list is ordered by ID and starts after After; Limit bounds it.
type DealFilter struct {
	AccountID string
	Owner     string
	Segment   string
	Stage     string
	After     string
	Limit     int
}

// Deals stores deals.
type Deals interface {
	// Create stores a new deal at revision 1 and returns that revision.
	// A deal with the same ID fails with ErrExists.
	Create(ctx context.Context, d Deal) (int64, error)
	// Get returns the deal with id, or ErrNotFound.
	Get(ctx context.Context, id string) (Deal, error)
	// Update replaces the deal whose revision is d.Rev and returns the new
	// revision. A deal written since fails with ErrStale, a missing one with
	// ErrNotFound. was is the deal as read at that revision: the columns
	// lists filter on are written only where d changes them, since an
	// index is rewritten whenever its column is (a zero was writes them
	// all).
	Update(ctx context.Context, d, was Deal) (int64, error)
	// List returns the deals that match f, ordered by ID.
	List(ctx context.Context, f DealFilter) ([]Deal, error)
}

// Scope is a stored Scope of Work, as it stands now.
type Scope struct {
	ID        string
	DealID    string
	AccountID string
	Status    string
	// Revision is the scope's own revision (the library's), which counts
	// recorded edits of its content; Rev is the storage revision.
	Revision  int
	Rev       int64
	UpdatedAt time.Time
	Doc       []byte
	// Capacity is the team's capacity (the library's JSON) that the
	// implementation lead last judged the scope against, from which its
	// feasibility is reckoned when it is reconciled; nil until then.
	Capacity []byte
}

// ScopeRevision is the content of one recorded revision of a scope, kept
// so that what was approved can always be read again.
type ScopeRevision struct {
	ScopeID  string
	Revision int
	Digest   string
	At       time.Time
	By       string
	Doc      []byte
}

// Scopes stores Scopes of Work and every revision of their content.
type Scopes interface {
	Create(ctx context.Context, s Scope) (int64, error)
	Get(ctx context.Context, id string) (Scope, error)
	Update(ctx context.Context, s Scope) (int64, error)
	// ByDeal returns the scopes of a deal, ordered by ID.
	ByDeal(ctx context.Context, dealID string) ([]Scope, error)
	// AddRevision records a revision; recording the same revision of a
	// scope twice fails with ErrExists.
	AddRevision(ctx context.Context, r ScopeRevision) error
	// Revision returns one recorded revision, or ErrNotFound.
	Revision(ctx context.Context, scopeID string, revision int) (ScopeRevision, error)
	// Revisions lists the recorded revisions of a scope, oldest first.
	Revisions(ctx context.Context, scopeID string) ([]ScopeRevision, error)
}

// Proposal is the stored commercial proposal of a deal: one per deal.
type Proposal struct {
	DealID    string
	ID        string
	Rev       int64
	UpdatedAt time.Time
	Doc       []byte
}

// Proposals stores the proposals of deals, keyed by deal.
type Proposals interface {
	// Create stores a deal's first proposal at revision 1; a deal that
	// has one fails with ErrExists, a missing deal with an error.
	Create(ctx context.Context, p Proposal) (int64, error)
	// Get returns the proposal of a deal, or ErrNotFound.
	Get(ctx context.Context, dealID string) (Proposal, error)
	// Update replaces the proposal whose revision is p.Rev and returns the
	// new revision: ErrStale when written since, ErrNotFound when missing.
	Update(ctx context.Context, p Proposal) (int64, error)
}

// Contract is a stored contract.
type Contract struct {
	ID        string
	DealID    string
	AccountID string
	Owner     string
	Status    string
	// Renewal is the current term's renewal date, "2006-01-02", so that
	// the contracts coming up for renewal can be found by a range.
	Renewal   string
	Rev       int64
	UpdatedAt time.Time
	Doc       []byte
}

// ContractFilter selects contracts; empty fields match every contract.
// RenewalBefore, when set, keeps contracts whose renewal date is before it
// ("2006-01-02"). The list is ordered by ID and starts after After.
type ContractFilter struct {
	AccountID     string
	Status        string
	RenewalBefore string
	After         string
	Limit         int
}

// Contracts stores contracts.
type Contracts interface {
	Create(ctx context.Context, c Contract) (int64, error)
	Get(ctx context.Context, id string) (Contract, error)
	Update(ctx context.Context, c Contract) (int64, error)
	// ByDeal returns the contract made from a deal, or ErrNotFound.
	ByDeal(ctx context.Context, dealID string) (Contract, error)
	List(ctx context.Context, f ContractFilter) ([]Contract, error)
}

// The subjects of events.
const (
	SubjectDeal     = "deal"
	SubjectScope    = "scope"
	SubjectContract = "contract"
)

// Event is one event of a document's history, as the library recorded it.
// Seq is its position in the document's history, from 0; a subject has one
// event per position, so two writers that both append to the same revision
// cannot both succeed.
type Event struct {
	Subject   string
	SubjectID string
	Seq       int
	Kind      string
	At        time.Time
	ActorID   string
	Doc       []byte
}

// Events stores the events of every document, in their own table.
type Events interface {
	// Append records events; an event at a position already taken fails
	// with ErrExists, and the caller's transaction must then be abandoned.
	Append(ctx context.Context, es []Event) error
	// List returns the events of one subject in order.
	List(ctx context.Context, subject, subjectID string) ([]Event, error)
}

// Message is an action waiting in the outbox to be carried out, such as a
// follow-up task or a renewal alert, keyed by the library's idempotency key.
type Message struct {
	Key         string
	Kind        string
	Subject     string
	SubjectID   string
	CreatedAt   time.Time
	Payload     []byte
	Attempts    int
	NextAt      time.Time
	DeliveredAt time.Time
	// GaveUpAt is when the dispatcher stopped trying, after its last
	// failure (LastError); zero while the message is still to be delivered.
	GaveUpAt  time.Time
	LastError string
}

// Outbox stores the actions that changes raised, to be delivered once each.
type Outbox interface {
	// Enqueue adds the messages whose keys are new and returns how many
	// it added; a key already enqueued is left as it is.
	Enqueue(ctx context.Context, ms []Message) (int, error)
	// Pending returns undelivered messages due at now (NextAt not after
	// it), oldest first, at most limit.
	Pending(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// Claim takes up to limit of the messages Pending would return, oldest
	// first, and holds them until until by making that their NextAt, so
	// that no other dispatcher takes them meanwhile. A claim that is not
	// settled by Delivered, Failed or GiveUp lapses at until, and the
	// message is delivered again: delivery is at least once. Two
	// concurrent claims never return the same message.
	Claim(ctx context.Context, now, until time.Time, limit int) ([]Message, error)
	// Delivered marks a message delivered at at.
	Delivered(ctx context.Context, key string, at time.Time) error
	// Failed records a failed attempt and when to try again.
	Failed(ctx context.Context, key string, reason string, next time.Time) error
	// GiveUp records a last failed attempt at at: the message is kept, with
	// its reason, but no longer pending.
	GiveUp(ctx context.Context, key string, reason string, at time.Time) error
	// Get returns one message, or ErrNotFound.
	Get(ctx context.Context, key string) (Message, error)
}

// Token is an API token as stored: never the token itself, only its hash
// and a short prefix to show people which token is which.
type Token struct {
	ID        string
	Prefix    string
	Hash      []byte
	ActorID   string
	ActorName string
	Role      string
	// AccountID binds a client's token to the account it acts for.
	AccountID string
	CreatedAt time.Time
}

// Tokens stores API tokens.
type Tokens interface {
	Create(ctx context.Context, t Token) error
	// ByHash returns the token with hash, or ErrNotFound.
	ByHash(ctx context.Context, hash []byte) (Token, error)
	List(ctx context.Context) ([]Token, error)
}
