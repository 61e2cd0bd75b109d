package metrics

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/shopspring/decimal"
)

// VelocityOptions configures a [Velocity].
type VelocityOptions struct {
	// Key groups deals, such as [BySegment]; nil puts every deal in one
	// group with the empty key.
	Key func(*deal.Deal) string
	// Calendar, when set, counts only working time in the sales cycle
	// ([accord.Calendar.Between]); nil means calendar time.
	Calendar *accord.Calendar
}

// Velocity accumulates sales velocity by group and currency:
//
//	velocity = opportunities × win rate × average won value / average cycle
//
// where, within a group of deals with the same key and the same value
// currency, opportunities counts the deals in the pipeline, the win rate is
// Won/(Won+Lost), the average won value is the mean value of won deals and
// the average cycle is the mean sales cycle of won deals (first event to the
// last move into the won stages) in days of 24 hours of counted time, each
// cycle measured in whole minutes. The result is money per day. Deals
// without a value form the group with an empty currency, which has no money
// figures.
//
// Its memory grows with the number of groups only. Not safe for
// concurrent use; merge one per goroutine.
type Velocity struct {
	base
	opts   VelocityOptions
	groups map[groupKey]*velocitySums
}

type groupKey struct {
	key      string
	currency accord.Currency
}

type velocitySums struct {
	open, won, lost int64
	wonValue        amountSum
	cycleMinutes    int64 // summed over won deals
}

// NewVelocity returns an empty Velocity for deals of process p.
func NewVelocity(p *deal.Process, opts VelocityOptions) (*Velocity, error) {
	b, err := newBase(p)
	if err != nil {
		return nil, err
	}
	return &Velocity{base: b, opts: opts, groups: map[groupKey]*velocitySums{}}, nil
}

func (v *Velocity) built() error { return builtCalc(v, "velocity", "NewVelocity") }

// Add accumulates one deal. A deal with an unusable history (see
// [Pipeline.Add]) or an invalid value is refused with an error and counted
// as rejected.
func (v *Velocity) Add(d *deal.Deal) error {
	rd, err := readDeal(v, d, true)
	if err != nil {
		return err
	}
	k := groupKey{currency: d.Value.Currency}
	if v.opts.Key != nil {
		k.key = v.opts.Key(d)
	}
	s := v.groups[k]
	if s == nil {
		s = &velocitySums{}
		v.groups[k] = s
	}
	switch {
	case inPipeline(rd):
		s.open++
	case rd.Won():
		s.won++
		s.wonValue.add(d.Value.Amount)
		s.cycleMinutes = satAdd(s.cycleMinutes, minutes(cycle(rd, v.opts.Calendar)))
	default:
		s.lost++
	}
	return nil
}

func satAdd(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return 1<<63 - 1
}

// Merge adds the deals accumulated by o, built for the same process and
// with the same Key and Calendar.
func (v *Velocity) Merge(o *Velocity) error {
	if err := mergeable(v, o, "velocity"); err != nil {
		return err
	}
	v.addCounts(&o.base)
	for k, os := range o.groups {
		s := v.groups[k]
		if s == nil {
			s = &velocitySums{}
			v.groups[k] = s
		}
		c := *os // os may be s
		s.open += c.open
		s.won += c.won
		s.lost += c.lost
		s.wonValue.merge(&c.wonValue)
		s.cycleMinutes = satAdd(s.cycleMinutes, c.cycleMinutes)
	}
	return nil
}

// VelocityResult holds the figures of a [Velocity].
type VelocityResult struct {
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// Groups has one row per key and currency, ordered by key then currency.
	Groups []VelocityGroup `json:"groups"`
}

// VelocityGroup is the sales velocity of one group. The averages and the
// velocity are nil when undefined: without won deals, or (velocity) with a
// zero average cycle, or in the group without a currency.
type VelocityGroup struct {
	Key      string          `json:"key"`
	Currency accord.Currency `json:"currency"`
	// Opportunities counts the group's deals in the pipeline.
	Opportunities int64 `json:"opportunities"`
	WinRate       Rate  `json:"win_rate"`
	// WonValue is the sum of the won deals' values, exact.
	WonValue accord.Money `json:"won_value"`
	// CycleMinutes is the sum of the won deals' cycles, in whole minutes.
	CycleMinutes int64 `json:"cycle_minutes"`
	// AverageWonValue is WonValue over the won deals, rounded to the
	// currency's minor unit.
	AverageWonValue *accord.Money `json:"average_won_value"`
	// AverageCycle is the mean cycle of the won deals, truncated to the
	// nanosecond.
	AverageCycle *time.Duration `json:"average_cycle"`
	// PerDay is the velocity, computed exactly from the sums above and
	// rounded once, to the currency's minor unit:
	// Opportunities × Won × WonValue × 1440 / ((Won+Lost) × CycleMinutes).
	PerDay *accord.Money `json:"per_day"`
}

// Result returns the figures accumulated so far.
func (v *Velocity) Result() VelocityResult {
	if v.built() != nil {
		return VelocityResult{}
	}
	r := VelocityResult{Deals: v.deals, Rejected: v.rejected}
	for k, s := range v.groups {
		g := VelocityGroup{
			Key: k.key, Currency: k.currency, Opportunities: s.open,
			WinRate: Rate{Num: s.won, Den: s.won + s.lost}, CycleMinutes: s.cycleMinutes,
		}
		if k.currency != "" {
			g.WonValue = s.wonValue.money(k.currency)
		}
		if s.won > 0 {
			avg := meanDuration(s.cycleMinutes, s.won)
			g.AverageCycle = &avg
			if k.currency != "" {
				places := minorUnits(k.currency)
				m := accord.Money{Amount: g.WonValue.Amount.DivRound(decimal.NewFromInt(s.won), places), Currency: k.currency}
				g.AverageWonValue = &m
				if s.cycleMinutes > 0 {
					num := g.WonValue.Amount.Mul(decimal.NewFromInt(s.open)).Mul(decimal.NewFromInt(s.won)).Mul(decimal.NewFromInt(1440))
					den := decimal.NewFromInt(s.won + s.lost).Mul(decimal.NewFromInt(s.cycleMinutes))
					pd := accord.Money{Amount: num.DivRound(den, places), Currency: k.currency}
					g.PerDay = &pd
				}
			}
		}
		r.Groups = append(r.Groups, g)
	}
	slices.SortFunc(r.Groups, func(a, b VelocityGroup) int {
		return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Currency, b.Currency))
	})
	return r
}

// meanDuration returns total minutes over n (> 0) as a Duration, truncated
// to the nanosecond and saturated at the largest Duration.
func meanDuration(total, n int64) time.Duration {
	hi, lo := bits.Mul64(uint64(total), uint64(time.Minute))
	if hi >= uint64(n) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(n))
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(q)
}

// MarshalBinary returns v's partial, for [Velocity.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (v *Velocity) MarshalBinary() ([]byte, error) { return v.AppendBinary(nil) }

// AppendBinary appends v's partial to b, as [Velocity.MarshalBinary].
func (v *Velocity) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(v, b, "velocity")
}

// UnmarshalBinary replaces v's state with the partial in data, computed
// for the same process and calendar, with a Key on both sides or on
// neither. v must be built with [NewVelocity]; on error it is left
// unchanged.
func (v *Velocity) UnmarshalBinary(data []byte) error {
	return readPartial(v, data, "velocity", "this velocity", func() (*Velocity, error) { return NewVelocity(v.proc, v.opts) })
}

func (v *Velocity) settings() []wire.Setting {
	return v.base.settings(
		wire.Setting{Name: "key", Value: describeKey(v.opts.Key)},
		wire.Setting{Name: "calendar", Value: describeCalendar(v.opts.Calendar)})
}

func (v *Velocity) state(c *wire.Codec) {
	v.base.state(c)
	wire.Map(c, "groups", v.groups, compareGroupKeys,
		func(k *groupKey) { groupKeyState(c, k, true) },
		func(s *velocitySums) {
			c.Uint("open", &s.open)
			c.Uint("won", &s.won)
			c.Uint("lost", &s.lost)
			s.wonValue.state(c, "won_value", -1)
			c.Uint("cycle_minutes", &s.cycleMinutes)
		})
}
