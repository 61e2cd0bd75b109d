package metrics_test

import (
	"errors"
	"math"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin for the calendar's daylight saving case

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/moneytest"
	"github.com/accordhq/accord/metrics"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var (
	usd   = moneytest.USD
	money = moneytest.Parse
)

func ptr[T any](v T) *T { return &v }

func TestHealth(t *testing.T) {
	now := t0.Add(40 * day)
	h1 := mkDeal("H1", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{sa, 3 * day, ""})
	h1.Stakeholders = []deal.Stakeholder{{Name: "a", Engaged: true}, {Name: "b", Engaged: true}}
	h1.NextStep = deal.NextStep{At: now.Add(day), Purpose: "demo"}
	h1.CloseDate = t0.Add(60 * day)
	h1.CloseDateChanges = []deal.CloseDateChange{{From: t0.Add(50 * day), To: t0.Add(60 * day)}}
	h1.Discovery.SuccessCriteria = []string{"forecast within 5%"}
	h1.BusinessCase = deal.BusinessCase{Impact: usd("100"), ChampionStrength: deal.StrengthStrong}

	h2 := mkDeal("H2", "", step{tg, 0, ""})
	h2.CloseDate = t0.Add(90 * day)

	h3 := mkDeal("H3", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{sa, 3 * day, ""}, step{bc, 4 * day, ""})
	h3.Stakeholders = []deal.Stakeholder{{Name: "a", Engaged: true}, {Name: "b"}}
	h3.NextStep = deal.NextStep{At: now.Add(-day), Purpose: "call"}
	h3.CloseDate = t0.Add(20 * day)
	h3.CloseDateChanges = []deal.CloseDateChange{{From: t0.Add(30 * day), To: t0.Add(20 * day)}}
	h3.Discovery.SuccessCriteria = []string{" "}
	h3.BusinessCase = deal.BusinessCase{Impact: usd("100"), ChampionStrength: deal.StrengthWeak}

	h4 := mkDeal("H4", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{sa, 3 * day, ""}, step{bc, 4 * day, ""}, step{pr, 5 * day, ""}, step{ho, 6 * day, ""})
	h4.CloseDate = t0.Add(9 * day)
	h4.CloseDateChanges = []deal.CloseDateChange{{From: t0.Add(5 * day), To: t0.Add(7 * day)}, {From: t0.Add(7 * day), To: t0.Add(9 * day)}}
	h4.Discovery.SuccessCriteria = []string{"a"}

	h5 := mkDeal("H5", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{ls, 3 * day, deal.LossPrice})

	h, err := metrics.NewHealth(deal.Default(), metrics.HealthOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*deal.Deal{h1, h2, h3, h4, h5} {
		if err := h.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	want := metrics.HealthResult{
		Deals: 5, InPipeline: 3,
		NoNextStep:       metrics.Rate{Num: 2, Den: 3}, // H2 has none, H3's is past
		SlippedCloseDate: metrics.Rate{Num: 2, Den: 4}, // H1 and H4 slipped; H3 moved earlier
		MultiThreaded:    metrics.Rate{Num: 1, Den: 2}, // H1 and H3 are in multi-threaded stages
		DiscoveryQuality: metrics.Rate{Num: 1, Den: 3}, // H1, H3, H4 got past discovery
		Champion:         metrics.ChampionStrength{Strong: 1, Weak: 1, Unrecorded: 1},
	}
	if diff := cmp.Diff(want, h.Result()); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if got := want.Champion.StrongRate(); got != (metrics.Rate{Num: 1, Den: 3}) {
		t.Errorf("StrongRate = %v, want 1/3", got)
	}
	if _, err := metrics.NewHealth(deal.Default(), metrics.HealthOptions{Now: time.Time{}}); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("NewHealth without now = %v, want ErrInvalid", err)
	}
}

func TestPipelineValue(t *testing.T) {
	in := t0.Add(30 * day)
	v1 := mkDeal("V1", "", step{tg, 0, ""})
	v1.Value, v1.CloseDate = usd("1000.00"), in
	v2 := mkDeal("V2", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{sa, 3 * day, ""}, step{bc, 4 * day, ""}, step{pr, 5 * day, ""})
	v2.Value, v2.CloseDate = usd("2000"), in
	v3 := mkDeal("V3", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""})
	v3.Value, v3.CloseDate = money("500", "EUR"), in
	v4 := mkDeal("V4", "", step{tg, 0, ""}, step{ql, day, ""})
	v4.Value, v4.CloseDate = usd("300"), t0.Add(90*day)
	v5 := mkDeal("V5", "", step{tg, 0, ""}, step{ql, day, ""}, step{ds, 2 * day, ""}, step{sa, 3 * day, ""}, step{bc, 4 * day, ""}, step{pr, 5 * day, ""}, step{ho, 6 * day, ""})
	v5.Value, v5.CloseDate = usd("9999"), in
	v6 := mkDeal("V6", "", step{tg, 0, ""})
	bad := mkDeal("bad", "", step{tg, 0, ""})
	bad.Value = accord.Money{Amount: decimal.New(1, 0), Currency: "XXX1"}

	v, err := metrics.NewPipelineValue(deal.Default(), metrics.ValueOptions{Plan: usd("10000"), From: t0, To: t0.Add(90 * day)})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*deal.Deal{v1, v2, v3, v4, v5, v6} {
		if err := v.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Add(bad); !errors.Is(err, accord.ErrInvalid) || !cmp.Equal(calctest.FieldsOf(err), []string{"value.currency"}) {
		t.Errorf("Add(bad value) = %v, want value.currency invalid", err)
	}
	want := metrics.ValueResult{
		Deals: 6, Rejected: 1, Unvalued: 1,
		ByCurrency: []metrics.CurrencyValue{
			{Currency: "EUR", Deals: 1, Open: money("500", "EUR"), Weighted: money("100", "EUR")},
			// 1000 × 0.05 + 2000 × 0.80 + 300 × 0.10
			{Currency: "USD", Deals: 3, Open: usd("3300"), Weighted: usd("1680")},
		},
		Coverage: &metrics.Coverage{Pipeline: usd("3000"), Plan: usd("10000"), Deals: 2, OtherCurrency: 1},
	}
	got := v.Result()
	if diff := cmp.Diff(want, got, calctest.MoneyEqual); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if c, ok := got.Coverage.Value(); !ok || c != 0.3 {
		t.Errorf("Coverage.Value() = %v, %v; want 0.3, true", c, ok)
	}
	_, err = metrics.NewPipelineValue(deal.Default(), metrics.ValueOptions{Plan: usd("-1"), To: t0})
	if diff := cmp.Diff([]string{"plan.amount", "from"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("NewPipelineValue fields (-want +got):\n%s", diff)
	}
}

func TestVelocity(t *testing.T) {
	wonIn := func(id, seg string, days time.Duration, value accord.Money) *deal.Deal {
		d := mkDeal(id, seg, step{tg, 0, ""}, step{pr, days * day / 2, ""}, step{ho, days * day, ""})
		d.Value = value
		return d
	}
	open := func(id, seg string, value accord.Money) *deal.Deal {
		d := mkDeal(id, seg, step{tg, 0, ""})
		d.Value = value
		return d
	}
	lost := mkDeal("L", "smb", step{tg, 0, ""}, step{ls, day, deal.LossPrice})
	lost.Value = usd("5")
	deals := []*deal.Deal{
		open("O1", "smb", usd("1")), open("O2", "smb", usd("1")), lost,
		wonIn("W1", "smb", 10, usd("1000")), wonIn("W2", "smb", 30, usd("3000")),
		open("O3", "ent", usd("7")), wonIn("W3", "mid", 5, accord.Money{}),
	}
	v, err := metrics.NewVelocity(deal.Default(), metrics.VelocityOptions{Key: metrics.BySegment})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deals {
		if err := v.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	want := metrics.VelocityResult{
		Deals: 7,
		Groups: []metrics.VelocityGroup{
			{Key: "ent", Currency: "USD", Opportunities: 1, WonValue: usd("0")},
			{Key: "mid", Currency: "", WinRate: metrics.Rate{Num: 1, Den: 1}, CycleMinutes: 5 * 1440, AverageCycle: ptr(5 * day)},
			{
				Key: "smb", Currency: "USD", Opportunities: 2, WinRate: metrics.Rate{Num: 2, Den: 3},
				WonValue: usd("4000"), CycleMinutes: 40 * 1440, AverageWonValue: ptr(usd("2000")), AverageCycle: ptr(20 * day),
				// 2 × 2/3 × 2000 / 20 days
				PerDay: ptr(usd("133.33")),
			},
		},
	}
	if diff := cmp.Diff(want, v.Result(), calctest.MoneyEqual); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
}

func TestForecasts(t *testing.T) {
	var f metrics.Forecasts
	for _, s := range []metrics.Snapshot{
		{Key: "Q1", Forecast: usd("90"), Actual: usd("100")},
		{Key: "Q1", Forecast: usd("130"), Actual: usd("100")},
		{Key: "Q2", Forecast: usd("50"), Actual: usd("0")},
	} {
		if err := f.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	err := f.Add(metrics.Snapshot{Forecast: usd("-1"), Actual: money("1", "EUR")})
	if diff := cmp.Diff([]string{"forecast.amount"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("Add(bad) fields (-want +got):\n%s", diff)
	}
	err = f.Add(metrics.Snapshot{Forecast: usd("1"), Actual: money("1", "EUR")})
	if diff := cmp.Diff([]string{"actual.currency"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("Add(mixed) fields (-want +got):\n%s", diff)
	}
	r := f.Result()
	want := metrics.ForecastResult{Snapshots: 3, Rejected: 2, Groups: []metrics.ForecastAccuracy{
		{Key: "Q1", Snapshots: 2, Forecast: usd("220"), Actual: usd("200"), AbsError: usd("40")},
		{Key: "Q2", Snapshots: 1, Forecast: usd("50"), Actual: usd("0"), AbsError: usd("50")},
	}}
	if diff := cmp.Diff(want, r, calctest.MoneyEqual); diff != "" {
		t.Fatalf("Result (-want +got):\n%s", diff)
	}
	if a, ok := r.Groups[0].Value(); !ok || a != 0.8 {
		t.Errorf("Q1 accuracy = %v, %v; want 0.8 (1 − 40/200)", a, ok)
	}
	if !r.Groups[0].AtLeast(80) || r.Groups[0].AtLeast(81) {
		t.Errorf("Q1 AtLeast(80), AtLeast(81) = %v, %v; want true, false", r.Groups[0].AtLeast(80), r.Groups[0].AtLeast(81))
	}
	if _, ok := r.Groups[1].Value(); ok {
		t.Errorf("Q2 accuracy defined over a zero actual")
	}
}

func TestPeriodEnd(t *testing.T) {
	ny := time.FixedZone("UTC-5", -5*3600)
	wonAt := func(id string, at time.Time) *deal.Deal {
		return &deal.Deal{ID: id, History: []deal.Event{{To: pr, At: at.Add(-day)}, {To: ho, At: at}}}
	}
	deals := []*deal.Deal{
		wonAt("late", time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)),
		wonAt("early", time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)),
		wonAt("31 March in New York", time.Date(2026, 4, 1, 3, 0, 0, 0, time.UTC)),
		wonAt("window opens", time.Date(2026, 6, 17, 5, 0, 0, 0, time.UTC)),
		wonAt("just before", time.Date(2026, 6, 17, 4, 59, 59, 0, time.UTC)),
		mkDeal("lost", "", step{tg, 0, ""}, step{ls, day, deal.LossPrice}),
	}
	for _, c := range []struct {
		name string
		opts metrics.PeriodEndOptions
		want metrics.Rate
	}{
		{"quarter in New York", metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, Location: ny}, metrics.Rate{Num: 3, Den: 5}},
		// In UTC, 1 April 03:00 opens the next quarter, and 16 June
		// 23:59:59 in New York is 17 June in UTC.
		{"quarter in UTC", metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, Location: time.UTC}, metrics.Rate{Num: 3, Den: 5}},
		// Fiscal quarters from February (Feb–Apr, May–Jul) end far from
		// every win.
		{"fiscal quarter", metrics.PeriodEndOptions{Period: accord.PeriodQuarter, Days: 14, FiscalYearStart: time.February, Location: ny}, metrics.Rate{Num: 0, Den: 5}},
		{"month", metrics.PeriodEndOptions{Period: accord.PeriodMonth, Days: 14, Location: ny}, metrics.Rate{Num: 3, Den: 5}},
		{"year", metrics.PeriodEndOptions{Period: accord.PeriodYear, Days: 14, Location: ny}, metrics.Rate{Num: 0, Den: 5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pe, err := metrics.NewPeriodEnd(deal.Default(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range deals {
				if err := pe.Add(d); err != nil {
					t.Fatal(err)
				}
			}
			want := metrics.PeriodEndResult{Deals: 6, Clustering: c.want}
			if diff := cmp.Diff(want, pe.Result()); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
		})
	}
	_, err := metrics.NewPeriodEnd(deal.Default(), metrics.PeriodEndOptions{Period: "week", FiscalYearStart: 13})
	if diff := cmp.Diff([]string{"period", "days", "fiscal_year_start", "location"}, calctest.FieldsOf(err)); diff != "" {
		t.Errorf("NewPeriodEnd fields (-want +got):\n%s", diff)
	}
}

func TestHygiene(t *testing.T) {
	now := t0.Add(30 * day)
	y1 := mkDeal("Y1", "smb", step{tg, 0, ""})
	y1.Targeting.Trigger = "new VP"
	y1.Activities = []deal.Activity{{By: "u-1", At: t0.Add(20 * day)}}
	y2 := mkDeal("Y2", "smb", step{tg, 20 * day, ""})
	y2.Targeting = deal.Targeting{Trigger: "t", Hypothesis: "h"}
	y3 := mkDeal("Y3", "", step{tg, 0, ""}, step{ql, 5 * day, ""})
	y3.Qualification.WhyNow = "audit"
	y4 := mkDeal("Y4", "", step{tg, 0, ""}, step{ql, 5 * day, ""}, step{ls, 6 * day, deal.LossTiming})
	h, err := metrics.NewHygiene(deal.Default(), metrics.HygieneOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*deal.Deal{y1, y2, y3, y4} {
		if err := h.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	r := h.Result()
	wantTargeting := metrics.StageCompletion{
		Stage: tg, Fields: metrics.Rate{Num: 5, Den: 6}, Complete: metrics.Rate{Num: 1, Den: 2},
		ByField: []metrics.FieldCompletion{
			{Field: "segment", Rate: metrics.Rate{Num: 2, Den: 2}},
			{Field: "targeting.trigger", Rate: metrics.Rate{Num: 2, Den: 2}},
			{Field: "targeting.hypothesis", Rate: metrics.Rate{Num: 1, Den: 2}},
		},
	}
	wantQualification := metrics.StageCompletion{
		Stage: ql, Fields: metrics.Rate{Num: 1, Den: 3}, Complete: metrics.Rate{Num: 0, Den: 1},
		ByField: []metrics.FieldCompletion{
			{Field: "qualification.why_now", Rate: metrics.Rate{Num: 1, Den: 1}},
			{Field: "qualification.fit", Rate: metrics.Rate{Num: 0, Den: 1}},
			{Field: "stakeholders", Rate: metrics.Rate{Num: 0, Den: 1}},
		},
	}
	if diff := cmp.Diff(wantTargeting, r.Stages[0]); diff != "" {
		t.Errorf("targeting (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantQualification, r.Stages[1]); diff != "" {
		t.Errorf("qualification (-want +got):\n%s", diff)
	}
	// Y1 was active 10 days ago, Y2 moved 10 days ago, Y3 25 days ago.
	if want := (metrics.Rate{Num: 1, Den: 3}); r.Idle != want || r.Deals != 4 || len(r.Stages) != 7 {
		t.Errorf("Idle = %v, Deals = %d, %d stages; want %v, 4, 7", r.Idle, r.Deals, len(r.Stages), want)
	}

	// A host's own criterion names a field Present cannot check.
	custom, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{
		{ID: "trial", Name: "Trial", Exit: []deal.Criterion{
			{ID: "segment", Description: "Set the segment.", Rule: deal.Present("segment")},
			{ID: "score", Description: "Score the trial.", Field: "custom.score", Rule: deal.RuleFunc(func(*deal.Deal, time.Time) bool { return true })},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h, err = metrics.NewHygiene(custom, metrics.HygieneOptions{Now: now, IdleDays: 40})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Add(&deal.Deal{ID: "c", Segment: "smb", History: []deal.Event{{To: "trial", At: t0}}}); err != nil {
		t.Fatal(err)
	}
	want := metrics.HygieneResult{Deals: 1, Idle: metrics.Rate{Num: 0, Den: 1}, Stages: []metrics.StageCompletion{{
		Stage: "trial", Fields: metrics.Rate{Num: 1, Den: 1}, Complete: metrics.Rate{Num: 1, Den: 1},
		ByField:   []metrics.FieldCompletion{{Field: "segment", Rate: metrics.Rate{Num: 1, Den: 1}}},
		Unchecked: []string{"custom.score"},
	}}}
	if diff := cmp.Diff(want, h.Result()); diff != "" {
		t.Errorf("custom process (-want +got):\n%s", diff)
	}
}

func TestRate(t *testing.T) {
	for _, c := range []struct {
		r     metrics.Rate
		value float64
		ok    bool
		str   string
	}{
		{metrics.Rate{Num: 3, Den: 4}, 0.75, true, "75.00% (3/4)"},
		{metrics.Rate{}, 0, false, "undefined (0/0)"},
	} {
		v, ok := c.r.Value()
		if v != c.value || ok != c.ok || c.r.String() != c.str {
			t.Errorf("%#v: Value() = %v, %v; String() = %q; want %v, %v, %q", c.r, v, ok, c.r.String(), c.value, c.ok, c.str)
		}
	}
	if r := (metrics.Rate{Num: 4, Den: 5}); !r.AtLeast(80) || r.AtLeast(81) || !r.AtMost(80) || r.AtMost(79) {
		t.Errorf("4/5 against 80%%: AtLeast and AtMost wrong")
	}
	if (metrics.Rate{}).AtMost(100) || (metrics.Rate{}).AtLeast(0) {
		t.Errorf("an undefined rate meets a threshold")
	}
	if v, ok := (metrics.Ratio{Num: 9, Den: 2}).Value(); v != 4.5 || !ok {
		t.Errorf("9/2 = %v, %v", v, ok)
	}
}

// TestOptionBounds: counts of days and months too large for a Duration are
// refused rather than wrapping around.
func TestOptionBounds(t *testing.T) {
	now := t0.Add(40 * day)
	if _, err := metrics.NewHygiene(deal.Default(), metrics.HygieneOptions{Now: now, IdleDays: 200000}); err == nil {
		t.Error("IdleDays 200000 accepted")
	}
	if _, err := metrics.NewPeriodEnd(deal.Default(), metrics.PeriodEndOptions{Period: accord.PeriodMonth, Days: math.MaxInt, Location: time.UTC}); err == nil {
		t.Error("Days MaxInt accepted")
	}
}
