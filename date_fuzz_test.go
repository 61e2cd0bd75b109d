package accord_test

import (
	"encoding/json"
	"testing"

	"github.com/accordhq/accord"
)

// FuzzDate: a date decodes only from "YYYY-MM-DD" naming a real day, and
// then encodes back to the same text.
func FuzzDate(f *testing.F) {
	for _, s := range []string{`"2028-02-29"`, `"2027-02-29"`, `null`, `"0000-01-01"`, `"9999-12-31"`, `"2028-13-01"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d accord.Date
		if err := d.UnmarshalJSON(data); err != nil {
			return
		}
		enc, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%s decoded to %v, which does not encode: %v", data, d, err)
		}
		if string(enc) != string(data) && !(d.IsZero() && string(enc) == "null") {
			t.Fatalf("%s encodes back as %s", data, enc)
		}
	})
}
