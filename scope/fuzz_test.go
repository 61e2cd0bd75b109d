package scope_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// The fuzz targets decode outside input with every JSON decoder of the
// package's values a host stores or receives: a Scope of Work with its
// review, a proposal and a team's capacity. Whatever decodes must not make
// any function of the package panic or run away, errors must be classified,
// and what validates must encode and decode to an equal value.

// genFuzzCalendar has a holiday in the example's first week.
var genFuzzCalendar = accord.Calendar{Holidays: []accord.Date{accord.MakeDate(2026, 3, 4)}}

// genFuzzCapacity is small: every role of the example at 8 hours a day.
var genFuzzCapacity = scope.Capacity{PerRole: map[string]decimal.Decimal{"consultant": hours(8), "engineer": hours(8)}}

func genFuzzJSON(f *testing.F, v any) []byte {
	f.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return raw
}

// genClassified fails unless err is nil or wraps exactly one of the
// module's sentinel errors: one class per error.
func genClassified(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	n := 0
	for _, class := range []error{accord.ErrInvalid, accord.ErrForbidden, accord.ErrConflict, accord.ErrBlocked} {
		if errors.Is(err, class) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%s: error of %d classes, want exactly one: %v", what, n, err)
	}
}

func FuzzSOWJSON(f *testing.F) {
	ex := exampleSOW()
	f.Add(genFuzzJSON(f, ex))
	for _, status := range scope.Statuses() {
		f.Add(genFuzzJSON(f, rvAt(f, status)))
	}
	resolved := rvAt(f, scope.StatusChangesRequested)
	rvMust(f, resolved.Resolve(rvProposal, scope.Feasibility{}, rvPriceDiscrepancy, scope.ChangeProposal, "proposal corrected", rvManager, rvHours(5)))
	f.Add(genFuzzJSON(f, resolved))
	for _, s := range []string{
		`{}`, `null`, `[]`, `"sow"`, `{"id":1}`,
		`{"review":{"status":"client_approved","lead":{"revision":0},"client":{"revision":0}}}`,
		`{"review":{"status":"lead_approved","history":[{"kind":"opened","to":"lead_approved"}]}}`,
		`{"review":{"status":"draft","history":[{"at":"9999-12-31T23:59:59Z"}]}}`,
		`{"price":{"amount":"1e-2147483648","currency":"USD"}}`,
		`{"price":{"amount":"48000.00","currency":"usd"}}`,
		`{"price":null,"start":null,"steps":null}`,
		`{"id":"s","deal_id":"d","start":"2026-03-02T00:00:00+14:00","price":{"amount":"1","currency":"JPY"},` +
			`"steps":[{"id":"a","owner":"c","activity":"audit","phase":"audit","effort_hours":"12.345","depends_on":["a","b"]},` +
			`{"id":"b","owner":"c","activity":"audit","phase":"pilot","offset":1,"depends_on":["a"]}]}`,
		`{"start":"2026-03-02T00:00:00Z","steps":[{"id":"a","offset":2599,"days":2600,"effort_hours":"1000000"}]}`,
		`{"start":"0001-01-01T00:00:01Z","steps":[{"id":"a","date":"9999-12-31T00:00:00Z"}],"milestones":[{"id":"m","offset":-1,"steps":["a","x"]}]}`,
		`{"start":"2026-03-07T00:00:00-12:00","steps":[{"id":"a","date":"2026-03-07T23:00:00+12:00","days":-1}]}`,
		`{"steps":[{"id":"a","depends_on":["b"]},{"id":"b","depends_on":["c"]},{"id":"c","depends_on":["a"]}]}`,
		`{"entitlements":[{"name":"support","quantity":"-4","unit":""},{"name":"support","quantity":"4.000","unit":"hours"}]}`,
		`{"requirements":[{"id":"R1","priority":"must","kind":"odd"},{"id":"R1"}],"deliverables":[{"id":"d","requirements":["R9"]}]}`,
	} {
		f.Add([]byte(s))
	}
	proposal := rvProposal
	f.Fuzz(func(t *testing.T, data []byte) {
		var s scope.SOW
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		verr := s.Validate(genFuzzCalendar)
		genClassified(t, "validate", verr)
		if verr != nil && !errors.Is(verr, accord.ErrInvalid) {
			t.Fatalf("validate: %v does not wrap ErrInvalid", verr)
		}
		fz, ferr := s.Feasibility(genFuzzCalendar, genFuzzCapacity)
		if ferr != nil && !errors.Is(ferr, accord.ErrInvalid) {
			t.Fatalf("feasibility: %v does not wrap ErrInvalid", ferr)
		}
		digest := s.Digest()
		ds := scope.Reconcile(proposal, &s, fz)
		_ = scope.Unresolved(ds)
		pay := s.Approved()
		ref := s.Ref(proposal, fz)
		if ref.Approved() != pay || ref.Digest != s.Review.Digest {
			t.Fatalf("ref %+v, payment allowed %v", ref, pay)
		}
		if s.Digest() != digest {
			t.Fatal("the queries changed the digest")
		}
		// Every workflow call, on a copy: a refusal changes nothing. The
		// calls never change the content, and replace the review's fields
		// or append to its lists rather than write into them, so a shallow
		// copy is enough.
		for _, c := range rvCalls {
			for _, by := range []accord.Actor{rvRep, rvLead2, rvClient, rvManager} {
				x := s
				err := c.call(&x, by, rvHours(100))
				genClassified(t, c.name, err)
				if x.Digest() != digest {
					t.Fatalf("%s by %s changed the content", c.name, by.Role)
				}
				if diff := genDiff(s.Review, x.Review); err != nil && diff != "" {
					t.Fatalf("%s by %s refused (%v) but changed the review:\n%s", c.name, by.Role, err, diff)
				}
			}
		}
		if verr != nil {
			return
		}
		back := jsontest.Copy(t, s)
		if diff := genDiff(s, back); diff != "" {
			t.Fatalf("round trip differs (-decoded +again):\n%s", diff)
		}
		if back.Digest() != digest || back.Approved() != pay {
			t.Fatalf("after a round trip: digest %s, payment %v; before %s, %v", back.Digest(), back.Approved(), digest, pay)
		}
	})
}

func FuzzProposalJSON(f *testing.F) {
	f.Add(genFuzzJSON(f, rvProposal))
	f.Add(genFuzzJSON(f, scope.Proposal{ID: "p", DealID: "d", GoLive: time.Date(2026, 3, 13, 0, 0, 0, 0, time.FixedZone("", -5*3600))}))
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"weeks":-1}`, `{"weeks":521}`, `{"weeks":520,"go_live":"2026-03-01T00:00:00Z"}`,
		`{"go_live":"0001-01-01T00:00:00Z"}`, `{"go_live":"9999-12-31T23:59:59+14:00","weeks":0}`,
		`{"deliverables":[{"id":""},{"id":"pipeline"},{"id":"pipeline","name":"again"},{"id":"erp-sync"}]}`,
		`{"entitlements":[{"name":"support","quantity":"4","unit":"hours","per":"week"},{"name":"support"},{"name":" ","quantity":"-0.5"}]}`,
		`{"entitlements":[{"name":"support","quantity":"4.00","unit":"hours","per":"week"}],"price":{"amount":"48000.00","currency":"USD"}}`,
		`{"price":{"amount":"48000","currency":"EUR"}}`,
		// Quantities that take gigabytes to format: Validate used to print
		// them in full, and a valid proposal could not be encoded.
		`{"entitlements":[{"name":"support","quantity":"-1e-2147483648","unit":"hours"}]}`,
		`{"entitlements":[{"name":"support","quantity":"1e2147483647","unit":"hours"}]}`,
		`{"entitlements":[{"name":"support","quantity":"0e2147483647","unit":"hours"}]}`,
	} {
		f.Add([]byte(s))
	}
	ex := exampleSOW()
	rvMust(f, ex.Open(rvRep, rvT0))
	fx, err := ex.Feasibility(genFuzzCalendar, genFuzzCapacity)
	rvMust(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p scope.Proposal
		if err := json.Unmarshal(data, &p); err != nil {
			return
		}
		verr := p.Validate()
		if verr != nil && !errors.Is(verr, accord.ErrInvalid) {
			t.Fatalf("validate: %v does not wrap ErrInvalid", verr)
		}
		_ = scope.Reconcile(p, nil, scope.Feasibility{})
		_ = scope.Reconcile(p, &scope.SOW{}, fx)
		s := ex
		s.DealID = p.DealID // a decision is only for a proposal of the scope's own deal
		ds := scope.Reconcile(p, &s, fx)
		if ref := s.Ref(p, fx); ref.Unresolved != len(ds) {
			t.Fatalf("ref counts %d unresolved of %d discrepancies", ref.Unresolved, len(ds))
		}
		// Each discrepancy is reported once: deciding every one settles
		// them all.
		for i, d := range ds {
			if err := s.Resolve(p, fx, d, scope.ChangeScope, "agreed", rvManager, rvHours(1)); err != nil {
				t.Fatalf("resolve discrepancy %d %+v: %v", i, d, err)
			}
		}
		if left := scope.Unresolved(scope.Reconcile(p, &s, fx)); len(left) > 0 {
			t.Fatalf("%d of %d discrepancies unresolved after deciding each: %+v", len(left), len(ds), left)
		}
		if verr != nil {
			return
		}
		back := jsontest.Copy(t, p)
		if diff := genDiff(p, back); diff != "" {
			t.Fatalf("round trip differs (-decoded +again):\n%s", diff)
		}
	})
}

func FuzzCapacityJSON(f *testing.F) {
	f.Add(genFuzzJSON(f, genFuzzCapacity))
	f.Add(genFuzzJSON(f, scope.Capacity{
		PerRole: map[string]decimal.Decimal{"consultant": decimal.RequireFromString("7.5")},
		People: []scope.Person{
			{ID: "p1", Role: "engineer", HoursPerDay: hours(8), Off: []time.Time{time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}},
			{ID: "p2", Role: "consultant", HoursPerDay: decimal.RequireFromString("0.01")},
		},
	}))
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"per_role":null,"people":null}`,
		`{"per_role":{"consultant":8,"engineer":"8.00"}}`,
		`{"per_role":{"consultant":"0","engineer":"0"}}`,
		`{"per_role":{"consultant":"10000","engineer":"10000.01"}}`,
		`{"per_role":{"":"1"," ":"-1","consultant":"0.001"}}`,
		`{"people":[{"id":"p","role":"engineer","hours_per_day":"24"},{"id":"p","role":"","hours_per_day":"24.01"}]}`,
		`{"people":[{"id":"p","role":"consultant","hours_per_day":"8","off":["2026-03-02T00:00:00-12:00","0001-01-01T00:00:00Z"]}]}`,
		`{"per_role":{"consultant":"1e-2147483648"},"people":[{"id":"p","role":"engineer","hours_per_day":"1e2147483647"}]}`,
	} {
		f.Add([]byte(s))
	}
	ex := exampleSOW()
	f.Fuzz(func(t *testing.T, data []byte) {
		var c scope.Capacity
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		s := ex
		fz, err := s.Feasibility(genFuzzCalendar, c)
		if err != nil {
			if !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("feasibility: %v does not wrap ErrInvalid", err)
			}
			if diff := genDiff(scope.Feasibility{}, fz); diff != "" {
				t.Fatalf("an error with a result:\n%s", diff)
			}
			return
		}
		// The example finishes on Thursday 12 March as planned (the
		// holiday on the 4th moves every step after it by a day).
		if want := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC); !fz.ScopedFinish.Equal(want) {
			t.Fatalf("scoped finish %v, want %v", fz.ScopedFinish, want)
		}
		switch {
		case fz.Slip < 0:
			t.Fatalf("slip %d", fz.Slip)
		case fz.FeasibleFinish.IsZero() != (len(fz.Unstaffed) > 0):
			t.Fatalf("feasible finish %v with unstaffed roles %v", fz.FeasibleFinish, fz.Unstaffed)
		case !fz.FeasibleFinish.IsZero() && fz.FeasibleFinish.Before(fz.ScopedFinish):
			t.Fatalf("feasible finish %v before the scoped one %v", fz.FeasibleFinish, fz.ScopedFinish)
		}
		_ = scope.Reconcile(rvProposal, &s, fz)
		_ = s.Ref(rvProposal, fz)
	})
}
