package accord

import (
	"errors"
	"fmt"
	"strings"
)

// The sentinel errors classify every error the module returns. Test for them
// with [errors.Is]; the typed errors below unwrap to them.
var (
	// ErrBlocked means a move or an approval was refused because criteria of
	// the process are not met. The error is a [*BlockedError] listing them.
	ErrBlocked = errors.New("accord: blocked")

	// ErrInvalid means the input itself is malformed: a missing or unknown
	// value, a date out of order. Field-level problems are [*FieldError].
	ErrInvalid = errors.New("accord: invalid")

	// ErrForbidden means the actor's role does not allow the action.
	ErrForbidden = errors.New("accord: forbidden")

	// ErrConflict means the subject changed since the caller read it, or the
	// action contradicts its current state (approving twice, for example).
	ErrConflict = errors.New("accord: conflict")
)

// Side says whether a criterion guards the way into a stage or the way out.
type Side string

// The sides of a stage.
const (
	Entry Side = "entry"
	Exit  Side = "exit"
)

// Unmet is one criterion that does not hold.
type Unmet struct {
	// Criterion is the criterion's stable identifier. Identifiers are never
	// renamed once published, so hosts may store them.
	Criterion string `json:"criterion"`
	// State is the stage (or status) the criterion belongs to. State and
	// Side are empty for what refuses an action rather than a move, such as
	// a policy refusing a payment.
	State string `json:"state"`
	// Side says whether it is an entry or an exit criterion of State.
	Side Side `json:"side"`
	// Message tells a person what to do to meet the criterion.
	Message string `json:"message"`
	// Field is the path of the field the criterion concerns, such as
	// "discovery.success_criteria", or empty when it concerns no one field.
	Field string `json:"field,omitempty"`
}

// String formats u as "state exit criterion: message (field)".
func (u Unmet) String() string {
	var b strings.Builder
	if u.State != "" {
		b.WriteString(u.State)
		b.WriteByte(' ')
	}
	if u.Side != "" {
		b.WriteString(string(u.Side))
		b.WriteByte(' ')
	}
	b.WriteString(u.Criterion)
	b.WriteString(": ")
	b.WriteString(u.Message)
	if u.Field != "" {
		b.WriteString(" (")
		b.WriteString(u.Field)
		b.WriteByte(')')
	}
	return b.String()
}

// BlockedError reports a refused move: every criterion that does not hold,
// the exit criteria of From first and then the entry criteria of To, each in
// the order the process declares them. It unwraps to [ErrBlocked].
type BlockedError struct {
	// Subject identifies what was refused, such as a deal ID.
	Subject string
	// From and To are the states of the refused move. Both are empty when
	// what was refused is an action rather than a move, such as a payment
	// a policy set refuses (see package policy).
	From, To string
	// Unmet lists every unmet criterion, each once; a criterion that explains
	// itself (such as a policy gate, one entry per violation) is listed once
	// per reason it gives.
	Unmet []Unmet
}

// Error lists every unmet criterion on one line.
func (e *BlockedError) Error() string {
	var b strings.Builder
	if e.From == "" && e.To == "" {
		b.WriteString("accord: ")
		if e.Subject != "" {
			b.WriteString(e.Subject + " ")
		}
		fmt.Fprintf(&b, "refused: %d unmet", len(e.Unmet))
	} else {
		fmt.Fprintf(&b, "accord: %s cannot move from %s to %s: %d unmet",
			e.Subject, e.From, e.To, len(e.Unmet))
	}
	for i, u := range e.Unmet {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(u.String())
	}
	return b.String()
}

// Unwrap returns [ErrBlocked].
func (e *BlockedError) Unwrap() error { return ErrBlocked }

// FieldError reports one invalid field: its path and the rule it breaks. It
// unwraps to [ErrInvalid]. Several are returned together with [errors.Join].
type FieldError struct {
	// Field is the path of the field, such as "value.currency" or
	// "stakeholders[2].role".
	Field string
	// Rule says what the field must be, such as "is required".
	Rule string
}

// Error formats e as "field: rule".
func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap returns [ErrInvalid].
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Invalid returns a [*FieldError] for field, with the rule formatted from
// format and args in the manner of [fmt.Sprintf].
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(format, args...)}
}
