package accord

import (
	"errors"
	"fmt"
	"strings"
)

// The sentinel errors classify every error the module returns. Test for them
// with [errors.Is]; the typed errors below unwrap to them.
var (
	// ErrBlocked means an action ([Op]) was refused because criteria of
	// the process or a policy are not met. The error is a [*BlockedError]
	// listing them.
	ErrBlocked = errors.New("accord: blocked")

	// ErrInvalid means the input itself is malformed: a missing or unknown
	// value, a date out of order. Field-level problems are [*FieldError].
	ErrInvalid = errors.New("accord: invalid")

	// ErrForbidden means the actor's role does not allow the action.
	ErrForbidden = errors.New("accord: forbidden")

	// ErrConflict means the subject changed since the caller read it, the
	// action contradicts its current state (approving twice, for example),
	// or a stored document disagrees with its history, or a reference with
	// its document.
	ErrConflict = errors.New("accord: conflict")
)

// Side says whether a criterion guards the way into a stage or the way out.
type Side string

// The sides of a stage.
const (
	SideEntry Side = "entry"
	SideExit  Side = "exit"
)

// Unmet is one criterion that does not hold.
type Unmet struct {
	// Criterion is the criterion's stable identifier. Identifiers are never
	// renamed once published, so hosts may store them.
	Criterion string `json:"criterion"`
	// State is the stage (or status) the criterion belongs to. State and
	// Side are empty, and left out of the JSON form, for what refuses an
	// action rather than a move, such as a policy refusing a payment.
	State string `json:"state,omitempty"`
	// Side says whether it is an entry or an exit criterion of State.
	Side Side `json:"side,omitempty"`
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

// Op names what a refusal refused: a move of a state machine, or an action
// that is not a move. Its codes are stable strings that hosts may store and
// match; new codes are only ever added.
type Op string

// The operations a [BlockedError] can refuse.
const (
	// OpMove is a move of a deal between stages or of a customer between
	// statuses.
	OpMove Op = "move"
	// OpSubmit is the submission of a Scope of Work to the implementation
	// lead (or its resubmission after changes).
	OpSubmit Op = "submit"
	// OpApprove is an approval of a Scope of Work, by the implementation
	// lead or by the client.
	OpApprove Op = "approve"
	// OpCreateContract is the creation of a contract from a won deal.
	OpCreateContract Op = "create_contract"
	// OpRenew is the renewal of a contract, recorded or automatic.
	OpRenew Op = "renew"
	// OpPay is the taking of a payment.
	OpPay Op = "pay"
	// OpRefund is the granting of a refund.
	OpRefund Op = "refund"
	// OpDiscount is the offer of a discount.
	OpDiscount Op = "discount"
	// OpCheck is a policy check of a subject for no one action, such as
	// proposed terms or a compensation plan.
	OpCheck Op = "check"
	// OpReference is the recording of a customer's reference: a case
	// study, a reference call or a review needs their consent.
	OpReference Op = "reference"
	// OpStart is the start of a step of a Scope of Work, which waits for
	// the exit criteria of the phases before its own.
	OpStart Op = "start"
)

// phrase is o in a sentence: "cannot <phrase>".
func (o Op) phrase() string {
	switch o {
	case "":
		return string(OpMove)
	case OpCreateContract:
		return "create a contract"
	case OpPay:
		return "take a payment"
	case OpDiscount:
		return "offer a discount"
	case OpReference:
		return "record a reference"
	case OpStart:
		return "start a step"
	}
	return strings.ReplaceAll(string(o), "_", " ")
}

// BlockedError reports a refusal: what was refused (Op), of what (Subject),
// and every criterion that does not hold. For a move it lists the exit
// criteria of From first and then the entry criteria of To, each in the
// order the process declares them. It unwraps to [ErrBlocked].
//
// Its JSON form is the refusal as a service returns it:
//
//	{"op":"move","subject":"deal-42","from":"discovery","to":"solution_alignment","unmet":[...]}
type BlockedError struct {
	// Op is what was refused, one of the Op codes; empty is read as
	// [OpMove].
	Op Op `json:"op"`
	// Subject identifies what was refused, such as a deal ID.
	Subject string `json:"subject"`
	// From and To are the states of a refused move, or of the step of a
	// workflow that was refused (a submission or an approval of a scope).
	// Both are empty when what was refused is an action rather than a move,
	// such as creating a contract, renewing one, or a payment a policy set
	// refuses (see package policy).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Unmet lists every unmet criterion, each once; a criterion that explains
	// itself (such as a policy gate, one entry per violation) is listed once
	// per reason it gives.
	Unmet []Unmet `json:"unmet"`
}

// Error says what was refused and lists every unmet criterion on one line:
// "accord: deal-42 cannot move from discovery to solution_alignment: 2
// unmet: ...", or for an action, "accord: deal-42 cannot create a
// contract: 1 unmet: ...".
func (e *BlockedError) Error() string {
	var b strings.Builder
	b.WriteString("accord: ")
	if e.Subject != "" {
		b.WriteString(e.Subject + " ")
	}
	switch {
	case (e.Op == "" || e.Op == OpCheck) && e.From == "" && e.To == "":
		b.WriteString("refused")
	case e.From == "" && e.To == "":
		b.WriteString("cannot " + e.Op.phrase())
	default:
		fmt.Fprintf(&b, "cannot %s from %s to %s", e.Op.phrase(), e.From, e.To)
	}
	fmt.Fprintf(&b, ": %d unmet", len(e.Unmet))
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
// unwraps to [ErrInvalid]. Several are returned together with [errors.Join];
// [FieldErrors] lists them, as [io/fs.PathError] names the path of a failed
// file operation.
type FieldError struct {
	// Field is the path of the field, such as "value.currency" or
	// "stakeholders[2].role".
	Field string `json:"field"`
	// Rule says what the field must be, such as "is required".
	Rule string `json:"rule"`
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

// FieldErrors returns every [*FieldError] in err's tree, in the order
// [errors.Is] would visit them: through errors wrapped with %w and errors
// joined with [errors.Join] or several %w. It returns nil when err holds
// none, so a caller that gets an [ErrInvalid] can list the fields to fix
// without walking the tree:
//
//	for _, fe := range accord.FieldErrors(err) {
//		form.Mark(fe.Field, fe.Rule)
//	}
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *FieldError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}
