package metrics

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
)

// HygieneOptions configures a [Hygiene].
type HygieneOptions struct {
	// Now is the moment of the report. Required.
	Now time.Time
	// IdleDays is how many days without an update make a deal in the
	// pipeline idle; 0 means 14.
	IdleDays int
	// Calendar, when set, counts only working time towards IdleDays
	// ([accord.Calendar.Between]); nil means calendar time.
	Calendar *accord.Calendar
}

// Hygiene accumulates data hygiene figures from deal records at a moment:
// required-field completion by stage, and the share of deals in the
// pipeline not updated in IdleDays or more.
//
// The required fields of a stage are those its entry and exit criteria
// name ([deal.Stage.RequiredFields]); a field is complete when [deal.Present]
// holds for it. A field that Present cannot check (named by a host's own
// criterion) is listed as unchecked rather than counted. A deal counts in
// the stage its history ends in; live and lost deals have no required
// fields.
//
// A deal was last updated at the latest of its events, activities, close
// date changes and artifacts. Its memory does not grow with the number of
// deals. Not safe for concurrent use; merge one per goroutine.
type Hygiene struct {
	base
	opts     HygieneOptions
	checks   [][]fieldCheck // per open stage
	inStage  []int64        // deals in each open stage
	complete []int64        // of those, deals with every checked field complete
	present  [][]int64      // per open stage, per checked field
	open     int64
	idle     int64
}

// maxDays bounds counts of days, as package deal does: a century.
const maxDays = 36500

type fieldCheck struct {
	path string
	rule deal.Rule
}

// NewHygiene returns an empty Hygiene for deals of process p.
func NewHygiene(p *deal.Process, opts HygieneOptions) (*Hygiene, error) {
	b, err := newBase(p)
	errs := []error{err}
	if opts.Now.IsZero() {
		errs = append(errs, invalidf("now", "is required"))
	}
	if opts.IdleDays < 0 || opts.IdleDays > maxDays {
		errs = append(errs, invalidf("idle_days", "must be between 0 and %d; got %d", maxDays, opts.IdleDays))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.IdleDays == 0 {
		opts.IdleDays = 14
	}
	h := &Hygiene{base: b, opts: opts, inStage: make([]int64, b.live), complete: make([]int64, b.live)}
	for _, s := range b.stages {
		var cs []fieldCheck
		for _, f := range s.RequiredFields() {
			cs = append(cs, fieldCheck{path: f, rule: checkable(f)})
		}
		h.checks = append(h.checks, cs)
		h.present = append(h.present, make([]int64, len(cs)))
	}
	return h, nil
}

// checkable returns deal.Present(path), or nil when Present does not know
// the path: a process built with it is refused.
func checkable(path string) deal.Rule {
	r := deal.Present(path)
	_, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "s", Name: "s", Exit: []deal.Criterion{{ID: "c", Description: "c", Rule: r}}}}})
	if err != nil {
		return nil
	}
	return r
}

func (h *Hygiene) built() error { return builtCalc(h, "hygiene", "NewHygiene") }

// Add accumulates one deal. A deal with an unusable history (see
// [Pipeline.Add]) is refused with an error and counted as rejected.
func (h *Hygiene) Add(d *deal.Deal) error {
	rd, err := readDeal(h, d, false)
	if err != nil {
		return err
	}
	if final := rd.Current().Index; final < h.live {
		h.inStage[final]++
		all := true
		for i, c := range h.checks[final] {
			if c.rule == nil {
				continue
			}
			if c.rule.Met(d, h.opts.Now) {
				h.present[final][i]++
			} else {
				all = false
			}
		}
		if all {
			h.complete[final]++
		}
	}
	if inPipeline(rd) {
		h.open++
		if between(h.opts.Calendar, lastUpdate(d, rd.Current().Entered), h.opts.Now) >= time.Duration(h.opts.IdleDays)*24*time.Hour {
			h.idle++
		}
	}
	return nil
}

// lastUpdate returns the latest of last (the last event), d's activities,
// close date changes and artifacts.
func lastUpdate(d *deal.Deal, last time.Time) time.Time {
	for i := range d.Activities {
		last = maxTime(last, d.Activities[i].At)
	}
	for i := range d.CloseDateChanges {
		last = maxTime(last, d.CloseDateChanges[i].At)
	}
	for i := range d.Artifacts {
		last = maxTime(last, d.Artifacts[i].AddedAt)
	}
	return last
}

// Merge adds the deals accumulated by o, built for the same process and
// with the same options.
func (h *Hygiene) Merge(o *Hygiene) error {
	if err := mergeable(h, o, "hygiene"); err != nil {
		return err
	}
	if !h.opts.Now.Equal(o.opts.Now) || h.opts.IdleDays != o.opts.IdleDays {
		return invalidf("other", "was built with different options")
	}
	h.addCounts(&o.base)
	h.open += o.open
	h.idle += o.idle
	addInts(h.inStage, o.inStage)
	addInts(h.complete, o.complete)
	for i := range h.present {
		addInts(h.present[i], o.present[i])
	}
	return nil
}

// HygieneResult holds the figures of a [Hygiene].
type HygieneResult struct {
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// Stages has one row per open stage of the process, in order.
	Stages []StageCompletion `json:"stages"`
	// Idle is the share of the deals in the pipeline whose last update is
	// IdleDays or more before Now.
	Idle Rate `json:"idle"`
}

// StageCompletion is the required-field completion of the deals now in one
// stage.
type StageCompletion struct {
	Stage deal.StageID `json:"stage"`
	// Fields is the share of required fields complete, over every deal and
	// checked field; Complete the share of deals with all of them.
	Fields   Rate `json:"fields"`
	Complete Rate `json:"complete"`
	// ByField has the completion of each checked field, in the order the
	// stage names them.
	ByField []FieldCompletion `json:"by_field,omitempty"`
	// Unchecked lists the required fields that deal.Present cannot check.
	Unchecked []string `json:"unchecked,omitempty"`
}

// FieldCompletion is the share of deals in a stage with a field complete.
type FieldCompletion struct {
	Field string `json:"field"`
	Rate  Rate   `json:"rate"`
}

// Result returns the figures accumulated so far.
func (h *Hygiene) Result() HygieneResult {
	if h.built() != nil {
		return HygieneResult{}
	}
	r := HygieneResult{Deals: h.deals, Rejected: h.rejected, Idle: Rate{Num: h.idle, Den: h.open}}
	for s, cs := range h.checks {
		n := h.inStage[s]
		sc := StageCompletion{Stage: h.ids[s], Complete: Rate{Num: h.complete[s], Den: n}}
		for i, c := range cs {
			if c.rule == nil {
				sc.Unchecked = append(sc.Unchecked, c.path)
				continue
			}
			sc.ByField = append(sc.ByField, FieldCompletion{Field: c.path, Rate: Rate{Num: h.present[s][i], Den: n}})
			sc.Fields.Num += h.present[s][i]
			sc.Fields.Den += n
		}
		r.Stages = append(r.Stages, sc)
	}
	return r
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// MarshalBinary returns h's partial, for [Hygiene.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (h *Hygiene) MarshalBinary() ([]byte, error) { return h.AppendBinary(nil) }

// AppendBinary appends h's partial to b, as [Hygiene.MarshalBinary].
func (h *Hygiene) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(h, b, "hygiene")
}

// UnmarshalBinary replaces h's state with the partial in data, computed
// for the same process, moment, idle days and calendar. h must be built
// with [NewHygiene]; on error it is left unchanged.
func (h *Hygiene) UnmarshalBinary(data []byte) error {
	return readPartial(h, data, "hygiene", "this hygiene", func() (*Hygiene, error) { return NewHygiene(h.proc, h.opts) })
}

func (h *Hygiene) settings() []wire.Setting {
	return h.base.settings(
		wire.Setting{Name: "now", Value: describeTime(h.opts.Now)},
		wire.Setting{Name: "idle_days", Value: strconv.Itoa(h.opts.IdleDays)},
		wire.Setting{Name: "calendar", Value: describeCalendar(h.opts.Calendar)})
}

func (h *Hygiene) state(c *wire.Codec) {
	h.base.state(c)
	c.Uints("in_stage", h.inStage)
	c.Uints("complete", h.complete)
	c.Enter("present", -1)
	c.Fixed(len(h.present))
	c.Leave()
	for i := range h.present {
		c.Uints(fmt.Sprintf("present[%d]", i), h.present[i])
		for j, n := range h.present[i] {
			atMost(c, fmt.Sprintf("present[%d][%d]", i, j), "in_stage", h.inStage[i], n)
		}
		atMost(c, fmt.Sprintf("complete[%d]", i), "in_stage", h.inStage[i], h.complete[i])
	}
	c.Uint("open", &h.open)
	c.Uint("idle", &h.idle)
	atMost(c, "in_stage", "deals", h.deals, h.inStage...)
	atMost(c, "open", "deals", h.deals, h.open)
	atMost(c, "idle", "open", h.open, h.idle)
}
