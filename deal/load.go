package deal

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/strictjson"
	"github.com/accordhq/accord/scope"
	"github.com/shopspring/decimal"
)

// LoadOptions configure [Load] and [LoadVariant].
type LoadOptions struct {
	// Rules holds the host's rules that a definition refers to as
	// {"kind":"named","name":"..."}, by name; each is wrapped with [Named],
	// so the loaded process marshals back to the same definition. A gated
	// process needs the rules of its gates (see policy.Rules).
	Rules map[string]Rule
}

// Load reads a process written as data (see "Definitions as data" in the
// package documentation) and validates it as a whole. Every problem is
// reported, joined, as a [*accord.FieldError] whose Field is the JSON path of
// the problem, such as "stages[2].exit[1].kind": input that is not a JSON
// object, a key the definition does not have, a value of the wrong type, an
// unknown criterion kind, a missing or bad parameter, an unknown named rule,
// a duplicate stage or criterion ID, a terminal stage listed with exits, a
// stage listed after a terminal one (which no deal could reach), and
// everything [NewProcess] checks.
//
// The JSON is read by the same rules as every definition the library
// loads (policy sets too, see policy.Load): each key is given once; a key
// whose value is null is absent, as if not given, while null in a list is
// an error; a whole number is a JSON number however it is written (5, 5.0,
// 5e0; not "5") and at most a billion in size; a string is a JSON string
// and a flag true or false. [LoadVariant] reads a variant by them too.
//
// opts.Rules holds the host's rules that the definition refers to.
func Load(data []byte, opts LoadOptions) (*Process, error) {
	l := newLoader("definition", opts.Rules)
	cfg, ok := l.process(data)
	if !ok {
		return nil, l.Err()
	}
	return l.build(cfg)
}

// loader decodes a definition with the library's one strict decoder (see
// package internal/strictjson for its rules), collecting every problem.
type loader struct {
	*strictjson.Decoder
	named map[string]Rule
}

func newLoader(root string, named map[string]Rule) *loader {
	return &loader{Decoder: strictjson.NewDecoder(root), named: named}
}

// build validates cfg with NewProcess and returns every problem, as join
// does.
func (l *loader) build(cfg Config) (*Process, error) {
	return l.join(NewProcess(cfg))
}

// join returns p, built from what the loader decoded, when neither the
// loader nor the build found a problem, and otherwise every problem: the
// loader's first, then those of the build (err) that the loader did not
// report already, at the same path or under it. Rules are checked by the
// loader with the paths of their parameters, so the build's reports on
// them are dropped.
func (l *loader) join(p *Process, err error) (*Process, error) {
	errs := l.Errs()
	for _, e := range flatten(err) {
		var fe *accord.FieldError
		if errors.As(e, &fe) && (l.FailedAt(fe.Field) || strings.HasSuffix(fe.Field, ".rule")) {
			continue
		}
		errs = append(errs, e)
	}
	switch {
	case len(errs) > 0:
		return nil, errors.Join(errs...)
	case p == nil:
		return nil, err
	}
	return p, nil
}

// flatten lists the errors joined in err, or err alone.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// object decodes raw as an object of noun with the given keys (see
// strictjson.Decoder.Object); it returns nil, having reported it, when
// raw is not one.
func (l *loader) object(path, noun string, raw json.RawMessage, keys ...string) map[string]json.RawMessage {
	m, ok := l.Object(path, noun, raw, keys...)
	if !ok {
		return nil
	}
	return m
}

func (l *loader) str(path string, raw json.RawMessage) string   { return l.String(path, raw, "") }
func (l *loader) integer(path string, raw json.RawMessage) int  { return l.Int(path, raw, 0) }
func (l *loader) boolean(path string, raw json.RawMessage) bool { return l.Bool(path, raw, false) }

// probability reads a probability written as a number or as a string.
func (l *loader) probability(path string, raw json.RawMessage) decimal.Decimal {
	if raw == nil {
		return decimal.Decimal{}
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			l.Fail(path, "must be a number between 0 and 1")
			return decimal.Decimal{}
		}
		text = n.String()
	}
	d, err := decimal.NewFromString(text)
	if err != nil || !probabilityBounded(d) {
		l.Fail(path, "must be a number between 0 and 1 with at most %d decimal places", maxProbabilityScale)
		return decimal.Decimal{}
	}
	return d
}

var (
	processKeys   = []string{"id", "name", "closed_won", "idle_alert_days", "lead_response", "stages"}
	leadKeys      = []string{"alert_minutes", "escalate_minutes"}
	stageKeys     = []string{"id", "name", "purpose", "buyer_commitments", "core", "entry", "exit", "healthy_days", "probability", "multi_threaded", "needs_business_case", "follow_up_days"}
	criterionKeys = []string{"id", "description", "field", "kind"}
)

// process decodes a definition; it returns false when data is not a JSON
// object at all.
func (l *loader) process(data []byte) (Config, bool) {
	m, ok := l.Document(data, "a process definition", processKeys...)
	if !ok {
		return Config{}, false
	}
	cfg := Config{
		ID:            l.str("id", m["id"]),
		Name:          l.str("name", m["name"]),
		ClosedWon:     StageID(l.str("closed_won", m["closed_won"])),
		IdleAlertDays: l.integer("idle_alert_days", m["idle_alert_days"]),
	}
	if raw, ok := m["lead_response"]; ok {
		cfg.LeadResponse = l.leadResponse(raw)
	}
	terminal := ""
	for i, raw := range l.Array("stages", m["stages"]) {
		sp := fmt.Sprintf("stages[%d]", i)
		s := l.stage(sp, raw)
		switch {
		case terminal != "":
			l.Fail(sp, "is unreachable: it is listed after the terminal stage at %s, and no deal leaves a terminal stage", terminal)
		case s.ID == StageLive || s.ID == StageLost:
			terminal = sp
			if len(s.Exit) > 0 {
				l.Fail(sp+".exit", "must be empty: %s is a terminal stage, and no deal leaves it", s.ID)
			}
		}
		cfg.Stages = append(cfg.Stages, s)
	}
	return cfg, true
}

// leadResponse reads the lead response thresholds.
func (l *loader) leadResponse(raw json.RawMessage) LeadResponse {
	m := l.object("lead_response", "the lead response thresholds", raw, leadKeys...)
	if m == nil {
		return LeadResponse{}
	}
	return LeadResponse{
		AlertMinutes:    l.integer("lead_response.alert_minutes", m["alert_minutes"]),
		EscalateMinutes: l.integer("lead_response.escalate_minutes", m["escalate_minutes"]),
	}
}

func (l *loader) stage(path string, raw json.RawMessage) Stage {
	m := l.object(path, "a stage", raw, stageKeys...)
	if m == nil {
		return Stage{}
	}
	s := Stage{
		ID:                StageID(l.str(path+".id", m["id"])),
		Name:              l.str(path+".name", m["name"]),
		Purpose:           l.str(path+".purpose", m["purpose"]),
		BuyerCommitments:  l.Strings(path+".buyer_commitments", m["buyer_commitments"]),
		Core:              l.boolean(path+".core", m["core"]),
		HealthyDays:       l.integer(path+".healthy_days", m["healthy_days"]),
		Probability:       l.probability(path+".probability", m["probability"]),
		MultiThreaded:     l.boolean(path+".multi_threaded", m["multi_threaded"]),
		NeedsBusinessCase: l.boolean(path+".needs_business_case", m["needs_business_case"]),
		FollowUpDays:      l.integer(path+".follow_up_days", m["follow_up_days"]),
	}
	s.Entry = l.criteria(path+".entry", m["entry"])
	s.Exit = l.criteria(path+".exit", m["exit"])
	return s
}

func (l *loader) criteria(path string, raw json.RawMessage) []Criterion {
	var out []Criterion
	for j, item := range l.Array(path, raw) {
		out = append(out, l.criterion(fmt.Sprintf("%s[%d]", path, j), item))
	}
	return out
}

func (l *loader) criterion(path string, raw json.RawMessage) Criterion {
	m := l.object(path, "a criterion", raw, allowed(criterionKeys, raw)...)
	if m == nil {
		return Criterion{}
	}
	return Criterion{
		ID:          l.str(path+".id", m["id"]),
		Description: l.str(path+".description", m["description"]),
		Field:       l.str(path+".field", m["field"]),
		Rule:        l.rule(path, m, 1),
	}
}

// allowed returns base plus the parameters of the kind raw declares; for
// an unknown kind, plus the parameters of every kind, so that only the kind
// is reported.
func allowed(base []string, raw json.RawMessage) []string {
	var k struct {
		Kind json.RawMessage `json:"kind"`
	}
	_ = json.Unmarshal(raw, &k)
	var kind string
	_ = json.Unmarshal(k.Kind, &kind)
	out := slices.Clone(base)
	if params, ok := kindParams[kind]; ok {
		return append(out, params...)
	}
	for _, kn := range kindNames {
		for _, p := range kindParams[kn] {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// days reads a rule's count of days, between 1 and a century.
func (l *loader) days(path string, raw json.RawMessage) int {
	days := l.integer(path, raw)
	switch {
	case l.Failed(path):
	case days < 1:
		l.Fail(path, "must be at least 1; got %d", days)
	case days > maxDays:
		l.Fail(path, "must be at most %d (a century); got %d", maxDays, days)
	}
	return days
}

// rule builds the rule of the criterion or rule object m at path, at the
// given depth of nesting (see [AnyOf]). It returns nil, having reported
// why, when the rule cannot be built.
func (l *loader) rule(path string, m map[string]json.RawMessage, depth int) Rule {
	kp := path + ".kind"
	raw, ok := m["kind"]
	if !ok {
		l.Fail(kp, "is required: one of %s", strings.Join(kindNames, ", "))
		return nil
	}
	kind := l.str(kp, raw)
	params, known := kindParams[kind]
	if !known {
		if !l.Failed(kp) {
			l.Fail(kp, "must be one of %s; got %q", strings.Join(kindNames, ", "), kind)
		}
		return nil
	}
	before := len(l.Errs())
	for _, p := range params {
		if _, ok := m[p]; !ok && p != "role" {
			l.Fail(path+"."+p, "is required for kind %s", kind)
		}
	}
	if len(l.Errs()) > before {
		return nil
	}
	var r Rule
	switch kind {
	case kindPresent:
		pp := path + ".path"
		s := l.str(pp, m["path"])
		if r = Present(s); lookup(s) == nil && !l.Failed(pp) {
			l.Fail(pp, "must name a field of a deal, such as discovery.problem or fields.<name>; got %q", s)
		}
	case kindReached:
		pp := path + ".path"
		s := l.str(pp, m["path"])
		if r = Reached(s); dateAt(s) == nil && !l.Failed(pp) {
			l.Fail(pp, "must name a date of a deal: %s or %s; got %q", strings.Join(datePaths[:len(datePaths)-1], ", "), datePaths[len(datePaths)-1], s)
		}
	case kindEngaged:
		role := StakeholderRole(l.str(path+".role", m["role"]))
		n := l.integer(path+".n", m["n"])
		if role != "" && !role.valid() {
			l.Fail(path+".role", "must be a stakeholder role or empty for any role; got %q", role)
		}
		if n < 1 && !l.Failed(path+".n") {
			l.Fail(path+".n", "must be at least 1; got %d", n)
		}
		r = Engaged(role, n)
	case kindHasArtifact:
		a := l.str(path+".artifact", m["artifact"])
		if a == "" && !l.Failed(path+".artifact") {
			l.Fail(path+".artifact", "must not be empty")
		}
		r = HasArtifact(a)
	case kindNextStep:
		r = NextStepWithin(l.days(path+".days", m["days"]))
	case kindEngagedWithin:
		role := StakeholderRole(l.str(path+".role", m["role"]))
		if role != "" && !role.valid() {
			l.Fail(path+".role", "must be a stakeholder role or empty for any role; got %q", role)
		}
		r = EngagedWithin(role, l.days(path+".days", m["days"]))
	case kindConfirmed:
		pp := path + ".path"
		s := l.str(pp, m["path"])
		if _, ok := confirmations[s]; !ok && !l.Failed(pp) {
			l.Fail(pp, "must name a confirmation of a deal: %s; got %q", strings.Join(confirmationPaths[:], ", "), s)
		}
		r = Confirmed(s)
	case kindChampion:
		r = ChampionGraded()
	case kindAnyOf:
		if depth >= maxRuleDepth {
			// Reading deeper would cost time in proportion to the depth
			// times the size of the rule.
			l.Fail(path+".rules", "must not nest rules more than %d deep: this any_of is at depth %d", maxRuleDepth, depth)
			return nil
		}
		items := l.Array(path+".rules", m["rules"])
		if len(items) == 0 && !l.Failed(path+".rules") {
			l.Fail(path+".rules", "must list at least one rule")
		}
		rules := make([]Rule, len(items))
		for i, item := range items {
			rp := fmt.Sprintf("%s.rules[%d]", path, i)
			if rm := l.object(rp, "a rule", item, allowed([]string{"kind"}, item)...); rm != nil {
				rules[i] = l.rule(rp, rm, depth+1)
			}
		}
		r = AnyOf(rules...)
	case kindGathered:
		var kinds []scope.Kind
		for i, k := range l.Strings(path+".kinds", m["kinds"]) {
			if kk := scope.Kind(k); !kk.Valid() && !l.Failed(fmt.Sprintf("%s.kinds[%d]", path, i)) {
				l.Fail(fmt.Sprintf("%s.kinds[%d]", path, i), "must be a requirement kind; got %q", k)
			}
			kinds = append(kinds, scope.Kind(k))
		}
		if len(kinds) == 0 && !l.Failed(path+".kinds") {
			l.Fail(path+".kinds", "must list at least one requirement kind")
		}
		r = RequirementsGathered(kinds...)
	case kindScopeApproved:
		r = ScopeApproved()
	case kindResolved:
		r = DiscrepanciesResolved()
	case kindFitViable:
		r = FitViable()
	case kindNamed:
		np := path + ".name"
		name := l.str(np, m["name"])
		host, ok := l.named[name]
		switch {
		case l.Failed(np):
		case !ok:
			l.Fail(np, "names no rule the host registered; got %q", name)
		case host == nil:
			l.Fail(np, "names a nil rule: %q", name)
		default:
			r = Named(name, host)
		}
	}
	if len(l.Errs()) > before {
		return nil
	}
	if err := validateRuleAt(r, depth); err != nil {
		l.Fail(path, "%s", err)
		return nil
	}
	return r
}
