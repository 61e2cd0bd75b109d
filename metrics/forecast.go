package metrics

import (
	"cmp"
	"errors"
	"slices"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/shopspring/decimal"
)

// Snapshot is one forecast and what came of it: the revenue forecast for a
// period and the revenue actually closed in it.
type Snapshot struct {
	// Key groups snapshots: a period such as "2026-Q1", a forecaster, or
	// both. Snapshots with the same key and currency are summed.
	Key      string       `json:"key"`
	Forecast accord.Money `json:"forecast"`
	Actual   accord.Money `json:"actual"`
}

// Forecasts accumulates forecast accuracy from [Snapshot] values. Its zero
// value is ready to use. Not safe for concurrent use; merge one per
// goroutine.
//
// The accuracy of one forecast is 1 − |forecast − actual| / actual. Over
// several snapshots of a group the errors and the actuals are summed first:
// 1 − Σ|forecast − actual| / Σactual, so a larger period weighs more and the
// figure can be merged exactly. It is 1 for a perfect forecast, and falls
// below 0 when the error exceeds the actual. It is undefined when the
// actuals sum to zero.
type Forecasts struct {
	snapshots int64
	rejected  int64
	groups    map[groupKey]*forecastSums
}

type forecastSums struct {
	n                        int64
	forecast, actual, absErr amountSum
}

// Add accumulates one snapshot. The forecast and the actual must both be
// set, valid, not negative and in the same currency; a snapshot that is not
// is refused with an error naming every problem, and counted as rejected.
func (f *Forecasts) Add(s Snapshot) error {
	if f == nil {
		return invalidf("forecasts", "is nil")
	}
	var errs []error
	for _, m := range []struct {
		name string
		v    accord.Money
	}{{"forecast", s.Forecast}, {"actual", s.Actual}} {
		switch {
		case !m.v.IsSet():
			errs = append(errs, invalidf(m.name, "is required"))
		case m.v.Validate(m.name) != nil:
			errs = append(errs, m.v.Validate(m.name))
		case m.v.Amount.IsNegative():
			errs = append(errs, invalidf(m.name+".amount", "must not be negative"))
		}
	}
	if errs == nil && s.Forecast.Currency != s.Actual.Currency {
		errs = append(errs, invalidf("actual.currency", "must be the forecast's currency %s; got %s", s.Forecast.Currency, s.Actual.Currency))
	}
	if err := errors.Join(errs...); err != nil {
		f.rejected++
		return err
	}
	f.snapshots++
	k := groupKey{key: s.Key, currency: s.Actual.Currency}
	g := f.group(k)
	g.n++
	g.forecast.add(s.Forecast.Amount)
	g.actual.add(s.Actual.Amount)
	g.absErr.add(s.Forecast.Amount.Sub(s.Actual.Amount).Abs())
	return nil
}

func (f *Forecasts) group(k groupKey) *forecastSums {
	if f.groups == nil {
		f.groups = map[groupKey]*forecastSums{}
	}
	g := f.groups[k]
	if g == nil {
		g = &forecastSums{}
		f.groups[k] = g
	}
	return g
}

// Merge adds the snapshots accumulated by o.
func (f *Forecasts) Merge(o *Forecasts) error {
	if f == nil {
		return invalidf("forecasts", "is nil")
	}
	if o == nil {
		return invalidf("other", "is nil")
	}
	f.snapshots += o.snapshots
	f.rejected += o.rejected
	for k, og := range o.groups {
		c := *og // og may be the group it is merged into
		g := f.group(k)
		g.n += c.n
		g.forecast.merge(&c.forecast)
		g.actual.merge(&c.actual)
		g.absErr.merge(&c.absErr)
	}
	return nil
}

// ForecastResult holds the figures of [Forecasts].
type ForecastResult struct {
	Snapshots int64 `json:"snapshots"`
	Rejected  int64 `json:"rejected"`
	// Groups has one row per key and currency, ordered by key then currency.
	Groups []ForecastAccuracy `json:"groups"`
}

// ForecastAccuracy is the accuracy of the forecasts of one group: its
// numerator is AbsError and its denominator Actual.
type ForecastAccuracy struct {
	Key       string       `json:"key"`
	Snapshots int64        `json:"snapshots"`
	Forecast  accord.Money `json:"forecast"`
	Actual    accord.Money `json:"actual"`
	// AbsError is the sum of |forecast − actual| over the snapshots.
	AbsError accord.Money `json:"abs_error"`
}

// Value returns 1 − AbsError/Actual, or false when Actual is zero.
func (a ForecastAccuracy) Value() (float64, bool) {
	if a.Actual.Amount.Sign() <= 0 {
		return 0, false
	}
	return 1 - a.AbsError.Amount.InexactFloat64()/a.Actual.Amount.InexactFloat64(), true
}

// AtLeast reports whether the accuracy is defined and at least pct percent,
// compared exactly: AbsError × 100 ≤ (100 − pct) × Actual.
func (a ForecastAccuracy) AtLeast(pct int64) bool {
	if a.Actual.Amount.Sign() <= 0 || a.AbsError.Currency != a.Actual.Currency {
		return false
	}
	hundred := decimal.NewFromInt(100)
	return a.AbsError.Amount.Mul(hundred).Cmp(a.Actual.Amount.Mul(decimal.NewFromInt(100-pct))) <= 0
}

// Result returns the figures accumulated so far.
func (f *Forecasts) Result() ForecastResult {
	if f == nil {
		return ForecastResult{}
	}
	r := ForecastResult{Snapshots: f.snapshots, Rejected: f.rejected}
	for k, g := range f.groups {
		r.Groups = append(r.Groups, ForecastAccuracy{
			Key: k.key, Snapshots: g.n,
			Forecast: g.forecast.money(k.currency), Actual: g.actual.money(k.currency), AbsError: g.absErr.money(k.currency),
		})
	}
	slices.SortFunc(r.Groups, func(a, b ForecastAccuracy) int {
		return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Actual.Currency, b.Actual.Currency))
	})
	return r
}

// MarshalBinary returns f's partial, for [Forecasts.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (f *Forecasts) MarshalBinary() ([]byte, error) { return f.AppendBinary(nil) }

// AppendBinary appends f's partial to b, as [Forecasts.MarshalBinary].
func (f *Forecasts) AppendBinary(b []byte) ([]byte, error) {
	if f == nil {
		return b, invalidf("forecasts", "is nil")
	}
	return wire.Append(b, "forecasts", nil, f.state)
}

// UnmarshalBinary replaces f's state with the partial in data. On error f
// is left unchanged.
func (f *Forecasts) UnmarshalBinary(data []byte) error {
	if f == nil {
		return invalidf("forecasts", "is nil")
	}
	var g Forecasts
	if err := wire.Read(data, "forecasts", "these forecasts", nil, g.state); err != nil {
		return err
	}
	*f = g
	return nil
}

func (f *Forecasts) state(c *wire.Codec) {
	c.Uint("snapshots", &f.snapshots)
	c.Uint("rejected", &f.rejected)
	if c.Reading() {
		f.groups = map[groupKey]*forecastSums{}
	}
	wire.Map(c, "groups", f.groups, compareGroupKeys,
		func(k *groupKey) { groupKeyState(c, k, false) },
		func(g *forecastSums) {
			c.Uint("snapshots", &g.n)
			g.forecast.state(c, "forecast", -1)
			g.actual.state(c, "actual", -1)
			g.absErr.state(c, "abs_error", -1)
		})
}
