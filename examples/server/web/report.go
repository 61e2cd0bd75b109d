package web

import (
	"fmt"
	"net/http"
	"strconv"

	charts "github.com/accordhq/accord/examples/report/chart"
	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/metrics"
)

// The report page draws its charts with package chart of the report
// example, so that both show the pipeline the same way.

type reportSection struct {
	ID, Title, Intro string
	Figures          []charts.Figure
}

type reportData struct {
	Cards    [][3]string
	Sections []reportSection
}

// chartCSS serves the style sheet of package chart: the page's policy
// allows style sheets from this origin only.
func chartCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write([]byte(charts.CSS))
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request, u user) {
	rp, err := h.cfg.App.ReportPage(r.Context(), u.Principal)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	h.render(w, r, http.StatusOK, "report", &u, "Report", reportOf(rp))
}

func count(n int64) string { return charts.Int(n) }

func rate(r metrics.Rate) string {
	v, ok := r.Value()
	if !ok {
		return fmt.Sprintf("– (%s/%s)", count(r.Num), count(r.Den))
	}
	return fmt.Sprintf("%s (%s/%s)", charts.Percent(v), count(r.Num), count(r.Den))
}

// quartiles are a distribution's shortest, quartiles, median and longest
// in days.
func quartiles(d metrics.Distribution) (q [5]float64, ok bool) {
	if d.Median == nil {
		return q, false
	}
	q[2] = d.Median.Hours() / 24
	for _, p := range d.Percentiles {
		i := map[int]int{0: 0, 25: 1, 75: 3, 100: 4}
		if j, found := i[p.P]; found {
			q[j] = p.Value.Hours() / 24
		}
	}
	return q, true
}

func cycleRow(label string, d metrics.Distribution) []string {
	q, ok := quartiles(d)
	row := []string{label, count(d.Count)}
	for _, v := range q {
		if ok {
			row = append(row, strconv.FormatFloat(v, 'f', 1, 64))
		} else {
			row = append(row, "–")
		}
	}
	return row
}

func cycleBox(label string, d metrics.Distribution, alt bool) charts.Box {
	q, ok := quartiles(d)
	b := charts.Box{Label: fmt.Sprintf("%s (%s)", label, count(d.Count)), Q: q, OK: ok, Alt: alt, Text: "no " + label + " deals"}
	if ok {
		b.Text = fmt.Sprintf("median %.1f days", q[2])
	}
	return b
}

func reportOf(rp app.ReportPage) reportData {
	pl, rt := rp.Pipeline, rp.Retention
	names := map[string]string{}
	for _, s := range rp.Stages {
		names[s.ID] = s.Name
	}
	data := reportData{Cards: [][3]string{
		{"Deals", count(pl.Deals), fmt.Sprintf("%s could not be read", count(pl.Rejected))},
		{"Win rate", rate(pl.WinRate), "won over won and lost"},
		{"Reversion", rate(pl.Reversion), "deals moved back a stage"},
		{"Renewal rate", rate(rt.RenewalRate), fmt.Sprintf("terms due %s to %s", rt.From, rt.To)},
		{"Churn rate", rate(rt.ChurnRate), "churned, refunded or lapsed over terms due"},
		{"Refund rate", rate(rt.RefundRate), "refunded over customers gone live"},
	}}

	// The funnel: the deals that entered each stage.
	var steps []charts.Step
	funnel := charts.Table{Caption: "Funnel", Head: []string{"stage", "now in it", "entered", "went on", "median days in stage"},
		Numeric: []bool{false, true, true, false, true}}
	after := false
	for i, s := range pl.Stages {
		if string(s.Stage) == "lost" {
			continue
		}
		if string(s.Stage) == "live" {
			after = true
		}
		text := count(s.Entered)
		onward := "–"
		if i < len(pl.Conversions) {
			onward = rate(pl.Conversions[i].Rate)
			if v, ok := pl.Conversions[i].Rate.Value(); ok {
				text += " · " + charts.Percent(v) + " went on"
			}
		}
		median := "–"
		if s.Time.Median != nil {
			median = strconv.FormatFloat(s.Time.Median.Hours()/24, 'f', 1, 64)
		}
		steps = append(steps, charts.Step{Label: names[string(s.Stage)], N: s.Entered, Text: text, After: after})
		funnel.Rows = append(funnel.Rows, []string{names[string(s.Stage)], count(s.Current), count(s.Entered), onward, median})
	}
	cycles := charts.Table{Caption: "Sales cycle", Head: []string{"outcome", "deals", "shortest", "25%", "median", "75%", "longest"},
		Numeric: []bool{false, true, true, true, true, true, true}, Rows: [][]string{cycleRow("won", pl.CycleWon), cycleRow("lost", pl.CycleLost)}}
	var dots []charts.Dot
	bySegment := charts.Table{Caption: "Win rate by segment", Head: []string{"segment", "deals", "win rate"}, Numeric: []bool{false, true, true}}
	for _, g := range pl.WinRateBy {
		v, ok := g.WinRate.Value()
		dots = append(dots, charts.Dot{Label: label(g.Key), Value: v, OK: ok, Text: rate(g.WinRate)})
		bySegment.Rows = append(bySegment.Rows, []string{label(g.Key), count(g.Deals), rate(g.WinRate)})
	}
	var overall *float64
	if v, ok := pl.WinRate.Value(); ok {
		overall = &v
	}
	data.Sections = append(data.Sections, reportSection{ID: "pipeline", Title: "Pipeline", Figures: []charts.Figure{
		charts.Funnel("funnel", "Funnel", "Deals that entered each stage, and the share of them that went on to the next. Live, after the sale, is lighter.", steps, funnel),
		charts.Boxes("cycle-times", "Sales cycle", "Days from the first event to the win or the loss: shortest, quartiles, median (the line in the box) and longest.",
			[]charts.Box{cycleBox("won", pl.CycleWon, false), cycleBox("lost", pl.CycleLost, true)}, " d", cycles),
		charts.Dots("win-rate-segment", "Win rate by segment", "Won over won and lost, ranked; the dashed line is the overall win rate.",
			dots, overall, charts.Percent, bySegment),
	}})

	opened, won, lost := charts.Series{Name: "opened"}, charts.Series{Name: "won"}, charts.Series{Name: "lost"}
	trend := charts.Table{Caption: "Deals by month", Head: []string{"month", "opened", "won", "lost"}, Numeric: []bool{false, true, true, true}}
	for i, m := range rp.Months {
		opened.Values = append(opened.Values, float64(rp.Opened[i]))
		won.Values = append(won.Values, float64(rp.Won[i]))
		lost.Values = append(lost.Values, float64(rp.Lost[i]))
		trend.Rows = append(trend.Rows, []string{m, count(rp.Opened[i]), count(rp.Won[i]), count(rp.Lost[i])})
	}
	data.Sections = append(data.Sections, reportSection{ID: "trend", Title: "Trend by month", Figures: []charts.Figure{
		charts.Lines("trend", "Deals by month", "Deals opened in each of the last twelve months, and deals won (moved into the won stages) and lost in each.",
			rp.Months, []charts.Series{opened, won, lost}, func(v float64) string { return charts.Int(int64(v)) }, trend),
	}})

	var churn []charts.Dot
	byType := charts.Table{Caption: "Renewals by contract type", Head: []string{"contract type", "due", "renewed", "auto-renewed", "churned", "refunded", "lapsed", "pending", "renewal rate", "churn rate"},
		Numeric: []bool{false, true, true, true, true, true, true, true, true, true}}
	for _, g := range rt.ByCommitment {
		v, ok := g.ChurnRate.Value()
		churn = append(churn, charts.Dot{Label: label(string(g.Commitment)), Value: v, OK: ok, Text: rate(g.ChurnRate)})
		byType.Rows = append(byType.Rows, []string{label(string(g.Commitment)), count(g.Due), count(g.Renewed), count(g.AutoRenewed),
			count(g.Churned), count(g.Refunded), count(g.Lapsed), count(g.Pending), rate(g.RenewalRate), rate(g.ChurnRate)})
	}
	var churnAll *float64
	if v, ok := rt.ChurnRate.Value(); ok {
		churnAll = &v
	}
	data.Sections = append(data.Sections, reportSection{ID: "retention", Title: "Retention",
		Intro: fmt.Sprintf("Terms due from %s to %s, over %s contracts.", rt.From, rt.To, count(rt.Contracts)),
		Figures: []charts.Figure{charts.Dots("churn", "Churn rate by contract type", "Terms due in the period whose customer churned, was refunded or lapsed, over the terms due; the dashed line is the overall churn rate.",
			churn, churnAll, charts.Percent, byType)}})
	return data
}
