package dealtest_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealtest"
	"github.com/accordhq/accord/internal/jsontest"
	"pgregory.net/rapid"
)

// custom returns a process with a host field, a host artifact kind and
// Closed Won on entering live.
func custom() *deal.Process {
	p, err := deal.NewProcess(deal.Config{Stages: []deal.Stage{
		{ID: "lead", Name: "Lead", Exit: []deal.Criterion{
			{ID: "region", Description: "Record the region.", Rule: deal.Present("fields.region")},
		}},
		{ID: "security_review", Name: "Security review", Entry: []deal.Criterion{
			{ID: "questionnaire", Description: "Attach the security questionnaire.", Rule: deal.HasArtifact("security_questionnaire")},
		}, Exit: []deal.Criterion{
			{ID: "approved", Description: "Record the approver.", Field: "fields.security_approver", Rule: deal.RuleFunc(func(d *deal.Deal, _ time.Time) bool {
				return strings.TrimSpace(d.Fields["security_approver"]) != ""
			})},
		}},
	}})
	if err != nil {
		panic(err)
	}
	return p
}

func stagesOf(p *deal.Process) []deal.StageID {
	var out []deal.StageID
	for _, s := range p.Stages() {
		out = append(out, s.ID)
	}
	return append(out, deal.StageLive, deal.StageLost)
}

// TestDealAt: every generated deal is valid, in the stage asked for, with
// a stage, version and loss that agree with its history, and round-trips
// through JSON.
func TestDealAt(t *testing.T) {
	for name, p := range map[string]*deal.Process{"default": deal.Default(), "unified": deal.Unified(), "custom": custom()} {
		for _, stage := range stagesOf(p) {
			t.Run(name+"/"+string(stage), rapid.MakeCheck(func(t *rapid.T) {
				d := dealtest.DealAt(p, stage).Draw(t, "deal")
				if err := d.Validate(); err != nil {
					t.Fatalf("Validate: %v", err)
				}
				last := d.History[len(d.History)-1]
				if d.Stage != stage || last.To != stage || !d.StageEnteredAt.Equal(last.At) || d.Version != len(d.History)-1 {
					t.Fatalf("stage %s (want %s), last event to %s at %s, entered at %s, version %d with %d events",
						d.Stage, stage, last.To, last.At, d.StageEnteredAt, d.Version, len(d.History))
				}
				if (d.Loss != nil) != (stage == deal.StageLost) {
					t.Fatalf("loss %+v in stage %s", d.Loss, stage)
				}
				if d.History[0].Kind != deal.EventOpen || d.History[0].To != p.Stages()[0].ID {
					t.Fatalf("first event %+v, want the open event into %s", d.History[0], p.Stages()[0].ID)
				}
				back, raw := jsontest.RoundTrip(t, d)
				if again, _ := json.Marshal(back); string(again) != string(raw) {
					t.Fatalf("round trip changed the deal:\n%s\n%s", raw, again)
				}
			}))
		}
	}
}

// TestDealCoverage: over a fixed set of generated deals, every criterion
// of the unified process is met on some and unmet on others, and every
// open stage's advance is possible from some deals and blocked on others,
// so that the invariants see both sides of every gate.
func TestDealCoverage(t *testing.T) {
	p := deal.Unified()
	met, unmet := map[string]int{}, map[string]int{}
	open, blocked := map[deal.StageID]int{}, map[deal.StageID]int{}
	gen := dealtest.Deal(p)
	for seed := range 400 {
		d := gen.Example(seed)
		now := d.StageEnteredAt.Add(time.Hour)
		for _, s := range p.Stages() {
			for _, side := range [][]deal.Criterion{s.Entry, s.Exit} {
				for _, c := range side {
					key := string(s.ID) + "/" + c.ID
					if c.Rule.Met(d, now) {
						met[key]++
					} else {
						unmet[key]++
					}
				}
			}
		}
		if _, ok := p.Stage(d.Stage); ok {
			// The close of the unified process is made with Close, which
			// presents the scope: Advance always lacks "scope_presented".
			gaps := slices.DeleteFunc(p.Unmet(d, now), func(u accord.Unmet) bool { return u.Criterion == "scope_presented" })
			if len(gaps) == 0 {
				open[d.Stage]++
			} else {
				blocked[d.Stage]++
			}
		}
	}
	for _, s := range p.Stages() {
		for _, side := range [][]deal.Criterion{s.Entry, s.Exit} {
			for _, c := range side {
				key := string(s.ID) + "/" + c.ID
				if met[key] == 0 || unmet[key] == 0 {
					t.Errorf("criterion %s: met on %d deals, unmet on %d; want both", key, met[key], unmet[key])
				}
			}
		}
		if open[s.ID] == 0 || blocked[s.ID] == 0 {
			t.Errorf("stage %s: advance possible from %d deals, blocked on %d; want both", s.ID, open[s.ID], blocked[s.ID])
		}
	}
}

// TestDealHostFields: the generators draw the host fields and artifact
// kinds the criteria name, set and unset.
func TestDealHostFields(t *testing.T) {
	p := custom()
	count := map[string]int{}
	gen := dealtest.Deal(p)
	for seed := range 200 {
		d := gen.Example(seed)
		for _, f := range []string{"region", "security_approver"} {
			count[fmt.Sprintf("%s set %v", f, strings.TrimSpace(d.Fields[f]) != "")]++
		}
		has := false
		for _, a := range d.Artifacts {
			has = has || a.Kind == "security_questionnaire" && a.Ref != ""
		}
		count[fmt.Sprintf("questionnaire %v", has)]++
	}
	for _, k := range []string{"region set true", "region set false", "security_approver set true", "security_approver set false", "questionnaire true", "questionnaire false"} {
		if count[k] == 0 {
			t.Errorf("no generated deal with %s (counts %v)", k, count)
		}
	}
}

// TestPopulate: a Populate option runs on every generated deal, after the
// harness's own drawing; a nil one is ignored.
func TestPopulate(t *testing.T) {
	p := custom()
	tiers := []string{"gold", "silver"}
	gen := dealtest.DealAt(p, "security_review", nil, dealtest.Populate(nil), dealtest.Populate(func(t *rapid.T, d *deal.Deal) {
		if d.Fields == nil {
			d.Fields = map[string]string{}
		}
		d.Fields["tier"] = rapid.SampledFrom(tiers).Draw(t, "tier")
	}))
	seen := map[string]bool{}
	for seed := range 50 {
		d := gen.Example(seed)
		if tier := d.Fields["tier"]; tier != "gold" && tier != "silver" {
			t.Fatalf("seed %d: tier %q, want gold or silver", seed, tier)
		}
		seen[d.Fields["tier"]] = true
	}
	if !seen["gold"] || !seen["silver"] {
		t.Errorf("tiers drawn: %v, want both", seen)
	}
}

// TestDealAtBadInput: a generator for a stage the process lacks, or for a
// process that is not built, fails the test that draws from it, naming
// the problem, rather than panicking at construction.
func TestDealAtBadInput(t *testing.T) {
	tests := []struct {
		name string
		gen  *rapid.Generator[*deal.Deal]
		want string
	}{
		{"unknown_stage", dealtest.DealAt(deal.Default(), "nowhere"), `dealtest: DealAt: stage: "nowhere" is not a stage of the process`},
		{"nil_process", dealtest.DealAt(nil, deal.StageTargeting), "dealtest: DealAt: process: is nil or not built"},
		{"zero_process", dealtest.Deal(&deal.Process{}), "dealtest: Deal: process: is nil or not built"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := func() (msg string) {
				defer func() { msg = fmt.Sprint(recover()) }()
				tt.gen.Example(1)
				return ""
			}()
			if !strings.Contains(got, tt.want) {
				t.Errorf("drawing: got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

// nested returns a process whose first stage is left only when criteria
// that hide what they read are met: an any_of of a host artifact and a
// host field, a criterion whose Field differs from the path its rule
// reads, and a named built-in rule.
func nested() *deal.Process {
	p, err := deal.Load([]byte(`{"stages":[
	 {"id":"a","name":"A","probability":0.1,"exit":[
	   {"id":"sec","description":"Attach the questionnaire or record the waiver.","kind":"any_of","rules":[
	     {"kind":"has_artifact","artifact":"security_questionnaire"},{"kind":"present","path":"fields.security_waiver"}]},
	   {"id":"budget","description":"Record the budget.","field":"budget","kind":"present","path":"fields.budget"},
	   {"id":"tier","description":"Record the tier.","kind":"named","name":"tier"}]},
	 {"id":"b","name":"B","probability":0.5}]}`), deal.LoadOptions{Rules: map[string]deal.Rule{"tier": deal.Present("fields.tier")}})
	if err != nil {
		panic(err)
	}
	return p
}

// TestDealNestedCriteria: the generators draw the fields and artifacts read
// inside any_of and named rules, and those of a criterion whose Field names
// something else, so that a stage gated by them is left in generated deals
// and the invariants are not met vacuously.
func TestDealNestedCriteria(t *testing.T) {
	p := nested()
	count := map[string]int{}
	gen := dealtest.DealAt(p, "a")
	for seed := range 300 {
		d := gen.Example(seed)
		now := d.StageEnteredAt.Add(time.Hour)
		questionnaire := false
		for _, a := range d.Artifacts {
			questionnaire = questionnaire || a.Kind == "security_questionnaire" && a.Ref != ""
		}
		waiver := strings.TrimSpace(d.Fields["security_waiver"]) != ""
		count[fmt.Sprintf("questionnaire %v, waiver %v", questionnaire, waiver)]++
		count[fmt.Sprintf("budget %v", strings.TrimSpace(d.Fields["budget"]) != "")]++
		count[fmt.Sprintf("tier %v", strings.TrimSpace(d.Fields["tier"]) != "")]++
		if err := p.Advance(d, accord.Actor{ID: "rep", Role: accord.RoleSalesRep}, now); err == nil {
			count["left"]++
		} else {
			count["blocked"]++
		}
	}
	for _, k := range []string{
		"questionnaire true, waiver false", "questionnaire false, waiver true", "questionnaire false, waiver false",
		"budget true", "budget false", "tier true", "tier false", "left", "blocked",
	} {
		if count[k] == 0 {
			t.Errorf("no generated deal with %s (counts %v)", k, count)
		}
	}
	dealtest.Run(t, p)
}
