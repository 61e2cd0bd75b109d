package accord_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on any machine

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/datetest"
	"pgregory.net/rapid"
)

func TestDateArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := datetest.Gen(1, 9900).Draw(t, "d")
		n := rapid.IntRange(-400, 400).Draw(t, "n")
		if got, want := d.AddDays(n), datetest.Walk(d, n); got != want {
			t.Fatalf("%s.AddDays(%d) = %s; want %s", d, n, got, want)
		}
		if got := d.DaysUntil(datetest.Walk(d, n)); got != n {
			t.Fatalf("%s.DaysUntil(%s) = %d; want %d", d, datetest.Walk(d, n), got, n)
		}
		m := rapid.IntRange(0, 60).Draw(t, "months")
		if got, want := d.AddMonths(m), datetest.Anniversary(d, m); got != want {
			t.Fatalf("%s.AddMonths(%d) = %s; want %s", d, m, got, want)
		}
		if !d.Valid() || d.AddMonths(m).Compare(d) < 0 {
			t.Fatalf("%s: valid %v, AddMonths(%d) before it", d, d.Valid(), m)
		}
	})
}

// TestDateInGap: a day whose midnight falls in a daylight-saving gap begins
// when the gap ends.
func TestDateInGap(t *testing.T) {
	santiago, _ := time.LoadLocation("America/Santiago")
	got := accord.MakeDate(2021, 9, 5).In(santiago)
	if want := time.Date(2021, 9, 5, 4, 0, 0, 0, time.UTC); !got.Equal(want) || got.Hour() != 1 {
		t.Errorf("2021-09-05 in Santiago begins at %s; want %s (01:00 local)", got, want)
	}
}

func TestDaysUntilFarApart(t *testing.T) {
	a, b := accord.MakeDate(1, 1, 1), accord.MakeDate(9999, 12, 31)
	if got := a.DaysUntil(b); got != 3652058 {
		t.Errorf("days from 0001-01-01 to 9999-12-31: %d; want 3652058", got)
	}
	if got := b.DaysUntil(a); got != -3652058 {
		t.Errorf("back: %d", got)
	}
}

func TestDateJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want accord.Date
		ok   bool
	}{
		{`"2028-02-29"`, accord.MakeDate(2028, 2, 29), true},
		{`null`, accord.Date{}, true},
		{`"2027-02-29"`, accord.Date{}, false},
		{`"2028-2-9"`, accord.Date{}, false},
		{`"2028-02-29T00:00:00Z"`, accord.Date{}, false},
		{`20280229`, accord.Date{}, false},
	} {
		var d accord.Date
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err == nil) != tt.ok || d != tt.want {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v, ok %v", tt.in, d, err, tt.want, tt.ok)
		}
	}
	if _, err := json.Marshal(accord.Date{Year: 2027, Month: 2, Day: 29}); err == nil {
		t.Error("Marshal of 2027-02-29 succeeded; want an error")
	}
}

// TestDateString: String writes the fields as fmt's "%04d-%02d-%02d" does,
// for any fields, and the zero Date as "".
func TestDateString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := accord.Date{
			Year:  rapid.IntRange(-20000, 20000).Draw(t, "year"),
			Month: time.Month(rapid.IntRange(-5, 120).Draw(t, "month")),
			Day:   rapid.IntRange(-5, 120).Draw(t, "day"),
		}
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		if d.IsZero() {
			want = ""
		}
		if got := d.String(); got != want {
			t.Fatalf("%#v.String() = %q; want %q", d, got, want)
		}
	})
}
