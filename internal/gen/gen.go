// Package gen holds the rapid generators that more than one package's tests
// draw from: arbitrary times, amounts and lists, with the edge cases a
// decoder or a validator must survive (zero times, unset money, nil and
// empty lists alike). It is imported by tests only.
package gen

import (
	"time"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Time draws a zero time one time in ten, else any instant of the years 1
// to 9999 in a fixed zone of any minute offset up to 14 hours either way.
func Time() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		if rapid.IntRange(0, 9).Draw(t, "zero_time") == 0 {
			return time.Time{}
		}
		sec := rapid.Int64Range(-62135596800, 253402300799).Draw(t, "unix") // years 1 to 9999
		nsec := rapid.Int64Range(0, 999999999).Draw(t, "nsec")
		offset := rapid.IntRange(-14*60, 14*60).Draw(t, "offset_minutes") * 60
		loc := time.UTC
		if offset != 0 {
			loc = time.FixedZone("", offset)
		}
		tm := time.Unix(sec, nsec).In(loc)
		if tm.Year() < 1 || tm.Year() > 9999 {
			return time.Unix(sec, nsec).UTC()
		}
		return tm
	})
}

// Money draws unset money half the time, else an amount of any sign and of
// scales -6 to 6 in one of a few currencies, JPY and KWD among them.
func Money() *rapid.Generator[accord.Money] {
	return rapid.Custom(func(t *rapid.T) accord.Money {
		if rapid.Bool().Draw(t, "unset") {
			return accord.Money{}
		}
		return accord.Money{
			Amount:   decimal.New(rapid.Int64Range(-1e15, 1e15).Draw(t, "coef"), int32(rapid.IntRange(-6, 6).Draw(t, "exp"))),
			Currency: rapid.SampledFrom([]accord.Currency{"USD", "EUR", "INR", "JPY", "KWD"}).Draw(t, "currency"),
		}
	})
}

// Slice draws nil, an empty list or one to four elements of g: nil and
// empty are different contents to a round trip.
func Slice[T any](g *rapid.Generator[T]) *rapid.Generator[[]T] { return SliceN(g, 4) }

// SliceN draws nil one time in four, an empty list one time in four, and
// otherwise one to n elements of g; n must be at least 1. Half the lists
// have elements, so that a value with two lists (a quote's lines and
// discounts) has both filled one time in four.
func SliceN[T any](g *rapid.Generator[T], n int) *rapid.Generator[[]T] {
	return rapid.Custom(func(t *rapid.T) []T {
		switch rapid.IntRange(0, 3).Draw(t, "slice_kind") {
		case 0:
			return nil
		case 1:
			return []T{}
		}
		return rapid.SliceOfN(g, 1, n).Draw(t, "items")
	})
}
