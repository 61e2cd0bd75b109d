package metrics_test

import (
	"database/sql"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"
)

// The three benchmarks compute the same figures over the same deals: counts
// by stage, stage-to-stage conversion, win rate by segment, the median time
// in each stage, the median sales cycle by outcome and loss reasons by
// stage. Each checks, outside the timer, that its figures equal the
// Pipeline's.
//
//   - BenchmarkPipelineReport: metrics.Pipeline over []deal.Deal.
//   - BenchmarkPipelineReportSQLite: the SQL a user would write over the
//     same histories loaded into SQLite (modernc.org/sqlite, in memory).
//   - BenchmarkPipelineReportFlat: a hand-written single loop over flat
//     arrays (stage positions, Unix seconds): the floor.
//
// The deals are generated once per test binary, outside the timer, and
// so is the SQLite database: 1,000,000 deals by default. ACCORD_BENCH_DEALS
// sets another count; without it, -short or a CI environment (CI set, as
// .ci/run has it) use 100,000, so that running every benchmark once stays
// within a minute (loading a million deals into SQLite alone takes about
// half a minute). Each benchmark reports the count as its "deals" metric.

var fixture struct {
	once  sync.Once
	deals []deal.Deal
	want  benchReport

	sqlOnce sync.Once
	db      *sql.DB
}

func benchDealCount() int {
	if s := os.Getenv("ACCORD_BENCH_DEALS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			panic("ACCORD_BENCH_DEALS must be a positive integer, got " + s)
		}
		return v
	}
	if testing.Short() || os.Getenv("CI") != "" {
		return 100_000
	}
	return 1_000_000
}

func benchDeals(b *testing.B) ([]deal.Deal, benchReport) {
	fixture.once.Do(func() {
		fixture.deals = genDeals(benchDealCount(), 1)
		fixture.want = pipelineReport(b, fixture.deals)
	})
	return fixture.deals, fixture.want
}

// benchReport holds the figures the three benchmarks compute.
type benchReport struct {
	Current     map[deal.StageID]int64
	Conversion  map[deal.StageID]metrics.Rate // by the stage converted from
	WinRateBy   map[string]metrics.Rate
	TimeCount   map[deal.StageID]int64
	TimeMedian  map[deal.StageID]time.Duration
	CycleCount  map[string]int64 // by "won" and "lost"
	CycleMedian map[string]time.Duration
	Losses      map[string]int64 // by "stage/reason"
}

func newBenchReport() benchReport {
	return benchReport{
		Current: map[deal.StageID]int64{}, Conversion: map[deal.StageID]metrics.Rate{},
		WinRateBy: map[string]metrics.Rate{}, TimeCount: map[deal.StageID]int64{},
		TimeMedian: map[deal.StageID]time.Duration{}, CycleCount: map[string]int64{},
		CycleMedian: map[string]time.Duration{}, Losses: map[string]int64{},
	}
}

func pipelineReport(tb testing.TB, deals []deal.Deal) benchReport {
	p, err := metrics.NewPipeline(deal.Default(), metrics.PipelineOptions{Key: metrics.BySegment})
	if err != nil {
		tb.Fatal(err)
	}
	for i := range deals {
		if err := p.Add(&deals[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return fromResult(p.Result())
}

func fromResult(r metrics.PipelineResult) benchReport {
	out := newBenchReport()
	for _, s := range r.Stages {
		if s.Current > 0 {
			out.Current[s.Stage] = s.Current
		}
		if s.Time.Count > 0 {
			out.TimeCount[s.Stage] = s.Time.Count
			out.TimeMedian[s.Stage] = *s.Time.Median
		}
	}
	for _, c := range r.Conversions {
		if c.Rate.Den > 0 {
			out.Conversion[c.From] = c.Rate
		}
	}
	for _, g := range r.WinRateBy {
		out.WinRateBy[g.Key] = g.WinRate
	}
	for name, c := range map[string]metrics.Distribution{"won": r.CycleWon, "lost": r.CycleLost} {
		if c.Count > 0 {
			out.CycleCount[name] = c.Count
			out.CycleMedian[name] = *c.Median
		}
	}
	for _, l := range r.LossReasons {
		out.Losses[string(l.Stage)+"/"+string(l.Reason)] = l.Deals
	}
	return out
}

func checkReport(tb testing.TB, got, want benchReport) {
	tb.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Fatalf("figures differ from the Pipeline's (-pipeline +got):\n%s", diff)
	}
}

func BenchmarkPipelineReport(b *testing.B) {
	deals, want := benchDeals(b)
	proc := deal.Default()
	b.ReportAllocs()
	b.ResetTimer()
	var r metrics.PipelineResult
	for i := 0; i < b.N; i++ {
		p, err := metrics.NewPipeline(proc, metrics.PipelineOptions{Key: metrics.BySegment})
		if err != nil {
			b.Fatal(err)
		}
		for j := range deals {
			if err := p.Add(&deals[j]); err != nil {
				b.Fatal(err)
			}
		}
		r = p.Result()
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	checkReport(b, fromResult(r), want)
}

// flatDeals is the same deals as flat arrays, as a hand-written report
// would lay them out: a segment per deal, and per event its stage position,
// time in Unix seconds and loss reason, the events of deal i at
// [start[i], start[i+1]).
type flatDeals struct {
	segs     []string
	ids      []deal.StageID // positions: open stages, live, lost
	reasons  []deal.LossReason
	won      int
	seg      []uint8
	start    []int32
	pos      []uint8
	at       []int64
	reason   []uint8
	segIndex map[string]uint8
}

func flatten(tb testing.TB, deals []deal.Deal) *flatDeals {
	proc := deal.Default()
	f := &flatDeals{reasons: deal.LossReasons(), segIndex: map[string]uint8{}}
	posOf := map[deal.StageID]uint8{}
	for i, s := range proc.Stages() {
		f.ids = append(f.ids, s.ID)
		posOf[s.ID] = uint8(i)
		if s.ID == proc.ClosedWon() {
			f.won = i
		}
	}
	f.ids = append(f.ids, deal.StageLive, deal.StageLost)
	posOf[deal.StageLive], posOf[deal.StageLost] = uint8(len(f.ids)-2), uint8(len(f.ids)-1)
	reasonOf := map[deal.LossReason]uint8{}
	for i, r := range f.reasons {
		reasonOf[r] = uint8(i)
	}
	f.seg = make([]uint8, len(deals))
	f.start = make([]int32, len(deals)+1)
	for i := range deals {
		d := &deals[i]
		s, ok := f.segIndex[d.Segment]
		if !ok {
			s = uint8(len(f.segs))
			f.segIndex[d.Segment] = s
			f.segs = append(f.segs, d.Segment)
		}
		f.seg[i] = s
		f.start[i] = int32(len(f.pos))
		for _, ev := range d.History {
			p, ok := posOf[ev.To]
			if !ok {
				tb.Fatalf("deal %s: unknown stage %q", d.ID, ev.To)
			}
			f.pos = append(f.pos, p)
			f.at = append(f.at, ev.At.Unix())
			f.reason = append(f.reason, reasonOf[ev.LossReason])
		}
	}
	f.start[len(deals)] = int32(len(f.pos))
	return f
}

// flatReport computes the figures in one loop over the flat arrays, with
// durations counted per minute in pages allocated when first needed, as
// metrics.Pipeline does.
func flatReport(f *flatDeals) benchReport {
	const maxPos = 16
	nPos := len(f.ids)
	live, lost, won := nPos-2, nPos-1, f.won
	nr := len(f.reasons)
	var current, entered, onward [maxPos]int64
	times := make([]flatHist, live)
	var cycleWon, cycleLost flatHist
	segWon := make([]int64, len(f.segs))
	segLost := make([]int64, len(f.segs))
	losses := make([]int64, live*nr)
	for d := 0; d+1 < len(f.start); d++ {
		var first, last [maxPos]int32
		var spent [maxPos]int64
		for i := 0; i < nPos; i++ {
			first[i], last[i] = -1, -1
		}
		s, e := int(f.start[d]), int(f.start[d+1])
		prev, before := -1, -1
		var wonAt int64
		for i := s; i < e; i++ {
			p := int(f.pos[i])
			if prev >= 0 && prev < live {
				spent[prev] += f.at[i] - f.at[i-1]
			}
			if first[p] < 0 {
				first[p] = int32(i - s)
			}
			last[p] = int32(i - s)
			if p >= won && p <= live && (prev < won || prev == lost) {
				wonAt = f.at[i]
			}
			before, prev = prev, p
		}
		current[prev]++
		for i := 0; i < nPos; i++ {
			if first[i] < 0 {
				continue
			}
			entered[i]++
			if i < live {
				if last[i+1] > first[i] {
					onward[i]++
				}
				if i != prev {
					times[i].count(spent[i] / 60)
				}
			}
		}
		switch {
		case prev == lost:
			segLost[f.seg[d]]++
			cycleLost.count((f.at[e-1] - f.at[s]) / 60)
			losses[before*nr+int(f.reason[e-1])]++
		case prev >= won:
			segWon[f.seg[d]]++
			cycleWon.count((wonAt - f.at[s]) / 60)
		}
	}
	out := newBenchReport()
	for i := 0; i < nPos; i++ {
		if current[i] > 0 {
			out.Current[f.ids[i]] = current[i]
		}
		if i < live {
			if entered[i] > 0 {
				out.Conversion[f.ids[i]] = metrics.Rate{Num: onward[i], Den: entered[i]}
			}
			if n, med := flatMedian(times[i]); n > 0 {
				out.TimeCount[f.ids[i]], out.TimeMedian[f.ids[i]] = n, med
			}
		}
	}
	for i, s := range f.segs {
		out.WinRateBy[s] = metrics.Rate{Num: segWon[i], Den: segWon[i] + segLost[i]}
	}
	for name, h := range map[string]flatHist{"won": cycleWon, "lost": cycleLost} {
		if n, med := flatMedian(h); n > 0 {
			out.CycleCount[name], out.CycleMedian[name] = n, med
		}
	}
	for s := 0; s < live; s++ {
		for r := 0; r < nr; r++ {
			if n := losses[s*nr+r]; n > 0 {
				out.Losses[string(f.ids[s])+"/"+string(f.reasons[r])] = n
			}
		}
	}
	return out
}

// flatHist counts minutes in pages of 2^14, 16-bit counters carrying into
// 32 bits, as metrics.Pipeline does.
type flatHist []*flatPage

type flatPage struct {
	lo [1 << 14]uint16
	hi [1 << 14]uint32
}

func (h *flatHist) count(m int64) {
	p := int(m >> 14)
	if p >= len(*h) {
		*h = append(*h, make([]*flatPage, p+1-len(*h))...)
	}
	pg := (*h)[p]
	if pg == nil {
		pg = new(flatPage)
		(*h)[p] = pg
	}
	k := m & (1<<14 - 1)
	if pg.lo[k]++; pg.lo[k] == 0 {
		pg.hi[k]++
	}
}

// flatMedian returns the count and the median of the minutes counted in h:
// the mean of the two middle values of an even count.
func flatMedian(h flatHist) (int64, time.Duration) {
	var n int64
	for _, pg := range h {
		if pg == nil {
			continue
		}
		for i, c := range pg.lo {
			n += int64(c) + int64(pg.hi[i])<<16
		}
	}
	if n == 0 {
		return 0, 0
	}
	lo, hi := (n-1)/2, n/2
	var seen int64
	var a int64 = -1
	for p, pg := range h {
		if pg == nil {
			continue
		}
		for i, c := range pg.lo {
			seen += int64(c) + int64(pg.hi[i])<<16
			m := int64(p)<<14 + int64(i)
			if a < 0 && seen > lo {
				a = m
			}
			if seen > hi {
				return n, time.Duration(a+m) * 30 * time.Second
			}
		}
	}
	panic("unreachable")
}

func BenchmarkPipelineReportFlat(b *testing.B) {
	deals, want := benchDeals(b)
	f := flatten(b, deals)
	b.ReportAllocs()
	b.ResetTimer()
	var r benchReport
	for i := 0; i < b.N; i++ {
		r = flatReport(f)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	checkReport(b, r, want)
}

// loadSQLite loads the deals into an in-memory SQLite database, in one
// transaction with prepared statements inserting many rows each: a stages
// table (id, position), deals (id, segment, current stage) and events (deal,
// sequence, stage entered, Unix seconds, loss reason).
func loadSQLite(tb testing.TB, deals []deal.Deal) *sql.DB {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	for _, q := range []string{
		`PRAGMA journal_mode = OFF`,
		`PRAGMA synchronous = OFF`,
		`CREATE TABLE stages (id TEXT PRIMARY KEY, pos INTEGER NOT NULL UNIQUE)`,
		`CREATE TABLE deals (id INTEGER PRIMARY KEY, segment TEXT NOT NULL, stage TEXT NOT NULL)`,
		`CREATE TABLE events (deal_id INTEGER NOT NULL, seq INTEGER NOT NULL, stage TEXT NOT NULL,
			at INTEGER NOT NULL, loss_reason TEXT, PRIMARY KEY (deal_id, seq)) WITHOUT ROWID`,
	} {
		if _, err := db.Exec(q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	proc := deal.Default()
	var pos int
	for _, s := range proc.Stages() {
		if _, err := tx.Exec(`INSERT INTO stages VALUES (?, ?)`, s.ID, pos); err != nil {
			tb.Fatal(err)
		}
		pos++
	}
	for _, id := range []deal.StageID{deal.StageLive, deal.StageLost} {
		if _, err := tx.Exec(`INSERT INTO stages VALUES (?, ?)`, id, pos); err != nil {
			tb.Fatal(err)
		}
		pos++
	}
	dealRows := newBatch(tb, tx, "deals", 3)
	eventRows := newBatch(tb, tx, "events", 5)
	for i := range deals {
		d := &deals[i]
		dealRows.add(i, d.Segment, string(d.History[len(d.History)-1].To))
		for j, ev := range d.History {
			var reason any
			if ev.LossReason != "" {
				reason = string(ev.LossReason)
			}
			eventRows.add(i, j, string(ev.To), ev.At.Unix(), reason)
		}
	}
	dealRows.flush()
	eventRows.flush()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return db
}

// batch inserts rows into a table through a prepared statement of
// batchRows rows, and a one-row statement for the remainder.
type batch struct {
	tb         testing.TB
	tx         *sql.Tx
	full, one  *sql.Stmt
	cols, rows int
	args       []any
}

const batchRows = 256

func newBatch(tb testing.TB, tx *sql.Tx, table string, cols int) *batch {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	full, err := tx.Prepare("INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(row+",", batchRows), ","))
	if err != nil {
		tb.Fatal(err)
	}
	one, err := tx.Prepare("INSERT INTO " + table + " VALUES " + row)
	if err != nil {
		tb.Fatal(err)
	}
	return &batch{tb: tb, tx: tx, full: full, one: one, cols: cols, args: make([]any, 0, cols*batchRows)}
}

func (b *batch) add(vals ...any) {
	b.args = append(b.args, vals...)
	if b.rows++; b.rows == batchRows {
		if _, err := b.full.Exec(b.args...); err != nil {
			b.tb.Fatal(err)
		}
		b.args, b.rows = b.args[:0], 0
	}
}

func (b *batch) flush() {
	for i := 0; i < b.rows; i++ {
		if _, err := b.one.Exec(b.args[i*b.cols : (i+1)*b.cols]...); err != nil {
			b.tb.Fatal(err)
		}
	}
	b.args, b.rows = b.args[:0], 0
}

// sqlReport computes the figures with the queries a user would write.
func sqlReport(tb testing.TB, db *sql.DB) benchReport {
	proc := deal.Default()
	live := len(proc.Stages())
	lost := live + 1
	won := 0
	for i, s := range proc.Stages() {
		if s.ID == proc.ClosedWon() {
			won = i
		}
	}
	out := newBenchReport()
	query := func(q string, scan func(*sql.Rows) error) {
		q = strings.NewReplacer(":live", strconv.Itoa(live), ":lost", strconv.Itoa(lost), ":won", strconv.Itoa(won)).Replace(q)
		rows, err := db.Query(q)
		if err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				tb.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	median := func(avg float64) time.Duration { return time.Duration(math.Round(avg*2)) * 30 * time.Second }

	query(`SELECT stage, COUNT(*) FROM deals GROUP BY stage`, func(r *sql.Rows) error {
		var s string
		var n int64
		err := r.Scan(&s, &n)
		out.Current[deal.StageID(s)] = n
		return err
	})
	query(`SELECT d.segment, SUM(s.pos BETWEEN :won AND :live), SUM(s.pos = :lost)
		FROM deals d JOIN stages s ON s.id = d.stage GROUP BY d.segment`, func(r *sql.Rows) error {
		var s string
		var w, l int64
		err := r.Scan(&s, &w, &l)
		out.WinRateBy[s] = metrics.Rate{Num: w, Den: w + l}
		return err
	})
	query(`WITH en AS (SELECT deal_id, stage, MIN(seq) AS f, MAX(seq) AS l FROM events GROUP BY deal_id, stage)
		SELECT a.stage, COUNT(*), COUNT(b.deal_id)
		FROM en a JOIN stages sa ON sa.id = a.stage AND sa.pos < :live
		JOIN stages sb ON sb.pos = sa.pos + 1
		LEFT JOIN en b ON b.deal_id = a.deal_id AND b.stage = sb.id AND b.l > a.f
		GROUP BY a.stage`, func(r *sql.Rows) error {
		var s string
		var den, num int64
		err := r.Scan(&s, &den, &num)
		out.Conversion[deal.StageID(s)] = metrics.Rate{Num: num, Den: den}
		return err
	})
	query(`WITH ev AS (SELECT deal_id, stage, at, LEAD(at) OVER (PARTITION BY deal_id ORDER BY seq) AS next_at FROM events),
		t AS (SELECT ev.stage, SUM(ev.next_at - ev.at) / 60 AS m
			FROM ev JOIN deals d ON d.id = ev.deal_id JOIN stages s ON s.id = ev.stage
			WHERE s.pos < :live AND ev.stage <> d.stage AND ev.next_at IS NOT NULL
			GROUP BY ev.deal_id, ev.stage),
		r AS (SELECT stage, m, ROW_NUMBER() OVER (PARTITION BY stage ORDER BY m) AS rn,
			COUNT(*) OVER (PARTITION BY stage) AS c FROM t)
		SELECT stage, c, AVG(m) FROM r WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY stage, c`, func(r *sql.Rows) error {
		var s string
		var n int64
		var avg float64
		err := r.Scan(&s, &n, &avg)
		out.TimeCount[deal.StageID(s)], out.TimeMedian[deal.StageID(s)] = n, median(avg)
		return err
	})
	query(`WITH ev AS (SELECT e.deal_id, e.at, s.pos, LAG(s.pos) OVER (PARTITION BY e.deal_id ORDER BY e.seq) AS prev
			FROM events e JOIN stages s ON s.id = e.stage),
		c AS (SELECT CASE WHEN fs.pos = :lost THEN 'lost' ELSE 'won' END AS outcome,
			(CASE WHEN fs.pos = :lost THEN MAX(ev.at)
				ELSE MAX(CASE WHEN ev.pos BETWEEN :won AND :live AND (ev.prev IS NULL OR ev.prev < :won OR ev.prev = :lost) THEN ev.at END)
			END - MIN(ev.at)) / 60 AS m
			FROM deals d JOIN stages fs ON fs.id = d.stage JOIN ev ON ev.deal_id = d.id
			WHERE fs.pos >= :won GROUP BY d.id),
		r AS (SELECT outcome, m, ROW_NUMBER() OVER (PARTITION BY outcome ORDER BY m) AS rn,
			COUNT(*) OVER (PARTITION BY outcome) AS c FROM c)
		SELECT outcome, c, AVG(m) FROM r WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY outcome, c`, func(r *sql.Rows) error {
		var s string
		var n int64
		var avg float64
		err := r.Scan(&s, &n, &avg)
		out.CycleCount[s], out.CycleMedian[s] = n, median(avg)
		return err
	})
	query(`WITH ev AS (SELECT stage, loss_reason, LAG(stage) OVER (PARTITION BY deal_id ORDER BY seq) AS prev,
			ROW_NUMBER() OVER (PARTITION BY deal_id ORDER BY seq DESC) AS rd FROM events)
		SELECT prev, loss_reason, COUNT(*) FROM ev WHERE rd = 1 AND stage = 'lost' GROUP BY prev, loss_reason`, func(r *sql.Rows) error {
		var s, reason string
		var n int64
		err := r.Scan(&s, &reason, &n)
		out.Losses[s+"/"+reason] = n
		return err
	})
	return out
}

func BenchmarkPipelineReportSQLite(b *testing.B) {
	deals, want := benchDeals(b)
	fixture.sqlOnce.Do(func() {
		start := time.Now()
		fixture.db = loadSQLite(b, deals)
		b.Logf("loaded %d deals into SQLite in %v", len(deals), time.Since(start).Round(time.Millisecond))
	})
	b.ReportAllocs()
	b.ResetTimer()
	var r benchReport
	for i := 0; i < b.N; i++ {
		r = sqlReport(b, fixture.db)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	checkReport(b, r, want)
}

// TestReportsAgree checks on a small pipeline that the flat loop and the
// SQL compute exactly the Pipeline's figures, so that the benchmarks compare
// like with like.
func TestReportsAgree(t *testing.T) {
	deals := genDeals(3000, 7)
	want := pipelineReport(t, deals)
	if len(want.Losses) == 0 || len(want.TimeMedian) == 0 || len(want.CycleMedian) != 2 {
		t.Fatalf("the synthetic pipeline should have losses, times in stage and both cycles: %+v", want)
	}
	checkReport(t, flatReport(flatten(t, deals)), want)
	db := loadSQLite(t, deals)
	defer db.Close()
	checkReport(t, sqlReport(t, db), want)
}
