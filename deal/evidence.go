package deal

import (
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/accordhq/accord"
)

// Evidence. Each stage's exit in the source process is something the buyer
// did: agreed, validated, confirmed, kept engaging. A criterion about a
// person therefore names the person and the date, and the rules in this
// file check that structure rather than a flag or a line of free text. Free
// text stays a presence check ([Present]): no count of words or characters
// tells a real problem statement from filler, and any such threshold both
// rejects a terse true answer ("none") and accepts padded filler. What the
// library can hold a deal to is who and when; the words are for the
// manager who reads them.

// confirmation is one place a deal records that a person on the buyer's
// side confirmed something: who, when, and for an absence the flag that
// states it. Each is read at its offset in a Deal, as the field readers
// are (see fields.go): Validate reads every confirmation on every move.
type confirmation struct {
	by, at  uintptr // offsets of the name (a string) and the date
	flag    uintptr // offset of the flag (a bool), when hasFlag
	hasFlag bool    // false when the name and date are the whole fact
	what    string  // for messages: "the solution", ...
}

// name, date and flagged read c on d; flagged is true for a confirmation
// with no flag.
func (c *confirmation) name(d *Deal) string    { return *(*string)(at(d, c.by)) }
func (c *confirmation) date(d *Deal) time.Time { return *(*time.Time)(at(d, c.at)) }
func (c *confirmation) flagged(d *Deal) bool   { return !c.hasFlag || *(*bool)(at(d, c.flag)) }

// confirmations lists the confirmations a deal records, by the path of
// the name of the person who confirmed.
var confirmations = map[string]confirmation{
	"alignment.agreed_by": {
		by:   unsafe.Offsetof(Deal{}.Alignment) + unsafe.Offsetof(Alignment{}.AgreedBy),
		at:   unsafe.Offsetof(Deal{}.Alignment) + unsafe.Offsetof(Alignment{}.AgreedAt),
		what: "agreement to the solution",
	},
	"business_case.agreed_by": {
		by:   unsafe.Offsetof(Deal{}.BusinessCase) + unsafe.Offsetof(BusinessCase{}.AgreedBy),
		at:   unsafe.Offsetof(Deal{}.BusinessCase) + unsafe.Offsetof(BusinessCase{}.AgreedAt),
		what: "agreement to the business case",
	},
	"business_case.no_executive_sponsor_by": {
		by:      unsafe.Offsetof(Deal{}.BusinessCase) + unsafe.Offsetof(BusinessCase{}.NoExecutiveSponsorBy),
		at:      unsafe.Offsetof(Deal{}.BusinessCase) + unsafe.Offsetof(BusinessCase{}.NoExecutiveSponsorAt),
		flag:    unsafe.Offsetof(Deal{}.BusinessCase) + unsafe.Offsetof(BusinessCase{}.NoExecutiveSponsor),
		hasFlag: true,
		what:    "confirmation that there is no executive sponsor",
	},
}

// confirmationPaths lists the keys of confirmations in the order the
// package doc gives them.
var confirmationPaths = [...]string{"alignment.agreed_by", "business_case.agreed_by", "business_case.no_executive_sponsor_by"}

// confirmationsInOrder is confirmations in the order of confirmationPaths,
// for Validate, which every move runs: no map lookup on that path, and
// arrays of a size the compiler knows.
var confirmationsInOrder = func() (out [len(confirmationPaths)]confirmation) {
	for i, p := range confirmationPaths {
		out[i] = confirmations[p]
	}
	return out
}()

// atPath returns the path of the date that goes with the name at path.
func atPath(path string) string { return strings.TrimSuffix(path, "_by") + "_at" }

// Confirmed returns a rule met when the confirmation whose name is at path
// records who on the buyer's side confirmed and when: the name is that of
// one of the deal's stakeholders, and the date is set and not after now.
// The confirmations a deal records are:
//
//   - "alignment.agreed_by": agreement that the solution meets the success
//     criteria (with alignment.agreed_at);
//   - "business_case.agreed_by": agreement to the business case (with
//     business_case.agreed_at);
//   - "business_case.no_executive_sponsor_by": confirmation that there is
//     no executive sponsor (with business_case.no_executive_sponsor_at),
//     which also needs business_case.no_executive_sponsor set.
//
// [NewProcess] rejects any other path.
func Confirmed(path string) Rule {
	c, ok := confirmations[path]
	return &confirmed{path: path, c: c, ok: ok}
}

// confirmed holds the confirmation its path names (ok when there is one),
// looked up once, when the rule is built: a process evaluates it on every
// move out of its stage. It is held by pointer, as present is.
type confirmed struct {
	path string
	c    confirmation
	ok   bool
}

func (r *confirmed) Met(d *Deal, now time.Time) bool {
	if !r.ok || !r.c.flagged(d) {
		return false
	}
	at := r.c.date(d)
	return !at.IsZero() && !at.After(now) && d.stakeholder(r.c.name(d)) >= 0
}
func (r confirmed) field() string { return r.path }
func (r confirmed) reads() []string {
	out := []string{r.path, atPath(r.path)}
	if confirmations[r.path].hasFlag {
		out = append(out, strings.TrimSuffix(r.path, "_by"))
	}
	return append(out, "stakeholders")
}
func (r confirmed) validate() error {
	if _, ok := confirmations[r.path]; !ok {
		return fmt.Errorf("Confirmed needs one of %s; got %q", strings.Join(confirmationPaths[:], ", "), r.path)
	}
	return nil
}

// EngagedWithin returns a rule met when a stakeholder with role, with a
// name, is engaged and was last engaged (EngagedAt) no later than now and
// at most days days (of 24 hours) before it: the person is engaged now,
// not once. An empty role accepts a stakeholder of any role. days must be
// between 1 and 36500 (a century). [Default] asks it of the champion at
// the business case: a champion silent for a month is not championing.
func EngagedWithin(role StakeholderRole, days int) Rule {
	return engagedWithin{role: role, days: days}
}

type engagedWithin struct {
	role StakeholderRole
	days int
}

func (r engagedWithin) Met(d *Deal, now time.Time) bool {
	since := now.Add(-days(r.days))
	for i := range d.Stakeholders {
		s := &d.Stakeholders[i]
		if s.Engaged && (r.role == "" || s.Role == r.role) && text(s.Name) &&
			!s.EngagedAt.IsZero() && !s.EngagedAt.After(now) && !s.EngagedAt.Before(since) {
			return true
		}
	}
	return false
}
func (r engagedWithin) field() string { return "stakeholders" }
func (r engagedWithin) validate() error {
	if r.days < 1 || r.days > maxDays {
		return fmt.Errorf("EngagedWithin needs days between 1 and %d, got %d", maxDays, r.days)
	}
	if r.role != "" && !r.role.valid() {
		return fmt.Errorf("unknown stakeholder role %q", r.role)
	}
	return nil
}

// ChampionGraded returns a rule met when the champion's strength is graded
// and the grade has a champion behind it: strong, moderate or weak with a
// named stakeholder whose role is champion, or none. A strength graded
// while no stakeholder is the champion grades nobody.
func ChampionGraded() Rule { return championGraded{} }

type championGraded struct{}

func (championGraded) Met(d *Deal, _ time.Time) bool {
	s := d.BusinessCase.ChampionStrength
	return s == StrengthNone || s.valid() && d.hasChampion()
}
func (championGraded) field() string { return "business_case.champion_strength" }
func (championGraded) reads() []string {
	return []string{"business_case.champion_strength", "stakeholders"}
}

// stakeholder returns the index of the stakeholder named name, or -1 when
// name is blank or names none.
func (d *Deal) stakeholder(name string) int {
	if !text(name) {
		return -1
	}
	return d.named(name)
}

// named is stakeholder for a name that is text.
func (d *Deal) named(name string) int {
	for i := range d.Stakeholders {
		if sameName(d.Stakeholders[i].Name, name) {
			return i
		}
	}
	return -1
}

// sameName reports whether a equals b, a name that is not empty. Names of
// one length usually differ in their first byte, which it compares before
// calling on the runtime to compare the rest: Validate compares every
// stakeholder's name with those before it.
func sameName(a, b string) bool {
	return len(a) == len(b) && a[0] == b[0] && a == b
}

// hasChampion reports whether a named stakeholder is the champion. The
// role is compared with the constant, which the compiler does inline:
// every move validates the champion's strength through it.
func (d *Deal) hasChampion() bool {
	for i := range d.Stakeholders {
		if d.Stakeholders[i].Role == RoleChampion && text(d.Stakeholders[i].Name) {
			return true
		}
	}
	return false
}

// validateEvidence checks the structure of the evidence d records; see
// [Deal.Validate].
func (d *Deal) validateEvidence(errs []error) []error {
	for i := range confirmationsInOrder {
		c := &confirmationsInOrder[i]
		by := c.name(d)
		if by == "" {
			if !c.date(d).IsZero() {
				path := confirmationPaths[i]
				errs = append(errs, accord.Invalid(path, "is required once %s is set: the %s records who", atPath(path), c.what))
			}
			continue
		}
		switch {
		case !text(by):
			errs = append(errs, accord.Invalid(confirmationPaths[i], "must name a stakeholder of the deal or be empty; got %q", by))
		case d.named(by) < 0:
			errs = append(errs, accord.Invalid(confirmationPaths[i], "must name a stakeholder of the deal; %q is none", by))
		}
		if !c.flagged(d) {
			path := confirmationPaths[i]
			errs = append(errs, accord.Invalid(strings.TrimSuffix(path, "_by"), "must be set once %s records who confirmed it", path))
		}
	}
	if s := d.BusinessCase.ChampionStrength; s.valid() && s != StrengthNone && !d.hasChampion() {
		errs = append(errs, accord.Invalid("business_case.champion_strength", "cannot be graded %s while no stakeholder is the champion: name the champion among the stakeholders, or grade none", s))
	}
	return errs
}
