package sqlitebench_test

import (
	"database/sql"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/pipelinebench"
	_ "modernc.org/sqlite"
)

// The two benchmarks compute the same figures over the same deals (see
// package pipelinebench), each checking outside the timer that its figures
// equal the Pipeline's:
//
//   - BenchmarkPipelineReport: metrics.Pipeline over []deal.Deal, as in
//     package metrics.
//   - BenchmarkPipelineReportSQLite: the SQL a user would write over the
//     same histories loaded into SQLite (modernc.org/sqlite, in memory).
//
// The deals are generated once per test binary, outside the timer, and so
// is the SQLite database: 1,000,000 deals by default, 100,000 with -short or
// in CI, ACCORD_BENCH_DEALS to choose. Each benchmark reports the count as
// its "deals" metric.

var fixture struct {
	sqlOnce sync.Once
	db      *sql.DB
}

func BenchmarkPipelineReport(b *testing.B) { pipelinebench.BenchmarkPipeline(b) }

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
func sqlReport(tb testing.TB, db *sql.DB) pipelinebench.Report {
	proc := deal.Default()
	live := len(proc.Stages())
	lost := live + 1
	won := 0
	for i, s := range proc.Stages() {
		if s.ID == proc.ClosedWon() {
			won = i
		}
	}
	out := pipelinebench.NewReport()
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
		`+medianBy("stage", "t"), scanMedian(func(s string, n int64, avg float64) {
		out.TimeCount[deal.StageID(s)], out.TimeMedian[deal.StageID(s)] = n, median(avg)
	}))
	query(`WITH ev AS (SELECT e.deal_id, e.at, s.pos, LAG(s.pos) OVER (PARTITION BY e.deal_id ORDER BY e.seq) AS prev
			FROM events e JOIN stages s ON s.id = e.stage),
		c AS (SELECT CASE WHEN fs.pos = :lost THEN 'lost' ELSE 'won' END AS outcome,
			(CASE WHEN fs.pos = :lost THEN MAX(ev.at)
				ELSE MAX(CASE WHEN ev.pos BETWEEN :won AND :live AND (ev.prev IS NULL OR ev.prev < :won OR ev.prev = :lost) THEN ev.at END)
			END - MIN(ev.at)) / 60 AS m
			FROM deals d JOIN stages fs ON fs.id = d.stage JOIN ev ON ev.deal_id = d.id
			WHERE fs.pos >= :won GROUP BY d.id),
		`+medianBy("outcome", "c"), scanMedian(func(s string, n int64, avg float64) {
		out.CycleCount[s], out.CycleMedian[s] = n, median(avg)
	}))
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

// medianBy ends a query whose table from has a column key and minutes m:
// it selects, for each key, the key, its count of rows and the median of
// their m.
func medianBy(key, from string) string {
	return `r AS (SELECT ` + key + `, m, ROW_NUMBER() OVER (PARTITION BY ` + key + ` ORDER BY m) AS rn,
			COUNT(*) OVER (PARTITION BY ` + key + `) AS c FROM ` + from + `)
		SELECT ` + key + `, c, AVG(m) FROM r WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY ` + key + `, c`
}

// scanMedian scans a row of a [medianBy] query and gives it to put.
func scanMedian(put func(key string, n int64, avg float64)) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var s string
		var n int64
		var avg float64
		err := r.Scan(&s, &n, &avg)
		put(s, n, avg)
		return err
	}
}

func BenchmarkPipelineReportSQLite(b *testing.B) {
	deals, want := pipelinebench.Fixture(b)
	fixture.sqlOnce.Do(func() {
		start := time.Now()
		fixture.db = loadSQLite(b, deals)
		b.Logf("loaded %d deals into SQLite in %v", len(deals), time.Since(start).Round(time.Millisecond))
	})
	b.ReportAllocs()
	b.ResetTimer()
	var r pipelinebench.Report
	for i := 0; i < b.N; i++ {
		r = sqlReport(b, fixture.db)
	}
	b.StopTimer()
	b.ReportMetric(float64(len(deals)), "deals")
	pipelinebench.Check(b, r, want)
}

// TestReportsAgree checks on a small pipeline that the SQL computes exactly
// the Pipeline's figures, so that the benchmarks compare like with like.
func TestReportsAgree(t *testing.T) {
	deals := pipelinebench.Deals(3000, 7)
	want, err := pipelinebench.Pipeline(deals)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Losses) == 0 || len(want.TimeMedian) == 0 || len(want.CycleMedian) != 2 {
		t.Fatalf("the synthetic pipeline should have losses, times in stage and both cycles: %+v", want)
	}
	db := loadSQLite(t, deals)
	defer db.Close()
	pipelinebench.Check(t, sqlReport(t, db), want)
}
