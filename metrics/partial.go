package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/accordhq/accord/metrics/internal/zone"
)

// This file holds what the calculators share to write and read their
// partials (see the package documentation, "Partials"): the settings that
// describe a process, a calendar, a moment or a zone, and the state of a
// histogram and of an exact sum.

// settings describes the process of b, as far as the calculators read it
// (what [base.same] compares): its stages in order with their probability,
// healthy time, flags and required fields, and its Closed Won stage.
func (b *base) settings(more ...wire.Setting) []wire.Setting {
	s := []wire.Setting{
		{Name: "stages", Value: strconv.Itoa(len(b.stages))},
		{Name: "closed_won", Value: string(b.proc.ClosedWon())},
	}
	for i, st := range b.stages {
		s = append(s, wire.Setting{Name: fmt.Sprintf("stages[%d]", i), Value: fmt.Sprintf(
			"%s probability=%s healthy_days=%d multi_threaded=%t needs_business_case=%t required=%s",
			st.ID, st.Probability.Rat().RatString(), st.HealthyDays, st.MultiThreaded, st.NeedsBusinessCase,
			strings.Join(st.RequiredFields(), ","))})
	}
	return append(s, more...)
}

// state writes or reads the counts of deals added and refused.
func (b *base) state(c *wire.Codec) {
	c.Uint("deals", &b.deals)
	c.Uint("rejected", &b.rejected)
}

// describeCalendar describes the days a calendar works, as
// [accord.Calendar.Between] reads them; "" for none (calendar time).
func describeCalendar(cal *accord.Calendar) string {
	if cal == nil {
		return ""
	}
	weekend := []time.Weekday{time.Sunday, time.Saturday} // in order, as below
	if cal.Weekend != nil {
		weekend = nil
		for _, d := range cal.Weekend {
			if d >= time.Sunday && d <= time.Saturday && !slices.Contains(weekend, d) {
				weekend = append(weekend, d)
			}
		}
		slices.Sort(weekend)
	}
	var hols []accord.Date
	for _, d := range cal.Holidays {
		if d.Valid() {
			hols = append(hols, d)
		}
	}
	slices.SortFunc(hols, accord.Date.Compare)
	hols = slices.Compact(hols)
	var b strings.Builder
	fmt.Fprintf(&b, "zone=%s weekend=%v holidays=", zone.Describe(cal.Zone()), weekend)
	for i, d := range hols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// describeTime describes an instant, "" for the zero time.
func describeTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// describeKey says whether deals are grouped by a key: a function cannot
// be compared, so both sides must use the same one.
func describeKey(key func(*deal.Deal) string) string {
	if key == nil {
		return "none"
	}
	return "set"
}

// Reading a histogram keeps a partial's memory in proportion to its size:
// a page of counters (32 KiB) is allocated for a page that holds at least
// densePairs distinct minutes (1 KiB or more of input); fewer minutes, and
// counts too large for a page's low counters, are kept in the map.
const densePairs = 512

// maxMinutes is the longest duration a histogram counts, in minutes.
const maxMinutes = math.MaxInt64 / int64(time.Minute)

// each calls f for each distinct minute counted, in increasing order, with
// its count.
func (h *hist) each(f func(m int64, c uint64)) {
	sparse := h.outside()
	keys := sortedKeys(sparse)
	si := 0
	for i, pg := range h.pages {
		if pg == nil {
			continue
		}
		base := int64(i) << pageBits
		for k := range pg.lo {
			m := base + int64(k)
			for si < len(keys) && keys[si] < m {
				f(keys[si], sparse[keys[si]])
				si++
			}
			c := pg.get(k)
			if si < len(keys) && keys[si] == m {
				c += sparse[m]
				si++
			}
			if c != 0 {
				f(m, c)
			}
		}
	}
	for ; si < len(keys); si++ {
		f(keys[si], sparse[keys[si]])
	}
}

// state writes or reads h as its distinct minutes in increasing order, each
// as the gap from the one before (from -1) and its count, then a zero gap:
// one pass over the counters, with no count of minutes to find first.
func (h *hist) state(c *wire.Codec, name string, index int) {
	c.Enter(name, index)
	defer c.Leave()
	if !c.Reading() {
		prev := int64(-1)
		h.each(func(m int64, n uint64) {
			gap, count := m-prev, int64(n)
			c.Uint("", &gap)
			c.Uint("", &count)
			prev = m
		})
		var end int64
		c.Uint("", &end)
		return
	}
	type pair struct{ m, c int64 }
	var pairs []pair
	var perPage [denseMinutes >> pageBits]int
	prev := int64(-1)
	for i := 0; c.Err() == nil; i++ {
		c.Enter("minutes", i)
		var gap, count int64
		if c.Uint("gap", &gap); gap == 0 {
			c.Leave()
			break
		}
		c.Uint("count", &count)
		switch {
		case c.Err() != nil:
		case gap > maxMinutes-prev:
			c.Fail("gap", "reaches beyond %d minutes, the longest duration", maxMinutes)
		case count == 0:
			c.Fail("count", "must be positive")
		case count > math.MaxInt64-h.n:
			c.Fail("count", "makes the total overflow an int64")
		}
		c.Leave()
		prev += gap
		h.n += count
		pairs = append(pairs, pair{prev, count})
		if prev < denseMinutes {
			perPage[prev>>pageBits]++
		}
	}
	if c.Err() != nil {
		*h = hist{}
		return
	}
	for _, p := range pairs {
		if pg := p.m >> pageBits; p.m < denseMinutes && perPage[pg] >= densePairs && p.c <= math.MaxUint16 &&
			h.page(int(pg)).addCount(int(p.m&(pageSize-1)), uint64(p.c)) {
			continue
		}
		if h.sparse == nil {
			h.sparse = make(map[int64]uint64)
		}
		h.sparse[p.m] += uint64(p.c)
	}
}

// state writes or reads an exact sum.
func (s *amountSum) state(c *wire.Codec, name string, index int) {
	c.Enter(name, index)
	defer c.Leave()
	exp := int64(s.exp)
	c.Bool("has", &s.has)
	c.Int("exponent", &exp)
	c.Int("small", &s.small)
	c.Decimal("big", &s.big)
	if !c.Reading() || c.Err() != nil {
		return
	}
	switch {
	case exp < -accord.MaxScale || exp > accord.MaxDigits:
		c.Fail("exponent", "must be between %d and %d; got %d", -accord.MaxScale, accord.MaxDigits, exp)
	case !s.has && (exp != 0 || s.small != 0):
		c.Fail("small", "must be 0 when has is 0")
	}
	s.exp = int32(exp)
	if c.Err() != nil {
		*s = amountSum{}
	}
}

// currency writes or reads a currency: a valid code, or "" where allow.
func currency(c *wire.Codec, name string, cur *accord.Currency, allowEmpty bool) {
	s := string(*cur)
	c.String(name, &s)
	if c.Reading() && c.Err() == nil && !(allowEmpty && s == "") && !accord.Currency(s).Valid() {
		c.Fail(name, "must be an active ISO 4217 code; got %q", s)
	}
	*cur = accord.Currency(s)
}

func compareGroupKeys(a, b groupKey) int {
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.currency, b.currency))
}

// groupKeyState writes or reads a group's key and currency.
func groupKeyState(c *wire.Codec, k *groupKey, allowEmpty bool) {
	c.String("key", &k.key)
	currency(c, "currency", &k.currency, allowEmpty)
}

// atMost fails c at name unless the counts parts, each of a subset of
// whole, sum to at most whole (named wholeName).
func atMost(c *wire.Codec, name, wholeName string, whole int64, parts ...int64) {
	if !c.Reading() || c.Err() != nil {
		return
	}
	left := whole
	for _, n := range parts {
		if n > left {
			c.Fail(name, "is more than %s (%d) allows", wholeName, whole)
			return
		}
		left -= n
	}
}
