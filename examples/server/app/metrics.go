package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
	"github.com/accordhq/accord/metrics"
)

// The reports read the stored deals and contracts a page at a time into
// the library's accumulators, so that memory stays bounded by a page and
// the accumulators' own state, not by the number of documents.

// PipelineReport is the pipeline report (metrics.Pipeline) over every
// stored deal, its win rate grouped by key: "segment", "owner" or none.
// Clients may not read it.
func (a *App) PipelineReport(ctx context.Context, p Principal, key string) (metrics.PipelineResult, error) {
	if p.client() {
		return metrics.PipelineResult{}, forbidden("role %s may not read reports", p.Role)
	}
	opts := metrics.PipelineOptions{Percentiles: []int{90}}
	switch key {
	case "":
	case "segment":
		opts.Key = metrics.BySegment
	case "owner":
		opts.Key = metrics.ByOwner
	default:
		return metrics.PipelineResult{}, invalid(FieldError{Field: "key", Rule: "must be segment or owner"})
	}
	pl, err := metrics.NewPipeline(a.process, opts)
	if err != nil {
		return metrics.PipelineResult{}, classify(err)
	}
	after := ""
	for {
		var recs []store.Deal
		err := a.store.View(ctx, func(tx store.Tx) (err error) {
			recs, err = tx.Deals().List(ctx, store.DealFilter{After: after, Limit: page})
			return err
		})
		if err != nil {
			return metrics.PipelineResult{}, classify(err)
		}
		for _, rec := range recs {
			var d deal.Deal
			if err := json.Unmarshal(rec.Doc, &d); err != nil {
				return metrics.PipelineResult{}, classify(fmt.Errorf("deal %s: stored document: %w", rec.ID, err))
			}
			pl.Add(&d) // a deal it cannot read is counted in Rejected
		}
		if len(recs) < page {
			return pl.Result(), nil
		}
		after = recs[len(recs)-1].ID
	}
}

// RetentionReport is the retention report (metrics.Retention) over every
// stored contract for the period [from, to), days as "2006-01-02"; the
// twelve months to today (in the implementation calendar's zone) when both
// are empty. Clients may not read it.
func (a *App) RetentionReport(ctx context.Context, p Principal, from, to string) (metrics.RetentionResult, error) {
	if p.client() {
		return metrics.RetentionResult{}, forbidden("role %s may not read reports", p.Role)
	}
	var fields []FieldError
	day := func(field, v string) accord.Date {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			fields = append(fields, FieldError{Field: field, Rule: "must be a day, as 2006-01-02"})
		}
		return accord.DateOf(t)
	}
	var opts metrics.RetentionOptions
	switch {
	case from == "" && to == "":
		opts.To = accord.Today(a.now(), a.calendar.Location).AddDays(1)
		opts.From = opts.To.AddMonths(-12)
	default:
		opts.From, opts.To = day("from", from), day("to", to)
	}
	if len(fields) > 0 {
		return metrics.RetentionResult{}, invalid(fields...)
	}
	r, err := metrics.NewRetention(opts)
	if err != nil {
		return metrics.RetentionResult{}, classify(err)
	}
	err = a.eachContract(ctx, func(_ []store.Contract, cs []Contract) error {
		for i := range cs {
			r.Add(&cs[i]) // a contract it cannot read is counted in Rejected
		}
		return nil
	})
	if err != nil {
		return metrics.RetentionResult{}, classify(err)
	}
	return r.Result(), nil
}
