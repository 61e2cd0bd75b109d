package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/store"
)

// SessionTTL is how long a browser session lasts from sign-in.
const SessionTTL = 12 * time.Hour

// sessionPrefix starts every session secret, as tokenPrefix starts tokens.
const sessionPrefix = "acs_"

// SignIn starts a browser session for the holder of an API token and
// returns the session's secret (for a cookie), which is never stored: the
// database keeps only its hash.
func (a *App) SignIn(ctx context.Context, token string) (string, Principal, error) {
	p, err := a.Authenticate(ctx, token)
	if err != nil {
		return "", Principal{}, err
	}
	secret, err := a.startSession(ctx, p)
	return secret, p, err
}

// SignInAs starts a browser session for p without a token. Only the demo
// user picker calls it, for the demo company's people.
func (a *App) SignInAs(ctx context.Context, p Principal) (string, error) {
	act := p.actor()
	fields := fieldErrors(act.Validate(""))
	if act.Role == accord.RoleClient && p.Account == "" {
		fields = append(fields, FieldError{Field: "account", Rule: "is required for a client"})
	}
	if len(fields) > 0 {
		return "", invalid(fields...)
	}
	return a.startSession(ctx, p)
}

func (a *App) startSession(ctx context.Context, p Principal) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	secret := sessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := a.now()
	s := store.Session{Hash: hash(secret), ActorID: p.ID, ActorName: p.Name, Role: p.Role, AccountID: p.Account,
		CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err := a.store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Sessions().DeleteExpired(ctx, now); err != nil {
			return err
		}
		return tx.Sessions().Create(ctx, s)
	})
	if err != nil {
		return "", classify(err)
	}
	return secret, nil
}

// Session returns the principal of a live browser session.
func (a *App) Session(ctx context.Context, secret string) (Principal, error) {
	unknown := &Error{Kind: KindUnauthenticated, Detail: "no such session"}
	if len(secret) < len(sessionPrefix) || secret[:len(sessionPrefix)] != sessionPrefix {
		return Principal{}, unknown
	}
	var s store.Session
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		s, err = tx.Sessions().ByHash(ctx, hash(secret))
		return err
	})
	if err != nil {
		if e := classify(err); e.(*Error).Kind != KindNotFound {
			return Principal{}, e
		}
		return Principal{}, unknown
	}
	if !a.now().Before(s.ExpiresAt) {
		return Principal{}, &Error{Kind: KindUnauthenticated, Detail: "the session has expired"}
	}
	return Principal{ID: s.ActorID, Name: s.ActorName, Role: s.Role, Account: s.AccountID, Token: "session"}, nil
}

// SignOut ends a browser session.
func (a *App) SignOut(ctx context.Context, secret string) error {
	return classify(a.store.InTx(ctx, func(tx store.Tx) error { return tx.Sessions().Delete(ctx, hash(secret)) }))
}

// FormToken is the anti-forgery token of the forms of a session: a hash of
// the session's secret, distinct from the stored hash, so that only a page
// served to the session's holder can carry it (neither the database nor
// another site knows it).
func FormToken(secret string) string {
	h := sha256.Sum256([]byte("accord form token\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
