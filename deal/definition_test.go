package deal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/golden"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func marshal(t fataler, p *deal.Process) []byte {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

func indent(t fataler, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("indent: %v", err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// TestDefinitionGolden writes Default and Unified as data, checks the
// result against testdata, and loads it back to the same definition.
func TestDefinitionGolden(t *testing.T) {
	for name, p := range map[string]*deal.Process{"default": deal.Default(), "unified": deal.Unified()} {
		t.Run(name, func(t *testing.T) {
			b := marshal(t, p)
			golden.Check(t, name+".json", indent(t, b))
			loaded, err := deal.Load(b, deal.LoadOptions{})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if diff := cmp.Diff(string(b), string(marshal(t, loaded))); diff != "" {
				t.Fatalf("Marshal(Load(Marshal(p))) differs (-want +got):\n%s", diff)
			}
			// The indented file loads too.
			if _, err := deal.Load(indent(t, b), deal.LoadOptions{}); err != nil {
				t.Fatalf("load indented: %v", err)
			}
			if diff := cmp.Diff(p.Config(), loaded.Config(), cmp.Comparer(func(a, b deal.Criterion) bool {
				return a.ID == b.ID && a.Description == b.Description && a.Field == b.Field
			}), cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
				t.Fatalf("loaded config differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadReportsEveryProblem lists, for documented kinds of bad input,
// every problem Load reports, with its path and rule.
func TestLoadReportsEveryProblem(t *testing.T) {
	host := map[string]deal.Rule{
		"verified": deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["verified"] == "yes" }),
		"nil":      nil,
		"broken":   deal.RuleFunc(nil),
	}
	tests := []struct {
		name, in string
		want     []string
	}{
		{"not JSON", `{"stages":`, []string{"definition: is not valid JSON: unexpected end of JSON input (at byte 10)"}},
		{"not an object", `[1]`, []string{"definition: must be a process definition, a JSON object"}},
		{"empty", `{}`, []string{"stages: must list at least one open stage"}},
		{"wrong types", `{"id":1,"idle_alert_days":"x","stages":[{"id":"a","name":"A","core":"yes","buyer_commitments":[1],"healthy_days":1.5,"probability":true}]}`, []string{
			"id: must be a string",
			"idle_alert_days: must be a whole number, at most a billion in size",
			"stages[0].buyer_commitments[0]: must be a string",
			"stages[0].core: must be true or false",
			"stages[0].healthy_days: must be a whole number, at most a billion in size",
			"stages[0].probability: must be a number between 0 and 1",
		}},
		{"unknown fields", `{"stages":[{"id":"a","name":"A","colour":"red","exit":[{"id":"c","description":"d","kind":"present","path":"segment","days":3}]}],"owner":"x","a b":1}`, []string{
			`["a b"]: is not a field of a process definition; the fields are id, name, closed_won, idle_alert_days, lead_response, stages`,
			"owner: is not a field of a process definition; the fields are id, name, closed_won, idle_alert_days, lead_response, stages",
			"stages[0].colour: is not a field of a stage; the fields are id, name, purpose, buyer_commitments, core, entry, exit, healthy_days, probability, multi_threaded, needs_business_case, follow_up_days",
			"stages[0].exit[0].days: is not a field of a criterion; the fields are id, description, field, kind, path",
		}},
		{"repeated keys", `{"id":"a","id":"b","stages":[{"id":"a","name":"A","name":"B","exit":[{"id":"c","description":"d","kind":"present","path":"segment","path":"value"}]}]}`, []string{
			"id: is given more than once; give each key once",
			"stages[0].name: is given more than once; give each key once",
			"stages[0].exit[0].path: is given more than once; give each key once",
		}},
		{"unknown and missing kinds", `{"stages":[{"id":"a","name":"A","entry":[{"id":"c","description":"d","kind":"presnt","path":"segment"},{"id":"e","description":"d"}]}]}`, []string{
			`stages[0].entry[0].kind: must be one of present, reached, engaged, has_artifact, next_step_within, any_of, requirements_gathered, scope_approved, discrepancies_resolved, fit_viable, named, confirmed, engaged_within, champion_graded; got "presnt"`,
			"stages[0].entry[1].kind: is required: one of present, reached, engaged, has_artifact, next_step_within, any_of, requirements_gathered, scope_approved, discrepancies_resolved, fit_viable, named, confirmed, engaged_within, champion_graded",
		}},
		{"missing parameters", `{"stages":[{"id":"a","name":"A","exit":[
			{"id":"p","description":"d","kind":"present"},
			{"id":"r","description":"d","kind":"reached"},
			{"id":"e","description":"d","kind":"engaged"},
			{"id":"h","description":"d","kind":"has_artifact"},
			{"id":"n","description":"d","kind":"next_step_within"},
			{"id":"o","description":"d","kind":"any_of"},
			{"id":"g","description":"d","kind":"requirements_gathered"},
			{"id":"m","description":"d","kind":"named"}]}]}`, []string{
			"stages[0].exit[0].path: is required for kind present",
			"stages[0].exit[1].path: is required for kind reached",
			"stages[0].exit[2].n: is required for kind engaged",
			"stages[0].exit[3].artifact: is required for kind has_artifact",
			"stages[0].exit[4].days: is required for kind next_step_within",
			"stages[0].exit[5].rules: is required for kind any_of",
			"stages[0].exit[6].kinds: is required for kind requirements_gathered",
			"stages[0].exit[7].name: is required for kind named",
		}},
		{"bad parameters", `{"stages":[{"id":"a","name":"A","exit":[
			{"id":"p","description":"d","kind":"present","path":"segmnet"},
			{"id":"r","description":"d","kind":"reached","path":"segment"},
			{"id":"e","description":"d","kind":"engaged","role":"boss","n":0},
			{"id":"h","description":"d","kind":"has_artifact","artifact":""},
			{"id":"n","description":"d","kind":"next_step_within","days":-1},
			{"id":"o","description":"d","kind":"any_of","rules":[]},
			{"id":"q","description":"d","kind":"any_of","rules":[{"kind":"engaged","n":1,"id":"x"},3]},
			{"id":"g","description":"d","kind":"requirements_gathered","kinds":["workflow","wishes"]},
			{"id":"m","description":"d","kind":"named","name":"unknown"},
			{"id":"z","description":"d","kind":"named","name":"nil"},
			{"id":"b","description":"d","kind":"named","name":"broken"}]}]}`, []string{
			`stages[0].exit[0].path: must name a field of a deal, such as discovery.problem or fields.<name>; got "segmnet"`,
			`stages[0].exit[1].path: must name a date of a deal: close_date, alignment.agreed_at, business_case.agreed_at, business_case.no_executive_sponsor_at, commercials.implementation_start, onboarding.first_milestone_at or onboarding.live_at; got "segment"`,
			`stages[0].exit[2].role: must be a stakeholder role or empty for any role; got "boss"`,
			"stages[0].exit[2].n: must be at least 1; got 0",
			"stages[0].exit[3].artifact: must not be empty",
			"stages[0].exit[4].days: must be at least 1; got -1",
			"stages[0].exit[5].rules: must list at least one rule",
			"stages[0].exit[6].rules[0].id: is not a field of a rule; the fields are kind, role, n",
			"stages[0].exit[6].rules[1]: must be a rule, a JSON object",
			`stages[0].exit[7].kinds[1]: must be a requirement kind; got "wishes"`,
			`stages[0].exit[8].name: names no rule the host registered; got "unknown"`,
			`stages[0].exit[9].name: names a nil rule: "nil"`,
			`stages[0].exit[10]: named rule "broken": RuleFunc is nil`,
		}},
		{"duplicates, terminals and unreachable stages", `{"closed_won":"c","stages":[
			{"id":"a","name":"A","exit":[{"id":"x","description":"d","kind":"fit_viable"},{"id":"x","description":"d","kind":"scope_approved"}]},
			{"id":"a","name":"A again"},
			{"id":"live","name":"Live","exit":[{"id":"y","description":"d","kind":"discrepancies_resolved"}]},
			{"id":"c","name":"C"}]}`, []string{
			"stages[2].exit: must be empty: live is a terminal stage, and no deal leaves it",
			"stages[3]: is unreachable: it is listed after the terminal stage at stages[2], and no deal leaves a terminal stage",
			`stages[0].exit[1].id: duplicates criterion "x"`,
			`stages[1].id: duplicates stage "a"`,
			`stages[2].id: "live" is a terminal stage every process has; list open stages only`,
		}},
		{"process rules", `{"closed_won":"nowhere","idle_alert_days":-1,"stages":[{"id":"a b","name":" ","healthy_days":-1,"probability":1.5,"exit":[{"kind":"scope_approved"}]}]}`, []string{
			`stages[0].id: must not contain spaces or colons; got "a b"`,
			"stages[0].name: is required",
			"stages[0].healthy_days: must not be negative",
			"stages[0].probability: must be between 0 and 1; got 1.5",
			"stages[0].exit[0].id: is required",
			"stages[0].exit[0].description: is required",
			`closed_won: names unknown stage "nowhere"`,
			"idle_alert_days: must not be negative",
		}},
		{"unbounded probability", `{"stages":[{"id":"a","name":"A","probability":"1e-2147483648"},{"id":"b","name":"B","probability":12345678901234567890123}]}`, []string{
			"stages[0].probability: must be a number between 0 and 1 with at most 18 decimal places",
			"stages[1].probability: must be a number between 0 and 1 with at most 18 decimal places",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := deal.Load([]byte(tt.in), deal.LoadOptions{Rules: host})
			if p != nil || !errors.Is(err, accord.ErrInvalid) {
				t.Fatalf("want no process and ErrInvalid, got %v, %v", p, err)
			}
			if diff := cmp.Diff(tt.want, problems(err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// problems lists the messages of every error joined in err.
func problems(err error) []string {
	var out []string
	for _, e := range errtest.Leaves(err) {
		out = append(out, e.Error())
	}
	return out
}

func TestLoadAcceptsEveryKind(t *testing.T) {
	verified := deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["verified"] == "yes" })
	in := `{"id":"kinds","name":"Every kind","closed_won":"b","stages":[
		{"id":"a","name":"A","exit":[
			{"id":"p","description":"d","kind":"present","path":"fields.region"},
			{"id":"r","description":"d","kind":"reached","path":"close_date"},
			{"id":"e","description":"d","kind":"engaged","n":2},
			{"id":"h","description":"d","kind":"has_artifact","artifact":"nda"},
			{"id":"n","description":"d","kind":"next_step_within","days":7},
			{"id":"o","description":"d","field":"fields.verified","kind":"any_of","rules":[{"kind":"named","name":"verified"},{"kind":"engaged","role":"champion","n":1}]},
			{"id":"g","description":"d","kind":"requirements_gathered","kinds":["workflow"]},
			{"id":"s","description":"d","kind":"scope_approved"},
			{"id":"x","description":"d","kind":"discrepancies_resolved"},
			{"id":"f","description":"d","kind":"fit_viable"}],"probability":"0.25"},
		{"id":"b","name":"B","core":true,"healthy_days":3,"probability":1,"multi_threaded":true,"needs_business_case":true,"follow_up_days":2}]}`
	p, err := deal.Load([]byte(in), deal.LoadOptions{Rules: map[string]deal.Rule{"verified": verified}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.Config()
	if cfg.ID != "kinds" || cfg.Name != "Every kind" || cfg.ClosedWon != "b" || len(cfg.Stages) != 2 {
		t.Fatalf("config: %+v", cfg)
	}
	b := cfg.Stages[1]
	if !b.Core || b.HealthyDays != 3 || b.Probability.String() != "1" || !b.MultiThreaded || !b.NeedsBusinessCase || b.FollowUpDays != 2 {
		t.Fatalf("stage b: %+v", b)
	}
	if got := cfg.Stages[0].Probability.String(); got != "0.25" {
		t.Fatalf("probability %s, want 0.25", got)
	}
	if got := cfg.Stages[0].RequiredFields(); !cmp.Equal(got, []string{"fields.region", "close_date", "stakeholders", "next_step", "fields.verified", "discovery.requirements", "scope", "qualification.fit"}) {
		t.Fatalf("required fields %v", got)
	}
	// The named rule decides as the host's rule, inside any_of too.
	d := deal.Deal{ID: "d", Owner: rep.ID}
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	gaps := func() []string {
		var out []string
		for _, u := range p.Unmet(&d, t0) {
			out = append(out, u.Criterion)
		}
		return out
	}
	// The scope rules at the close keep the scope guarantees, so the close
	// also needs the scope presented.
	if diff := cmp.Diff([]deal.Guarantee{deal.GuaranteeScopeApproved, deal.GuaranteeDiscrepanciesResolved}, p.Guarantees()); diff != "" {
		t.Fatalf("guarantees (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"p", "r", "e", "h", "n", "o", "g", "s", "x", "scope_presented"}, gaps()); diff != "" {
		t.Fatalf("gaps (-want +got):\n%s", diff)
	}
	d.Fields = map[string]string{"verified": "yes"}
	if diff := cmp.Diff([]string{"p", "r", "e", "h", "n", "g", "s", "x", "scope_presented"}, gaps()); diff != "" {
		t.Fatalf("gaps once verified (-want +got):\n%s", diff)
	}
	// It marshals back to the same definition.
	var want bytes.Buffer
	if err := json.Compact(&want, []byte(in)); err != nil {
		t.Fatal(err)
	}
	wantDoc := strings.ReplaceAll(want.String(), `"probability":"0.25"`, `"probability":0.25`)
	if diff := cmp.Diff(wantDoc, string(marshal(t, p))); diff != "" {
		t.Fatalf("marshal (-want +got):\n%s", diff)
	}
}

// TestMarshalReportsRulesNotData: a rule that is not data fails Marshal
// with the path of every such criterion; Named makes it data.
func TestMarshalReportsRulesNotData(t *testing.T) {
	fn := deal.RuleFunc(func(*deal.Deal, time.Time) bool { return true })
	cfg := deal.Config{Stages: []deal.Stage{
		{ID: "a", Name: "A", Exit: []deal.Criterion{
			{ID: "ok", Description: "d", Rule: deal.Present("segment")},
			{ID: "fn", Description: "d", Rule: fn},
		}},
		{ID: "b", Name: "B", Entry: []deal.Criterion{
			{ID: "any", Description: "d", Rule: deal.AnyOf(deal.Present("segment"), hostRule{})},
			{ID: "named", Description: "d", Rule: deal.Named("always", fn)},
		}},
	}}
	p, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = json.Marshal(p)
	want := []string{
		"stages[0].exit[1]: rule of type deal.RuleFunc cannot be written as data: use a built-in kind or wrap it with deal.Named",
		"stages[1].entry[0].rules[1]: rule of type deal_test.hostRule cannot be written as data: use a built-in kind or wrap it with deal.Named",
	}
	var fe *accord.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FieldError, got %v", err)
	}
	if diff := cmp.Diff(want, problems(errors.Unwrap(err))); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
	if _, err := (&deal.Process{}).MarshalJSON(); !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("zero process: want ErrInvalid, got %v", err)
	}

	cfg.Stages[0].Exit[1].Rule = deal.Named("always", fn)
	cfg.Stages[1].Entry[0].Rule = deal.AnyOf(deal.Present("segment"), deal.Named("host", hostRule{}))
	p, err = deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := marshal(t, p)
	const wantDoc = `{"stages":[{"id":"a","name":"A","exit":[{"id":"ok","description":"d","kind":"present","path":"segment"},{"id":"fn","description":"d","kind":"named","name":"always"}],"probability":0},{"id":"b","name":"B","entry":[{"id":"any","description":"d","kind":"any_of","rules":[{"kind":"present","path":"segment"},{"kind":"named","name":"host"}]},{"id":"named","description":"d","kind":"named","name":"always"}],"probability":0}]}`
	if diff := cmp.Diff(wantDoc, string(b)); diff != "" {
		t.Fatalf("marshal (-want +got):\n%s", diff)
	}
	if _, err := deal.Load(b, deal.LoadOptions{Rules: map[string]deal.Rule{"always": fn, "host": hostRule{}}}); err != nil {
		t.Fatalf("load: %v", err)
	}
	if _, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{{ID: "a", Name: "A", Exit: []deal.Criterion{
		{ID: "n", Description: "d", Rule: deal.Named("", fn)},
		{ID: "m", Description: "d", Rule: deal.Named("x", nil)},
	}}}}); !cmp.Equal(problems(err), []string{
		"stages[0].exit[0].rule: Named needs a name",
		`stages[0].exit[1].rule: named rule "x": is required`,
	}) {
		t.Fatalf("bad named rules: %v", problems(err))
	}
}

type hostRule struct{}

func (hostRule) Met(d *deal.Deal, _ time.Time) bool { return d.Segment == "smb" }

// TestLoadedDecidesAsOriginal is the promise of definitions as data: for
// arbitrary deals, times, actors and moves, Default and Unified loaded back
// from their JSON answer every question and make every move exactly as the
// originals do.
func TestLoadedDecidesAsOriginal(t *testing.T) {
	for name, p := range map[string]*deal.Process{"default": deal.Default(), "unified": deal.Unified()} {
		t.Run(name, func(t *testing.T) {
			q, err := deal.Load(marshal(t, p), deal.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			rapid.Check(t, func(t *rapid.T) { sameDecisions(t, p, q) })
		})
	}
}

func sameDecisions(t *rapid.T, p, q *deal.Process) {
	d := genDeal().Draw(t, "deal")
	if rapid.Bool().Draw(t, "opened") {
		// Half the deals are real ones, at a real stage, so that moves get
		// past their prechecks.
		stage := rapid.SampledFrom(p.Stages()).Draw(t, "stage").ID
		d, _ = openAt(p, stage, t0)
		for _, e := range edits {
			if rapid.IntRange(0, 3).Draw(t, "clear_"+e.name) == 0 {
				var full deal.Deal
				fill(&full, t0)
				e.edit(&d, &full, false)
			}
		}
	}
	now := gen.Time().Draw(t, "now")
	switch rapid.IntRange(0, 2).Draw(t, "now_kind") {
	case 1:
		// After the last move, so that moves get past their prechecks.
		if len(d.History) > 0 {
			now = d.History[len(d.History)-1].At.Add(time.Duration(rapid.IntRange(0, 30*24).Draw(t, "hours")) * time.Hour)
		}
	case 2:
		// Up to 20 days before the next step, across the edge of every
		// next_step_within.
		if !d.NextStep.At.IsZero() {
			now = d.NextStep.At.Add(-time.Duration(rapid.IntRange(0, 20*24).Draw(t, "hours_before")) * time.Hour)
		}
	}
	by := rapid.SampledFrom(actors).Draw(t, "by")
	stages := []deal.StageID{"", deal.StageLive, deal.StageLost, "x"}
	for _, s := range p.Stages() {
		stages = append(stages, s.ID)
	}
	to := rapid.SampledFrom(stages).Draw(t, "to")
	reason := rapid.SampledFrom(append(deal.LossReasons(), "odd")).Draw(t, "loss_reason")

	same := func(what string, a, b any) {
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("%s differs (-original +loaded):\n%s", what, diff)
		}
	}
	// Every criterion of every stage decides alike, at now and at times
	// around each day before the next step and the dates the rules read.
	times := []time.Time{now}
	for _, ref := range []time.Time{d.NextStep.At, d.Onboarding.LiveAt, d.Onboarding.FirstMilestoneAt, d.CloseDate, d.Commercials.ImplementationStart} {
		for days := range 40 {
			at := ref.Add(-time.Duration(days) * 24 * time.Hour)
			times = append(times, at.Add(-time.Minute), at, at.Add(time.Minute))
		}
	}
	qs := q.Stages()
	for i, s := range p.Stages() {
		for side, cs := range map[string][2][]deal.Criterion{"entry": {s.Entry, qs[i].Entry}, "exit": {s.Exit, qs[i].Exit}} {
			for j, c := range cs[0] {
				for _, at := range times {
					if a, b := c.Rule.Met(&d, at), cs[1][j].Rule.Met(&d, at); a != b {
						t.Fatalf("%s %s criterion %s at %v: original %v, loaded %v", s.ID, side, c.ID, at, a, b)
					}
				}
			}
		}
	}
	same("Unmet", p.Unmet(&d, now), q.Unmet(&d, now))
	g1, e1 := p.UnmetTo(&d, to, now)
	g2, e2 := q.UnmetTo(&d, to, now)
	same("UnmetTo", g1, g2)
	same("UnmetTo error", errText(e1), errText(e2))
	same("Moves", p.Moves(&d, now), q.Moves(&d, now))
	same("Risks", p.Risks(&d, now), q.Risks(&d, now))
	same("Triggers", p.Triggers(&d, now), q.Triggers(&d, now))
	same("Won", p.Won(&d), q.Won(&d))
	moves := map[string]func(*deal.Process, *deal.Deal) error{
		"open":    func(x *deal.Process, c *deal.Deal) error { return x.Open(c, by, now) },
		"advance": func(x *deal.Process, c *deal.Deal) error { return x.Advance(c, by, now) },
		"revert":  func(x *deal.Process, c *deal.Deal) error { return x.Revert(c, to, "why", by, now) },
		"lose":    func(x *deal.Process, c *deal.Deal) error { return x.Lose(c, reason, "note", by, now) },
		"reopen":  func(x *deal.Process, c *deal.Deal) error { return x.Reopen(c, to, "why", by, now) },
	}
	for _, name := range []string{"open", "advance", "revert", "lose", "reopen"} {
		c1, c2 := jsontest.Copy(t, d), jsontest.Copy(t, d)
		err1, err2 := moves[name](p, &c1), moves[name](q, &c2)
		same(name+" error", errText(err1), errText(err2))
		same(name+" result", c1, c2)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestLoadedMovesStateful runs the stateful test of the package on Unified
// (whose criteria include every kind Default has) loaded back from its
// JSON.
func TestLoadedMovesStateful(t *testing.T) {
	q, err := deal.Load(marshal(t, deal.Unified()), deal.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	testMovesStateful(t, q)
}

// A RevOps team writes a two-stage process as data; the host loads it at
// start-up and it gates deals like any other.
func ExampleLoad() {
	definition := []byte(`{
	  "id": "inbound",
	  "stages": [
	    {"id": "qualify", "name": "Qualify", "probability": 0.2, "exit": [
	      {"id": "why_now", "description": "Record why the buyer must act now.",
	       "kind": "present", "path": "qualification.why_now"},
	      {"id": "champion", "description": "Engage a champion.",
	       "kind": "engaged", "role": "champion", "n": 1}
	    ]},
	    {"id": "close", "name": "Close", "probability": 0.8, "exit": [
	      {"id": "signed", "description": "Attach the signed agreement.",
	       "kind": "has_artifact", "artifact": "signed_agreement"}
	    ]}
	  ]
	}`)
	p, err := deal.Load(definition, deal.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := deal.Deal{ID: "d-7", Owner: rep.ID}
	if err := p.Open(&d, rep, monday); err != nil {
		fmt.Println(err)
		return
	}
	err = p.Advance(&d, rep, tuesday)
	var blocked *accord.BlockedError
	if errors.As(err, &blocked) {
		for _, u := range blocked.Unmet {
			fmt.Println(u)
		}
	}

	// A typo is reported with its path.
	_, err = deal.Load([]byte(`{"stages":[{"id":"qualify","name":"Qualify","exit":[{"id":"why_now","description":"Why now?","kind":"presnet","path":"qualification.why_now"}]}]}`), deal.LoadOptions{})
	fmt.Println(err)
	// Output:
	// qualify exit why_now: Record why the buyer must act now. (qualification.why_now)
	// qualify exit champion: Engage a champion. (stakeholders)
	// stages[0].exit[0].kind: must be one of present, reached, engaged, has_artifact, next_step_within, any_of, requirements_gathered, scope_approved, discrepancies_resolved, fit_viable, named, confirmed, engaged_within, champion_graded; got "presnet"
}
