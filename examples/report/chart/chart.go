// Package chart draws the charts of a server-rendered page as inline SVG,
// with no script and no external asset: a funnel, a ranked dot plot with
// an axis, a line chart and box plots. Each chart is drawn at two widths,
// Wide and Narrow, so that a page shows the one that fits the screen with
// a CSS media query (see CSS) rather than shrinking its text; and each
// comes with its data as a Table, so that a reader (or a screen reader)
// can read the figures the marks stand for.
//
// The package knows nothing of deals: it takes labels and numbers. It
// lives in the library module under examples so that both the report
// command and the reference service's web pages can import it.
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strings"
)

// The widths the charts are drawn at, in CSS pixels: Wide for a desktop
// page (a 760 px column), Narrow for a phone (390 px wide, less margins).
const (
	Wide   = 720.0
	Narrow = 350.0
)

// CSS is the style sheet the charts need: colours of the marks and the
// media query that shows the narrow drawing on screens narrower than
// 640 px. Put it in the page's <style>.
const CSS = `svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #222; }
svg.chart .tick, svg.chart .note { fill: #666; }
svg.chart .grid { stroke: #e3e7ec; }
svg.chart .axis, svg.chart .whisker { stroke: #555; }
svg.chart .bar { fill: #3b6ea5; }
svg.chart .bar.after { fill: #8fb3d9; }
svg.chart .dot { fill: #3b6ea5; }
svg.chart .ref { stroke: #b5502d; stroke-dasharray: 4 3; }
svg.chart .box { fill: #9cc3e6; stroke: #3b6ea5; }
svg.chart .box.alt { fill: #f2b8a2; stroke: #b5502d; }
svg.chart .median { stroke: #111; stroke-width: 2; }
svg.chart .s0 { stroke: #3b6ea5; fill: #3b6ea5; }
svg.chart .s1 { stroke: #2e8b57; fill: #2e8b57; }
svg.chart .s2 { stroke: #b5502d; fill: #b5502d; }
svg.chart .s3 { stroke: #7a5195; fill: #7a5195; }
svg.chart polyline.series { fill: none; stroke-width: 2; }
svg.chart.narrow { display: none; }
@media (max-width: 640px) {
  svg.chart.wide { display: none; }
  svg.chart.narrow { display: block; }
}`

// Figure is one chart drawn at both widths, with its data as a table.
type Figure struct {
	ID, Title, Caption string
	Wide, Narrow       template.HTML
	Table              Table
}

// Table is the data of a chart, or any table of a page. Numeric marks the
// columns aligned right.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
	Numeric []bool
}

// svg is a drawing: its size and its shapes, with coordinates already
// formatted.
type svg struct {
	Class, Label  string
	Width, Height string
	Shapes        []shape
}

// shape is one SVG element: rect, line, circle, polyline or text.
type shape struct {
	Kind                             string
	X, Y, W, H, X2, Y2, R, Points    string
	Class, Anchor, Text, Title, Fill string
}

var svgTemplate = template.Must(template.New("svg").Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="chart {{.Class}}" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="{{.Label}}">
{{range .Shapes}}{{if eq .Kind "rect"}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" class="{{.Class}}">{{if .Title}}<title>{{.Title}}</title>{{end}}</rect>
{{else if eq .Kind "line"}}<line x1="{{.X}}" y1="{{.Y}}" x2="{{.X2}}" y2="{{.Y2}}" class="{{.Class}}"/>
{{else if eq .Kind "circle"}}<circle cx="{{.X}}" cy="{{.Y}}" r="{{.R}}" class="{{.Class}}">{{if .Title}}<title>{{.Title}}</title>{{end}}</circle>
{{else if eq .Kind "polyline"}}<polyline points="{{.Points}}" class="{{.Class}}"/>
{{else}}<text x="{{.X}}" y="{{.Y}}"{{if .Anchor}} text-anchor="{{.Anchor}}"{{end}}{{if .Class}} class="{{.Class}}"{{end}}>{{if .Title}}<title>{{.Title}}</title>{{end}}{{.Text}}</text>
{{end}}{{end}}</svg>`))

func (s *svg) html() template.HTML {
	var b bytes.Buffer
	if err := svgTemplate.Execute(&b, s); err != nil {
		// The template is fixed and its data are strings: only a bug of
		// this package can get here; say so on the page.
		return template.HTML("<p>chart: " + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return template.HTML(b.String()) // escaped by html/template above
}

func num(v float64) string { return fmt.Sprintf("%.1f", v) }

func (s *svg) rect(x, y, w, h float64, class, title string) {
	s.Shapes = append(s.Shapes, shape{Kind: "rect", X: num(x), Y: num(y), W: num(math.Max(w, 0)), H: num(h), Class: class, Title: title})
}

func (s *svg) line(x1, y1, x2, y2 float64, class string) {
	s.Shapes = append(s.Shapes, shape{Kind: "line", X: num(x1), Y: num(y1), X2: num(x2), Y2: num(y2), Class: class})
}

func (s *svg) circle(x, y, r float64, class, title string) {
	s.Shapes = append(s.Shapes, shape{Kind: "circle", X: num(x), Y: num(y), R: num(r), Class: class, Title: title})
}

func (s *svg) text(x, y float64, anchor, class, t string) {
	s.Shapes = append(s.Shapes, shape{Kind: "text", X: num(x), Y: num(y), Anchor: anchor, Class: class, Text: t})
}

// label writes t, cut to fit max characters with an ellipsis; the whole
// text is then its title, which a browser shows on hover.
func (s *svg) label(x, y float64, anchor, class, t string, max int) {
	sh := shape{Kind: "text", X: num(x), Y: num(y), Anchor: anchor, Class: class, Text: t}
	if r := []rune(t); len(r) > max {
		sh.Text, sh.Title = string(r[:max-1])+"…", t
	}
	s.Shapes = append(s.Shapes, sh)
}

// charsIn is how many characters of 12 px text fit in w pixels, roughly
// (the average advance of a sans-serif glyph is about 6.5 px).
func charsIn(w float64) int { return max(4, int(w/6.5)) }

// both draws a figure at both widths with draw.
func both(label string, draw func(width float64) *svg) (wide, narrow template.HTML) {
	w, n := draw(Wide), draw(Narrow)
	w.Class, n.Class, w.Label, n.Label = "wide", "narrow", label, label
	return w.html(), n.html()
}

// layout splits a width into a label column, the plot and a value
// column. A narrow drawing is stacked instead: each row writes its label
// and its value on a line above its mark, and the plot takes the whole
// width.
type layout struct {
	stacked            bool
	labelW, plotW, row float64
}

func layoutOf(width float64) layout {
	if width < 500 {
		return layout{stacked: true, labelW: 4, plotW: width - 8, row: 44}
	}
	return layout{labelW: 200, plotW: width - 200 - 150, row: 30}
}

// mark returns the top of the mark of row i.
func (l layout) mark(i int) float64 {
	if l.stacked {
		return float64(i)*l.row + 18
	}
	return float64(i)*l.row + 5
}

// texts writes the label and the value of row i, beside the mark or, when
// stacked, above it, label on the left and value on the right.
func (l layout) texts(s *svg, i int, width float64, label, value string) {
	if l.stacked {
		y := float64(i)*l.row + 13
		vw := float64(len([]rune(value)))*6.5 + 8
		s.label(l.labelW, y, "start", "", label, charsIn(width-vw-l.labelW))
		s.text(width-4, y, "end", "note", value)
		return
	}
	y := l.mark(i) + 15
	s.label(l.labelW-8, y, "end", "", label, charsIn(l.labelW-10))
	s.label(l.labelW+l.plotW+8, y, "start", "note", value, charsIn(width-l.labelW-l.plotW-10))
}

// barH is the height of a bar or a box.
const barH = 20.0

// Step is one step of a funnel: a label, a count and the text written
// beside its bar. After marks a step after the sale, drawn lighter.
type Step struct {
	Label string
	N     int64
	Text  string
	After bool
}

// Funnel draws one centred bar per step, as wide as its count relative to
// the largest, the label on the left and the text on the right.
func Funnel(id, title, caption string, steps []Step, table Table) Figure {
	f := Figure{ID: id, Title: title, Caption: caption, Table: table}
	f.Wide, f.Narrow = both(title, func(width float64) *svg {
		l := layoutOf(width)
		s := &svg{Width: num(width), Height: num(float64(len(steps))*l.row + 10)}
		lw, pw := l.labelW, l.plotW
		top := int64(1)
		for _, st := range steps {
			top = max(top, st.N)
		}
		mid := lw + pw/2
		for i, st := range steps {
			y := l.mark(i)
			w := pw * float64(st.N) / float64(top)
			class := "bar"
			if st.After {
				class = "bar after"
			}
			s.rect(mid-w/2, y, math.Max(w, 1), barH, class, st.Label+": "+st.Text)
			l.texts(s, i, width, st.Label, st.Text)
		}
		return s
	})
	return f
}

// Dot is one row of a dot plot: a label, a value, the text written beside
// it (such as "58.8% (30/51)"), and whether the value is defined.
type Dot struct {
	Label string
	Value float64
	Text  string
	OK    bool
}

// Dots draws one row per dot, in the order given (rank them first), on an
// axis that spans the values rather than 0 to 1, so that differences of a
// few points show; ref, when set, is a reference value drawn as a dashed
// line (the overall rate, say). format writes the ticks.
func Dots(id, title, caption string, dots []Dot, ref *float64, format func(float64) string, table Table) Figure {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range dots {
		if d.OK {
			lo, hi = math.Min(lo, d.Value), math.Max(hi, d.Value)
		}
	}
	if ref != nil {
		lo, hi = math.Min(lo, *ref), math.Max(hi, *ref)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	f := Figure{ID: id, Title: title, Caption: caption, Table: table}
	f.Wide, f.Narrow = both(title, func(width float64) *svg {
		l := layoutOf(width)
		lw, pw := l.labelW, l.plotW
		if l.stacked {
			lw, pw = l.labelW+24, l.plotW-48 // room for the first and last tick labels
		}
		plotH := float64(len(dots))*l.row + 4
		s := &svg{Width: num(width), Height: num(plotH + 30)}
		x := func(v float64) float64 { return lw + pw*(v-lo)/(hi-lo) }
		for _, t := range ticks {
			s.line(x(t), 0, x(t), plotH, "grid")
			s.text(x(t), plotH+16, "middle", "tick", format(t))
		}
		s.line(lw, plotH, lw+pw, plotH, "axis")
		if ref != nil {
			s.line(x(*ref), 0, x(*ref), plotH, "ref")
		}
		for i, d := range dots {
			y := l.mark(i) + barH/2
			l.texts(s, i, width, d.Label, d.Text)
			if d.OK {
				s.line(lw, y, x(d.Value), y, "grid")
				s.circle(x(d.Value), y, 5, "dot", d.Label+": "+d.Text)
			}
		}
		return s
	})
	return f
}

// niceTicks returns about n evenly spaced round values that cover lo to
// hi, the first at or below lo and the last at or above hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		pad := math.Max(math.Abs(lo)*0.1, 0.01)
		lo, hi = lo-pad, hi+pad
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	first := math.Floor(lo/step+1e-9) * step
	var out []float64
	for v := first; v < hi+step-1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
		if len(out) > 4*n {
			break
		}
	}
	if len(out) < 2 {
		out = append(out, first+step)
	}
	return out
}

// Series is one line of a line chart: a name for the legend and one value
// per category; NaN leaves a gap.
type Series struct {
	Name   string
	Values []float64
}

// Lines draws a line chart over categories (months, say), from 0 up to a
// round maximum, with a legend; format writes the y ticks. Category
// labels are thinned to fit.
func Lines(id, title, caption string, categories []string, series []Series, format func(float64) string, table Table) Figure {
	top := 0.0
	for _, se := range series {
		for _, v := range se.Values {
			if !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
	}
	ticks := niceTicks(0, math.Max(top, 1), 5)
	hi := ticks[len(ticks)-1]
	f := Figure{ID: id, Title: title, Caption: caption, Table: table}
	f.Wide, f.Narrow = both(title, func(width float64) *svg {
		left, right, top, plotH := 56.0, 30.0, 28.0, 200.0
		if width < 500 {
			left = 44
		}
		pw := width - left - right
		s := &svg{Width: num(width), Height: num(top + plotH + 30)}
		y := func(v float64) float64 { return top + plotH - plotH*v/hi }
		x := func(i int) float64 {
			if len(categories) < 2 {
				return left + pw/2
			}
			return left + pw*float64(i)/float64(len(categories)-1)
		}
		for _, t := range ticks {
			s.line(left, y(t), left+pw, y(t), "grid")
			s.text(left-6, y(t)+4, "end", "tick", format(t))
		}
		s.line(left, top+plotH, left+pw, top+plotH, "axis")
		every := max(1, int(math.Ceil(float64(len(categories))*62/pw)))
		for i, c := range categories {
			if i%every == 0 || i == len(categories)-1 && len(categories) > 1 && (i%every) > every/2 {
				anchor := "middle"
				if i == len(categories)-1 && len(categories) > 1 {
					anchor = "end"
				}
				s.text(x(i), top+plotH+16, anchor, "tick", c)
			}
		}
		lx := left
		for k, se := range series {
			class := fmt.Sprintf("s%d", k%4)
			s.rect(lx, 6, 12, 12, class, "")
			s.text(lx+16, 16, "start", "", se.Name)
			lx += 16 + float64(len([]rune(se.Name)))*6.5 + 18
			var pts []string
			flush := func() {
				if len(pts) > 1 {
					s.Shapes = append(s.Shapes, shape{Kind: "polyline", Points: strings.Join(pts, " "), Class: "series " + class})
				}
				pts = pts[:0]
			}
			for i, v := range se.Values {
				if math.IsNaN(v) {
					flush()
					continue
				}
				pts = append(pts, num(x(i))+","+num(y(v)))
				if len(categories) <= 40 {
					s.circle(x(i), y(v), 2.5, class, fmt.Sprintf("%s %s: %s", se.Name, categories[i], format(v)))
				}
			}
			flush()
		}
		return s
	})
	return f
}

// Box is one box plot: the minimum, quartiles and maximum, and its label
// and text. OK is false when there is nothing to draw.
type Box struct {
	Label, Text string
	Q           [5]float64
	OK          bool
	Alt         bool
}

// Boxes draws box plots on one axis from 0: whiskers from the minimum to
// the maximum, the box from the first to the third quartile, a line at
// the median; unit is written after the ticks.
func Boxes(id, title, caption string, boxes []Box, unit string, table Table) Figure {
	top := 1.0
	for _, b := range boxes {
		if b.OK {
			top = math.Max(top, b.Q[4])
		}
	}
	ticks := niceTicks(0, top, 5)
	hi := ticks[len(ticks)-1]
	f := Figure{ID: id, Title: title, Caption: caption, Table: table}
	f.Wide, f.Narrow = both(title, func(width float64) *svg {
		l := layoutOf(width)
		lw, pw := l.labelW, l.plotW
		if l.stacked {
			lw, pw = l.labelW+8, l.plotW-24
		}
		plotH := float64(len(boxes))*l.row + 4
		s := &svg{Width: num(width), Height: num(plotH + 30)}
		x := func(v float64) float64 { return lw + pw*v/hi }
		for _, t := range ticks {
			s.line(x(t), 0, x(t), plotH, "grid")
			s.text(x(t), plotH+16, "middle", "tick", fmt.Sprintf("%g%s", t, unit))
		}
		s.line(lw, plotH, lw+pw, plotH, "axis")
		for i, b := range boxes {
			y := l.mark(i)
			mid := y + barH/2
			l.texts(s, i, width, b.Label, b.Text)
			if !b.OK {
				continue
			}
			q := b.Q
			s.line(x(q[0]), mid, x(q[1]), mid, "whisker")
			s.line(x(q[3]), mid, x(q[4]), mid, "whisker")
			s.line(x(q[0]), y+4, x(q[0]), y+barH-4, "whisker")
			s.line(x(q[4]), y+4, x(q[4]), y+barH-4, "whisker")
			class := "box"
			if b.Alt {
				class = "box alt"
			}
			s.rect(x(q[1]), y, math.Max(x(q[3])-x(q[1]), 1), barH, class, b.Label+": "+b.Text)
			s.line(x(q[2]), y, x(q[2]), y+barH, "median")
		}
		return s
	})
	return f
}
