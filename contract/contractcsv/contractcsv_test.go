package contractcsv_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract/contractcsv"
	"github.com/accordhq/accord/metrics"
)

func read(t *testing.T, path string, m *contractcsv.Mapping) *contractcsv.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := contractcsv.Read(f, m)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var subscriptions = &contractcsv.Mapping{
	Columns: map[contractcsv.Field]string{"id": "subscription_id", "type": "plan", "status": "status",
		"start": "start_date", "end": "end_date", "monthly": "monthly_amount"},
	Segments: []string{"region"},
	Types:    map[string]int{"Monthly": 1, "Annual": 12, "Two year": 24},
	Status:   map[string]contractcsv.Status{"active": "active", "churned": "churned", "cancelled": "cancelled"},
	Currency: "USD",
}

// TestSubscriptions reads an export with dates and values into contracts
// the retention calculator accepts, and checks the renewal counts.
func TestSubscriptions(t *testing.T) {
	res := read(t, "testdata/subscriptions.csv", subscriptions)
	var got []string
	for _, r := range res.Records {
		got = append(got, fmt.Sprintf("%s %d %s %s %s %v %v", r.ID, r.Months, r.Status, r.Start, r.End, r.Value, r.Segments))
	}
	want := []string{
		"s1 1 cancelled 2024-01-01 2024-04-01 50 USD [EU]",
		"s2 12 active 2023-06-01  1200 USD [US]",
		"s3 1 active 2024-02-15  30 USD [US]",
		"s4 24 churned 2022-03-01 2024-03-01 1920 USD [EU]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	var problems []string
	for _, p := range res.Problems {
		problems = append(problems, p.Reason+": "+p.Error())
	}
	wantProblems := []string{
		`unknown type: line 6: type (column "plan"): "Weekly" is not one of the types "Annual", "Monthly", "Two year"`,
		"end before start: line 7: end (column \"end_date\"): 2024-03-01 is before the start, 2024-05-01",
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if got := res.Summary.String(); got != "rows read 6, contracts built 4, rows rejected 2 (end before start 1, unknown type 1)" {
		t.Errorf("summary: %s", got)
	}
	// The first half of 2024, as of the end of June.
	asOf := accord.Date{Year: 2024, Month: 6, Day: 30}
	ret, err := metrics.NewRetention(metrics.RetentionOptions{From: accord.Date{Year: 2024, Month: 1, Day: 1}, To: accord.Date{Year: 2024, Month: 7, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Records {
		c, err := res.Records[i].Contract(asOf)
		if err != nil {
			t.Fatal(err)
		}
		if err := ret.Add(c); err != nil {
			t.Fatalf("retention refused %s: %v", c.ID, err)
		}
	}
	r := ret.Result()
	// s1: Feb, Mar renewed, churned at Apr 1 (3 due); s2: renewed Jun 1 (1);
	// s3: Mar 15 ... Jun 15 renewed (4); s4: churned Mar 1 (1).
	wantCounts := metrics.RenewalCounts{Due: 9, Renewed: 1, AutoRenewed: 6, Churned: 2}
	if diff := cmp.Diff(wantCounts, r.Renewals); diff != "" {
		t.Errorf("renewals (-want +got):\n%s", diff)
	}
	if _, err := (&contractcsv.Record{ID: "x", Months: 1, Status: contractcsv.StatusChurned}).Contract(asOf); err == nil ||
		!strings.Contains(err.Error(), "start: is required") || !strings.Contains(err.Error(), "end: is required for a contract that churned") {
		t.Errorf("a snapshot record as a contract: got %v", err)
	}
}

// TestSnapshot reads a churn snapshot with only a status, and gives the
// churned share by contract type and by any segment column.
func TestSnapshot(t *testing.T) {
	m := &contractcsv.Mapping{
		Columns:  map[contractcsv.Field]string{"id": "customerID", "type": "Contract", "status": "Churn", "monthly": "MonthlyCharges"},
		Segments: []string{"InternetService"},
		Types:    map[string]int{"Month-to-month": 1, "One year": 12, "Two year": 24},
		Status:   map[string]contractcsv.Status{"No": "active", "Yes": "churned"},
		Currency: "USD",
	}
	res := read(t, "testdata/churn_snapshot.csv", m)
	var got []string
	for _, s := range contractcsv.ChurnedShare(res.Records, contractcsv.ByCommitment) {
		got = append(got, s.Key+": "+s.String())
	}
	for _, s := range contractcsv.ChurnedShare(res.Records, contractcsv.BySegment(0)) {
		got = append(got, s.Key+": "+s.String())
	}
	want := []string{
		"month_to_month: 60.00% churned (3/5), snapshot share",
		"multi_year: 50.00% churned (1/2), snapshot share",
		"term: 0.00% churned (0/2), snapshot share",
		"DSL: 0.00% churned (0/4), snapshot share",
		"Fiber optic: 80.00% churned (4/5), snapshot share",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoad(t *testing.T) {
	m, err := contractcsv.Load([]byte(`{"columns":{"id":"customerID","type":"Contract","status":"Churn"},
		"types":{"Month-to-month":1,"One year":12,"Two year":24},"status":{"No":"active","Yes":"churned"},"currency":"USD"}`))
	if err != nil || m.Types["Two year"] != 24 || m.Status["Yes"] != contractcsv.StatusChurned {
		t.Fatalf("Load: %+v, %v", m, err)
	}
	_, err = contractcsv.Load([]byte(`{"columns":{"id":"a","type":"b","months":"c","colour":"d"},"types":{"x":0},"status":{"y":"gone"},"currency":"usd","extra":1}`))
	want := []string{
		"extra: is not a field of a mapping; the fields are columns, segments, types, status, formats, currency",
	}
	if diff := cmp.Diff(want, strings.Split(fmt.Sprint(err), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = contractcsv.Load([]byte(`{"columns":{"id":"a","type":"b","months":"c","colour":"d"},"types":{"x":0},"status":{"y":"gone"},"currency":"usd"}`))
	want = []string{
		"columns.colour: is not a field of a contracts export; the fields are id, type, months, status, start, end, value, monthly",
		"columns.status: is required",
		"columns.months: give the type or the months, not both",
		"types.x: must be between 1 and 1200 months; got 0",
		`status.y: must be active, churned or cancelled; got "gone"`,
		`currency: must be an ISO 4217 code such as USD; got "usd"`,
	}
	if diff := cmp.Diff(want, strings.Split(fmt.Sprint(err), "\n")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("%v does not wrap ErrInvalid", err)
	}
}

// FuzzRead reads arbitrary bytes as a subscriptions export: no input may
// panic, and every record with a start becomes a contract that validates.
func FuzzRead(f *testing.F) {
	data, _ := os.ReadFile("testdata/subscriptions.csv")
	f.Add(data)
	f.Add([]byte("subscription_id,plan,status,start_date,end_date,monthly_amount,region\n1,Monthly,active,2024-01-31,,5,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := contractcsv.Read(strings.NewReader(string(data)), subscriptions)
		if err != nil {
			return
		}
		for i := range res.Records {
			r := &res.Records[i]
			if !r.Start.Valid() || r.Start.Year > 2100 || r.End.Year > 2100 {
				continue
			}
			c, err := r.Contract(accord.Date{Year: 2025, Month: 1, Day: 1})
			if err != nil && r.Status.Ended() == r.End.Valid() {
				t.Fatalf("record %+v: %v", r, err)
			}
			if c != nil && c.Validate() != nil {
				t.Fatal(c.Validate())
			}
		}
	})
}

// FuzzLoad loads arbitrary bytes as a mapping: no panic, and a mapping
// that loads validates.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"columns":{"id":"a","status":"b"},"status":{"x":"active"},"currency":"USD"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := contractcsv.Load(data)
		if err == nil {
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
