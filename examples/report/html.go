package main

import (
	"fmt"
	"html/template"
	"io"

	"github.com/accordhq/accord/metrics"
)

// The geometry of the charts, in SVG user units.
const (
	chartWidth = 720.0
	labelWidth = 200.0
	plotWidth  = 380.0
	rowHeight  = 30.0
	barHeight  = 22.0
)

// rect, line and text are the SVG shapes of a chart, with their
// coordinates already formatted.
type rect struct{ X, Y, W, H, Class string }

type line struct{ X1, Y1, X2, Y2, Class string }

type text struct {
	X, Y, Anchor, Class string
	Text                string
}

// chart is one figure of the report.
type chart struct {
	ID, Title, Caption string
	Width, Height      string
	Rects              []rect
	Lines              []line
	Texts              []text
}

func num(v float64) string { return fmt.Sprintf("%.1f", v) }

// funnelChart draws the funnel: one bar per step, centred, as wide as its
// count relative to the first step.
func funnelChart(r *Report, events bool) chart {
	c := chart{ID: "funnel", Title: "Funnel", Width: num(chartWidth)}
	if events {
		c.Caption = "Deals that ever entered each stage of the event log."
	} else {
		c.Caption = "All deals, those closed (won or lost) and those won."
	}
	top := int64(1)
	for _, b := range r.funnel {
		top = max(top, b.N)
	}
	mid := labelWidth + plotWidth/2
	for i, b := range r.funnel {
		y := float64(i)*rowHeight + 10
		w := plotWidth * float64(b.N) / float64(top)
		c.Rects = append(c.Rects, rect{X: num(mid - w/2), Y: num(y), W: num(w), H: num(barHeight), Class: "bar"})
		c.Texts = append(c.Texts,
			text{X: num(labelWidth - 10), Y: num(y + 16), Anchor: "end", Text: b.Label},
			text{X: num(labelWidth + plotWidth + 10), Y: num(y + 16), Anchor: "start", Text: fmt.Sprint(b.N)})
	}
	c.Height = num(float64(len(r.funnel))*rowHeight + 20)
	return c
}

// winRateChart draws one bar per segment, from 0 to 100%.
func winRateChart(r *Report, by string) chart {
	c := chart{ID: "win-rate", Title: "Win rate by " + by, Width: num(chartWidth), Caption: "Won over won and lost; open deals are not counted."}
	for i, s := range r.Segments {
		y := float64(i)*rowHeight + 10
		v, ok := s.winRate.Value()
		c.Rects = append(c.Rects,
			rect{X: num(labelWidth), Y: num(y), W: num(plotWidth), H: num(barHeight), Class: "track"},
			rect{X: num(labelWidth), Y: num(y), W: num(plotWidth * v), H: num(barHeight), Class: "bar"})
		label := rate(s.winRate)
		if !ok {
			label = "no closed deals"
		}
		c.Texts = append(c.Texts,
			text{X: num(labelWidth - 10), Y: num(y + 16), Anchor: "end", Text: s.Segment},
			text{X: num(labelWidth + plotWidth + 10), Y: num(y + 16), Anchor: "start", Text: label})
	}
	c.Height = num(float64(len(r.Segments))*rowHeight + 20)
	return c
}

// quantiles returns the minimum, quartiles and maximum of d, in days.
func quantiles(d metrics.Distribution) (q [5]float64, ok bool) {
	if d.Median == nil {
		return q, false
	}
	q[2] = d.Median.Hours() / 24
	for _, p := range d.Percentiles {
		v := p.Value.Hours() / 24
		switch p.P {
		case 0:
			q[0] = v
		case 25:
			q[1] = v
		case 75:
			q[3] = v
		case 100:
			q[4] = v
		}
	}
	return q, true
}

// cycleChart draws the distribution of sales cycles of won and lost deals
// as box plots: whiskers from the shortest to the longest, the box from
// the first to the third quartile, a line at the median.
func cycleChart(r *Report) chart {
	c := chart{ID: "cycle-times", Title: "Sales cycle", Width: num(chartWidth), Caption: "Days from the first event to the win or the loss: shortest, quartiles, median (the line in the box) and longest."}
	rows := []struct {
		label string
		d     metrics.Distribution
	}{{"won", r.cycleWon}, {"lost", r.cycleLost}}
	top := 1.0
	for _, row := range rows {
		if q, ok := quantiles(row.d); ok {
			top = max(top, q[4])
		}
	}
	x := func(days float64) float64 { return labelWidth + plotWidth*days/top }
	for i, row := range rows {
		y := float64(i)*rowHeight*1.5 + 10
		mid := y + barHeight/2
		c.Texts = append(c.Texts, text{X: num(labelWidth - 10), Y: num(y + 16), Anchor: "end", Text: fmt.Sprintf("%s (%d)", row.label, row.d.Count)})
		q, ok := quantiles(row.d)
		if !ok {
			c.Texts = append(c.Texts, text{X: num(labelWidth), Y: num(y + 16), Anchor: "start", Text: "no " + row.label + " deals"})
			continue
		}
		c.Lines = append(c.Lines,
			line{X1: num(x(q[0])), Y1: num(mid), X2: num(x(q[1])), Y2: num(mid), Class: "whisker"},
			line{X1: num(x(q[3])), Y1: num(mid), X2: num(x(q[4])), Y2: num(mid), Class: "whisker"},
			line{X1: num(x(q[0])), Y1: num(y + 4), X2: num(x(q[0])), Y2: num(y + barHeight - 4), Class: "whisker"},
			line{X1: num(x(q[4])), Y1: num(y + 4), X2: num(x(q[4])), Y2: num(y + barHeight - 4), Class: "whisker"})
		c.Rects = append(c.Rects, rect{X: num(x(q[1])), Y: num(y), W: num(x(q[3]) - x(q[1])), H: num(barHeight), Class: "box " + row.label})
		c.Lines = append(c.Lines, line{X1: num(x(q[2])), Y1: num(y), X2: num(x(q[2])), Y2: num(y + barHeight), Class: "median"})
		c.Texts = append(c.Texts, text{X: num(labelWidth + plotWidth + 10), Y: num(y + 16), Anchor: "start", Text: fmt.Sprintf("median %.1f days", q[2])})
	}
	axis := float64(len(rows))*rowHeight*1.5 + 10
	c.Lines = append(c.Lines, line{X1: num(labelWidth), Y1: num(axis), X2: num(labelWidth + plotWidth), Y2: num(axis), Class: "axis"})
	for _, f := range []float64{0, 0.5, 1} {
		c.Texts = append(c.Texts, text{X: num(x(top * f)), Y: num(axis + 16), Anchor: "middle", Class: "tick", Text: fmt.Sprintf("%.0f d", top*f)})
	}
	c.Height = num(axis + 26)
	return c
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 760px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 3px 10px; text-align: right; border-bottom: 1px solid #ddd; }
th:first-child, td:first-child { text-align: left; }
figure { margin: 2em 0; }
svg text { font-size: 12px; fill: #222; }
svg .tick { fill: #666; }
.bar { fill: #3b6ea5; }
.track { fill: #eef2f6; }
.box { fill: #9cc3e6; stroke: #3b6ea5; }
.box.lost { fill: #f2b8a2; stroke: #b5502d; }
.whisker, .axis { stroke: #555; }
.median { stroke: #111; stroke-width: 2; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Source}}</p>
<table>
<tr><th>Deals</th><td>{{.R.Deals}} (won {{.R.Won}}, lost {{.R.Lost}}, open {{.R.Open}})</td></tr>
<tr><th>Win rate</th><td>{{.WinRate}}</td></tr>
<tr><th>Median cycle, won</th><td>{{.CycleWon}}</td></tr>
<tr><th>Median cycle, lost</th><td>{{.CycleLost}}</td></tr>
<tr><th>Won value</th><td>{{.WonValue}}</td></tr>
</table>
{{range .Charts}}<figure id="{{.ID}}">
<figcaption><strong>{{.Title}}</strong>. {{.Caption}}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="{{.Title}}">
{{range .Rects}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" class="{{.Class}}"/>
{{end}}{{range .Lines}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" class="{{.Class}}"/>
{{end}}{{range .Texts}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}"{{if .Class}} class="{{.Class}}"{{end}}>{{.Text}}</text>
{{end}}</svg>
</figure>
{{end}}<table>
<tr><th>{{.By}}</th><th>deals</th><th>won</th><th>lost</th><th>win rate</th><th>median cycle won</th><th>won value</th></tr>
{{range .Segments}}<tr><td>{{.Segment}}</td><td>{{.Deals}}</td><td>{{.Won}}</td><td>{{.Lost}}</td><td>{{.WinRate}}</td><td>{{.Cycle}}</td><td>{{.WonValue}}</td></tr>
{{end}}</table>
{{if .Stages}}<table>
<tr><th>stage</th><th>entered</th><th>now</th><th>to next stage</th><th>median time in stage</th></tr>
{{range .Stages}}<tr><td>{{.Stage}}</td><td>{{.Entered}}</td><td>{{.Current}}</td><td>{{.Conversion}}</td><td>{{.Time}}</td></tr>
{{end}}</table>
{{end}}</body>
</html>
`))

// writeHTML writes the report as one self-contained HTML page: the totals,
// the three charts as inline SVG (no script, no external asset) and the
// tables. source describes the input, for the page's subtitle.
func writeHTML(w io.Writer, r *Report, by, source string, events bool) error {
	type segRow struct {
		Segment          string
		Deals, Won, Lost int64
		WinRate, Cycle   string
		WonValue         string
	}
	type stageRow struct {
		Stage            string
		Entered, Current int64
		Conversion, Time string
	}
	data := struct {
		Title, Source, By                      string
		R                                      *Report
		WinRate, CycleWon, CycleLost, WonValue string
		Charts                                 []chart
		Segments                               []segRow
		Stages                                 []stageRow
	}{
		Title: "Pipeline report", Source: source, By: by, R: r,
		WinRate: rate(r.winRate), CycleWon: dayText(r.MedianCycleDaysWon), CycleLost: dayText(r.MedianCycleDaysLost), WonValue: money(r.WonValue),
		Charts: []chart{funnelChart(r, events), winRateChart(r, by), cycleChart(r)},
	}
	for _, s := range r.Segments {
		data.Segments = append(data.Segments, segRow{s.Segment, s.Deals, s.Won, s.Lost, rate(s.winRate), dayText(s.MedianCycleDaysWon), money(s.WonValue)})
	}
	for _, s := range r.Stages {
		data.Stages = append(data.Stages, stageRow{s.Stage, s.Entered, s.Current, rate(s.conversion), dayText(s.MedianDaysInStage)})
	}
	return page.Execute(w, data)
}
