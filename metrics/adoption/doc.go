// Package adoption measures how a sales team keeps its CRM: duplicate
// records (emails, and E.164 phones with names), stale records, and daily
// and weekly active reps with each rep's activity logging rate.
//
// Its calculators are accumulators like those of package metrics (Add one
// record, Merge another accumulator, read the Result); their shares are
// [metrics.Rate] and [metrics.Ratio]. Data hygiene over deals, required
// fields and idle deals, is [metrics.Hygiene], read from the deals
// themselves.
package adoption
