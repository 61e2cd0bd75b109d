package deal_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/google/go-cmp/cmp"
)

// FuzzDealJSON decodes arbitrary input as a Deal. Whatever decodes must
// encode again and decode to an equal value, and no operation of the
// package may panic on it.
func FuzzDealJSON(f *testing.F) {
	p := deal.Default()
	d, at := openAt(p, deal.StageHandoff, t0)
	_ = d.SetCloseDate(at.AddDate(0, 1, 0), rep, at)
	_ = p.Lose(&d, deal.LossPrice, "", rep, at)
	full, _ := json.Marshal(d)
	f.Add(full)
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"id":"d","stage":"lost","history":[{"kind":"lost","to":"lost"}]}`,
		`{"id":"d","stage":"proposal","history":[{"at":"2026-01-01T00:00:00Z","to":"proposal"}],"stage_entered_at":"9999-12-31T23:59:59Z"}`,
		`{"value":{"amount":"1e-2147483648","currency":"USD"}}`,
		`{"value":{"amount":"12.50","currency":"usd"}}`,
		`{"stage":"lost","loss":{"stage":"nowhere"},"history":[{"to":"lost"}]}`,
		// Found by TestNoPanics: a loss recorded at a terminal stage made
		// Moves index past the open stages.
		`{"stage":"lost","loss":{"stage":"live"},"history":[{"to":"lost"}]}`,
		`{"stage":"lost","history":[{"kind":"lost","from":"live","to":"lost"}]}`,
		`{"fields":{"a":"b"},"stakeholders":[{"role":"champion","engaged":true}],"next_step":{"at":"0001-01-01T00:00:00Z"}}`,
		`{"close_date_changes":[{"from":"2026-01-01T00:00:00Z","to":"2025-01-01T00:00:00+05:30"}]}`,
	} {
		f.Add([]byte(s))
	}
	actor := accord.Actor{ID: "u", Role: accord.RoleAdmin}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d deal.Deal
		if err := json.Unmarshal(data, &d); err != nil {
			return
		}
		back := jsontest.Copy(t, d)
		if diff := cmp.Diff(d, back); diff != "" {
			t.Fatalf("round trip differs (-first +second):\n%s", diff)
		}
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		_ = d.Validate()
		_ = p.Unmet(&d, now)
		_ = p.Moves(&d, now)
		_ = p.Risks(&d, now)
		_ = p.Triggers(&d, now)
		_ = d.TimeByStage(now)
		_ = d.Slips()
		for _, to := range []deal.StageID{deal.StageTargeting, deal.StageProposal, deal.StageLost, deal.StageLive, "x"} {
			_, _ = p.UnmetTo(&d, to, now)
			c := back
			_ = p.Revert(&c, to, "r", actor, now)
			c = back
			_ = p.Reopen(&c, to, "r", actor, now)
		}
		c := back
		_ = p.Advance(&c, actor, now)
		c = back
		_ = p.Lose(&c, deal.LossOther, "n", actor, now)
		c = back
		_ = p.Open(&c, actor, now)
	})
}
