package csvmap_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/csvmap"
)

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	// Times come back as the wall clock in ny, written in UTC, so that
	// durations are calendar time across daylight-saving changes.
	wall := func(y int, m time.Month, d, h, min, sec, ns int) time.Time {
		return time.Date(y, m, d, h, min, sec, ns, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-31", wall(2024, 3, 31, 0, 0, 0, 0)},
		{" 2024/03/31 ", wall(2024, 3, 31, 0, 0, 0, 0)},
		{"2024-03-31T14:05:00Z", wall(2024, 3, 31, 10, 5, 0, 0)},         // 10:05 EDT
		{"2024-03-31T14:05:00.5+02:00", wall(2024, 3, 31, 8, 5, 0, 5e8)}, // 08:05 EDT
		{"2024-03-31T14:05", wall(2024, 3, 31, 14, 5, 0, 0)},
		{"2024-04-09 21:32:09", wall(2024, 4, 9, 21, 32, 9, 0)},
		{"2024-04-09 21:32:09.123456", wall(2024, 4, 9, 21, 32, 9, 123456000)},
		{"3/31/2024", wall(2024, 3, 31, 0, 0, 0, 0)},
		{"3/31/2024 2:05 PM", wall(2024, 3, 31, 14, 5, 0, 0)},
		{"31.3.2024", wall(2024, 3, 31, 0, 0, 0, 0)},
		{"31 Mar 2024", wall(2024, 3, 31, 0, 0, 0, 0)},
		{"March 31, 2024", wall(2024, 3, 31, 0, 0, 0, 0)},
	}
	for _, tt := range tests {
		got, err := csvmap.ParseTime(tt.in, ny)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q): got %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// Across the spring-forward change, 1 to 20 March is 19 days.
	from, _ := csvmap.ParseTime("2024-03-01", ny)
	to, _ := csvmap.ParseTime("2024-03-20", ny)
	if d := to.Sub(from); d != 19*24*time.Hour {
		t.Errorf("1 to 20 March 2024 in New York: %v; want 456h (19 days)", d)
	}
	for _, bad := range []string{"", "31/3/2024", "2024-02-30", "yesterday", "0001-01-01", "3000-01-01", "2024-03-31T25:00"} {
		if got, err := csvmap.ParseTime(bad, ny); err == nil {
			t.Errorf("ParseTime(%q): got %v, want an error", bad, got)
		}
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in, cur string
		want    string // "" for unset
		err     string
	}{
		{"", "USD", "", ""},
		{"  ", "USD", "", ""},
		{"1200.50", "USD", "1200.50", ""},
		{"$1,200.50", "USD", "1200.50", ""},
		{"1,234,567", "CAD", "1234567", ""},
		{"USD 99", "USD", "99", ""},
		{"99 usd", "USD", "99", ""},
		{"€ 10,5", "EUR", "", `must be an amount such as 1200.50 or $1,200.50; got "€ 10,5"`},
		{"10 €", "EUR", "10", ""},
		{"£3", "USD", "", `"£3" is in £, but the report is in USD`},
		{"-5", "USD", "", `must not be negative; got "-5"`},
		{"$-5", "USD", "", `must not be negative; got "$-5"`},
		{"12,34", "USD", "", `must be an amount such as 1200.50 or $1,200.50; got "12,34"`},
		{"1234,567", "USD", "", `must be an amount such as 1200.50 or $1,200.50; got "1234,567"`},
		{"1.", "USD", "", `must be an amount such as 1200.50 or $1,200.50; got "1."`},
		{"1e5", "USD", "", `must be an amount such as 1200.50 or $1,200.50; got "1e5"`},
		{"$$5", "USD", "", `must be an amount such as 1200.50 or $1,200.50; got "$$5"`},
	}
	for _, tt := range tests {
		got, err := csvmap.ParseValue(tt.in, accord.Currency(tt.cur))
		if fmt.Sprint(err) != cmpOr(tt.err) {
			t.Errorf("ParseValue(%q, %s): got error %v, want %s", tt.in, tt.cur, err, cmpOr(tt.err))
			continue
		}
		if tt.err != "" {
			continue
		}
		want := accord.Money{}
		if tt.want != "" {
			want = accord.Money{Amount: mustDec(tt.want), Currency: accord.Currency(tt.cur)}
		}
		if !got.Equal(want) || got.IsSet() != want.IsSet() {
			t.Errorf("ParseValue(%q, %s): got %v, want %v", tt.in, tt.cur, got, want)
		}
	}
}

func cmpOr(s string) string {
	if s == "" {
		return "<nil>"
	}
	return s
}

// TestParseValueProperty checks that any non-negative amount, written with
// or without thousands separators, a symbol or the currency code, reads
// back as the same amount.
func TestParseValueProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		units := rapid.Int64Range(0, 1e12).Draw(t, "units")
		cents := rapid.Int64Range(0, 99).Draw(t, "cents")
		want := decimal.New(units*100+cents, -2)
		text := fmt.Sprint(units)
		if rapid.Bool().Draw(t, "grouped") {
			var b strings.Builder
			for i, r := range text {
				if i > 0 && (len(text)-i)%3 == 0 {
					b.WriteByte(',')
				}
				b.WriteRune(r)
			}
			text = b.String()
		}
		text += fmt.Sprintf(".%02d", cents)
		switch rapid.IntRange(0, 3).Draw(t, "decoration") {
		case 1:
			text = "$" + text
		case 2:
			text = "USD " + text
		case 3:
			text = text + " $"
		}
		got, err := csvmap.ParseValue(text, "USD")
		if err != nil {
			t.Fatalf("ParseValue(%q): %v", text, err)
		}
		if !got.Amount.Equal(want) || got.Currency != "USD" {
			t.Fatalf("ParseValue(%q): got %v, want %s USD", text, got, want)
		}
	})
}

// TestParseTimeProperty checks that a date written in each layout family
// reads back as the same day in the location.
func TestParseTimeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 400*365).Draw(t, "day"))
		layout := rapid.SampledFrom([]string{"2006-01-02", "1/2/2006", "2.1.2006", "2 Jan 2006", "January 2, 2006", "2006/01/02"}).Draw(t, "layout")
		got, err := csvmap.ParseTime(day.Format(layout), time.UTC)
		if err != nil || !got.Equal(day) {
			t.Fatalf("ParseTime(%q): got %v, %v; want %v", day.Format(layout), got, err, day)
		}
	})
}

func TestDatesFormats(t *testing.T) {
	d := csvmap.Dates{Formats: []string{"02/01/2006", time.DateOnly}}
	for in, want := range map[string]time.Time{
		"31/03/2024": time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC),
		"2024-02-29": time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := d.Parse(in); err != nil || !got.Equal(want) {
			t.Errorf("Parse(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	_, err := d.Parse("3/31/2024")
	if want := `must be a date in the format "02/01/2006", "2006-01-02"; got "3/31/2024"`; fmt.Sprint(err) != want {
		t.Errorf("Parse(3/31/2024): got %v, want %s", err, want)
	}
	if _, err := d.Parse("2023-02-29"); err == nil {
		t.Error("Parse(2023-02-29): got no error for a day that does not exist")
	}
}

// TestValuesManyAmounts checks that a Values reads more distinct amounts
// than it keeps (70,000, read twice, in an order that steps through them)
// exactly as ParseValue does, through the growth of its index and past
// the amounts it keeps, and that the first amount, read again at the
// end, is read without allocating.
func TestValuesManyAmounts(t *testing.T) {
	const n = 70_000
	for _, step := range []int{1, 4099, 65_537} { // coprime with n
		for _, places := range []string{"", ".50", ".125"} {
			v := csvmap.NewValues("USD")
			for round := range 2 {
				for i := range n {
					s := fmt.Sprintf("%d%s", (i*step)%n, places)
					got, err := v.Parse(s)
					want, wantErr := csvmap.ParseValue(s, "USD")
					if err != nil || wantErr != nil {
						t.Fatalf("Parse(%q): %v; ParseValue: %v", s, err, wantErr)
					}
					if got.Currency != want.Currency || got.Amount.Exponent() != want.Amount.Exponent() ||
						got.Amount.Coefficient().Cmp(want.Amount.Coefficient()) != 0 {
						t.Fatalf("step %d, round %d: Parse(%q) = %s, ParseValue's %s", step, round, s, got.Amount.String(), want.Amount.String())
					}
				}
			}
			first := []byte("0" + places)
			if a := testing.AllocsPerRun(100, func() { _, _ = v.ParseBytes(first) }); a != 0 {
				t.Fatalf("step %d: ParseBytes(%q), kept: %v allocations; want 0", step, first, a)
			}
		}
	}
}

// TestValuesProperty checks that a Values reads every string, plain
// amounts and others, read once or again, exactly as ParseValue does: the
// same amount in the same representation, or the same error.
func TestValuesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := accord.Currency(rapid.SampledFrom([]string{"USD", "EUR", "JPY", "XXX", "", "usd"}).Draw(t, "currency"))
		v := csvmap.NewValues(cur)
		plain := rapid.StringMatching(`[0-9]{1,20}(\.[0-9]{1,20})?`)
		other := rapid.SampledFrom([]string{"", "  ", " 12 ", "$1,200.50", "USD 99", "€ 10", "-5", "1.", ".5", "1e5", "0", "00.10", "12,34", "9999999999999999999"})
		seen := []string{}
		for i := range rapid.IntRange(1, 40).Draw(t, "n") {
			var s string
			switch {
			case i > 0 && rapid.IntRange(0, 2).Draw(t, "again") == 0:
				s = rapid.SampledFrom(seen).Draw(t, "repeat")
			case rapid.Bool().Draw(t, "plain"):
				s = plain.Draw(t, "amount")
			default:
				s = other.Draw(t, "other")
			}
			seen = append(seen, s)
			got, gotErr := v.Parse(s)
			want, wantErr := csvmap.ParseValue(s, cur)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("Parse(%q) in %q: error %v, ParseValue's %v", s, cur, gotErr, wantErr)
			}
			if got.Currency != want.Currency || got.Amount.Exponent() != want.Amount.Exponent() ||
				got.Amount.Coefficient().Cmp(want.Amount.Coefficient()) != 0 || got.IsSet() != want.IsSet() {
				t.Fatalf("Parse(%q) in %q: %v (%s), ParseValue's %v (%s)", s, cur, got, got.Amount.String(), want, want.Amount.String())
			}
		}
	})
}

// TestISODateProperty checks the arithmetic of the plain ISO date reader
// against the time package, days that do not exist included.
func TestISODateProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(1890, 3005).Draw(t, "year")
		m := rapid.IntRange(0, 13).Draw(t, "month")
		d := rapid.IntRange(0, 32).Draw(t, "day")
		s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		got, err := csvmap.Dates{Formats: []string{time.DateOnly}}.Parse(s)
		want, werr := time.Parse(time.DateOnly, s)
		if werr != nil || y < 1900 || y > 2999 {
			if err == nil {
				t.Fatalf("Parse(%q): got %v, want an error", s, got)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("Parse(%q): got %#v, %v; want %#v", s, got, err, want)
		}
	})
}
