package deal_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/errtest"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func ids(p *deal.Process) []string {
	var out []string
	for _, s := range p.Stages() {
		out = append(out, string(s.ID))
	}
	return out
}

func criteriaIDs(cs []deal.Criterion) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func securityReview() deal.Stage {
	return deal.Stage{
		ID: "security_review", Name: "Security review", Purpose: "Pass the buyer's security review.",
		Exit:        []deal.Criterion{{ID: "questionnaire", Description: "Attach the answered security questionnaire.", Rule: deal.HasArtifact("security_questionnaire")}},
		HealthyDays: 10, Probability: decimal.New(70, -2),
	}
}

func TestDerive(t *testing.T) {
	base := deal.Default()
	seven := 7
	v := deal.Variant{
		ID: "smb", Name: "Self-serve SMB",
		Remove: []deal.StageID{deal.StageTargeting, deal.StageSolutionAlignment},
		Insert: []deal.Insertion{{After: deal.StageBusinessCase, Before: deal.StageProposal, Stage: securityReview()}},
		Stages: []deal.StageChange{
			{Stage: deal.StageDiscovery, Name: "Quick discovery", HealthyDays: &seven,
				RemoveExit: []string{"constraint_legal", "current_stack"},
				AddExit:    []deal.Criterion{{ID: "region", Description: "Record the region.", Rule: deal.Present("fields.region")}}},
			{Stage: deal.StageProposal, RemoveEntry: []string{"procurement_requirements"}},
			{Stage: "security_review", AddEntry: []deal.Criterion{{ID: "nda", Description: "Attach the NDA.", Rule: deal.HasArtifact("nda")}}},
		},
	}
	p, err := base.Derive(v)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"qualification", "discovery", "business_case", "security_review", "proposal", "handoff"}, ids(p)); diff != "" {
		t.Fatalf("stages (-want +got):\n%s", diff)
	}
	cfg := p.Config()
	if cfg.ID != "smb" || cfg.Name != "Self-serve SMB" || cfg.ClosedWon != deal.StageHandoff || cfg.IdleAlertDays != 14 {
		t.Fatalf("config: id %q name %q closed won %q idle %d", cfg.ID, cfg.Name, cfg.ClosedWon, cfg.IdleAlertDays)
	}
	disc, _ := p.Stage(deal.StageDiscovery)
	if disc.Name != "Quick discovery" || disc.HealthyDays != 7 || !disc.Core {
		t.Fatalf("discovery: name %q, healthy %d, core %v", disc.Name, disc.HealthyDays, disc.Core)
	}
	want := []string{"problem_statement", "desired_outcome", "success_criteria", "constraint_security", "constraint_timeline",
		"constraint_integrations", "blockers", "requirements", "region"}
	if diff := cmp.Diff(want, criteriaIDs(disc.Exit)); diff != "" {
		t.Fatalf("discovery exit (-want +got):\n%s", diff)
	}
	prop, _ := p.Stage(deal.StageProposal)
	if diff := cmp.Diff([]string{"decision_path", "legal_requirements"}, criteriaIDs(prop.Entry)); diff != "" {
		t.Fatalf("proposal entry (-want +got):\n%s", diff)
	}
	sec, _ := p.Stage("security_review")
	if diff := cmp.Diff([]string{"nda"}, criteriaIDs(sec.Entry)); diff != "" {
		t.Fatalf("security review entry (-want +got):\n%s", diff)
	}
	// The base is unchanged.
	if diff := cmp.Diff([]string{"targeting", "qualification", "discovery", "solution_alignment", "business_case", "proposal", "handoff"}, ids(base)); diff != "" {
		t.Fatalf("base stages changed (-want +got):\n%s", diff)
	}
	if d, _ := base.Stage(deal.StageDiscovery); d.Name != "Discovery" || len(d.Exit) != 10 {
		t.Fatalf("base discovery changed: %q, %d exit criteria", d.Name, len(d.Exit))
	}
	// Deals move through it, with the inserted gate in the way.
	d := deal.Deal{ID: "d", Owner: rep.ID}
	fill(&d, t0)
	d.Fields = map[string]string{"region": "EMEA"}
	d.Artifacts = append(d.Artifacts, deal.Artifact{Kind: "nda", Ref: "doc-4"})
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	at := t0
	for d.Stage != "security_review" {
		at = at.Add(time.Hour)
		if err := p.Advance(&d, rep, at); err != nil {
			t.Fatalf("advance from %s: %v", d.Stage, err)
		}
	}
	var blocked *accord.BlockedError
	if err := p.Advance(&d, rep, at); !errors.As(err, &blocked) || len(blocked.Unmet) != 1 || blocked.Unmet[0].Criterion != "questionnaire" {
		t.Fatalf("advance out of security review: %v", err)
	}
}

func TestDeriveReportsEveryProblem(t *testing.T) {
	neg := -1
	v := deal.Variant{
		Remove: []deal.StageID{deal.StageDiscovery, "nowhere", deal.StageTargeting, deal.StageTargeting},
		Insert: []deal.Insertion{
			{After: "nowhere", Before: deal.StageProposal, Stage: securityReview()},
			{After: deal.StageBusinessCase, Before: deal.StageHandoff, Stage: securityReview()},
			{After: deal.StageProposal, Before: deal.StageHandoff, Stage: deal.Stage{ID: deal.StageQualification, Name: " ", HealthyDays: -2}},
			{After: deal.StageHandoff, Before: deal.StageLive, Stage: deal.Stage{ID: "live", Name: "Live"}},
		},
		Stages: []deal.StageChange{
			{Stage: "nowhere"},
			{Stage: deal.StageProposal, Name: "  ", HealthyDays: &neg, RemoveExit: []string{"term", "nope"}, RemoveEntry: []string{"term"},
				AddExit: []deal.Criterion{
					{ID: "final_price", Description: "dup", Rule: deal.Present("segment")},
					{ID: "x", Description: "", Rule: deal.Present("segmnet")},
				}},
		},
	}
	_, err := deal.Default().Derive(v)
	want := []string{
		`remove[0]: stage "discovery" is core in the base process: a variant must keep it`,
		`remove[1]: names no stage of the process; got "nowhere"`,
		`remove[3]: names no stage of the process; got "targeting"`,
		`insert[0].after: names no stage of the process; got "nowhere"`,
		`insert[1].before: must be "proposal", the stage right after "business_case"; got "handoff"`,
		"insert[2].stage.name: is required",
		"insert[2].stage.healthy_days: must not be negative",
		`insert[2].stage.id: duplicates stage "qualification"`,
		`insert[3].stage.id: "live" is a terminal stage every process has; list open stages only`,
		`stages[0].stage: names no stage of the process; got "nowhere"`,
		"stages[1].name: must not be blank",
		"stages[1].healthy_days: must not be negative",
		`stages[1].remove_entry[0]: names no entry criterion of stage "proposal"; got "term"`,
		`stages[1].remove_exit[1]: names no exit criterion of stage "proposal"; got "nope"`,
		`stages[1].add_exit[0].id: duplicates exit criterion "final_price" of stage "proposal"`,
		"stages[1].add_exit[1].description: is required",
		`stages[1].add_exit[1].rule: unknown field "segmnet"`,
	}
	if diff := cmp.Diff(want, problems(err)); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
	if !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("want ErrInvalid, got %v", err)
	}
	if _, err := (*deal.Process)(nil).Derive(deal.Variant{}); !errors.Is(err, accord.ErrInvalid) {
		t.Fatalf("nil base: want ErrInvalid, got %v", err)
	}
	// Closed Won is kept even where it is not core.
	cfg := deal.Default().Config()
	for i := range cfg.Stages {
		cfg.Stages[i].Core = false
	}
	loose, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loose.Derive(deal.Variant{Remove: []deal.StageID{deal.StageHandoff}}); !cmp.Equal(problems(err), []string{`remove[0]: stage "handoff" is the Closed Won stage: a variant must keep it`}) {
		t.Fatalf("removing closed won: %v", err)
	}
}

func TestLoadVariant(t *testing.T) {
	verified := deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool { return d.Fields["security"] == "passed" })
	in := `{"id":"enterprise","name":"Enterprise",
		"insert":[{"after":"business_case","before":"proposal","stage":{"id":"security_review","name":"Security review","core":true,"healthy_days":21,"probability":0.7,
			"exit":[{"id":"security_passed","description":"Pass the security review.","kind":"named","name":"security"}]}}],
		"stages":[{"stage":"discovery","healthy_days":30,"remove_exit":["blockers"],"add_exit":[{"id":"it_owner","description":"Engage the IT owner.","kind":"engaged","role":"technical_evaluator","n":1}]},
			{"stage":"proposal","name":"Negotiation","remove_entry":[],"add_entry":[],"healthy_days":null}]}`
	p, err := deal.LoadVariant(deal.Unified(), []byte(in), deal.LoadOptions{Rules: map[string]deal.Rule{"security": verified}})
	if err != nil {
		t.Fatal(err)
	}
	seven := 30
	q, err := deal.Unified().Derive(deal.Variant{
		ID: "enterprise", Name: "Enterprise",
		Insert: []deal.Insertion{{After: deal.StageBusinessCase, Before: deal.StageProposal, Stage: deal.Stage{
			ID: "security_review", Name: "Security review", Core: true, HealthyDays: 21, Probability: mustDecimal(t, "0.7"),
			Exit: []deal.Criterion{{ID: "security_passed", Description: "Pass the security review.", Rule: deal.Named("security", verified)}},
		}}},
		Stages: []deal.StageChange{
			{Stage: deal.StageDiscovery, HealthyDays: &seven, RemoveExit: []string{"blockers"},
				AddExit: []deal.Criterion{{ID: "it_owner", Description: "Engage the IT owner.", Rule: deal.Engaged(deal.RoleTechnicalEvaluator, 1)}}},
			{Stage: deal.StageProposal, Name: "Negotiation"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(marshal(t, q)), string(marshal(t, p))); diff != "" {
		t.Fatalf("loaded variant differs from the derived one (-derived +loaded):\n%s", diff)
	}

	tests := []struct{ in, want string }{
		{`{"remove":"targeting"}`, "remove: must be an array"},
		{`{"remove":["qualification"]}`, `remove[0]: stage "qualification" is core in the base process: a variant must keep it`},
		{`{"insert":[{"after":"handoff","before":"live"}]}`, "insert[0].stage: is required"},
		{`{"insert":[{"after":"a","before":"b","stage":{"id":"c","name":"C","exit":[{"id":"x","description":"d","kind":"named","name":"nope"}]}}]}`, `insert[0].stage.exit[0].name: names no rule the host registered; got "nope"` + "\n" + `insert[0].after: names no stage of the process; got "a"`},
		// The problems of the JSON and those of the changes it reads as are
		// reported together.
		{`{"remove":["discovery"],"colour":"red"}`, "colour: is not a field of a variant; the fields are id, name, remove, insert, stages, idle_alert_days, lead_response\n" + `remove[0]: stage "discovery" is core in the base process: a variant must keep it`},
		{`{"remove":[7,"qualification"],"stages":[{"stage":"nowhere","healthy_days":40000}]}`, "remove[0]: must be a string\n" + `remove[1]: stage "qualification" is core in the base process: a variant must keep it` + "\n" + `stages[0].stage: names no stage of the process; got "nowhere"`},
		{`{"stages":[{"stage":"proposal","healthy_days":"7","add_exit":[{"id":"x","description":"d","kind":"present"}],"rename":"x"}]}`,
			"stages[0].rename: is not a field of a stage change; the fields are stage, name, healthy_days, follow_up_days, remove_entry, remove_exit, add_entry, add_exit\nstages[0].add_exit[0].path: is required for kind present\nstages[0].healthy_days: must be a whole number, at most a billion in size"},
		{`{"stages":[3]}`, "stages[0]: must be a stage change, a JSON object"},
		{`nope`, "variant: is not valid JSON: invalid character 'o' in literal null (expecting 'u') (at byte 2)"},
	}
	for _, tt := range tests {
		_, err := deal.LoadVariant(deal.Default(), []byte(tt.in), deal.LoadOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("LoadVariant(%s):\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDeriveKeepsStageIDs: for generated variants of Unified, a derived
// process keeps every stage of the base that the variant does not remove,
// in the base's order, with its ID; it keeps every core stage; and a
// variant that removes a core stage is refused with the path of the
// removal.
func TestDeriveKeepsStageIDs(t *testing.T) {
	base := deal.Unified()
	stages := base.Stages()
	rapid.Check(t, func(t *rapid.T) {
		var v deal.Variant
		removed := map[deal.StageID]bool{}
		coreAt := -1
		for _, s := range stages {
			if rapid.IntRange(0, 3).Draw(t, "remove_"+string(s.ID)) == 0 {
				if s.Core && coreAt < 0 {
					coreAt = len(v.Remove)
				}
				v.Remove = append(v.Remove, s.ID)
				removed[s.ID] = true
			}
		}
		var kept []deal.StageID
		for _, s := range stages {
			if !removed[s.ID] || s.Core {
				kept = append(kept, s.ID)
			}
		}
		for i := range rapid.IntRange(0, 3).Draw(t, "insertions") {
			at := rapid.IntRange(0, len(kept)-1).Draw(t, "after")
			before := deal.StageLive
			if at+1 < len(kept) {
				before = kept[at+1]
			}
			id := deal.StageID(fmt.Sprintf("extra_%d", i))
			v.Insert = append(v.Insert, deal.Insertion{After: kept[at], Before: before, Stage: deal.Stage{ID: id, Name: "Extra"}})
			kept = slices.Insert(kept, at+1, id)
		}
		for _, id := range kept {
			if rapid.Bool().Draw(t, "rename_"+string(id)) {
				days := rapid.IntRange(0, 60).Draw(t, "days")
				v.Stages = append(v.Stages, deal.StageChange{Stage: id, Name: "Renamed " + string(id), HealthyDays: &days})
			}
		}
		p, err := base.Derive(v)
		if coreAt >= 0 {
			var fe *accord.FieldError
			if !errors.As(err, &fe) || fe.Field != fmt.Sprintf("remove[%d]", coreAt) {
				t.Fatalf("removing a core stage: want a FieldError at remove[%d], got %v", coreAt, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("derive: %v", err)
		}
		var got []deal.StageID
		for _, s := range p.Stages() {
			got = append(got, s.ID)
		}
		if diff := cmp.Diff(kept, got); diff != "" {
			t.Fatalf("stages (-want +got):\n%s", diff)
		}
		for _, s := range stages {
			if _, ok := p.Stage(s.ID); s.Core && !ok {
				t.Fatalf("core stage %s lost", s.ID)
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := deal.Load(b, deal.LoadOptions{}); err != nil {
			t.Fatalf("load the derived process: %v", err)
		}
	})
}

// A self-serve team drops the stages its motion skips and moves faster
// through discovery; its deals keep the stage IDs of the company's process.
func ExampleProcess_Derive() {
	fast := 7
	smb, err := deal.Default().Derive(deal.Variant{
		ID:     "smb",
		Name:   "Self-serve SMB",
		Remove: []deal.StageID{deal.StageTargeting, deal.StageSolutionAlignment, deal.StageBusinessCase},
		Stages: []deal.StageChange{{
			Stage:       deal.StageDiscovery,
			Name:        "Quick discovery",
			HealthyDays: &fast,
			RemoveExit:  []string{"constraint_legal", "current_stack"},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range smb.Stages() {
		fmt.Printf("%-13s %-24s %2d days, %d exit criteria\n", s.ID, s.Name, s.HealthyDays, len(s.Exit))
	}

	// Qualification is core: no variant may drop it.
	_, err = deal.Default().Derive(deal.Variant{Remove: []deal.StageID{deal.StageQualification}})
	fmt.Println(err)
	// Output:
	// qualification Qualification            14 days, 4 exit criteria
	// discovery     Quick discovery           7 days, 8 exit criteria
	// proposal      Proposal and close       30 days, 5 exit criteria
	// handoff       Handoff and onboarding   30 days, 2 exit criteria
	// remove[0]: stage "qualification" is core in the base process: a variant must keep it
}

// TestDeriveRefusesReusedStageIDs: an inserted stage cannot take the ID of
// a stage of the base, even one the variant removes, so that a stage ID
// stands for the same stage, at the same place, in every variant.
func TestDeriveRefusesReusedStageIDs(t *testing.T) {
	tests := []struct {
		name string
		v    deal.Variant
		want []string
	}{
		{"removed and reinserted", deal.Variant{
			Remove: []deal.StageID{deal.StageBusinessCase},
			Insert: []deal.Insertion{{After: deal.StageHandoff, Before: deal.StageLive, Stage: deal.Stage{ID: deal.StageBusinessCase, Name: "Renewal business case"}}},
		}, []string{`insert[0].stage.id: reuses the ID of the base's stage "business_case", which the variant removes: a new stage needs a new ID, so that metrics across variants stay comparable`}},
		{"kept", deal.Variant{
			Insert: []deal.Insertion{{After: deal.StageHandoff, Before: deal.StageLive, Stage: deal.Stage{ID: deal.StageTargeting, Name: "Again"}}},
		}, []string{`insert[0].stage.id: duplicates stage "targeting"`}},
		{"inserted twice", deal.Variant{
			Insert: []deal.Insertion{
				{After: deal.StageHandoff, Before: deal.StageLive, Stage: deal.Stage{ID: "renewal", Name: "Renewal"}},
				{After: deal.StageTargeting, Before: deal.StageQualification, Stage: deal.Stage{ID: "renewal", Name: "Renewal"}},
			},
		}, []string{`insert[1].stage.id: duplicates stage "renewal"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := deal.Default().Derive(tt.v)
			if diff := cmp.Diff(tt.want, problems(err)); diff != "" {
				t.Fatalf("problems (-want +got):\n%s", diff)
			}
		})
	}
	// The same from JSON, with the path of the stage's ID.
	_, err := deal.LoadVariant(deal.Default(), []byte(`{"remove":["business_case"],"insert":[{"after":"handoff","before":"live","stage":{"id":"business_case","name":"Renewal business case","probability":0.9}}]}`), deal.LoadOptions{})
	if diff := cmp.Diff([]string{"insert[0].stage.id"}, errtest.Fields(err)); diff != "" {
		t.Fatalf("LoadVariant fields (-want +got):\n%s", diff)
	}
}

// TestDeriveKeepsBaseOrder: whatever a variant removes and inserts, the
// stages it has with the base's IDs are in the base's order; an insertion
// that reuses a base ID is refused at its path.
func TestDeriveKeepsBaseOrder(t *testing.T) {
	base := deal.Default()
	pos := map[deal.StageID]int{}
	var candidates []deal.StageID
	for i, s := range base.Stages() {
		pos[s.ID] = i
		candidates = append(candidates, s.ID)
	}
	candidates = append(candidates, "extra_a", "extra_b", "extra_c")
	rapid.Check(t, func(t *rapid.T) {
		var v deal.Variant
		var kept []deal.StageID
		for _, s := range base.Stages() {
			if !s.Core && s.ID != base.ClosedWon() && rapid.Bool().Draw(t, "remove_"+string(s.ID)) {
				v.Remove = append(v.Remove, s.ID)
				continue
			}
			kept = append(kept, s.ID)
		}
		bad := -1
		for i := range rapid.IntRange(0, 3).Draw(t, "insertions") {
			at := rapid.IntRange(0, len(kept)-1).Draw(t, "after")
			before := deal.StageLive
			if at+1 < len(kept) {
				before = kept[at+1]
			}
			id := rapid.SampledFrom(candidates).Draw(t, "id")
			v.Insert = append(v.Insert, deal.Insertion{After: kept[at], Before: before, Stage: deal.Stage{ID: id, Name: "Extra"}})
			if _, inBase := pos[id]; inBase || slices.Contains(kept, id) {
				bad = i
				break
			}
			kept = slices.Insert(kept, at+1, id)
		}
		p, err := base.Derive(v)
		if bad >= 0 {
			if want := fmt.Sprintf("insert[%d].stage.id", bad); !slices.Contains(errtest.Fields(err), want) {
				t.Fatalf("inserting %s: want a problem at %s, got %v", v.Insert[bad].Stage.ID, want, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("derive: %v", err)
		}
		last := -1
		for _, s := range p.Stages() {
			if i, ok := pos[s.ID]; ok {
				if i <= last {
					t.Fatalf("stages %v are not in the base's order", ids(p))
				}
				last = i
			}
		}
	})
}

// TestDeriveID: a derived process has the variant's ID, not the base's,
// so that the deals of each can be told apart; the name is inherited
// unless the variant sets one.
func TestDeriveID(t *testing.T) {
	base, err := deal.Default().Derive(deal.Variant{ID: "company", Name: "Company"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ id, name, wantID, wantName string }{
		{"", "", "", "Company"},
		{"smb", "", "smb", "Company"},
		{"smb", "SMB", "smb", "SMB"},
	} {
		p, err := base.Derive(deal.Variant{ID: tt.id, Name: tt.name})
		if err != nil {
			t.Fatal(err)
		}
		if cfg := p.Config(); cfg.ID != tt.wantID || cfg.Name != tt.wantName {
			t.Errorf("Derive(ID %q, Name %q): ID %q, name %q; want %q, %q", tt.id, tt.name, cfg.ID, cfg.Name, tt.wantID, tt.wantName)
		}
	}
}
