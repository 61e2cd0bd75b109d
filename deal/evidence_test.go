package deal_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// evidenceDeal returns a deal whose evidence is complete at at: Lee, the
// champion, engaged at at and agreed to the solution; Kim validated the
// business case; no executive sponsor, as Kim confirmed.
func evidenceDeal(at time.Time) *deal.Deal {
	return &deal.Deal{
		ID: "d-1", Owner: rep.ID,
		Stakeholders: []deal.Stakeholder{
			{Name: "Lee", Role: deal.RoleChampion, Engaged: true, EngagedAt: at},
			{Name: "Kim", Role: deal.RoleEconomicBuyer, Engaged: true, EngagedAt: at},
		},
		Alignment: deal.Alignment{AgreedBy: "Lee", AgreedAt: at},
		BusinessCase: deal.BusinessCase{
			AgreedBy: "Kim", AgreedAt: at, ChampionStrength: deal.StrengthStrong,
			NoExecutiveSponsor: true, NoExecutiveSponsorBy: "Kim", NoExecutiveSponsorAt: at,
		},
	}
}

// TestEvidenceRules: each evidence rule, met and unmet, one change at a
// time from a deal that meets them all.
func TestEvidenceRules(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		rule deal.Rule
		edit func(d *deal.Deal)
		now  time.Time // t0 when zero
		want bool
	}{
		{"agreed", deal.Confirmed("alignment.agreed_by"), nil, time.Time{}, true},
		{"agreed: later", deal.Confirmed("alignment.agreed_by"), nil, t0.Add(365 * day), true},
		{"agreed: before the date", deal.Confirmed("alignment.agreed_by"), nil, t0.Add(-time.Second), false},
		{"agreed: nobody named", deal.Confirmed("alignment.agreed_by"), func(d *deal.Deal) { d.Alignment.AgreedBy = "" }, time.Time{}, false},
		{"agreed: names no stakeholder", deal.Confirmed("alignment.agreed_by"), func(d *deal.Deal) { d.Alignment.AgreedBy = "x" }, time.Time{}, false},
		{"agreed: no date", deal.Confirmed("alignment.agreed_by"), func(d *deal.Deal) { d.Alignment.AgreedAt = time.Time{} }, time.Time{}, false},
		{"agreed: the person left", deal.Confirmed("alignment.agreed_by"), func(d *deal.Deal) { d.Stakeholders = d.Stakeholders[1:] }, time.Time{}, false},
		{"case agreed", deal.Confirmed("business_case.agreed_by"), nil, time.Time{}, true},
		{"case agreed: blank name", deal.Confirmed("business_case.agreed_by"), func(d *deal.Deal) { d.BusinessCase.AgreedBy = " " }, time.Time{}, false},
		{"no sponsor confirmed", deal.Confirmed("business_case.no_executive_sponsor_by"), nil, time.Time{}, true},
		{"no sponsor: flag unset", deal.Confirmed("business_case.no_executive_sponsor_by"), func(d *deal.Deal) { d.BusinessCase.NoExecutiveSponsor = false }, time.Time{}, false},
		{"no sponsor: flag alone", deal.Confirmed("business_case.no_executive_sponsor_by"), func(d *deal.Deal) {
			d.BusinessCase.NoExecutiveSponsorBy, d.BusinessCase.NoExecutiveSponsorAt = "", time.Time{}
		}, time.Time{}, false},
		{"champion engaged", deal.EngagedWithin(deal.RoleChampion, 30), nil, time.Time{}, true},
		{"champion engaged: 30 days on", deal.EngagedWithin(deal.RoleChampion, 30), nil, t0.Add(30 * day), true},
		{"champion engaged: 30 days and a second on", deal.EngagedWithin(deal.RoleChampion, 30), nil, t0.Add(30*day + time.Second), false},
		{"champion engaged: engagement in the future", deal.EngagedWithin(deal.RoleChampion, 30), nil, t0.Add(-time.Second), false},
		{"champion engaged: no date", deal.EngagedWithin(deal.RoleChampion, 30), func(d *deal.Deal) { d.Stakeholders[0].EngagedAt = time.Time{} }, time.Time{}, false},
		{"champion engaged: not engaged", deal.EngagedWithin(deal.RoleChampion, 30), func(d *deal.Deal) { d.Stakeholders[0].Engaged = false }, time.Time{}, false},
		{"champion engaged: no champion", deal.EngagedWithin(deal.RoleChampion, 30), func(d *deal.Deal) { d.Stakeholders[0].Role = deal.RoleUser }, time.Time{}, false},
		{"champion engaged: unnamed", deal.EngagedWithin(deal.RoleChampion, 30), func(d *deal.Deal) { d.Stakeholders[0].Name = " " }, time.Time{}, false},
		{"anyone engaged", deal.EngagedWithin("", 1), func(d *deal.Deal) { d.Stakeholders[0].Engaged = false }, time.Time{}, true},
		{"champion graded", deal.ChampionGraded(), nil, time.Time{}, true},
		{"champion graded: none without a champion", deal.ChampionGraded(), func(d *deal.Deal) {
			d.Stakeholders = d.Stakeholders[1:]
			d.BusinessCase.ChampionStrength = deal.StrengthNone
		}, time.Time{}, true},
		{"champion graded: weak without a champion", deal.ChampionGraded(), func(d *deal.Deal) {
			d.Stakeholders = d.Stakeholders[1:]
			d.BusinessCase.ChampionStrength = deal.StrengthWeak
		}, time.Time{}, false},
		{"champion graded: ungraded", deal.ChampionGraded(), func(d *deal.Deal) { d.BusinessCase.ChampionStrength = "" }, time.Time{}, false},
		{"champion graded: unknown grade", deal.ChampionGraded(), func(d *deal.Deal) { d.BusinessCase.ChampionStrength = "huge" }, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := evidenceDeal(t0)
			if tt.edit != nil {
				tt.edit(d)
			}
			now := tt.now
			if now.IsZero() {
				now = t0
			}
			if got := tt.rule.Met(d, now); got != tt.want {
				t.Errorf("Met = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestEvidenceRulesBuiltWrong: NewProcess names the bad parameter.
func TestEvidenceRulesBuiltWrong(t *testing.T) {
	crit := func(r deal.Rule) deal.Config {
		return deal.Config{Stages: []deal.Stage{{ID: "s", Name: "S", Exit: []deal.Criterion{{ID: "c", Description: "d", Rule: r}}}}}
	}
	tests := []struct {
		rule deal.Rule
		want string
	}{
		{deal.Confirmed("alignment.agreed"), `stages[0].exit[0].rule: Confirmed needs one of alignment.agreed_by, business_case.agreed_by, business_case.no_executive_sponsor_by; got "alignment.agreed"`},
		{deal.EngagedWithin(deal.RoleChampion, 0), "stages[0].exit[0].rule: EngagedWithin needs days between 1 and 36500, got 0"},
		{deal.EngagedWithin("boss", 3), `stages[0].exit[0].rule: unknown stakeholder role "boss"`},
	}
	for _, tt := range tests {
		_, err := deal.NewProcess(crit(tt.rule))
		if err == nil || err.Error() != tt.want {
			t.Errorf("NewProcess: got %v, want %s", err, tt.want)
		}
	}
}

// TestValidateEvidence: Validate reports every structural problem of the
// evidence, each at its path.
func TestValidateEvidence(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *deal.Deal)
		want []string
	}{
		{"complete", func(*deal.Deal) {}, nil},
		{"names nobody", func(d *deal.Deal) {
			d.Alignment.AgreedBy = "Pat"
			d.BusinessCase.AgreedBy = "  "
		}, []string{
			`alignment.agreed_by: must name a stakeholder of the deal; "Pat" is none`,
			`business_case.agreed_by: must name a stakeholder of the deal or be empty; got "  "`,
		}},
		{"a date with no name", func(d *deal.Deal) {
			d.Alignment.AgreedBy = ""
			d.BusinessCase.NoExecutiveSponsorBy = ""
		}, []string{
			"alignment.agreed_by: is required once alignment.agreed_at is set: the agreement to the solution records who",
			"business_case.no_executive_sponsor_by: is required once business_case.no_executive_sponsor_at is set: the confirmation that there is no executive sponsor records who",
		}},
		{"confirmed with the flag unset", func(d *deal.Deal) { d.BusinessCase.NoExecutiveSponsor = false }, []string{
			"business_case.no_executive_sponsor: must be set once business_case.no_executive_sponsor_by records who confirmed it",
		}},
		{"graded without a champion", func(d *deal.Deal) { d.Stakeholders[0].Role = deal.RoleUser }, []string{
			"business_case.champion_strength: cannot be graded strong while no stakeholder is the champion: name the champion among the stakeholders, or grade none",
		}},
		{"graded none without a champion", func(d *deal.Deal) {
			d.Stakeholders[0].Role = deal.RoleUser
			d.BusinessCase.ChampionStrength = deal.StrengthNone
		}, nil},
		{"two people of one name", func(d *deal.Deal) {
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{Name: "Lee", Role: deal.RoleLegal})
		}, []string{`stakeholders[2].name: duplicates stakeholders[0].name "Lee": a confirmation names one person`}},
		{"a blank name", func(d *deal.Deal) { d.Stakeholders[1].Name = " " }, []string{
			"stakeholders[1].name: is required",
			`business_case.agreed_by: must name a stakeholder of the deal; "Kim" is none`,
			`business_case.no_executive_sponsor_by: must name a stakeholder of the deal; "Kim" is none`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := evidenceDeal(t0)
			tt.edit(d)
			var got []string
			if err := d.Validate(); err != nil {
				if !errors.Is(err, accord.ErrInvalid) {
					t.Errorf("%v does not wrap ErrInvalid", err)
				}
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDefaultAsksForEvidence: a deal whose text fields are all filled in
// but whose evidence names nobody cannot leave solution alignment or the
// business case; the unmet lists are exact.
func TestDefaultAsksForEvidence(t *testing.T) {
	p := deal.Default()
	d, at := openAt(p, deal.StageSolutionAlignment, t0)
	d.Alignment = deal.Alignment{}
	d.Stakeholders[0].EngagedAt = time.Time{}
	want := []string{"solution_alignment exit solution_agreed alignment.agreed_by"}
	if diff := cmp.Diff(want, unmetWithField(p.Unmet(&d, at))); diff != "" {
		t.Errorf("solution alignment (-want +got):\n%s", diff)
	}
	d.Alignment = deal.Alignment{AgreedBy: "Lee", AgreedAt: at}
	if err := p.Advance(&d, rep, at); err != nil {
		t.Fatal(err)
	}
	d.BusinessCase.AgreedBy, d.BusinessCase.AgreedAt = "", time.Time{}
	d.Stakeholders = d.Stakeholders[1:] // the champion and the sponsor leave
	d.Stakeholders[1].Role = deal.RoleUser
	d.BusinessCase.ChampionStrength = deal.StrengthStrong
	d.BusinessCase.NoExecutiveSponsor = true // claimed, not confirmed
	want = []string{
		"business_case exit business_case_agreed business_case.agreed_by",
		"business_case exit champion_engaged stakeholders",
		"business_case exit champion_strength business_case.champion_strength",
		"business_case exit executive_sponsor stakeholders",
	}
	if diff := cmp.Diff(want, unmetWithField(p.Unmet(&d, at))); diff != "" {
		t.Errorf("business case (-want +got):\n%s", diff)
	}
	// The champion engaged 31 days ago is not engaged now.
	d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{Name: "Lee", Role: deal.RoleChampion, Engaged: true, EngagedAt: at.AddDate(0, 0, -31)})
	d.BusinessCase.AgreedBy, d.BusinessCase.AgreedAt = "Kim", at
	d.BusinessCase.NoExecutiveSponsorBy, d.BusinessCase.NoExecutiveSponsorAt = "Kim", at
	want = []string{"business_case exit champion_engaged stakeholders"}
	if diff := cmp.Diff(want, unmetWithField(p.Unmet(&d, at))); diff != "" {
		t.Errorf("business case, champion silent a month (-want +got):\n%s", diff)
	}
	d.Stakeholders[len(d.Stakeholders)-1].EngagedAt = at.AddDate(0, 0, -29)
	if err := p.Advance(&d, rep, at); err != nil {
		t.Errorf("Advance with every piece of evidence: %v", err)
	}
}

func unmetWithField(us []accord.Unmet) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.State+" "+string(u.Side)+" "+u.Criterion+" "+u.Field)
	}
	return out
}

// TestRequiredFieldsCoverEntry: entry criteria come first, then exit,
// without repeats; artifacts likewise.
func TestRequiredFieldsCoverEntry(t *testing.T) {
	s := deal.Stage{
		Entry: []deal.Criterion{
			{ID: "a", Rule: deal.Present("commercials.decision_path")},
			{ID: "b", Rule: deal.HasArtifact(deal.ArtifactExecutedContract)},
			{ID: "c", Rule: deal.Present("segment")},
		},
		Exit: []deal.Criterion{
			{ID: "d", Rule: deal.Present("segment")},
			{ID: "e", Rule: deal.HasArtifact(deal.ArtifactSuccessPlan)},
			{ID: "f", Rule: deal.Confirmed("alignment.agreed_by")},
			{ID: "g", Rule: deal.HasArtifact(deal.ArtifactExecutedContract)},
		},
	}
	if diff := cmp.Diff([]string{"commercials.decision_path", "segment", "alignment.agreed_by"}, s.RequiredFields()); diff != "" {
		t.Errorf("RequiredFields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{deal.ArtifactExecutedContract, deal.ArtifactSuccessPlan}, s.RequiredArtifacts()); diff != "" {
		t.Errorf("RequiredArtifacts (-want +got):\n%s", diff)
	}
	handoff, _ := deal.Default().Stage(deal.StageHandoff)
	if diff := cmp.Diff([]string{deal.ArtifactExecutedContract, deal.ArtifactSuccessPlan}, handoff.RequiredArtifacts()); diff != "" {
		t.Errorf("handoff RequiredArtifacts (-want +got):\n%s", diff)
	}
}

// TestEvidenceReads: Reads lists every field an evidence rule reads.
func TestEvidenceReads(t *testing.T) {
	c := deal.Criterion{Rule: deal.AnyOf(deal.Engaged(deal.RoleExecutiveSponsor, 1), deal.Confirmed("business_case.no_executive_sponsor_by"), deal.ChampionGraded())}
	fields, _ := c.Reads()
	want := []string{"stakeholders", "business_case.no_executive_sponsor_by", "business_case.no_executive_sponsor_at",
		"business_case.no_executive_sponsor", "business_case.champion_strength"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("Reads (-want +got):\n%s", diff)
	}
}

// genEvidence draws a deal with a few stakeholders and confirmations that
// name one of them, someone else or nobody, at times around t0.
func genEvidence() *rapid.Generator[*deal.Deal] {
	when := rapid.Custom(func(t *rapid.T) time.Time {
		if rapid.IntRange(0, 4).Draw(t, "zero") == 0 {
			return time.Time{}
		}
		return t0.Add(time.Duration(rapid.IntRange(-60*24, 60*24).Draw(t, "hours")) * time.Hour)
	})
	names := []string{"Lee", "Kim", "Ana", ""}
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		d := &deal.Deal{ID: "d-1", Owner: rep.ID}
		for i := range rapid.IntRange(0, 3).Draw(t, "stakeholders") {
			d.Stakeholders = append(d.Stakeholders, deal.Stakeholder{
				Name: names[i], Engaged: rapid.Bool().Draw(t, "engaged"), EngagedAt: when.Draw(t, "engaged_at"),
				Role: rapid.SampledFrom([]deal.StakeholderRole{deal.RoleChampion, deal.RoleExecutiveSponsor, deal.RoleUser}).Draw(t, "role"),
			})
		}
		who := rapid.SampledFrom(append(names, "Pat", " "))
		d.Alignment = deal.Alignment{AgreedBy: who.Draw(t, "agreed_by"), AgreedAt: when.Draw(t, "agreed_at")}
		d.BusinessCase = deal.BusinessCase{
			AgreedBy: who.Draw(t, "case_by"), AgreedAt: when.Draw(t, "case_at"),
			NoExecutiveSponsor: rapid.Bool().Draw(t, "no_sponsor"), NoExecutiveSponsorBy: who.Draw(t, "no_sponsor_by"), NoExecutiveSponsorAt: when.Draw(t, "no_sponsor_at"),
			ChampionStrength: rapid.SampledFrom([]deal.Strength{"", deal.StrengthNone, deal.StrengthWeak, deal.StrengthStrong}).Draw(t, "strength"),
		}
		return d
	})
}

// TestConfirmedProperties: a confirmation holds exactly when it names a
// stakeholder of the deal and its date has come, and then it keeps
// holding as time goes on; a confirmation that holds passes Validate.
func TestConfirmedProperties(t *testing.T) {
	paths := []string{"alignment.agreed_by", "business_case.agreed_by", "business_case.no_executive_sponsor_by"}
	rapid.Check(t, func(t *rapid.T) {
		d := genEvidence().Draw(t, "deal")
		path := rapid.SampledFrom(paths).Draw(t, "path")
		now := t0.Add(time.Duration(rapid.IntRange(-60*24, 60*24).Draw(t, "now_hours")) * time.Hour)
		r := deal.Confirmed(path)
		met := r.Met(d, now)
		by, at := d.Alignment.AgreedBy, d.Alignment.AgreedAt
		flag := true
		switch path {
		case "business_case.agreed_by":
			by, at = d.BusinessCase.AgreedBy, d.BusinessCase.AgreedAt
		case "business_case.no_executive_sponsor_by":
			by, at, flag = d.BusinessCase.NoExecutiveSponsorBy, d.BusinessCase.NoExecutiveSponsorAt, d.BusinessCase.NoExecutiveSponsor
		}
		named := false
		for _, s := range d.Stakeholders {
			named = named || s.Name != "" && s.Name == by
		}
		if want := flag && named && !at.IsZero() && !at.After(now); met != want {
			t.Fatalf("Met = %v, want %v (by %q, at %v, now %v)", met, want, by, at, now)
		}
		if met && !r.Met(d, now.AddDate(1, 0, 0)) {
			t.Fatalf("met at %v but not a year later", now)
		}
		if met {
			if err := d.Validate(); err != nil && strings.Contains(err.Error(), path+":") {
				t.Fatalf("met, but Validate reports %v", err)
			}
		}
	})
}

// TestEngagedWithinProperties: an engagement counts from its date for
// exactly days days, and a longer window accepts whatever a shorter one
// does.
func TestEngagedWithinProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genEvidence().Draw(t, "deal")
		days := rapid.IntRange(1, 90).Draw(t, "days")
		now := t0.Add(time.Duration(rapid.IntRange(-60*24, 60*24).Draw(t, "now_hours")) * time.Hour)
		role := rapid.SampledFrom([]deal.StakeholderRole{"", deal.RoleChampion}).Draw(t, "role")
		met := deal.EngagedWithin(role, days).Met(d, now)
		want := false
		for _, s := range d.Stakeholders {
			age := now.Sub(s.EngagedAt)
			want = want || s.Engaged && s.Name != "" && (role == "" || s.Role == role) && !s.EngagedAt.IsZero() &&
				age >= 0 && age <= time.Duration(days)*24*time.Hour
		}
		if met != want {
			t.Fatalf("EngagedWithin(%q, %d) at %v = %v, want %v", role, days, now, met, want)
		}
		if met && !deal.EngagedWithin(role, days+1).Met(d, now) {
			t.Fatalf("met within %d days but not within %d", days, days+1)
		}
	})
}

// TestChampionGradedProperties: a grade with no champion behind it fails
// both the rule and Validate, and a grade the rule accepts passes
// Validate.
func TestChampionGradedProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genEvidence().Draw(t, "deal")
		met := deal.ChampionGraded().Met(d, t0)
		err := d.Validate()
		bad := err != nil && strings.Contains(err.Error(), "business_case.champion_strength:")
		if met && bad {
			t.Fatalf("ChampionGraded met but Validate reports %v", err)
		}
		if s := d.BusinessCase.ChampionStrength; s != "" && !met != bad {
			t.Fatalf("graded %q: ChampionGraded %v, but Validate reports %v", s, met, err)
		}
	})
}

// TestLeadResponseTriggers: an inbound lead untouched alerts the owner at
// the first threshold and the manager at the second, with keys that do not
// change over time or across stages; a touched lead, an outbound lead and
// a closed deal alert no one.
func TestLeadResponseTriggers(t *testing.T) {
	p := deal.Default()
	received := t0.Add(-time.Minute)
	d := deal.Deal{ID: "d-9", Owner: rep.ID, Lead: deal.Lead{Inbound: true, ReceivedAt: received}}
	if err := p.Open(&d, rep, t0); err != nil {
		t.Fatal(err)
	}
	type action struct {
		Kind  deal.ActionKind
		To    accord.Role
		Due   time.Time
		Key   string
		Owner string
	}
	lead := func(now time.Time) []action {
		var out []action
		for _, a := range p.Triggers(&d, now) {
			if a.Kind == deal.ActionLeadResponse || a.Kind == deal.ActionLeadEscalation {
				out = append(out, action{a.Kind, a.To, a.Due, a.Key, a.Owner})
			}
		}
		return out
	}
	alert := action{deal.ActionLeadResponse, accord.RoleSalesRep, received.Add(5 * time.Minute), "lead_response_alert:d-9:lead:" + itoa(received.UnixNano()), rep.ID}
	escalation := action{deal.ActionLeadEscalation, accord.RoleSalesManager, received.Add(30 * time.Minute), "lead_response_escalation:d-9:lead:" + itoa(received.UnixNano()), rep.ID}
	for _, tt := range []struct {
		after time.Duration
		want  []action
	}{
		{4*time.Minute + 59*time.Second, nil},
		{5 * time.Minute, []action{alert}},
		{29 * time.Minute, []action{alert}},
		{30 * time.Minute, []action{alert, escalation}},
		{48 * time.Hour, []action{alert, escalation}},
	} {
		if diff := cmp.Diff(tt.want, lead(received.Add(tt.after))); diff != "" {
			t.Errorf("%v after the lead arrived (-want +got):\n%s", tt.after, diff)
		}
	}
	d.Stage = deal.StageQualification // the key does not depend on the stage
	if diff := cmp.Diff([]action{alert, escalation}, lead(received.Add(time.Hour))); diff != "" {
		t.Errorf("in qualification (-want +got):\n%s", diff)
	}
	for name, edit := range map[string]func(*deal.Deal){
		"touched":  func(d *deal.Deal) { d.Lead.FirstTouchAt = received.Add(40 * time.Minute) },
		"outbound": func(d *deal.Deal) { d.Lead.Inbound = false },
		"lost":     func(d *deal.Deal) { d.Stage = deal.StageLost },
	} {
		before := d
		edit(&d)
		if got := lead(received.Add(time.Hour)); got != nil {
			t.Errorf("%s: want no lead actions, got %v", name, got)
		}
		d = before
	}
	// A process without the thresholds fires none.
	cfg := p.Config()
	cfg.LeadResponse = deal.LeadResponse{}
	quiet, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range quiet.Triggers(&d, received.Add(time.Hour)) {
		if a.Kind == deal.ActionLeadResponse || a.Kind == deal.ActionLeadEscalation {
			t.Errorf("a process without lead response thresholds fired %v", a)
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestLeadResponseAsData: the thresholds round-trip through the process's
// JSON and a variant's, and bad ones are reported at their paths.
func TestLeadResponseAsData(t *testing.T) {
	cfg := deal.Default().Config()
	cfg.LeadResponse = deal.LeadResponse{AlertMinutes: 2, EscalateMinutes: 9}
	p, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := marshal(t, p)
	if !strings.Contains(string(data), `"lead_response":{"alert_minutes":2,"escalate_minutes":9}`) {
		t.Errorf("the definition lacks the thresholds: %s", data)
	}
	back, err := deal.Load(data, deal.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Config().LeadResponse; got != cfg.LeadResponse {
		t.Errorf("loaded %+v, want %+v", got, cfg.LeadResponse)
	}

	v, err := deal.LoadVariant(deal.Default(), []byte(`{"id":"smb","idle_alert_days":5,"lead_response":{"alert_minutes":1},
		"stages":[{"stage":"discovery","follow_up_days":2}]}`), deal.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	vc := v.Config()
	if vc.IdleAlertDays != 5 || vc.LeadResponse != (deal.LeadResponse{AlertMinutes: 1}) {
		t.Errorf("variant: idle %d, lead %+v", vc.IdleAlertDays, vc.LeadResponse)
	}
	if s, _ := v.Stage(deal.StageDiscovery); s.FollowUpDays != 2 {
		t.Errorf("variant: discovery follow-up %d days, want 2", s.FollowUpDays)
	}

	for _, tt := range []struct {
		load func() error
		want string
	}{
		{func() error {
			cfg.LeadResponse = deal.LeadResponse{AlertMinutes: 30, EscalateMinutes: 30}
			_, err := deal.NewProcess(cfg)
			return err
		}, "lead_response.escalate_minutes: must be greater than alert_minutes (30), the first threshold; got 30"},
		{func() error {
			cfg.LeadResponse = deal.LeadResponse{AlertMinutes: -1, EscalateMinutes: 52560001}
			_, err := deal.NewProcess(cfg)
			return err
		}, "lead_response.alert_minutes: must not be negative\nlead_response.escalate_minutes: must be at most 52560000 (a century); got 52560001"},
		{func() error {
			_, err := deal.Load([]byte(`{"lead_response":{"alert_minutes":"5","escalate":3},"stages":[{"id":"a","name":"A"}]}`), deal.LoadOptions{})
			return err
		}, "lead_response.escalate: is not a field of the lead response thresholds; the fields are alert_minutes, escalate_minutes\nlead_response.alert_minutes: must be a whole number, at most a billion in size"},
		{func() error {
			_, err := deal.LoadVariant(deal.Default(), []byte(`{"lead_response":{"alert_minutes":9,"escalate_minutes":3},"idle_alert_days":-1,"stages":[{"stage":"proposal","follow_up_days":40000}]}`), deal.LoadOptions{})
			return err
		}, "idle_alert_days: must not be negative\nlead_response.escalate_minutes: must be greater than alert_minutes (9), the first threshold; got 3\nstages[0].follow_up_days: must be at most 36500 (a century); got 40000"},
	} {
		err := tt.load()
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v\nwant %s", err, tt.want)
		}
	}
}

// TestEvidenceKindsRoundTrip: the evidence kinds are written as data and
// read back into rules that decide alike, and bad parameters are reported
// at their paths.
func TestEvidenceKindsRoundTrip(t *testing.T) {
	cfg := deal.Config{Stages: []deal.Stage{{ID: "s", Name: "S", Exit: []deal.Criterion{
		{ID: "a", Description: "a", Rule: deal.Confirmed("business_case.agreed_by")},
		{ID: "b", Description: "b", Rule: deal.EngagedWithin(deal.RoleChampion, 21)},
		{ID: "c", Description: "c", Rule: deal.EngagedWithin("", 3)},
		{ID: "d", Description: "d", Rule: deal.ChampionGraded()},
	}}}}
	p, err := deal.NewProcess(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := marshal(t, p)
	want := `{"stages":[{"id":"s","name":"S","exit":[` +
		`{"id":"a","description":"a","kind":"confirmed","path":"business_case.agreed_by"},` +
		`{"id":"b","description":"b","kind":"engaged_within","role":"champion","days":21},` +
		`{"id":"c","description":"c","kind":"engaged_within","days":3},` +
		`{"id":"d","description":"d","kind":"champion_graded"}],"probability":0}]}`
	if string(data) != want {
		t.Errorf("MarshalJSON:\ngot  %s\nwant %s", data, want)
	}
	back, err := deal.Load(data, deal.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(data) {
		t.Errorf("round trip changed the definition:\n%s\n%s", data, again)
	}
	rapid.Check(t, func(rt *rapid.T) {
		d := genEvidence().Draw(rt, "deal")
		d.Stage = "s"
		now := t0.Add(time.Duration(rapid.IntRange(-60*24, 60*24).Draw(rt, "now_hours")) * time.Hour)
		if a, b := p.Unmet(d, now), back.Unmet(d, now); !cmp.Equal(a, b) {
			rt.Fatalf("the loaded process decides differently: %v, %v", a, b)
		}
	})

	_, err = deal.Load([]byte(`{"stages":[{"id":"s","name":"S","exit":[
		{"id":"a","description":"a","kind":"confirmed","path":"alignment.agreed"},
		{"id":"b","description":"b","kind":"engaged_within","role":"boss","days":0},
		{"id":"c","description":"c","kind":"engaged_within","role":"champion"},
		{"id":"d","description":"d","kind":"champion_graded","path":"x"}]}]}`), deal.LoadOptions{})
	wantErr := `stages[0].exit[0].path: must name a confirmation of a deal: alignment.agreed_by, business_case.agreed_by, business_case.no_executive_sponsor_by; got "alignment.agreed"
stages[0].exit[1].role: must be a stakeholder role or empty for any role; got "boss"
stages[0].exit[1].days: must be at least 1; got 0
stages[0].exit[2].days: is required for kind engaged_within
stages[0].exit[3].path: is not a field of a criterion; the fields are id, description, field, kind`
	if err == nil || err.Error() != wantErr {
		t.Errorf("Load:\ngot  %v\nwant %s", err, wantErr)
	}
}
