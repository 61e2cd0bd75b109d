package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/scope"
)

// ScopeQuery is what the Scope of Work page is asked beside the scope: the
// capacity to judge feasibility against (nil: the one the scope was last
// judged against) and the two revisions to compare (0: the one before the
// current, and the current).
type ScopeQuery struct {
	Capacity *scope.Capacity
	From, To int
}

// ScopeActions says which buttons of the scope page the caller's role may
// press on the scope as it stands. The library still decides every press:
// these only keep buttons off the page that would certainly be refused.
type ScopeActions struct {
	// Edit and Submit are sales': the scope's content and its submission.
	Edit, Submit bool
	// Review is the implementation lead's: request changes or approve.
	Review bool
	// ApproveClient is the client's, after the lead.
	ApproveClient bool
	// Decide records decisions on discrepancies with the proposal.
	Decide bool
}

// scopeAuthors are the roles the scope page offers to edit and submit a
// scope: it is sales' account of what was sold. (The library lets an
// implementation lead edit too; the page keeps the lead to review.)
var scopeAuthors = map[accord.Role]bool{
	accord.RoleSalesRep: true, accord.RoleSalesManager: true, accord.RoleAdmin: true,
}

// deciders are the roles that may decide a discrepancy (scope.SOW.Resolve).
var deciders = map[accord.Role]bool{
	accord.RoleSalesManager: true, accord.RoleImplementationLead: true, accord.RoleAdmin: true,
}

// PaymentState is what a payment for the deal would meet now: allowed, or
// refused with every unmet criterion.
type PaymentState struct {
	Allowed bool
	Unmet   []accord.Unmet
}

// ScopePage is everything the Scope of Work review page shows.
type ScopePage struct {
	Doc Doc[scope.SOW]
	// Account names the deal's account.
	Account string
	Plan    Plan
	// Roles are the team roles that own steps, to ask capacity for.
	Roles []string
	// Capacity is what Feasibility judged; Asked tells it was the
	// query's, not the one stored with the lead's approval.
	Capacity scope.Capacity
	Asked    bool
	// Judged tells whether there is a capacity to judge against, asked or
	// stored: without one every day of the plan is overloaded, which says
	// nothing.
	Judged bool
	// Feasibility is nil when the sequence cannot be scheduled;
	// Unschedulable then says why.
	Feasibility   *FeasibilityAnswer
	Unschedulable []FieldError
	Revisions     []Revision
	// Diff compares revision From with revision To.
	Diff Diff
	// Proposal tells whether the deal has a proposal; Discrepancies are the
	// scope's reconciliation with it.
	Proposal      bool
	Discrepancies []scope.Discrepancy
	// Unresolved counts the discrepancies no decision settles.
	Unresolved int
	// History is the review's history, newest first.
	History []scope.Event
	// Payment is nil for a client, who takes no payments.
	Payment *PaymentState
	Can     ScopeActions
}

// ScopePage reads a scope and what the library says of it: its plan by
// day, its feasibility, the difference between two revisions, its
// reconciliation with the deal's proposal and whether a payment may be
// taken.
func (a *App) ScopePage(ctx context.Context, p Principal, id string, q ScopeQuery) (ScopePage, error) {
	doc, err := a.GetScope(ctx, p, id)
	if err != nil {
		return ScopePage{}, err
	}
	s := &doc.Value
	pg := ScopePage{Doc: doc}
	d, err := a.GetDeal(ctx, p, s.DealID)
	if err != nil {
		return ScopePage{}, err
	}
	pg.Account = d.Value.Account
	if pg.Account == "" {
		pg.Account = d.Value.AccountID
	}
	for _, st := range s.Steps {
		if st.Owner != "" && !slices.Contains(pg.Roles, st.Owner) {
			pg.Roles = append(pg.Roles, st.Owner)
		}
	}
	slices.Sort(pg.Roles)

	var body []byte
	if q.Capacity != nil {
		pg.Asked = true
		if body, err = json.Marshal(FeasibilityInput{Capacity: q.Capacity}); err != nil {
			return ScopePage{}, classify(err)
		}
	}
	f, err := a.Feasibility(ctx, p, id, body)
	var e *Error
	switch {
	case err == nil:
		pg.Feasibility = &f
	case errors.As(err, &e) && e.Kind == KindConflict:
		pg.Unschedulable = e.Fields
	default:
		return ScopePage{}, err
	}
	if q.Capacity != nil {
		pg.Capacity = *q.Capacity
	} else if c, err := a.storedCapacity(ctx, id); err != nil {
		return ScopePage{}, err
	} else {
		pg.Capacity = c
	}
	pg.Judged = len(pg.Capacity.PerRole) > 0 || len(pg.Capacity.People) > 0
	if pg.Judged {
		pg.Plan = a.plan(s, pg.Feasibility)
	} else {
		pg.Plan = a.plan(s, nil)
	}

	if pg.Revisions, err = a.Revisions(ctx, p, id); err != nil {
		return ScopePage{}, err
	}
	pg.Diff = diffRevisions(pg.Revisions, q.From, q.To)

	ds, err := a.Discrepancies(ctx, p, id)
	switch {
	case err == nil:
		pg.Proposal, pg.Discrepancies, pg.Unresolved = true, ds, len(scope.Unresolved(ds))
	case errors.As(err, &e) && e.Kind == KindNotFound:
	default:
		return ScopePage{}, err
	}

	if !p.client() {
		pay, err := json.Marshal(PaymentInput{ID: "scope-page-" + id, Amount: s.Price})
		if err != nil {
			return ScopePage{}, classify(err)
		}
		_, err = a.CheckPayment(ctx, p, s.DealID, pay)
		switch {
		case err == nil:
			pg.Payment = &PaymentState{Allowed: true}
		case errors.As(err, &e) && e.Kind == KindBlocked:
			pg.Payment = &PaymentState{Unmet: e.Unmet}
		default:
			return ScopePage{}, err
		}
	}

	pg.History = slices.Clone(s.Review.History)
	slices.Reverse(pg.History)

	role, status := accord.Role(p.Role), s.Review.Status
	review := status == scope.StatusSubmitted || status == scope.StatusResubmitted
	pg.Can = ScopeActions{
		Edit:          scopeAuthors[role],
		Submit:        scopeAuthors[role] && (status == scope.StatusDraft || status == scope.StatusChangesRequested),
		Review:        role == accord.RoleImplementationLead && review,
		ApproveClient: role == accord.RoleClient && status == scope.StatusLeadApproved,
		Decide:        deciders[role] && pg.Proposal,
	}
	return pg, nil
}

// storedCapacity is the capacity a scope was last judged against, or none.
func (a *App) storedCapacity(ctx context.Context, id string) (scope.Capacity, error) {
	var c scope.Capacity
	err := a.store.View(ctx, func(tx store.Tx) error {
		rec, err := tx.Scopes().Get(ctx, id)
		if err != nil || rec.Capacity == nil {
			return err
		}
		return json.Unmarshal(rec.Capacity, &c)
	})
	return c, classify(err)
}

// ScopeContent is the content of a scope as indented JSON, without its
// review: what a person edits as a whole.
func ScopeContent(s *Scope) (string, error) {
	b, err := contentOf(s)
	if err != nil {
		return "", err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	out, err := json.MarshalIndent(v, "", "  ")
	return string(out), err
}

// Step is a step of a scope's plan, named here so that the pages need not
// import the library.
type Step = scope.Step

// Capacity is the library's team capacity, named here so that the pages
// need not import the library.
type Capacity = scope.Capacity

// CapacityOf reads a capacity from hours per day by role, as a form gives
// them: a blank entry gives the role no hours; one that is not a number
// is a field error named capacity.per_role[role].
func CapacityOf(perRole map[string]string) (Capacity, []FieldError) {
	var c Capacity
	var fields []FieldError
	roles := make([]string, 0, len(perRole))
	for r := range perRole {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	for _, r := range roles {
		v := strings.TrimSpace(perRole[r])
		if v == "" {
			continue
		}
		var one Capacity
		b, _ := json.Marshal(map[string]map[string]string{"per_role": {r: v}})
		if err := json.Unmarshal(b, &one); err != nil {
			fields = append(fields, FieldError{Field: fmt.Sprintf("capacity.per_role[%q]", r), Rule: "must be a number of hours per day, such as 8"})
			continue
		}
		if c.PerRole == nil {
			c.PerRole = one.PerRole
		} else {
			c.PerRole[r] = one.PerRole[r]
		}
	}
	return c, fields
}

// HoursOf formats the capacity of a role, or "" for none.
func HoursOf(c Capacity, role string) string {
	h, ok := c.PerRole[role]
	if !ok {
		return ""
	}
	return h.String()
}
