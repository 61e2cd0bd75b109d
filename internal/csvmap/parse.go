package csvmap

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// layouts are the date layouts ParseTime accepts, tried in order. Slashes
// are read month first (3/31/2024), dots day first (31.3.2024).
// They come in families, picked by the shape of the text, so that a date
// is tried against a few layouts rather than all.
var (
	isoLayouts = []string{
		"2006-01-02",
		time.RFC3339Nano,
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
	}
	ymdLayouts   = []string{"2006/01/02", "2006/01/02 15:04:05"}
	slashLayouts = []string{"1/2/2006", "1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM"}
	dotLayouts   = []string{"2.1.2006", "2.1.2006 15:04"}
	nameLayouts  = []string{"2 Jan 2006", "Jan 2, 2006", "January 2, 2006"}
)

// layouts returns the family of layouts that fits the shape of s.
func layouts(s string) []string {
	year := len(s) > 4 && allDigits(s[:4])
	switch {
	case year && s[4] == '-':
		return isoLayouts
	case year && s[4] == '/':
		return ymdLayouts
	case strings.IndexByte(s, '/') > 0:
		return slashLayouts
	case strings.IndexByte(s, '.') > 0:
		return dotLayouts
	}
	return nameLayouts
}

// ParseTime reads a date or a date and time in any of these forms:
// 2024-03-31, 2024/03/31, RFC 3339 (2024-03-31T14:05:00Z, with a
// fraction or an offset), 2024-03-31T14:05[:00] or with a space for the T,
// 3/31/2024 [14:05[:00] or 2:05[:00] PM] (month first), 31.3.2024
// [14:05] (day first), 31 Mar 2024, Mar 31, 2024 and March 31, 2024.
// A time without an offset is in loc; one with an offset is converted to
// loc. The result is the wall clock in loc, written in UTC, so that
// durations between results are calendar time, whatever daylight saving
// loc observes. The year must be from 1900 to 2999.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok := isoDate(s); ok {
		return t, nil
	}
	for _, l := range layouts(s) {
		t, err := time.ParseInLocation(l, s, loc)
		if err != nil {
			continue
		}
		return wall(t, s, loc)
	}
	return time.Time{}, fmt.Errorf("must be a date such as 2024-03-31, 3/31/2024 or 2024-03-31T14:05:00Z; got %q", s)
}

// wall checks the year of t, read from s, and returns its wall clock in
// loc written in UTC.
func wall(t time.Time, s string, loc *time.Location) (time.Time, error) {
	if y := t.Year(); y < 1900 || y > 2999 {
		return time.Time{}, fmt.Errorf("year must be from 1900 to 2999; got %q", s)
	}
	// Durations are calendar time: keep the wall clock in loc and drop its
	// daylight saving, so that 1 March to 20 March is 19 days in any zone.
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), nil
}

// text is the text of a field: a string, or bytes the reader lends.
type text interface{ ~string | ~[]byte }

// isoDate reads a plain 2024-03-31, the commonest form, without going
// through time.Parse: the day at midnight, whatever the location.
func isoDate[T text](s T) (time.Time, bool) {
	y, m, d, ok := isoParts(s)
	if !ok {
		return time.Time{}, false
	}
	return isoDay(y, m, d)
}

// isoParts reads the year, month and day of a plain 2024-03-31, with a
// year from 1900 to 2999, a month from 1 to 12 and a day from 1 to 99.
func isoParts[T text](s T) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	// Each digit, or more than 9 for any other byte.
	y0, y1, y2, y3 := uint(s[0])-'0', uint(s[1])-'0', uint(s[2])-'0', uint(s[3])-'0'
	m0, m1, d0, d1 := uint(s[5])-'0', uint(s[6])-'0', uint(s[8])-'0', uint(s[9])-'0'
	if y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9 {
		return 0, 0, 0, false
	}
	y, m, d = int(y0*1000+y1*100+y2*10+y3), int(m0*10+m1), int(d0*10+d1)
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// isoDay returns midnight UTC of day d of month m of year y, and false
// when there is no such day.
func isoDay(y, m, d int) (time.Time, bool) {
	// The calendar is accord.Date's (DESIGN principle 9): its Valid and
	// DaysUntil. time.Unix(...).UTC() is the same instant, in the same
	// representation, as time.Date(y, m, d, 0, 0, 0, 0, time.UTC), at a
	// fraction of the cost.
	day := accord.Date{Year: y, Month: time.Month(m), Day: d}
	if !day.Valid() {
		return time.Time{}, false
	}
	return time.Unix(int64(epoch.DaysUntil(day))*86400, 0).UTC(), true
}

// epoch is the day Unix time counts from.
var epoch = accord.Date{Year: 1970, Month: time.January, Day: 1}

// Dates reads the dates of one export: in the layouts it gives, or, with
// none, in any layout [ParseTime] reads.
type Dates struct {
	// Formats are Go time layouts, such as "02/01/2006" for a day-first
	// date, tried in order. Empty means the layouts of [ParseTime].
	Formats []string
	// Location is where a date without an offset is read. Nil means UTC.
	Location *time.Location

	days *days // see Cached
	// iso says that ParseBytes may read a plain 2024-03-31 itself: the
	// formats are empty or start with time.DateOnly.
	iso bool
}

// Cached returns d with a cache of the plain dates (2024-03-31) that
// ParseBytes reads: an export's dates repeat, and each is then worked out
// once. The result is not safe for concurrent use.
func (d Dates) Cached() Dates {
	d.days = new(days)
	d.iso = len(d.Formats) == 0 || d.Formats[0] == time.DateOnly
	return d
}

// days caches plain dates by their ten bytes, direct-mapped: a date
// finds the one slot it may be in. Bytes equal to a date read before are
// that date, so a date found is not read again.
type days [2048]struct {
	lo  uint64 // the first eight bytes; 0 (no date's) for an empty slot
	hi  uint16 // the last two
	day int32  // days since 1 January 1970
}

// slot returns the slot of the date written lo, hi.
func (c *days) slot(lo uint64, hi uint16) *struct {
	lo  uint64
	hi  uint16
	day int32
} {
	h := (lo ^ uint64(hi)<<48) * 0x9e3779b97f4a7c15
	return &c[h>>(64-11)]
}

// Parse reads s, trimmed of spaces, as [ParseTime] does (its result is
// the wall clock in Location, written in UTC), in the first of Formats
// that reads it.
func (d Dates) Parse(s string) (time.Time, error) {
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	if len(d.Formats) == 0 {
		return ParseTime(s, loc)
	}
	s = strings.TrimSpace(s)
	for _, l := range d.Formats {
		if l == time.DateOnly {
			if t, ok := isoDate(s); ok {
				return t, nil
			}
		}
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return wall(t, s, loc)
		}
	}
	return time.Time{}, fmt.Errorf("must be a date in the format %s; got %q", QuoteList(d.Formats), s)
}

// Trim returns b without leading and trailing white space, as
// bytes.TrimSpace does, but at once for the common text that neither
// starts nor ends with a space (see Spaced).
func Trim(b []byte) []byte {
	if Spaced(b) {
		return bytes.TrimSpace(b)
	}
	return b
}

// Spaced reports whether b may start or end with white space: whether
// Trim may shorten it. It is small enough to be inlined.
func Spaced(b []byte) bool {
	// A byte from '!' to 0x7f is neither white space nor part of any.
	n := len(b)
	return n > 0 && (b[0]-'!' >= 0x80-'!' || b[n-1]-'!' >= 0x80-'!')
}

// ParseBytes reads b as Parse(string(b)) does, without allocating for a
// plain 2024-03-31 that the formats read (as they do when empty or
// starting with time.DateOnly).
func (d *Dates) ParseBytes(b []byte) (time.Time, error) {
	if d.iso || d.days == nil && (len(d.Formats) == 0 || d.Formats[0] == time.DateOnly) {
		if d.days != nil && len(b) == 10 {
			lo, hi := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint16(b[8:])
			e := d.days.slot(lo, hi)
			if e.lo == lo && e.hi == hi && lo != 0 {
				return time.Unix(int64(e.day)*86400, 0).UTC(), nil
			}
			if y, m, day, ok := isoParts(b); ok {
				if t, ok := isoDay(y, m, day); ok {
					e.lo, e.hi, e.day = lo, hi, int32(t.Unix()/86400)
					return t, nil
				}
			}
			return d.Parse(string(b))
		}
		if Spaced(b) {
			b = bytes.TrimSpace(b)
		}
		if y, m, day, ok := isoParts(b); ok {
			if t, ok := isoDay(y, m, day); ok {
				return t, nil
			}
		}
	}
	return d.Parse(string(b))
}

// symbolFits reports whether a currency symbol may stand for currency c:
// "$" for any code ending in D (USD, CAD, AUD, ...).
func symbolFits(sym string, c accord.Currency) bool {
	switch sym {
	case "$":
		return strings.HasSuffix(string(c), "D")
	case "€":
		return c == "EUR"
	case "£":
		return c == "GBP"
	case "¥":
		return c == "JPY" || c == "CNY"
	case "₹":
		return c == "INR"
	}
	return false
}

// symbolList lists the currency symbols a value may carry.
var symbolList = []string{"$", "€", "£", "¥", "₹"}

// ParseValue reads an amount in currency c. A blank value is the zero
// Money, meaning "not set". Otherwise the value is a non-negative decimal
// with at most one currency symbol ($, €, £, ¥, ₹) before or after it, or
// c's code before or after it ("USD 1200", "1200 usd"); the integer part
// may group its digits by three with commas ("$1,200,000.50"). A symbol
// must fit c: "$" any currency whose code ends in D, "€" EUR, "£" GBP, "¥"
// JPY or CNY, "₹" INR. The amount must be within [accord.ParseMoney]'s
// bounds.
func ParseValue(s string, c accord.Currency) (accord.Money, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return accord.Money{}, nil
	}
	if m, ok := plainAmount(v); ok {
		return accord.NewMoney(m, c)
	}
	if n := len(c); n > 0 {
		if len(v) > n && strings.EqualFold(v[:n], string(c)) {
			v = strings.TrimSpace(v[n:])
		} else if len(v) > n && strings.EqualFold(v[len(v)-n:], string(c)) {
			v = strings.TrimSpace(v[:len(v)-n])
		}
	}
	for _, sym := range symbolList {
		var ok bool
		if rest, found := strings.CutPrefix(v, sym); found {
			v, ok = strings.TrimSpace(rest), true
		} else if rest, found := strings.CutSuffix(v, sym); found {
			v, ok = strings.TrimSpace(rest), true
		}
		if ok {
			if !symbolFits(sym, c) {
				return accord.Money{}, fmt.Errorf("%q is in %s, but the report is in %s", s, sym, c)
			}
			break
		}
	}
	if strings.HasPrefix(v, "-") {
		return accord.Money{}, fmt.Errorf("must not be negative; got %q", s)
	}
	digits, ok := ungroup(v)
	if !ok {
		return accord.Money{}, fmt.Errorf("must be an amount such as 1200.50 or $1,200.50; got %q", s)
	}
	m, err := accord.ParseMoney(digits, c)
	if err != nil {
		return accord.Money{}, fmt.Errorf("%q: %w", s, err)
	}
	return m, nil
}

// ungroup checks that v is digits with an optional fraction, the integer
// part either plain or grouped by three with commas, and returns it
// without the commas.
func ungroup(v string) (string, bool) {
	intPart, frac, hasFrac := strings.Cut(v, ".")
	if intPart == "" || (hasFrac && (frac == "" || !allDigits(frac))) {
		return "", false
	}
	groups := strings.Split(intPart, ",")
	for i, g := range groups {
		switch {
		case !allDigits(g) || g == "":
			return "", false
		case len(groups) > 1 && i == 0 && len(g) > 3:
			return "", false
		case i > 0 && len(g) != 3:
			return "", false
		}
	}
	out := strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

func allDigits[T text](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainAmount reads the commonest amount, digits with an optional
// fraction ("1200", "1200.50"), without going through a decimal string
// parse: at most 18 digits in all.
func plainAmount(v string) (decimal.Decimal, bool) {
	n, frac, ok := plainDigits(v)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(n, -int32(frac)), true
}

// plainDigits reads a plain amount as its digits' value and the number of
// them after the point: "1200.50" is 120050 and 2. Such an amount is
// within [accord.ParseMoney]'s bounds.
func plainDigits[T text](v T) (n int64, frac int, ok bool) {
	// At most 18 digits and a point; the integer digits, then those after
	// the point, each in a loop of its own.
	if len(v) == 0 || len(v) > 19 {
		return 0, 0, false
	}
	i := 0
	for ; i < len(v); i++ {
		c := v[i] - '0'
		if c > 9 {
			break
		}
		n = n*10 + int64(c)
	}
	if i == len(v) {
		if i > 18 {
			return 0, 0, false
		}
		return n, 0, true
	}
	if v[i] != '.' || i == 0 || i == len(v)-1 {
		return 0, 0, false
	}
	for j := i + 1; j < len(v); j++ {
		c := v[j] - '0'
		if c > 9 {
			return 0, 0, false
		}
		n = n*10 + int64(c)
	}
	return n, len(v) - 1 - i, true
}

// Values reads the amounts of one export, all in one currency, as
// [ParseValue] does, and gives the same results and errors. It checks the
// currency once rather than per amount, and keeps the amounts it has read
// (up to 65,536 distinct ones), so that an export whose amounts repeat
// allocates once per distinct amount rather than once per row. The
// amounts it returns share their decimals' memory, which is safe:
// decimals are never changed in place. A Values is not safe for
// concurrent use.
type Values struct {
	currency accord.Currency
	valid    bool
	// The amounts kept, in the order first read, each with its key:
	// digits<<5 | places with the top bit set.
	kept []valueSlot
	// index finds them: an open-addressing table of 4-byte entries (0
	// marks a free one), so that it stays in cache when the amounts do not
	// fit, whose probes are bounded, so that no input makes a lookup slow.
	// An entry holds the amount's position in kept in its low 16 bits, and
	// the top 16 bits of the key's hash, which tell most other amounts
	// apart without reading kept.
	index []uint32
	salt  uint64
}

type valueSlot struct {
	key uint64
	dec decimal.Decimal
}

const (
	maxValues     = 1 << 16       // the amounts a Values keeps
	maxValueSlots = 4 * maxValues // the entries its index may grow to
	kept          = 1 << 63       // set in the key of an amount kept
	valueProbes   = 8             // the entries a lookup tries
	tagged        = 1 << 15       // set in the tag of every entry in use
)

// NewValues returns a reader of amounts in currency c.
func NewValues(c accord.Currency) *Values {
	v := &Values{currency: c, valid: c.Valid(), salt: maphash.String(maphash.MakeSeed(), "")}
	v.index = make([]uint32, 1024)
	return v
}

// Parse reads s as [ParseValue](s, c) does.
func (v *Values) Parse(s string) (accord.Money, error) {
	t := strings.TrimSpace(s)
	if t == "" || !v.valid {
		return ParseValue(s, v.currency)
	}
	n, frac, ok := plainDigits(t)
	if !ok {
		return ParseValue(s, v.currency)
	}
	return v.plain(n, frac), nil
}

// ParseBytes reads b as Parse(string(b)) does, without allocating for a
// plain amount such as 1200.50.
func (v *Values) ParseBytes(b []byte) (accord.Money, error) {
	t := b
	if Spaced(t) {
		t = bytes.TrimSpace(t)
	}
	if len(t) == 0 || !v.valid {
		return ParseValue(string(b), v.currency)
	}
	n, frac, ok := plainDigits(t)
	if !ok {
		return ParseValue(string(b), v.currency)
	}
	return v.plain(n, frac), nil
}

// plain returns the amount of a plain amount's digits and places.
func (v *Values) plain(n int64, frac int) accord.Money {
	if n >= 1<<58 { // too large to key; places are at most 17 < 1<<5
		return accord.Money{Amount: decimal.New(n, -int32(frac)), Currency: v.currency}
	}
	k := uint64(n)<<5 | uint64(frac) | kept
	h := v.hash(k)
	tag := uint32(h>>48) | tagged
	for {
		mask := uint64(len(v.index) - 1)
		for i, p := h&mask, 0; p < valueProbes; i, p = (i+1)&mask, p+1 {
			e := v.index[i]
			if e>>16 == tag {
				if sl := &v.kept[e&0xffff]; sl.key == k {
					return accord.Money{Amount: sl.dec, Currency: v.currency}
				}
				continue
			}
			if e != 0 {
				continue
			}
			d := decimal.New(n, -int32(frac))
			if len(v.kept) < maxValues {
				v.index[i] = tag<<16 | uint32(len(v.kept))
				v.kept = append(v.kept, valueSlot{k, d})
				if len(v.kept)*2 > len(v.index) {
					v.grow()
				}
			}
			return accord.Money{Amount: d, Currency: v.currency}
		}
		// The probes found neither the amount nor room for it.
		if len(v.kept) >= maxValues || len(v.index) >= maxValueSlots {
			return accord.Money{Amount: decimal.New(n, -int32(frac)), Currency: v.currency}
		}
		v.grow()
	}
}

// hash mixes all the bits of key k and the salt (the finaliser of
// MurmurHash3): its low bits give the first entry the key's amount may be
// in, its top 16 the entry's tag.
func (v *Values) hash(k uint64) uint64 { return Mix(k ^ v.salt) }

// Mix is a bijection of k that spreads every bit of it over all the
// others (the finaliser of MurmurHash3): the hash of the importer's tables
// of amounts and of IDs.
func Mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// grow doubles the index, leaving out any amount whose probes it would
// exceed: the amount is kept, and read afresh each time.
func (v *Values) grow() {
	v.index = make([]uint32, 2*len(v.index))
	mask := uint64(len(v.index) - 1)
	for j := range v.kept {
		h := v.hash(v.kept[j].key)
		for i, p := h&mask, 0; p < valueProbes; i, p = (i+1)&mask, p+1 {
			if v.index[i] == 0 {
				v.index[i] = (uint32(h>>48)|tagged)<<16 | uint32(j)
				break
			}
		}
	}
}
