package accord_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
)

// A host handles every error of the module one way: errors.As finds the
// refusal with its unmet criteria, which a rep can act on, and errors.Is
// classifies the rest by sentinel.
func ExampleBlockedError() {
	handle := func(err error) {
		var blocked *accord.BlockedError
		switch {
		case err == nil:
			fmt.Println("done")
		case errors.As(err, &blocked): // errors.Is(err, accord.ErrBlocked) holds too
			fmt.Printf("refused: %s cannot move from %s to %s until\n", blocked.Subject, blocked.From, blocked.To)
			for _, u := range blocked.Unmet {
				fmt.Printf("  %s %s %s: %s [%s]\n", u.State, u.Side, u.Criterion, u.Message, u.Field)
			}
		case errors.Is(err, accord.ErrForbidden):
			fmt.Println("forbidden:", err)
		case errors.Is(err, accord.ErrInvalid), errors.Is(err, accord.ErrConflict):
			fmt.Println("bad request:", err)
		default:
			fmt.Println("unexpected:", err)
		}
	}

	p := deal.Default()
	rep := accord.Actor{ID: "u-7", Name: "Asha", Role: accord.RoleSalesRep}
	client := accord.Actor{ID: "c-1", Name: "Buyer", Role: accord.RoleClient}
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	d := deal.Deal{ID: "d-42", Owner: rep.ID, Account: "Northwind", Segment: "mid-market"}
	handle(p.Open(&d, rep, at))
	handle(p.Advance(&d, rep, at.Add(time.Hour)))
	handle(p.Advance(&d, client, at.Add(time.Hour)))
	// Output:
	// done
	// refused: d-42 cannot move from targeting to qualification until
	//   targeting exit trigger: Record the trigger event that makes this account worth contacting now. [targeting.trigger]
	//   targeting exit account_hypothesis: Write the account hypothesis: the problem we believe they have. [targeting.hypothesis]
	// forbidden: accord: forbidden: deal "d-42": role client may not advance a deal in stage targeting
}
