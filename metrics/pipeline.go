package metrics

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
)

// PipelineOptions configures a [Pipeline].
type PipelineOptions struct {
	// Key groups the win rate: by segment, owner or anything the caller
	// derives from a deal (see [BySegment] and [ByOwner]). Nil means no
	// grouping.
	Key func(*deal.Deal) string
	// Calendar, when set, counts only working time in time in stage and in
	// the sales cycle ([accord.Calendar.Between]). Nil means calendar time.
	Calendar *accord.Calendar
	// Percentiles lists the percentiles, each 0 to 100, to report for time
	// in stage and the sales cycle, besides the median.
	Percentiles []int
}

// BySegment groups deals by their segment.
func BySegment(d *deal.Deal) string { return d.Segment }

// ByOwner groups deals by their owner.
func ByOwner(d *deal.Deal) string { return d.Owner }

// Pipeline accumulates the pipeline figures of deals from their histories:
// counts by stage, stage-to-stage conversion, win rates, time in stage, the
// sales cycle, loss reasons and the reversion rate. Each figure is defined on
// [PipelineResult].
//
// Add deals one at a time, Merge pipelines built with the same process and
// options (from other goroutines or shards), and read the Result at any
// time. Its memory does not grow with the number of deals: counters per
// stage, per group key and per distinct minute of duration. A Pipeline is
// not safe for concurrent use; give each goroutine its own and merge them.
type Pipeline struct {
	base
	opts     PipelineOptions
	current  []int64 // deals whose history ends in each stage
	entered  []int64 // deals that ever entered each stage
	onward   []int64 // of those, deals that later entered the next stage
	time     []hist  // time in each open stage, of deals that left it
	won      int64
	lost     int64
	groups   groups
	cycleWon hist
	cycleLst hist
	losses   []int64 // by open stage × loss reason
	reverted int64
	spent    []time.Duration // scratch: time in each open stage of one deal, by a calendar
}

// spentBy sets p.spent to the time rd spent in each open stage, visits
// summed, measured with cal.
func (p *Pipeline) spentBy(rd *deal.Reading, cal *accord.Calendar) {
	if len(p.spent) != p.live {
		p.spent = make([]time.Duration, p.live)
	}
	clear(p.spent)
	for i := 0; i+1 < rd.Len(); i++ {
		s := rd.Stay(i)
		if s.Index >= p.live {
			continue
		}
		if t := p.spent[s.Index] + between(cal, s.Entered, s.Left); t >= p.spent[s.Index] {
			p.spent[s.Index] = t
		} else {
			p.spent[s.Index] = math.MaxInt64
		}
	}
}

type tally struct{ deals, won, lost int64 }

// groups holds a tally per key: a short list searched in order while it
// is short (most keys, such as segments, are few), indexed by a map beyond.
type groups struct {
	keys    []string
	tallies []tally
	index   map[string]int
	// recent remembers, by the address of its string, where a key found
	// before is: the keys of most deals are one string in memory with a
	// key seen before (a segment named by a constant, or interned by an
	// importer), found here without a search. Two ways to a set, the
	// latest first, so that a few keys rarely push each other out. An
	// entry holds its string, so its memory is never another's.
	recent [recentSets][2]recentKey
}

type recentKey struct {
	key string
	i   int
}

const (
	recentBits = 5
	recentSets = 1 << recentBits
)

func (g *groups) get(key string) *tally {
	p := unsafe.StringData(key)
	set := &g.recent[(uint64(uintptr(unsafe.Pointer(p)))*0x9e3779b97f4a7c15)>>(64-recentBits)]
	for w := range set {
		if r := &set[w]; len(r.key) == len(key) && unsafe.StringData(r.key) == p && key != "" {
			return &g.tallies[r.i]
		}
	}
	i := g.find(key)
	if key != "" {
		set[1], set[0] = set[0], recentKey{key, i}
	}
	return &g.tallies[i]
}

// find returns the index of key, added if new.
func (g *groups) find(key string) int {
	if g.index != nil {
		if i, ok := g.index[key]; ok {
			return i
		}
	} else {
		for i, k := range g.keys {
			// Told apart without comparing bytes when one string.
			if len(k) == len(key) && (unsafe.StringData(k) == unsafe.StringData(key) || k == key) {
				return i
			}
		}
	}
	g.keys = append(g.keys, key)
	g.tallies = append(g.tallies, tally{})
	if g.index != nil {
		g.index[key] = len(g.keys) - 1
	} else if len(g.keys) > 8 {
		g.index = make(map[string]int, 2*len(g.keys))
		for i, k := range g.keys {
			g.index[k] = i
		}
	}
	return len(g.tallies) - 1
}

// NewPipeline returns an empty Pipeline for deals of process p.
func NewPipeline(p *deal.Process, opts PipelineOptions) (*Pipeline, error) {
	b, err := newBase(p)
	errs := []error{err}
	errs = append(errs, checkPercentiles("percentiles", opts.Percentiles)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	opts.Percentiles = slices.Clone(opts.Percentiles)
	n := len(b.ids)
	return &Pipeline{
		base:    b,
		opts:    opts,
		current: make([]int64, n),
		entered: make([]int64, n),
		onward:  make([]int64, b.live),
		time:    make([]hist, b.live),
		losses:  make([]int64, b.live*len(b.reasons)),
	}, nil
}

func (p *Pipeline) built() error { return builtCalc(p, "pipeline", "NewPipeline") }

// Add accumulates one deal. A deal whose history is unusable (nil deal,
// empty history, an undated or out-of-order event, a stage the process does
// not have, a loss without an open stage before it or a known reason) is
// refused with an error naming every problem, and counted as rejected; it
// contributes nothing else.
func (p *Pipeline) Add(d *deal.Deal) error {
	if p == nil || p.proc == nil {
		return p.built()
	}
	// What p.read does, without the call: every deal takes this path.
	rd := &p.rd
	if err := p.proc.ReadImported(d, rd); err != nil {
		p.rejected++
		return err
	}
	p.deals++
	live, cal := p.live, p.opts.Calendar
	if cal != nil {
		p.spentBy(rd, cal)
	}
	// The stages the deal entered are found through its stays, each
	// counted at its first stay there: the deal is now in the stage whose
	// last entry is the last stay, and was in the stage whose last entry
	// is the stay before it (the stage a lost deal was lost at), without
	// building a Stay for either. A stage the deal never entered has
	// nothing to count.
	n, before := rd.Len(), -1
	for j := range n {
		i := rd.Index(j)
		first, last := rd.Entries(i)
		if first != j {
			continue
		}
		p.entered[i]++
		switch last {
		case n - 1:
			p.current[i]++
		case n - 2:
			before = i
		}
		if i >= live {
			continue
		}
		if _, next := rd.Entries(i + 1); next > first {
			p.onward[i]++
		}
		if last != n-1 {
			spent := rd.TimeIn(i)
			if cal != nil {
				spent = p.spent[i]
			}
			if h, m := &p.time[i], minutes(spent); !h.tryPush(m) {
				h.push(m)
			}
		}
	}
	if rd.Reverts > 0 {
		p.reverted++
	}
	var t *tally
	if p.opts.Key != nil {
		t = p.groups.get(p.opts.Key(d))
		t.deals++
	}
	switch {
	case rd.Won():
		p.won++
		if m := cycleMinutes(rd, cal); !p.cycleWon.tryPush(m) {
			p.cycleWon.push(m)
		}
		if t != nil {
			t.won++
		}
	case rd.Outcome == deal.OutcomeLost:
		p.lost++
		if m := cycleMinutes(rd, cal); !p.cycleLst.tryPush(m) {
			p.cycleLst.push(m)
		}
		p.losses[before*len(p.reasons)+rd.Loss.Reason.Index()]++
		if t != nil {
			t.lost++
		}
	}
	return nil
}

// Merge adds the deals accumulated by o, which must have been built for the
// same process and with the same Key and Calendar.
func (p *Pipeline) Merge(o *Pipeline) error {
	if err := mergeable(p, o, "pipeline"); err != nil {
		return err
	}
	p.addCounts(&o.base)
	addInts(p.current, o.current)
	addInts(p.entered, o.entered)
	addInts(p.onward, o.onward)
	addInts(p.losses, o.losses)
	for i := range p.time {
		p.time[i].merge(&o.time[i])
	}
	p.won += o.won
	p.lost += o.lost
	p.reverted += o.reverted
	p.cycleWon.merge(&o.cycleWon)
	p.cycleLst.merge(&o.cycleLst)
	n := len(o.groups.keys) // o may be p, whose keys do not grow here
	for i := 0; i < n; i++ {
		g := o.groups.tallies[i]
		t := p.groups.get(o.groups.keys[i])
		t.deals += g.deals
		t.won += g.won
		t.lost += g.lost
	}
	return nil
}

func addInts(dst, src []int64) {
	for i := range dst {
		dst[i] += src[i]
	}
}

// PipelineResult holds the figures of a [Pipeline]. Every figure comes from
// the deals' histories, where a deal's current stage is the stage of its
// last event:
//
//   - A deal is won when its current stage is the Closed Won stage or later
//     (live included), lost when it is lost, and otherwise in the pipeline.
//   - A deal entered a stage when an event of its history moved it there
//     (opening, advancing, reverting or reopening).
type PipelineResult struct {
	// Deals counts the deals added; Rejected counts those refused.
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// Stages has one row for each open stage of the process, in order, then
	// live and lost.
	Stages []StageResult `json:"stages"`
	// Conversions has one row for each open stage: the share of the deals
	// that entered it which later entered the stage after it (live, after
	// the last open stage).
	Conversions []Conversion `json:"conversions"`
	// WinRate is Won/(Won+Lost) over all deals; deals in the pipeline are
	// not counted.
	WinRate Rate `json:"win_rate"`
	// WinRateBy is the win rate of each group of the Key option, ordered by
	// key; empty without a Key.
	WinRateBy []GroupWinRate `json:"win_rate_by,omitempty"`
	// CycleWon and CycleLost are the sales cycles of won and lost deals:
	// from the first event to the last move into the won stages, or to the
	// loss.
	CycleWon  Distribution `json:"cycle_won"`
	CycleLost Distribution `json:"cycle_lost"`
	// LossReasons counts lost deals by the stage they were lost at and their
	// loss reason, in stage order and then in the order of
	// [deal.LossReasons]; pairs with no deal are left out.
	LossReasons []LossCount `json:"loss_reasons"`
	// Reversion is the share of deals whose history has at least one move
	// back to an earlier open stage (a reopen after a loss is not one).
	Reversion Rate `json:"reversion"`
}

// StageResult holds the figures of one stage.
type StageResult struct {
	Stage deal.StageID `json:"stage"`
	// Current counts the deals now in the stage.
	Current int64 `json:"current"`
	// Entered counts the deals that ever entered the stage.
	Entered int64 `json:"entered"`
	// Time is the time in stage of the deals that entered it and have since
	// left it: for each deal, the time of all its visits summed. A deal now
	// in the stage is not counted, since its time there is not known yet.
	// Live and lost have no time in stage.
	Time Distribution `json:"time"`
}

// Conversion is the share of deals that entered From and later entered To.
type Conversion struct {
	From deal.StageID `json:"from"`
	To   deal.StageID `json:"to"`
	Rate Rate         `json:"rate"`
}

// GroupWinRate is the win rate of one group of deals.
type GroupWinRate struct {
	Key string `json:"key"`
	// Deals counts the group's deals, in the pipeline included.
	Deals   int64 `json:"deals"`
	WinRate Rate  `json:"win_rate"`
}

// LossCount counts the lost deals lost at Stage for Reason.
type LossCount struct {
	Stage  deal.StageID    `json:"stage"`
	Reason deal.LossReason `json:"reason"`
	Deals  int64           `json:"deals"`
}

// Result returns the figures accumulated so far. It does not change p.
func (p *Pipeline) Result() PipelineResult {
	if p.built() != nil {
		return PipelineResult{}
	}
	r := PipelineResult{
		Deals:     p.deals,
		Rejected:  p.rejected,
		WinRate:   Rate{Num: p.won, Den: p.won + p.lost},
		CycleWon:  p.cycleWon.distribution(p.opts.Percentiles),
		CycleLost: p.cycleLst.distribution(p.opts.Percentiles),
		Reversion: Rate{Num: p.reverted, Den: p.deals},
	}
	for i, id := range p.ids {
		s := StageResult{Stage: id, Current: p.current[i], Entered: p.entered[i]}
		if i < p.live {
			s.Time = p.time[i].distribution(p.opts.Percentiles)
			r.Conversions = append(r.Conversions, Conversion{From: id, To: p.ids[i+1], Rate: Rate{Num: p.onward[i], Den: p.entered[i]}})
		}
		r.Stages = append(r.Stages, s)
	}
	for i, k := range p.groups.keys {
		g := p.groups.tallies[i]
		r.WinRateBy = append(r.WinRateBy, GroupWinRate{Key: k, Deals: g.deals, WinRate: Rate{Num: g.won, Den: g.won + g.lost}})
	}
	slices.SortFunc(r.WinRateBy, func(a, b GroupWinRate) int { return strings.Compare(a.Key, b.Key) })
	for s := 0; s < p.live; s++ {
		for j, reason := range p.reasons {
			if n := p.losses[s*len(p.reasons)+j]; n > 0 {
				r.LossReasons = append(r.LossReasons, LossCount{Stage: p.ids[s], Reason: reason, Deals: n})
			}
		}
	}
	return r
}

// MarshalBinary returns p's partial: its state and the settings it was
// computed under, for [Pipeline.UnmarshalBinary] in another process (see
// the package documentation, "Partials").
func (p *Pipeline) MarshalBinary() ([]byte, error) { return p.AppendBinary(nil) }

// AppendBinary appends p's partial to b, as [Pipeline.MarshalBinary].
func (p *Pipeline) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(p, b, "pipeline")
}

// UnmarshalBinary replaces p's state with the partial in data, which must
// have been computed under p's settings: the same process (stages,
// probabilities, healthy times, flags, required fields), the same
// calendar, and a Key on both sides or on neither. p must be built with
// [NewPipeline]; on error it is left unchanged.
func (p *Pipeline) UnmarshalBinary(data []byte) error {
	return readPartial(p, data, "pipeline", "this pipeline", func() (*Pipeline, error) { return NewPipeline(p.proc, p.opts) })
}

func (p *Pipeline) settings() []wire.Setting {
	return p.base.settings(
		wire.Setting{Name: "key", Value: describeKey(p.opts.Key)},
		wire.Setting{Name: "calendar", Value: describeCalendar(p.opts.Calendar)})
}

func (p *Pipeline) state(c *wire.Codec) {
	p.base.state(c)
	c.Uints("current", p.current)
	c.Uints("entered", p.entered)
	c.Uints("onward", p.onward)
	for i := range p.time {
		p.time[i].state(c, "time", i)
	}
	c.Uint("won", &p.won)
	c.Uint("lost", &p.lost)
	tallies := map[string]*tally{}
	for i, k := range p.groups.keys {
		tallies[k] = &p.groups.tallies[i]
	}
	wire.Map(c, "groups", tallies, strings.Compare, func(k *string) { c.String("key", k) }, func(t *tally) {
		c.Uint("deals", &t.deals)
		c.Uint("won", &t.won)
		c.Uint("lost", &t.lost)
		atMost(c, "lost", "deals", t.deals, t.won, t.lost)
	})
	p.cycleWon.state(c, "cycle_won", -1)
	p.cycleLst.state(c, "cycle_lost", -1)
	c.Uints("losses", p.losses)
	c.Uint("reverted", &p.reverted)
	if !c.Reading() || c.Err() != nil {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(tallies)) {
		*p.groups.get(k) = *tallies[k]
	}
	atMost(c, "current", "deals", p.deals, p.current...)
	atMost(c, "lost", "deals", p.deals, p.won, p.lost)
	atMost(c, "reverted", "deals", p.deals, p.reverted)
}
