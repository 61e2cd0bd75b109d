// Package zone compares time zones for the calculators that reckon days in
// one: two accumulators merge only when they count in the same zone.
package zone

import "time"

// Same reports whether a and b are the same time zone: the same location,
// or the same name and the same offsets at instants that tell zones apart
// (two unnamed fixed zones share the name "").
func Same(a, b *time.Location) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.String() != b.String() {
		return false
	}
	for _, unix := range []int64{0, 946684800, 962409600, 1893456000, 1909094400} { // 1970, 2000 and 2030, winter and summer
		t := time.Unix(unix, 0)
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}
