package adoption_test

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/adoption"
	"github.com/accordhq/accord/metrics/internal/calctest"
	"pgregory.net/rapid"
)

func genRecord() *rapid.Generator[adoption.Record] {
	return rapid.Custom(func(t *rapid.T) adoption.Record {
		return adoption.Record{
			ID:            rapid.SampledFrom([]string{"", "r1", "r2", "r3", "r4", "r5", "r6"}).Draw(t, "id"),
			Name:          rapid.SampledFrom([]string{"", "Acme", "ACME, Inc.", "acme co", "Globex Ltd", "The Globex"}).Draw(t, "name"),
			Email:         rapid.SampledFrom([]string{"", "a@acme.com", " A@Acme.com ", "b@acme.com", "bad"}).Draw(t, "email"),
			Phone:         rapid.SampledFrom([]string{"", "+1 415 555 0100", "(415) 555-0100", "1-415-555-0100", "020 7946 0018", "+44 20 7946 0018", "555"}).Draw(t, "phone"),
			LastEngagedAt: rapid.SampledFrom([]time.Time{{}, t0, t0.AddDate(-1, 0, 0), t0.AddDate(-1, 0, 1)}).Draw(t, "engaged"),
		}
	})
}

func recordCalcs() []calctest.Calc[adoption.Record] {
	return []calctest.Calc[adoption.Record]{
		calctest.Of("Duplicates", genRecord(), func(*rapid.T) (*adoption.Duplicates, error) {
			return adoption.NewDuplicates(adoption.DuplicateOptions{CountryCode: "1"})
		}, (*adoption.Duplicates).Add),
		calctest.Of("Stale", genRecord(), func(*rapid.T) (*adoption.Stale, error) {
			return adoption.NewStale(adoption.StaleOptions{Now: t0, Location: time.UTC})
		}, (*adoption.Stale).Add),
	}
}

func activityCalc() calctest.Calc[deal.Activity] {
	gen := rapid.Custom(func(t *rapid.T) deal.Activity {
		return deal.Activity{
			By: rapid.SampledFrom([]string{"", "u-1", "u-2", "u-3"}).Draw(t, "by"),
			At: t0.Add(time.Duration(rapid.Int64Range(-int64(2*day), int64(30*day)).Draw(t, "at"))),
		}
	})
	return calctest.Of("Activity", gen, func(*rapid.T) (*adoption.Activity, error) {
		return adoption.NewActivity(adoption.ActivityOptions{From: t0, To: t0.Add(28 * day), Location: time.UTC, Reps: []string{"u-1", "u-9"}})
	}, (*adoption.Activity).Add)
}

// TestMergeLaws checks the merge laws of every accumulator of the package.
func TestMergeLaws(t *testing.T) {
	for _, c := range recordCalcs() {
		calctest.CheckMergeLaws(t, c)
	}
	calctest.CheckMergeLaws(t, activityCalc())
}
