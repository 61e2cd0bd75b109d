package adoption_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/adoption"
	"github.com/accordhq/accord/metrics/internal/calctest"
)

// The partials of every accumulator here are written, read and merged by
// TestMergeLaws (calctest); these tests cover refusals and the fuzz target.

func partialKinds() []func() (calctest.Partial, func() any, func(calctest.Partial) error) {
	return []func() (calctest.Partial, func() any, func(calctest.Partial) error){
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			u, _ := adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "1"})
			return u, func() any { return u.Result() }, func(o calctest.Partial) error { return u.Merge(o.(*adoption.Duplicates)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			s, _ := adoption.NewStale(adoption.StaleOptions{Now: t0, Location: time.UTC})
			return s, func() any { return s.Result() }, func(o calctest.Partial) error { return s.Merge(o.(*adoption.Stale)) }
		},
		func() (calctest.Partial, func() any, func(calctest.Partial) error) {
			a, _ := adoption.NewActivity(adoption.ActivityOptions{From: t0, To: t0.Add(28 * day), Location: time.UTC, Reps: []string{"u-1", "u-9"}})
			return a, func() any { return a.Result() }, func(o calctest.Partial) error { return a.Merge(o.(*adoption.Activity)) }
		},
	}
}

// FuzzPartials reads any bytes as a partial of every kind: never a panic,
// an error naming a field, or a partial that writes back and merges.
func FuzzPartials(f *testing.F) {
	kinds := partialKinds()
	var seeds [][]byte
	recs := []adoption.Record{
		{ID: "r1", Name: "Acme", Email: "a@acme.com", Phone: "+1 415 555 0100", LastEngagedAt: t0},
		{ID: "r2", Name: "ACME, Inc.", Phone: "(415) 555-0100"},
	}
	for i, build := range kinds {
		p, _, _ := build()
		switch a := p.(type) {
		case *adoption.Duplicates:
			for _, r := range recs {
				_ = a.Add(r)
			}
		case *adoption.Stale:
			for _, r := range recs {
				_ = a.Add(r)
			}
		case *adoption.Activity:
			_ = a.Add(deal.Activity{By: "u-1", At: t0.Add(3 * day)})
			_ = a.Add(deal.Activity{By: "u-2", At: t0.Add(9 * day)})
		}
		data, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, append([]byte{byte(i)}, data...))
	}
	calctest.FuzzPartials(f, kinds, seeds)
}

// TestPartialRefusesOtherSettings: a partial of another configuration is
// refused, naming the setting.
func TestPartialRefusesOtherSettings(t *testing.T) {
	a, _ := adoption.NewActivity(adoption.ActivityOptions{From: t0, To: t0.Add(28 * day), Location: time.UTC})
	b, _ := adoption.NewActivity(adoption.ActivityOptions{From: t0, To: t0.Add(28 * day), Location: time.FixedZone("", 3600)})
	data, _ := a.MarshalBinary()
	if err := b.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), "settings.location: the partial was computed with \"UTC 0,0,0,0,0\"") {
		t.Errorf("activity in another zone: %v", err)
	}
	u, _ := adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "44"})
	v, _ := adoption.NewDuplicates(adoption.DuplicateOptions{})
	data, _ = u.MarshalBinary()
	if err := v.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), `settings.country_code: the partial was computed with "44", these duplicates with none`) {
		t.Errorf("duplicates of another country code: %v", err)
	}
	s1, _ := adoption.NewStale(adoption.StaleOptions{Now: t0, Location: time.UTC})
	s2, _ := adoption.NewStale(adoption.StaleOptions{Now: t0, Months: 6, Location: time.UTC})
	data, _ = s1.MarshalBinary()
	if err := s2.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), "settings.cutoff") {
		t.Errorf("stale of another cutoff: %v", err)
	}
	var unbuilt adoption.Stale
	if err := unbuilt.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), "NewStale") {
		t.Errorf("reading into an unbuilt stale: %v", err)
	}
}
