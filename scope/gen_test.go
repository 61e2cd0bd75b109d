package scope_test

import (
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Generators for the review tests: arbitrary scopes (any strings, codes
// known and unknown, times in fixed zones of any minute offset, nil and
// empty slices alike, review states that the workflow never produces),
// valid-ish scopes built on exampleSOW, actors from a small pool of IDs so
// that authors, revision authors and approvers collide, comments, and the
// content edits a host makes between workflow calls.

// genCmp compares scope values: decimals by value (12.5 equals 12.50),
// without rescaling extreme exponents, which would take hours. Money and
// time.Time are compared by their Equal methods.
var genCmp = cmp.Options{cmp.Comparer(genDecimalEqual)}

func genDecimalEqual(a, b decimal.Decimal) bool {
	sane := func(d decimal.Decimal) bool { return d.Exponent() >= -1000 && d.Exponent() <= 1000 }
	if !sane(a) || !sane(b) {
		return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
	}
	return a.Equal(b)
}

// genDiff is cmp.Diff with genCmp, computed only when the values differ:
// cmp.Equal is much the cheaper of the two.
func genDiff(x, y any) string {
	if cmp.Equal(x, y, genCmp) {
		return ""
	}
	return cmp.Diff(x, y, genCmp)
}

// genFataler is what testing.TB and *rapid.T share.
type genFataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// genContent returns the content of s: everything but its review.
func genContent(s scope.SOW) scope.SOW {
	s.Review = scope.Review{}
	return s
}

// genSetContent replaces the content of s with a deep copy of c's,
// keeping s's review, as a host does when it restores an earlier version.
func genSetContent(t genFataler, s *scope.SOW, c scope.SOW) {
	t.Helper()
	r := s.Review
	*s = jsontest.Copy(t, genContent(c))
	s.Review = r
}

// The pool of actor IDs: small, so that the author, the revision author
// and the approvers collide often.
var genIDs = []string{"u-1", "u-2", "u-3"}

// genActor draws an actor of any role from the pool, and now and then an
// invalid one (no ID, or an unknown role).
func genActor() *rapid.Generator[accord.Actor] {
	return rapid.Custom(func(t *rapid.T) accord.Actor {
		switch rapid.IntRange(0, 19).Draw(t, "actor_kind") {
		case 0:
			return accord.Actor{Role: rapid.SampledFrom(accord.Roles()).Draw(t, "role")}
		case 1:
			return accord.Actor{ID: rapid.SampledFrom(genIDs).Draw(t, "id"), Role: "boss"}
		}
		return accord.Actor{
			ID:   rapid.SampledFrom(genIDs).Draw(t, "id"),
			Name: rapid.SampledFrom([]string{"", "Asha", "Ravi"}).Draw(t, "name"),
			Role: rapid.SampledFrom(accord.Roles()).Draw(t, "role"),
		}
	})
}

// genActorAs draws, three times in four, a valid actor of one of roles and
// otherwise any actor, so that permitted and forbidden calls both happen.
func genActorAs(roles ...accord.Role) *rapid.Generator[accord.Actor] {
	return rapid.Custom(func(t *rapid.T) accord.Actor {
		if rapid.IntRange(0, 3).Draw(t, "right_role") > 0 {
			id := rapid.SampledFrom(genIDs).Draw(t, "id")
			switch rapid.IntRange(0, 9).Draw(t, "pad") {
			case 0:
				id = " " + id + "\t" // the same person, carelessly typed
			case 1:
				id = "  " // no one
			}
			return accord.Actor{ID: id, Role: rapid.SampledFrom(roles).Draw(t, "role")}
		}
		return genActor().Draw(t, "actor")
	})
}

// genComment draws a comment on s: tied to a step or a deliverable of s,
// to an unknown one, or to neither, with a blank text now and then.
func genComment(s *scope.SOW) *rapid.Generator[scope.Comment] {
	return rapid.Custom(func(t *rapid.T) scope.Comment {
		var c scope.Comment
		switch rapid.IntRange(0, 4).Draw(t, "tied_to") {
		case 1, 2:
			if len(s.Steps) > 0 {
				c.Step = s.Steps[rapid.IntRange(0, len(s.Steps)-1).Draw(t, "step")].ID
			} else {
				c.Step = "configure"
			}
		case 3:
			if len(s.Deliverables) > 0 {
				c.Deliverable = s.Deliverables[rapid.IntRange(0, len(s.Deliverables)-1).Draw(t, "deliverable")].ID
			} else {
				c.Deliverable = "pipeline"
			}
		case 4:
			c.Step = "no-such-step"
		}
		if rapid.IntRange(0, 9).Draw(t, "unknown_deliverable") == 0 {
			c.Deliverable = "no-such-deliverable"
		}
		c.Text = rapid.SampledFrom([]string{"48 hours in 3 days is 16 a day", "add a pilot week", "", "  \t"}).Draw(t, "text")
		// Set by the workflow, whatever the caller passes.
		c.Revision = rapid.IntRange(-1, 3).Draw(t, "revision")
		return c
	})
}

// genEdit is one edit of a scope's content as a host makes it, without
// recording it.
type genEdit struct {
	Name  string
	Apply func(s *scope.SOW)
}

func (e genEdit) String() string { return e.Name }

// The values content edits choose from: few, so that an edit often sets
// a value the scope already has and edits often undo each other.
var (
	genEfforts     = []int64{4, 6, 12, 16, 48}
	genAssumptions = []string{"the client names a data owner", "a sandbox is available in week 1"}
	genPrices      = []int64{45000, 48000}
	genStarts      = []time.Time{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
	genTitles      = []string{"Northwind pipeline rollout", "Northwind rollout, phase 1"}
)

// genEdits draws a content edit. earlier lists contents seen before; the
// "revert" edit restores one of them exactly. Every edit keeps each
// top-level list non-nil and every decimal in one form, so that contents
// that print alike are alike.
func genEdits(t genFataler, earlier []scope.SOW) *rapid.Generator[genEdit] {
	pick := func(rt *rapid.T, n int, label string) int { return rapid.IntRange(0, n-1).Draw(rt, label) }
	return rapid.Custom(func(rt *rapid.T) genEdit {
		// Edits that take away what a submission needs are drawn less
		// often than the others, so that reviews get somewhere.
		kinds := []string{"effort", "effort", "assume", "assume", "unassume", "price", "price", "unprice",
			"drop_deliverable", "add_deliverable", "clear_requirements", "clear_steps", "clear_start",
			"start", "start", "title", "example", "example", "same"}
		if len(earlier) > 0 {
			kinds = append(kinds, "revert", "revert", "revert")
		}
		switch kind := rapid.SampledFrom(kinds).Draw(rt, "edit"); kind {
		case "effort":
			h := hours(rapid.SampledFrom(genEfforts).Draw(rt, "hours"))
			i := rapid.IntRange(0, 7).Draw(rt, "step")
			return genEdit{kind, func(s *scope.SOW) {
				if len(s.Steps) > 0 {
					s.Steps[i%len(s.Steps)].Effort = h
				}
			}}
		case "assume":
			a := rapid.SampledFrom(genAssumptions).Draw(rt, "assumption")
			return genEdit{kind, func(s *scope.SOW) { s.Assumptions = append(slices.Clone(s.Assumptions), a) }}
		case "unassume":
			return genEdit{kind, func(s *scope.SOW) {
				if n := len(s.Assumptions); n > 0 {
					s.Assumptions = slices.Clone(s.Assumptions[:n-1])
				}
			}}
		case "price":
			p := accord.Money{Amount: decimal.NewFromInt(rapid.SampledFrom(genPrices).Draw(rt, "price")), Currency: "USD"}
			return genEdit{kind, func(s *scope.SOW) { s.Price = p }}
		case "unprice":
			return genEdit{kind, func(s *scope.SOW) { s.Price = accord.Money{} }}
		case "drop_deliverable":
			i := rapid.IntRange(0, 7).Draw(rt, "deliverable")
			return genEdit{kind, func(s *scope.SOW) {
				if n := len(s.Deliverables); n > 0 {
					s.Deliverables = slices.Delete(slices.Clone(s.Deliverables), i%n, i%n+1)
				}
			}}
		case "add_deliverable":
			return genEdit{kind, func(s *scope.SOW) {
				s.Deliverables = append(slices.Clone(s.Deliverables), scope.Deliverable{ID: "dashboards", Name: "Executive dashboards", Requirements: []string{}})
			}}
		case "clear_requirements":
			return genEdit{kind, func(s *scope.SOW) { s.Requirements = []scope.Requirement{} }}
		case "clear_steps":
			return genEdit{kind, func(s *scope.SOW) { s.Steps = []scope.Step{} }}
		case "clear_start":
			return genEdit{kind, func(s *scope.SOW) { s.Start = time.Time{} }}
		case "start":
			st := rapid.SampledFrom(genStarts).Draw(rt, "start")
			return genEdit{kind, func(s *scope.SOW) { s.Start = st }}
		case "title":
			title := rapid.SampledFrom(genTitles).Draw(rt, "title")
			return genEdit{kind, func(s *scope.SOW) { s.Title = title }}
		case "example":
			return genEdit{kind, func(s *scope.SOW) { genSetContent(t, s, exampleSOW()) }}
		case "revert":
			c := earlier[pick(rt, len(earlier), "snapshot")]
			return genEdit{kind, func(s *scope.SOW) { genSetContent(t, s, c) }}
		default: // "same": copy the steps, changing nothing
			return genEdit{kind, func(s *scope.SOW) { s.Steps = slices.Clone(s.Steps) }}
		}
	})
}

// genValidSOW draws a valid-ish scope: exampleSOW, sometimes with another
// ID, deal, start, price or assumptions, and sometimes missing what a
// submission needs.
func genValidSOW() *rapid.Generator[scope.SOW] {
	return rapid.Custom(func(t *rapid.T) scope.SOW {
		s := exampleSOW()
		s.ID = rapid.SampledFrom([]string{"sow-1", "sow-2", ""}).Draw(t, "id")
		if rapid.Bool().Draw(t, "other_start") {
			s.Start = rapid.SampledFrom(genStarts).Draw(t, "start")
		}
		if rapid.Bool().Draw(t, "other_price") {
			s.Price.Amount = decimal.NewFromInt(rapid.SampledFrom(genPrices).Draw(t, "price"))
		}
		// Never nil: an edit that removes the last assumption leaves an
		// empty list, and nil and empty are different contents.
		s.Assumptions = append([]string{}, rapid.SliceOfN(rapid.SampledFrom(genAssumptions), 0, 2).Draw(t, "assumptions")...)
		if rapid.IntRange(0, 9).Draw(t, "incomplete") == 0 {
			s.Steps = []scope.Step{}
		}
		// Buyer-side signatories, sometimes: only they may approve for
		// the client.
		if rapid.IntRange(0, 2).Draw(t, "signatories") == 0 {
			s.Signatories = rapid.SampledFrom([][]string{{"u-3"}, {"u-2", " u-3"}}).Draw(t, "who")
		}
		return s
	})
}

// genDecimal draws a decimal in any form within the bounds that JSON can
// carry cheaply: 12, 12.50 and -0.001 alike.
func genDecimal() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return decimal.New(rapid.Int64Range(-1e6, 1e9).Draw(t, "coef"), int32(rapid.IntRange(-4, 3).Draw(t, "exp")))
	})
}

func genString() *rapid.Generator[string] {
	return rapid.OneOf(rapid.Just(""), rapid.Just(" "), rapid.SampledFrom([]string{"R1", "R2", "audit", "configure", "pipeline", "support"}), rapid.StringN(0, 12, -1))
}

// genCode draws one of codes, an empty code or an unknown one.
func genCode[T ~string](codes []T) *rapid.Generator[T] {
	return rapid.OneOf(rapid.SampledFrom(codes), rapid.Just(T("")), rapid.Just(T("unknown")))
}

func genEntitlement() *rapid.Generator[scope.Entitlement] {
	return rapid.Custom(func(t *rapid.T) scope.Entitlement {
		s := genString()
		return scope.Entitlement{Name: s.Draw(t, "name"), Quantity: genDecimal().Draw(t, "quantity"), Unit: s.Draw(t, "unit"), Per: s.Draw(t, "per")}
	})
}

func genDeliverable() *rapid.Generator[scope.Deliverable] {
	return rapid.Custom(func(t *rapid.T) scope.Deliverable {
		s := genString()
		return scope.Deliverable{ID: s.Draw(t, "id"), Name: s.Draw(t, "name"), Requirements: gen.Slice(s).Draw(t, "requirements")}
	})
}

// genSOW draws an arbitrary scope: arbitrary content and, half of the
// time, an arbitrary review.
func genSOW() *rapid.Generator[scope.SOW] {
	return rapid.Custom(func(t *rapid.T) scope.SOW {
		s, tm := genString(), gen.Time()
		sow := scope.SOW{
			ID: s.Draw(t, "id"), DealID: s.Draw(t, "deal_id"), Title: s.Draw(t, "title"), Start: tm.Draw(t, "start"),
			Requirements: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Requirement {
				return scope.Requirement{
					ID: s.Draw(t, "id"), Title: s.Draw(t, "title"), Kind: genCode(scope.Kinds()).Draw(t, "kind"),
					Priority:   genCode([]scope.Priority{scope.Must, scope.Should, scope.Could}).Draw(t, "priority"),
					Acceptance: gen.Slice(s).Draw(t, "acceptance"), Source: scope.Source{Name: s.Draw(t, "name"), At: tm.Draw(t, "at")},
				}
			})).Draw(t, "requirements"),
			Deliverables: gen.Slice(genDeliverable()).Draw(t, "deliverables"),
			InScope:      gen.Slice(s).Draw(t, "in_scope"),
			OutOfScope:   gen.Slice(s).Draw(t, "out_of_scope"),
			Assumptions:  gen.Slice(s).Draw(t, "assumptions"),
			Entitlements: gen.Slice(genEntitlement()).Draw(t, "entitlements"),
			Price:        gen.Money().Draw(t, "price"),
			Steps: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Step {
				return scope.Step{
					ID: s.Draw(t, "id"), Title: s.Draw(t, "title"), Date: tm.Draw(t, "date"),
					Offset: rapid.IntRange(-2, 3000).Draw(t, "offset"), Days: rapid.IntRange(-1, 30).Draw(t, "days"),
					Activity: genCode(scope.Activities()).Draw(t, "activity"), Phase: genCode(scope.Phases()).Draw(t, "phase"),
					Requirements: gen.Slice(s).Draw(t, "requirements"), Effort: genDecimal().Draw(t, "effort"),
					Owner: s.Draw(t, "owner"), DependsOn: gen.Slice(s).Draw(t, "depends_on"),
				}
			})).Draw(t, "steps"),
			Milestones: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Milestone {
				return scope.Milestone{
					ID: s.Draw(t, "id"), Name: s.Draw(t, "name"), Date: tm.Draw(t, "date"), Offset: rapid.IntRange(-2, 3000).Draw(t, "offset"),
					Steps: gen.Slice(s).Draw(t, "steps"), Deliverables: gen.Slice(s).Draw(t, "deliverables"),
				}
			})).Draw(t, "milestones"),
		}
		if rapid.Bool().Draw(t, "reviewed") {
			sow.Review = genReview(sow.Digest()).Draw(t, "review")
		}
		return sow
	})
}

// genReview draws an arbitrary review state whose digests are digest, an
// unknown one or none.
func genReview(digest string) *rapid.Generator[scope.Review] {
	return rapid.Custom(func(t *rapid.T) scope.Review {
		tm := gen.Time()
		status := genCode(scope.Statuses())
		dig := rapid.SampledFrom([]string{digest, digest, "", "0000"})
		rev := rapid.IntRange(-1, 4)
		actor := rapid.Custom(func(t *rapid.T) accord.Actor {
			return accord.Actor{ID: rapid.SampledFrom(append(genIDs, "")).Draw(t, "id"), Name: genString().Draw(t, "name"), Role: genCode(accord.Roles()).Draw(t, "role")}
		})
		approval := rapid.Custom(func(t *rapid.T) *scope.Approval {
			if rapid.Bool().Draw(t, "none") {
				return nil
			}
			return &scope.Approval{Revision: rev.Draw(t, "revision"), Digest: dig.Draw(t, "digest"), By: actor.Draw(t, "by"), At: tm.Draw(t, "at")}
		})
		kinds := []scope.EventKind{scope.EventOpened, scope.EventRevised, scope.EventSubmitted, scope.EventChangesRequested, scope.EventLeadApproved, scope.EventClientApproved}
		return scope.Review{
			Status: status.Draw(t, "status"), Author: rapid.SampledFrom(append(genIDs, "")).Draw(t, "author"),
			Revision: rev.Draw(t, "revision"), Digest: dig.Draw(t, "digest"), RevisedBy: rapid.SampledFrom(append(genIDs, "")).Draw(t, "revised_by"),
			Lead: approval.Draw(t, "lead"), Client: approval.Draw(t, "client"),
			Comments: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Comment {
				return scope.Comment{Step: genString().Draw(t, "step"), Deliverable: genString().Draw(t, "deliverable"), Text: genString().Draw(t, "text"),
					Revision: rev.Draw(t, "revision"), By: actor.Draw(t, "by"), At: tm.Draw(t, "at")}
			})).Draw(t, "comments"),
			Resolutions: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Resolution {
				return scope.Resolution{Kind: genCode([]scope.DiscrepancyKind{scope.NotScoped, scope.NotProposed, scope.TimelineShort, scope.EntitlementMismatch, scope.PriceMismatch}).Draw(t, "kind"),
					Subject: genString().Draw(t, "subject"), Proposed: genString().Draw(t, "proposed"), Scoped: genString().Draw(t, "scoped"),
					Change: genCode([]scope.Change{scope.ChangeProposal, scope.ChangeScope}).Draw(t, "change"), Note: genString().Draw(t, "note"),
					By: actor.Draw(t, "by"), At: tm.Draw(t, "at")}
			})).Draw(t, "resolutions"),
			History: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Event {
				return scope.Event{Kind: genCode(kinds).Draw(t, "kind"), From: status.Draw(t, "from"), To: status.Draw(t, "to"),
					Revision: rev.Draw(t, "revision"), Digest: dig.Draw(t, "digest"), By: actor.Draw(t, "by"), At: tm.Draw(t, "at")}
			})).Draw(t, "history"),
		}
	})
}

// genProposal draws an arbitrary proposal.
func genProposal() *rapid.Generator[scope.Proposal] {
	return rapid.Custom(func(t *rapid.T) scope.Proposal {
		s := genString()
		p := scope.Proposal{
			ID: s.Draw(t, "id"), DealID: s.Draw(t, "deal_id"),
			Deliverables: gen.Slice(genDeliverable()).Draw(t, "deliverables"),
			Entitlements: gen.Slice(genEntitlement()).Draw(t, "entitlements"),
			Price:        gen.Money().Draw(t, "price"),
		}
		switch rapid.IntRange(0, 2).Draw(t, "timeline") {
		case 1:
			p.Weeks = rapid.IntRange(-1, 600).Draw(t, "weeks")
		case 2:
			p.GoLive = gen.Time().Draw(t, "go_live")
		}
		return p
	})
}

// genReviewed draws a valid-ish scope taken through a random sequence of
// workflow calls and edits, refused or not, so that it carries a review
// in any reachable state.
func genReviewed(t genFataler) *rapid.Generator[scope.SOW] {
	return rapid.Custom(func(rt *rapid.T) scope.SOW {
		s := genValidSOW().Draw(rt, "sow")
		at := time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)
		_ = s.Open(genActorAs(accord.RoleSalesRep).Draw(rt, "author"), at)
		n := rapid.IntRange(0, 12).Draw(rt, "calls")
		for range n {
			at = at.Add(time.Duration(rapid.IntRange(0, 48).Draw(rt, "hours")) * time.Hour)
			switch rapid.IntRange(0, 6).Draw(rt, "call") {
			case 0:
				genEdits(t, nil).Draw(rt, "edit").Apply(&s)
			case 1:
				_ = s.Revise(genActorAs(accord.RoleSalesRep).Draw(rt, "by"), at)
			case 2:
				_ = s.Submit(accord.Calendar{}, genActorAs(accord.RoleSalesRep).Draw(rt, "by"), at)
			case 3:
				_ = s.RequestChanges([]scope.Comment{genComment(&s).Draw(rt, "comment")}, genActorAs(accord.RoleImplementationLead).Draw(rt, "by"), at)
			case 4:
				_ = s.ApproveAsLead(rvReview(s.Review.Revision), genActorAs(accord.RoleImplementationLead).Draw(rt, "by"), at)
			case 5:
				_ = s.ApproveAsClient(s.Review.Revision, genActorAs(accord.RoleClient).Draw(rt, "by"), at)
			case 6:
				p := scope.Proposal{ID: "p", DealID: s.DealID}
				if ds := scope.Reconcile(p, &s, scope.Feasibility{}); len(ds) > 0 {
					_ = s.Resolve(p, scope.Feasibility{}, ds[0], scope.ChangeScope, "agreed", genActorAs(accord.RoleSalesManager).Draw(rt, "by"), at)
				}
			}
		}
		return s
	})
}
