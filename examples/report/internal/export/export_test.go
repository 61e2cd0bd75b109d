package export_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/report/internal/export"
)

func read(t *testing.T, name, text string) *export.Table {
	t.Helper()
	tb, problems, err := export.ReadCSV(name, strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadCSV(%s): %v", name, err)
	}
	if len(problems) > 0 {
		t.Fatalf("ReadCSV(%s): unexpected problems %v", name, problems)
	}
	return tb
}

func problemText(ps []export.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		header   []string
		lines    []int
		problems []string
	}{
		{"plain", "a,b\n1,2\n3,4\n", []string{"a", "b"}, []int{2, 3}, nil},
		{"bom and spaces in the header", "\uFEFF a , b\n1,2\n", []string{"a", "b"}, []int{2}, nil},
		{"blank lines skipped", "a,b\n\n1,2\n\n3,4\n", []string{"a", "b"}, []int{3, 5}, nil},
		{"multi-line field keeps its first line", "a,b\n\"x\ny\",2\n3,4\n", []string{"a", "b"}, []int{2, 4}, nil},
		{"wrong field count", "a,b\n1,2\n3\n4,5,6\n7,8\n", []string{"a", "b"}, []int{2, 5},
			[]string{"f.csv: line 3: has 1 fields, the header has 2", "f.csv: line 4: has 3 fields, the header has 2"}},
		{"empty row", "a,b\n,\n1,2\n", []string{"a", "b"}, []int{3}, []string{"f.csv: line 2: is empty"}},
		{"bare quote", "a,b\n1,x\"y\n3,4\n", []string{"a", "b"}, []int{3}, []string{`f.csv: line 2: bare " in non-quoted-field`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, ps, err := export.ReadCSV("f.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, r := range tb.Rows {
				lines = append(lines, r.Line)
			}
			if diff := cmp.Diff(tt.header, tb.Header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("row lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problemText(ps)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCSVNoHeader(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\"a\n"} {
		if _, _, err := export.ReadCSV("f.csv", strings.NewReader(in)); err == nil {
			t.Errorf("ReadCSV(%q): got no error, want one", in)
		}
	}
	_, _, err := export.ReadCSV("f.csv", strings.NewReader(""))
	if !errors.Is(err, export.ErrNoHeader) {
		t.Errorf("ReadCSV(empty): got %v, want ErrNoHeader", err)
	}
}

func TestColumn(t *testing.T) {
	tb := read(t, "f.csv", "Deal ID,Stage,stage ,Amount,Amount\n1,a,b,2,3\n")
	tests := []struct {
		name string
		want int
		err  string
	}{
		{"Deal ID", 0, ""},
		{"deal id", 0, ""},
		{"Stage", 1, ""},
		{"STAGE", -1, `f.csv: column "STAGE" is ambiguous: it matches "Stage" and "stage"`},
		{"Amount", -1, `f.csv: column "Amount" is ambiguous: the header has it twice`},
		{"Owner", -1, `f.csv: no column "Owner"; the columns are "Deal ID", "Stage", "stage", "Amount", "Amount"`},
	}
	for _, tt := range tests {
		got, err := tb.Column(tt.name)
		if got != tt.want || fmt.Sprint(err) != cmpOr(tt.err) {
			t.Errorf("Column(%q): got %d, %v; want %d, %s", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestParseMap(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		err  string
	}{
		{"", map[string]string{}, ""},
		{"id=Opportunity ID, Stage = Deal Stage", map[string]string{"id": "Opportunity ID", "stage": "Deal Stage"}, ""},
		{"id", nil, `map[0]: "id" must be field=column`},
		{"id=a,id=b,=c,x=", nil, "map[1]: field \"id\" is mapped twice\nmap[2]: \"=c\" needs both a field and a column\nmap[3]: \"x=\" needs both a field and a column"},
	}
	for _, tt := range tests {
		got, err := export.ParseMap(tt.in)
		if tt.err != "" {
			if fmt.Sprint(err) != tt.err {
				t.Errorf("ParseMap(%q): got error %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMap(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseMap(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseJoin(t *testing.T) {
	tests := []struct {
		in   string
		want export.JoinSpec
		err  string
	}{
		{"accounts.csv:account", export.JoinSpec{File: "accounts.csv", Key: "account", OtherKey: "account"}, ""},
		{"C:\\data\\stages.csv:new_value=stage_id", export.JoinSpec{File: "C:\\data\\stages.csv", Key: "new_value", OtherKey: "stage_id"}, ""},
		{"accounts.csv", export.JoinSpec{}, `join "accounts.csv": must be FILE:KEY or FILE:KEY=OTHERKEY`},
		{":", export.JoinSpec{File: "", Key: "", OtherKey: ""}, "join \":\": the file name is required\njoin \":\": the key column is required"},
	}
	for _, tt := range tests {
		got, err := export.ParseJoin(tt.in)
		if fmt.Sprint(err) != cmpOr(tt.err) {
			t.Errorf("ParseJoin(%q): got error %v, want %s", tt.in, err, cmpOr(tt.err))
		}
		if tt.err == "" && got != tt.want {
			t.Errorf("ParseJoin(%q): got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

var utc = time.UTC

func opts() export.Options {
	return export.Options{Won: []string{"Won"}, Lost: []string{"Lost"}, Currency: "USD", Location: utc}
}

func TestJoin(t *testing.T) {
	main := "id,stage,account,name\n1,Open,Acme,x\n2,Open, ,y\n3,Open,Nope,z\n"
	accounts := read(t, "accounts.csv", "account,sector,name\nAcme,software,Acme Inc\nBeta,retail,Beta Ltd\n")
	tb := read(t, "opps.csv", main)
	if err := tb.Join(accounts, "account", "account"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"id", "stage", "account", "name", "sector", "accounts.name"}, tb.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, r := range tb.Rows {
		got = append(got, r.Fields)
	}
	want := [][]string{
		{"1", "Open", "Acme", "x", "software", "Acme Inc"},
		{"2", "Open", " ", "y", "", ""},
		{"3", "Open", "Nope", "z", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The row whose key has no match is refused when used, with its line.
	o := opts()
	o.Map = map[string]string{"segment": "sector"}
	res, err := export.Snapshot(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`line 4: account "Nope" is not in accounts.csv`}, problemText(res.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(res.Deals) != 2 || res.Deals[0].Segment != "software" || res.Deals[1].Segment != "" {
		t.Errorf("deals: got %+v, want deal 1 in software and deal 2 without a segment", res.Deals)
	}
}

func TestJoinDuplicateKey(t *testing.T) {
	tb := read(t, "opps.csv", "id,account\n1,Acme\n")
	accounts := read(t, "accounts.csv", "account,sector\nAcme,software\nBeta,retail\nAcme,retail\nBeta,retail\n")
	err := tb.Join(accounts, "account", "account")
	want := "accounts.csv: line 4: duplicate key \"Acme\" in column \"account\" (first at line 2)\n" +
		"accounts.csv: line 5: duplicate key \"Beta\" in column \"account\" (first at line 3)"
	if fmt.Sprint(err) != want {
		t.Errorf("Join: got %v, want %s", err, want)
	}
	if err := tb.Join(accounts, "acct", "account"); err == nil || !strings.Contains(err.Error(), `no column "acct"`) {
		t.Errorf("Join on a missing column: got %v", err)
	}
}

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
	tb := read(t, "opps.csv", in)
	o := opts()
	o.Won = []string{"Closed Won", "won"}
	o.Lost = []string{"closed lost", "Lost"}
	o.Map = map[string]string{"opened": "Opened", "closed": "Closed", "value": "Amount", "owner": "Rep", "segment": "Sector", "id": "ID", "stage": "Stage"}
	res, err := export.Snapshot(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`line 3: id (column "ID"): is required`,
		`line 4: id (column "ID"): "A1" repeats line 2`,
		`line 5: stage (column "Stage"): is required`,
		`line 6: opened (column "Opened"): must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got "2025-13-01"`,
		"line 7: closed (column \"Closed\"): 2025-01-02 is before the opened date\nvalue (column \"Amount\"): must not be negative; got \"-5\"",
		"line 8: closed (column \"Closed\"): is required for a won or lost deal\nvalue (column \"Amount\"): \"€4\" is in €, but the report is in USD",
	}
	if diff := cmp.Diff(want, problemText(res.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	by := accord.Actor{ID: "export", Role: accord.RoleSalesRep}
	wantDeals := []export.Deal{
		{
			Line: 2, Label: "Closed Won", ID: "A1", Owner: "ana", Segment: "tech", Value: accord.Money{Amount: mustDec("1200.50"), Currency: "USD"},
			History: []deal.Event{
				{Kind: deal.EventOpen, To: "open", At: at("2025-01-02"), By: by},
				{Kind: deal.EventWon, From: "open", To: deal.StageLive, At: at("2025-02-03"), By: by},
			},
		},
		{Line: 9, Label: "Prospecting", ID: "A8", Owner: "bo"},
		{
			Line: 10, Label: "Engaging", ID: "A9", Owner: "bo", Segment: "retail", Value: accord.Money{Amount: mustDec("10"), Currency: "USD"},
			History: []deal.Event{{Kind: deal.EventOpen, To: "open", At: at("2025-03-01"), By: by}},
		},
		{
			Line: 11, Label: "Lost", ID: "A10", Owner: "bo", Segment: "tech",
			History: []deal.Event{
				{Kind: deal.EventOpen, To: "open", At: at("2025-01-02"), By: by},
				{Kind: deal.EventLost, From: "open", To: deal.StageLost, At: at("2025-01-09"), By: by, LossReason: deal.LossOther},
			},
		},
	}
	if diff := cmp.Diff(wantDeals, res.Deals, decimalEqual, cmpopts.IgnoreUnexported(export.Deal{})); diff != "" {
		t.Errorf("deals (-want +got):\n%s", diff)
	}
	// Fill makes the accord deal, with the stage its history ends in.
	var d deal.Deal
	d.Fields = map[string]string{"left": "over"}
	res.Deals[0].Fill(&d)
	wantFull := deal.Deal{
		ID: "A1", Owner: "ana", Segment: "tech", Value: wantDeals[0].Value,
		Stage: deal.StageLive, StageEnteredAt: at("2025-02-03"), Version: 2, History: wantDeals[0].History,
	}
	if diff := cmp.Diff(wantFull, d, decimalEqual); diff != "" {
		t.Errorf("Fill (-want +got):\n%s", diff)
	}
	res.Deals[3].Fill(&d)
	wantFull = deal.Deal{
		ID: "A10", Owner: "bo", Segment: "tech", Stage: deal.StageLost, StageEnteredAt: at("2025-01-09"), Version: 2,
		Loss: &deal.Loss{Reason: deal.LossOther, Stage: "open"}, History: wantDeals[3].History,
	}
	if diff := cmp.Diff(wantFull, d, decimalEqual); diff != "" {
		t.Errorf("Fill of a lost deal (-want +got):\n%s", diff)
	}
}

func TestSnapshotOptions(t *testing.T) {
	tb := read(t, "opps.csv", "id,stage,amount\n1,Won,3\n")
	_, err := export.Snapshot(tb, export.Options{Won: []string{"Won"}, Lost: []string{"won"}, Currency: "usd", Map: map[string]string{"segment": "Sector", "colour": "x"}})
	want := []string{
		`currency: must be an ISO 4217 code such as USD; got "usd"`,
		"location: is required",
		`won: "Won" is also a lost label`,
		"map: unknown field \"colour\"; the fields are id, stage, opened, closed, value, owner, segment",
		`field segment: opps.csv: no column "Sector"; the columns are "id", "stage", "amount"`,
	}
	if diff := cmp.Diff(strings.Join(want, "\n"), fmt.Sprint(err)); diff != "" {
		t.Errorf("Snapshot options (-want +got):\n%s", diff)
	}
	// A closed deal needs the dates mapped.
	res, err := export.Snapshot(tb, opts())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"line 2: opened: a closed deal needs it; map it with -map opened=COLUMN\nclosed: a closed deal needs it; map it with -map closed=COLUMN"}, problemText(res.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestEvents(t *testing.T) {
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
	tb := read(t, "log.csv", in)
	o := opts()
	o.Map = map[string]string{"id": "deal", "at": "when", "stage": "to", "segment": "sector"}
	o.Stages = []string{"Lead", "Demo", "Won"}
	res, err := export.Events(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`line 10: deal "d3": lost at line 10 before entering any stage`,
		`line 11: at (column "when"): must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got "soon"`,
		`line 12: stage (column "to"): "Nowhere" is not one of the stages "Lead", "Demo", "Won"`,
	}
	if diff := cmp.Diff(want, problemText(res.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	type ev struct {
		Kind     deal.EventKind
		From, To deal.StageID
		Day      int
	}
	got := map[string][]ev{}
	for _, d := range res.Deals {
		k := d.ID + " " + d.Segment + " " + d.Label
		for _, e := range d.History {
			got[k] = append(got[k], ev{e.Kind, e.From, e.To, e.At.Day()})
		}
	}
	wantEv := map[string][]ev{
		"d1 tech won": {{deal.EventOpen, "", "lead", 1}, {deal.EventAdvance, "lead", "demo", 3}, {deal.EventWon, "demo", "won", 10}},
		"d2 retail Lead": {{deal.EventOpen, "", "lead", 2}, {deal.EventLost, "lead", deal.StageLost, 5},
			{deal.EventReopen, deal.StageLost, "demo", 7}, {deal.EventRevert, "demo", "lead", 8}},
	}
	// d1's label is the won stage's.
	wantEv["d1 tech Won"] = wantEv["d1 tech won"]
	delete(wantEv, "d1 tech won")
	if diff := cmp.Diff(wantEv, got); diff != "" {
		t.Errorf("histories (-want +got):\n%s", diff)
	}
	if got := res.Process.ClosedWon(); got != "won" {
		t.Errorf("ClosedWon: got %q, want \"won\"", got)
	}
}

func TestEventsByField(t *testing.T) {
	in := "id,time,key,value\n" +
		"7,2024-04-09 21:32:09,add_time,2024-04-09T21:32:09\n" +
		"7,2024-04-20 21:32:09,stage_id,2\n" +
		"7,2024-04-12 21:32:09,stage_id,1\n" +
		"7,2024-05-02 21:32:09,stage_id,10\n" +
		"7,2024-07-16 21:32:09,lost_reason,5\n"
	tb := read(t, "changes.csv", in)
	o := opts()
	o.Won = []string{"10"}
	o.Map = map[string]string{"at": "time", "stage": "value", "field": "key"}
	o.StageField, o.LostField = "stage_id", "lost_reason"
	res, err := export.Events(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ignored != 1 || len(res.Problems) != 0 || len(res.Deals) != 1 {
		t.Fatalf("got %d ignored, problems %v, %d deals; want 1, none, 1", res.Ignored, res.Problems, len(res.Deals))
	}
	var stages []deal.StageID
	for _, s := range res.Process.Stages() {
		stages = append(stages, s.ID)
	}
	// Numeric labels are ordered numerically, not as they first appear.
	if diff := cmp.Diff([]deal.StageID{"1", "2", "10"}, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	var kinds []deal.EventKind
	for _, e := range res.Deals[0].History {
		kinds = append(kinds, e.Kind)
	}
	if diff := cmp.Diff([]deal.EventKind{deal.EventOpen, deal.EventAdvance, deal.EventWon, deal.EventLost}, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	o.StageField = ""
	if _, err := export.Events(tb, o); fmt.Sprint(err) != "stage-field: is required when the field column is mapped" {
		t.Errorf("Events without a stage field: got %v", err)
	}
	o.StageField, o.Won = "stage_id", []string{"1"}
	if _, err := export.Events(tb, o); fmt.Sprint(err) != `won: "1" is the first stage; a deal must be open before it is won` {
		t.Errorf("Events won at the first stage: got %v", err)
	}
}

// TestReadCSVUnclosedQuote: a quote that never closes swallows the rest of
// the file; the problem names the line the record starts on and says which
// lines were swallowed.
func TestReadCSVUnclosedQuote(t *testing.T) {
	in := "id,name\n1,a\n2,\"b\n3,c\n4,d\n"
	tb, problems, err := export.ReadCSV("x.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`x.csv: line 3: extraneous or missing " in quoted-field (the record runs to line 5; the lines in between were not read as rows)`}
	if diff := cmp.Diff(want, problemText(problems)); diff != "" || len(tb.Rows) != 1 {
		t.Errorf("problems (-want +got):\n%s\nrows %d; want 1", diff, len(tb.Rows))
	}
}

// TestEventsNeedStageOrder: without -stages, labels that are not numbers
// have no order to infer, and the run says so rather than guess.
func TestEventsNeedStageOrder(t *testing.T) {
	tb := read(t, "log.csv", "deal,when,to\nd1,2025-01-01,Lead\nd1,2025-01-02,Proposal\nd2,2025-01-01,Qualified\n")
	o := opts()
	o.Map = map[string]string{"id": "deal", "at": "when", "stage": "to"}
	_, err := export.Events(tb, o)
	want := `stages: the log's stage labels are not numbers, so their order cannot be inferred; give it with -stages (the log names "Lead", "Proposal", "Qualified")`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v; want %s", err, want)
	}
}
