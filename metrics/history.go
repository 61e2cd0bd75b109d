package metrics

import (
	"math"
	"slices"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

func invalidf(field, format string, args ...any) error {
	return accord.Invalid(field, format, args...)
}

// base is what every calculator over deals embeds: the process the deals
// follow and what the calculators read of it by position (the open stages
// in order, then live, then lost), the counts of deals added and refused,
// and one [deal.Reading] reused for every deal, so that reading a history
// allocates nothing. The history itself is read by package deal
// ([deal.Process.ReadImported]): metrics has no rules of its own.
type base struct {
	proc      *deal.Process
	stages    []deal.Stage   // the open stages
	ids       []deal.StageID // every stage by position
	live      int            // position of live; lost is live+1
	closedWon int            // position of the Closed Won stage
	reasons   []deal.LossReason
	deals     int64
	// rejected counts the deals refused.
	rejected int64
	rd       deal.Reading
}

func newBase(p *deal.Process) (base, error) {
	stages := p.Stages() // nil for a nil or unbuilt process
	if len(stages) == 0 {
		return base{}, invalidf("process", "is not built: use deal.Default or deal.NewProcess")
	}
	b := base{proc: p, stages: stages, live: len(stages), closedWon: len(stages), reasons: deal.LossReasons()}
	for i, s := range stages {
		b.ids = append(b.ids, s.ID)
		if s.ID == p.ClosedWon() {
			b.closedWon = i
		}
	}
	b.ids = append(b.ids, deal.StageLive, deal.StageLost)
	return b, nil
}

// ready reports a calculator that was not built by its constructor.
func ready(b *base, name, ctor string) error {
	if b == nil || b.proc == nil {
		return invalidf(name, "is not built: use %s", ctor)
	}
	return nil
}

// read reads d's history into the base's reading and counts d as added, or
// as rejected when the history is unusable.
func (b *base) read(d *deal.Deal) (*deal.Reading, error) {
	if err := b.proc.ReadImported(d, &b.rd); err != nil {
		b.rejected++
		return nil, err
	}
	b.deals++
	return &b.rd, nil
}

// readValued reads d like read and also checks its value, for the
// calculators that add up deal values.
func (b *base) readValued(d *deal.Deal) (*deal.Reading, error) {
	err := b.proc.ReadImported(d, &b.rd)
	if err == nil {
		if err = d.Value.Validate("value"); err != nil {
			err = dealErr(d, err)
		}
	}
	if err != nil {
		b.rejected++
		return nil, err
	}
	b.deals++
	return &b.rd, nil
}

// addCounts adds o's counts of deals added and refused to b's.
func (b *base) addCounts(o *base) {
	b.deals += o.deals
	b.rejected += o.rejected
}

// same reports whether b and o describe the same stages: the same IDs in
// the same order and the same Closed Won stage, and for each stage what the
// calculators read of it (probability, healthy time, flags, required
// fields). Variants of one process share IDs but not always the rest, and
// their accumulators must not merge.
func (b *base) same(o *base) bool {
	if b.proc == o.proc {
		return true
	}
	return b.closedWon == o.closedWon && slices.Equal(b.ids, o.ids) &&
		slices.EqualFunc(b.stages, o.stages, func(x, y deal.Stage) bool {
			return x.Probability.Equal(y.Probability) && x.HealthyDays == y.HealthyDays &&
				x.MultiThreaded == y.MultiThreaded && x.NeedsBusinessCase == y.NeedsBusinessCase &&
				slices.Equal(x.RequiredFields(), y.RequiredFields())
		})
}

// inPipeline reports whether a reading leaves the deal open, before the
// Closed Won stage.
func inPipeline(rd *deal.Reading) bool { return rd.Outcome == deal.OutcomeOpen }

// cycle returns the sales cycle of a closed deal: from its first event to
// the moment it was won (its last move into the won stages) or lost (its
// last event), measured with cal.
func cycle(rd *deal.Reading, cal *accord.Calendar) time.Duration {
	end := rd.LostAt
	if rd.Won() {
		end = rd.WonAt
	}
	return between(cal, rd.OpenedAt, end)
}

// cycleMinutes is minutes(cycle(rd, cal)), worked out without a call for
// a wall-clock cycle shorter than 2^32 seconds (136 years): every real one.
func cycleMinutes(rd *deal.Reading, cal *accord.Calendar) int64 {
	end := &rd.LostAt
	if rd.Won() {
		end = &rd.WonAt
	}
	if a, b := end.Unix(), rd.OpenedAt.Unix(); cal == nil && a >= b && a-b < 1<<32 {
		return minutes(time.Duration(a-b)*time.Second + time.Duration(end.Nanosecond()-rd.OpenedAt.Nanosecond()))
	}
	return minutes(cycle(rd, cal))
}

// between measures the time from from to to: the working time of cal
// ([accord.Calendar.Between]), or wall-clock time when cal is nil (blind to
// monotonic clock readings, as stored times have none, and saturated at the
// bounds of a Duration); never negative.
func between(cal *accord.Calendar, from, to time.Time) time.Duration {
	if cal != nil {
		if !to.After(from) {
			return 0
		}
		return cal.Between(from, to)
	}
	const limit = math.MaxInt64/int64(time.Second) - 1
	a, b := to.Unix(), from.Unix()
	ds := a - b
	switch {
	case (ds > 0) != (a > b) || ds > limit: // overflowed, or too far apart
		if a > b {
			return math.MaxInt64
		}
		return 0
	case ds < 0:
		return 0
	}
	return max(time.Duration(ds)*time.Second+time.Duration(to.Nanosecond()-from.Nanosecond()), 0)
}
