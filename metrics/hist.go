package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"
)

// Durations are measured in whole minutes: the exact difference of two
// instants (or what a [Calendar] counts of it), truncated to the minute. The
// medians and percentiles are then exact over those measurements, and a
// calculator keeps one counter per distinct minute, so its memory is bounded
// by the spread of the durations, never by the number of records.

// Counters for durations below denseMinutes (about two years) are kept in
// pages of pageSize minutes indexed by the minute; longer durations are
// counted in a map.
const (
	pageBits     = 14 // a page counts 2^14 minutes, about 11 days
	pageSize     = 1 << pageBits
	denseMinutes = 1 << 20
)

// hist counts durations by whole minute, exactly.
type hist struct {
	// pages[m>>pageBits] counts durations of m minutes, for m <
	// denseMinutes; a page is allocated when first needed.
	pages  []*page
	sparse map[int64]uint64 // minutes ≥ denseMinutes, and page overflow
	n      int64
	// queue[:queued] are durations counted in n but not yet in the pages
	// or the map: push queues them and flush counts them in a burst, so
	// that their counters, spread over the pages, are read from memory
	// together rather than one at a time between the work of each record
	// (a calculator streaming a million deals spent a third of its time
	// waiting on them). Whatever reads the counters counts the queue too.
	queue  [queueLen]int64
	queued int
}

// queueLen is how many durations a hist queues before counting them.
const queueLen = 128

// page counts the minutes of one page: lo holds the low 16 bits of each
// count, so that the counters a calculator touches at random stay small in
// the cache, and hi (allocated when a counter first wraps) the high bits.
type page struct {
	lo [pageSize]uint16
	hi *[pageSize]uint32
}

// get returns the count at k.
func (pg *page) get(k int) uint64 {
	c := uint64(pg.lo[k])
	if pg.hi != nil {
		c += uint64(pg.hi[k]) << 16
	}
	return c
}

// inc adds one at k, or returns false when the counter is full.
func (pg *page) inc(k int) bool {
	if c := pg.lo[k]; c != math.MaxUint16 {
		pg.lo[k] = c + 1
		return true
	}
	if pg.hi == nil {
		pg.hi = new([pageSize]uint32)
	}
	if pg.hi[k] == math.MaxUint32 {
		return false
	}
	pg.hi[k]++
	pg.lo[k] = 0
	return true
}

// addCount adds c at k, or returns false (adding nothing) when the counter
// would overflow.
func (pg *page) addCount(k int, c uint64) bool {
	t := pg.get(k) + c
	if t < c || t>>16 > math.MaxUint32 {
		return false
	}
	if t>>16 != 0 && pg.hi == nil {
		pg.hi = new([pageSize]uint32)
	}
	pg.lo[k] = uint16(t)
	if pg.hi != nil {
		pg.hi[k] = uint32(t >> 16)
	}
	return true
}

// minutes truncates d to whole minutes.
func minutes(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	return int64(d / time.Minute)
}

// add counts one duration of m ≥ 0 minutes.
func (h *hist) add(m int64) {
	h.n++
	h.count(m)
}

// push counts one duration of m ≥ 0 minutes like add, through the queue:
// for the calculators that count many durations, one or more per record.
func (h *hist) push(m int64) {
	if !h.tryPush(m) {
		h.flush()
		h.tryPush(m)
	}
}

// tryPush is push when the queue has room, and reports whether it had:
// small enough to be inlined in a hot loop, which calls push when not.
func (h *hist) tryPush(m int64) bool {
	if h.queued < len(h.queue) {
		h.queue[h.queued] = m
		h.queued++
		h.n++
		return true
	}
	return false
}

// flush counts the queued durations in the pages or the map. Only the
// writers of h (push, merge) flush it: its readers count the queue through
// outside, so that reading a calculator writes nothing to it and several
// goroutines may read one at once.
func (h *hist) flush() {
	if h.queued == 0 {
		return
	}
	for _, m := range h.queue[:h.queued] {
		h.count(m)
	}
	h.queued = 0
}

// count counts one duration of m ≥ 0 minutes in the pages or the map,
// leaving n as it is.
func (h *hist) count(m int64) {
	// The pages stop at denseMinutes: a page that exists is one for m.
	if i := uint64(m) >> pageBits; i < uint64(len(h.pages)) {
		if pg := h.pages[i]; pg != nil && pg.lo[m&(pageSize-1)] < math.MaxUint16 {
			pg.lo[m&(pageSize-1)]++
			return
		}
	}
	if m < denseMinutes && h.page(int(m>>pageBits)).inc(int(m&(pageSize-1))) {
		return
	}
	if h.sparse == nil {
		h.sparse = make(map[int64]uint64)
	}
	h.sparse[m]++
}

// page returns page i, allocating it (and growing the page table) when it
// does not exist yet.
func (h *hist) page(i int) *page {
	if i < len(h.pages) {
		if pg := h.pages[i]; pg != nil {
			return pg
		}
	} else {
		h.pages = append(h.pages, make([]*page, i+1-len(h.pages))...)
	}
	pg := new(page)
	h.pages[i] = pg
	return pg
}

// merge adds o's counts to h.
func (h *hist) merge(o *hist) {
	if h == o {
		o = h.clone()
	}
	h.flush()
	for _, m := range o.queue[:o.queued] {
		h.count(m)
	}
	for i, opg := range o.pages {
		if opg == nil {
			continue
		}
		pg := h.page(i)
		for j := range opg.lo {
			c := opg.get(j)
			if c == 0 || pg.addCount(j, c) {
				continue
			}
			if h.sparse == nil {
				h.sparse = make(map[int64]uint64)
			}
			h.sparse[int64(i<<pageBits+j)] += c
		}
	}
	if len(o.sparse) > 0 && h.sparse == nil {
		h.sparse = make(map[int64]uint64, len(o.sparse))
	}
	for m, c := range o.sparse {
		h.sparse[m] += c
	}
	h.n += o.n
}

// clone returns a deep copy of h.
func (h *hist) clone() *hist {
	c := &hist{n: h.n, pages: make([]*page, len(h.pages)), queue: h.queue, queued: h.queued}
	for i, pg := range h.pages {
		if pg != nil {
			cp := &page{lo: pg.lo}
			if pg.hi != nil {
				hi := *pg.hi
				cp.hi = &hi
			}
			c.pages[i] = cp
		}
	}
	if h.sparse != nil {
		c.sparse = make(map[int64]uint64, len(h.sparse))
		for m, n := range h.sparse {
			c.sparse[m] = n
		}
	}
	return c
}

// outside returns the counts that are not in the pages: those of the map,
// and the queued durations, counted in a map of its own when any are
// queued, so that h is left as it is.
func (h *hist) outside() map[int64]uint64 {
	if h.queued == 0 {
		return h.sparse
	}
	m := make(map[int64]uint64, len(h.sparse)+h.queued)
	for k, c := range h.sparse {
		m[k] = c
	}
	for _, k := range h.queue[:h.queued] {
		m[k]++
	}
	return m
}

func sortedKeys(m map[int64]uint64) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ranks returns the values at ranks ks (0-based positions in the sorted
// measurements, each in [0, n), ascending) in one pass.
func (h *hist) ranks(ks []int64) []int64 {
	out := make([]int64, len(ks))
	if len(ks) == 0 {
		return out
	}
	sparse := h.outside()
	keys := sortedKeys(sparse)
	var seen uint64 // measurements counted so far
	j, si := 0, 0
	emit := func(v int64, c uint64) bool {
		seen += c
		for j < len(ks) && uint64(ks[j]) < seen {
			out[j] = v
			j++
		}
		return j == len(ks)
	}
	for i, pg := range h.pages {
		if pg == nil {
			continue
		}
		base := int64(i) << pageBits
		for k := range pg.lo {
			c := pg.get(k)
			m := base + int64(k)
			// Sparse keys here are overflow of a page counter, or of a
			// counter of an earlier page: they come in order.
			for si < len(keys) && keys[si] < m {
				if emit(keys[si], sparse[keys[si]]) {
					return out
				}
				si++
			}
			total := c
			if si < len(keys) && keys[si] == m {
				total += sparse[m]
				si++
			}
			if total != 0 && emit(m, total) {
				return out
			}
		}
	}
	for ; si < len(keys); si++ {
		if emit(keys[si], sparse[keys[si]]) {
			return out
		}
	}
	return out
}

// Distribution summarises a set of durations exactly. Each duration is
// measured in whole minutes (truncated), see the package documentation.
//
// The median of an odd count is the middle value; of an even count, the
// mean of the two middle values. A percentile p (0 to 100) interpolates
// linearly between the two measurements that surround rank (n−1)×p/100 in
// the sorted list (the definition of Excel's PERCENTILE.INC and of numpy's
// default), so the 50th percentile is the median, the 0th the minimum and the
// 100th the maximum. Both are exact: a duration in minutes times a multiple of
// 1/100 is a whole number of nanoseconds.
//
// Over no durations the median and percentiles are undefined: Median is nil
// and Percentiles empty.
type Distribution struct {
	Count       int64          `json:"count"`
	Median      *time.Duration `json:"median"`
	Percentiles []Percentile   `json:"percentiles,omitempty"`
}

// Percentile is the P-th percentile of a [Distribution]. In JSON the value is
// in nanoseconds, as encoding/json writes a [time.Duration].
type Percentile struct {
	P     int           `json:"p"`
	Value time.Duration `json:"value"`
}

// distribution computes the median and the percentiles ps of h.
func (h *hist) distribution(ps []int) Distribution {
	out := Distribution{Count: h.n}
	if h.n <= 0 {
		return out
	}
	all := append([]int{50}, ps...)
	type need struct{ lo, rem int64 }
	needs := make([]need, len(all))
	ks := make([]int64, 0, 2*len(all))
	for i, p := range all {
		// (n−1)×p/100, without overflow.
		hi, lo := bits.Mul64(uint64(h.n-1), uint64(p))
		q, r := bits.Div64(hi, lo, 100)
		needs[i] = need{lo: int64(q), rem: int64(r)}
		ks = append(ks, int64(q))
		if r != 0 {
			ks = append(ks, int64(q)+1)
		}
	}
	slices.Sort(ks)
	ks = slices.Compact(ks)
	vals := h.ranks(ks)
	value := func(k int64) int64 {
		i, _ := slices.BinarySearch(ks, k)
		return vals[i]
	}
	for i, nd := range needs {
		a := value(nd.lo)
		v := time.Duration(a) * time.Minute
		if nd.rem != 0 {
			b := value(nd.lo + 1)
			v += time.Duration(b-a) * time.Duration(nd.rem) * (time.Minute / 100)
		}
		if i == 0 {
			out.Median = &v
			continue
		}
		out.Percentiles = append(out.Percentiles, Percentile{P: all[i], Value: v})
	}
	return out
}

// checkPercentiles validates the percentiles a caller asks for.
func checkPercentiles(field string, ps []int) []error {
	var errs []error
	for i, p := range ps {
		if p < 0 || p > 100 {
			errs = append(errs, invalidf(fmt.Sprintf("%s[%d]", field, i), "must be between 0 and 100; got %d", p))
		}
	}
	return errs
}
