package metrics

import (
	"cmp"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
)

// The figures of a [Consistency], as a [ConsistencyFlag] names them. The
// codes are stable.
const (
	FigureThroughProcess = "through_process"
	FigureCriteriaHeld   = "criteria_held"
	FigureRequiredFields = "required_fields"
	FigureActivityLogged = "activity_logged"
)

// The groups of a [ConsistencyFlag]. The codes are stable.
const (
	GroupOverall = "overall"
	GroupRep     = "rep"
	GroupTeam    = "team"
	GroupVariant = "variant"
)

// ConsistencyOptions configures a [Consistency].
type ConsistencyOptions struct {
	// Teams gives each rep's team, by the rep's actor ID (a deal's
	// owner); a rep not listed is in the team "".
	Teams map[string]string
	// Target is the share, in percent, below which a figure is flagged;
	// 0 means 90. A sales process and a CRM used less consistently than
	// that are no management tools: every report samples instead of
	// counting.
	Target int64
}

// Consistency accumulates how consistently a process is actually used,
// per rep (the deal's owner), per team and per process variant (the
// process's ID, see [deal.Config]), from deals' histories and records.
// Four figures, each a [Rate]:
//
//   - ThroughProcess: the deals whose history moves only through the
//     process: [deal.Process.Read] accepts it, so no stage was skipped or
//     recorded from outside and no stage, version or loss was set by
//     hand. A history only [deal.Process.ReadImported] accepts (an import,
//     or a hand edit) counts against it; its drag names the field of each
//     rule broken, indexes removed ("history[].kind", "stage").
//   - CriteriaHeld: the forward moves (into a later stage, won or live)
//     whose criteria held, the exit criteria of the stage left and the
//     entry criteria of the stage entered. A history does not record what
//     was unmet when it moved, so this is measured on the deal's record as
//     it stands, judged at the time of each move; a criterion that reads
//     the next step is not judged, since the record keeps only the latest
//     one. A move the process made itself passed its gates, so this
//     catches moves recorded around them, and records emptied since. Its
//     drag names "stage/criterion".
//   - RequiredFields: the required fields ([deal.Stage.RequiredFields]) of
//     every open stage the deal left by a forward move, each stage once,
//     that are complete on the record ([deal.Present]); its drag names the
//     missing fields.
//   - ActivityLogged: the stays in open stages during which at least one
//     activity was logged (the stay the deal is still in runs to its
//     latest activity); its drag names the stages of the stays without.
//
// [ConsistencyResult.Flags] lists every figure, of any group, below the
// Target, with what drags it down;
// [github.com/accordhq/accord/metrics/assess.MaturityFigures.Consistency]
// gives the figures to the maturity model.
//
// Accumulators of different variants merge (they are told apart by their
// process's ID); two for different processes with the same ID do not.
// Memory grows with the number of reps, teams and distinct reasons, not
// with the number of deals. Not safe for concurrent use; merge one per
// goroutine.
type Consistency struct {
	base
	opts    ConsistencyOptions
	variant string
	strict  deal.Reading
	// per open stage: the criteria judged, and the required fields
	exit, entry [][]deal.Criterion
	required    [][]fieldCheck
	groups      map[useGroup]*useTally
	overall     *useTally
	// per deal, reused
	passed []bool
}

type useGroup struct{ group, key string }

type useTally struct {
	deals, through, moves, held, fields, filled, stays, logged int64
	drag                                                       map[string]map[string]int64 // figure → reason → count
}

func (t *useTally) dragged(figure, reason string, n int64) {
	if t.drag == nil {
		t.drag = map[string]map[string]int64{}
	}
	if t.drag[figure] == nil {
		t.drag[figure] = map[string]int64{}
	}
	t.drag[figure][reason] += n
}

// NewConsistency returns an empty Consistency for deals of process p.
func NewConsistency(p *deal.Process, opts ConsistencyOptions) (*Consistency, error) {
	b, err := newBase(p)
	errs := []error{err}
	if opts.Target < 0 || opts.Target > 100 {
		errs = append(errs, invalidf("target", "must be between 0 and 100 percent; got %d", opts.Target))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Target == 0 {
		opts.Target = 90
	}
	opts.Teams = maps.Clone(opts.Teams)
	c := &Consistency{base: b, opts: opts, variant: p.Config().ID, groups: map[useGroup]*useTally{}, overall: &useTally{}}
	judged := func(cs []deal.Criterion) []deal.Criterion {
		var out []deal.Criterion
		for _, cr := range cs {
			if fields, _ := cr.Reads(); !slices.Contains(fields, "next_step") {
				out = append(out, cr)
			}
		}
		return out
	}
	for _, s := range b.stages {
		c.exit = append(c.exit, judged(s.Exit))
		c.entry = append(c.entry, judged(s.Entry))
		var fs []fieldCheck
		for _, f := range s.RequiredFields() {
			if r := checkable(f); r != nil {
				fs = append(fs, fieldCheck{path: f, rule: r})
			}
		}
		c.required = append(c.required, fs)
	}
	c.passed = make([]bool, len(b.stages))
	return c, nil
}

func (c *Consistency) built() error { return builtCalc(c, "consistency", "NewConsistency") }

func (c *Consistency) tallies(d *deal.Deal) [4]*useTally {
	get := func(group, key string) *useTally {
		k := useGroup{group, key}
		t := c.groups[k]
		if t == nil {
			t = &useTally{}
			c.groups[k] = t
		}
		return t
	}
	return [4]*useTally{c.overall, get(GroupRep, d.Owner), get(GroupTeam, c.opts.Teams[d.Owner]), get(GroupVariant, c.variant)}
}

// indexes matches the list indexes of a field path.
var indexes = regexp.MustCompile(`\[\d+\]`)

// Add accumulates one deal. A deal whose history cannot be read even as an
// imported one ([deal.Process.ReadImported]) is refused with an error and
// counted as rejected.
func (c *Consistency) Add(d *deal.Deal) error {
	rd, err := readDeal(c, d, false)
	if err != nil {
		return err
	}
	ts := c.tallies(d)
	each := func(f func(t *useTally)) {
		for _, t := range ts {
			f(t)
		}
	}
	each(func(t *useTally) { t.deals++ })

	// Through the process: the strict reading accepts the history.
	if err := c.proc.Read(d, &c.strict); err == nil {
		each(func(t *useTally) { t.through++ })
	} else {
		seen := map[string]bool{}
		for _, fe := range fieldErrors(err) {
			reason := indexes.ReplaceAllString(fe.Field, "[]")
			if !seen[reason] {
				seen[reason] = true
				each(func(t *useTally) { t.dragged(FigureThroughProcess, reason, 1) })
			}
		}
	}

	// Forward moves and their criteria; the stages left forward.
	clear(c.passed)
	for i := 1; i < rd.Len(); i++ {
		from, to := rd.Stay(i-1), rd.Stay(i)
		if from.Index >= c.live || to.Index <= from.Index || to.Index > c.live {
			continue
		}
		c.passed[from.Index] = true
		var unmet []string
		for _, cr := range c.exit[from.Index] {
			if !cr.Rule.Met(d, to.Entered) {
				unmet = append(unmet, string(from.Stage)+"/"+cr.ID)
			}
		}
		if to.Index < c.live {
			for _, cr := range c.entry[to.Index] {
				if !cr.Rule.Met(d, to.Entered) {
					unmet = append(unmet, string(to.Stage)+"/"+cr.ID)
				}
			}
		}
		each(func(t *useTally) {
			t.moves++
			if len(unmet) == 0 {
				t.held++
			}
			for _, u := range unmet {
				t.dragged(FigureCriteriaHeld, u, 1)
			}
		})
	}

	// Required fields of the stages left forward.
	for s, ok := range c.passed {
		if !ok {
			continue
		}
		for _, f := range c.required[s] {
			met := f.rule.Met(d, d.StageEnteredAt)
			each(func(t *useTally) {
				t.fields++
				if met {
					t.filled++
				} else {
					t.dragged(FigureRequiredFields, f.path, 1)
				}
			})
		}
	}

	// Activity logged in each stay in an open stage.
	for i := range rd.Len() {
		st := rd.Stay(i)
		if st.Index >= c.live {
			continue
		}
		logged := slices.ContainsFunc(d.Activities, func(a deal.Activity) bool {
			return !a.At.Before(st.Entered) && (st.Left.IsZero() || a.At.Before(st.Left))
		})
		each(func(t *useTally) {
			t.stays++
			if logged {
				t.logged++
			} else {
				t.dragged(FigureActivityLogged, string(st.Stage), 1)
			}
		})
	}
	return nil
}

// fieldErrors lists the field errors in err, joined or wrapped.
func fieldErrors(err error) []*accord.FieldError {
	var out []*accord.FieldError
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *accord.FieldError
		if errors.As(err, &fe) {
			out = append(out, fe)
		}
	}
	walk(err)
	return out
}

// Merge adds the deals accumulated by o: of the same process, or of
// another variant (a process with another ID), with the same teams and
// target.
func (c *Consistency) Merge(o *Consistency) error {
	if err := bothBuilt(c, o, "consistency"); err != nil {
		return err
	}
	if c.variant == o.variant && !c.same(&o.base) {
		return invalidf("other", "was built for a different process with the same ID, %q", c.variant)
	}
	if c.opts.Target != o.opts.Target || !maps.Equal(c.opts.Teams, o.opts.Teams) {
		return invalidf("other", "was built with other teams or another target")
	}
	// Copy o's tallies first, so that merging c into itself doubles it.
	overall := o.overall.clone()
	groups := make(map[useGroup]*useTally, len(o.groups))
	for k, t := range o.groups {
		groups[k] = t.clone()
	}
	c.addCounts(&o.base)
	c.overall.add(overall)
	for k, t := range groups {
		if mine := c.groups[k]; mine != nil {
			mine.add(t)
		} else {
			c.groups[k] = t
		}
	}
	return nil
}

func (t *useTally) clone() *useTally {
	out := *t
	out.drag = nil
	for f, m := range t.drag {
		for r, n := range m {
			out.dragged(f, r, n)
		}
	}
	return &out
}

func (t *useTally) add(o *useTally) {
	t.deals += o.deals
	t.through += o.through
	t.moves += o.moves
	t.held += o.held
	t.fields += o.fields
	t.filled += o.filled
	t.stays += o.stays
	t.logged += o.logged
	for f, m := range o.drag {
		for r, n := range m {
			t.dragged(f, r, n)
		}
	}
}

// ConsistencyFigures are the four consistency figures of a group of deals
// (see [Consistency]).
type ConsistencyFigures struct {
	Deals          int64 `json:"deals"`
	ThroughProcess Rate  `json:"through_process"`
	CriteriaHeld   Rate  `json:"criteria_held"`
	RequiredFields Rate  `json:"required_fields"`
	ActivityLogged Rate  `json:"activity_logged"`
}

// ConsistencyGroup is the figures of one rep, team or variant.
type ConsistencyGroup struct {
	Key string `json:"key"`
	ConsistencyFigures
}

// ConsistencyFlag is a figure below the target, with what drags it down.
type ConsistencyFlag struct {
	// Group is GroupOverall, GroupRep, GroupTeam or GroupVariant, and Key
	// the rep, team or variant ("" for overall).
	Group string `json:"group"`
	Key   string `json:"key"`
	// Figure is one of the Figure constants.
	Figure string `json:"figure"`
	Rate   Rate   `json:"rate"`
	// Drag lists what pulls the figure down, the most frequent first
	// (then by reason), at most five.
	Drag []Drag `json:"drag"`
}

// Drag is one reason a figure is low, and how often it occurred.
type Drag struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// ConsistencyResult holds the figures of a [Consistency].
type ConsistencyResult struct {
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// Target is the percentage below which a figure is flagged.
	Target  int64              `json:"target"`
	Overall ConsistencyFigures `json:"overall"`
	// ByRep, ByTeam and ByVariant list the groups in order of key.
	ByRep     []ConsistencyGroup `json:"by_rep"`
	ByTeam    []ConsistencyGroup `json:"by_team"`
	ByVariant []ConsistencyGroup `json:"by_variant"`
	// Flags lists every defined figure below the target: overall first,
	// then by rep, team and variant, each in order of key and then of
	// figure (through_process, criteria_held, required_fields,
	// activity_logged).
	Flags []ConsistencyFlag `json:"flags"`
}

func (t *useTally) figures() ConsistencyFigures {
	return ConsistencyFigures{
		Deals:          t.deals,
		ThroughProcess: Rate{t.through, t.deals},
		CriteriaHeld:   Rate{t.held, t.moves},
		RequiredFields: Rate{t.filled, t.fields},
		ActivityLogged: Rate{t.logged, t.stays},
	}
}

// Result returns the figures accumulated so far.
func (c *Consistency) Result() ConsistencyResult {
	if c.built() != nil {
		return ConsistencyResult{}
	}
	out := ConsistencyResult{Deals: c.deals, Rejected: c.rejected, Target: c.opts.Target, Overall: c.overall.figures()}
	c.flag(&out, GroupOverall, "", c.overall)
	keys := slices.SortedFunc(maps.Keys(c.groups), func(a, b useGroup) int {
		return cmp.Or(cmp.Compare(groupOrder(a.group), groupOrder(b.group)), strings.Compare(a.key, b.key))
	})
	for _, k := range keys {
		t := c.groups[k]
		g := ConsistencyGroup{Key: k.key, ConsistencyFigures: t.figures()}
		switch k.group {
		case GroupRep:
			out.ByRep = append(out.ByRep, g)
		case GroupTeam:
			out.ByTeam = append(out.ByTeam, g)
		case GroupVariant:
			out.ByVariant = append(out.ByVariant, g)
		}
		c.flag(&out, k.group, k.key, t)
	}
	return out
}

func groupOrder(g string) int {
	return slices.Index([]string{GroupOverall, GroupRep, GroupTeam, GroupVariant}, g)
}

func (c *Consistency) flag(out *ConsistencyResult, group, key string, t *useTally) {
	f := t.figures()
	for _, x := range []struct {
		figure string
		rate   Rate
	}{
		{FigureThroughProcess, f.ThroughProcess}, {FigureCriteriaHeld, f.CriteriaHeld},
		{FigureRequiredFields, f.RequiredFields}, {FigureActivityLogged, f.ActivityLogged},
	} {
		if x.rate.Den == 0 || x.rate.AtLeast(c.opts.Target) {
			continue
		}
		var drag []Drag
		for r, n := range t.drag[x.figure] {
			drag = append(drag, Drag{Reason: r, Count: n})
		}
		slices.SortFunc(drag, func(a, b Drag) int { return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Reason, b.Reason)) })
		if len(drag) > 5 {
			drag = drag[:5]
		}
		out.Flags = append(out.Flags, ConsistencyFlag{Group: group, Key: key, Figure: x.figure, Rate: x.rate, Drag: drag})
	}
}

// MarshalBinary returns c's partial, for [Consistency.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (c *Consistency) MarshalBinary() ([]byte, error) { return c.AppendBinary(nil) }

// AppendBinary appends c's partial to b, as [Consistency.MarshalBinary].
func (c *Consistency) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(c, b, "consistency")
}

// UnmarshalBinary replaces c's state with the partial in data, computed
// for the same process (the same variant) with the same teams and target.
// A partial may hold the groups of other variants merged into it before it
// was written; to combine variants, read each variant's partial into a
// Consistency built for it and merge. c must be built with
// [NewConsistency]; on error it is left unchanged.
func (c *Consistency) UnmarshalBinary(data []byte) error {
	return readPartial(c, data, "consistency", "this consistency", func() (*Consistency, error) { return NewConsistency(c.proc, c.opts) })
}

// settings describes what Merge compares: the process (by its stages and
// its ID, the variant), the teams and the target.
func (c *Consistency) settings() []wire.Setting {
	return c.base.settings(
		wire.Setting{Name: "variant", Value: c.variant},
		wire.Setting{Name: "teams", Value: describeTeams(c.opts.Teams)},
		wire.Setting{Name: "target", Value: strconv.FormatInt(c.opts.Target, 10)})
}

// describeTeams describes the teams of the reps, in order of rep, as
// rep=team separated by commas; a rep or team that is empty or holds a
// space, comma, equals sign, quote or unprintable character is quoted.
func describeTeams(teams map[string]string) string {
	token := func(s string) string {
		if s == "" || strings.ContainsAny(s, " ,=\"") || strconv.Quote(s) != `"`+s+`"` {
			return strconv.Quote(s)
		}
		return s
	}
	var b strings.Builder
	for _, rep := range slices.Sorted(maps.Keys(teams)) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(token(rep) + "=" + token(teams[rep]))
	}
	return b.String()
}

// consistencyFigures lists the figures in the order a tally's drag is
// written.
var consistencyFigures = []string{FigureThroughProcess, FigureCriteriaHeld, FigureRequiredFields, FigureActivityLogged}

func compareUseGroups(a, b useGroup) int {
	return cmp.Or(cmp.Compare(groupOrder(a.group), groupOrder(b.group)), strings.Compare(a.key, b.key))
}

func (c *Consistency) state(w *wire.Codec) {
	c.base.state(w)
	w.Enter("overall", -1)
	c.overall.state(w)
	w.Leave()
	wire.Map(w, "groups", c.groups, compareUseGroups,
		func(k *useGroup) {
			w.String("group", &k.group)
			if w.Reading() && w.Err() == nil && k.group != GroupRep && k.group != GroupTeam && k.group != GroupVariant {
				w.Fail("group", "must be %q, %q or %q; got %q", GroupRep, GroupTeam, GroupVariant, k.group)
			}
			w.String("key", &k.key)
		},
		func(t *useTally) {
			t.state(w)
			if w.Reading() && w.Err() == nil && t.deals == 0 {
				w.Fail("deals", "must be positive: a group holds the deals that made it")
			}
		})
	if !w.Reading() || w.Err() != nil {
		return
	}
	if c.overall.deals != c.deals {
		w.Fail("overall.deals", "is %d, not deals (%d)", c.overall.deals, c.deals)
		return
	}
	for _, g := range []string{GroupRep, GroupTeam, GroupVariant} {
		var parts []int64
		for _, k := range slices.SortedFunc(maps.Keys(c.groups), compareUseGroups) {
			if k.group == g {
				parts = append(parts, c.groups[k].deals)
			}
		}
		// Every deal is in one group of each kind.
		sumsTo(w, "groups", "the deals of the "+g+" groups", "overall.deals", c.overall.deals, parts...)
	}
}

// state writes or reads the counts of t, then for each figure (in the
// order of consistencyFigures) the reasons that drag it down, in order,
// each with its count. A deal or a move may fail several ways, each reason
// once: the reasons of through_process and criteria_held each count at
// most the deals or moves that failed; a required field or a stay fails
// one way, so the reasons of required_fields and activity_logged add up
// to the fields or stays that failed.
func (t *useTally) state(c *wire.Codec) {
	for _, f := range []struct {
		name string
		v    *int64
	}{
		{"deals", &t.deals}, {"through", &t.through}, {"moves", &t.moves}, {"held", &t.held},
		{"fields", &t.fields}, {"filled", &t.filled}, {"stays", &t.stays}, {"logged", &t.logged},
	} {
		c.Uint(f.name, f.v)
	}
	atMost(c, "through", "deals", t.deals, t.through)
	atMost(c, "held", "moves", t.moves, t.held)
	atMost(c, "filled", "fields", t.fields, t.filled)
	atMost(c, "logged", "stays", t.stays, t.logged)
	failed := map[string]int64{
		FigureThroughProcess: t.deals - t.through, FigureCriteriaHeld: t.moves - t.held,
		FigureRequiredFields: t.fields - t.filled, FigureActivityLogged: t.stays - t.logged,
	}
	c.Enter("drag", -1)
	defer c.Leave()
	for _, fig := range consistencyFigures {
		reasons := map[string]*int64{}
		if !c.Reading() {
			for r, n := range t.drag[fig] {
				reasons[r] = &n
			}
		}
		var counts []int64
		wire.Map(c, fig, reasons, strings.Compare, func(r *string) { c.String("reason", r) }, func(n *int64) {
			c.Uint("count", n)
			switch {
			case !c.Reading() || c.Err() != nil:
			case *n == 0:
				c.Fail("count", "must be positive")
			case *n > failed[fig]:
				c.Fail("count", "is more than the %d that failed", failed[fig])
			}
			counts = append(counts, *n)
		})
		if !c.Reading() || c.Err() != nil {
			continue
		}
		switch fig {
		case FigureRequiredFields:
			sumsTo(c, fig, "the counts", "fields - filled", failed[fig], counts...)
		case FigureActivityLogged:
			sumsTo(c, fig, "the counts", "stays - logged", failed[fig], counts...)
		}
		for r, n := range reasons {
			t.dragged(fig, r, *n)
		}
	}
}

// sumsTo fails c at name unless the counts parts (what they count)
// add up to whole (named wholeName), without overflow.
func sumsTo(c *wire.Codec, name, what, wholeName string, whole int64, parts ...int64) {
	if !c.Reading() || c.Err() != nil {
		return
	}
	left := whole
	for _, n := range parts {
		if n > left {
			c.Fail(name, "%s add up to more than %s (%d)", what, wholeName, whole)
			return
		}
		left -= n
	}
	if left != 0 {
		c.Fail(name, "%s add up to %d, not %s (%d)", what, whole-left, wholeName, whole)
	}
}
