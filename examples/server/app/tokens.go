package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/store"
)

// tokenPrefix starts every token, so that a leaked one is recognisable.
const tokenPrefix = "acd_"

// TokenSpec says whom a new token acts as.
type TokenSpec struct {
	ActorID string
	Name    string
	Role    string
	// Account binds a client's token to its account; required for clients.
	Account string
}

// CreateToken makes a random API token, stores only its hash and a short
// display prefix, and returns the token itself, which is never seen again.
func (a *App) CreateToken(ctx context.Context, spec TokenSpec) (string, store.Token, error) {
	act := accord.Actor{ID: spec.ActorID, Name: spec.Name, Role: accord.Role(spec.Role)}
	err := act.Validate("")
	fields := fieldErrors(err)
	if act.Role == accord.RoleClient && spec.Account == "" {
		fields = append(fields, FieldError{Field: "account", Rule: "is required for a client"})
	}
	if len(fields) > 0 {
		return "", store.Token{}, invalid(fields...)
	}
	b := make([]byte, 32)
	rand.Read(b)
	plain := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := store.Token{ID: newID("t-"), Prefix: plain[:len(tokenPrefix)+6], Hash: hash(plain),
		ActorID: spec.ActorID, ActorName: spec.Name, Role: spec.Role, AccountID: spec.Account, CreatedAt: a.now()}
	if err := a.store.InTx(ctx, func(tx store.Tx) error { return tx.Tokens().Create(ctx, t) }); err != nil {
		return "", store.Token{}, classify(err)
	}
	return plain, t, nil
}

func hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Authenticate returns the principal a token acts as.
func (a *App) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return Principal{}, &Error{Kind: KindUnauthenticated, Detail: "unknown token"}
	}
	var t store.Token
	err := a.store.View(ctx, func(tx store.Tx) (err error) {
		t, err = tx.Tokens().ByHash(ctx, hash(token))
		return err
	})
	if err != nil {
		e := classify(err)
		if e.(*Error).Kind == KindNotFound {
			return Principal{}, &Error{Kind: KindUnauthenticated, Detail: "unknown token"}
		}
		return Principal{}, e
	}
	return Principal{ID: t.ActorID, Name: t.ActorName, Role: t.Role, Account: t.AccountID, Token: t.Prefix}, nil
}
