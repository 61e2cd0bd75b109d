package app

import (
	"errors"
	"fmt"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/store"
)

// Kind classifies the errors of the use cases.
type Kind int

// The kinds of error.
const (
	// KindInternal is a failure of the service itself.
	KindInternal Kind = iota
	// KindInvalid is bad input: Fields names every problem.
	KindInvalid
	// KindUnauthenticated means no valid credentials were given.
	KindUnauthenticated
	// KindForbidden means the caller's role may not do this.
	KindForbidden
	// KindNotFound means no such document, or none the caller may see.
	KindNotFound
	// KindConflict means the action contradicts the document's state, or
	// lost a race with a concurrent write.
	KindConflict
	// KindStale means the document was written since the revision the
	// caller named; Rev and Current are the document as it is now.
	KindStale
	// KindPrecondition means the caller named no revision for a write.
	KindPrecondition
	// KindBlocked is a refusal by the library: Unmet lists every unmet
	// criterion as the library reported it.
	KindBlocked
)

// FieldError is one invalid field of the input.
type FieldError struct {
	Field string `json:"field"`
	Rule  string `json:"rule"`
}

// Error is the error of a use case.
type Error struct {
	Kind   Kind
	Detail string
	Fields []FieldError
	Unmet  []accord.Unmet
	// Rev and Current are set for KindStale.
	Rev     int64
	Current any
	Err     error
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Detail
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return "error"
}

func (e *Error) Unwrap() error { return e.Err }

func invalid(fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Detail: "the request has invalid fields", Fields: fields}
}

func forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Detail: fmt.Sprintf(format, args...)}
}

func notFound(what, id string) *Error {
	return &Error{Kind: KindNotFound, Detail: fmt.Sprintf("no %s %q", what, id)}
}

// classify turns the errors of the library and the store into *Error.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var blocked *accord.BlockedError
	switch {
	case errors.As(err, &blocked):
		return &Error{Kind: KindBlocked, Detail: err.Error(), Unmet: blocked.Unmet, Err: err}
	case errors.Is(err, accord.ErrForbidden):
		return &Error{Kind: KindForbidden, Detail: err.Error(), Err: err}
	case errors.Is(err, accord.ErrInvalid):
		return &Error{Kind: KindInvalid, Detail: "the request has invalid fields", Fields: fieldErrors(err), Err: err}
	case errors.Is(err, accord.ErrConflict), errors.Is(err, store.ErrStale), errors.Is(err, store.ErrExists):
		return &Error{Kind: KindConflict, Detail: err.Error(), Err: err}
	case errors.Is(err, store.ErrNotFound):
		return &Error{Kind: KindNotFound, Detail: err.Error(), Err: err}
	}
	return &Error{Kind: KindInternal, Detail: "internal error", Err: err}
}

// fieldErrors collects every *accord.FieldError in the tree of err.
func fieldErrors(err error) []FieldError {
	var out []FieldError
	var walk func(error)
	walk = func(err error) {
		if fe, ok := err.(*accord.FieldError); ok {
			out = append(out, FieldError{Field: fe.Field, Rule: fe.Rule})
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}
