// Package metrics computes the figures that show whether a sales process
// works: pipeline conversion, win rates, time in stage and sales cycles,
// renewal rate, revenue retention (GRR and NRR) and refunds, discipline,
// value and velocity, forecast accuracy and the data hygiene of deals. It
// reads deals' histories (the source of truth: every move a deal made),
// their current records and contracts; it does no I/O, never reads the
// clock and keeps no global state. Its [Rate], [Ratio] and [Distribution]
// are shared by the subpackages
// [github.com/accordhq/accord/metrics/adoption] (how a team keeps its CRM:
// duplicate and stale records, active reps) and
// [github.com/accordhq/accord/metrics/assess] (the CRM maturity model, a
// vendor scorecard, the rollout's evidence).
//
// # Accumulators
//
// Every calculator over records is an accumulator: Add one record, Merge
// another accumulator of the same kind and configuration, and read the
// Result, a plain struct with snake_case JSON tags. A host can compute in
// parallel or per shard and combine the parts: merging the accumulators of
// any split of an input gives exactly the result of one accumulator fed the
// whole input, and Merge is associative and commutative. An accumulator is
// not safe for concurrent use; give each goroutine its own.
//
//	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment})
//	if err != nil {
//		return err
//	}
//	for i := range deals {
//		if err := p.Add(&deals[i]); err != nil {
//			log.Print(err) // a deal with an unusable history is refused and counted
//		}
//	}
//	r := p.Result()
//
// Add refuses a record it cannot read (a nil deal, an empty history, an
// undated or out-of-order event, a stage the process does not have, a loss
// without a known reason) with an error wrapping [accord.ErrInvalid] that
// names every problem by field, such as "history[3].to", and counts it in
// the result's Rejected; the record contributes nothing else. A deal's
// history is read by package deal ([deal.Process.ReadImported]), so that a
// calculator's idea of a deal's stays and outcome is the process's own; a
// history imported from another CRM, which records stages and times but
// not how the deal moved, is read too.
//
// The calculators:
//
//   - Pipeline, from histories ([Pipeline]): counts by stage, stage-to-stage
//     conversion, win rate overall and by any key (segment, owner, ...),
//     median and percentile time in each stage, the sales cycle by outcome,
//     loss reasons by stage, the stage reversion rate.
//   - Discipline, from current records ([Health]): no next step, slipped
//     close dates, multi-threading, discovery quality, champion strength.
//   - Value ([PipelineValue], [Velocity], [Forecasts], [PeriodEnd]):
//     weighted pipeline and coverage of a revenue plan, sales velocity by
//     segment, forecast accuracy from snapshots, period-end clustering.
//   - Retention, from contracts ([Retention]): the renewal rate of the terms
//     due in a period (overall, by commitment type and by term length), GRR
//     and NRR of the cohort of recurring contracts live at its start, the
//     refund rate, the time from won to live and the slippage of go-lives
//     behind the scoped finish.
//   - Hygiene, from current records ([Hygiene]): required-field completion
//     by stage and idle deals.
//   - Consistency, from histories and records ([Consistency]): per rep,
//     team and process variant, the share of deals that move only through
//     the process, of moves whose criteria held, of required fields filled
//     and of stays with logged activity; every figure below 90% flagged
//     with what drags it down, and fed to the maturity model
//     ([github.com/accordhq/accord/metrics/assess.MaturityFigures.Consistency]).
//   - References, from contracts ([References]): the share of customers
//     who are references, consent on record, references by kind, referrals
//     per cohort (the quarter won) split between customers and refunded
//     clients, and the refund guarantee's ambassador rate.
//
// # Partials
//
// Every accumulator writes its state as a partial, for another process or
// machine: MarshalBinary (or AppendBinary, [encoding.BinaryAppender]) on
// the shard, UnmarshalBinary into an accumulator built with the same
// process and options where the shards are combined, then Merge. Merging
// the partials of any split of an input gives exactly the result of one
// pass, as merging the accumulators themselves does.
//
// A partial is binary: the magic "accm", a format version (1), the kind
// ("pipeline", "health", ...), the settings the state was computed under,
// then the state: counters as varints, each duration histogram as its
// distinct minutes in increasing order (gap from the one before, count),
// exact sums as a decimal's exponent and coefficient. The settings are
// what Merge checks, written out so that they can be compared across
// processes: the stages of the process with what the calculators read of
// each (probability, healthy days, flags, required fields) and its Closed
// Won stage; the calendar, the moment, the idle days, the plan, the
// period, the fiscal year start, the zone (its name and offsets), the
// percentiles of [Retention], the variant (the process's ID), teams and
// target of [Consistency], the location of [References]; and whether a
// Key groups the deals (a function cannot be compared: both sides must
// use the same one). A partial whose settings differ from the receiver's
// is refused with an error naming the setting and both values. A
// Consistency merges other variants, but reads only its own variant's
// partials: read each into a Consistency built for its process, then
// merge.
//
// UnmarshalBinary reads outside input: strictly (every length checked
// against the bytes left, every count within an int64 and consistent with
// the counts it is part of, keys in order and once, no trailing bytes) and
// within bounds (no allocation larger than a small multiple of the input).
// Its errors wrap [accord.ErrInvalid] and name the path of the first field
// at fault, such as "state.groups[1].currency"; on error the receiver is
// unchanged. Binary rather than JSON: a partial is not a report to read
// but state to move, the histograms of a million deals are a third of the
// size (BenchmarkPipelinePartial: 1.4 MB against 4.4 MB) and faster to
// read, and every int64 counter survives, which JSON numbers do not
// promise to every host. A host that needs text wraps the bytes (base64).
//
// # Definitions
//
// A deal's current stage is the stage its last event entered. A deal is won
// when that stage is the process's Closed Won stage or later (live
// included), lost when it is lost, and otherwise in the pipeline. It
// entered a stage when any event of its history moved it there: opening,
// advancing, reverting or reopening.
//
// Durations are calendar time, the plain difference between two wall-clock
// instants, unless the options carry an [accord.Calendar], the team's
// weekends and holidays, which counts only working time
// ([accord.Calendar.Between]). Each duration is then measured in whole
// minutes, truncated; a day in a result is 24 hours of counted time.
// Medians and percentiles are exact over these measurements: the median of
// an even count is the mean of the two middle values, and percentile p
// interpolates linearly at rank (n−1)×p/100 (see [Distribution]). Because a
// calculator keeps one counter per distinct minute rather than every
// duration, its memory is bounded by the spread of the durations, not by the
// number of deals.
//
// Every share is a [Rate] with its numerator and denominator, 0 ≤ Num ≤ Den;
// a quotient that is not a share (activities per week) is a [Ratio]. Over an
// empty input a rate is undefined, and says so: Value returns false, rather
// than 0 or NaN. Likewise a median over nothing is nil.
//
// Money is [accord.Money]: sums are exact decimals and are kept per
// currency, never added across currencies. Dates that depend on a period (a
// day, a week, a month, a quarter, a fiscal year) are computed in a
// [time.Location] the caller gives.
//
// # Performance
//
// BenchmarkPipelineReport computes the full pipeline report (counts,
// conversion, win rate by segment, median time in each stage, cycle by
// outcome, loss reasons) over a million synthetic deals with realistic
// histories, with a few hundred allocations whatever the number of deals.
// Beside it, BenchmarkPipelineReportFlat computes the same figures with a
// hand-written loop over flat arrays of stage positions and Unix seconds:
// the floor, faster than the Pipeline, which reads the deals as a host
// holds them. BenchmarkPipelineReportSQLite, in the nested module
// metrics/internal/sqlitebench (so that the library needs no database
// driver), computes them with the SQL a user would write over the same
// histories loaded into SQLite, beside the Pipeline. Each checks that its
// figures equal the Pipeline's. For the timings and the ratios between
// them, see the README's Performance section.
//
//	go test -run '^$' -bench PipelineReport -benchmem ./metrics
//	cd metrics/internal/sqlitebench && go test -run '^$' -bench PipelineReport -benchmem .
package metrics
