package accord

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/accordhq/accord/internal/vocab"
)

// Role is the capacity in which an actor acts. Roles are stable codes that
// hosts store; they are never renamed.
type Role string

// The roles of the process.
const (
	RoleSalesRep           Role = "sales_rep"
	RoleSalesManager       Role = "sales_manager"
	RoleImplementationLead Role = "implementation_lead"
	RoleClient             Role = "client"
	RoleFinance            Role = "finance"
	RoleAdmin              Role = "admin"
)

// Roles lists every role, in a fixed order.
func Roles() []Role { return roles.Codes() }

var roles = vocab.Of(RoleSalesRep, RoleSalesManager, RoleImplementationLead, RoleClient, RoleFinance, RoleAdmin)

// Valid reports whether r is one of the roles listed by [Roles].
func (r Role) Valid() bool {
	// A switch over the constants rather than roles.Has: the compiler
	// compares each as words, without calling on the runtime, and every
	// recorded change validates its actor. TestRoleValid checks it
	// against Roles.
	switch r {
	case RoleSalesRep, RoleSalesManager, RoleImplementationLead, RoleClient, RoleFinance, RoleAdmin:
		return true
	}
	return false
}

// Actor is a person (or a system user) acting in a role.
type Actor struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Role Role   `json:"role"`
}

// Validate reports an actor without an ID (blank or all spaces counts as
// none) or with an unknown role. Errors name their field under prefix, such
// as "by.role".
func (a Actor) Validate(prefix string) error {
	// A valid actor is answered first, without trimming an ID that starts
	// with a printable character other than a space: every move checks
	// its actor.
	if len(a.ID) > 0 && a.ID[0]-'!' < utf8.RuneSelf-'!' && a.Role.Valid() {
		return nil
	}
	var errs []error
	if strings.TrimSpace(a.ID) == "" {
		errs = append(errs, Invalid(join(prefix, "id"), "is required"))
	}
	if !a.Role.Valid() {
		errs = append(errs, Invalid(join(prefix, "role"), "%s", roles.Rule(a.Role)))
	}
	return errors.Join(errs...)
}

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// Is reports whether a is the person id names: their IDs are equal once
// leading and trailing spaces are trimmed, so " u-7" and "u-7" are one
// person. A blank ID is no one: it is never a's.
func (a Actor) Is(id string) bool {
	id = strings.TrimSpace(id)
	return id != "" && strings.TrimSpace(a.ID) == id
}
