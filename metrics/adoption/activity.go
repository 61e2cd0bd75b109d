package adoption

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/zone"
)

// ActivityOptions configures an [Activity].
type ActivityOptions struct {
	// From (inclusive) and To (exclusive) bound the activities counted.
	// Both are required, and the range may span at most 3,660 days.
	From, To time.Time
	// Location is where days and weeks are reckoned. Required.
	Location *time.Location
	// Reps lists the team: each appears in the logging rates, with zero
	// activities if need be. Reps who logged activities but are not listed
	// appear too.
	Reps []string
}

// maxActivityDays bounds the range of an Activity, so that its result
// stays small.
const maxActivityDays = 3660

// Activity accumulates adoption figures from an activity log: daily and
// weekly active reps (DAU and WAU) and each rep's activity logging rate.
//
// A rep is active on a day (or in a week) when at least one of their
// activities falls on it, in Location. Days run from the date of From to
// the date of the last instant before To; weeks are ISO 8601 weeks (Monday
// to Sunday) that overlap those days, a partial week at either end counting
// as one. Its memory grows with reps × active days, not with the number of
// activities. Not safe for concurrent use; merge one per goroutine.
type Activity struct {
	opts       ActivityOptions
	first      accord.Date // the first day
	days       int         // number of days
	activities int64
	outside    int64
	rejected   int64
	reps       map[string]*repLog
}

type repLog struct {
	n    int64
	days map[int32]struct{} // day offsets from first
}

// NewActivity returns an empty Activity.
func NewActivity(opts ActivityOptions) (*Activity, error) {
	var errs []error
	if opts.Location == nil {
		errs = append(errs, accord.Invalid("location", "is required"))
	}
	if opts.From.IsZero() {
		errs = append(errs, accord.Invalid("from", "is required"))
	}
	if opts.To.IsZero() {
		errs = append(errs, accord.Invalid("to", "is required"))
	} else if !opts.To.After(opts.From) {
		errs = append(errs, accord.Invalid("to", "must be after from"))
	}
	for i, r := range opts.Reps {
		if r == "" {
			errs = append(errs, accord.Invalid(fmt.Sprintf("reps[%d]", i), "is required"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	a := &Activity{opts: opts, reps: map[string]*repLog{}}
	a.opts.Reps = slices.Clone(opts.Reps)
	a.first = accord.DateOf(opts.From.In(opts.Location))
	days := a.first.DaysUntil(accord.DateOf(opts.To.Add(-time.Nanosecond).In(opts.Location))) + 1
	if days > maxActivityDays {
		return nil, accord.Invalid("to", "must be at most %d days after from", maxActivityDays)
	}
	a.days = days
	for _, r := range opts.Reps {
		a.rep(r)
	}
	return a, nil
}

func (a *Activity) built() error {
	if a == nil || a.reps == nil {
		return accord.Invalid("activity", "is not built: use NewActivity")
	}
	return nil
}

func (a *Activity) rep(id string) *repLog {
	r := a.reps[id]
	if r == nil {
		r = &repLog{days: map[int32]struct{}{}}
		a.reps[id] = r
	}
	return r
}

// Add accumulates one logged activity, by the rep in its By field at its
// time At. An activity without a rep or a time is refused with an error
// and counted as rejected; one outside the range is counted as outside and
// otherwise ignored.
func (a *Activity) Add(act deal.Activity) error {
	if err := a.built(); err != nil {
		return err
	}
	var errs []error
	if act.By == "" {
		errs = append(errs, accord.Invalid("by", "is required"))
	}
	if act.At.IsZero() {
		errs = append(errs, accord.Invalid("at", "is required"))
	}
	if err := errors.Join(errs...); err != nil {
		a.rejected++
		return err
	}
	if act.At.Before(a.opts.From) || !act.At.Before(a.opts.To) {
		a.outside++
		return nil
	}
	a.activities++
	r := a.rep(act.By)
	r.n++
	r.days[int32(a.first.DaysUntil(accord.DateOf(act.At.In(a.opts.Location))))] = struct{}{}
	return nil
}

// Merge adds the activities accumulated by o, built with the same range and
// location.
func (a *Activity) Merge(o *Activity) error {
	if err := a.built(); err != nil {
		return err
	}
	if o.built() != nil {
		return accord.Invalid("other", "is not a built activity")
	}
	if !a.opts.From.Equal(o.opts.From) || !a.opts.To.Equal(o.opts.To) || !zone.Same(a.opts.Location, o.opts.Location) ||
		a.first != o.first || a.days != o.days {
		return accord.Invalid("other", "was built for a different range or location")
	}
	a.activities += o.activities
	a.outside += o.outside
	a.rejected += o.rejected
	for id, or := range o.reps {
		r := a.rep(id)
		if r == or {
			r.n *= 2
			continue
		}
		r.n += or.n
		for d := range or.days {
			r.days[d] = struct{}{}
		}
	}
	return nil
}

// ActivityResult holds the figures of an [Activity].
type ActivityResult struct {
	// Activities counts the activities in the range, Outside those out of
	// it, Rejected those refused.
	Activities int64 `json:"activities"`
	Outside    int64 `json:"outside"`
	Rejected   int64 `json:"rejected"`
	// Days lists every day of the range with its active reps.
	Days []ActiveCount `json:"days"`
	// Weeks lists every ISO week that overlaps the range with its active
	// reps.
	Weeks []ActiveCount `json:"weeks"`
	// DAU is the mean number of daily active reps: active rep-days over
	// days. WAU is the mean number of weekly active reps: active rep-weeks
	// over weeks.
	DAU metrics.Ratio `json:"dau"`
	WAU metrics.Ratio `json:"wau"`
	// Logging has each rep's activity logging rate, activities over the
	// weeks of the range, ordered by rep.
	Logging []RepLogging `json:"logging"`
}

// ActiveCount counts the active reps of one day ("2026-03-02") or ISO week
// ("2026-W10").
type ActiveCount struct {
	Period string `json:"period"`
	Reps   int64  `json:"reps"`
}

// RepLogging is one rep's activity logging rate per week.
type RepLogging struct {
	Rep     string        `json:"rep"`
	PerWeek metrics.Ratio `json:"per_week"`
}

// Result returns the figures accumulated so far.
func (a *Activity) Result() ActivityResult {
	if a.built() != nil {
		return ActivityResult{}
	}
	r := ActivityResult{Activities: a.activities, Outside: a.outside, Rejected: a.rejected}
	daily := make([]int64, a.days)
	// Week of each day: ISO weeks in order, numbered from the first.
	weekOf := make([]int, a.days)
	var weekNames []string
	for i := range a.days {
		y, w := a.first.AddDays(i).In(time.UTC).ISOWeek()
		name := fmt.Sprintf("%04d-W%02d", y, w)
		if len(weekNames) == 0 || weekNames[len(weekNames)-1] != name {
			weekNames = append(weekNames, name)
		}
		weekOf[i] = len(weekNames) - 1
	}
	weekly := make([]int64, len(weekNames))
	weeks := int64(len(weekNames))
	seen := make([]bool, len(weekNames))
	ids := make([]string, 0, len(a.reps))
	for id := range a.reps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		rl := a.reps[id]
		clear(seen)
		for d := range rl.days {
			daily[d]++
			if w := weekOf[d]; !seen[w] {
				seen[w] = true
				weekly[w]++
			}
		}
		r.Logging = append(r.Logging, RepLogging{Rep: id, PerWeek: metrics.Ratio{Num: rl.n, Den: weeks}})
	}
	var sumD, sumW int64
	for i, n := range daily {
		r.Days = append(r.Days, ActiveCount{Period: a.first.AddDays(i).String(), Reps: n})
		sumD += n
	}
	for i, n := range weekly {
		r.Weeks = append(r.Weeks, ActiveCount{Period: weekNames[i], Reps: n})
		sumW += n
	}
	r.DAU = metrics.Ratio{Num: sumD, Den: int64(a.days)}
	r.WAU = metrics.Ratio{Num: sumW, Den: weeks}
	return r
}
