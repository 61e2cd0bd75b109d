package contract_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
)

// TestRefusalsNameTheirOperation: every refusal of the package says what
// it refused, and only a move of the customer status names states; a
// refusal is never also another class of error.
func TestRefusalsNameTheirOperation(t *testing.T) {
	active := func() *contract.Contract {
		c := newContract()
		c.Status = contract.StatusActive
		return &c
	}
	early := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		refuse  func() error
		want    *accord.BlockedError
		message string
	}{
		{
			"create from a lost deal",
			func() error {
				d := wonDeal()
				d.History = append(d.History, deal.Event{Kind: deal.EventLost, From: deal.StageHandoff, To: deal.StageLost, At: created, By: rep, LossReason: deal.LossPrice})
				recorded(d)
				_, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: approvedSOW()}, terms(), rep, created)
				return err
			},
			&accord.BlockedError{Op: accord.OpCreateContract, Subject: "deal-42", Unmet: []accord.Unmet{
				{Criterion: "deal_won", Field: "stage", Message: "Close the deal won first: a contract is created from a won deal."},
			}},
			"accord: deal-42 cannot create a contract: 1 unmet: deal_won: Close the deal won first: a contract is created from a won deal. (stage)",
		},
		{
			"create from a scope only the lead approved",
			func() error {
				_, err := contract.New(contract.Signing{Process: proc, Deal: wonDeal(), Scope: leadApprovedSOW()}, terms(), rep, created)
				return err
			},
			&accord.BlockedError{Op: accord.OpCreateContract, Subject: "deal-42", Unmet: []accord.Unmet{
				{Criterion: "scope_client_approved", Field: "scope.review", Message: "Have the implementation lead and then the client approve the scope's current revision."},
			}},
			"",
		},
		{
			"renew before the window",
			func() error { return active().Renew(12, usd("1.00"), rep, early) },
			&accord.BlockedError{Op: accord.OpRenew, Subject: "ctr-1", Unmet: []accord.Unmet{
				{Criterion: "renewal_window", Field: "term.end", Message: "Wait for the renewal window, which opens on 2026-12-01; today is 2026-11-30."},
			}},
			"accord: ctr-1 cannot renew: 1 unmet: renewal_window: Wait for the renewal window, which opens on 2026-12-01; today is 2026-11-30. (term.end)",
		},
		{
			"auto-renew a manual contract early",
			func() error { return active().AutoRenewal(rep, early) },
			&accord.BlockedError{Op: accord.OpRenew, Subject: "ctr-1", Unmet: []accord.Unmet{
				{Criterion: "auto_renew", Field: "auto_renew", Message: "The contract does not renew by itself: record the renewal with Renew."},
				{Criterion: "renewal_date_reached", Field: "term.renewal", Message: "Wait for the renewal date, 2027-03-02; today is 2026-11-30."},
			}},
			"",
		},
		{
			"go active before the go-live",
			func() error {
				c := newContract()
				c.GoLiveAt = time.Time{}
				return c.Move(contract.StatusActive, "kick-off done", rep, created)
			},
			&accord.BlockedError{Op: accord.OpMove, Subject: "ctr-1", From: "onboarding", To: "active", Unmet: []accord.Unmet{
				{Criterion: "go_live_recorded", State: "active", Side: accord.SideEntry, Field: "go_live_at", Message: "Record the go-live: a customer is active once it is live."},
			}},
			"accord: ctr-1 cannot move from onboarding to active: 1 unmet: active entry go_live_recorded: Record the go-live: a customer is active once it is live. (go_live_at)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.refuse()
			var got *accord.BlockedError
			if !errors.As(err, &got) {
				t.Fatalf("got %v, want a *accord.BlockedError", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("refusal (-want +got):\n%s", diff)
			}
			for _, other := range []error{accord.ErrInvalid, accord.ErrForbidden, accord.ErrConflict} {
				if errors.Is(err, other) {
					t.Errorf("the refusal %v is also %v", err, other)
				}
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("Error():\ngot  %s\nwant %s", err, tt.message)
			}
		})
	}
}
