package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/metrics"
)

// ReportPage is what the report page draws: the pipeline over every
// stored deal, with the quartiles of its cycles and its win rate by
// segment; the deals opened, won and lost in each of the last twelve
// months; and the retention of the last twelve months.
type ReportPage struct {
	Pipeline  metrics.PipelineResult
	Retention metrics.RetentionResult
	Stages    []StageInfo
	// Months are the last twelve months, oldest first, as "2006-01", and
	// Opened, Won and Lost the deals whose first event, move into the won
	// stages or loss fell in each.
	Months            []string
	Opened, Won, Lost []int64
}

// ReportPage reads the report page, a page of deals at a time. Clients
// may not read it.
func (a *App) ReportPage(ctx context.Context, p Principal) (ReportPage, error) {
	if p.client() {
		return ReportPage{}, forbidden("role %s may not read reports", p.Role)
	}
	pl, err := metrics.NewPipeline(a.process, metrics.PipelineOptions{Key: metrics.BySegment, Percentiles: []int{0, 25, 75, 100}})
	if err != nil {
		return ReportPage{}, classify(err)
	}
	out := ReportPage{Stages: a.Stages()}
	first := time.Date(a.now().Year(), a.now().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	index := map[string]int{}
	for i := range 12 {
		m := first.AddDate(0, i, 0).Format("2006-01")
		index[m] = i
		out.Months = append(out.Months, m)
	}
	out.Opened, out.Won, out.Lost = make([]int64, 12), make([]int64, 12), make([]int64, 12)
	count := func(n []int64, t time.Time) {
		if i, ok := index[t.UTC().Format("2006-01")]; ok {
			n[i]++
		}
	}
	wonStages := map[deal.StageID]bool{deal.StageLive: true}
	for _, s := range a.process.Stages() {
		if s.ID == a.process.ClosedWon() || len(wonStages) > 1 {
			wonStages[s.ID] = true
		}
	}
	after := ""
	for {
		var recs []store.Deal
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			recs, err = tx.Deals().List(ctx, store.DealFilter{After: after, Limit: page})
			return err
		})
		if err != nil {
			return ReportPage{}, classify(err)
		}
		for _, rec := range recs {
			var d deal.Deal
			if err := json.Unmarshal(rec.Doc, &d); err != nil {
				return ReportPage{}, classify(fmt.Errorf("deal %s: stored document: %w", rec.ID, err))
			}
			pl.Add(&d)
			if len(d.History) > 0 {
				count(out.Opened, d.History[0].At)
			}
			won := false
			for _, e := range d.History {
				switch {
				case e.To == deal.StageLost:
					count(out.Lost, e.At)
				case !won && wonStages[e.To]:
					won = true
					count(out.Won, e.At)
				}
			}
		}
		if len(recs) < page {
			break
		}
		after = recs[len(recs)-1].ID
	}
	out.Pipeline = pl.Result()
	if out.Retention, err = a.RetentionReport(ctx, p, "", ""); err != nil {
		return ReportPage{}, err
	}
	return out, nil
}
