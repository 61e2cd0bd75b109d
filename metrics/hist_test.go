package metrics

import (
	"math"
	"testing"
)

// TestHistOverflow: counters carry from 16 to 48 bits, a counter that
// would pass 48 bits spills into the map, and the counts stay exact, in add
// and in merge.
func TestHistOverflow(t *testing.T) {
	var h hist
	for range 70000 {
		h.add(3)
	}
	if got := h.pages[0].get(3); got != 70000 || h.pages[0].hi == nil {
		t.Fatalf("count after 70000 adds = %d, want 70000 carried into hi", got)
	}
	h = hist{}
	h.add(5)
	pg := h.pages[0]
	pg.hi = new([pageSize]uint32)
	pg.hi[5], pg.lo[5] = math.MaxUint32, math.MaxUint16-1
	const full = uint64(math.MaxUint32)<<16 + math.MaxUint16 // the most a page counts
	h.n = int64(full - 1)
	h.add(5) // reaches full
	h.add(5) // spills
	h.add(4)
	if got := h.sparse[5]; got != 1 {
		t.Fatalf("spilled count = %d, want 1", got)
	}
	n := h.n
	if got := h.ranks([]int64{0, 1, n - 1}); got[0] != 4 || got[1] != 5 || got[2] != 5 {
		t.Errorf("ranks = %v, want [4 5 5]", got)
	}
	var g hist
	g.add(5)
	g.add(denseMinutes + 7)
	h.merge(&g)
	if got := h.sparse[5]; got != 2 {
		t.Errorf("after merge, spilled count = %d, want 2", got)
	}
	if got := h.ranks([]int64{h.n - 2, h.n - 1}); got[0] != 5 || got[1] != denseMinutes+7 {
		t.Errorf("top ranks = %v, want [5 %d]", got, denseMinutes+7)
	}
	before := h.ranks([]int64{0, h.n - 1})
	n = h.n
	h.merge(&h)
	if got := h.sparse[denseMinutes+7]; got != 2 {
		t.Errorf("self-merge: long duration counted %d times, want 2", got)
	}
	// Every count doubled: 5 was counted full + 2 times.
	if total := h.pages[0].get(5) + h.sparse[5]; h.n != 2*n || total != 2*(full+2) {
		t.Errorf("self-merge: n = %d, count of 5 = %d; want %d, %d", h.n, total, 2*n, 2*(full+2))
	}
	if got := h.ranks([]int64{0, 2*n - 5, 2*n - 1}); got[0] != before[0] || got[1] != 5 || got[2] != before[1] {
		t.Errorf("self-merge ranks = %v", got)
	}
}
