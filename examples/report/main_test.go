package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// runCmd runs the command and returns its exit status, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-golden +got):\n%s", name, diff)
	}
}

// eventArgs read the committed event log, from the package directory.
var eventArgs = []string{
	"-events", "testdata/events.csv",
	"-map", "id=Deal,at=Changed At,stage=New Stage,segment=Sector",
	"-join", "accounts.csv:Account",
	"-stages", "Prospecting,Qualifying,Proposal Sent,Negotiation,Closed Won",
	"-won", "Closed Won", "-lost", "Closed Lost",
}

// TestGolden runs the command on the committed sample and compares its
// output and its bad-row report with the golden files. Run with -update to
// accept a deliberate change.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"sample.table", nil},
		{"sample.json", []string{"-format", "json"}},
		{"sample.by-owner.table", []string{"-by", "owner"}},
		{"events.table", eventArgs},
		{"events.json", append([]string{"-format", "json"}, eventArgs...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errs)
			}
			golden(t, tt.name+".golden", out)
			golden(t, tt.name+".stderr.golden", errs)
		})
	}
}

// TestSampleFile checks that the sample read from its file, with the
// flags written out, gives what the embedded sample gives.
func TestSampleFile(t *testing.T) {
	_, want, _ := runCmd("-format", "json")
	code, got, errs := runCmd(append(append([]string{"-format", "json"}, sampleArgs...), "testdata/opportunities.csv")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("file vs embedded (-embedded +file):\n%s", diff)
	}
}

func TestStrict(t *testing.T) {
	code, out, errs := runCmd("-strict")
	want := `line 37: id (column "Opportunity ID"): is required
line 72: opened (column "Engaged On"): must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got "13/45/2025"
line 107: closed (column "Closed On"): 2025-04-01 is before the opened date
line 142: value (column "Amount"): must be an amount such as 1200.50 or $1,200.50; got "about 5k"
line 212: closed (column "Closed On"): is required for a won or lost deal
line 247: id (column "Opportunity ID"): "OPP-1001" repeats line 2
line 282: has 5 fields, the header has 7
report: opportunities.csv: 7 bad rows (-strict)
`
	if code != 1 || out != "" {
		t.Errorf("-strict: got exit %d and output %q; want 1 and none", code, out)
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("-strict stderr (-want +got):\n%s", diff)
	}
}

func TestStrictListsTheFirstTen(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,stage\n")
	for i := 0; i < 12; i++ {
		b.WriteString(",Open\n")
	}
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCmd("-strict", "-won", "W", "-lost", "L", path)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code != 1 || len(lines) != 12 || lines[0] != `line 2: id (column "id"): is required` ||
		lines[10] != "... and 2 more" || !strings.HasSuffix(lines[11], ": 12 bad rows (-strict)") {
		t.Errorf("-strict with 12 bad rows: exit %d, stderr:\n%s", code, errs)
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-format", "xml"}, "report: -format: must be table or json; got \"xml\"\n"},
		{[]string{"-by", ","}, "report: -by: name at least one grouping: segment, owner or a column\n"},
		{[]string{"-preset", "hubspot"}, "report: -preset needs an export: give a file, or drop it to read the sample\n"},
		{[]string{"-preset", "hubspot", "-won", "W", "a.csv"}, "report: -won is a shorthand for a mapping: with -mapping or -preset, write it in the mapping\n"},
		{[]string{"-contracts", "c.csv"}, "report: -contracts and -contracts-map go together: the export and its contractcsv mapping\n"},
		{[]string{"-to", "2025-01-01"}, "report: -from and -to bound the retention period: give -contracts\n"},
		{[]string{"-file", "deals=d.csv", "a.csv"}, "report: -file names the files of a mapping's joins: give -mapping or -preset, or -join FILE:KEY\n"},
		{[]string{"-won", "Won"}, "report: -won needs an export: give a file, or drop it to read the sample\n"},
		{[]string{"a.csv", "b.csv"}, "report: one file at most; got [\"a.csv\" \"b.csv\"]\n"},
		{[]string{"-events", "e.csv", "a.csv"}, "report: -events reads a stage-change log instead of an export: give one or the other\n"},
	}
	for _, tt := range tests {
		code, out, errs := runCmd(tt.args...)
		if code != 2 || out != "" || errs != tt.want {
			t.Errorf("%q: got exit %d, stdout %q, stderr %q; want 2, none, %q", tt.args, code, out, errs, tt.want)
		}
	}
	code, _, errs := runCmd("-tz", "Mars/Olympus_Mons")
	if want := "report: -tz: unknown time zone Mars/Olympus_Mons\n"; code != 1 || errs != want {
		t.Errorf("-tz: got exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	code, _, errs = runCmd("-currency", "usd")
	if want := "report: currency: must be an ISO 4217 code such as USD; got \"usd\"\n"; code != 1 || errs != want {
		t.Errorf("-currency usd: got exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	code, _, errs = runCmd("-by", "segment,Nope")
	if want := "report: -by Nope: columns.segment: opportunities.csv: no column \"Nope\"; the columns are \"Opportunity ID\", \"Rep\", \"Account\", \"Deal Stage\", \"Engaged On\", \"Closed On\", \"Amount\" (nor has any joined file)\n"; code != 1 || errs != want {
		t.Errorf("-by an unknown column: got exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	code, _, errs = runCmd("-map", "id=Nope", "-won", "W", "-lost", "L", "testdata/accounts.csv")
	if want := "report: columns.id: testdata/accounts.csv: no column \"Nope\"; the columns are \"Account\", \"Sector\", \"Country\"\ncolumns.stage: testdata/accounts.csv: no column \"stage\"; the columns are \"Account\", \"Sector\", \"Country\"\n"; code != 1 || errs != want {
		t.Errorf("unknown column: got exit %d, stderr %q; want 1, %q", code, errs, want)
	}
}

// TestHTML writes the HTML report and checks that it is one
// self-contained page holding every chart as inline SVG, drawn at both
// widths, with its data as a table.
func TestHTML(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  []string
		want  map[string]map[string]int
		notes []string
	}{
		{"sample", nil, map[string]map[string]int{
			// The funnel: one bar per stage; the cycle: a box per
			// outcome; the win rate: a dot per segment, "(unmatched)"
			// included; the trend: opened, won and lost, with a legend
			// key each and a dot per month (13).
			"funnel":           {"svg": 2, "rect": 10, "table": 1},
			"cycle-times":      {"svg": 2, "rect": 4, "table": 1},
			"win-rate-segment": {"svg": 2, "circle": 12, "table": 1},
			"trend":            {"svg": 2, "polyline": 6, "rect": 6, "circle": 78, "table": 1},
		}, nil},
		{"events by segment and owner", append([]string{"-by", "segment,owner"}, eventArgs...), map[string]map[string]int{
			"funnel":      {"svg": 2, "rect": 10, "table": 1},
			"cycle-times": {"svg": 2, "rect": 4, "table": 1},
			// "(unmatched)" has no closed deal here: no dot. The log
			// has no owner column: every deal is in "(none)".
			"win-rate-segment": {"svg": 2, "circle": 10, "table": 1},
			"win-rate-owner":   {"svg": 2, "circle": 2, "table": 1},
			"trend":            {"svg": 2, "polyline": 6, "rect": 6, "circle": 78, "table": 1},
		}, []string{"(none)&#34; groups the 301 deals whose owner is blank in the export."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			code, _, errs := runCmd(append([]string{"-html", path}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, figureElements(t, data)); diff != "" {
				t.Errorf("elements per figure (-want +got):\n%s", diff)
			}
			for _, banned := range []string{"<script", "src=", "href=", "@import", "url("} {
				if bytes.Contains(data, []byte(banned)) {
					t.Errorf("the page contains %q: it must be self-contained", banned)
				}
			}
			for _, want := range append([]string{"(unmatched)&#34; groups the 1 deal whose key has no row", "Prospecting", "Closed Won"}, tt.notes...) {
				if !bytes.Contains(data, []byte(want)) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
}

// figureElements parses the page and counts, in each figure by its id,
// the SVG drawings, their rects, circles and polylines, and the tables.
func figureElements(t *testing.T, data []byte) map[string]map[string]int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	got := map[string]map[string]int{}
	figure := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parse the page: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "figure" {
				for _, a := range e.Attr {
					if a.Name.Local == "id" {
						figure = a.Value
						got[figure] = map[string]int{}
					}
				}
			}
			switch e.Name.Local {
			case "svg", "rect", "circle", "polyline", "table":
				if figure != "" {
					got[figure][e.Name.Local]++
				}
			}
		case xml.EndElement:
			if e.Name.Local == "figure" {
				figure = ""
			}
		}
	}
	return got
}

// TestHTMLEscapes checks that text from the export is escaped.
func TestHTMLEscapes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.csv")
	csv := "id,stage,opened,closed,segment\n1,Won,2025-01-01,2025-02-01,<script>alert(1)</script>\n"
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.html")
	if code, _, errs := runCmd("-won", "Won", "-lost", "Lost", "-html", out, in); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(out)
	if bytes.Contains(data, []byte("<script>")) || !bytes.Contains(data, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Errorf("the segment name is not escaped:\n%s", data)
	}
}

// TestDatasets runs the command on the public Maven Analytics CRM and
// Pipedrive-style exports (not in this repository) when a datasets folder
// beside the clone holds them, and skips when it does not:
//
//	go run ./examples/report -map id=opportunity_id,stage=deal_stage,opened=engage_date,closed=close_date,value=close_value,owner=sales_agent,segment=sector -join accounts.csv:account -won Won -lost Lost ../shared/datasets/maven_crm/sales_pipeline.csv
//	go run ./examples/report -events ../shared/datasets/pipedrive_changes/deal_changes.csv -map id=deal_id,at=change_time,stage=new_value,field=changed_field_key -stage-field stage_id -lost-field lost_reason -won 7
func TestDatasets(t *testing.T) {
	const dir = "../../../shared/datasets"
	tests := []struct {
		name, file string
		args       []string
		want       map[string]any
		stderr     string
	}{
		{
			"maven_crm", "maven_crm/sales_pipeline.csv",
			[]string{"-map", "id=opportunity_id,stage=deal_stage,opened=engage_date,closed=close_date,value=close_value,owner=sales_agent,segment=sector", "-join", "accounts.csv:account", "-join", "sales_teams.csv:sales_agent", "-by", "sector,manager", "-won", "Won", "-lost", "Lost"},
			map[string]any{"deals": 8800.0, "won": 4238.0, "lost": 2473.0, "open": 2089.0, "win_rate": 0.6315, "median_cycle_days_won": 57.0, "median_cycle_days_lost": 14.0,
				"won_value": map[string]any{"amount": "10005534", "currency": "USD"}},
			"report: {path}: rows read 8800, deals built 8800, rows rejected 0\n",
		},
		{
			"pipedrive_changes", "pipedrive_changes/deal_changes.csv",
			[]string{"-map", "id=deal_id,at=change_time,stage=new_value,field=changed_field_key", "-stage-field", "stage_id", "-lost-field", "lost_reason", "-won", "7"},
			// Every deal ends with a loss reason, but 1,079 of them had
			// entered stage 7 (onboarding) first: Closed Won is a
			// transition, so they count as won, lost after the win.
			map[string]any{"deals": 1995.0, "won": 1079.0, "lost": 916.0, "open": 0.0, "win_rate": 0.5409, "median_cycle_days_won": 57.0, "median_cycle_days_lost": 58.0, "won_value": nil},
			"report: {path}: ignored 4500 rows that change other fields\n" +
				"report: {path}: rows read 15406, deals built 1995, rows rejected 0, rows of other fields ignored 4500, deals lost after the win 1079\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("no dataset: %v", err)
			}
			args := append([]string{"-format", "json"}, tt.args...)
			if tt.name == "pipedrive_changes" {
				args = append(args, "-events", path)
			} else {
				args = append(args, path)
			}
			code, out, errs := runCmd(args...)
			if want := strings.ReplaceAll(tt.stderr, "{path}", path); code != 0 || errs != want {
				t.Fatalf("exit %d, stderr %q; want 0, %q", code, errs, want)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			for k := range got {
				if _, ok := tt.want[k]; !ok {
					delete(got, k)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJoinFiles checks the joins end to end: a joined file is found beside
// the export, its bad rows are listed with its name, a row whose key it
// lacks is kept under "(unmatched)" (refused with -drop-unmatched), and a
// key it holds twice fails the run.
func TestJoinFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	opps := write("opps.csv", "id,stage,acct\n1,Open,a\n2,Open,b\n3,Open,\n")
	write("accts.csv", "acct,sector\na,tech\nb,retail,extra\n")
	code, out, errs := runCmd("-won", "W", "-lost", "L", "-join", "accts.csv:acct", "-map", "segment=sector", opps)
	wantErr := "accts.csv: line 3: has 3 fields, the header has 2\n" +
		"report: skipped 1 bad rows of joined files\n" +
		"report: " + opps + ": 1 deals have a join key with no match; they are kept under \"(unmatched)\" (-drop-unmatched skips them)\n" +
		"report: " + opps + ": rows read 3, deals built 3, rows rejected 0, deals kept (unmatched) 1\n"
	if code != 0 || errs != wantErr {
		t.Errorf("join with a bad row: exit %d, stderr:\n%s\nwant:\n%s", code, errs, wantErr)
	}
	if !strings.Contains(out, "\n(none)       1      1     0    0     n/a (0/0)  n/a        n/a         n/a        n/a         n/a       0\n(unmatched)  1      1     0    0     n/a (0/0)  n/a        n/a         n/a        n/a         n/a       0\ntech         1      1     0    0     n/a (0/0)  n/a        n/a         n/a        n/a         n/a       0\n") {
		t.Errorf("join with a bad row: output:\n%s", out)
	}
	code, out, errs = runCmd("-won", "W", "-lost", "L", "-join", "accts.csv:acct", "-map", "segment=sector", "-drop-unmatched", opps)
	wantErr = "line 3: acct \"b\" is not in accts.csv\n" +
		"accts.csv: line 3: has 3 fields, the header has 2\n" +
		"report: " + opps + ": skipped 1 bad rows of 3\n" +
		"report: skipped 1 bad rows of joined files\n" +
		"report: " + opps + ": rows read 3, deals built 2, rows rejected 1 (unmatched join 1)\n"
	if code != 0 || errs != wantErr {
		t.Errorf("-drop-unmatched: exit %d, stderr:\n%s\nwant:\n%s", code, errs, wantErr)
	}
	if !strings.Contains(out, "\n(none)   1      1     0    0     n/a (0/0)  n/a        n/a         n/a        n/a         n/a       0\ntech     1      1     0    0     n/a (0/0)  n/a        n/a         n/a        n/a         n/a       0\n") {
		t.Errorf("-drop-unmatched: output:\n%s", out)
	}
	write("dup.csv", "acct,sector\na,tech\nb,retail\na,retail\n")
	code, _, errs = runCmd("-won", "W", "-lost", "L", "-join", "dup.csv:acct", opps)
	if want := "report: joins[0]: dup.csv: line 4: duplicate key \"a\" in column \"acct\" (first at line 2)\n"; code != 1 || errs != want {
		t.Errorf("join with a duplicate key: exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	code, _, errs = runCmd("-won", "W", "-lost", "L", "-join", "nowhere.csv:acct", opps)
	if code != 1 || !strings.HasPrefix(errs, "report: -join: open nowhere.csv: ") {
		t.Errorf("join with a missing file: exit %d, stderr %q", code, errs)
	}
}

// TestContracts adds the retention section from a contracts export: the
// retention metrics over a period when it has dates, the churned share
// labelled as a snapshot when it has only a status.
func TestContracts(t *testing.T) {
	const dir = "../../contract/contractcsv/testdata/"
	code, out, errs := runCmd("-contracts", dir+"subscriptions.csv", "-contracts-map", "testdata/subscriptions.map.json")
	if code != 0 {
		t.Fatalf("dated: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Retention from 2023-05-01 to 2024-05-01, 4 of 4 contracts: renewal rate 66.67% (4/6), churn rate 33.33% (2/6), refund rate 0.0%\n",
		"month-to-month  5          4        1        80.0%         20.00% (1/5)\n",
		"multi-year      1          0        1        0.0%          100.00% (1/1)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dated: the output lacks %q:\n%s", want, out)
		}
	}
	if want := "report: " + dir + "subscriptions.csv: rows read 6, contracts built 4, rows rejected 2"; !strings.Contains(errs, want) {
		t.Errorf("dated: stderr lacks %q:\n%s", want, errs)
	}
	code, out, errs = runCmd("-contracts", dir+"subscriptions.csv", "-contracts-map", "testdata/subscriptions.map.json", "-from", "2024-01-01", "-to", "2024-04-01")
	if want := "Retention from 2024-01-01 to 2024-04-01"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("-from -to: exit %d, output lacks %q:\n%s%s", code, want, out, errs)
	}
	html := filepath.Join(t.TempDir(), "r.html")
	code, out, errs = runCmd("-contracts", dir+"churn_snapshot.csv", "-contracts-map", "testdata/telco.map.json", "-html", html)
	if code != 0 {
		t.Fatalf("snapshot: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Retention: a snapshot of 9 contracts (no dates): the share churned when the export was taken, not a rate over a period.\n",
		"contract type    month-to-month          3        5          60.00% (3/5)\n",
		"InternetService  Fiber optic             4        5          80.00% (4/5)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("snapshot: the output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureElements(t, data)["churn"]; got["svg"] != 2 || got["circle"] != 10 || !bytes.Contains(data, []byte("Retention (snapshot)")) {
		t.Errorf("snapshot: the page's churn figure has %v, want 2 drawings of 10 dots under \"Retention (snapshot)\"", got)
	}
}

// TestPresets reads the dealcsv presets' fixtures end to end, as the
// README shows: HubSpot's deals export, Salesforce's OpportunityHistory
// joined to its Opportunity export, Pipedrive's changes joined to its
// deals.
func TestPresets(t *testing.T) {
	const dir = "../../deal/dealcsv/testdata/"
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"-preset", "hubspot", dir + "hubspot_deals.csv"}, []string{
			"Deals                  5 (won 1, lost 2, open 2)\n",
			"Decision Maker Bought-In  0        2        0    n/a (0/0)      100.00% (2/2)  n/a                   100.0%           0\n",
		}},
		{[]string{"-preset", "salesforce", "-file", "opportunities=" + dir + "salesforce_opportunity.csv", dir + "salesforce_history.csv"}, []string{
			"Win rate               75.00% (3/4)\n",
			"Lost after the win     1 (counted as won above)\n",
			"New Business       4      1     2    1     66.67% (2/3)   40.81 days  58.00 days  $31,000    $5,000      $253.19/day  1\n",
		}},
		{[]string{"-preset", "pipedrive", "-file", "deals=" + dir + "pipedrive_deals.csv", dir + "pipedrive_changes.csv"}, []string{
			"Deals                  3 (won 1, lost 1, open 1)\n",
			"2      2        3        0    50.00% (1/2)   66.67% (2/3)   13.00 days            50.0%            0\n",
		}},
	} {
		code, out, errs := runCmd(tt.args...)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", tt.args, code, errs)
			continue
		}
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("%q: the output lacks %q:\n%s", tt.args, want, out)
			}
		}
	}
	code, _, errs := runCmd("-preset", "salesforce", dir+"salesforce_history.csv")
	if code != 1 || !strings.Contains(errs, `report: join "opportunities": give its file with -file opportunities=FILE: `) {
		t.Errorf("a preset's join without its file: exit %d, stderr %q", code, errs)
	}
}
