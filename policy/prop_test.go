package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/policy"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// ---- helpers ----

// propSnapshot is a subject as it was before a check: its JSON form and a
// deep copy decoded from it.
type propSnapshot struct {
	data []byte
	copy policy.Subject
}

func propTake(t *rapid.T, s policy.Subject) propSnapshot {
	c, data := jsontest.RoundTrip(t, s)
	if diff := cmp.Diff(s, c); diff != "" {
		t.Fatalf("the JSON copy of the subject differs (-subject +copy):\n%s", diff)
	}
	return propSnapshot{data, c}
}

// propUnchanged fails when s differs from the snapshot taken before.
func propUnchanged(t *rapid.T, before propSnapshot, s policy.Subject) {
	if diff := cmp.Diff(before.copy, s); diff != "" {
		t.Fatalf("the check changed the subject (-before +after):\n%s", diff)
	}
	after, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal subject: %v", err)
	}
	if !bytes.Equal(before.data, after) {
		t.Fatalf("the check changed the subject's JSON:\nbefore %s\nafter  %s", before.data, after)
	}
}

// propExpected is what a set of ps reports, computed policy by policy: in
// the order of their IDs, each violation completed with the policy's ID and
// the subject's name and owner where the policy left them empty.
func propExpected(ps []policy.Policy, s policy.Subject, now time.Time) []policy.Violation {
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b policy.Policy) int { return strings.Compare(a.ID(), b.ID()) })
	var out []policy.Violation
	for _, p := range sorted {
		for _, v := range p.Check(s, now) {
			if v.Policy == "" {
				v.Policy = p.ID()
			}
			if v.Subject == "" {
				v.Subject = s.Name()
			}
			if v.Owner == "" {
				v.Owner = s.Responsible()
			}
			out = append(out, v)
		}
	}
	return out
}

func propNewSet(t *rapid.T, ps []policy.Policy) *policy.Set {
	set, err := policy.NewSet(ps...)
	if err != nil {
		t.Fatalf("NewSet(%v): %v", propIDs(ps), err)
	}
	return set
}

func propIDs(ps []policy.Policy) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID()
	}
	return ids
}

// ---- a. purity and order independence ----

// TestPropCheckPureAndOrderFree: a set's check equals the policies' own
// checks in ID order, the same for every order the policies were listed in
// and on every call, and leaves the subject as it was.
func TestPropCheckPureAndOrderFree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ps := genPolicies(false).Draw(t, "policies")
		now := genInstant().Draw(t, "now")
		s := genSubject(now).Draw(t, "subject")
		before := propTake(t, s)

		set := propNewSet(t, ps)
		ids := propIDs(set.Policies())
		if !slices.IsSorted(ids) || len(ids) != len(ps) {
			t.Fatalf("Policies() = %v; want the %d policies sorted by ID", ids, len(ps))
		}
		got := slices.Clone(set.Check(s, now))
		if got != nil && len(got) == 0 {
			t.Fatalf("Check returned an empty, non-nil slice")
		}
		if diff := cmp.Diff(propExpected(ps, s, now), got); diff != "" {
			t.Fatalf("Check differs from the policies' own checks (-want +got):\n%s", diff)
		}
		for _, v := range got {
			if v.Subject != s.Name() || v.Owner != s.Responsible() || v.Message == "" {
				t.Fatalf("violation %+v: want subject %q, owner %q and a message", v, s.Name(), s.Responsible())
			}
		}
		if diff := cmp.Diff(got, set.Check(s, now)); diff != "" {
			t.Fatalf("a second Check differs (-first +second):\n%s", diff)
		}
		for i := range 3 {
			perm := rapid.Permutation(ps).Draw(t, fmt.Sprintf("permutation_%d", i))
			if diff := cmp.Diff(got, propNewSet(t, perm).Check(s, now)); diff != "" {
				t.Fatalf("Check with policies listed as %v differs (-first +permuted):\n%s", propIDs(perm), diff)
			}
		}
		err := set.Allow(s, now)
		if (err == nil) != (len(got) == 0) {
			t.Fatalf("Allow = %v with %d violations", err, len(got))
		}
		if err != nil {
			var blocked *accord.BlockedError
			if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) {
				t.Fatalf("Allow = %v; want a *accord.BlockedError wrapping ErrBlocked", err)
			}
			want := make([]accord.Unmet, len(got))
			for i, v := range got {
				want[i] = accord.Unmet{Criterion: "policy." + v.Policy, Message: v.Message, Field: v.Field}
			}
			if diff := cmp.Diff(&accord.BlockedError{Op: propOp(s), Subject: s.Name(), Unmet: want}, blocked); diff != "" {
				t.Fatalf("Allow (-want +got):\n%s", diff)
			}
		}
		propUnchanged(t, before, s)
	})
}

// propStatic is a host policy that returns the same violations on every
// check, from a slice it keeps, leaving the policy ID, subject and owner
// for the set to fill in.
type propStatic struct{ vs []policy.Violation }

func (propStatic) ID() string          { return "prop_static" }
func (propStatic) Description() string { return "Always broken." }
func (propStatic) Params() any         { return nil }
func (p propStatic) Check(policy.Subject, time.Time) []policy.Violation {
	return p.vs
}

// TestPropCheckLeavesPolicyResultsAlone: Set.Check fills in the policy ID,
// subject and owner a policy leaves empty without writing into the slice
// the policy returned, so that a policy returning violations it keeps (a
// constant list) reports each subject under its own name, and its spare
// capacity is not overwritten by the next policy's violations.
func TestPropCheckLeavesPolicyResultsAlone(t *testing.T) {
	backing := make([]policy.Violation, 2)
	backing[0] = policy.Violation{Message: "always"}
	kept := backing[:1] // length 1, capacity 2
	// prop_static sorts before single_edition, so its slice comes first.
	set, err := policy.NewSet(policy.SingleEdition(""), propStatic{vs: kept})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, time.May, 12, 10, 0, 0, 0, time.UTC)
	catalog := &policy.Catalog{}
	for _, name := range []string{"first", "second"} {
		got := set.Check(policy.Subject{ID: name, Owner: name + "-owner", Catalog: catalog}, now)
		want := []policy.Violation{
			{Policy: "prop_static", Subject: name, Owner: name + "-owner", Message: "always"},
			{Policy: "single_edition", Subject: name, Owner: name + "-owner", Message: "the catalog offers no edition; offer one with every feature", Field: "catalog.editions"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("check of subject %q (-want +got):\n%s", name, diff)
		}
	}
	if diff := cmp.Diff([]policy.Violation{{Message: "always"}, {}}, backing); diff != "" {
		t.Errorf("Set.Check wrote into the slice the policy returned (-want +got):\n%s", diff)
	}
}

// ---- b. period ends ----

// propLeft are the days left, today included, in the month, the fiscal
// quarter and the fiscal year of a civil day.
type propLeft struct{ month, quarter, year int }

// propDaysLeft walks forward from y-m-d one civil day at a time until the
// fiscal year starting in fs ends, noting when the month and the quarter
// end on the way.
func propDaysLeft(y int, m time.Month, d int, fs time.Month) propLeft {
	var left propLeft
	for i := 1; ; i++ {
		next := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC)
		if next.Day() != 1 {
			continue
		}
		if left.month == 0 {
			left.month = i
		}
		if left.quarter == 0 && (int(next.Month())-int(fs)+12)%3 == 0 {
			left.quarter = i
		}
		if next.Month() == fs {
			left.year = i
			return left
		}
	}
}

// propWindow is the reference for Blackout.In.
func propWindow(b policy.Blackout, t time.Time) (policy.Window, bool) {
	loc := b.Location
	if loc == nil {
		loc = time.UTC
	}
	fs := b.FiscalYearStart
	if fs == 0 {
		fs = time.January
	}
	y, m, d := t.In(loc).Date()
	left := propDaysLeft(y, m, d, fs)
	day := accord.Date{Year: y, Month: m, Day: d}
	end := func(n int) accord.Date {
		e := time.Date(y, m, d+n-1, 12, 0, 0, 0, time.UTC)
		return accord.Date{Year: e.Year(), Month: e.Month(), Day: e.Day()}
	}
	switch {
	case b.YearDays > 0 && left.year <= b.YearDays:
		return policy.Window{Day: day, Period: "fiscal year", End: end(left.year), Days: b.YearDays}, true
	case b.QuarterDays > 0 && left.quarter <= b.QuarterDays:
		return policy.Window{Day: day, Period: "quarter", End: end(left.quarter), Days: b.QuarterDays}, true
	case b.MonthDays > 0 && left.month <= b.MonthDays:
		return policy.Window{Day: day, Period: "month", End: end(left.month), Days: b.MonthDays}, true
	}
	return policy.Window{}, false
}

func propCheckWindow(t interface{ Fatalf(string, ...any) }, b policy.Blackout, at time.Time) {
	want, wantIn := propWindow(b, at)
	got, gotIn := b.In(at)
	if gotIn != wantIn || got != want {
		t.Fatalf("Blackout%+v.In(%s) = %+v, %v; want %+v, %v", b, at.Format(time.RFC3339), got, gotIn, want, wantIn)
	}
}

// TestPropBlackoutBruteForce: for random instants between 1999 and 2101 in
// zones with and without daylight saving time, every fiscal year start (0,
// meaning January, and 1 to 12) and any valid days, Blackout.In agrees with a day-by-day walk of the
// calendar, window and precedence included.
func TestPropBlackoutBruteForce(t *testing.T) {
	seen := map[string]int{}
	defer func() {
		if !t.Failed() && len(seen) != 4 {
			t.Errorf("the generators reached the windows %v; want the fiscal year's, a quarter's, a month's and none", seen)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		b := genBlackout(false).Draw(t, "blackout")
		for i := range 5 {
			at := genInstant().Draw(t, fmt.Sprintf("at_%d", i))
			for fs := time.Month(0); fs <= 12; fs++ {
				fb := b
				fb.FiscalYearStart = fs
				propCheckWindow(t, fb, at)
				w, _ := fb.In(at)
				seen[w.Period]++
			}
		}
		at := genInstant().Draw(t, "at")
		// The discount policy reports the same window.
		d := &deal.Discount{OfferedAt: at, Concession: deal.ConcessionReference}
		got := policy.NoPanicDiscounts(b).Check(policy.Subject{Discount: d}, at)
		var want []policy.Violation
		if w, ok := propWindow(b, at); ok {
			want = []policy.Violation{{Policy: "no_panic_discounts", Field: "discount.offered_at",
				Message: fmt.Sprintf("the discount was offered on %s, %s; no discounts in the last days of a period", w.Day, w)}}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("NoPanicDiscounts(%+v) on a discount offered %s (-want +got):\n%s", b, at.Format(time.RFC3339), diff)
		}
	})
}

// TestPropBlackoutEveryDay checks every day of 2023 to 2025, for every
// fiscal year start, with fixed blackouts, against the day-by-day walk.
func TestPropBlackoutEveryDay(t *testing.T) {
	zones := genZones(t)
	days := []struct{ month, quarter, year int }{{5, 10, 15}, {27, 88, 364}, {1, 1, 1}, {0, 0, 0}, {3, 0, 40}, {0, 31, 0}}
	hours := []int{0, 2, 12, 23}
	n := 0
	for fs := time.Month(0); fs <= 12; fs++ {
		for day := time.Date(2023, time.January, 1, 12, 0, 0, 0, time.UTC); day.Year() < 2026; day = day.AddDate(0, 0, 1) {
			n++
			loc := zones[n%len(zones)]
			at := time.Date(day.Year(), day.Month(), day.Day(), hours[n%len(hours)], 59, 0, 0, loc)
			for _, d := range days {
				propCheckWindow(t, policy.Blackout{MonthDays: d.month, QuarterDays: d.quarter, YearDays: d.year, FiscalYearStart: fs, Location: loc}, at)
			}
		}
	}
	if n != 13*1096 {
		t.Fatalf("checked %d days; want %d", n, 13*1096)
	}
	// A few points by hand, so that the reference itself is checked.
	for _, c := range []struct {
		b    policy.Blackout
		at   time.Time
		want policy.Window
		in   bool
	}{
		{policy.DefaultBlackout(), time.Date(2024, time.December, 17, 12, 0, 0, 0, time.UTC),
			policy.Window{Day: accord.MakeDate(2024, time.December, 17), Period: "fiscal year", End: accord.MakeDate(2024, time.December, 31), Days: 15}, true},
		{policy.DefaultBlackout(), time.Date(2024, time.December, 16, 12, 0, 0, 0, time.UTC), policy.Window{}, false},
		{policy.DefaultBlackout(), time.Date(2024, time.September, 25, 23, 59, 0, 0, time.UTC),
			policy.Window{Day: accord.MakeDate(2024, time.September, 25), Period: "quarter", End: accord.MakeDate(2024, time.September, 30), Days: 10}, true},
		{policy.DefaultBlackout(), time.Date(2024, time.September, 20, 12, 0, 0, 0, time.UTC), policy.Window{}, false},
		{policy.DefaultBlackout(), time.Date(2024, time.February, 25, 12, 0, 0, 0, time.UTC),
			policy.Window{Day: accord.MakeDate(2024, time.February, 25), Period: "month", End: accord.MakeDate(2024, time.February, 29), Days: 5}, true},
		{policy.DefaultBlackout(), time.Date(2024, time.February, 24, 12, 0, 0, 0, time.UTC), policy.Window{}, false},
		{policy.Blackout{YearDays: 1, FiscalYearStart: time.April, Location: zones[4]}, time.Date(2025, time.March, 31, 18, 30, 0, 0, time.UTC), policy.Window{}, false},
		{policy.Blackout{YearDays: 1, FiscalYearStart: time.April, Location: zones[4]}, time.Date(2025, time.March, 31, 18, 29, 0, 0, time.UTC),
			policy.Window{Day: accord.MakeDate(2025, time.March, 31), Period: "fiscal year", End: accord.MakeDate(2025, time.March, 31), Days: 1}, true},
	} {
		got, in := c.b.In(c.at)
		if got != c.want || in != c.in {
			t.Errorf("%+v.In(%s) = %+v, %v; want %+v, %v", c.b, c.at, got, in, c.want, c.in)
		}
		propCheckWindow(t, c.b, c.at)
	}
}

// ---- c. the gate ----

var propRep = accord.Actor{ID: "rep-1", Name: "Asha", Role: accord.RoleSalesRep}

// propGatedProcess is proposal → handoff, Closed Won on entering handoff,
// gated by set and nothing else.
func propGatedProcess(t *rapid.T, set *policy.Set) *deal.Process {
	p, err := deal.NewProcess(deal.Config{
		Stages: []deal.Stage{
			{ID: "proposal", Name: "Proposal"},
			{ID: "handoff", Name: "Handoff", Entry: policy.Gate(set)},
		},
		ClosedWon: "handoff",
	})
	if err != nil {
		t.Fatalf("NewProcess: %v", err)
	}
	return p
}

// TestPropGateIff: an advance into a stage gated by a set is refused
// exactly when the set reports violations for the deal as closing, and the
// refusal (and Unmet) lists one unmet criterion per violation, in order; a
// refused advance leaves the deal as it was.
func TestPropGateIff(t *testing.T) {
	var refused, passed int
	defer func() {
		if !t.Failed() && (refused == 0 || passed == 0) {
			t.Errorf("the generators made %d refused and %d passed advances; want both", refused, passed)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		set := propNewSet(t, genPolicies(false).Draw(t, "policies"))
		p := propGatedProcess(t, set)
		now := genInstant().Draw(t, "now")
		g := genDeal(now).Draw(t, "deal")
		d := deal.Deal{ID: g.ID, Owner: "rep-1"}
		openedAt := now.Add(-time.Duration(rapid.IntRange(0, 72).Draw(t, "opened_hours_ago")) * time.Hour)
		if err := p.Open(&d, propRep, openedAt); err != nil {
			t.Fatalf("Open: %v", err)
		}
		d.Owner, d.Value, d.Lead, d.Quote, d.Scope, d.Commercials = g.Owner, g.Value, g.Lead, g.Quote, g.Scope, g.Commercials

		vs := set.Check(policy.Subject{Deal: &d, Closing: true}, now)
		var want []accord.Unmet
		for _, v := range vs {
			want = append(want, accord.Unmet{Criterion: "policy." + v.Policy, State: "handoff", Side: accord.SideEntry,
				Message: v.Message, Field: strings.TrimPrefix(v.Field, "deal.")})
		}
		if diff := cmp.Diff(want, p.Unmet(&d, now)); diff != "" {
			t.Fatalf("Unmet (-want +got):\n%s", diff)
		}
		before := propTake(t, policy.Subject{Deal: &d})
		err := p.Advance(&d, propRep, now)
		if invalid := d.Validate(); invalid != nil {
			// Every move refuses a deal that fails Validate first.
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("Advance of an invalid deal (%v) = %v; want ErrInvalid", invalid, err)
			}
			propUnchanged(t, before, policy.Subject{Deal: &d})
			return
		}
		if len(vs) == 0 {
			passed++
			if err != nil {
				t.Fatalf("Advance = %v; want no refusal, the set reports nothing", err)
			}
			if d.Stage != "handoff" || d.Version != 1 || d.History[len(d.History)-1].Kind != deal.EventWon {
				t.Fatalf("after Advance: stage %q, version %d, history %+v", d.Stage, d.Version, d.History)
			}
			return
		}
		refused++
		var blocked *accord.BlockedError
		if !errors.As(err, &blocked) || !errors.Is(err, accord.ErrBlocked) {
			t.Fatalf("Advance = %v; want a *accord.BlockedError for %d violations", err, len(vs))
		}
		if diff := cmp.Diff(&accord.BlockedError{Op: accord.OpMove, Subject: d.ID, From: "proposal", To: "handoff", Unmet: want}, blocked); diff != "" {
			t.Fatalf("refusal (-want +got):\n%s", diff)
		}
		propUnchanged(t, before, policy.Subject{Deal: &d})
		if diff := cmp.Diff(want, p.Unmet(&d, now)); diff != "" {
			t.Fatalf("Unmet after the refusal (-want +got):\n%s", diff)
		}
	})
}

// TestPropGatedIff: the same through policy.Gated on the two-stage
// process: the close is refused exactly when the set reports violations.
func TestPropGatedIff(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := propNewSet(t, genPolicies(false).Draw(t, "policies"))
		base, err := deal.NewProcess(deal.Config{
			Stages:    []deal.Stage{{ID: "proposal", Name: "Proposal"}, {ID: "handoff", Name: "Handoff"}},
			ClosedWon: "handoff",
		})
		if err != nil {
			t.Fatalf("NewProcess: %v", err)
		}
		p, err := policy.Gated(base, set)
		if len(set.Policies()) == 0 {
			// Gating with no policy would check nothing: refused.
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("Gated with an empty set = %v; want ErrInvalid", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Gated: %v", err)
		}
		now := genInstant().Draw(t, "now")
		g := genDeal(now).Draw(t, "deal")
		d := deal.Deal{ID: g.ID, Owner: "rep-1"}
		if err := p.Open(&d, propRep, now); err != nil {
			t.Fatalf("Open: %v", err)
		}
		d.Lead, d.Quote, d.Scope, d.Commercials = g.Lead, g.Quote, g.Scope, g.Commercials
		n := len(set.Check(policy.Subject{Deal: &d, Closing: true}, now))
		err = p.Advance(&d, propRep, now)
		var blocked *accord.BlockedError
		switch invalid := d.Validate(); {
		case invalid != nil && !errors.Is(err, accord.ErrInvalid):
			t.Fatalf("Advance of an invalid deal (%v) = %v; want ErrInvalid", invalid, err)
		case invalid != nil:
		case n == 0 && err != nil:
			t.Fatalf("Advance = %v; want no refusal", err)
		case n > 0 && !errors.As(err, &blocked):
			t.Fatalf("Advance = %v; want a refusal for %d violations", err, n)
		case n > 0 && len(blocked.Unmet) != n:
			t.Fatalf("refusal lists %d unmet criteria; want %d: %v", len(blocked.Unmet), n, blocked)
		}
	})
}

// ---- d. sets as data ----

// TestPropSetJSONRoundTrip: a set written as JSON loads back into a set
// that writes the same bytes and checks every subject the same.
func TestPropSetJSONRoundTrip(t *testing.T) {
	opts := policy.LoadOptions{
		Zone:     time.LoadLocation,
		Policies: map[string]func(json.RawMessage) (policy.Policy, error){genTermFloorID: genTermFloorBuilder},
	}
	rapid.Check(t, func(t *rapid.T) {
		ps := genPolicies(true).Draw(t, "policies")
		set := propNewSet(t, ps)
		data, err := json.Marshal(set)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		loaded, err := policy.Load(data, opts)
		if err != nil {
			t.Fatalf("Load(%s): %v", data, err)
		}
		again, err := json.Marshal(loaded)
		if err != nil {
			t.Fatalf("Marshal of the loaded set: %v", err)
		}
		if !bytes.Equal(data, again) {
			t.Fatalf("the loaded set marshals differently:\nfirst  %s\nloaded %s", data, again)
		}
		var entries struct {
			Policies []struct {
				ID string `json:"id"`
			} `json:"policies"`
		}
		if err := json.Unmarshal(data, &entries); err != nil {
			t.Fatalf("unmarshal %s: %v", data, err)
		}
		var ids []string
		for _, e := range entries.Policies {
			ids = append(ids, e.ID)
		}
		if want := propIDs(set.Policies()); !slices.Equal(ids, want) {
			t.Fatalf("the JSON lists %v; want %v", ids, want)
		}
		for i := range 3 {
			now := genInstant().Draw(t, fmt.Sprintf("now_%d", i))
			s := genSubject(now).Draw(t, fmt.Sprintf("subject_%d", i))
			if diff := cmp.Diff(set.Check(s, now), loaded.Check(s, now)); diff != "" {
				t.Fatalf("the loaded set checks differently (-set +loaded):\n%s", diff)
			}
		}
	})
}

// ---- e. summaries ----

func genViolation() *rapid.Generator[policy.Violation] {
	return rapid.Custom(func(t *rapid.T) policy.Violation {
		return policy.Violation{
			Policy:  rapid.SampledFrom([]string{policy.IDNoQuotas, policy.IDSingleEdition, policy.IDLeadResponseSLA, genTermFloorID}).Draw(t, "policy"),
			Subject: rapid.SampledFrom([]string{"", "d-1"}).Draw(t, "subject"),
			Owner:   rapid.SampledFrom([]string{"", "rep-1", "rep-2", "vp-1"}).Draw(t, "owner"),
			Message: "m",
		}
	})
}

// propSummarize adds each subject's violations to a fresh summary.
func propSummarize(lists [][]policy.Violation) policy.Summary {
	var s policy.Summary
	for _, vs := range lists {
		s.Add(vs)
	}
	return s
}

// TestPropSummaryMerge: one summary of a list of subjects equals the merge,
// in any order, of the summaries of its parts, and its counts by policy
// and by owner each add up to its violations.
func TestPropSummaryMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lists := rapid.SliceOfN(gen.SliceN(genViolation(), 4), 0, 12).Draw(t, "subjects")
		whole := propSummarize(lists)

		violating, total := 0, 0
		for _, vs := range lists {
			if len(vs) > 0 {
				violating++
			}
			total += len(vs)
		}
		byPolicy, byOwner := 0, 0
		for _, n := range whole.ByPolicy {
			byPolicy += n
		}
		for _, n := range whole.ByOwner {
			byOwner += n
		}
		if whole.Subjects != len(lists) || whole.Violating != violating || whole.Violations != total || byPolicy != total || byOwner != total {
			t.Fatalf("summary %+v of %d subjects, %d violating, %d violations; by policy %d, by owner %d", whole, len(lists), violating, total, byPolicy, byOwner)
		}

		// Split at random points.
		var parts [][][]policy.Violation
		for rest := lists; ; {
			n := rapid.IntRange(0, len(rest)).Draw(t, "part_size")
			parts = append(parts, rest[:n])
			rest = rest[n:]
			if len(rest) == 0 {
				break
			}
		}
		sums := make([]policy.Summary, len(parts))
		for i, part := range parts {
			sums[i] = propSummarize(part)
		}
		order := rapid.Permutation(sums).Draw(t, "merge_order")
		var merged policy.Summary
		for _, s := range order {
			merged.Merge(s)
		}
		if diff := cmp.Diff(whole, merged); diff != "" {
			t.Fatalf("merged summaries of %d parts differ from the whole (-whole +merged):\n%s", len(parts), diff)
		}
		// Merging into a part's own summary gives the same, and leaves the
		// merged-in summaries as they were.
		first := propSummarize(parts[0])
		for _, s := range sums[1:] {
			first.Merge(s)
		}
		if diff := cmp.Diff(whole, first); diff != "" {
			t.Fatalf("merging into the first part differs from the whole (-whole +merged):\n%s", diff)
		}
		for i, part := range parts {
			if diff := cmp.Diff(propSummarize(part), sums[i]); diff != "" {
				t.Fatalf("Merge changed the summary of part %d (-before +after):\n%s", i, diff)
			}
		}
	})
}

// propOp is the operation a refusal of s names: what s asks to do, the
// payment first (see Subject.Op).
func propOp(s policy.Subject) accord.Op {
	switch {
	case s.Payment != nil:
		return "pay"
	case s.Refund != nil:
		return "refund"
	case s.Discount != nil:
		return "discount"
	case s.Closing:
		return "move"
	}
	return "check"
}
