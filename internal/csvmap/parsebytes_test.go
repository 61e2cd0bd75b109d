package csvmap_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/csvmap"
)

// TestValuesParseBytesProperty checks that ParseBytes reads what Parse
// reads, the same amount in the same representation or the same error,
// over enough distinct amounts to grow the table of those kept, read
// once or again.
func TestValuesParseBytesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := accord.Currency(rapid.SampledFrom([]string{"USD", "JPY", "XXX", ""}).Draw(t, "currency"))
		v, ref := csvmap.NewValues(cur), csvmap.NewValues(cur)
		amount := rapid.OneOf(
			rapid.StringMatching(`[0-9]{1,20}(\.[0-9]{1,20})?`),
			rapid.Custom(func(t *rapid.T) string { return fmt.Sprint(rapid.IntRange(0, 3000).Draw(t, "n")) }),
			rapid.SampledFrom([]string{"", "  ", " 12 ", "\t7.5\n", "$1,200.50", "USD 99", "-5", "1.", ".5", "1e5", "00.10", "\u00a012"}),
		)
		for _, s := range rapid.SliceOfN(amount, 1, 3000).Draw(t, "amounts") {
			got, gotErr := v.ParseBytes([]byte(s))
			want, wantErr := ref.Parse(s)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("ParseBytes(%q) in %q: error %v, Parse's %v", s, cur, gotErr, wantErr)
			}
			if got.Currency != want.Currency || got.Amount.Exponent() != want.Amount.Exponent() ||
				got.Amount.Coefficient().Cmp(want.Amount.Coefficient()) != 0 || got.IsSet() != want.IsSet() {
				t.Fatalf("ParseBytes(%q) in %q: %v, Parse's %v", s, cur, got, want)
			}
		}
	})
}

// TestDatesParseBytesProperty checks that ParseBytes, with and without a
// cache, reads what Parse reads: the same time or the same error, for
// plain dates that exist and that do not, spaced, in any formats and
// zone, read once or again.
func TestDatesParseBytesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		formats := rapid.SampledFrom([][]string{nil, {time.DateOnly}, {"02/01/2006", time.DateOnly}, {"2006-02-01"}}).Draw(t, "formats")
		loc := rapid.SampledFrom([]*time.Location{nil, time.UTC, time.FixedZone("east", 5*3600)}).Draw(t, "location")
		plain := csvmap.Dates{Formats: formats, Location: loc}
		cached := plain.Cached()
		date := rapid.OneOf(
			rapid.Custom(func(t *rapid.T) string {
				return fmt.Sprintf("%04d-%02d-%02d", rapid.IntRange(1890, 3005).Draw(t, "year"),
					rapid.IntRange(0, 13).Draw(t, "month"), rapid.IntRange(0, 99).Draw(t, "day"))
			}),
			rapid.SampledFrom([]string{" 2024-03-31 ", "2024-3-31", "2024-03-31T10:00:00Z", "31/03/2024", "2024-1x-01", "", "2024-02-30",
				"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", "1970-01-01"}),
			rapid.StringN(10, 10, 10),
		)
		for _, s := range rapid.SliceOfN(date, 1, 200).Draw(t, "dates") {
			want, wantErr := plain.Parse(s)
			for name, d := range map[string]csvmap.Dates{"plain": plain, "cached": cached} {
				got, err := d.ParseBytes([]byte(s))
				if fmt.Sprint(err) != fmt.Sprint(wantErr) || got != want {
					t.Fatalf("%s ParseBytes(%q) with %q in %v: %#v, %v; Parse's %#v, %v", name, s, formats, loc, got, err, want, wantErr)
				}
			}
		}
	})
}

// TestParseBytesAllocations checks that a plain date and a plain amount,
// once seen, are read without allocating.
func TestParseBytesAllocations(t *testing.T) {
	d := csvmap.Dates{Formats: []string{time.DateOnly}}.Cached()
	v := csvmap.NewValues("USD")
	date, amount := []byte("2024-03-31"), []byte("1200.50")
	if _, err := v.ParseBytes(amount); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(100, func() {
		if _, err := d.ParseBytes(date); err != nil {
			t.Fatal(err)
		}
		if _, err := v.ParseBytes(amount); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("reading a date and an amount: %v allocations, want 0", n)
	}
}
