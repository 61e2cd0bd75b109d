package policy_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/policy"
)

// benchSubject is the realistic subject: a deal about to close with
// a quote, a discount and a payment request, breaking no policy.
func benchSubject() policy.Subject {
	s := cleanSubject()
	return policy.Subject{Deal: s.Deal, Closing: true, Discount: s.Discount, Payment: s.Payment, Scope: s.Scope}
}

var sinkViolations []policy.Violation

// BenchmarkCheckDefaultSet checks every built-in policy against a deal with
// a quote, a discount and a payment request. Target: under 2 µs and at
// most 4 allocations per op.
func BenchmarkCheckDefaultSet(b *testing.B) {
	benchmarkCheckClean(b, "the realistic subject", benchSubject())
}

// benchmarkCheckClean measures the default set checking s, which (what)
// must break no policy.
func benchmarkCheckClean(b *testing.B, what string, s policy.Subject) {
	set := defaultSet()
	if vs := set.Check(s, fixNow); len(vs) != 0 {
		b.Fatalf("%s breaks policies: %v", what, vs)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkViolations = set.Check(s, fixNow)
	}
}

// BenchmarkCheckDefaultSetEveryPart adds a refund, terms, a plan and a
// catalog to the subject, so that every policy has something to check.
func BenchmarkCheckDefaultSetEveryPart(b *testing.B) {
	benchmarkCheckClean(b, "the subject", cleanSubject())
}

// BenchmarkCheckDefaultSetViolations checks a deal that breaks three
// policies five times: the cost of building the messages.
func BenchmarkCheckDefaultSetViolations(b *testing.B) {
	set := defaultSet()
	s := benchSubject()
	d := *s.Deal
	d.Quote.Discounts = []deal.Discount{{ID: "x", Amount: usd("9000"), OfferedAt: time.Date(2027, time.March, 31, 9, 0, 0, 0, time.UTC)}}
	d.Quote.Lines = append([]deal.QuoteLine{{Product: "accord", Edition: "starter"}}, d.Quote.Lines...)
	d.Commercials.TermMonths = 0
	s.Deal = &d
	if n := len(set.Check(s, fixNow)); n != 5 {
		b.Fatalf("%d violations, want 5", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkViolations = set.Check(s, fixNow)
	}
}

// handwritten is what a host would write without the package: the same
// checks of the realistic subject inline, returning messages only for what
// fails. It is the floor the interface-based set is measured against.
func handwritten(s policy.Subject, now time.Time) []string {
	var out []string
	d := s.Deal
	edition := ""
	for _, l := range d.Quote.Lines {
		if l.Edition != "" && edition == "" {
			edition = l.Edition
		} else if l.Edition != "" && l.Edition != edition {
			out = append(out, "tiers")
		}
		if l.AddOn && l.Price.IsSet() && !l.Price.Amount.IsZero() {
			out = append(out, "paid add-on")
		}
	}
	discount := func(x *deal.Discount) {
		y, m, day := x.OfferedAt.UTC().Date()
		if time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()-day < 5 {
			out = append(out, "period end")
		}
		if !x.Concession.Valid() {
			out = append(out, "no concession")
		}
		if x.Concession == deal.ConcessionMultiYear && d.Commercials.TermMonths < 24 {
			out = append(out, "short term")
		}
	}
	discount(s.Discount)
	for i := range d.Quote.Discounts {
		discount(&d.Quote.Discounts[i])
	}
	if s.Payment != nil && !d.Scope.Approved() {
		out = append(out, "early payment")
	}
	if s.Closing && (!d.Scope.Approved() || len(d.Scope.Categories) == 0 || d.Commercials.TermMonths <= 0 || d.Commercials.ImplementationStart.IsZero()) {
		out = append(out, "structure")
	}
	if l := d.Lead; l.Inbound && !l.ReceivedAt.IsZero() && (l.FirstTouchAt.IsZero() && now.Sub(l.ReceivedAt) > 5*time.Minute || l.FirstTouchAt.Sub(l.ReceivedAt) > 5*time.Minute) {
		out = append(out, "slow lead")
	}
	return out
}

var sinkStrings []string

// BenchmarkCheckHandwritten is the alternative: the same checks written
// inline (month ends only, in UTC, with no messages).
func BenchmarkCheckHandwritten(b *testing.B) {
	s := benchSubject()
	if got := handwritten(s, fixNow); len(got) != 0 {
		b.Fatalf("handwritten finds %v", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkStrings = handwritten(s, fixNow)
	}
}

// BenchmarkAdvanceGated closes a deal through a process gated with the
// default set, against BenchmarkAdvanceUngated, the same process without
// the gate: the cost the policies add to a close.
func BenchmarkAdvanceGated(b *testing.B) {
	p, err := policy.Gated(closeProcess(b), defaultSet())
	if err != nil {
		b.Fatal(err)
	}
	benchClose(b, p)
}

func BenchmarkAdvanceUngated(b *testing.B) { benchClose(b, closeProcess(b)) }

func benchClose(b *testing.B, p *deal.Process) {
	d := cleanDeal()
	if err := p.Open(d, gateRep, fixNow.Add(-time.Hour)); err != nil {
		b.Fatal(err)
	}
	d.Artifacts = []deal.Artifact{{Kind: deal.ArtifactSignedAgreement, Ref: "msa.pdf"}}
	open := *d
	history := append([]deal.Event(nil), d.History...)
	rep := accord.Actor{ID: "rep-1", Role: accord.RoleSalesRep}
	b.ReportAllocs()
	for b.Loop() {
		*d = open
		d.History = append(d.History[:0:0], history...)
		if err := p.Advance(d, rep, fixNow); err != nil {
			b.Fatal(err)
		}
	}
}
