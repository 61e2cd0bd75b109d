package contract_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
)

// TestNilContractGetters: every getter of a nil contract answers with zero
// values instead of panicking, and every change refuses it.
func TestNilContractGetters(t *testing.T) {
	var c *contract.Contract
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if got := c.Paid(); got != (accord.Money{}) {
		t.Errorf("Paid = %v", got)
	}
	if got := c.RefundAmount(now); got != (accord.Money{}) {
		t.Errorf("RefundAmount = %v", got)
	}
	if !c.WindowOpens().IsZero() || !c.NoticeDeadline().IsZero() || c.InWindow(now) || c.Conditions(now) != nil || c.Moves(now) != nil {
		t.Errorf("a nil contract has dates or conditions")
	}
	if d := c.Drift(now); d.Creep != nil || d.Entitlements != nil {
		t.Errorf("Drift = %+v", d)
	}
	if id, dealID := c.Identify(); id != "" || dealID != "" || c.Ended() {
		t.Errorf("Identify = %q, %q; Ended = %v", id, dealID, c.Ended())
	}
	for name, err := range map[string]error{
		"Validate": c.Validate(),
		"Verify":   c.Verify(),
		"Move":     c.Move(contract.StatusActive, "r", rep, now),
		"Renew":    c.Renew(12, usd("1.00"), rep, now),
		"Churn":    c.Churn(contract.ChurnReasons()[0], "n", rep, now),
		"Payment":  c.RecordPayment("p", usd("1.00"), finance, now),
	} {
		if !errors.Is(err, accord.ErrInvalid) {
			t.Errorf("%s of a nil contract = %v; want ErrInvalid", name, err)
		}
	}
	if _, err := c.RequestRefund("", client, now); !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("RequestRefund of a nil contract = %v; want ErrInvalid", err)
	}
}

// TestRefundSameDay: a request made earlier the same day than the last
// event is granted, recorded at that event's time; one on an earlier day is
// refused like any change dated before the last event.
func TestRefundSameDay(t *testing.T) {
	tests := []struct {
		name    string
		request time.Time
		granted time.Time
		invalid bool
	}{
		{"after the last event", time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC), false},
		{"earlier the same day", time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 11, 0, 0, 0, time.UTC), false},
		{"the same day in the client's zone", time.Date(2026, 3, 5, 5, 0, 0, 0, time.FixedZone("EST", -5*3600)), time.Date(2026, 3, 5, 11, 0, 0, 0, time.UTC), false},
		{"the day before", time.Date(2026, 3, 4, 23, 0, 0, 0, time.UTC), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContract()
			last := time.Date(2026, 3, 5, 11, 0, 0, 0, time.UTC)
			if err := c.RecordPayment("inv-1", usd("24000.00"), finance, last); err != nil {
				t.Fatal(err)
			}
			r, err := c.RequestRefund("not for us", client, tt.request)
			if tt.invalid {
				if !errors.Is(err, accord.ErrInvalid) || c.Status == contract.StatusRefunded {
					t.Fatalf("RequestRefund = %v, status %s; want ErrInvalid and no change", err, c.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !r.RequestedAt.Equal(tt.request) || !r.GrantedAt.Equal(tt.granted) || !r.Amount.Equal(usd("24000.00")) {
				t.Errorf("refund %+v; want requested %v, granted %v, all paid back", r, tt.request, tt.granted)
			}
			for i := 1; i < len(c.History); i++ {
				if c.History[i].At.Before(c.History[i-1].At) {
					t.Errorf("event %d is before event %d", i, i-1)
				}
			}
			if err := c.Verify(); err != nil {
				t.Errorf("Verify after the refund: %v", err)
			}
		})
	}
}

// TestVerify: a stored contract whose summary fields its history does not
// support is refused with ErrConflict, saying what disagrees.
func TestVerify(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *contract.Contract)
		says string
	}{
		{"status set by hand", func(c *contract.Contract) { c.Status = contract.StatusActive }, "its status is active, but its last status event went to onboarding"},
		{"version", func(c *contract.Contract) { c.Version = 3 }, "its version is 3, but its history has 1 events after the creation"},
		{"payment without its event", func(c *contract.Contract) {
			c.Payments = append(c.Payments, contract.Payment{ID: "inv-9", Amount: usd("1.00")})
		}, "it records 2 payments, its history 1"},
		{"no creation", func(c *contract.Contract) { c.History = c.History[1:] }, "its history does not start with the creation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContract()
			if err := c.RecordPayment("inv-1", usd("24000.00"), finance, created.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := c.Verify(); err != nil {
				t.Fatalf("Verify of a contract as recorded: %v", err)
			}
			tt.edit(&c)
			if err := c.Verify(); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("Verify = %v; want ErrConflict saying %q", err, tt.says)
			}
		})
	}
}

// TestUndoWinNeedsTheEndedContract: the deal a contract was made from
// loses its win only with the contract presented, ended.
func TestUndoWinNeedsTheEndedContract(t *testing.T) {
	d := wonDeal()
	c, err := contract.New(contract.Signing{Process: proc, Deal: d, Scope: approvedSOW()}, terms(), rep, created)
	if err != nil {
		t.Fatal(err)
	}
	at := created.Add(time.Hour)
	if err := proc.Lose(d, deal.LossPrice, "", rep, at); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), `has contract "ctr-1"`) {
		t.Fatalf("Lose without the contract = %v; want ErrConflict naming it", err)
	}
	if err := proc.Lose(d, deal.LossPrice, "", rep, at, deal.WithContract(&c)); !errors.Is(err, accord.ErrConflict) || !strings.Contains(err.Error(), "has not ended") {
		t.Fatalf("Lose with the contract onboarding = %v; want ErrConflict, not ended", err)
	}
	edited := c
	edited.Status = contract.StatusChurned
	want := `deal "deal-42": undo the win: the contract presented: accord: conflict: contract "ctr-1" disagrees with its history: its status is churned, but its last status event went to onboarding`
	if err := proc.Lose(d, deal.LossPrice, "", rep, at, deal.WithContract(&edited)); !errors.Is(err, accord.ErrConflict) || err.Error() != want {
		t.Fatalf("Lose with a hand-edited churned status = %v; want %q", err, want)
	}
	if _, err := c.RequestRefund("", client, at); err != nil {
		t.Fatal(err)
	}
	if !c.Ended() {
		t.Fatalf("a refunded contract has not ended")
	}
	if err := proc.Lose(d, deal.LossPrice, "", rep, at, deal.WithContract(&c)); err != nil {
		t.Fatalf("Lose with the refunded contract = %v", err)
	}
	if d.ContractID != "" || d.Stage != deal.StageLost {
		t.Errorf("after the loss: stage %s, contract %q", d.Stage, d.ContractID)
	}
}
