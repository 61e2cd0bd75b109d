package dealcsv_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
)

func cols(kv ...string) map[dealcsv.Field]string {
	m := map[dealcsv.Field]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[dealcsv.Field(kv[i])] = kv[i+1]
	}
	return m
}

func readText(t *testing.T, m *dealcsv.Mapping, text string, o dealcsv.Options) *dealcsv.Result {
	t.Helper()
	res, err := dealcsv.Read(strings.NewReader(text), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var stages = []dealcsv.Stage{
	{ID: "lead", Name: "Lead"}, {ID: "demo", Name: "Demo"}, {ID: "proposal", Name: "Proposal"},
	{ID: "won", Name: "Won"}, {ID: "onboarding", Name: "Onboarding"},
}

// TestSnapshotBadRows: every bad row is refused with its line, each field
// at fault and the reason it is counted under.
func TestSnapshotBadRows(t *testing.T) {
	in := "ID,Stage,Opened,Closed,Amount,Rep,Sector\n" +
		"A1,Closed Won,1/2/2025,2/3/2025,\"$1,200.50\",ana,tech\n" + // 2
		",Closed Won,1/2/2025,2/3/2025,1,ana,tech\n" + // 3
		"A1,Lost,1/2/2025,2/3/2025,1,ana,tech\n" + // 4
		"A4,,1/2/2025,,1,ana,tech\n" + // 5
		"A5,Closed Lost,2025-13-01,2/3/2025,1,ana,tech\n" + // 6
		"A6,won,2/3/2025,1/2/2025,-5,ana,tech\n" + // 7
		"A7,Won,1/2/2025,,€4,ana,tech\n" + // 8
		"A8,Prospecting,,,,bo,\n" + // 9
		"A9,Engaging,3/1/2025,,10,bo,retail\n" + // 10
		"A10,Lost,1/2/2025,1/9/2025,,bo,tech\n" // 11
	m := &dealcsv.Mapping{
		Columns:   cols("id", "ID", "stage", "Stage", "opened", "Opened", "closed", "Closed", "value", "Amount", "owner", "Rep", "segment", "Sector"),
		WonValues: []string{"Closed Won", "won"}, LostValues: []string{"closed lost", "Lost"}, Currency: "USD",
	}
	res := readText(t, m, in, dealcsv.Options{})
	want := `rows read 10, deals built 4, rows rejected 6 (bad date 1, bad value 2, duplicate id 1, missing id 1, missing stage 1)
A1 "Closed Won" owner="ana" segment="tech" value=1200.50 USD
  open ->open 2025-01-02T00:00
  won open->live 2025-02-03T00:00
A8 "Prospecting" owner="bo" segment="" value=unset
A9 "Engaging" owner="bo" segment="retail" value=10 USD
  open ->open 2025-03-01T00:00
A10 "Lost" owner="bo" segment="tech" value=unset
  open ->open 2025-01-02T00:00
  lost open->lost 2025-01-09T00:00 other ""
problem (missing id) line 3: id (column "ID"): is required
problem (duplicate id) line 4: id (column "ID"): "A1" repeats line 2
problem (missing stage) line 5: stage (column "Stage"): is required
problem (bad date) line 6: opened (column "Opened"): must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got "2025-13-01"
problem (bad value) line 7: value (column "Amount"): must not be negative; got "-5"
closed (column "Closed"): 2025-01-02 is before the opened date
problem (bad value) line 8: value (column "Amount"): "€4" is in €, but the report is in USD
closed (column "Closed"): is required for a won or lost deal
`
	if diff := cmp.Diff(want, render(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var d deal.Deal
	d.Fields = map[string]string{"left": "over"}
	res.Deals[3].Fill(&d)
	at := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	wantDeal := deal.Deal{ID: "A10", Owner: "bo", Segment: "tech", Stage: deal.StageLost, StageEnteredAt: at("2025-01-09"), Version: 1,
		Loss: &deal.Loss{Reason: deal.LossOther, Stage: "open"}, History: res.Deals[3].History}
	if diff := cmp.Diff(wantDeal, d); diff != "" {
		t.Errorf("Fill (-want +got):\n%s", diff)
	}
	if err := res.Process.Read(&d, new(deal.Reading)); err != nil {
		t.Errorf("a filled deal is one Process.Read accepts: %v", err)
	}
}

// TestOutcomeFromStatus: a status column decides won, lost or open; a deal
// lost after reaching a late stage keeps the stage it reached; one lost
// after reaching a stage past Closed Won was won, its loss kept apart.
func TestOutcomeFromStatus(t *testing.T) {
	in := "id,stage,status,created,closed,reason,segment\n" +
		"1,Proposal,won,2025-01-01,2025-02-01,,smb\n" +
		"2,Proposal,lost,2025-01-01,2025-02-10,Too expensive,smb\n" +
		"3,Onboarding,lost,2025-01-01,2025-03-01,Churned early,ent\n" +
		"4,Onboarding,open,2025-01-05,,,ent\n" +
		"5,Demo,open,2025-01-07,,,smb\n" +
		"6,Demo,maybe,2025-01-07,,,smb\n"
	m := &dealcsv.Mapping{
		Columns: cols("id", "id", "stage", "stage", "status", "status", "opened", "created", "closed", "closed", "loss_reason", "reason", "segment", "segment"),
		Stages:  stages, ClosedWon: "won", Currency: "EUR",
		Status:      map[string]deal.Outcome{"open": deal.OutcomeOpen, "won": deal.OutcomeWon, "lost": deal.OutcomeLost},
		LossReasons: map[string]deal.LossReason{"too expensive": deal.LossPrice},
	}
	res := readText(t, m, in, dealcsv.Options{})
	want := `rows read 6, deals built 5, rows rejected 1 (unknown status 1), deals lost after the win 1
1 "Proposal" owner="" segment="smb" value=unset
  open ->proposal 2025-01-01T00:00
  won proposal->won 2025-02-01T00:00
2 "Proposal" owner="" segment="smb" value=unset
  open ->proposal 2025-01-01T00:00
  lost proposal->lost 2025-02-10T00:00 price ""
3 "Onboarding" owner="" segment="ent" value=unset lost-after-win=onboarding/other/"Churned early"@2025-03-01
  open ->lead 2025-01-01T00:00
  won lead->onboarding 2025-03-01T00:00
4 "Onboarding" owner="" segment="ent" value=unset
  open ->lead 2025-01-05T00:00
  won lead->onboarding 2025-01-05T00:00
5 "Demo" owner="" segment="smb" value=unset
  open ->demo 2025-01-07T00:00
problem (unknown status) line 7: status (column "status"): "maybe" is not one of the status values "lost", "open", "won"
lost after the win: onboarding "ent" 1
`
	if diff := cmp.Diff(want, render(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFlags: Salesforce-style IsWon and IsClosed flags give the outcome.
func TestFlags(t *testing.T) {
	in := "id,stage,won,closed,opened,closed_on\n" +
		"1,Demo,true,true,2025-01-01,2025-01-10\n" +
		"2,Demo,false,true,2025-01-01,2025-01-10\n" +
		"3,Demo,false,false,2025-01-01,\n" +
		"4,Demo,perhaps,false,2025-01-01,\n"
	m := &dealcsv.Mapping{Columns: cols("id", "id", "stage", "stage", "is_won", "won", "is_closed", "closed", "opened", "opened", "closed", "closed_on"),
		Stages: stages, ClosedWon: "won", Currency: "USD"}
	res := readText(t, m, in, dealcsv.Options{})
	var got []string
	for _, d := range res.Deals {
		got = append(got, d.ID+":"+string(d.History[len(d.History)-1].To))
	}
	if diff := cmp.Diff([]string{"1:won", "2:lost", "3:demo"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(res.Problems) != 1 || res.Problems[0].Reason != dealcsv.ReasonBadFlag {
		t.Errorf("problems: %v", res.Problems)
	}
}

// TestUnmatched: a join key with no match keeps the deal under
// "(unmatched)", or refuses the row with DropUnmatched.
func TestUnmatched(t *testing.T) {
	in := "id,stage,account\n1,Open,acme\n2,Open,nope\n3,Open,\n"
	accounts := "account,sector\nacme,tech\n"
	m := &dealcsv.Mapping{Columns: cols("id", "id", "stage", "stage", "segment", "sector"),
		Joins: []dealcsv.Join{{Name: "accounts", Key: "account"}}, Currency: "USD"}
	for _, drop := range []bool{false, true} {
		o := dealcsv.Options{Joins: map[string]io.Reader{"accounts": strings.NewReader(accounts)}, DropUnmatched: drop}
		res := readText(t, m, in, o)
		want := `rows read 3, deals built 3, rows rejected 0, deals kept (unmatched) 1
1 "Open" owner="" segment="tech" value=unset
2 "Open" owner="" segment="(unmatched)" value=unset unmatched=accounts
3 "Open" owner="" segment="" value=unset
`
		if drop {
			want = `rows read 3, deals built 2, rows rejected 1 (unmatched join 1)
1 "Open" owner="" segment="tech" value=unset
3 "Open" owner="" segment="" value=unset
problem (unmatched join) line 3: account "nope" is not in accounts
`
		}
		if diff := cmp.Diff(want, render(res)); diff != "" {
			t.Errorf("drop %t (-want +got):\n%s", drop, diff)
		}
	}
	if _, err := dealcsv.Read(strings.NewReader(in), m, dealcsv.Options{}); err == nil || err.Error() != `joins[0]: no reader for "accounts" in Options.Joins` {
		t.Errorf("a join without its reader: got %v", err)
	}
}

// TestWarnings: an owner column of small whole numbers and a segment
// column of identifiers are warned about.
func TestWarnings(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,stage,user_id,account_id\n")
	for i := 0; i < 25; i++ {
		b.WriteString(strings.Join([]string{"d" + string(rune('a'+i)), "Open", "1463", "acc-" + string(rune('a'+i))}, ","))
		b.WriteString("\n")
	}
	m := &dealcsv.Mapping{Columns: cols("id", "id", "stage", "stage", "owner", "user_id", "segment", "account_id"), Currency: "USD"}
	res := readText(t, m, b.String(), dealcsv.Options{})
	want := []string{
		`owner (column "user_id"): every value is a small whole number, such as "1463": it looks like a user ID, not a name; join a file of users and map owner to its name column`,
		`segment (column "account_id"): every deal has its own value: it looks like an identifier, not a segment`,
	}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestLog reads a stage log without a field column: sorted by time,
// repeats dropped, reopen and revert, a loss before any stage refused.
func TestLog(t *testing.T) {
	in := "deal,when,to,sector\n" +
		"d1,2025-01-01 09:00,Lead,tech\n" + // 2
		"d1,2025-01-03 09:00,Demo,\n" + // 3
		"d2,2025-01-02 09:00,Lead,retail\n" + // 4
		"d1,2025-01-02 09:00,Lead,\n" + // 5: a repeat of Lead, dropped
		"d1,2025-01-10 09:00,Won,\n" + // 6
		"d2,2025-01-05 09:00,Lost,\n" + // 7
		"d2,2025-01-07 09:00,Demo,\n" + // 8: reopen
		"d2,2025-01-08 09:00,Lead,\n" + // 9: revert
		"d3,2025-01-08 09:00,Lost,\n" + // 10: lost before any stage
		"d4,soon,Lead,\n" + // 11
		"d5,2025-01-08,Nowhere,\n" // 12
	m := &dealcsv.Mapping{Kind: dealcsv.KindChanges, Columns: cols("id", "deal", "at", "when", "stage", "to", "segment", "sector"),
		Stages: stages[:4], ClosedWon: "won", LostValues: []string{"Lost"}, Currency: "USD"}
	res := readText(t, m, in, dealcsv.Options{})
	want := `rows read 11, deals built 2, rows rejected 3 (bad date 1, lost before any stage 1, unknown stage 1)
d1 "Won" owner="" segment="tech" value=unset
  open ->lead 2025-01-01T09:00
  advance lead->demo 2025-01-03T09:00
  won demo->won 2025-01-10T09:00
d2 "Lead" owner="" segment="retail" value=unset
  open ->lead 2025-01-02T09:00
  lost lead->lost 2025-01-05T09:00 other ""
  reopen lost->demo 2025-01-07T09:00
  revert demo->lead 2025-01-08T09:00
problem (lost before any stage) line 10: deal "d3": lost at line 10 before entering any stage
problem (bad date) line 11: at (column "when"): must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got "soon"
problem (unknown stage) line 12: stage (column "to"): "Nowhere" is not one of the stages "Lead", "Demo", "Proposal", "Won"
`
	if diff := cmp.Diff(want, render(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without stages, labels must be numbers.
	m.Stages, m.ClosedWon = nil, ""
	_, err := dealcsv.Read(strings.NewReader(in), m, dealcsv.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "stages: the log's stage labels are not numbers") {
		t.Errorf("a log of named stages without a stage list: got %v", err)
	}
}

// TestTimeZone: dates without an offset are read in the mapping's zone,
// resolved by Options.Zone; without one only UTC is known.
func TestTimeZone(t *testing.T) {
	in := "id,stage,opened,closed\n1,W,2025-03-01T12:00:00Z,2025-03-20 10:00\n"
	m := &dealcsv.Mapping{Columns: cols("id", "id", "stage", "stage", "opened", "opened", "closed", "closed"),
		WonValues: []string{"W"}, LostValues: []string{"L"}, Currency: "USD", Dates: dealcsv.Dates{TimeZone: "America/New_York"}}
	if _, err := dealcsv.Read(strings.NewReader(in), m, dealcsv.Options{}); err == nil {
		t.Error("a zone without Options.Zone: got no error")
	}
	res, err := dealcsv.Read(strings.NewReader(in), m, dealcsv.Options{Zone: time.LoadLocation})
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	h := res.Deals[0].History
	if got := h[0].At.Format(time.DateTime) + " " + h[1].At.Format(time.DateTime); got != "2025-03-01 07:00:00 2025-03-20 10:00:00" {
		t.Errorf("got %s; want the wall clock in New York", got)
	}
}
