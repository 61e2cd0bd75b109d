// Package zone compares time zones for the calculators that reckon days in
// one: two accumulators merge only when they count in the same zone.
package zone

import (
	"strconv"
	"strings"
	"time"
)

// instants tell zones apart: 1970, 2000 and 2030, winter and summer.
var instants = []int64{0, 946684800, 962409600, 1893456000, 1909094400}

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
	for _, unix := range instants {
		t := time.Unix(unix, 0)
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// Describe names loc for a partial read in another process: its name and
// its offsets at the instants Same compares, so that two descriptions are
// equal when Same would hold.
func Describe(loc *time.Location) string {
	if loc == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(loc.String())
	for i, unix := range instants {
		_, off := time.Unix(unix, 0).In(loc).Zone()
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(",")
		}
		b.WriteString(strconv.Itoa(off))
	}
	return b.String()
}
