package scope

import (
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
)

// Schedule is a Scope of Work as a plan: every step with the days it is
// planned for, under the calendar, and the days it takes when the team
// works it at its capacity. It is what a host shows as the day-by-day
// sequence, so that no host re-implements the working-day arithmetic.
type Schedule struct {
	// Title is the scope's title.
	Title string `json:"title"`
	// Start is the scope's first day, in the calendar.
	Start accord.Date `json:"start"`
	// ScopedFinish and FeasibleFinish are those of [Feasibility], as days;
	// FeasibleFinish is zero when some role's work cannot be done.
	ScopedFinish   accord.Date `json:"scoped_finish"`
	FeasibleFinish accord.Date `json:"feasible_finish"`
	// Slip is how many working days FeasibleFinish falls after
	// ScopedFinish.
	Slip int `json:"slip_days"`
	// Steps lists the steps in the scope's order.
	Steps []ScheduledStep `json:"steps"`
	// Milestones lists the milestones whose day could be placed, in the
	// scope's order.
	Milestones []ScheduledMilestone `json:"milestones"`
}

// ScheduledStep is one step of a [Schedule].
type ScheduledStep struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Phase    Phase    `json:"phase"`
	Activity Activity `json:"activity"`
	Owner    string   `json:"owner"`
	// Planned is the span of working days the scope plans for the step.
	Planned Span `json:"planned"`
	// Feasible is the span the step takes when the team works it at its
	// capacity; zero when it cannot be done within [MaxWorkingDays] of
	// the start.
	Feasible Span `json:"feasible"`
	// Slip is how many working days the feasible end falls after the
	// planned end; 0 when the step keeps to its plan.
	Slip      int      `json:"slip_days"`
	DependsOn []string `json:"depends_on"`
}

// Span is a run of working days: the first and the last, both included,
// and how many working days it counts.
type Span struct {
	First accord.Date `json:"first"`
	Last  accord.Date `json:"last"`
	Days  int         `json:"days"`
}

// ScheduledMilestone is one milestone of a [Schedule] and its day.
type ScheduledMilestone struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Day  accord.Date `json:"day"`
}

// Schedule resolves every step's days under the calendar: the days the
// scope plans (from its date or its offset in working days, for its
// number of days) and the days it takes at the team's capacity, worked as
// [SOW.Feasibility] works them. It refuses what Feasibility refuses, with
// the same errors. Pass the capacity the implementation lead reviews
// against; a capacity with no hours for a role leaves that role's steps
// without feasible days.
func (s *SOW) Schedule(cal accord.Calendar, c Capacity) (Schedule, error) {
	f, sc, err := s.feasibility(cal, c)
	if err != nil {
		return Schedule{}, err
	}
	l := sc.l
	day := func(i int) accord.Date {
		d, _ := l.tl.date(i)
		return d
	}
	out := Schedule{
		Start: l.tl.start, ScopedFinish: cal.Day(f.ScopedFinish), Slip: f.Slip, Title: s.Title,
		Steps: make([]ScheduledStep, len(s.Steps)),
	}
	if !f.FeasibleFinish.IsZero() {
		out.FeasibleFinish = cal.Day(f.FeasibleFinish)
	}
	for i, st := range s.Steps {
		sp := l.steps[i]
		ss := ScheduledStep{
			ID: st.ID, Title: st.Title, Phase: st.Phase, Activity: st.Activity, Owner: st.Owner,
			Planned:   Span{First: day(sp.first), Last: day(sp.last), Days: sp.last - sp.first + 1},
			DependsOn: append([]string(nil), st.DependsOn...),
		}
		if end := sc.end[i]; end < MaxWorkingDays && l.tl.has(end) {
			first := sc.start[i]
			ss.Feasible = Span{First: day(first), Last: day(end), Days: end - first + 1}
			ss.Slip = max(0, end-sp.last)
		}
		out.Steps[i] = ss
	}
	for _, m := range s.Milestones {
		i, ok := -1, false
		if !m.Date.IsZero() {
			var why string
			i, why = l.tl.index(cal.Day(m.Date))
			ok = why == ""
		} else {
			ok = m.Offset >= 0 && l.tl.has(m.Offset)
			i = m.Offset
		}
		if ok {
			out.Milestones = append(out.Milestones, ScheduledMilestone{ID: m.ID, Name: m.Name, Day: day(i)})
		}
	}
	return out, nil
}

// Mermaid renders the schedule as a Mermaid gantt chart: a section per
// phase, in the order the phases first appear, a bar per step over its
// planned days (from its first day to the day after its last, as Mermaid
// draws an end date as the start of that day), a second bar marked crit
// over its feasible days for a step that slips, and the milestones. Titles
// are cleaned of the characters Mermaid reads as syntax; each bar's ID is
// its position ("s1", "s2", ...; "s2f" for a slipping step's feasible
// bar), since step IDs may hold any character. The output is the same for
// the same schedule.
func (sc Schedule) Mermaid() string {
	var b strings.Builder
	b.WriteString("gantt\n")
	if t := mermaidText(sc.Title); t != "" {
		fmt.Fprintf(&b, "    title %s\n", t)
	}
	b.WriteString("    dateFormat YYYY-MM-DD\n")
	var phases []Phase
	for _, st := range sc.Steps {
		if !slices.Contains(phases, st.Phase) {
			phases = append(phases, st.Phase)
		}
	}
	for _, ph := range phases {
		name := mermaidText(string(ph))
		if name == "" {
			name = "steps"
		}
		fmt.Fprintf(&b, "    section %s\n", name)
		for i, st := range sc.Steps {
			if st.Phase != ph {
				continue
			}
			label := mermaidText(st.Title)
			if label == "" {
				label = mermaidText(st.ID)
			}
			fmt.Fprintf(&b, "    %s :s%d, %s, %s\n", label, i+1, st.Planned.First, st.Planned.Last.AddDays(1))
			if st.Slip > 0 {
				fmt.Fprintf(&b, "    %s at capacity :crit, s%df, %s, %s\n", label, i+1, st.Feasible.First, st.Feasible.Last.AddDays(1))
			}
		}
	}
	if len(sc.Milestones) > 0 {
		b.WriteString("    section milestones\n")
		for i, m := range sc.Milestones {
			label := mermaidText(m.Name)
			if label == "" {
				label = mermaidText(m.ID)
			}
			fmt.Fprintf(&b, "    %s :milestone, m%d, %s, 0d\n", label, i+1, m.Day)
		}
	}
	return b.String()
}

// mermaidText cleans s for a Mermaid gantt line: the characters that end a
// label or start a comment or a directive (":", ";", "#", "%") and line
// breaks become spaces, runs of spaces one, and the ends are trimmed.
func mermaidText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ':', ';', '#', '%', '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
