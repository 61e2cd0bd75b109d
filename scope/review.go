package scope

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/engine"
)

// The events of the review machine.
const (
	evSubmit         = "submit"
	evResubmit       = "resubmit"
	evRequestChanges = "request_changes"
	evApproveLead    = "approve_lead"
	evApproveClient  = "approve_client"
	evRevise         = "revise"
)

// check adapts a function to an engine check.
type check func(s *SOW) bool

func (c check) Met(s *SOW, _ time.Time) bool { return c(s) }

func criterion(id, field, message string, c check) engine.Criterion[*SOW] {
	return engine.Criterion[*SOW]{ID: id, Field: field, Message: message, Check: c}
}

// ready are the criteria a scope meets before it goes to the lead.
func ready() []engine.Criterion[*SOW] {
	return []engine.Criterion[*SOW]{
		criterion("requirements", "requirements", "List the requirements gathered in discovery.", func(s *SOW) bool { return len(s.Requirements) > 0 }),
		criterion("deliverables", "deliverables", "List the deliverables.", func(s *SOW) bool { return len(s.Deliverables) > 0 }),
		criterion("sequence", "steps", "Write the day-by-day implementation sequence.", func(s *SOW) bool { return len(s.Steps) > 0 }),
		criterion("start", "start", "Set the implementation start date.", func(s *SOW) bool { return !s.Start.IsZero() }),
		criterion("price", "price", "Set the price.", func(s *SOW) bool { return s.Price.IsSet() }),
	}
}

// review is the compiled review machine. It is built once and never
// changed, so it is safe to share.
var review = func() *engine.Machine[*SOW] {
	changed := criterion("changes_made", "content", "Change the scope as the implementation lead asked: its content is the same as when changes were requested.",
		func(s *SOW) bool { return s.Digest() != s.Review.requestedOn() })
	leadFirst := criterion("lead_approval", "review.lead", "The implementation lead must approve this revision before the client can.",
		func(s *SOW) bool { return s.leadApproved() })
	states := []engine.State[*SOW]{
		{ID: string(StatusDraft), Exit: ready()},
		{ID: string(StatusSubmitted)},
		{ID: string(StatusChangesRequested), Exit: append(ready(), changed)},
		{ID: string(StatusResubmitted)},
		{ID: string(StatusLeadApproved)},
		{ID: string(StatusClientApproved), Entry: []engine.Criterion[*SOW]{leadFirst}},
	}
	inReview := []string{string(StatusSubmitted), string(StatusResubmitted)}
	moves := []engine.Move{
		{Event: evSubmit, Op: accord.OpSubmit, From: []string{string(StatusDraft)}, To: string(StatusSubmitted), GateExit: true},
		{Event: evResubmit, Op: accord.OpSubmit, From: []string{string(StatusChangesRequested)}, To: string(StatusResubmitted), GateExit: true},
		{Event: evRequestChanges, From: inReview, To: string(StatusChangesRequested)},
		{Event: evApproveLead, Op: accord.OpApprove, From: inReview, To: string(StatusLeadApproved)},
		{Event: evApproveClient, Op: accord.OpApprove, From: []string{string(StatusLeadApproved)}, To: string(StatusClientApproved), GateEntry: true},
		{Event: evRevise, From: []string{string(StatusSubmitted), string(StatusResubmitted), string(StatusLeadApproved), string(StatusClientApproved)},
			To: string(StatusChangesRequested)},
	}
	m, err := engine.New(states, moves)
	if err != nil {
		// Unreachable: the definition above is fixed and tested.
		panic("scope: the review machine is invalid: " + err.Error())
	}
	return m
}()

// editor reports whether role may open, edit and submit a scope. Sales
// writes it; an implementation lead may edit it too, but then cannot approve
// that revision.
func editor(r accord.Role) bool {
	switch r {
	case accord.RoleSalesRep, accord.RoleSalesManager, accord.RoleImplementationLead, accord.RoleAdmin:
		return true
	}
	return false
}

// Open starts the review of a new scope: it records the current content as
// revision 1, authored by author, in status draft. Only sales roles, an
// implementation lead or an admin may open a scope.
func (s *SOW) Open(by accord.Actor, at time.Time) error {
	if s == nil {
		return accord.Invalid("sow", "is nil")
	}
	if s.Review.Status != "" {
		return fmt.Errorf("%w: scope %q: already opened, in status %s", accord.ErrConflict, s.ID, s.Review.Status)
	}
	if err := s.precheck("open", by, at, editor, "may not write a scope"); err != nil {
		return err
	}
	digest, err := s.record("open")
	if err != nil {
		return err
	}
	r := &s.Review
	r.Status, r.Author, r.Revision, r.Digest, r.RevisedBy = StatusDraft, by.ID, 1, digest, by.ID
	r.History = append(r.History, Event{Kind: EventOpened, To: StatusDraft, Revision: 1, Digest: digest, By: by, At: at})
	return nil
}

// Revise records the current content as a new revision when it differs
// from the recorded one, and does nothing when it does not. A new revision
// voids both approvals. In draft or changes requested the status stays; after
// submission the scope goes back to changes requested, with sales, until it
// is resubmitted.
//
// An edit back to earlier content is still a new revision: its digest is the
// earlier one, but earlier approvals never apply again.
func (s *SOW) Revise(by accord.Actor, at time.Time) error {
	if err := s.opened("revise"); err != nil {
		return err
	}
	if err := s.precheck("revise", by, at, editor, "may not edit a scope"); err != nil {
		return err
	}
	digest, err := s.record("revise")
	if err != nil || digest == s.Review.Digest {
		return err
	}
	to := s.Review.Status
	if t, ok := review.Find(string(to), evRevise); ok {
		to = Status(t.To)
	}
	s.revise(digest, to, by, at)
	return nil
}

func (s *SOW) revise(digest string, to Status, by accord.Actor, at time.Time) {
	r := &s.Review
	r.History = append(r.History, Event{Kind: EventRevised, From: r.Status, To: to, Revision: r.Revision + 1, Digest: digest, By: by, At: at})
	r.Status, r.Revision, r.Digest, r.RevisedBy = to, r.Revision+1, digest, by.ID
	r.Lead, r.Client = nil, nil
}

// Submit sends the scope to the implementation lead: from draft it becomes
// submitted, from changes requested resubmitted. Unrecorded edits are
// recorded as a new revision first. Submission needs requirements,
// deliverables, a sequence, a start date and a price, after a request for
// changes it needs the content to have changed (unmet "changes_made", field
// "content": the scope's content as a whole), and the content must pass
// [SOW.Validate] under cal, the implementation's calendar. A refusal lists
// every unmet criterion in a [*accord.BlockedError] (op submit), each
// problem Validate finds as one unmet "valid" naming its field, and changes
// nothing. A malformed cal is bad input ([accord.ErrInvalid]).
func (s *SOW) Submit(cal accord.Calendar, by accord.Actor, at time.Time) error {
	if err := s.opened("submit"); err != nil {
		return err
	}
	if err := s.precheck("submit", by, at, editor, "may not submit a scope", calendarErrors(cal)...); err != nil {
		return err
	}
	event := evSubmit
	if s.Review.Status == StatusChangesRequested {
		event = evResubmit
	}
	t, ok := review.Find(string(s.Review.Status), event)
	if !ok {
		return fmt.Errorf("%w: scope %q: cannot submit in status %s", accord.ErrConflict, s.ID, s.Review.Status)
	}
	digest, err := s.record("submit")
	if err != nil {
		return err
	}
	unmet := t.Unmet(s, at)
	unmet = appendInvalid(unmet, s.Validate(cal), t.From, accord.SideExit)
	if len(unmet) > 0 {
		return fmt.Errorf("scope %q: submit: %w", s.ID, &accord.BlockedError{Op: t.Op, Subject: s.ID, From: t.From, To: t.To, Unmet: unmet})
	}
	st := step{kind: EventSubmitted, by: by, at: at, digest: digest}
	if err := engine.Apply(s, s.ID, t, at, func() { journal{}.Append(s, t, st) }); err != nil {
		return fmt.Errorf("scope %q: submit: %w", s.ID, err)
	}
	return nil
}

// appendInvalid appends to unmet one criterion "valid" of state and side
// for each problem of err (from [SOW.Validate]) whose field no criterion in
// unmet already names: a missing start is reported once.
func appendInvalid(unmet []accord.Unmet, err error, state string, side accord.Side) []accord.Unmet {
	listed := len(unmet)
	for _, fe := range accord.FieldErrors(err) {
		if slices.ContainsFunc(unmet[:listed], func(u accord.Unmet) bool { return u.Field == fe.Field }) {
			continue
		}
		unmet = append(unmet, accord.Unmet{Criterion: "valid", State: state, Side: side, Message: fe.Rule, Field: fe.Field})
	}
	return unmet
}

// RequestChanges sends a submitted scope back to sales with the lead's
// comments, at least one, each tied to a step, a deliverable, or neither
// (the scope as a whole). Only an implementation lead may request changes.
// The comments are stored with the revision they concern.
func (s *SOW) RequestChanges(comments []Comment, by accord.Actor, at time.Time) error {
	if err := s.opened("request changes"); err != nil {
		return err
	}
	if err := s.precheck("request changes", by, at, lead, "may not request changes: only an implementation lead reviews a scope"); err != nil {
		return err
	}
	if err := s.checkComments(comments); err != nil {
		return err
	}
	if err := s.current("request changes", s.Review.Revision); err != nil {
		return err
	}
	t, ok := review.Find(string(s.Review.Status), evRequestChanges)
	if !ok {
		return fmt.Errorf("%w: scope %q: cannot request changes in status %s", accord.ErrConflict, s.ID, s.Review.Status)
	}
	st := step{kind: EventChangesRequested, by: by, at: at, comments: comments}
	return engine.Apply(s, s.ID, t, at, func() { journal{}.Append(s, t, st) })
}

func (s *SOW) checkComments(comments []Comment) error {
	if len(comments) == 0 {
		return fmt.Errorf("scope %q: request changes: %w", s.ID, accord.Invalid("comments", "at least one is required"))
	}
	var errs []error
	for i, c := range comments {
		p := fmt.Sprintf("comments[%d]", i)
		if blank(c.Text) {
			errs = append(errs, accord.Invalid(p+".text", "is required"))
		}
		if c.Step != "" && !s.hasStep(c.Step) {
			errs = append(errs, accord.Invalid(p+".step", "names unknown step %q", c.Step))
		}
		if c.Deliverable != "" && !s.hasDeliverable(c.Deliverable) {
			errs = append(errs, accord.Invalid(p+".deliverable", "names unknown deliverable %q", c.Deliverable))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("scope %q: request changes: %w", s.ID, err)
	}
	return nil
}

func (s *SOW) hasStep(id string) bool {
	for i := range s.Steps {
		if s.Steps[i].ID == id {
			return true
		}
	}
	return false
}

func (s *SOW) hasDeliverable(id string) bool {
	for i := range s.Deliverables {
		if s.Deliverables[i].ID == id {
			return true
		}
	}
	return false
}

// LeadReview is what the implementation lead approves: a revision, judged
// against the implementation's calendar and the team's capacity that the
// lead supplies. See [SOW.ApproveAsLead].
type LeadReview struct {
	// Revision is the revision approved: it must be the current one, so
	// the lead approves what they reviewed.
	Revision int
	// Calendar is the implementation's working days: the revision must
	// pass [SOW.Validate] under it.
	Calendar accord.Calendar
	// Capacity is the team's capacity: the revision's sequence must be
	// feasible against it ([SOW.Feasibility], [Feasibility.Feasible]),
	// unless Override says why the lead approves it anyway. An empty
	// Capacity is a team with no hours: nothing is feasible against it.
	Capacity Capacity
	// Override is the lead's reason for approving a revision that is not
	// feasible against Capacity. It is recorded on the approval and in its
	// review event. It must be blank when the revision is feasible: an
	// override records a risk the lead accepted, never a formality.
	Override string
}

// ApproveAsLead records the implementation lead's approval of the revision
// a names, which must be the current one: the lead approves what they
// reviewed, and a later edit voids the approval.
//
// Separation of duties: by must be an implementation lead who did not
// write the scope, recorded no revision in the current review cycle (since
// the scope was opened or last sent back with [SOW.RequestChanges]), is
// not one of its [SOW.Signatories], and never approved it for the client;
// otherwise the refusal wraps [accord.ErrForbidden] and says which duty
// conflicts.
//
// Only a valid, feasible revision is approved: a revision that fails
// [SOW.Validate] under a.Calendar, or whose sequence is not feasible
// against a.Capacity without a.Override, is refused with a
// [*accord.BlockedError] (op approve) listing one unmet "valid" per
// problem, naming its field, and an unmet "feasible" (field "override")
// saying what does not fit. A malformed calendar or capacity, or an
// override of a feasible revision, is bad input ([accord.ErrInvalid]).
func (s *SOW) ApproveAsLead(a LeadReview, by accord.Actor, at time.Time) error {
	if err := s.opened("approve"); err != nil {
		return err
	}
	problems := append(calendarErrors(a.Calendar), a.Capacity.validate()...)
	if err := s.precheck("approve", by, at, lead, "may not approve a scope as implementation lead", problems...); err != nil {
		return err
	}
	if why := s.leadDuty(by); why != "" {
		return fmt.Errorf("%w: scope %q: %s and cannot approve it as implementation lead", accord.ErrForbidden, s.ID, why)
	}
	return s.approve(evApproveLead, by, a.Revision, at, &a)
}

// ApproveAsClient records the client's approval of revision, which must be
// the current one and already approved by the implementation lead. Once it
// is recorded, [SOW.Approved] holds until the next edit.
//
// Separation of duties: by must be a client who is none of the scope's
// author, anyone who recorded a revision of it, and anyone who approved it
// as implementation lead, and, when the scope names [SOW.Signatories], one
// of them; otherwise the refusal wraps [accord.ErrForbidden] and says which
// duty conflicts. The client approves the content the lead validated: the
// approval is bound to the same revision and digest.
//
// Before the lead's approval the refusal is a [*accord.BlockedError] (op
// approve, wrapping [accord.ErrBlocked] only) listing the unmet criterion
// "lead_approval"; approving an approved revision again is a conflict
// ([accord.ErrConflict]).
func (s *SOW) ApproveAsClient(revision int, by accord.Actor, at time.Time) error {
	if err := s.opened("approve"); err != nil {
		return err
	}
	if err := s.precheck("approve", by, at, func(r accord.Role) bool { return r == accord.RoleClient }, "may not approve a scope for the client"); err != nil {
		return err
	}
	if why := s.clientDuty(by); why != "" {
		return fmt.Errorf("%w: scope %q: %s and cannot approve it for the client", accord.ErrForbidden, s.ID, why)
	}
	return s.approve(evApproveClient, by, revision, at, nil)
}

// approve records the approval event by by of revision at at; lr is the
// lead's review for a lead approval, nil for the client's.
func (s *SOW) approve(event string, by accord.Actor, revision int, at time.Time, lr *LeadReview) error {
	if err := s.current("approve", revision); err != nil {
		return err
	}
	t, ok := review.Find(string(s.Review.Status), event)
	if !ok {
		if event == evApproveClient && s.Review.Status != StatusClientApproved {
			// The client came before the lead: a refusal (ErrBlocked)
			// naming the unmet criterion, as a client approval in
			// lead_approved gives, not a conflict.
			if gate, ok := review.Find(string(StatusLeadApproved), evApproveClient); ok {
				if unmet := gate.Unmet(s, at); len(unmet) > 0 {
					return fmt.Errorf("scope %q: %s: %w", s.ID, verb(event), &accord.BlockedError{Op: gate.Op, Subject: s.ID, From: string(s.Review.Status), To: gate.To, Unmet: unmet})
				}
			}
		}
		return fmt.Errorf("%w: scope %q: cannot %s in status %s", accord.ErrConflict, s.ID, verb(event), s.Review.Status)
	}
	st := step{kind: EventLeadApproved, by: by, at: at}
	if event == evApproveClient {
		st.kind = EventClientApproved
	}
	if lr != nil {
		unmet, override, err := s.judge(*lr, t.To)
		if err != nil {
			return fmt.Errorf("scope %q: %s: %w", s.ID, verb(event), err)
		}
		if len(unmet) > 0 {
			return fmt.Errorf("scope %q: %s: %w", s.ID, verb(event), &accord.BlockedError{Op: t.Op, Subject: s.ID, From: t.From, To: t.To, Unmet: unmet})
		}
		st.reason = override
	}
	if err := engine.Apply(s, s.ID, t, at, func() { journal{}.Append(s, t, st) }); err != nil {
		return fmt.Errorf("scope %q: %s: %w", s.ID, verb(event), err)
	}
	return nil
}

// judge returns what keeps the lead from approving the current revision
// under lr, as entry criteria of status to: one "valid" per problem
// [SOW.Validate] finds, and "feasible" when the sequence does not fit the
// capacity and lr gives no override. It returns the override to record,
// and an error when lr overrides a feasible revision.
func (s *SOW) judge(lr LeadReview, to string) (unmet []accord.Unmet, override string, err error) {
	unmet = appendInvalid(nil, s.Validate(lr.Calendar), to, accord.SideEntry)
	if len(unmet) > 0 {
		return unmet, "", nil
	}
	f, err := s.Feasibility(lr.Calendar, lr.Capacity)
	if err != nil {
		// Unreachable: a valid scope can be scheduled, and the capacity
		// was checked with the arguments.
		return nil, "", err
	}
	switch {
	case f.Feasible() && !blank(lr.Override):
		return nil, "", accord.Invalid("override", "must be blank: revision %d is feasible against the capacity given", s.Review.Revision)
	case f.Feasible():
		return nil, "", nil
	case blank(lr.Override):
		return []accord.Unmet{{Criterion: "feasible", State: to, Side: accord.SideEntry, Field: "override", Message: infeasible(f)}}, "", nil
	}
	return nil, lr.Override, nil
}

// infeasible says why f is not feasible and what the lead can do.
func infeasible(f Feasibility) string {
	var b strings.Builder
	b.WriteString("The sequence does not fit the team's capacity")
	if len(f.Unstaffed) > 0 {
		fmt.Fprintf(&b, ": no capacity for %s", strings.Join(quoteAll(f.Unstaffed), ", "))
	}
	if n := len(f.Overloads); n > 0 {
		o := f.Overloads[0]
		fmt.Fprintf(&b, "; %d overloaded day(s), the first %s for %q (%s of %s hours)", n, o.Date.Format(time.DateOnly), o.Role, quantity(o.Planned), quantity(o.Capacity))
	}
	if f.Slip > 0 {
		fmt.Fprintf(&b, "; at capacity it finishes %d working day(s) late, on %s", f.Slip, f.FeasibleFinish.Format(time.DateOnly))
	}
	b.WriteString(". Change the scope or the capacity, or approve with an override reason.")
	return b.String()
}

// step is one move of the review as the journal records it.
type step struct {
	kind EventKind
	by   accord.Actor
	at   time.Time
	// digest is the content's digest when a submission records pending
	// edits first; comments are those of a request for changes.
	digest   string
	comments []Comment
	// reason is the lead's override of an infeasible revision.
	reason string
}

// journal records the review's moves for the engine: what the move
// carries (pending edits, comments, an approval), the event and the new
// status together.
type journal struct{}

// Append records st, the step of the move t, on s.
func (journal) Append(s *SOW, t *engine.Transition[*SOW], st step) {
	if st.digest != "" && st.digest != s.Review.Digest {
		s.revise(st.digest, s.Review.Status, st.by, st.at)
	}
	r := &s.Review
	for _, c := range st.comments {
		c.Revision, c.By, c.At = r.Revision, st.by, st.at
		r.Comments = append(r.Comments, c)
	}
	switch a := (&Approval{Revision: r.Revision, Digest: r.Digest, By: st.by, At: st.at, Override: st.reason}); st.kind {
	case EventLeadApproved:
		r.Lead = a
	case EventClientApproved:
		r.Client = a
	}
	r.History = append(r.History, Event{Kind: st.kind, From: r.Status, To: Status(t.To), Revision: r.Revision, Digest: r.Digest, By: st.by, At: st.at, Reason: st.reason})
	r.Status = Status(t.To)
}

func verb(event string) string {
	if event == evApproveLead {
		return "approve as implementation lead"
	}
	return "approve for the client"
}

func lead(r accord.Role) bool { return r == accord.RoleImplementationLead }

// opened refuses a nil scope or one whose review was never opened.
func (s *SOW) opened(action string) error {
	if s == nil {
		return accord.Invalid("sow", "is nil")
	}
	if s.Review.Status == "" || len(s.Review.History) == 0 {
		return fmt.Errorf("%w: scope %q: cannot %s: the review is not opened; call Open first", accord.ErrConflict, s.ID, action)
	}
	return nil
}

// precheck validates the actor, their role and the time of an action.
func (s *SOW) precheck(action string, by accord.Actor, at time.Time, allowed func(accord.Role) bool, refusal string, problems ...error) error {
	ch := engine.Change{Noun: "scope", ID: s.ID, Action: action, By: by, At: at, LastEvent: "review event"}
	if h := s.Review.History; len(h) > 0 {
		ch.Last = h[len(h)-1].At
	}
	return ch.Check(allowed, refusal, problems...)
}

// record returns the digest of the current content, refusing content that
// has no JSON form and so cannot be stored or approved.
func (s *SOW) record(action string) (string, error) {
	if _, err := s.content(); err != nil {
		return "", fmt.Errorf("%w: scope %q: %s: the content cannot be recorded: %v", accord.ErrInvalid, s.ID, action, err)
	}
	return s.Digest(), nil
}

// current refuses an action on a revision that is not the recorded one, or
// on content edited since it was recorded.
func (s *SOW) current(action string, revision int) error {
	r := &s.Review
	if revision != r.Revision {
		return fmt.Errorf("%w: scope %q: cannot %s revision %d: the current revision is %d", accord.ErrConflict, s.ID, action, revision, r.Revision)
	}
	if s.Digest() != r.Digest {
		return fmt.Errorf("%w: scope %q: cannot %s: the content was edited after revision %d was recorded; record it with Revise", accord.ErrConflict, s.ID, action, r.Revision)
	}
	return nil
}
