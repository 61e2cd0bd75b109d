package store

import (
	"context"
	"time"
)

// Session is a signed-in browser session as stored: never the cookie's
// secret itself, only its hash, bound to the actor it signs in as.
type Session struct {
	Hash      []byte
	ActorID   string
	ActorName string
	Role      string
	// AccountID binds a client's session to the account it acts for.
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Sessions stores browser sessions, so that every replica serving one
// database knows every session.
type Sessions interface {
	// Create stores a new session; a hash already stored fails with
	// ErrExists.
	Create(ctx context.Context, s Session) error
	// ByHash returns the session with hash, expired or not, or ErrNotFound.
	ByHash(ctx context.Context, hash []byte) (Session, error)
	// Delete removes the session with hash; a missing one is no error.
	Delete(ctx context.Context, hash []byte) error
	// DeleteExpired removes the sessions expired at now and returns how
	// many it removed.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}
