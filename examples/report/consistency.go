package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/assess"
)

// Consistency is the process consistency section: how consistently the
// process is actually used (see metrics.Consistency), overall, by owner
// (rep) and by segment. Shares are from 0 to 1 rounded to 4 places, null
// when the export cannot measure them (see Unmeasured).
type Consistency struct {
	// Target is the percentage below which a figure is flagged.
	Target  int64              `json:"target"`
	Overall ConsistencyFigures `json:"overall"`
	// ByOwner and BySegment list the groups in order of key.
	ByOwner   []ConsistencyRow `json:"by_owner"`
	BySegment []ConsistencyRow `json:"by_segment"`
	// Flags lists every measured figure below the target, overall first,
	// then by owner and by segment, with what drags it down.
	Flags []ConsistencyFlag `json:"flags"`
	// Unmeasured names the figures an export cannot measure, and why.
	Unmeasured []Unmeasured `json:"unmeasured"`
	// Maturity is what these figures decide in the maturity model.
	Maturity []MaturityEffect `json:"maturity"`
	// Note qualifies a measured figure, when the export's shape bears on
	// it.
	Note string `json:"note,omitempty"`

	overall consistencyRates
}

// ConsistencyFigures are the four shares of a group of deals.
type ConsistencyFigures struct {
	Deals          int64    `json:"deals"`
	ThroughProcess *float64 `json:"through_process"`
	CriteriaHeld   *float64 `json:"criteria_held"`
	RequiredFields *float64 `json:"required_fields"`
	ActivityLogged *float64 `json:"activity_logged"`
}

// ConsistencyRow is the figures of one owner or segment.
type ConsistencyRow struct {
	Key string `json:"key"`
	ConsistencyFigures

	rates consistencyRates
}

// ConsistencyFlag is a figure below the target with what drags it down.
type ConsistencyFlag struct {
	// Group is overall, owner or segment; Key the owner or segment.
	Group  string         `json:"group"`
	Key    string         `json:"key"`
	Figure string         `json:"figure"`
	Rate   metrics.Rate   `json:"rate"`
	Drag   []metrics.Drag `json:"drag"`
}

// Unmeasured is a figure the export cannot measure.
type Unmeasured struct {
	Figure string `json:"figure"`
	Why    string `json:"why"`
}

// MaturityEffect is one criterion of the maturity model the consistency
// figures decide: met, not met, or undecided (null) when unmeasured.
type MaturityEffect struct {
	Criterion   string `json:"criterion"`
	Stage       int    `json:"stage"`
	StageName   string `json:"stage_name"`
	Description string `json:"description"`
	Met         *bool  `json:"met"`
	Why         string `json:"why"`
}

type consistencyRates struct {
	through, criteria, fields, activity metrics.Rate
}

// figureOrder is the order of the figures, with their labels.
var figureOrder = []struct{ ID, Label string }{
	{metrics.FigureThroughProcess, "deals through the process"},
	{metrics.FigureCriteriaHeld, "criteria held"},
	{metrics.FigureRequiredFields, "required fields"},
	{metrics.FigureActivityLogged, "activity logged"},
}

// whyUnmeasured says why an export cannot measure a figure.
var whyUnmeasured = map[string]string{
	metrics.FigureCriteriaHeld:   "the process read from an export has no entry or exit criteria, and an imported history records no criteria, so no move can be judged",
	metrics.FigureRequiredFields: "the process read from an export names no required fields per stage",
	metrics.FigureActivityLogged: "an export of deals or stage changes records no activities (calls, e-mails, meetings)",
}

func figureLabel(id string) string {
	for _, f := range figureOrder {
		if f.ID == id {
			return f.Label
		}
	}
	return id
}

func ratesOf(f metrics.ConsistencyFigures) consistencyRates {
	return consistencyRates{f.ThroughProcess, f.CriteriaHeld, f.RequiredFields, f.ActivityLogged}
}

func (r consistencyRates) of(id string) metrics.Rate {
	switch id {
	case metrics.FigureThroughProcess:
		return r.through
	case metrics.FigureCriteriaHeld:
		return r.criteria
	case metrics.FigureRequiredFields:
		return r.fields
	}
	return r.activity
}

func figuresOf(f metrics.ConsistencyFigures) ConsistencyFigures {
	return ConsistencyFigures{Deals: f.Deals, ThroughProcess: share(f.ThroughProcess), CriteriaHeld: share(f.CriteriaHeld), RequiredFields: share(f.RequiredFields), ActivityLogged: share(f.ActivityLogged)}
}

// consistencyAcc accumulates the consistency of all deals, by owner and by
// segment.
type consistencyAcc struct {
	proc      *deal.Process
	activity  bool // a deal has an activity
	all       *metrics.Consistency
	bySegment map[string]*metrics.Consistency
}

func newConsistencyAcc(p *deal.Process) (*consistencyAcc, error) {
	all, err := metrics.NewConsistency(p, metrics.ConsistencyOptions{})
	if err != nil {
		return nil, err
	}
	return &consistencyAcc{proc: p, all: all, bySegment: map[string]*metrics.Consistency{}}, nil
}

// add adds a deal of the segment; its owner is d.Owner.
func (a *consistencyAcc) add(d *deal.Deal, segment string) error {
	c := a.bySegment[segment]
	if c == nil {
		var err error
		if c, err = metrics.NewConsistency(a.proc, metrics.ConsistencyOptions{}); err != nil {
			return err
		}
		a.bySegment[segment] = c
	}
	a.activity = a.activity || len(d.Activities) > 0
	if err := a.all.Add(d); err != nil {
		return err
	}
	return c.Add(d)
}

// measurable reports which figures the export can measure: criteria and
// required fields only when the process has some, activity only when some
// deal has an activity; and why not.
func (a *consistencyAcc) measurable() map[string]string {
	var criteria, fields bool
	for _, st := range a.proc.Stages() {
		criteria = criteria || len(st.Entry) > 0 || len(st.Exit) > 0
		fields = fields || len(st.RequiredFields()) > 0
	}
	out := map[string]string{}
	if !criteria {
		out[metrics.FigureCriteriaHeld] = whyUnmeasured[metrics.FigureCriteriaHeld]
	}
	if !fields {
		out[metrics.FigureRequiredFields] = whyUnmeasured[metrics.FigureRequiredFields]
	}
	if !a.activity {
		out[metrics.FigureActivityLogged] = whyUnmeasured[metrics.FigureActivityLogged]
	}
	return out
}

// blank zeroes the figures that cannot be measured.
func blank(f *metrics.ConsistencyFigures, not map[string]string) {
	for id := range not {
		switch id {
		case metrics.FigureCriteriaHeld:
			f.CriteriaHeld = metrics.Rate{}
		case metrics.FigureRequiredFields:
			f.RequiredFields = metrics.Rate{}
		case metrics.FigureActivityLogged:
			f.ActivityLogged = metrics.Rate{}
		}
	}
}

// keepFlags drops the flags of the figures that cannot be measured.
func keepFlags(fs []metrics.ConsistencyFlag, not map[string]string) []metrics.ConsistencyFlag {
	return slices.DeleteFunc(fs, func(f metrics.ConsistencyFlag) bool { _, ok := not[f.Figure]; return ok })
}

// result returns the section. currentOnly says the export has one row per
// deal, so the histories lack the stages between.
func (a *consistencyAcc) result(currentOnly bool) *Consistency {
	not := a.measurable()
	r := a.all.Result()
	blank(&r.Overall, not)
	for i := range r.ByRep {
		blank(&r.ByRep[i].ConsistencyFigures, not)
	}
	r.Flags = keepFlags(r.Flags, not)
	out := &Consistency{Target: r.Target, Overall: figuresOf(r.Overall), overall: ratesOf(r.Overall), ByOwner: []ConsistencyRow{}, BySegment: []ConsistencyRow{}, Flags: []ConsistencyFlag{}, Unmeasured: []Unmeasured{}}
	for _, g := range r.ByRep {
		out.ByOwner = append(out.ByOwner, ConsistencyRow{Key: cmp.Or(g.Key, noSegment), ConsistencyFigures: figuresOf(g.ConsistencyFigures), rates: ratesOf(g.ConsistencyFigures)})
	}
	var segFlags []ConsistencyFlag
	for _, key := range slices.Sorted(maps.Keys(a.bySegment)) {
		sr := a.bySegment[key].Result()
		blank(&sr.Overall, not)
		sr.Flags = keepFlags(sr.Flags, not)
		out.BySegment = append(out.BySegment, ConsistencyRow{Key: key, ConsistencyFigures: figuresOf(sr.Overall), rates: ratesOf(sr.Overall)})
		for _, f := range sr.Flags {
			if f.Group == metrics.GroupOverall {
				segFlags = append(segFlags, ConsistencyFlag{Group: "segment", Key: key, Figure: f.Figure, Rate: f.Rate, Drag: f.Drag})
			}
		}
	}
	for _, f := range r.Flags {
		switch f.Group {
		case metrics.GroupOverall:
			out.Flags = append(out.Flags, ConsistencyFlag{Group: "overall", Figure: f.Figure, Rate: f.Rate, Drag: f.Drag})
		case metrics.GroupRep:
			out.Flags = append(out.Flags, ConsistencyFlag{Group: "owner", Key: cmp.Or(f.Key, noSegment), Figure: f.Figure, Rate: f.Rate, Drag: f.Drag})
		}
	}
	out.Flags = append(out.Flags, segFlags...)
	for i := range out.Flags {
		if out.Flags[i].Drag == nil {
			out.Flags[i].Drag = []metrics.Drag{}
		}
	}
	for _, f := range figureOrder {
		if why, ok := not[f.ID]; ok {
			out.Unmeasured = append(out.Unmeasured, Unmeasured{Figure: f.ID, Why: why})
		} else if out.overall.of(f.ID).Den == 0 {
			out.Unmeasured = append(out.Unmeasured, Unmeasured{Figure: f.ID, Why: "no deal of the export has anything to count"})
		}
	}
	if currentOnly {
		out.Note = "The export has one row per deal: its current stage and dates, not the stages it went through. A deal past the first stage therefore skips stages in its imported history, so deals through the process counts the deals whose history the export could record whole, and its shortfall is as much the export's as the reps'. An export of stage changes (-events, or a mapping of kind changes) measures it properly."
	}
	out.Maturity = maturityEffects(r)
	return out
}

// maturityStageNames are the names of the maturity model's stages.
var maturityStageNames = []string{"pre-CRM", "adopted", "defined", "managed", "predictable", "optimised"}

// maturityEffects returns the criteria of the maturity model that the
// consistency figures decide (assess.MaturityFigures.Consistency): the
// defined process, and required-field completion when measured.
func maturityEffects(r metrics.ConsistencyResult) []MaturityEffect {
	var f assess.MaturityFigures
	f.Consistency(r)
	o := r.Overall
	var out []MaturityEffect
	for _, c := range assess.MaturityModel() {
		e := MaturityEffect{Criterion: c.ID, Stage: c.Stage, Description: c.Description}
		if c.Stage < len(maturityStageNames) {
			e.StageName = maturityStageNames[c.Stage]
		}
		switch c.ID {
		case "defined_process":
			met := f.DefinedProcess
			e.Met = &met
			e.Why = fmt.Sprintf("deals through the process %s and criteria held %s, against a target of %d%%: a process not used consistently defines nothing", rate(o.ThroughProcess), rate(o.CriteriaHeld), r.Target)
			if o.CriteriaHeld.Den == 0 {
				e.Why += "; criteria not measured are not held against it"
			}
		case "required_fields_80", "required_fields_95":
			if f.RequiredFields.Den > 0 {
				pct := int64(80)
				if c.ID == "required_fields_95" {
					pct = 95
				}
				met := f.RequiredFields.AtLeast(pct)
				e.Met = &met
				e.Why = "required fields complete " + rate(f.RequiredFields)
			} else {
				e.Why = whyUnmeasured[metrics.FigureRequiredFields]
			}
		default:
			continue
		}
		out = append(out, e)
	}
	return out
}

// reasonText explains the drag reasons of deals through the process, the
// fields of the rules their histories broke.
var reasonText = map[string]string{
	"history[].to":   "skipped a stage",
	"history[].kind": "opened past the first stage or recorded by hand",
	"stage":          "stage set by hand",
	"version":        "version set by hand",
}

// reasonOf formats a drag reason for people.
func reasonOf(figure, reason string) string {
	if t, ok := reasonText[reason]; ok && figure == metrics.FigureThroughProcess {
		return t + " (" + reason + ")"
	}
	return reason
}

// flagDrag formats what drags a flagged figure down.
func flagDrag(f ConsistencyFlag) string {
	if len(f.Drag) == 0 {
		return "-"
	}
	var parts []string
	for _, d := range f.Drag {
		parts = append(parts, fmt.Sprintf("%s ×%s", reasonOf(f.Figure, d.Reason), count(d.Count)))
	}
	return strings.Join(parts, "; ")
}

// consistencyHead is the header of the figures tables.
func consistencyHead(by string) []string {
	return []string{by, "deals", "through the process", "criteria held", "required fields", "activity logged"}
}

// consistencyRow formats one group's figures; a figure below the target
// is marked "!".
func consistencyRow(key string, deals int64, r consistencyRates, c *Consistency) []string {
	row := []string{key, count(deals)}
	for _, f := range figureOrder {
		x := r.of(f.ID)
		if x.Den == 0 {
			row = append(row, "n/a")
			continue
		}
		s := rate(x)
		if !x.AtLeast(c.Target) {
			s += " !"
		}
		row = append(row, s)
	}
	return row
}

// consistencyRows are the figures overall, by owner and by segment, with
// a header.
func consistencyRows(c *Consistency) [][]string {
	rows := [][]string{consistencyHead("group"), consistencyRow("overall", c.Overall.Deals, c.overall, c)}
	for _, g := range c.ByOwner {
		rows = append(rows, consistencyRow("owner: "+g.Key, g.Deals, g.rates, c))
	}
	for _, g := range c.BySegment {
		rows = append(rows, consistencyRow("segment: "+g.Key, g.Deals, g.rates, c))
	}
	return rows
}

// consistencyFlagRows are the flagged figures with what drags them down,
// with a header.
func consistencyFlagRows(c *Consistency) [][]string {
	rows := [][]string{{"below target", "figure", "share", "dragged down by"}}
	for _, f := range c.Flags {
		g := f.Group
		if f.Key != "" {
			g += ": " + f.Key
		}
		rows = append(rows, []string{g, figureLabel(f.Figure), rate(f.Rate), flagDrag(f)})
	}
	return rows
}

// consistencyText is the section's prose: what cannot be measured, the
// note on the export's shape and the maturity effect.
func consistencyText(c *Consistency) []string {
	var out []string
	for _, u := range c.Unmeasured {
		out = append(out, fmt.Sprintf("Not measured: %s: %s.", figureLabel(u.Figure), u.Why))
	}
	if c.Note != "" {
		out = append(out, c.Note)
	}
	for _, m := range c.Maturity {
		verdict := "undecided"
		if m.Met != nil {
			verdict = "not met"
			if *m.Met {
				verdict = "met"
			}
		}
		out = append(out, fmt.Sprintf("Maturity, stage %d (%s): %q %s: %s.", m.Stage, m.StageName, m.Description, verdict, m.Why))
	}
	return out
}
