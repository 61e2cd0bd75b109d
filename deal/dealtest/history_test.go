package dealtest

import (
	"testing"
	"time"

	"github.com/accordhq/accord/deal"
)

// TestCheckHistory: the history checker accepts the histories the process
// records and names every way a history can go wrong.
func TestCheckHistory(t *testing.T) {
	m := newModel(deal.Default(), nil)
	start := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	at := func(stage deal.StageID) *deal.Deal {
		d := &deal.Deal{ID: "d-1", Owner: rep.ID}
		m.canonicalHistory(d, stage, start)
		return d
	}
	tests := []struct {
		name  string
		stage deal.StageID
		edit  func(d *deal.Deal)
		want  string
	}{
		{"proposal", deal.StageProposal, func(*deal.Deal) {}, ""},
		{"live", deal.StageLive, func(*deal.Deal) {}, ""},
		{"lost", deal.StageLost, func(*deal.Deal) {}, ""},
		{"empty", deal.StageTargeting, func(d *deal.Deal) { d.History = nil },
			"history: is empty: an open deal has at least its open event"},
		{"not_opened", deal.StageQualification, func(d *deal.Deal) { d.History[0].Kind = deal.KindAdvance },
			`history[0].kind: must be an open event from "" to targeting; got advance from "" to targeting`},
		{"stage", deal.StageDiscovery, func(d *deal.Deal) { d.Stage = deal.StageProposal },
			"stage: must be discovery, where the last event went; got proposal"},
		{"entered_at", deal.StageDiscovery, func(d *deal.Deal) { d.StageEnteredAt = start },
			"stage_entered_at: must be 2026-03-04 09:00:00 +0000 UTC, the time of the last event; got 2026-03-02 09:00:00 +0000 UTC"},
		{"version", deal.StageDiscovery, func(d *deal.Deal) { d.Version = 7 },
			"version: must be 2, the number of moves in the history; got 7"},
		{"out_of_order", deal.StageDiscovery, func(d *deal.Deal) { d.History[2].At = start.Add(-time.Hour); d.StageEnteredAt = d.History[2].At },
			"history[2].at: 2026-03-02 08:00:00 +0000 UTC is before event 1, at 2026-03-03 09:00:00 +0000 UTC"},
		{"broken_chain", deal.StageDiscovery, func(d *deal.Deal) { d.History[2].From = deal.StageTargeting },
			"history[2].from: must be qualification, where event 1 went; got targeting\n" +
				"history[2].to: an advance from targeting must go to the next stage; went to discovery"},
		{"won_as_advance", deal.StageHandoff, func(d *deal.Deal) { d.History[6].Kind = deal.KindAdvance },
			"history[6].kind: an advance into handoff must be recorded as won; got advance"},
		{"revert_forward", deal.StageQualification, func(d *deal.Deal) {
			d.History = append(d.History, deal.Event{Kind: deal.KindRevert, From: deal.StageQualification, To: deal.StageDiscovery, At: d.StageEnteredAt})
			d.Stage, d.Version = deal.StageDiscovery, 2
		}, "history[2].to: a revert must go from an open stage to an earlier one; went from qualification to discovery"},
		{"reopen_later", deal.StageQualification, func(d *deal.Deal) {
			at := d.StageEnteredAt
			d.History = append(d.History,
				deal.Event{Kind: deal.KindLost, From: deal.StageQualification, To: deal.StageLost, At: at, LossReason: deal.LossTiming},
				deal.Event{Kind: deal.KindReopen, From: deal.StageLost, To: deal.StageDiscovery, At: at})
			d.Stage, d.Version = deal.StageDiscovery, 3
		}, "history[3].to: a reopen must go no later than qualification, where the deal was lost; went to discovery"},
		{"reopen_beyond_loss", deal.StageLost, func(d *deal.Deal) {
			d.History = append(d.History, deal.Event{Kind: deal.KindReopen, From: deal.StageLost, To: deal.StageLive, At: d.StageEnteredAt})
			d.Stage, d.Version, d.Loss = deal.StageLive, len(d.History)-1, nil
		}, "history[8].to: a reopen must go from lost to an open stage; went from lost to live"},
		{"lost_without_loss", deal.StageLost, func(d *deal.Deal) { d.Loss = nil },
			"loss: is required while the deal is lost"},
		{"loss_while_open", deal.StageProposal, func(d *deal.Deal) { d.Loss = &deal.Loss{Reason: deal.LossPrice, Stage: deal.StageProposal} },
			"loss: must be nil while the deal is proposal"},
		{"bad_loss_reason", deal.StageLost, func(d *deal.Deal) { d.History[len(d.History)-1].LossReason = "boredom" },
			`history[7].loss_reason: must be one of the loss reasons; got "boredom"` + "\n" +
				"loss: must record the last loss, boredom at handoff; got no_decision at handoff"},
		{"unknown_stage", deal.StageQualification, func(d *deal.Deal) { d.History[1].To = "elsewhere"; d.Stage = "elsewhere" },
			`history[1].to: moves from "targeting" to "elsewhere", which are not both stages of the process`},
		{"unknown_kind", deal.StageQualification, func(d *deal.Deal) { d.History[1].Kind = "teleport" },
			`history[1].kind: must be advance, won, live, revert, lost or reopen; got "teleport"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := at(tt.stage)
			tt.edit(d)
			got := ""
			if err := m.checkHistory(d); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("checkHistory:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}
