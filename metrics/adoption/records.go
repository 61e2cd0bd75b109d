package adoption

import (
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
)

// Record is a CRM record checked for duplicates and staleness: an account
// or a contact.
type Record struct {
	ID string `json:"id"`
	// Name is the company's (or the person's) name.
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	// LastEngagedAt is the last engagement with the record (a meeting, a
	// reply, a purchase); zero for never.
	LastEngagedAt time.Time `json:"last_engaged_at"`
}

// DuplicateOptions configures [Duplicates].
type DuplicateOptions struct {
	// CountryCode is the calling code (1 to 3 digits, such as "1" or "44")
	// of phone numbers written without one. Empty means such numbers are
	// not matched.
	CountryCode string
}

// Duplicates accumulates duplicate records. Two records are duplicates
// when:
//
//   - their emails are equal, after trimming and lower-casing; or
//   - at least one of them has no email, and their phones are equal in
//     E.164 form and their names are equal after normalisation.
//
// Email is matched first: two records with different emails are not
// duplicates, whatever their phones. Duplicates group transitively: a
// record without an email that matches two records puts all three in one
// group.
//
// Phones are normalised to E.164: an extension ("x12", "ext. 12", "#12")
// and a trunk prefix written "(0)" are dropped; spaces, dots, dashes,
// slashes and brackets are ignored; "+"
// or an international prefix ("00", or "011" with country code 1)
// introduces the country code; otherwise the number is national: one trunk
// prefix is dropped (a leading 0, or a leading 1 of an 11-digit number
// with country code 1) and CountryCode is put before it. A phone with
// other characters, or with fewer than 7 or more than 15 digits, matches
// nothing. Names are normalised by lower-casing, dropping dots and
// apostrophes, reading "&" as "and", turning other punctuation into
// spaces, dropping a leading "the" and then trailing legal forms ("inc",
// "llc", "ltd", "gmbh", "co", "corp", "plc", "sa", ...): "ACME, Inc." and
// "Acme" are the same name.
//
// A Duplicates keeps every record's keys: its memory grows with the
// records. Not safe for concurrent use; merge one per goroutine.
type Duplicates struct {
	cc       string
	built    bool
	rejected int64
	recs     []dupRecord
}

type dupRecord struct {
	id, email, phoneName string
}

// NewDuplicates returns an empty Duplicates.
func NewDuplicates(opts DuplicateOptions) (*Duplicates, error) {
	if c := opts.CountryCode; c != "" && (len(c) > 3 || c[0] == '0' || strings.Trim(c, "0123456789") != "") {
		return nil, accord.Invalid("country_code", "must be 1 to 3 digits not starting with 0; got %q", c)
	}
	return &Duplicates{cc: opts.CountryCode, built: true}, nil
}

// Add accumulates one record. A record without an ID is refused with an
// error and counted as rejected.
func (u *Duplicates) Add(r Record) error {
	if u == nil || !u.built {
		return accord.Invalid("duplicates", "is not built: use NewDuplicates")
	}
	if strings.TrimSpace(r.ID) == "" {
		u.rejected++
		return accord.Invalid("id", "is required")
	}
	rec := dupRecord{id: r.ID, email: normalEmail(r.Email)}
	if phone, ok := e164(r.Phone, u.cc); ok {
		if name := normalName(r.Name); name != "" {
			rec.phoneName = phone + "|" + name
		}
	}
	u.recs = append(u.recs, rec)
	return nil
}

// Merge adds the records accumulated by o, built with the same options.
func (u *Duplicates) Merge(o *Duplicates) error {
	if u == nil || !u.built {
		return accord.Invalid("duplicates", "is not built: use NewDuplicates")
	}
	if o == nil || !o.built {
		return accord.Invalid("other", "is not a built duplicates")
	}
	if u.cc != o.cc {
		return accord.Invalid("other", "was built with another country code")
	}
	u.rejected += o.rejected
	u.recs = append(u.recs, o.recs...)
	return nil
}

// DuplicateResult holds the figures of [Duplicates].
type DuplicateResult struct {
	Records  int64 `json:"records"`
	Rejected int64 `json:"rejected"`
	// Duplicates is the share of records that have at least one duplicate.
	Duplicates metrics.Rate `json:"duplicates"`
	// Groups lists each group of duplicates, its IDs sorted; the groups are
	// in lexical order.
	Groups [][]string `json:"groups"`
}

// Result returns the duplicate groups found so far.
func (u *Duplicates) Result() DuplicateResult {
	if u == nil || !u.built {
		return DuplicateResult{}
	}
	n := len(u.recs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byEmail := map[string]int{}
	byPhone := map[string][]int{}
	for i, r := range u.recs {
		if r.email != "" {
			if j, ok := byEmail[r.email]; ok {
				union(i, j)
			} else {
				byEmail[r.email] = i
			}
		}
		if r.phoneName != "" {
			byPhone[r.phoneName] = append(byPhone[r.phoneName], i)
		}
	}
	for _, idx := range byPhone {
		if len(idx) < 2 || !slices.ContainsFunc(idx, func(i int) bool { return u.recs[i].email == "" }) {
			continue
		}
		for _, i := range idx[1:] {
			union(idx[0], i)
		}
	}
	groups := map[int][]string{}
	for i := range u.recs {
		root := find(i)
		groups[root] = append(groups[root], u.recs[i].id)
	}
	r := DuplicateResult{Records: int64(n), Rejected: u.rejected, Duplicates: metrics.Rate{Den: int64(n)}}
	for _, ids := range groups {
		if len(ids) < 2 {
			continue
		}
		slices.Sort(ids)
		r.Groups = append(r.Groups, ids)
		r.Duplicates.Num += int64(len(ids))
	}
	slices.SortFunc(r.Groups, slices.Compare[[]string])
	return r
}

// normalEmail trims and lower-cases an email, or returns "" for one
// without a local part and a domain.
func normalEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t") {
		return ""
	}
	return s
}

// e164 returns raw in E.164 form ("+14155550100"), reading a national
// number in country code cc.
// keepsZero lists the country codes whose national numbers keep their
// leading 0 in E.164: Italy, San Marino and Vatican City.
var keepsZero = map[string]bool{"39": true, "378": true, "379": true}

func e164(raw, cc string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(s, "ext"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, "x#;"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "(0)", ""))
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '/' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	digits := b.String()
	switch {
	case plus:
	case strings.HasPrefix(digits, "00"):
		digits = digits[2:]
	case cc == "1" && strings.HasPrefix(digits, "011"):
		digits = digits[3:]
	case cc == "":
		return "", false
	default:
		if cc == "1" && len(digits) == 11 && digits[0] == '1' {
			digits = digits[1:]
		} else if cc != "1" && !keepsZero[cc] && strings.HasPrefix(digits, "0") {
			digits = digits[1:]
		}
		digits = cc + digits
	}
	if len(digits) < 7 || len(digits) > 15 || digits[0] == '0' {
		return "", false
	}
	return "+" + digits, true
}

// legalForm reports whether w is a legal form dropped from the end of a
// company name.
func legalForm(w string) bool {
	switch w {
	case "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation",
		"co", "company", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv",
		"plc", "pty", "pvt", "oy", "ab", "as", "kk":
		return true
	}
	return false
}

// normalName normalises a company or person name for matching.
func normalName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '.' || r == '\'' || r == '’':
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	// "Wells Fargo & Co." is "Wells Fargo": drop legal forms, and an "and"
	// that joined one.
	for len(words) > 1 && (legalForm(words[len(words)-1]) || words[len(words)-1] == "and") {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// StaleOptions configures [Stale].
type StaleOptions struct {
	// Now is the moment of the report. Required.
	Now time.Time
	// Months without engagement make a record stale; 0 means 12.
	Months int
	// Location is where months are reckoned. Required.
	Location *time.Location
}

// Stale accumulates stale records: records with no engagement in the last
// Months months, that is, whose last engagement is before the same date and
// time Months months before Now in Location, clamped to the end of a shorter
// month (or who were never engaged).
// Not safe for concurrent use; merge one per goroutine.
type Stale struct {
	opts     StaleOptions
	cutoff   time.Time
	records  int64
	stale    int64
	rejected int64
}

// NewStale returns an empty Stale.
func NewStale(opts StaleOptions) (*Stale, error) {
	var errs []error
	if opts.Now.IsZero() {
		errs = append(errs, accord.Invalid("now", "is required"))
	}
	if opts.Months < 0 || opts.Months > 1200 {
		errs = append(errs, accord.Invalid("months", "must be between 0 and 1200; got %d", opts.Months))
	}
	if opts.Location == nil {
		errs = append(errs, accord.Invalid("location", "is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Months == 0 {
		opts.Months = 12
	}
	return &Stale{opts: opts, cutoff: monthsBefore(opts.Now.In(opts.Location), opts.Months)}, nil
}

// monthsBefore returns the same day and clock time n months before t, in
// t's location, clamped to the end of a shorter month: a month before 31
// March is 28 (or 29) February, not 3 March as time.AddDate would give.
func monthsBefore(t time.Time, n int) time.Time {
	d := accord.DateOf(t).AddMonths(-n) // the calendar rule lives in accord.Date
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// Add accumulates one record. A record without an ID is refused with an
// error and counted as rejected.
func (s *Stale) Add(r Record) error {
	if s == nil || s.cutoff.IsZero() {
		return accord.Invalid("stale", "is not built: use NewStale")
	}
	if strings.TrimSpace(r.ID) == "" {
		s.rejected++
		return accord.Invalid("id", "is required")
	}
	s.records++
	if r.LastEngagedAt.IsZero() || r.LastEngagedAt.Before(s.cutoff) {
		s.stale++
	}
	return nil
}

// Merge adds the records accumulated by o, built with the same options.
func (s *Stale) Merge(o *Stale) error {
	if s == nil || s.cutoff.IsZero() {
		return accord.Invalid("stale", "is not built: use NewStale")
	}
	if o == nil || o.cutoff.IsZero() {
		return accord.Invalid("other", "is not a built stale")
	}
	if !s.cutoff.Equal(o.cutoff) {
		return accord.Invalid("other", "was built with different options")
	}
	c := *o
	s.records += c.records
	s.stale += c.stale
	s.rejected += c.rejected
	return nil
}

// StaleResult holds the figures of [Stale].
type StaleResult struct {
	Records  int64 `json:"records"`
	Rejected int64 `json:"rejected"`
	// Stale is the share of records with no engagement in the period.
	Stale metrics.Rate `json:"stale"`
}

// Result returns the figures accumulated so far.
func (s *Stale) Result() StaleResult {
	if s == nil {
		return StaleResult{}
	}
	return StaleResult{Records: s.records, Rejected: s.rejected, Stale: metrics.Rate{Num: s.stale, Den: s.records}}
}
