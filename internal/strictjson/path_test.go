package strictjson_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/accordhq/accord/internal/strictjson"
	"github.com/google/go-cmp/cmp"
)

func TestRepeated(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`{}`, nil},
		{`{"a":1,"b":{"a":1,"a":2}}`, nil}, // nested objects are their own
		{`{"a":1,"b":2,"a":3,"b":[4],"a":5,"":1,"":2}`, []string{"a", "b", ""}},
		{`[1,2]`, nil},
		{`null`, nil},
		{`{"a":1,"a":`, nil},
		{`not json`, nil},
		{`{"\u0061":1,"a":2}`, []string{"a"}}, // keys compare decoded
		{`{"a":1,"a":2`, nil},                 // not well-formed
		{`{"a":1,"a":2} x`, nil},
	} {
		if diff := cmp.Diff(tc.want, strictjson.Repeated([]byte(tc.in))); diff != "" {
			t.Errorf("Repeated(%s) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// object returns a JSON object of n keys, each given twice.
func object(n int) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"k%d":1,"k%d":2,`, i, i)
	}
	b.WriteString(`"end":0}`)
	return []byte(b.String())
}

// BenchmarkRepeated runs on objects of 2,000 and 16,000 repeated keys: the
// time per key stays the same when the work is linear.
func BenchmarkRepeated(b *testing.B) {
	for _, n := range []int{2000, 16000} {
		raw := object(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := len(strictjson.Repeated(raw)); got != n {
					b.Fatalf("%d repeated keys, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}

func TestPath(t *testing.T) {
	for _, tc := range []struct{ path, k, want string }{
		{"", "stages", "stages"},
		{"stages[0]", "exit", "stages[0].exit"},
		{"", "a b", `["a b"]`},
		{"policies[0]", "", `policies[0][""]`},
		{"p", "é", `p["é"]`},
		{"p", "a.b", `p["a.b"]`},
		{"p", "Month_2", "p.Month_2"},
	} {
		if got := strictjson.Path(tc.path, tc.k); got != tc.want {
			t.Errorf("Path(%q, %q) = %s, want %s", tc.path, tc.k, got, tc.want)
		}
	}
}
