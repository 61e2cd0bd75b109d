package jsonobj_test

import (
	"testing"

	"github.com/accordhq/accord/internal/jsonobj"
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
	} {
		if diff := cmp.Diff(tc.want, jsonobj.Repeated([]byte(tc.in))); diff != "" {
			t.Errorf("Repeated(%s) (-want +got):\n%s", tc.in, diff)
		}
	}
}
