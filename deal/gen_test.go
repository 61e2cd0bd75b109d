package deal_test

import (
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/gen"
	"github.com/accordhq/accord/internal/jsontest"
	"github.com/accordhq/accord/scope"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// Generators for arbitrary deals: any strings, codes known and unknown,
// times in fixed zones of any minute offset, nil and empty slices alike.

func genRequirement(s *rapid.Generator[string]) *rapid.Generator[scope.Requirement] {
	return rapid.Custom(func(t *rapid.T) scope.Requirement {
		return scope.Requirement{
			ID: s.Draw(t, "id"), Title: s.Draw(t, "title"),
			Kind:       scope.Kind(rapid.SampledFrom([]string{"", "current_state", "future_state", "workflow", "integration", "data_structure", "edge_case", "constraint", "odd"}).Draw(t, "kind")),
			Priority:   scope.Priority(rapid.SampledFrom([]string{"", "must", "should", "could", "never"}).Draw(t, "priority")),
			Acceptance: gen.Slice(s).Draw(t, "acceptance"),
			Source:     scope.Source{Name: s.Draw(t, "source"), At: gen.Time().Draw(t, "said_at")},
		}
	})
}

func genString() *rapid.Generator[string] {
	return rapid.OneOf(rapid.Just(""), rapid.Just(" "), rapid.StringN(0, 12, -1))
}

func genDeal() *rapid.Generator[deal.Deal] {
	stages := []deal.StageID{"", deal.StageTargeting, deal.StageDiscovery, deal.StageProposal, deal.StageHandoff, deal.StageLive, deal.StageLost, "elsewhere"}
	kinds := []deal.EventKind{deal.EventOpen, deal.EventAdvance, deal.EventWon, deal.EventLive, deal.EventRevert, deal.EventLost, deal.EventReopen, "odd"}
	return rapid.Custom(func(t *rapid.T) deal.Deal {
		s, tm, m := genString(), gen.Time(), gen.Money()
		d := deal.Deal{
			ID: s.Draw(t, "id"), AccountID: s.Draw(t, "account_id"), Account: s.Draw(t, "account"),
			Owner: s.Draw(t, "owner"), Segment: s.Draw(t, "segment"), Value: m.Draw(t, "value"),
			CloseDate: tm.Draw(t, "close_date"),
			CloseDateChanges: gen.Slice(rapid.Custom(func(t *rapid.T) deal.CloseDateChange {
				return deal.CloseDateChange{From: tm.Draw(t, "from"), To: tm.Draw(t, "to"), At: tm.Draw(t, "at"), By: s.Draw(t, "by")}
			})).Draw(t, "close_date_changes"),
			Stage: rapid.SampledFrom(stages).Draw(t, "stage"), StageEnteredAt: tm.Draw(t, "entered"),
			Version:       rapid.IntRange(-1, 20).Draw(t, "version"),
			Targeting:     deal.Targeting{Trigger: s.Draw(t, "trigger"), Hypothesis: s.Draw(t, "hypothesis")},
			Qualification: deal.Qualification{WhyNow: s.Draw(t, "why_now"), Fit: deal.Fit(rapid.SampledFrom([]string{"", "strong", "possible", "not_a_fit", "meh"}).Draw(t, "fit"))},
			Discovery: deal.Discovery{
				Problem: s.Draw(t, "problem"), SuccessCriteria: gen.Slice(s).Draw(t, "criteria"),
				Constraints: deal.Constraints{Security: s.Draw(t, "security")}, Requirements: gen.Slice(genRequirement(s)).Draw(t, "requirements"),
			},
			Alignment: deal.Alignment{AgreedBy: s.Draw(t, "agreed_by"), AgreedAt: tm.Draw(t, "agreed_at")},
			BusinessCase: deal.BusinessCase{
				Impact: m.Draw(t, "impact"), ChampionStrength: deal.Strength(s.Draw(t, "strength")),
				AgreedBy: s.Draw(t, "case_agreed_by"), AgreedAt: tm.Draw(t, "case_agreed_at"),
				NoExecutiveSponsor: rapid.Bool().Draw(t, "no_sponsor"), NoExecutiveSponsorBy: s.Draw(t, "no_sponsor_by"), NoExecutiveSponsorAt: tm.Draw(t, "no_sponsor_at"),
			},
			Commercials: deal.Commercials{ImplementationStart: tm.Draw(t, "start"), FinalPrice: m.Draw(t, "price"), TermMonths: rapid.IntRange(-3, 60).Draw(t, "term")},
			Onboarding:  deal.Onboarding{LiveAt: tm.Draw(t, "live_at")},
			Fields:      rapid.OneOf(rapid.Just(map[string]string(nil)), rapid.MapOfN(s, s, 0, 3)).Draw(t, "fields"),
			Stakeholders: gen.Slice(rapid.Custom(func(t *rapid.T) deal.Stakeholder {
				return deal.Stakeholder{Name: s.Draw(t, "name"), Role: deal.StakeholderRole(rapid.SampledFrom([]string{"champion", "executive_sponsor", "user", "boss"}).Draw(t, "role")), Engaged: rapid.Bool().Draw(t, "engaged"), EngagedAt: tm.Draw(t, "engaged_at")}
			})).Draw(t, "stakeholders"),
			Activities: gen.Slice(rapid.Custom(func(t *rapid.T) deal.Activity {
				return deal.Activity{Kind: s.Draw(t, "kind"), At: tm.Draw(t, "at"), By: s.Draw(t, "by")}
			})).Draw(t, "activities"),
			NextStep: deal.NextStep{At: tm.Draw(t, "next_at"), Purpose: s.Draw(t, "purpose")},
			Artifacts: gen.Slice(rapid.Custom(func(t *rapid.T) deal.Artifact {
				return deal.Artifact{Kind: s.Draw(t, "kind"), Ref: s.Draw(t, "ref"), AddedAt: tm.Draw(t, "added")}
			})).Draw(t, "artifacts"),
			History: gen.Slice(rapid.Custom(func(t *rapid.T) deal.Event {
				return deal.Event{
					Kind: rapid.SampledFrom(kinds).Draw(t, "kind"), From: rapid.SampledFrom(stages).Draw(t, "from"),
					To: rapid.SampledFrom(stages).Draw(t, "to"), At: tm.Draw(t, "at"),
					By:     accord.Actor{ID: s.Draw(t, "by"), Role: accord.Role(s.Draw(t, "role"))},
					Reason: s.Draw(t, "reason"), LossReason: deal.LossReason(s.Draw(t, "loss_reason")),
				}
			})).Draw(t, "history"),
		}
		if rapid.Bool().Draw(t, "has_scope") {
			d.Scope = scope.Ref{
				ID: s.Draw(t, "scope_id"), DealID: s.Draw(t, "scope_deal"), Revision: rapid.IntRange(0, 5).Draw(t, "revision"), Digest: s.Draw(t, "digest"),
				Approvals:  scope.Approvals(rapid.SampledFrom([]string{"", "none", "lead", "lead_and_client", "odd"}).Draw(t, "approvals")),
				Reconciled: rapid.Bool().Draw(t, "reconciled"),
				Unresolved: rapid.IntRange(-1, 3).Draw(t, "unresolved"),
				Categories: gen.Slice(rapid.Custom(func(t *rapid.T) scope.Activity {
					return scope.Activity(rapid.SampledFrom([]string{"configuration", "training", "odd"}).Draw(t, "category"))
				})).Draw(t, "categories"),
			}
		}
		if rapid.Bool().Draw(t, "has_quote") {
			d.Quote = deal.Quote{ID: s.Draw(t, "quote_id"),
				Lines: gen.Slice(rapid.Custom(func(t *rapid.T) deal.QuoteLine {
					return deal.QuoteLine{Product: s.Draw(t, "product"), Edition: s.Draw(t, "edition"), AddOn: rapid.Bool().Draw(t, "add_on"), Price: m.Draw(t, "price")}
				})).Draw(t, "lines"),
				Discounts: gen.Slice(rapid.Custom(func(t *rapid.T) deal.Discount {
					return deal.Discount{ID: s.Draw(t, "id"), Amount: m.Draw(t, "amount"), OfferedAt: tm.Draw(t, "offered"), By: s.Draw(t, "by"),
						Concession: deal.Concession(rapid.SampledFrom([]string{"", "reference", "multi_year_term", "odd"}).Draw(t, "concession")), Note: s.Draw(t, "note")}
				})).Draw(t, "discounts"),
			}
		}
		if rapid.Bool().Draw(t, "has_lead") {
			d.Lead = deal.Lead{Inbound: rapid.Bool().Draw(t, "inbound"), ReceivedAt: tm.Draw(t, "received"), FirstTouchAt: tm.Draw(t, "touched")}
		}
		if rapid.Bool().Draw(t, "has_loss") {
			d.Loss = &deal.Loss{Reason: deal.LossReason(s.Draw(t, "reason")), Stage: rapid.SampledFrom(stages).Draw(t, "lost_at"), Note: s.Draw(t, "note")}
		}
		return d
	})
}

// TestDealJSONRoundTrip: every deal round-trips through JSON to an equal
// value.
func TestDealJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDeal().Draw(t, "deal")
		if diff := cmp.Diff(d, jsontest.Copy(t, d)); diff != "" {
			t.Fatalf("round trip differs (-before +after):\n%s", diff)
		}
	})
}

// TestNoPanics calls every operation of the package on arbitrary deals,
// actors and times. A panic fails the test; so does a refused move that
// changes the deal.
func TestNoPanics(t *testing.T) {
	p := deal.Default()
	rapid.Check(t, func(t *rapid.T) {
		d := genDeal().Draw(t, "deal")
		now := gen.Time().Draw(t, "now")
		by := accord.Actor{ID: genString().Draw(t, "actor_id"), Role: rapid.SampledFrom(append(accord.Roles(), "", "boss")).Draw(t, "actor_role")}
		to := rapid.SampledFrom([]deal.StageID{"", deal.StageTargeting, deal.StageProposal, deal.StageHandoff, deal.StageLive, deal.StageLost, "x"}).Draw(t, "to")
		_ = d.Validate()
		_ = p.Unmet(&d, now)
		_, _ = p.UnmetTo(&d, to, now)
		_ = p.Moves(&d, now)
		_ = p.Risks(&d, now)
		_ = p.Triggers(&d, now)
		_ = d.TimeByStage(now)
		_ = d.TimeInStage(now)
		_ = p.Won(&d)
		moves := []func(*deal.Deal) error{
			func(c *deal.Deal) error { return p.Open(c, by, now) },
			func(c *deal.Deal) error { return p.Advance(c, by, now) },
			func(c *deal.Deal) error { return p.Revert(c, to, "r", by, now) },
			func(c *deal.Deal) error { return p.Lose(c, deal.LossOther, "n", by, now) },
			func(c *deal.Deal) error { return p.Reopen(c, to, "r", by, now) },
			func(c *deal.Deal) error { return c.SetCloseDate(now, by, now) },
		}
		for i, move := range moves {
			c := jsontest.Copy(t, d)
			if err := move(&c); err != nil {
				if diff := cmp.Diff(jsontest.Copy(t, d), c); diff != "" {
					t.Fatalf("move %d refused (%v) but changed the deal:\n%s", i, err, diff)
				}
			}
		}
	})
}
