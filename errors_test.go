package accord_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/accordhq/accord"
)

func blocked() *accord.BlockedError {
	return &accord.BlockedError{
		Op:      accord.OpMove,
		Subject: "deal-42",
		From:    "discovery",
		To:      "solution_alignment",
		Unmet: []accord.Unmet{
			{
				Criterion: "success_criteria",
				State:     "discovery",
				Side:      accord.SideExit,
				Message:   "document the success criteria",
				Field:     "discovery.success_criteria",
			},
			{
				Criterion: "next_step",
				State:     "solution_alignment",
				Side:      accord.SideEntry,
				Message:   "schedule a next step with a purpose",
			},
		},
	}
}

func TestBlockedErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  *accord.BlockedError
		want string
	}{
		{
			"two criteria",
			blocked(),
			"accord: deal-42 cannot move from discovery to solution_alignment: 2 unmet: " +
				"discovery exit success_criteria: document the success criteria (discovery.success_criteria); " +
				"solution_alignment entry next_step: schedule a next step with a purpose",
		},
		{
			"one criterion",
			&accord.BlockedError{Subject: "sow-7", From: "draft", To: "lead_approved", Unmet: blocked().Unmet[1:]},
			"accord: sow-7 cannot move from draft to lead_approved: 1 unmet: " +
				"solution_alignment entry next_step: schedule a next step with a purpose",
		},
		{
			"an action, not a move",
			&accord.BlockedError{Subject: "pay-1", Unmet: []accord.Unmet{{Criterion: "policy.payment_after_client_approval", Message: "wait for the client", Field: "payment"}}},
			"accord: pay-1 refused: 1 unmet: policy.payment_after_client_approval: wait for the client (payment)",
		},
		{
			"an unnamed action with no subject",
			&accord.BlockedError{Unmet: []accord.Unmet{{Criterion: "policy.lead_response_sla", Message: "answer faster"}}},
			"accord: refused: 1 unmet: policy.lead_response_sla: answer faster",
		},
		{
			"none",
			&accord.BlockedError{Subject: "deal-1", From: "a", To: "b"},
			"accord: deal-1 cannot move from a to b: 0 unmet",
		},
		{
			"a move, named",
			&accord.BlockedError{Op: accord.OpMove, Subject: "deal-1", From: "a", To: "b"},
			"accord: deal-1 cannot move from a to b: 0 unmet",
		},
		{
			"a step of a workflow",
			&accord.BlockedError{Op: accord.OpSubmit, Subject: "sow-7", From: "draft", To: "submitted", Unmet: []accord.Unmet{{Criterion: "price", State: "draft", Side: accord.SideExit, Message: "Set the price.", Field: "price"}}},
			"accord: sow-7 cannot submit from draft to submitted: 1 unmet: draft exit price: Set the price. (price)",
		},
		{
			"an approval",
			&accord.BlockedError{Op: accord.OpApprove, Subject: "sow-7", From: "submitted", To: "client_approved"},
			"accord: sow-7 cannot approve from submitted to client_approved: 0 unmet",
		},
		{
			"creating a contract",
			&accord.BlockedError{Op: accord.OpCreateContract, Subject: "deal-42", Unmet: []accord.Unmet{{Criterion: "deal_won", Message: "Close the deal won first.", Field: "stage"}}},
			"accord: deal-42 cannot create a contract: 1 unmet: deal_won: Close the deal won first. (stage)",
		},
		{
			"a renewal",
			&accord.BlockedError{Op: accord.OpRenew, Subject: "ctr-1", Unmet: []accord.Unmet{{Criterion: "renewal_window", Message: "Wait for the window."}}},
			"accord: ctr-1 cannot renew: 1 unmet: renewal_window: Wait for the window.",
		},
		{
			"a payment",
			&accord.BlockedError{Op: accord.OpPay, Subject: "pay-1", Unmet: blocked().Unmet[1:]},
			"accord: pay-1 cannot take a payment: 1 unmet: solution_alignment entry next_step: schedule a next step with a purpose",
		},
		{"a refund", &accord.BlockedError{Op: accord.OpRefund, Subject: "r-1"}, "accord: r-1 cannot refund: 0 unmet"},
		{"a discount", &accord.BlockedError{Op: accord.OpDiscount, Subject: "disc-1"}, "accord: disc-1 cannot offer a discount: 0 unmet"},
		{"a check", &accord.BlockedError{Op: accord.OpCheck, Subject: "plan-1"}, "accord: plan-1 refused: 0 unmet"},
		{"an action with no subject", &accord.BlockedError{Op: accord.OpPay}, "accord: cannot take a payment: 0 unmet"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error():\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestBlockedErrorIsAs(t *testing.T) {
	want := blocked()
	err := fmt.Errorf("advance deal-42: %w", want)

	if !errors.Is(err, accord.ErrBlocked) {
		t.Errorf("errors.Is(%q, ErrBlocked): got false, want true", err)
	}
	for _, other := range []error{accord.ErrInvalid, accord.ErrForbidden, accord.ErrConflict} {
		if errors.Is(err, other) {
			t.Errorf("errors.Is(%q, %v): got true, want false", err, other)
		}
	}

	var got *accord.BlockedError
	if !errors.As(err, &got) {
		t.Fatalf("errors.As(%q, *BlockedError): got false, want true", err)
	}
	if got != want {
		t.Errorf("errors.As(%q, *BlockedError): got %p, want the wrapped %p", err, got, want)
	}
	if diff := cmp.Diff(blocked(), got); diff != "" {
		t.Errorf("errors.As(%q, *BlockedError) (-want +got):\n%s", err, diff)
	}
	if got, want := err.Error(), "advance deal-42: "+want.Error(); got != want {
		t.Errorf("wrapped Error():\ngot  %q\nwant %q", got, want)
	}
	if got := errors.Unwrap(want); got != accord.ErrBlocked {
		t.Errorf("errors.Unwrap(*BlockedError): got %v, want ErrBlocked", got)
	}
}

func TestSentinels(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{accord.ErrBlocked, "accord: blocked"},
		{accord.ErrInvalid, "accord: invalid"},
		{accord.ErrForbidden, "accord: forbidden"},
		{accord.ErrConflict, "accord: conflict"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error(): got %q, want %q", got, tt.want)
		}
	}
}

func TestFieldError(t *testing.T) {
	err := accord.Invalid("value.currency", "is required")
	if got, want := err.Error(), "value.currency: is required"; got != want {
		t.Errorf("Error(): got %q, want %q", got, want)
	}
	if !errors.Is(err, accord.ErrInvalid) {
		t.Errorf("errors.Is(%q, ErrInvalid): got false, want true", err)
	}
	if errors.Is(err, accord.ErrBlocked) {
		t.Errorf("errors.Is(%q, ErrBlocked): got true, want false", err)
	}

	wrapped := fmt.Errorf("save deal: %w", accord.Invalid("stakeholders[2].role", "must be one of %s; got %q", "champion, sponsor", "boss"))
	var fe *accord.FieldError
	if !errors.As(wrapped, &fe) {
		t.Fatalf("errors.As(%q, *FieldError): got false, want true", wrapped)
	}
	want := &accord.FieldError{Field: "stakeholders[2].role", Rule: `must be one of champion, sponsor; got "boss"`}
	if diff := cmp.Diff(want, fe); diff != "" {
		t.Errorf("Invalid(...) (-want +got):\n%s", diff)
	}
	if got, want := wrapped.Error(), `save deal: stakeholders[2].role: must be one of champion, sponsor; got "boss"`; got != want {
		t.Errorf("wrapped Error(): got %q, want %q", got, want)
	}
}

func TestUnmetString(t *testing.T) {
	tests := []struct {
		u    accord.Unmet
		want string
	}{
		{
			accord.Unmet{Criterion: "success_criteria", State: "discovery", Side: accord.SideExit, Message: "document the success criteria", Field: "discovery.success_criteria"},
			"discovery exit success_criteria: document the success criteria (discovery.success_criteria)",
		},
		{
			accord.Unmet{Criterion: "signed_agreement", State: "handoff", Side: accord.SideEntry, Message: "attach the executed contract"},
			"handoff entry signed_agreement: attach the executed contract",
		},
	}
	for _, tt := range tests {
		if got := tt.u.String(); got != tt.want {
			t.Errorf("String():\ngot  %q\nwant %q", got, tt.want)
		}
	}
}

func TestActorValidate(t *testing.T) {
	tests := []struct {
		name   string
		a      accord.Actor
		prefix string
		want   []accord.FieldError
	}{
		{"valid", accord.Actor{ID: "u1", Name: "Asha", Role: accord.RoleSalesRep}, "by", nil},
		{"valid without name", accord.Actor{ID: "u2", Role: accord.RoleImplementationLead}, "by", nil},
		{"empty", accord.Actor{}, "by", []accord.FieldError{
			{Field: "by.id", Rule: "is required"},
			{Field: "by.role", Rule: `must be one of sales_rep, sales_manager, implementation_lead, client, finance, admin; got ""`},
		}},
		{"unknown role", accord.Actor{ID: "u1", Role: "ceo"}, "approval.by", []accord.FieldError{
			{Field: "approval.by.role", Rule: `must be one of sales_rep, sales_manager, implementation_lead, client, finance, admin; got "ceo"`},
		}},
		{"no ID", accord.Actor{Role: accord.RoleClient}, "by", []accord.FieldError{
			{Field: "by.id", Rule: "is required"},
		}},
		{"all spaces", accord.Actor{ID: " \t ", Role: accord.RoleClient}, "by", []accord.FieldError{
			{Field: "by.id", Rule: "is required"},
		}},
		{"padded", accord.Actor{ID: " u1 ", Role: accord.RoleClient}, "by", nil},
		{"no prefix", accord.Actor{Role: "Admin"}, "", []accord.FieldError{
			{Field: "id", Rule: "is required"},
			{Field: "role", Rule: `must be one of sales_rep, sales_manager, implementation_lead, client, finance, admin; got "Admin"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValidate(t, tt.prefix, fmt.Sprintf("%+v", tt.a), tt.a.Validate(tt.prefix), tt.want)
		})
	}
}

func TestRoles(t *testing.T) {
	want := []accord.Role{"sales_rep", "sales_manager", "implementation_lead", "client", "finance", "admin"}
	got := accord.Roles()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Roles() (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if !r.Valid() {
			t.Errorf("Role(%q).Valid(): got false, want true", r)
		}
	}
	// Each call returns a fresh slice: a caller cannot change the list.
	got[0] = "ceo"
	if diff := cmp.Diff(want, accord.Roles()); diff != "" {
		t.Errorf("Roles() after modifying an earlier result (-want +got):\n%s", diff)
	}
	for _, r := range []accord.Role{"", "ceo", "Admin", "SALES_REP", "sales rep", "sales_rep "} {
		if r.Valid() {
			t.Errorf("Role(%q).Valid(): got true, want false", r)
		}
	}
}

// TestOps: the operation codes are stable strings hosts store; this list
// only ever grows.
func TestOps(t *testing.T) {
	tests := []struct {
		op   accord.Op
		want string
	}{
		{accord.OpMove, "move"},
		{accord.OpSubmit, "submit"},
		{accord.OpApprove, "approve"},
		{accord.OpCreateContract, "create_contract"},
		{accord.OpRenew, "renew"},
		{accord.OpPay, "pay"},
		{accord.OpRefund, "refund"},
		{accord.OpDiscount, "discount"},
		{accord.OpCheck, "check"},
	}
	for _, tt := range tests {
		if string(tt.op) != tt.want {
			t.Errorf("Op %q, want %q", tt.op, tt.want)
		}
	}
}

// TestBlockedErrorJSON: a refusal encodes as a service returns it, with
// every field in snake_case, and decodes back to an equal value.
func TestBlockedErrorJSON(t *testing.T) {
	tests := []struct {
		name string
		err  *accord.BlockedError
		want string
	}{
		{
			"a move",
			&accord.BlockedError{Op: accord.OpMove, Subject: "deal-42", From: "discovery", To: "solution_alignment", Unmet: blocked().Unmet[:1]},
			`{"op":"move","subject":"deal-42","from":"discovery","to":"solution_alignment","unmet":[` +
				`{"criterion":"success_criteria","state":"discovery","side":"exit","message":"document the success criteria","field":"discovery.success_criteria"}]}`,
		},
		{
			"an action: no states",
			&accord.BlockedError{Op: accord.OpCreateContract, Subject: "deal-42", Unmet: []accord.Unmet{{Criterion: "deal_won", Message: "Close the deal won first."}}},
			`{"op":"create_contract","subject":"deal-42","unmet":[{"criterion":"deal_won","message":"Close the deal won first."}]}`,
		},
		{
			"nothing unmet",
			&accord.BlockedError{Op: accord.OpPay},
			`{"op":"pay","subject":"","unmet":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.err)
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) != tt.want {
				t.Errorf("json:\ngot  %s\nwant %s", raw, tt.want)
			}
			var back accord.BlockedError
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.err, &back); diff != "" {
				t.Errorf("round trip (-before +after):\n%s", diff)
			}
		})
	}
}

// TestFieldErrors: every *FieldError in a tree, in order, through %w and
// errors.Join at any depth; nothing else.
func TestFieldErrors(t *testing.T) {
	a := &accord.FieldError{Field: "id", Rule: "is required"}
	b := &accord.FieldError{Field: "value.currency", Rule: "is required"}
	c := &accord.FieldError{Field: "stakeholders[2].role", Rule: "is unknown"}
	tests := []struct {
		name string
		err  error
		want []*accord.FieldError
	}{
		{"nil", nil, nil},
		{"a sentinel", accord.ErrInvalid, nil},
		{"a refusal", blocked(), nil},
		{"one", a, []*accord.FieldError{a}},
		{"wrapped", fmt.Errorf("deal %q: %w", "d-1", a), []*accord.FieldError{a}},
		{"joined", errors.Join(a, b), []*accord.FieldError{a, b}},
		{"joined, nil entries", errors.Join(nil, a, nil, b), []*accord.FieldError{a, b}},
		{"wrapped join", fmt.Errorf("create: %w", errors.Join(a, b)), []*accord.FieldError{a, b}},
		{"nested joins", errors.Join(a, fmt.Errorf("x: %w", errors.Join(b, accord.ErrConflict, c))), []*accord.FieldError{a, b, c}},
		{"several %w", fmt.Errorf("%w and %w", b, a), []*accord.FieldError{b, a}},
		{"other errors only", errors.Join(accord.ErrConflict, errors.New("x")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := accord.FieldErrors(tt.err)
			if len(got) != len(tt.want) {
				t.Fatalf("FieldErrors(%v): got %v, want %v", tt.err, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("FieldErrors(%v)[%d]: got %p %v, want the same *FieldError %p %v", tt.err, i, got[i], got[i], tt.want[i], tt.want[i])
				}
			}
		})
	}
}

// TestActorIs: IDs are compared after trimming spaces, and a blank ID is
// no one.
func TestActorIs(t *testing.T) {
	tests := []struct {
		id, other string
		want      bool
	}{
		{"u-7", "u-7", true},
		{" u-7", "u-7 ", true},
		{"u-7", "\tu-7\n", true},
		{"u-7", "u-8", false},
		{"u-7", "U-7", false},
		{"u 7", "u7", false},
		{"", "", false},
		{" ", "", false},
		{"  ", "  ", false},
	}
	for _, tt := range tests {
		if got := (accord.Actor{ID: tt.id}).Is(tt.other); got != tt.want {
			t.Errorf("Actor{ID: %q}.Is(%q) = %v, want %v", tt.id, tt.other, got, tt.want)
		}
	}
}
