package scope

import (
	"fmt"
	"strings"

	"github.com/accordhq/accord"
)

// Verify checks a stored scope's review against the history it came from,
// for a host's own load path and for every gate that acts on the scope (the
// close of a deal, the contract): the review's Status, Author, Revision,
// Digest and RevisedBy are a summary of its History, and each approval is a
// copy of a review event. Verify refuses, in one error wrapping
// [accord.ErrConflict] that lists every disagreement:
//
//   - a review with a status but no history, or a history that does not
//     start with the opening by the Author;
//   - a status other than the one the last event went to;
//   - a revision, digest or reviser other than those of the last recorded
//     revision (opened or revised);
//   - a lead or client approval with no matching review event (same kind,
//     revision, digest, actor and time) since that revision, and an
//     approved status with no approval;
//   - events out of time order.
//
// A scope that was never opened (no status, no history) has nothing to
// verify. Verify does not compare the content with its digest: an edit not
// yet recorded is a normal state of a scope being written (see
// [SOW.Revise]); [SOW.Approvals] already gives it no approvals.
func (s *SOW) Verify() error {
	if s == nil {
		return accord.Invalid("sow", "is nil")
	}
	r := &s.Review
	if r.Status == "" && len(r.History) == 0 {
		return nil
	}
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	h := r.History
	if len(h) == 0 {
		add("the review is %s but has no history", r.Status)
		return s.conflict(why)
	}
	if h[0].Kind != EventOpened {
		add("the history starts with %s, not the opening", h[0].Kind)
	} else if !h[0].By.Is(r.Author) {
		add("the author is %q, but %q opened the scope", r.Author, h[0].By.ID)
	}
	if last := h[len(h)-1]; last.To != r.Status {
		add("the status is %s, but the last review event went to %s", r.Status, last.To)
	}
	rev := -1
	for i := range h {
		if i > 0 && h[i].At.Before(h[i-1].At) {
			add("review event %d is before event %d", i, i-1)
		}
		if k := h[i].Kind; k == EventOpened || k == EventRevised {
			rev = i
		}
	}
	if rev >= 0 {
		e := h[rev]
		if r.Revision != e.Revision || r.Digest != e.Digest {
			add("the review is at revision %d (digest %.12s), but the last recorded revision is %d (digest %.12s)", r.Revision, r.Digest, e.Revision, e.Digest)
		}
		if !e.By.Is(r.RevisedBy) {
			add("revision %d was recorded by %q, not %q", e.Revision, e.By.ID, r.RevisedBy)
		}
	}
	matched := func(a *Approval, kind EventKind) bool {
		for i := len(h) - 1; i > rev; i-- {
			e := &h[i]
			if e.Kind == kind && e.Revision == a.Revision && e.Digest == a.Digest && e.By == a.By && e.At.Equal(a.At) {
				return true
			}
		}
		return false
	}
	if a := r.Lead; a != nil && !matched(a, EventLeadApproved) {
		add("the lead approval of revision %d by %q has no matching review event since the revision was recorded", a.Revision, a.By.ID)
	}
	if a := r.Client; a != nil && !matched(a, EventClientApproved) {
		add("the client approval of revision %d by %q has no matching review event since the revision was recorded", a.Revision, a.By.ID)
	}
	switch {
	case r.Status == StatusLeadApproved && r.Lead == nil:
		add("the status is %s, but no lead approval is recorded", r.Status)
	case r.Status == StatusClientApproved && (r.Lead == nil || r.Client == nil):
		add("the status is %s, but the lead's and the client's approvals are not both recorded", r.Status)
	}
	if len(why) == 0 {
		return nil
	}
	return s.conflict(why)
}

func (s *SOW) conflict(why []string) error {
	return fmt.Errorf("%w: scope %q disagrees with its review history: %s", accord.ErrConflict, s.ID, strings.Join(why, "; "))
}
