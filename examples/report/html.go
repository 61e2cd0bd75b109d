package main

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/examples/report/chart"
	"github.com/accordhq/accord/metrics"
)

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
*, *::before, *::after { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 16px 12px 48px; max-width: 760px; color: #222; }
h1 { font-size: 1.6em; margin: 0.3em 0 0; }
h2 { font-size: 1.2em; margin: 2em 0 0.5em; border-bottom: 1px solid #ddd; }
.source { color: #555; margin: 0 0 1em; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 1em 0; }
.card { background: #f4f6f9; border-radius: 6px; padding: 8px 10px; min-width: 0; }
.card .v { font-size: 1.35em; font-weight: 600; overflow-wrap: anywhere; }
.card .k { color: #555; font-size: 0.85em; }
.card .d { color: #555; font-size: 0.8em; overflow-wrap: anywhere; }
.notes { background: #fff8e6; border-left: 4px solid #e0b040; padding: 6px 12px; }
.notes p { margin: 0.4em 0; }
figure { margin: 1.5em 0; }
figcaption { margin-bottom: 0.4em; }
.scroll { overflow-x: auto; max-width: 100%; }
caption { text-align: left; font-weight: 600; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; text-align: left; border-bottom: 1px solid #e3e3e3; white-space: nowrap; }
td.n, th.n { text-align: right; }
details summary { cursor: pointer; color: #3b6ea5; }
{{.CSS}}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="source">{{.Source}}</p>
<div class="cards">
{{range .Cards}}<div class="card"><div class="k">{{.K}}</div><div class="v">{{.V}}</div>{{if .D}}<div class="d">{{.D}}</div>{{end}}</div>
{{end}}</div>
{{if .Notes}}<div class="notes">
{{range .Notes}}<p>{{.}}</p>
{{end}}</div>
{{end}}{{range .Sections}}<section>
<h2>{{.Title}}</h2>
{{if .Intro}}<p>{{.Intro}}</p>
{{end}}{{range .Figures}}<figure id="{{.ID}}">
<figcaption><strong>{{.Title}}</strong>. {{.Caption}}</figcaption>
{{.Wide}}
{{.Narrow}}
<details><summary>The data as a table</summary>
{{template "table" .Table}}</details>
</figure>
{{end}}{{range .Tables}}{{template "table" .}}{{end}}</section>
{{end}}</body>
</html>
{{define "table"}}<div class="scroll"><table>{{if .Caption}}<caption>{{.Caption}}</caption>{{end}}
<thead><tr>{{range $i, $h := .Head}}<th{{if index $.Numeric $i}} class="n"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if index $.Numeric $i}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{end}}`))

// card is one headline figure: its name, value and a detail.
type card struct{ K, V, D string }

// section is one part of the page: figures and tables under a heading.
type section struct {
	Title, Intro string
	Figures      []chart.Figure
	Tables       []chart.Table
}

// tableOf makes a table of rows whose first row is the header; every
// column but the first is numeric unless text says otherwise.
func tableOf(caption string, rows [][]string, text ...int) chart.Table {
	t := chart.Table{Caption: caption, Head: rows[0], Rows: rows[1:], Numeric: make([]bool, len(rows[0]))}
	for i := 1; i < len(t.Numeric); i++ {
		t.Numeric[i] = !slices.Contains(text, i)
	}
	return t
}

// writeHTML writes the report as one self-contained HTML page: headline
// figures, the funnel, the win rate of every grouping, the sales cycle,
// the loss reasons, the trend by month and, with contracts, retention;
// each chart inline SVG (no script, no external asset) with its data as a
// table. source describes the input, for the page's subtitle.
func writeHTML(w io.Writer, r *Report, source string) error {
	data := struct {
		Title, Source string
		CSS           template.CSS
		Cards         []card
		Notes         []string
		Sections      []section
	}{Title: "Pipeline report", Source: "From " + source + ".", CSS: template.CSS(chart.CSS)}
	data.Cards = []card{
		{"Deals", count(r.Deals), fmt.Sprintf("won %s · lost %s · open %s", count(r.Won), count(r.Lost), count(r.Open))},
		{"Win rate", pct(r.WinRate), fmt.Sprintf("%s won of %s closed", count(r.winRate.Num), count(r.winRate.Den))},
		{"Sales cycle, won", dayText(r.MedianCycleDaysWon), "median, first event to the win"},
		{"Sales cycle, lost", dayText(r.MedianCycleDaysLost), "median, first event to the loss"},
		{"Won value", money(r.WonValue), ""},
		{"Open pipeline", money(r.OpenValue), fmt.Sprintf("weighted %s; %s deals without a value", money(r.WeightedValue), count(r.Unvalued))},
		{"Sales velocity", money(ptrMoney(r.VelocityPerDay)), "per day: open deals × win rate × average won value ÷ average won cycle"},
		{"Reversion", pct(r.Reversion), fmt.Sprintf("%s of %s deals moved back a stage", count(r.reversion.Num), count(r.reversion.Den))},
		{"Period-end clustering", pct(r.PeriodEnd), fmt.Sprintf("%s of %s wins in the last %d days of their quarter; about 15%% if spread evenly", count(r.periodEnd.Num), count(r.periodEnd.Den), periodEndDays)},
		{"Lost after the win", count(r.LostAfterWin), "won, then marked lost (failed delivery, early churn); counted as won"},
	}
	data.Notes = notes(r)

	// The funnel: how many deals reached each stage or a later one.
	var steps []chart.Step
	after := false
	for _, s := range r.Stages {
		text := count(s.Reached)
		if s.onward.Den > 0 {
			text += " · " + pct(s.Onward) + " onward"
		}
		steps = append(steps, chart.Step{Label: s.Name, N: s.Reached, Text: text, After: after})
		if s.Stage == r.closedWon {
			after = true
		}
	}
	if r.closedWon == "" {
		steps = append(steps, chart.Step{Label: "Won", N: r.Won, Text: count(r.Won)})
	}
	pipeline := section{Title: "Pipeline", Figures: []chart.Figure{
		chart.Funnel("funnel", "Funnel", "Deals that reached each stage or a later one (exports skip stages), and the share of them that went further. Stages after the sale are lighter. The table adds the deals whose history entered the stage, the conversion to the very next stage, the median time in the stage and the win rate of the closed deals that reached it, which weighs the open pipeline.",
			steps, tableOf("Stages", stageRows(r))),
		chart.Boxes("cycle-times", "Sales cycle", "Days from the first event to the win or the loss: shortest, quartiles, median (the line in the box) and longest.",
			[]chart.Box{boxOf("won", r.cycleWon, false), boxOf("lost", r.cycleLost, true)}, " d",
			chart.Table{Head: []string{"outcome", "deals", "shortest", "25%", "median", "75%", "longest"}, Rows: [][]string{quartileRow("won", r.cycleWon), quartileRow("lost", r.cycleLost)}, Numeric: []bool{false, true, true, true, true, true, true}}),
	}}
	if len(r.LossReasons) > 0 {
		pipeline.Tables = append(pipeline.Tables, tableOf("Loss reasons by the stage the deal was lost at", lossRows(r), 1))
	}
	data.Sections = append(data.Sections, pipeline)

	for _, g := range r.Groupings {
		data.Sections = append(data.Sections, groupSection(r, g))
	}

	// The trend by month.
	var months []string
	opened, won, lost := chart.Series{Name: "opened"}, chart.Series{Name: "won"}, chart.Series{Name: "lost"}
	for _, m := range r.Trend {
		months = append(months, m.Month)
		opened.Values = append(opened.Values, float64(m.Opened))
		won.Values = append(won.Values, float64(m.Won))
		lost.Values = append(lost.Values, float64(m.Lost))
	}
	data.Sections = append(data.Sections, section{Title: "Trend by month", Figures: []chart.Figure{
		chart.Lines("trend", "Deals by month", "Deals opened in each month, and deals won and lost in each month. The table adds the win rate so far of each month's opened cohort and the win rate of each month's closes.",
			months, []chart.Series{opened, won, lost}, func(v float64) string { return chart.Int(int64(v)) }, tableOf("Trend", trendRows(r))),
	}})

	if c := r.Consistency; c != nil {
		data.Sections = append(data.Sections, consistencySection(c))
	}
	if t := r.Retention; t != nil {
		data.Sections = append(data.Sections, retentionSection(t))
	}
	return page.Execute(w, data)
}

// notes explains what a reader would otherwise ask about: the groups
// "(none)" and "(unmatched)", and deals lost after the win.
func notes(r *Report) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range r.Groupings {
		for _, s := range g.Segments {
			switch {
			case s.Segment == noSegment && !seen[noSegment+g.By]:
				seen[noSegment+g.By] = true
				out = append(out, fmt.Sprintf("%q groups the %s whose %s is blank in the export.", noSegment, deals(s.Deals), g.By))
			case s.Segment == dealcsv.Unmatched && !seen[dealcsv.Unmatched+g.By]:
				seen[dealcsv.Unmatched+g.By] = true
				out = append(out, fmt.Sprintf("%q groups the %s whose key has no row in a joined file, so that their %s is unknown; they are kept rather than dropped (-drop-unmatched drops them).", dealcsv.Unmatched, deals(s.Deals), g.By))
			}
		}
	}
	if r.LostAfterWin > 0 {
		out = append(out, fmt.Sprintf("%s: won, then marked lost. Closed Won is a transition: they count as won in the win rate and the sales cycle, and their later loss is shown on its own (by stage and group).", deals(r.LostAfterWin)))
	}
	if r.OtherCurrency > 0 {
		out = append(out, fmt.Sprintf("%s valued in a currency other than %s: left out of the money figures, not converted.", deals(r.OtherCurrency), r.currency))
	}
	return out
}

// deals writes "1 deal" or "8,800 deals".
func deals(n int64) string {
	if n == 1 {
		return "1 deal"
	}
	return count(n) + " deals"
}

// groupSection is the win rate of each group of g, ranked, and its table.
func groupSection(r *Report, g Grouping) section {
	ranked := slices.Clone(g.Segments)
	slices.SortStableFunc(ranked, func(a, b Segment) int {
		av, aok := a.winRate.Value()
		bv, bok := b.winRate.Value()
		if aok != bok {
			if aok {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(bv, av), cmp.Compare(b.winRate.Den, a.winRate.Den))
	})
	var dots []chart.Dot
	for _, s := range ranked {
		v, ok := s.winRate.Value()
		text := "no closed deals"
		if ok {
			text = fmt.Sprintf("%s (%s/%s)", chart.Percent(v), count(s.winRate.Num), count(s.winRate.Den))
		}
		dots = append(dots, chart.Dot{Label: s.Segment, Value: v, OK: ok, Text: text})
	}
	return section{Title: "By " + g.By, Figures: []chart.Figure{
		chart.Dots("win-rate-"+slug2(g.By), "Win rate by "+g.By, "Won over won and lost, ranked, with the deals behind each rate; the axis spans the rates so that their differences show, and the dashed line is the overall win rate. The table adds open deals, cycles, values, velocity and deals lost after the win.",
			dots, r.WinRate, chart.Percent, tableOf("By "+g.By, segmentRows(g), 0)),
	}}
}

// consistencySection is the process consistency section: its figures and
// flags as tables, what cannot be measured and the maturity effect.
func consistencySection(c *Consistency) section {
	s := section{Title: "Process consistency", Intro: fmt.Sprintf("Whether the process is actually used: the deals whose history moves only through the process, the moves whose criteria held, the required fields complete and the stays in a stage with an activity logged; overall, by owner and by segment. A figure below %d%% is marked !. ", c.Target) + strings.Join(consistencyText(c), " ")}
	s.Tables = append(s.Tables, tableOf("Process consistency", consistencyRows(c)))
	if len(c.Flags) > 0 {
		s.Tables = append(s.Tables, tableOf("Below the target, with what drags each figure down", consistencyFlagRows(c), 1, 2, 3))
	}
	return s
}

// retentionSection is the retention section: rates over a period, or a
// snapshot's churned shares.
func retentionSection(t *Retention) section {
	s := section{Title: "Retention"}
	var dots []chart.Dot
	if t.Snapshot {
		s.Title = "Retention (snapshot)"
		s.Intro = fmt.Sprintf("The contracts export has no dates: these are the shares of its %s contracts that had churned or cancelled when it was taken — snapshot shares, not churn rates over a period.", chart.Int(int64(t.Contracts)))
		for _, sh := range t.Shares {
			dots = append(dots, chart.Dot{Label: sh.By + ": " + sh.Group, Value: ptrVal(sh.Share), OK: sh.Share != nil, Text: rate(sh.rate)})
		}
		s.Figures = []chart.Figure{chart.Dots("churn", "Churned share", "Share of contracts churned at the time of the export, by contract type and by each segment column; the dashed line is the share over all contracts.",
			dots, nil, chart.Percent, tableOf("Churned share (snapshot)", retentionRows(t), 0, 1))}
		return s
	}
	s.Intro = fmt.Sprintf("Terms due from %s to %s, of %s of the %s contracts read: renewal rate %s, churn rate %s, refund rate %s.",
		t.From, t.To, chart.Int(int64(t.Used)), chart.Int(int64(t.Contracts)), rate(t.renewal), rate(t.churn), pct(t.RefundRate))
	for _, g := range t.ByCommitment {
		dots = append(dots, chart.Dot{Label: g.Commitment, Value: ptrVal(g.ChurnRate), OK: g.ChurnRate != nil, Text: rate(g.churn)})
	}
	s.Figures = []chart.Figure{chart.Dots("churn", "Churn rate by contract type", "Terms due in the period whose customer churned, was refunded or lapsed, over the terms due; the dashed line is the overall churn rate.",
		dots, t.ChurnRate, chart.Percent, tableOf("Renewals by contract type", retentionRows(t), 0))}
	rows := [][]string{{"currency", "cohort", "start (ARR)", "end (ARR)", "GRR", "NRR"}}
	for _, v := range t.Revenue {
		rows = append(rows, []string{v.Currency, count(v.Contracts), money(v.Start), money(v.End), pct(v.GRR), pct(v.NRR)})
	}
	s.Tables = append(s.Tables, tableOf("Revenue retention of the recurring contracts live at the start", rows, 0))
	return s
}

func ptrMoney(m *accord.Money) accord.Money {
	if m == nil {
		return accord.Money{}
	}
	return *m
}

func ptrVal(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

// slug2 makes an id fragment of a grouping's name.
func slug2(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
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

// boxOf is the box plot of a distribution of cycles.
func boxOf(label string, d metrics.Distribution, alt bool) chart.Box {
	q, ok := quantiles(d)
	b := chart.Box{Label: fmt.Sprintf("%s (%s)", label, count(d.Count)), Q: q, OK: ok, Alt: alt, Text: "no " + label + " deals"}
	if ok {
		b.Text = fmt.Sprintf("median %.1f days", q[2])
	}
	return b
}

// quartileRow is the table row of a distribution of cycles.
func quartileRow(label string, d metrics.Distribution) []string {
	q, ok := quantiles(d)
	row := []string{label, count(d.Count)}
	for _, v := range q {
		if ok {
			row = append(row, fmt.Sprintf("%.1f", v))
		} else {
			row = append(row, "n/a")
		}
	}
	return row
}
