package app

import (
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/scope"
)

// PlanStep is one step of a scope placed on the implementation calendar.
type PlanStep struct {
	scope.Step
	// First and Last are the working days it runs, counted from the
	// scope's start; Placed is false when the step cannot be placed (no
	// start, or a date that is not a working day after it).
	First, Last int
	Placed      bool
	Start, End  accord.Date
	// Overloaded tells whether one of its days has more work planned for
	// its owner than the capacity judged against.
	Overloaded bool
	// Comments are the implementation lead's comments on the step.
	Comments []scope.Comment
}

// PlanMilestone is a milestone placed on the calendar.
type PlanMilestone struct {
	scope.Milestone
	Day    int
	Placed bool
	Date   accord.Date
}

// PlanDay is one working day of the plan with the roles overloaded on it.
type PlanDay struct {
	Index     int
	Date      accord.Date
	Overloads []scope.Overload
}

// Plan is a scope's day-by-day plan under the implementation calendar.
type Plan struct {
	Steps      []PlanStep
	Milestones []PlanMilestone
	// Days are the working days from the start to the last placed step or
	// milestone.
	Days []PlanDay
	// Overloaded counts the days with an overload.
	Overloaded int
}

// plan places the steps and milestones of s on the working days of the
// service's calendar, with the overloads of f (nil: none known).
func (a *App) plan(s *scope.SOW, f *FeasibilityAnswer) Plan {
	var pl Plan
	cal := a.calendar
	var wd *workdays
	if !s.Start.IsZero() {
		wd = newWorkdays(cal.WorkingDays(cal.Day(s.Start)))
		defer wd.stop()
	}
	place := func(date time.Time, offset int) (int, bool) {
		switch {
		case wd == nil:
			return 0, false
		case !date.IsZero():
			return wd.index(cal.Day(date))
		}
		return offset, wd.extend(offset)
	}
	last := -1
	for _, st := range s.Steps {
		ps := PlanStep{Step: st}
		if first, ok := place(st.Date, st.Offset); ok && st.Days >= 0 && st.Days <= scope.MaxWorkingDays {
			ps.First, ps.Last = first, first+max(st.Days, 1)-1
			if wd.extend(ps.Last) {
				ps.Placed, ps.Start, ps.End = true, wd.days[ps.First], wd.days[ps.Last]
				last = max(last, ps.Last)
			}
		}
		for _, c := range s.Review.Comments {
			if c.Step != "" && c.Step == st.ID {
				ps.Comments = append(ps.Comments, c)
			}
		}
		pl.Steps = append(pl.Steps, ps)
	}
	for _, m := range s.Milestones {
		pm := PlanMilestone{Milestone: m}
		if day, ok := place(m.Date, m.Offset); ok {
			pm.Day, pm.Placed, pm.Date = day, true, wd.days[day]
			last = max(last, day)
		}
		pl.Milestones = append(pl.Milestones, pm)
	}
	if wd == nil {
		return pl
	}
	over := map[accord.Date][]scope.Overload{}
	if f != nil {
		for _, o := range f.Overloads {
			d := accord.DateOf(o.Date)
			over[d] = append(over[d], o)
		}
	}
	for i := 0; i <= last; i++ {
		day := PlanDay{Index: i, Date: wd.days[i], Overloads: over[wd.days[i]]}
		if len(day.Overloads) > 0 {
			pl.Overloaded++
		}
		pl.Days = append(pl.Days, day)
	}
	for i := range pl.Steps {
		ps := &pl.Steps[i]
		for d := ps.First; ps.Placed && d <= ps.Last; d++ {
			if slices.ContainsFunc(pl.Days[d].Overloads, func(o scope.Overload) bool { return o.Role == ps.Owner }) {
				ps.Overloaded = true
			}
		}
	}
	return pl
}

// workdays are the working days from a start, read as far as needed and no
// further than scope.MaxWorkingDays.
type workdays struct {
	next func() (accord.Date, bool)
	stop func()
	days []accord.Date
}

func newWorkdays(seq iter.Seq[accord.Date]) *workdays {
	next, stop := iter.Pull(seq)
	return &workdays{next: next, stop: stop}
}

// extend reads working day i, if there is one.
func (w *workdays) extend(i int) bool {
	for i >= len(w.days) {
		if i < 0 || len(w.days) >= scope.MaxWorkingDays {
			return false
		}
		d, ok := w.next()
		if !ok {
			return false
		}
		w.days = append(w.days, d)
	}
	return i >= 0
}

// index returns the working-day index of day, if it is one.
func (w *workdays) index(day accord.Date) (int, bool) {
	for len(w.days) == 0 || w.days[len(w.days)-1].Before(day) {
		if !w.extend(len(w.days)) {
			return 0, false
		}
	}
	i, found := slices.BinarySearchFunc(w.days, day, accord.Date.Compare)
	return i, found
}

// Diff is what changed in a scope's content from one revision to another.
type Diff struct {
	From, To int
	Changes  []ContentChange
}

// ContentChange is one value of the content that changed: its path (list
// items by their ID where they have one, such as steps[configure].days),
// and its value before and after; a value that was not there is empty.
type ContentChange struct {
	Path, Before, After string
}

// diffRevisions compares revision from with revision to (0: the one before
// the last, and the last) of revs.
func diffRevisions(revs []Revision, from, to int) Diff {
	if len(revs) == 0 {
		return Diff{}
	}
	byNumber := map[int]json.RawMessage{}
	for _, r := range revs {
		byNumber[r.Revision] = r.Content
	}
	if _, ok := byNumber[to]; !ok {
		to = revs[len(revs)-1].Revision
	}
	if _, ok := byNumber[from]; !ok || from == 0 {
		from = to - 1
		if _, ok := byNumber[from]; !ok {
			from = to
		}
	}
	d := Diff{From: from, To: to}
	before, after := flatContent(byNumber[from]), flatContent(byNumber[to])
	was := map[string]string{}
	for _, kv := range before {
		was[kv[0]] = kv[1]
	}
	now := map[string]bool{}
	for _, kv := range after {
		now[kv[0]] = true
		if b, ok := was[kv[0]]; !ok || b != kv[1] {
			d.Changes = append(d.Changes, ContentChange{Path: kv[0], Before: b, After: kv[1]})
		}
	}
	for _, kv := range before {
		if !now[kv[0]] {
			d.Changes = append(d.Changes, ContentChange{Path: kv[0], Before: kv[1]})
		}
	}
	return d
}

// flatContent lists the leaf values of a JSON document by path, in the
// document's order for lists and by key for objects. Empty values (null,
// "", empty lists and objects) are left out: they state nothing.
func flatContent(doc json.RawMessage) [][2]string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	var out [][2]string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, x[k])
			}
		case []any:
			ids := itemIDs(x)
			for i, e := range x {
				key := fmt.Sprint(i)
				if ids != nil {
					key = ids[i]
				}
				walk(path+"["+key+"]", e)
			}
		case nil:
		case string:
			if x != "" && x != "0001-01-01T00:00:00Z" {
				out = append(out, [2]string{path, x})
			}
		default:
			b, _ := json.Marshal(x)
			out = append(out, [2]string{path, string(b)})
		}
	}
	walk("", v)
	return out
}

// itemIDs returns the IDs of a list's items when each is an object with an
// ID of its own, or nil: items with IDs are compared by ID, so that
// inserting one does not show every later one as changed.
func itemIDs(xs []any) []string {
	ids := make([]string, len(xs))
	seen := map[string]bool{}
	for i, x := range xs {
		m, ok := x.(map[string]any)
		if !ok {
			return nil
		}
		id, _ := m["id"].(string)
		if id == "" || seen[id] {
			return nil
		}
		seen[id], ids[i] = true, id
	}
	return ids
}
