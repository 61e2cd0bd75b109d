package scope_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var (
	rvT0       = time.Date(2026, 2, 16, 9, 0, 0, 0, time.UTC)
	rvRep      = accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	rvManager  = accord.Actor{ID: "u-2", Name: "Mei", Role: accord.RoleSalesManager}
	rvLead     = accord.Actor{ID: "u-9", Name: "Ravi", Role: accord.RoleImplementationLead}
	rvLead2    = accord.Actor{ID: "u-8", Name: "Ines", Role: accord.RoleImplementationLead}
	rvClient   = accord.Actor{ID: "c-1", Name: "Dana", Role: accord.RoleClient}
	rvEditors  = []accord.Role{accord.RoleSalesRep, accord.RoleSalesManager, accord.RoleImplementationLead, accord.RoleAdmin}
	rvDeciders = []accord.Role{accord.RoleSalesManager, accord.RoleImplementationLead, accord.RoleAdmin}

	// rvProposal differs from exampleSOW in its deliverables, timeline,
	// entitlements and price, so that there is something to resolve.
	rvProposal = scope.Proposal{
		ID: "prop-1", DealID: "deal-42",
		Deliverables: []scope.Deliverable{{ID: "pipeline", Name: "Configured pipeline"}, {ID: "dashboards", Name: "Executive dashboards"}},
		Weeks:        1,
		Entitlements: []scope.Entitlement{{Name: "support", Quantity: hours(8), Unit: "hours", Per: "week"}},
		Price:        accord.Money{Amount: decimal.NewFromInt(45000), Currency: "USD"},
	}
)

// rvTeam is a team that exampleSOW's sequence fits: one consultant day is
// 16 hours of consultants.
var rvTeam = scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(16), "engineer": hours(8)}}

// rvReview is the lead's review of revision of exampleSOW: under the
// default calendar, against rvTeam.
func rvReview(revision int) scope.LeadReview {
	return scope.LeadReview{Revision: revision, Capacity: rvTeam}
}

func rvHours(n int) time.Time { return rvT0.Add(time.Duration(n) * time.Hour) }

func rvMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rvAt returns exampleSOW taken to status by the usual actors: opened by
// the rep at rvT0, each later step an hour after the previous one.
func rvAt(t testing.TB, status scope.Status) *scope.SOW {
	t.Helper()
	s := exampleSOW()
	rvMust(t, s.Open(rvRep, rvHours(0)))
	steps := map[scope.Status][]func() error{
		scope.StatusDraft:     nil,
		scope.StatusSubmitted: {func() error { return s.Submit(accord.Calendar{}, rvRep, rvHours(1)) }},
		scope.StatusChangesRequested: {
			func() error { return s.Submit(accord.Calendar{}, rvRep, rvHours(1)) },
			func() error {
				return s.RequestChanges([]scope.Comment{{Step: "configure", Text: "too tight"}}, rvLead, rvHours(2))
			},
		},
		scope.StatusResubmitted: {
			func() error { return s.Submit(accord.Calendar{}, rvRep, rvHours(1)) },
			func() error {
				return s.RequestChanges([]scope.Comment{{Step: "configure", Text: "too tight"}}, rvLead, rvHours(2))
			},
			func() error { s.Steps[1].Effort = hours(36); return s.Submit(accord.Calendar{}, rvRep, rvHours(3)) },
		},
		scope.StatusLeadApproved: {
			func() error { return s.Submit(accord.Calendar{}, rvRep, rvHours(1)) },
			func() error { return s.ApproveAsLead(rvReview(1), rvLead, rvHours(2)) },
		},
		scope.StatusClientApproved: {
			func() error { return s.Submit(accord.Calendar{}, rvRep, rvHours(1)) },
			func() error { return s.ApproveAsLead(rvReview(1), rvLead, rvHours(2)) },
			func() error { return s.ApproveAsClient(1, rvClient, rvHours(3)) },
		},
	}
	for _, step := range steps[status] {
		rvMust(t, step())
	}
	if s.Review.Status != status {
		t.Fatalf("setting up: status %s, want %s", s.Review.Status, status)
	}
	return &s
}

// rvUnchanged fails if s differs from before.
func rvUnchanged(t genFataler, what string, before scope.SOW, s *scope.SOW) {
	t.Helper()
	if diff := genDiff(before, *s); diff != "" {
		t.Fatalf("%s changed the scope (-before +after):\n%s", what, diff)
	}
}

// rvBlocked returns the criteria IDs of err's *accord.BlockedError, failing
// if err is not one.
func rvBlocked(t genFataler, err error) *accord.BlockedError {
	t.Helper()
	var b *accord.BlockedError
	if !errors.As(err, &b) || !errors.Is(err, accord.ErrBlocked) {
		t.Fatalf("want a *accord.BlockedError, got %v", err)
	}
	return b
}

func rvCriteria(b *accord.BlockedError) []string {
	var out []string
	for _, u := range b.Unmet {
		out = append(out, u.Criterion)
	}
	return out
}

func rvEditor(r accord.Role) bool { return slices.Contains(rvEditors, r) }

func rvDecider(r accord.Role) bool { return slices.Contains(rvDeciders, r) }

// rvThinTeam has half the consultants exampleSOW's sequence needs.
var rvThinTeam = scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}}

// rvReadyField is the field each criterion of a submission names.
var rvReadyField = map[string]string{"requirements": "requirements", "deliverables": "deliverables", "sequence": "steps", "start": "start", "price": "price"}

func rvBlank(id string) bool { return strings.TrimSpace(id) == "" }

// rvSame reports whether two actor IDs name one person: equal once
// trimmed, and not blank.
func rvSame(a, b string) bool { return !rvBlank(a) && strings.TrimSpace(a) == strings.TrimSpace(b) }

// rvCycle returns the index of the event that began the current review
// cycle of r: the last request for changes, or the opening.
func rvCycle(r scope.Review) int {
	start := 0
	for i, ev := range r.History {
		if ev.Kind == scope.EventChangesRequested {
			start = i
		}
	}
	return start
}

// rvDid reports whether id made an event of one of kinds in h.
func rvDid(h []scope.Event, id string, kinds ...scope.EventKind) bool {
	return slices.ContainsFunc(h, func(ev scope.Event) bool { return slices.Contains(kinds, ev.Kind) && rvSame(ev.By.ID, id) })
}

// rvLeadConflict is the model of separation of duties for the lead: the
// author, anyone who recorded a revision in the current cycle, a
// signatory and anyone who approved for the client may not approve as
// lead.
func rvLeadConflict(r scope.Review, signatories []string, by accord.Actor) bool {
	return rvSame(by.ID, r.Author) || rvSame(by.ID, r.RevisedBy) ||
		rvDid(r.History[rvCycle(r):], by.ID, scope.EventOpened, scope.EventRevised) ||
		slices.ContainsFunc(signatories, func(id string) bool { return rvSame(by.ID, id) }) ||
		rvDid(r.History, by.ID, scope.EventClientApproved)
}

// rvClientConflict is the model of separation of duties for the client:
// the author, anyone who ever recorded a revision or approved as lead, and
// when the scope names signatories anyone else, may not approve.
func rvClientConflict(r scope.Review, signatories []string, by accord.Actor) bool {
	return rvSame(by.ID, r.Author) || rvSame(by.ID, r.RevisedBy) ||
		rvDid(r.History, by.ID, scope.EventOpened, scope.EventRevised, scope.EventLeadApproved) ||
		len(signatories) > 0 && !slices.ContainsFunc(signatories, func(id string) bool { return rvSame(by.ID, id) })
}

// rvCheckDuties checks the promises of separation of duties and of an
// approved revision on s as it stands: no person approved in two roles;
// the lead approver wrote no revision in the current cycle and is not the
// author; the client approver is none of the author, a reviser, a lead
// approver, and is a signatory when the scope names any; an approved
// revision validates.
func rvCheckDuties(t genFataler, s *scope.SOW) {
	t.Helper()
	r := s.Review
	for _, ev := range r.History {
		if ev.Kind == scope.EventLeadApproved && rvDid(r.History, ev.By.ID, scope.EventClientApproved) {
			t.Fatalf("%q approved as implementation lead and for the client", ev.By.ID)
		}
	}
	if a := r.Lead; a != nil {
		if rvSame(a.By.ID, r.Author) || rvDid(r.History[rvCycle(r):], a.By.ID, scope.EventOpened, scope.EventRevised) {
			t.Fatalf("lead approval by %q, who wrote the scope or a revision in this cycle", a.By.ID)
		}
	}
	if a := r.Client; a != nil {
		if rvSame(a.By.ID, r.Author) || rvDid(r.History, a.By.ID, scope.EventOpened, scope.EventRevised, scope.EventLeadApproved) {
			t.Fatalf("client approval by %q, who wrote, revised or approved it as lead", a.By.ID)
		}
		if len(s.Signatories) > 0 && !slices.ContainsFunc(s.Signatories, func(id string) bool { return rvSame(a.By.ID, id) }) {
			t.Fatalf("client approval by %q, not one of the signatories %q", a.By.ID, s.Signatories)
		}
	}
	if s.Approved() {
		if err := s.Validate(accord.Calendar{}); err != nil {
			t.Fatalf("an approved revision does not validate: %v", err)
		}
	}
}

// rvCheckHistory checks the recorded history of s on its own: every event
// follows the previous one in time and status, names the revision and
// digest recorded at that point, and was made by an actor with the role it
// needs; a lead approval's actor wrote neither the scope nor the revision;
// a client approval follows a lead approval of the same revision. It
// returns whether the history shows a lead approval and then a client
// approval of the last recorded revision, and that revision's digest.
func rvCheckHistory(t genFataler, s *scope.SOW) (approved bool, digest string) {
	t.Helper()
	h := s.Review.History
	var author, revisedBy string
	revision := 0
	var lead, client *scope.Event
	cycle := 0
	for i := range h {
		ev := &h[i]
		if i > 0 && ev.At.Before(h[i-1].At) {
			t.Fatalf("event %d at %v is before event %d at %v", i, ev.At, i-1, h[i-1].At)
		}
		if i > 0 && ev.From != h[i-1].To {
			t.Fatalf("event %d (%s) from %s, but the previous one went to %s", i, ev.Kind, ev.From, h[i-1].To)
		}
		switch ev.Kind {
		case scope.EventOpened, scope.EventRevised:
			if ev.Kind == scope.EventOpened {
				if i != 0 {
					t.Fatalf("event %d opens the scope again", i)
				}
				author = ev.By.ID
			}
			revision++
			revisedBy, digest = ev.By.ID, ev.Digest
			lead, client = nil, nil
		}
		if i == 0 && ev.Kind != scope.EventOpened {
			t.Fatalf("the history starts with %s", ev.Kind)
		}
		if ev.Kind == scope.EventChangesRequested {
			cycle = i
		}
		if ev.Revision != revision || ev.Digest != digest {
			t.Fatalf("event %d (%s) names revision %d %.8s; recorded is %d %.8s", i, ev.Kind, ev.Revision, ev.Digest, revision, digest)
		}
		switch ev.Kind {
		case scope.EventOpened, scope.EventRevised, scope.EventSubmitted:
			if !rvEditor(ev.By.Role) {
				t.Fatalf("event %d: %s by role %s", i, ev.Kind, ev.By.Role)
			}
		case scope.EventChangesRequested:
			if ev.By.Role != accord.RoleImplementationLead {
				t.Fatalf("event %d: changes requested by role %s", i, ev.By.Role)
			}
		case scope.EventLeadApproved:
			switch {
			case ev.By.Role != accord.RoleImplementationLead:
				t.Fatalf("event %d: lead approval by role %s", i, ev.By.Role)
			case rvSame(ev.By.ID, author):
				t.Fatalf("event %d: lead approval by the author %s", i, author)
			case rvSame(ev.By.ID, revisedBy):
				t.Fatalf("event %d: lead approval by %s, who recorded revision %d", i, revisedBy, revision)
			case rvDid(h[cycle:i], ev.By.ID, scope.EventOpened, scope.EventRevised):
				t.Fatalf("event %d: lead approval by %s, who recorded a revision in this cycle", i, ev.By.ID)
			case lead != nil:
				t.Fatalf("event %d: a second lead approval of revision %d", i, revision)
			}
			lead = ev
		case scope.EventClientApproved:
			switch {
			case ev.By.Role != accord.RoleClient:
				t.Fatalf("event %d: client approval by role %s", i, ev.By.Role)
			case lead == nil:
				t.Fatalf("event %d: client approval of revision %d without a lead approval of it", i, revision)
			case client != nil:
				t.Fatalf("event %d: a second client approval of revision %d", i, revision)
			}
			client = ev
		default:
			t.Fatalf("event %d: unknown kind %q", i, ev.Kind)
		}
	}
	return lead != nil && client != nil && !client.At.Before(lead.At), digest
}

// TestReviewStateful drives a scope through random sequences of content
// edits (recorded or not, some restoring earlier content) and workflow
// calls by random actors, with random revision numbers and times (some
// before the last event), against a model of the review. After every step
// it checks that the review is the model's, that Approved holds
// exactly when the model and the history say the current revision has a
// lead approval and then a client approval and the content is as
// recorded, that refused calls change nothing, and that the digest is a
// function of the content and tells contents apart.
func TestReviewStateful(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genValidSOW().Draw(t, "sow")
		var want scope.Review // the model
		opened := false
		requestedOn := "" // the digest changes were last requested on
		now := rvT0
		contents := map[string]string{} // printed content to digest
		digests := map[string]string{}  // digest to printed content
		var seen []scope.SOW            // every distinct content, for reverts
		var earlier []scope.Discrepancy // discrepancies seen before, some gone now

		last := func() time.Time {
			if n := len(want.History); n > 0 {
				return want.History[n-1].At
			}
			return time.Time{}
		}
		// expect returns the error class the model expects from the checks
		// every call makes first.
		expect := func(by accord.Actor, at time.Time, allowed bool) error {
			switch {
			case !opened:
				return accord.ErrConflict
			case rvBlank(by.ID) || !by.Role.Valid() || at.IsZero() || at.Before(last()):
				return accord.ErrInvalid
			case !allowed:
				return accord.ErrForbidden
			}
			return nil
		}
		record := func(digest string, to scope.Status, by accord.Actor, at time.Time) {
			want.History = append(want.History, scope.Event{Kind: scope.EventRevised, From: want.Status, To: to,
				Revision: want.Revision + 1, Digest: digest, By: by, At: at})
			want.Status, want.Revision, want.Digest, want.RevisedBy = to, want.Revision+1, digest, by.ID
			want.Lead, want.Client = nil, nil
		}
		event := func(kind scope.EventKind, to scope.Status, by accord.Actor, at time.Time) {
			want.History = append(want.History, scope.Event{Kind: kind, From: want.Status, To: to,
				Revision: want.Revision, Digest: want.Digest, By: by, At: at})
			want.Status = to
		}
		// try runs a call the model expects to fail with class, or to
		// succeed when class is nil, in which case apply updates the model.
		try := func(t *rapid.T, what string, class error, at time.Time, call func() error, apply func()) (scope.SOW, error) {
			var before scope.SOW
			if class != nil || what == "revise" {
				before = jsontest.Copy(t, s) // to check that nothing changes
			}
			err := call()
			if class == nil {
				if err != nil {
					t.Fatalf("%s: the model expects success, got %v", what, err)
				}
				apply()
				now = at
				return before, nil
			}
			if !errors.Is(err, class) {
				t.Fatalf("%s: want %v, got %v", what, class, err)
			}
			rvUnchanged(t, "refused "+what, before, &s)
			return before, err
		}
		when := func(t *rapid.T) time.Time {
			switch rapid.IntRange(0, 19).Draw(t, "when") {
			case 0:
				return time.Time{}
			case 1, 2:
				return now.Add(-time.Duration(rapid.IntRange(1, 48).Draw(t, "hours_back")) * time.Hour)
			}
			return now.Add(time.Duration(rapid.IntRange(0, 72).Draw(t, "hours")) * time.Hour)
		}
		revision := func(t *rapid.T) int {
			switch rapid.IntRange(0, 9).Draw(t, "which_revision") {
			case 7:
				return want.Revision - 1
			case 8:
				return want.Revision + 1
			case 9:
				return 0
			}
			return want.Revision
		}
		inReview := func() bool {
			return want.Status == scope.StatusSubmitted || want.Status == scope.StatusResubmitted
		}
		open := func(by accord.Actor, at time.Time) {
			d := s.Digest()
			want = scope.Review{Status: scope.StatusDraft, Author: by.ID, Revision: 1, Digest: d, RevisedBy: by.ID,
				History: []scope.Event{{Kind: scope.EventOpened, To: scope.StatusDraft, Revision: 1, Digest: d, By: by, At: at}}}
			opened = true
		}

		if rapid.IntRange(0, 3).Draw(t, "open_first") > 0 {
			by := accord.Actor{ID: rapid.SampledFrom(genIDs).Draw(t, "author"), Role: rapid.SampledFrom(rvEditors).Draw(t, "author_role")}
			if err := s.Open(by, now); err != nil {
				t.Fatalf("open: %v", err)
			}
			open(by, now)
		}

		t.Repeat(map[string]func(*rapid.T){
			"open": func(t *rapid.T) {
				by, at := genActorAs(rvEditors...).Draw(t, "by"), when(t)
				var class error
				switch {
				case opened:
					class = accord.ErrConflict
				case rvBlank(by.ID) || !by.Role.Valid() || at.IsZero():
					class = accord.ErrInvalid
				case !rvEditor(by.Role):
					class = accord.ErrForbidden
				}
				try(t, "open", class, at, func() error { return s.Open(by, at) }, func() { open(by, at) })
			},
			"edit": func(t *rapid.T) {
				genEdits(t, seen).Draw(t, "edit").Apply(&s)
			},
			"revise": func(t *rapid.T) {
				by, at := genActorAs(rvEditors...).Draw(t, "by"), when(t)
				class := expect(by, at, rvEditor(by.Role))
				cur := s.Digest()
				before, _ := try(t, "revise", class, at, func() error { return s.Revise(by, at) }, func() {
					if cur == want.Digest {
						return
					}
					to := scope.StatusChangesRequested
					if want.Status == scope.StatusDraft {
						to = scope.StatusDraft
					}
					record(cur, to, by, at)
				})
				switch {
				case class != nil:
				case cur == before.Review.Digest:
					rvUnchanged(t, "revise without a change", before, &s)
				case s.Review.Lead != nil || s.Review.Client != nil:
					t.Fatalf("an edit recorded as revision %d left approvals: lead %+v, client %+v", s.Review.Revision, s.Review.Lead, s.Review.Client)
				}
			},
			"submit": func(t *rapid.T) {
				by, at := genActorAs(rvEditors...).Draw(t, "by"), when(t)
				class := expect(by, at, rvEditor(by.Role))
				from, to := want.Status, scope.StatusSubmitted
				if from == scope.StatusChangesRequested {
					to = scope.StatusResubmitted
				}
				cur := s.Digest()
				var unmet []string
				for _, c := range []struct {
					id     string
					missed bool
				}{
					{"requirements", len(s.Requirements) == 0},
					{"deliverables", len(s.Deliverables) == 0},
					{"sequence", len(s.Steps) == 0},
					{"start", s.Start.IsZero()},
					{"price", !s.Price.IsSet()},
					{"changes_made", from == scope.StatusChangesRequested && cur == requestedOn},
				} {
					if c.missed {
						unmet = append(unmet, c.id)
					}
				}
				// Then one "valid" per problem Validate finds in a field
				// no criterion above names.
				ready := len(unmet)
				for _, fe := range accord.FieldErrors(s.Validate(accord.Calendar{})) {
					if !slices.ContainsFunc(unmet[:ready], func(id string) bool { return rvReadyField[id] == fe.Field }) {
						unmet = append(unmet, "valid")
					}
				}
				switch {
				case class != nil:
				case from != scope.StatusDraft && from != scope.StatusChangesRequested:
					class = accord.ErrConflict
				case len(unmet) > 0:
					class = accord.ErrBlocked
				}
				_, err := try(t, "submit", class, at, func() error { return s.Submit(accord.Calendar{}, by, at) }, func() {
					if cur != want.Digest {
						record(cur, from, by, at)
					}
					event(scope.EventSubmitted, to, by, at)
				})
				if class == accord.ErrBlocked {
					b := rvBlocked(t, err)
					if got := rvCriteria(b); !slices.Equal(got, unmet) {
						t.Fatalf("submit from %s: unmet %v, want %v", from, got, unmet)
					}
					if b.From != string(from) || b.To != string(to) {
						t.Fatalf("submit blocked from %s to %s, want %s to %s", b.From, b.To, from, to)
					}
					for _, u := range b.Unmet {
						if u.State != string(from) || u.Side != accord.SideExit || u.Criterion == "valid" && u.Field == "" {
							t.Fatalf("unmet %v: want an exit criterion of %s", u, from)
						}
					}
				}
			},
			"request_changes": func(t *rapid.T) {
				by, at := genActorAs(accord.RoleImplementationLead).Draw(t, "by"), when(t)
				comments := rapid.SliceOfN(genComment(&s), 0, 3).Draw(t, "comments")
				class := expect(by, at, by.Role == accord.RoleImplementationLead)
				valid := len(comments) > 0
				for _, c := range comments {
					hasStep := slices.ContainsFunc(s.Steps, func(st scope.Step) bool { return st.ID == c.Step })
					hasDeliverable := slices.ContainsFunc(s.Deliverables, func(d scope.Deliverable) bool { return d.ID == c.Deliverable })
					if strings.TrimSpace(c.Text) == "" || c.Step != "" && !hasStep || c.Deliverable != "" && !hasDeliverable {
						valid = false
					}
				}
				switch {
				case class != nil:
				case !valid:
					class = accord.ErrInvalid
				case s.Digest() != want.Digest, !inReview():
					class = accord.ErrConflict
				}
				try(t, "request changes", class, at, func() error { return s.RequestChanges(comments, by, at) }, func() {
					for _, c := range comments {
						c.Revision, c.By, c.At = want.Revision, by, at
						want.Comments = append(want.Comments, c)
					}
					event(scope.EventChangesRequested, scope.StatusChangesRequested, by, at)
					requestedOn = want.Digest
				})
			},
			"approve_lead": func(t *rapid.T) {
				by, at, rev := genActorAs(accord.RoleImplementationLead).Draw(t, "by"), when(t), revision(t)
				lr := scope.LeadReview{Revision: rev, Capacity: rapid.SampledFrom([]scope.Capacity{rvTeam, rvThinTeam, {}}).Draw(t, "capacity"),
					Override: rapid.SampledFrom([]string{"", " ", "a contractor joins in week 2"}).Draw(t, "override")}
				class := expect(by, at, by.Role == accord.RoleImplementationLead)
				var unmet []string
				switch {
				case class != nil:
				case rvLeadConflict(want, s.Signatories, by):
					class = accord.ErrForbidden
				case rev != want.Revision, s.Digest() != want.Digest, !inReview():
					class = accord.ErrConflict
				case s.Validate(accord.Calendar{}) != nil:
					class = accord.ErrBlocked
					for range accord.FieldErrors(s.Validate(accord.Calendar{})) {
						unmet = append(unmet, "valid")
					}
				default:
					f, err := s.Feasibility(accord.Calendar{}, lr.Capacity)
					switch overriding := strings.TrimSpace(lr.Override) != ""; {
					case err != nil:
						t.Fatalf("feasibility of a valid scope: %v", err)
					case f.Feasible() && overriding:
						class = accord.ErrInvalid
					case !f.Feasible() && !overriding:
						class, unmet = accord.ErrBlocked, []string{"feasible"}
					}
				}
				override := ""
				if strings.TrimSpace(lr.Override) != "" {
					override = lr.Override
				}
				_, err := try(t, "approve as lead", class, at, func() error { return s.ApproveAsLead(lr, by, at) }, func() {
					want.Lead = &scope.Approval{Revision: want.Revision, Digest: want.Digest, By: by, At: at, Override: override}
					event(scope.EventLeadApproved, scope.StatusLeadApproved, by, at)
					want.History[len(want.History)-1].Reason = override
				})
				if class == accord.ErrBlocked {
					b := rvBlocked(t, err)
					if got := rvCriteria(b); !slices.Equal(got, unmet) || b.Op != accord.OpApprove || b.To != string(scope.StatusLeadApproved) {
						t.Fatalf("lead approval blocked %s→%s by %v, want →lead_approved by %v", b.From, b.To, got, unmet)
					}
				}
			},
			"approve_client": func(t *rapid.T) {
				by, at, rev := genActorAs(accord.RoleClient).Draw(t, "by"), when(t), revision(t)
				class := expect(by, at, by.Role == accord.RoleClient)
				early := false // the client before the lead
				switch {
				case class != nil:
				case rvClientConflict(want, s.Signatories, by):
					class = accord.ErrForbidden
				case rev != want.Revision, s.Digest() != want.Digest:
					class = accord.ErrConflict
				case want.Status == scope.StatusClientApproved:
					class = accord.ErrConflict
				case want.Status != scope.StatusLeadApproved:
					class, early = accord.ErrBlocked, true
				}
				status := want.Status
				_, err := try(t, "approve for the client", class, at, func() error { return s.ApproveAsClient(rev, by, at) }, func() {
					want.Client = &scope.Approval{Revision: want.Revision, Digest: want.Digest, By: by, At: at}
					event(scope.EventClientApproved, scope.StatusClientApproved, by, at)
				})
				switch {
				case early:
					b := rvBlocked(t, err)
					if got := rvCriteria(b); !slices.Equal(got, []string{"lead_approval"}) || b.From != string(status) || b.To != string(scope.StatusClientApproved) {
						t.Fatalf("client approval in %s: blocked %s→%s by %v, want %s→client_approved by [lead_approval]", status, b.From, b.To, got, status)
					}
				case errors.Is(err, accord.ErrBlocked):
					t.Fatalf("client approval in %s: unexpected %v", status, err)
				}
			},
			"resolve": func(t *rapid.T) {
				by, at := genActorAs(rvDeciders...).Draw(t, "by"), when(t)
				d := scope.Discrepancy{Kind: "bogus"}
				current := scope.Reconcile(rvProposal, &s, scope.Feasibility{})
				switch pool := append(slices.Clone(current), earlier...); {
				case len(pool) > 0 && rapid.IntRange(0, 4).Draw(t, "bogus") > 0:
					d = rapid.SampledFrom(pool).Draw(t, "discrepancy")
				}
				earlier = append(earlier, current...)
				change := rapid.SampledFrom([]scope.Change{scope.ChangeProposal, scope.ChangeScope, "both"}).Draw(t, "change")
				class := expect(by, at, rvDecider(by.Role))
				same := func(r scope.Discrepancy) bool {
					return r.Kind == d.Kind && r.Subject == d.Subject && r.Proposed == d.Proposed && r.Scoped == d.Scoped
				}
				settled := slices.ContainsFunc(want.Resolutions, func(r scope.Resolution) bool {
					return r.Kind == d.Kind && r.Subject == d.Subject && r.Proposed == d.Proposed && r.Scoped == d.Scoped
				})
				switch {
				case !opened:
				case class == accord.ErrInvalid, d.Kind == "bogus", change == "both":
					class = accord.ErrInvalid
				case class != nil:
				case rvSame(by.ID, want.Author):
					class = accord.ErrForbidden
				case !slices.ContainsFunc(current, same), settled:
					class = accord.ErrConflict
				}
				try(t, "resolve", class, at, func() error { return s.Resolve(rvProposal, scope.Feasibility{}, d, change, "agreed", by, at) }, func() {
					want.Resolutions = append(want.Resolutions, scope.Resolution{Kind: d.Kind, Subject: d.Subject,
						Proposed: d.Proposed, Scoped: d.Scoped, Change: change, Note: "agreed", By: by, At: at})
				})
			},
			"": func(t *rapid.T) {
				if diff := genDiff(want, s.Review); diff != "" {
					t.Fatalf("review differs from the model (-model +got):\n%s", diff)
				}
				cur := s.Digest()

				// The digest is a function of the content, and tells
				// contents apart.
				key := fmt.Sprintf("%+v", genContent(s))
				if d, ok := contents[key]; ok && d != cur {
					t.Fatalf("content seen before with digest %s now has digest %s", d, cur)
				}
				if k, ok := digests[cur]; ok && k != key {
					t.Fatalf("digest %s of different content:\n%s\n%s", cur, k, key)
				}
				if _, ok := contents[key]; !ok {
					contents[key], digests[cur] = cur, key
					seen = append(seen, jsontest.Copy(t, genContent(s)))
				}

				// Approved holds exactly when the current revision
				// has a lead approval and then a client approval of it, and
				// the content is the recorded one.
				pay := want.Status == scope.StatusClientApproved && want.Lead != nil && want.Client != nil &&
					want.Lead.Revision == want.Revision && want.Client.Revision == want.Revision &&
					!want.Client.At.Before(want.Lead.At) && cur == want.Digest
				if got := s.Approved(); got != pay {
					t.Fatalf("Approved %v, model says %v (status %s, revision %d, content recorded %v)", got, pay, want.Status, want.Revision, cur == want.Digest)
				}
				if opened {
					approved, digest := rvCheckHistory(t, &s)
					if digest != want.Digest {
						t.Fatalf("history records digest %.8s, review %.8s", digest, want.Digest)
					}
					if h := approved && cur == digest; h != pay {
						t.Fatalf("Approved %v, but the history says %v", pay, h)
					}
				}
				rvCheckDuties(t, &s)
				recorded := opened && cur == want.Digest
				approvals := scope.ApprovalsNone
				switch {
				case pay:
					approvals = scope.ApprovalsLeadAndClient
				case recorded && want.Lead != nil:
					approvals = scope.ApprovalsLead
				}
				if got := s.Approvals(); got != approvals {
					t.Fatalf("Approvals %s, model says %s (status %s, revision %d, content recorded %v)", got, approvals, want.Status, want.Revision, cur == want.Digest)
				}
				wantRef := scope.Ref{ID: s.ID, DealID: s.DealID, Revision: want.Revision, Digest: want.Digest,
					Approvals: approvals, Reconciled: rvProposal.DealID == s.DealID}
				ref := s.Ref(rvProposal, scope.Feasibility{})
				wantRef.Unresolved = ref.Unresolved // judged by the reconciliation tests
				wantRef.Categories = s.Categories()
				if !reflect.DeepEqual(ref, wantRef) {
					t.Fatalf("ref %+v, want %+v", ref, wantRef)
				}
			},
		})
	})
}

// rvCall is one workflow call on a scope, by an actor, at a time.
type rvCall struct {
	name string
	call func(s *scope.SOW, by accord.Actor, at time.Time) error
}

// rvCalls are every workflow call, each as it would succeed with the right
// actor: a lead or client approval names the current revision, and a
// discrepancy to resolve is the price.
var rvCalls = []rvCall{
	{"open", func(s *scope.SOW, by accord.Actor, at time.Time) error { return s.Open(by, at) }},
	{"revise", func(s *scope.SOW, by accord.Actor, at time.Time) error { return s.Revise(by, at) }},
	{"submit", func(s *scope.SOW, by accord.Actor, at time.Time) error { return s.Submit(accord.Calendar{}, by, at) }},
	{"request changes", func(s *scope.SOW, by accord.Actor, at time.Time) error {
		return s.RequestChanges([]scope.Comment{{Step: "configure", Text: "too tight"}}, by, at)
	}},
	{"approve as lead", func(s *scope.SOW, by accord.Actor, at time.Time) error {
		return s.ApproveAsLead(rvReview(rvRevision(s)), by, at)
	}},
	{"approve for the client", func(s *scope.SOW, by accord.Actor, at time.Time) error {
		return s.ApproveAsClient(rvRevision(s), by, at)
	}},
	{"resolve", func(s *scope.SOW, by accord.Actor, at time.Time) error {
		return s.Resolve(rvProposal, scope.Feasibility{}, rvPriceDiscrepancy, scope.ChangeProposal, "proposal corrected", by, at)
	}},
}

var rvPriceDiscrepancy = scope.Discrepancy{Kind: scope.PriceMismatch, Proposed: "45000 USD", Scoped: "48000 USD"}

func rvRevision(s *scope.SOW) int {
	if s == nil {
		return 1
	}
	return s.Review.Revision
}

// TestReviewNil: every call on a nil scope is refused as invalid, and the
// queries answer as for no scope.
func TestReviewNil(t *testing.T) {
	var s *scope.SOW
	for _, c := range rvCalls {
		err := c.call(s, rvRep, rvT0)
		if !errors.Is(err, accord.ErrInvalid) || err.Error() != "sow: is nil" || !slices.Equal(errtest.Fields(err), []string{"sow"}) {
			t.Errorf("%s on a nil scope: got %v, want the FieldError sow: is nil", c.name, err)
		}
	}
	if s.Approved() {
		t.Error("a nil scope allows payment")
	}
	if got, want := s.Digest(), (&scope.SOW{}).Digest(); got != want {
		t.Errorf("nil digest %s, want the empty scope's %s", got, want)
	}
	if got := s.Ref(rvProposal, scope.Feasibility{}); !reflect.DeepEqual(got, scope.Ref{}) {
		t.Errorf("nil ref %+v, want the zero Ref", got)
	}
}

// TestReviewBeforeOpen: every call but Open on a scope whose review was
// never opened is a conflict, and changes nothing.
func TestReviewBeforeOpen(t *testing.T) {
	actions := map[string]string{
		"revise": "revise", "submit": "submit", "request changes": "request changes",
		"approve as lead": "approve", "approve for the client": "approve", "resolve": "resolve",
	}
	for _, c := range rvCalls[1:] {
		s := exampleSOW()
		by := map[string]accord.Actor{"request changes": rvLead, "approve as lead": rvLead, "approve for the client": rvClient, "resolve": rvManager}[c.name]
		if by.ID == "" {
			by = rvRep
		}
		err := c.call(&s, by, rvT0)
		want := fmt.Sprintf(`accord: conflict: scope "sow-1": cannot %s: the review is not opened; call Open first`, actions[c.name])
		if !errors.Is(err, accord.ErrConflict) || err.Error() != want {
			t.Errorf("%s before Open:\n got %v\nwant %s", c.name, err, want)
		}
		rvUnchanged(t, c.name+" before Open", exampleSOW(), &s)
	}
}

// TestReviewOpen: Open records revision 1 in draft, once.
func TestReviewOpen(t *testing.T) {
	s := exampleSOW()
	digest := s.Digest()
	rvMust(t, s.Open(rvRep, rvT0))
	want := scope.Review{Status: scope.StatusDraft, Author: "u-7", Revision: 1, Digest: digest, RevisedBy: "u-7",
		History: []scope.Event{{Kind: scope.EventOpened, To: scope.StatusDraft, Revision: 1, Digest: digest, By: rvRep, At: rvT0}}}
	if diff := genDiff(want, s.Review); diff != "" {
		t.Fatalf("review after Open (-want +got):\n%s", diff)
	}
	if s.Digest() != digest {
		t.Fatal("opening the review changed the digest: the review is not content")
	}
	before := jsontest.Copy(t, s)
	err := s.Open(rvManager, rvHours(1))
	if !errors.Is(err, accord.ErrConflict) || err.Error() != `accord: conflict: scope "sow-1": already opened, in status draft` {
		t.Fatalf("second Open: got %v", err)
	}
	rvUnchanged(t, "a second Open", before, &s)
}

// TestReviewRoles: each call is refused as forbidden for every role but
// the ones allowed to make it, with the reason, and changes nothing.
func TestReviewRoles(t *testing.T) {
	editors := "sales_rep sales_manager implementation_lead admin"
	cases := []struct {
		call    string
		status  scope.Status // where the call would succeed
		allowed string
		refusal string
	}{
		{"open", "", editors, "may not write a scope"},
		{"revise", scope.StatusDraft, editors, "may not edit a scope"},
		{"submit", scope.StatusDraft, editors, "may not submit a scope"},
		{"request changes", scope.StatusSubmitted, "implementation_lead", "may not request changes: only an implementation lead reviews a scope"},
		{"approve as lead", scope.StatusSubmitted, "implementation_lead", "may not approve a scope as implementation lead"},
		{"approve for the client", scope.StatusLeadApproved, "client", "may not approve a scope for the client"},
		{"resolve", scope.StatusDraft, "sales_manager implementation_lead admin", "may not decide a discrepancy"},
	}
	for _, tc := range cases {
		i := slices.IndexFunc(rvCalls, func(c rvCall) bool { return c.name == tc.call })
		for _, role := range accord.Roles() {
			t.Run(tc.call+"/"+string(role), func(t *testing.T) {
				var s *scope.SOW
				if tc.status == "" {
					x := exampleSOW()
					s = &x
				} else {
					s = rvAt(t, tc.status)
				}
				if tc.call == "revise" {
					s.Assumptions = append(s.Assumptions, "the client names a data owner")
				}
				before := jsontest.Copy(t, *s)
				// u-5 wrote nothing, so a lead may approve.
				err := rvCalls[i].call(s, accord.Actor{ID: "u-5", Role: role}, rvHours(10))
				if slices.Contains(strings.Fields(tc.allowed), string(role)) {
					if err != nil {
						t.Fatalf("%s by %s: %v", tc.call, role, err)
					}
					return
				}
				want := fmt.Sprintf(`accord: forbidden: scope "sow-1": role %s %s`, role, tc.refusal)
				if !errors.Is(err, accord.ErrForbidden) || err.Error() != want {
					t.Fatalf("%s by %s:\n got %v\nwant %s", tc.call, role, err, want)
				}
				rvUnchanged(t, "a forbidden "+tc.call, before, s)
			})
		}
	}
}

// TestReviewSeparationOfDuties: an implementation lead who wrote the scope,
// or a revision in the current review cycle, cannot approve it; one who
// wrote a revision in an earlier cycle can.
func TestReviewSeparationOfDuties(t *testing.T) {
	wrote := func(id string) string {
		return fmt.Sprintf(`accord: forbidden: scope "sow-1": %s wrote this scope and cannot approve it as implementation lead`, id)
	}
	t.Run("author holds the lead role too", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted) // opened by u-7 as a rep
		before := jsontest.Copy(t, *s)
		err := s.ApproveAsLead(rvReview(1), accord.Actor{ID: "u-7", Role: accord.RoleImplementationLead}, rvHours(5))
		if !errors.Is(err, accord.ErrForbidden) || err.Error() != wrote("u-7") {
			t.Fatalf("got %v", err)
		}
		rvUnchanged(t, "the author's approval", before, s)
	})
	t.Run("author is a lead", func(t *testing.T) {
		s := exampleSOW()
		rvMust(t, s.Open(rvLead, rvHours(0)))
		rvMust(t, s.Submit(accord.Calendar{}, rvLead, rvHours(1)))
		if err := s.ApproveAsLead(rvReview(1), rvLead, rvHours(2)); !errors.Is(err, accord.ErrForbidden) || err.Error() != wrote("u-9") {
			t.Fatalf("got %v", err)
		}
		rvMust(t, s.ApproveAsLead(rvReview(1), rvLead2, rvHours(2)))
	})
	t.Run("revision author", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted)
		// The lead u-8 rewrites the configuration step herself.
		s.Steps[1].Effort = hours(36)
		rvMust(t, s.Revise(rvLead2, rvHours(2)))
		if s.Review.Status != scope.StatusChangesRequested || s.Review.RevisedBy != "u-8" {
			t.Fatalf("after the lead's edit: status %s, revised by %s", s.Review.Status, s.Review.RevisedBy)
		}
		rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(3))) // records nothing new: u-8 wrote revision 2
		before := jsontest.Copy(t, *s)
		want := `accord: forbidden: scope "sow-1": u-8 recorded revision 2 and cannot approve it as implementation lead`
		if err := s.ApproveAsLead(rvReview(2), rvLead2, rvHours(4)); !errors.Is(err, accord.ErrForbidden) || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
		rvUnchanged(t, "the revision author's approval", before, s)
		// The rep writes revision 3: u-8 no longer wrote the current one,
		// but wrote revision 2 in this review cycle.
		s.Assumptions = append(s.Assumptions, "the client names a data owner")
		rvMust(t, s.Revise(rvRep, rvHours(5)))
		rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(5)))
		want = `accord: forbidden: scope "sow-1": u-8 recorded revision 2 in this review cycle and cannot approve it as implementation lead`
		if err := s.ApproveAsLead(rvReview(3), rvLead2, rvHours(6)); !errors.Is(err, accord.ErrForbidden) || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
		// Another lead sends it back: a new cycle, in which u-8 wrote
		// nothing, begins.
		rvMust(t, s.RequestChanges([]scope.Comment{{Text: "name the data owner"}}, rvLead, rvHours(6)))
		s.Assumptions = append(s.Assumptions, "the data owner is Dana Ruiz")
		rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(7)))
		rvMust(t, s.ApproveAsLead(rvReview(4), rvLead2, rvHours(8)))
		if s.Review.Lead == nil || s.Review.Lead.By != rvLead2 || s.Review.Lead.Revision != 4 {
			t.Fatalf("lead approval %+v", s.Review.Lead)
		}
	})
}

// TestReviewStale: an approval of another revision, or of content edited
// since it was recorded, is a conflict.
func TestReviewStale(t *testing.T) {
	cases := []struct {
		name   string
		status scope.Status
		edit   bool
		call   func(s *scope.SOW) error
		want   string
	}{
		{"lead names a later revision", scope.StatusSubmitted, false,
			func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(2), rvLead, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve revision 2: the current revision is 1`},
		{"lead names revision 0", scope.StatusSubmitted, false,
			func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(0), rvLead, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve revision 0: the current revision is 1`},
		{"client names an earlier revision", scope.StatusResubmitted, false,
			func(s *scope.SOW) error {
				rvMust(t, s.ApproveAsLead(rvReview(2), rvLead, rvHours(8)))
				return s.ApproveAsClient(1, rvClient, rvHours(9))
			},
			`accord: conflict: scope "sow-1": cannot approve revision 1: the current revision is 2`},
		{"lead approves unrecorded edits", scope.StatusSubmitted, true,
			func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), rvLead, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve: the content was edited after revision 1 was recorded; record it with Revise`},
		{"lead requests changes on unrecorded edits", scope.StatusSubmitted, true,
			func(s *scope.SOW) error {
				return s.RequestChanges([]scope.Comment{{Text: "shorter"}}, rvLead, rvHours(9))
			},
			`accord: conflict: scope "sow-1": cannot request changes: the content was edited after revision 1 was recorded; record it with Revise`},
		{"client approves unrecorded edits", scope.StatusLeadApproved, true,
			func(s *scope.SOW) error { return s.ApproveAsClient(1, rvClient, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve: the content was edited after revision 1 was recorded; record it with Revise`},
		{"lead approves twice", scope.StatusLeadApproved, false,
			func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), rvLead2, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve as implementation lead in status lead_approved`},
		{"client approves twice", scope.StatusClientApproved, false,
			func(s *scope.SOW) error { return s.ApproveAsClient(1, rvClient, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot approve for the client in status client_approved`},
		{"submit in review", scope.StatusSubmitted, false,
			func(s *scope.SOW) error { return s.Submit(accord.Calendar{}, rvRep, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot submit in status submitted`},
		{"request changes after approval", scope.StatusLeadApproved, false,
			func(s *scope.SOW) error { return s.RequestChanges([]scope.Comment{{Text: "x"}}, rvLead2, rvHours(9)) },
			`accord: conflict: scope "sow-1": cannot request changes in status lead_approved`},
		{"resolve twice", scope.StatusDraft, false,
			func(s *scope.SOW) error {
				rvMust(t, s.Resolve(rvProposal, scope.Feasibility{}, rvPriceDiscrepancy, scope.ChangeScope, "", rvManager, rvHours(8)))
				return s.Resolve(rvProposal, scope.Feasibility{}, rvPriceDiscrepancy, scope.ChangeProposal, "", rvManager, rvHours(9))
			},
			`accord: conflict: scope "sow-1": discrepancy price "" is already resolved by u-2 on 2026-02-16`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := rvAt(t, tc.status)
			if tc.edit {
				s.Price.Amount = decimal.NewFromInt(50000)
			}
			err := tc.call(s)
			if !errors.Is(err, accord.ErrConflict) || errors.Is(err, accord.ErrBlocked) || err.Error() != tc.want {
				t.Fatalf("\n got %v\nwant %s", err, tc.want)
			}
			if got, want := s.Approved(), tc.status == scope.StatusClientApproved && !tc.edit; got != want {
				t.Fatalf("payment allowed %v, want %v", got, want)
			}
		})
	}
}

// TestReviewUnrecordedEdit: an edit voids payment whether or not it is
// recorded; undoing it before it is recorded gives the approved content
// back, and recording it makes a new revision with no approvals, even
// when it restores approved content.
func TestReviewUnrecordedEdit(t *testing.T) {
	s := rvAt(t, scope.StatusClientApproved)
	approved := s.Digest()
	if !s.Approved() {
		t.Fatal("payment not allowed after both approvals")
	}
	s.Steps[0].Effort = hours(16)
	if s.Approved() {
		t.Fatal("payment allowed for content no one approved")
	}
	ref := s.Ref(rvProposal, scope.Feasibility{})
	if ref.Approvals != scope.ApprovalsNone || ref.Approved() || ref.Revision != 1 || ref.Digest != approved {
		t.Fatalf("ref of unrecorded edits: %+v", ref)
	}
	s.Steps[0].Effort = hours(12)
	if !s.Approved() || s.Digest() != approved {
		t.Fatal("undoing an unrecorded edit did not give the approved content back")
	}
	// Recorded, the same round trip makes two revisions.
	s.Steps[0].Effort = hours(16)
	rvMust(t, s.Revise(rvRep, rvHours(10)))
	s.Steps[0].Effort = hours(12)
	rvMust(t, s.Revise(rvRep, rvHours(11)))
	r := s.Review
	if r.Revision != 3 || r.Digest != approved || r.Status != scope.StatusChangesRequested || r.Lead != nil || r.Client != nil || s.Approved() {
		t.Fatalf("after an edit and its undo: revision %d, digest %.8s (approved %.8s), status %s, lead %v, client %v, payment %v",
			r.Revision, r.Digest, approved, r.Status, r.Lead, r.Client, s.Approved())
	}
	if err := s.ApproveAsClient(1, rvClient, rvHours(12)); !errors.Is(err, accord.ErrConflict) {
		t.Fatalf("client approval of revision 1 after revision 3: %v", err)
	}
}

// TestReviewClientBeforeLead: a client approval before the lead's is
// refused with the unmet criterion lead_approval, in every status before
// the lead's approval, and in a stored review whose status says
// lead_approved but whose lead approval does not hold.
func TestReviewClientBeforeLead(t *testing.T) {
	unmet := []accord.Unmet{{Criterion: "lead_approval", State: "client_approved", Side: accord.SideEntry,
		Message: "The implementation lead must approve this revision before the client can.", Field: "review.lead"}}
	for _, status := range []scope.Status{scope.StatusDraft, scope.StatusSubmitted, scope.StatusChangesRequested, scope.StatusResubmitted} {
		t.Run(string(status), func(t *testing.T) {
			s := rvAt(t, status)
			before := jsontest.Copy(t, *s)
			err := s.ApproveAsClient(s.Review.Revision, rvClient, rvHours(9))
			b := rvBlocked(t, err)
			want := &accord.BlockedError{Op: accord.OpApprove, Subject: "sow-1", From: string(status), To: "client_approved", Unmet: unmet}
			if diff := genDiff(want, b); diff != "" {
				t.Fatalf("blocked error (-want +got):\n%s", diff)
			}
			// One class: a refusal, not also a conflict.
			if errors.Is(err, accord.ErrConflict) || errors.Is(err, accord.ErrInvalid) || errors.Is(err, accord.ErrForbidden) {
				t.Fatalf("%v wraps another class than ErrBlocked", err)
			}
			rvUnchanged(t, "an early client approval", before, s)
		})
	}
	forged := []struct {
		name  string
		forge func(r *scope.Review)
	}{
		{"no lead approval", func(r *scope.Review) { r.Lead = nil }},
		{"lead approval of another revision", func(r *scope.Review) { r.Lead.Revision = 2 }},
		{"lead approval by the author", func(r *scope.Review) { r.Lead.By.ID = r.Author }},
		{"lead approval by a rep", func(r *scope.Review) { r.Lead.By.Role = accord.RoleSalesRep }},
	}
	for _, tc := range forged {
		t.Run("stored/"+tc.name, func(t *testing.T) {
			s := rvAt(t, scope.StatusLeadApproved)
			tc.forge(&s.Review)
			*s = jsontest.Copy(t, *s) // as a host would load it
			before := jsontest.Copy(t, *s)
			err := s.ApproveAsClient(1, rvClient, rvHours(9))
			b := rvBlocked(t, err)
			want := &accord.BlockedError{Op: accord.OpApprove, Subject: "sow-1", From: "lead_approved", To: "client_approved", Unmet: unmet}
			if diff := genDiff(want, b); diff != "" {
				t.Fatalf("blocked error (-want +got):\n%s", diff)
			}
			rvUnchanged(t, "a client approval without the lead's", before, s)
		})
	}
}

// TestReviewSubmitBlocked: a submission lists every missing part, in
// order, and after a request for changes needs changed content.
func TestReviewSubmitBlocked(t *testing.T) {
	t.Run("everything missing", func(t *testing.T) {
		s := scope.SOW{ID: "sow-1"}
		rvMust(t, s.Open(rvRep, rvT0))
		before := jsontest.Copy(t, s)
		err := s.Submit(accord.Calendar{}, rvRep, rvHours(1))
		b := rvBlocked(t, err)
		var want []accord.Unmet
		for _, c := range []struct{ id, field, message string }{
			{"requirements", "requirements", "List the requirements gathered in discovery."},
			{"deliverables", "deliverables", "List the deliverables."},
			{"sequence", "steps", "Write the day-by-day implementation sequence."},
			{"start", "start", "Set the implementation start date."},
			{"price", "price", "Set the price."},
			// What Validate finds beyond them, once per field.
			{"valid", "deal_id", "is required"},
		} {
			want = append(want, accord.Unmet{Criterion: c.id, State: "draft", Side: accord.SideExit, Message: c.message, Field: c.field})
		}
		if diff := genDiff(&accord.BlockedError{Op: accord.OpSubmit, Subject: "sow-1", From: "draft", To: "submitted", Unmet: want}, b); diff != "" {
			t.Fatalf("blocked error (-want +got):\n%s", diff)
		}
		if errors.Is(err, accord.ErrConflict) || errors.Is(err, accord.ErrInvalid) {
			t.Fatalf("%v is more than blocked", err)
		}
		rvUnchanged(t, "a blocked submission", before, &s)
	})
	t.Run("price missing", func(t *testing.T) {
		s := exampleSOW()
		s.Price = accord.Money{}
		rvMust(t, s.Open(rvRep, rvT0))
		if got := rvCriteria(rvBlocked(t, s.Submit(accord.Calendar{}, rvRep, rvHours(1)))); !slices.Equal(got, []string{"price"}) {
			t.Fatalf("unmet %v, want [price]", got)
		}
	})
	t.Run("resubmitted unchanged", func(t *testing.T) {
		s := rvAt(t, scope.StatusChangesRequested)
		requested := s.Digest()
		check := func(when string) {
			t.Helper()
			before := jsontest.Copy(t, *s)
			b := rvBlocked(t, s.Submit(accord.Calendar{}, rvRep, rvHours(9)))
			want := []accord.Unmet{{Criterion: "changes_made", State: "changes_requested", Side: accord.SideExit, Field: "content",
				Message: "Change the scope as the implementation lead asked: its content is the same as when changes were requested."}}
			if diff := genDiff(want, b.Unmet); diff != "" || b.From != "changes_requested" || b.To != "resubmitted" {
				t.Fatalf("%s: blocked %s→%s (-want +got):\n%s", when, b.From, b.To, diff)
			}
			rvUnchanged(t, "a blocked resubmission", before, s)
		}
		check("no edit")
		s.Steps[1].Effort = hours(36)
		s.Steps[1].Effort = hours(48)
		check("an edit undone before it was recorded")
		s.Steps[1].Effort = hours(36)
		rvMust(t, s.Revise(rvRep, rvHours(3)))
		s.Steps[1].Effort = hours(48)
		rvMust(t, s.Revise(rvRep, rvHours(4)))
		if s.Digest() != requested || s.Review.Revision != 3 {
			t.Fatalf("revision %d, digest changed %v", s.Review.Revision, s.Digest() != requested)
		}
		check("an edit undone and recorded")
		s.Steps[1].Effort = hours(36)
		rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(9)))
		if r := s.Review; r.Status != scope.StatusResubmitted || r.Revision != 4 {
			t.Fatalf("after resubmitting changed content: %s revision %d", r.Status, r.Revision)
		}
		h := s.Review.History[len(s.Review.History)-2:]
		if h[0].Kind != scope.EventRevised || h[0].Revision != 4 || h[1].Kind != scope.EventSubmitted || h[1].From != scope.StatusChangesRequested || h[1].To != scope.StatusResubmitted {
			t.Fatalf("last events %+v", h)
		}
	})
}

// TestReviewComments: a request for changes needs comments, each with a
// text, naming only steps and deliverables of the scope; every problem is
// reported, and a valid request stores the comments with the revision.
func TestReviewComments(t *testing.T) {
	cases := []struct {
		name     string
		comments []scope.Comment
		fields   []string
		message  string
	}{
		{"none", nil, []string{"comments"}, `scope "sow-1": request changes: comments: at least one is required`},
		{"empty", []scope.Comment{}, []string{"comments"}, `scope "sow-1": request changes: comments: at least one is required`},
		{"every problem", []scope.Comment{
			{Step: "configure", Text: " \n"},
			{Step: "nope", Text: "x"},
			{Deliverable: "gone", Text: "y"},
			{Step: "pipeline", Deliverable: "configure"},
			{Step: "configure", Deliverable: "pipeline", Text: "fine"},
		}, []string{"comments[0].text", "comments[1].step", "comments[2].deliverable", "comments[3].text", "comments[3].step", "comments[3].deliverable"},
			`scope "sow-1": request changes: comments[0].text: is required` + "\n" +
				`comments[1].step: names unknown step "nope"` + "\n" +
				`comments[2].deliverable: names unknown deliverable "gone"` + "\n" +
				`comments[3].text: is required` + "\n" +
				`comments[3].step: names unknown step "pipeline"` + "\n" +
				`comments[3].deliverable: names unknown deliverable "configure"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := rvAt(t, scope.StatusSubmitted)
			before := jsontest.Copy(t, *s)
			err := s.RequestChanges(tc.comments, rvLead, rvHours(5))
			if !errors.Is(err, accord.ErrInvalid) || !slices.Equal(errtest.Fields(err), tc.fields) || err.Error() != tc.message {
				t.Fatalf("got %v (fields %v), want fields %v:\n%s", err, errtest.Fields(err), tc.fields, tc.message)
			}
			rvUnchanged(t, "an invalid request for changes", before, s)
		})
	}
	s := rvAt(t, scope.StatusSubmitted)
	rvMust(t, s.RequestChanges([]scope.Comment{{Step: "configure", Text: "16 hours a day", Revision: 7, By: rvRep}, {Deliverable: "erp-sync", Text: "which ERP?"}, {Text: "add a pilot"}}, rvLead, rvHours(5)))
	want := []scope.Comment{
		{Step: "configure", Text: "16 hours a day", Revision: 1, By: rvLead, At: rvHours(5)},
		{Deliverable: "erp-sync", Text: "which ERP?", Revision: 1, By: rvLead, At: rvHours(5)},
		{Text: "add a pilot", Revision: 1, By: rvLead, At: rvHours(5)},
	}
	if diff := genDiff(want, s.Review.Comments); diff != "" {
		t.Fatalf("comments (-want +got):\n%s", diff)
	}
	if s.Review.Status != scope.StatusChangesRequested {
		t.Fatalf("status %s", s.Review.Status)
	}
}

// TestReviewTimeAndActor: every call refuses a missing time, a time before
// the last review event and an invalid actor, naming the fields, before it
// looks at the actor's role.
func TestReviewTimeAndActor(t *testing.T) {
	last := rvHours(1) // the submission
	for _, c := range rvCalls[1:] {
		t.Run(c.name, func(t *testing.T) {
			cases := []struct {
				by     accord.Actor
				at     time.Time
				fields []string
				rule   string
			}{
				{rvLead, last.Add(-time.Second), []string{"at"}, "at: 2026-02-16T09:59:59Z is before the last review event, at 2026-02-16T10:00:00Z"},
				{rvLead, time.Time{}, []string{"at"}, "at: is required"},
				{accord.Actor{Role: "boss"}, last, []string{"by.id", "by.role"}, ""},
				{accord.Actor{Role: "boss"}, time.Time{}, []string{"by.id", "by.role", "at"}, ""},
			}
			for _, tc := range cases {
				s := rvAt(t, scope.StatusSubmitted)
				before := jsontest.Copy(t, *s)
				err := c.call(s, tc.by, tc.at)
				if !errors.Is(err, accord.ErrInvalid) || errors.Is(err, accord.ErrForbidden) || !slices.Equal(errtest.Fields(err), tc.fields) {
					t.Fatalf("%s by %+v at %v: got %v, want fields %v", c.name, tc.by, tc.at, err, tc.fields)
				}
				if tc.rule != "" && !strings.HasSuffix(err.Error(), ": "+tc.rule) {
					t.Fatalf("%s: got %q, want it to end with %q", c.name, err, tc.rule)
				}
				rvUnchanged(t, c.name+" refused", before, s)
			}
			// At the time of the last event is not before it.
			s := rvAt(t, scope.StatusSubmitted)
			if err := c.call(s, rvLead, last); errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("%s at the time of the last event: %v", c.name, err)
			}
		})
	}
}

// TestDigest: the digest is a function of the content alone; an edit
// changes it and undoing the edit gives it back.
func TestDigest(t *testing.T) {
	s := exampleSOW()
	d0 := s.Digest()
	if len(d0) != 64 || strings.Trim(d0, "0123456789abcdef") != "" {
		t.Fatalf("digest %q is not hex SHA-256", d0)
	}
	if x := exampleSOW(); x.Digest() != d0 {
		t.Fatal("equal contents, different digests")
	}
	rvMust(t, s.Open(rvRep, rvT0))
	rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(1)))
	if s.Digest() != d0 {
		t.Fatal("the review changed the digest")
	}
	edits := []struct {
		name string
		edit func(s *scope.SOW)
	}{
		{"effort", func(s *scope.SOW) { s.Steps[2].Effort = hours(13) }},
		{"effort scale", func(s *scope.SOW) { s.Steps[2].Effort = decimal.New(125, -1) }},
		{"assumption", func(s *scope.SOW) { s.Assumptions = append(s.Assumptions, "x") }},
		{"price", func(s *scope.SOW) { s.Price.Amount = decimal.NewFromInt(48001) }},
		{"price scale", func(s *scope.SOW) { s.Price.Amount = decimal.RequireFromString("48000.00") }},
		{"no deliverable", func(s *scope.SOW) { s.Deliverables = s.Deliverables[1:] }},
		{"nil deliverables", func(s *scope.SOW) { s.Deliverables = nil }},
		{"empty deliverables", func(s *scope.SOW) { s.Deliverables = []scope.Deliverable{} }},
		{"start zone", func(s *scope.SOW) { s.Start = s.Start.In(time.FixedZone("", 3600)) }},
		{"step order", func(s *scope.SOW) { s.Steps[0], s.Steps[1] = s.Steps[1], s.Steps[0] }},
	}
	seen := map[string]string{d0: "original"}
	for _, e := range edits {
		c := exampleSOW()
		e.edit(&c)
		d := c.Digest()
		if other, ok := seen[d]; ok {
			t.Errorf("edit %s gives the digest of %s", e.name, other)
		}
		seen[d] = e.name
		if again := c.Digest(); again != d {
			t.Errorf("edit %s: digest not stable", e.name)
		}
	}
	if (&scope.SOW{}).Digest() != (&scope.SOW{Review: scope.Review{Status: scope.StatusDraft, Revision: 4}}).Digest() {
		t.Error("the review changes the digest of an empty scope")
	}
}

// TestDigestExtremeQuantity: content whose quantities have exponents that
// cannot be formatted cheaply gets a digest at once, distinct per
// quantity, and cannot be recorded.
func TestDigestExtremeQuantity(t *testing.T) {
	digests := map[string]bool{}
	for _, q := range []string{"1e-2147483648", "1e-2147483647", "1e2147483647", "0e2147483647", "2e-2147483648"} {
		for _, where := range []string{"entitlement", "step", "second step"} {
			s := exampleSOW()
			switch where {
			case "entitlement":
				s.Entitlements[0].Quantity = decimal.RequireFromString(q)
			case "step":
				s.Steps[0].Effort = decimal.RequireFromString(q)
			default:
				s.Steps[1].Effort = decimal.RequireFromString(q)
			}
			d := s.Digest()
			if digests[d] {
				t.Errorf("%s %s: digest seen before", where, q)
			}
			digests[d] = true
			err := s.Open(rvRep, rvT0)
			if !errors.Is(err, accord.ErrInvalid) || !strings.Contains(err.Error(), "has an exponent beyond ±1000") {
				t.Errorf("%s %s: open: %v", where, q, err)
			}
			s.Review = scope.Review{}
			if s.Approved() || s.Ref(rvProposal, scope.Feasibility{}).Approved() {
				t.Errorf("%s %s: payment allowed", where, q)
			}
		}
	}
}

// TestApprovedForgedReview: a stored review that claims both
// approvals allows payment only when they hold: of the current revision
// and digest, by a lead who wrote neither the scope nor the revision and
// then by a client, and the content is the recorded one.
func TestApprovedForgedReview(t *testing.T) {
	cases := []struct {
		name  string
		forge func(s *scope.SOW)
		pay   bool
	}{
		{"as approved", func(s *scope.SOW) {}, true},
		{"a comment added", func(s *scope.SOW) { s.Review.Comments = append(s.Review.Comments, scope.Comment{Text: "x"}) }, true},
		// An approval with no matching review event is a forgery: the
		// review disagrees with its history (SOW.Verify) and approves
		// nothing.
		{"client at the lead's time", func(s *scope.SOW) { s.Review.Client.At = s.Review.Lead.At }, false},
		{"status lead_approved", func(s *scope.SOW) { s.Review.Status = scope.StatusLeadApproved }, false},
		{"no lead approval", func(s *scope.SOW) { s.Review.Lead = nil }, false},
		{"no client approval", func(s *scope.SOW) { s.Review.Client = nil }, false},
		{"lead approved another revision", func(s *scope.SOW) { s.Review.Lead.Revision = 2 }, false},
		{"client approved another revision", func(s *scope.SOW) { s.Review.Client.Revision = 0 }, false},
		{"lead approved other content", func(s *scope.SOW) { s.Review.Lead.Digest = "x" }, false},
		{"client approved other content", func(s *scope.SOW) { s.Review.Client.Digest = "x" }, false},
		{"lead approval by a rep", func(s *scope.SOW) { s.Review.Lead.By.Role = accord.RoleSalesRep }, false},
		{"lead approval by an admin", func(s *scope.SOW) { s.Review.Lead.By.Role = accord.RoleAdmin }, false},
		{"lead approval by the author", func(s *scope.SOW) { s.Review.Lead.By.ID = "u-7" }, false},
		{"lead approval by the revision author", func(s *scope.SOW) { s.Review.RevisedBy = "u-9" }, false},
		{"lead approval by no one", func(s *scope.SOW) { s.Review.Lead.By.ID = "" }, false},
		{"client approval by a lead", func(s *scope.SOW) { s.Review.Client.By.Role = accord.RoleImplementationLead }, false},
		{"client approval by no one", func(s *scope.SOW) { s.Review.Client.By.ID = "" }, false},
		{"client before the lead", func(s *scope.SOW) { s.Review.Client.At = s.Review.Lead.At.Add(-time.Second) }, false},
		{"a later revision", func(s *scope.SOW) { s.Review.Revision = 2 }, false},
		{"another recorded digest", func(s *scope.SOW) { s.Review.Digest = (&scope.SOW{}).Digest() }, false},
		{"content edited", func(s *scope.SOW) { s.Title = "other" }, false},
		{"content edited, digests forged to match", func(s *scope.SOW) {
			s.Title = "other"
			d := s.Digest()
			s.Review.Digest, s.Review.Lead.Digest, s.Review.Client.Digest = d, d, d
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := rvAt(t, scope.StatusClientApproved)
			tc.forge(s)
			back := jsontest.Copy(t, *s)
			for _, x := range []*scope.SOW{s, &back} {
				if got := x.Approved(); got != tc.pay {
					t.Fatalf("Approved %v, want %v", got, tc.pay)
				}
				ref := x.Ref(rvProposal, scope.Feasibility{})
				if got := ref.Approved(); got != tc.pay {
					t.Fatalf("Ref.Approved %v, want %v", got, tc.pay)
				}
				if ref.Approvals != x.Approvals() {
					t.Fatalf("Ref.Approvals %s, SOW.Approvals %s", ref.Approvals, x.Approvals())
				}
			}
		})
	}
}

// TestReviewJSONRoundTrip: a scope in any reachable review state, and an
// arbitrary one, round-trips through JSON to an equal value with the same
// digest, payment and reference.
func TestReviewJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s scope.SOW
		if rapid.Bool().Draw(t, "arbitrary") {
			s = genSOW().Draw(t, "sow")
		} else {
			s = genReviewed(t).Draw(t, "sow")
		}
		back := jsontest.Copy(t, s)
		if diff := genDiff(s, back); diff != "" {
			t.Fatalf("round trip differs (-before +after):\n%s", diff)
		}
		if s.Digest() != back.Digest() || s.Approved() != back.Approved() {
			t.Fatalf("digest %s / %s, payment %v / %v", s.Digest(), back.Digest(), s.Approved(), back.Approved())
		}
		if a, b := s.Ref(rvProposal, scope.Feasibility{}), back.Ref(rvProposal, scope.Feasibility{}); !reflect.DeepEqual(a, b) {
			t.Fatalf("ref %+v, after the round trip %+v", a, b)
		}
		// And again, to a fixed point.
		if diff := genDiff(back, jsontest.Copy(t, back)); diff != "" {
			t.Fatalf("second round trip differs:\n%s", diff)
		}
	})
}

// TestReviewArbitrary calls every workflow call on arbitrary scopes, with
// arbitrary reviews, actors and times. A panic fails the test; so does a
// refused call that changes the scope, an error of no known class, and
// payment allowed on a review whose approvals do not hold.
func TestReviewArbitrary(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSOW().Draw(t, "sow")
		by := genActor().Draw(t, "by")
		at := gen.Time().Draw(t, "at")
		if r := &s.Review; r.Status == scope.StatusClientApproved && s.Approved() {
			lead, client := r.Lead, r.Client
			if lead == nil || client == nil || lead.Revision != r.Revision || client.Revision != r.Revision ||
				lead.Digest != r.Digest || client.Digest != r.Digest || r.Digest != s.Digest() ||
				lead.By.Role != accord.RoleImplementationLead || client.By.Role != accord.RoleClient ||
				lead.By.ID == "" || lead.By.ID == r.Author || lead.By.ID == r.RevisedBy || client.At.Before(lead.At) {
				t.Fatalf("payment allowed on review %+v", r)
			}
		}
		_ = s.Ref(genProposal().Draw(t, "proposal"), scope.Feasibility{})
		for _, c := range rvCalls {
			x := jsontest.Copy(t, s)
			err := c.call(&x, by, at)
			if err == nil {
				continue
			}
			if !errors.Is(err, accord.ErrInvalid) && !errors.Is(err, accord.ErrForbidden) && !errors.Is(err, accord.ErrConflict) && !errors.Is(err, accord.ErrBlocked) {
				t.Fatalf("%s: error of no class: %v", c.name, err)
			}
			rvUnchanged(t, "refused "+c.name, jsontest.Copy(t, s), &x)
		}
	})
}

// rvSigned is exampleSOW naming two client signatories, c-1 and c-2,
// submitted by the rep: ready for the lead.
func rvSigned(t *testing.T) *scope.SOW {
	t.Helper()
	s := exampleSOW()
	s.Signatories = []string{"c-1", " c-2 "}
	rvMust(t, s.Open(rvRep, rvHours(0)))
	rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(1)))
	return &s
}

// TestSeparationOfDuties: every duty that conflicts refuses the approval
// with ErrForbidden, says which, and changes nothing; IDs are compared
// after trimming, and a blank one is no one.
func TestSeparationOfDuties(t *testing.T) {
	asLead := func(id string) accord.Actor { return accord.Actor{ID: id, Role: accord.RoleImplementationLead} }
	asClient := func(id string) accord.Actor { return accord.Actor{ID: id, Role: accord.RoleClient} }
	leadApproved := func(t *testing.T) *scope.SOW {
		s := rvSigned(t)
		rvMust(t, s.ApproveAsLead(rvReview(1), rvLead, rvHours(2)))
		return s
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) *scope.SOW
		call  func(s *scope.SOW) error
		class error
		want  string // the error, exactly; fields for ErrInvalid
	}{
		{"the author as lead, padded", rvSigned, func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), asLead(" u-7 "), rvHours(2)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": u-7 wrote this scope and cannot approve it as implementation lead`},
		{"a signatory as lead", rvSigned, func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), asLead("c-2"), rvHours(2)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": c-2 is a client signatory of this scope and cannot approve it as implementation lead`},
		{"a blank lead", rvSigned, func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), asLead(" \t"), rvHours(2)) },
			accord.ErrInvalid, "by.id"},
		{"the author as client", leadApproved, func(s *scope.SOW) error { return s.ApproveAsClient(1, asClient("u-7"), rvHours(3)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": u-7 wrote this scope and cannot approve it for the client`},
		{"the lead as client", leadApproved, func(s *scope.SOW) error { return s.ApproveAsClient(1, asClient("u-9\t"), rvHours(3)) },
			accord.ErrForbidden, "accord: forbidden: scope \"sow-1\": u-9 approved revision 1 as implementation lead and cannot approve it for the client"},
		{"a reviser as client", func(t *testing.T) *scope.SOW {
			s := rvSigned(t)
			rvMust(t, s.RequestChanges([]scope.Comment{{Text: "name a data owner"}}, rvLead, rvHours(2)))
			s.Assumptions = append(s.Assumptions, "the data owner is Dana")
			rvMust(t, s.Revise(rvManager, rvHours(3)))
			s.Assumptions = append(s.Assumptions, "Dana signs off the data")
			rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(4)))
			rvMust(t, s.ApproveAsLead(rvReview(3), rvLead, rvHours(5)))
			return s
		}, func(s *scope.SOW) error { return s.ApproveAsClient(3, asClient("u-2"), rvHours(6)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": u-2 recorded revision 2 and cannot approve it for the client`},
		{"a client who is not a signatory", leadApproved, func(s *scope.SOW) error { return s.ApproveAsClient(1, asClient("c-9"), rvHours(3)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": c-9 is not one of the scope's signatories ("c-1", " c-2 ") and cannot approve it for the client`},
		{"a blank client", leadApproved, func(s *scope.SOW) error { return s.ApproveAsClient(1, asClient(""), rvHours(3)) },
			accord.ErrInvalid, "by.id"},
		{"a client who approved becomes a lead", func(t *testing.T) *scope.SOW {
			s := leadApproved(t)
			rvMust(t, s.ApproveAsClient(1, asClient("c-1"), rvHours(3)))
			s.Signatories = []string{"c-2"}
			rvMust(t, s.Revise(rvRep, rvHours(4)))
			rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(4)))
			return s
		}, func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(2), asLead("c-1"), rvHours(5)) },
			accord.ErrForbidden, `accord: forbidden: scope "sow-1": c-1 approved revision 1 for the client and cannot approve it as implementation lead`},
		{"the author decides a discrepancy", rvSigned, func(s *scope.SOW) error {
			return s.Resolve(rvProposal, scope.Feasibility{}, rvPriceDiscrepancy, scope.ChangeScope, "", accord.Actor{ID: "u-7 ", Role: accord.RoleSalesManager}, rvHours(2))
		}, accord.ErrForbidden, `accord: forbidden: scope "sow-1": u-7 wrote this scope and cannot decide its discrepancies`},
		// Who may.
		{"a signatory, padded, as client", leadApproved, func(s *scope.SOW) error { return s.ApproveAsClient(1, asClient("c-2"), rvHours(3)) }, nil, ""},
		{"another lead", rvSigned, func(s *scope.SOW) error { return s.ApproveAsLead(rvReview(1), rvLead2, rvHours(2)) }, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.setup(t)
			before := jsontest.Copy(t, *s)
			err := tt.call(s)
			switch {
			case tt.class == nil:
				rvMust(t, err)
				rvCheckDuties(t, s)
				return
			case !errors.Is(err, tt.class):
				t.Fatalf("got %v, want %v", err, tt.class)
			case tt.class == accord.ErrInvalid:
				if got := errtest.Fields(err); !slices.Equal(got, []string{tt.want}) {
					t.Fatalf("fields %v, want [%s]", got, tt.want)
				}
			case err.Error() != tt.want:
				t.Fatalf("got  %s\nwant %s", err, tt.want)
			}
			rvUnchanged(t, "a refused call", before, s)
		})
	}
}

// TestApproveOnlyValidAndFeasible: the lead approves a revision only when
// it validates and fits the capacity given, or with an override that is
// recorded; a submission of an invalid revision is refused, one unmet
// "valid" per problem.
func TestApproveOnlyValidAndFeasible(t *testing.T) {
	t.Run("submit an invalid revision", func(t *testing.T) {
		s := exampleSOW()
		s.Signatories = []string{" "}
		s.Steps[4].Offset = 3 // train before configure ends
		rvMust(t, s.Open(rvRep, rvHours(0)))
		before := jsontest.Copy(t, s)
		b := rvBlocked(t, s.Submit(accord.Calendar{}, rvRep, rvHours(1)))
		want := &accord.BlockedError{Op: accord.OpSubmit, Subject: "sow-1", From: "draft", To: "submitted", Unmet: []accord.Unmet{
			{Criterion: "valid", State: "draft", Side: accord.SideExit, Field: "signatories[0]", Message: "is required: the actor ID of a buyer-side person allowed to approve"},
			{Criterion: "valid", State: "draft", Side: accord.SideExit, Field: "steps[4].depends_on[0]",
				Message: `step starts on 2026-03-05, but step "configure" it depends on ends on 2026-03-06; start it on a later working day`},
		}}
		if diff := genDiff(want, b); diff != "" {
			t.Fatalf("blocked (-want +got):\n%s", diff)
		}
		rvUnchanged(t, "a refused submission", before, &s)
	})
	t.Run("a malformed calendar is bad input", func(t *testing.T) {
		s := rvAt(t, scope.StatusDraft)
		err := s.Submit(accord.Calendar{Weekend: []time.Weekday{9}}, rvRep, rvHours(1))
		if got := errtest.Fields(err); !errors.Is(err, accord.ErrInvalid) || !slices.Equal(got, []string{"calendar.weekend[0]"}) {
			t.Fatalf("got %v (fields %v)", err, got)
		}
	})
	t.Run("approve under a calendar the revision breaks", func(t *testing.T) {
		s := exampleSOW()
		s.Steps[5].Date, s.Steps[5].Offset = time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), 0
		rvMust(t, s.Open(rvRep, rvHours(0)))
		rvMust(t, s.Submit(accord.Calendar{}, rvRep, rvHours(1)))
		before := jsontest.Copy(t, s)
		lr := rvReview(1)
		lr.Calendar.Holidays = []accord.Date{accord.MakeDate(2026, 3, 11)}
		b := rvBlocked(t, s.ApproveAsLead(lr, rvLead, rvHours(2)))
		if got := rvCriteria(b); b.Op != accord.OpApprove || b.From != "submitted" || b.To != "lead_approved" || len(got) == 0 || slices.ContainsFunc(got, func(c string) bool { return c != "valid" }) {
			t.Fatalf("blocked %+v", b)
		}
		for _, u := range b.Unmet {
			if u.Field == "" || u.State != "lead_approved" || u.Side != accord.SideEntry {
				t.Fatalf("unmet %+v: want a field, as an entry criterion of lead_approved", u)
			}
		}
		rvUnchanged(t, "a refused approval", before, &s)
	})
	t.Run("not feasible, no override", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted)
		before := jsontest.Copy(t, *s)
		b := rvBlocked(t, s.ApproveAsLead(scope.LeadReview{Revision: 1, Capacity: rvThinTeam, Override: "  "}, rvLead, rvHours(2)))
		want := []accord.Unmet{{Criterion: "feasible", State: "lead_approved", Side: accord.SideEntry, Field: "override",
			Message: `The sequence does not fit the team's capacity; 3 overloaded day(s), the first 2026-03-04 for "consultant" (16 of 8 hours); at capacity it finishes 2 working day(s) late, on 2026-03-13. Change the scope or the capacity, or approve with an override reason.`}}
		if diff := genDiff(want, b.Unmet); diff != "" {
			t.Fatalf("unmet (-want +got):\n%s", diff)
		}
		rvUnchanged(t, "a refused approval", before, s)
		b = rvBlocked(t, s.ApproveAsLead(scope.LeadReview{Revision: 1}, rvLead, rvHours(2)))
		if !strings.Contains(b.Unmet[0].Message, `no capacity for "consultant", "engineer"`) {
			t.Fatalf("no team at all: %v", b)
		}
	})
	t.Run("not feasible, overridden and recorded", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted)
		const why = "a contractor joins for the configuration"
		rvMust(t, s.ApproveAsLead(scope.LeadReview{Revision: 1, Capacity: rvThinTeam, Override: why}, rvLead, rvHours(2)))
		if s.Review.Lead.Override != why || s.Review.History[len(s.Review.History)-1].Reason != why {
			t.Fatalf("override not recorded: %+v %+v", s.Review.Lead, s.Review.History[len(s.Review.History)-1])
		}
		rvMust(t, s.ApproveAsClient(1, rvClient, rvHours(3)))
		if !s.Approved() {
			t.Fatal("an overridden approval is an approval")
		}
	})
	t.Run("an override of a feasible revision is bad input", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted)
		before := jsontest.Copy(t, *s)
		lr := rvReview(1)
		lr.Override = "just in case"
		err := s.ApproveAsLead(lr, rvLead, rvHours(2))
		if got := errtest.Fields(err); !errors.Is(err, accord.ErrInvalid) || !slices.Equal(got, []string{"override"}) {
			t.Fatalf("got %v", err)
		}
		rvUnchanged(t, "a refused approval", before, s)
	})
	t.Run("a malformed capacity is bad input", func(t *testing.T) {
		s := rvAt(t, scope.StatusSubmitted)
		lr := rvReview(1)
		lr.Capacity = scope.Capacity{People: []scope.Person{{ID: " ", Role: "consultant", HoursPerDay: hours(8)}}}
		err := s.ApproveAsLead(lr, rvLead, rvHours(2))
		if got := errtest.Fields(err); !errors.Is(err, accord.ErrInvalid) || !slices.Equal(got, []string{"capacity.people[0].id"}) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestReviewFutureEvent: the library never reads the clock, so an event
// dated in the future is recorded as given, and every later call dated
// before it is refused as bad input naming "at": the documented cost of a
// host that does not pass its clock. Calls at or after it go on.
func TestReviewFutureEvent(t *testing.T) {
	s := rvAt(t, scope.StatusSubmitted)
	future := rvT0.AddDate(10, 0, 0)
	rvMust(t, s.ApproveAsLead(rvReview(1), rvLead, future))
	before := jsontest.Copy(t, *s)
	err := s.ApproveAsClient(1, rvClient, rvHours(3))
	if got := errtest.Fields(err); !errors.Is(err, accord.ErrInvalid) || !slices.Equal(got, []string{"at"}) {
		t.Fatalf("got %v", err)
	}
	rvUnchanged(t, "a call before the last event", before, s)
	rvMust(t, s.ApproveAsClient(1, rvClient, future))
}
