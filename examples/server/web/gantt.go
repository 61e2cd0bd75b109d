package web

import (
	"fmt"
	"math"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

// ganttChart draws a scope's plan as a Gantt chart: a row per step with a
// bar over the working days it runs, the days with an overloaded role
// shaded across every row, and each milestone as a dashed line. Only
// working days are drawn, so a bar never spans a weekend.
func ganttChart(p app.Plan) chart {
	c := chart{ID: "plan-chart", Title: "Day-by-day plan",
		Desc: "Each step as a bar over the working days it runs; overloaded days shaded; milestones as dashed lines."}
	n := len(p.Days)
	if n == 0 {
		c.Width, c.Height = num(chartWidth), num(rowHeight)
		c.Texts = append(c.Texts, text{X: "8", Y: "18", Anchor: "start", Text: "No step can be placed on the calendar yet."})
		return c
	}
	const label = 150.0
	day := math.Max(10, math.Min(44, 460/float64(n)))
	top := 34.0
	height := top + float64(len(p.Steps))*rowHeight + 8
	if len(p.Milestones) > 0 {
		height += rowHeight
	}
	// Every day gets a tick; dates are written where they do not crowd.
	every := int(math.Ceil(56 / day))
	for _, d := range p.Days {
		x := label + float64(d.Index)*day
		if len(d.Overloads) > 0 {
			c.Rects = append(c.Rects, rect{X: num(x), Y: num(top - 4), W: num(day), H: num(height - top), Class: "overload"})
		}
		c.Lines = append(c.Lines, line{X1: num(x), Y1: num(top - 6), X2: num(x), Y2: num(height - 4), Class: "grid"})
		if d.Index%every == 0 {
			t := d.Date.In(time.UTC)
			c.Texts = append(c.Texts, text{X: num(x + 2), Y: "14", Anchor: "start", Class: "day", Text: t.Format("2 Jan")})
			c.Texts = append(c.Texts, text{X: num(x + 2), Y: "27", Anchor: "start", Class: "day", Text: t.Format("Mon")})
		}
	}
	for i, s := range p.Steps {
		y := top + float64(i)*rowHeight
		name := s.ID
		if s.Title != "" {
			name = s.Title
		}
		c.Texts = append(c.Texts, text{X: num(label - 8), Y: num(y + barHeight - 4), Anchor: "end", Text: clip(name, 20)})
		if !s.Placed {
			c.Texts = append(c.Texts, text{X: num(label + 4), Y: num(y + barHeight - 4), Anchor: "start", Text: "not placed"})
			continue
		}
		class := "bar"
		if s.Overloaded {
			class = "bar over"
		}
		x := label + float64(s.First)*day
		w := float64(s.Last-s.First+1) * day
		c.Rects = append(c.Rects, rect{X: num(x + 1), Y: num(y), W: num(math.Max(w-2, 2)), H: num(barHeight), Class: class})
		c.Texts = append(c.Texts, text{X: num(x + w + 4), Y: num(y + barHeight - 4), Anchor: "start",
			Text: fmt.Sprintf("%s %sh", s.Owner, s.Effort.String())})
	}
	for _, m := range p.Milestones {
		if !m.Placed {
			continue
		}
		x := label + float64(m.Day+1)*day
		c.Lines = append(c.Lines, line{X1: num(x), Y1: num(top - 6), X2: num(x), Y2: num(height - 6), Class: "milestone"})
		c.Texts = append(c.Texts, text{X: num(x - 3), Y: num(height - 10), Anchor: "end", Text: clip(m.Name, 24)})
	}
	// Room for the last bar's label.
	c.Width = num(math.Max(chartWidth, label+float64(n)*day+110))
	c.Height = num(height)
	return c
}

// clip shortens s to n runes with an ellipsis; the table has it whole.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
