package web

import (
	"fmt"
	"math"

	"github.com/accordhq/accord/examples/server/app"
)

// The geometry of the charts, in SVG user units; the SVG scales to the
// width of the page.
const (
	chartWidth = 640.0
	labelWidth = 170.0
	plotWidth  = 380.0
	rowHeight  = 28.0
	barHeight  = 18.0
)

type rect struct{ X, Y, W, H, Class string }

type line struct{ X1, Y1, X2, Y2, Class string }

type text struct {
	X, Y, Anchor, Class string
	Text                string
}

// chart is one SVG figure; its data is also on the page as a table.
type chart struct {
	ID, Title, Desc string
	Width, Height   string
	Rects           []rect
	Lines           []line
	Texts           []text
}

func num(v float64) string { return fmt.Sprintf("%.1f", v) }

// timeChart draws the days a deal spent in each stage as bars, with the
// stage's healthy time as a tick: a bar past its tick is drawn as over.
func timeChart(times []app.StageTime) chart {
	c := chart{ID: "time-by-stage", Title: "Time by stage against healthy time",
		Desc: "Days in each stage as bars; the healthy time of the stage as a vertical tick."}
	top := 1.0
	for _, t := range times {
		top = math.Max(top, math.Max(t.Days, float64(t.Stage.HealthyDays)))
	}
	scale := plotWidth / top
	for i, t := range times {
		y := float64(i)*rowHeight + 6
		class := "bar"
		if t.Over() {
			class = "bar over"
		}
		c.Texts = append(c.Texts, text{X: num(labelWidth - 8), Y: num(y + barHeight - 4), Anchor: "end", Text: t.Stage.Name})
		c.Rects = append(c.Rects, rect{X: num(labelWidth), Y: num(y), W: num(math.Max(t.Days*scale, 1)), H: num(barHeight), Class: class})
		if t.Stage.HealthyDays > 0 {
			x := labelWidth + float64(t.Stage.HealthyDays)*scale
			c.Lines = append(c.Lines, line{X1: num(x), Y1: num(y - 3), X2: num(x), Y2: num(y + barHeight + 3), Class: "healthy"})
		}
		c.Texts = append(c.Texts, text{X: num(labelWidth + t.Days*scale + 6), Y: num(y + barHeight - 4), Anchor: "start",
			Text: fmt.Sprintf("%.1f d", t.Days)})
	}
	c.Width, c.Height = num(chartWidth), num(float64(len(times))*rowHeight+12)
	return c
}
