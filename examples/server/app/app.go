package app

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/server/store"
)

// Config configures an App.
type Config struct {
	Store store.Store
	// Now is the clock; nil means time.Now. Tests give a fake one.
	Now func() time.Time
	// Process is the company's deal process; nil means deal.Unified().
	Process *deal.Process
	// Calendar is the implementation team's working days: scopes are
	// validated and scheduled under it. The zero Calendar works Monday to
	// Friday in UTC. It is the service's configuration, not a deal's,
	// since one team delivers every deal's scope.
	Calendar accord.Calendar
	// Vendor is the company, the selling party of its contracts, when a
	// contract's body names none.
	Vendor contract.Party
	// Zone resolves the time zones that policy sets and contracts name;
	// nil means time.LoadLocation.
	Zone func(name string) (*time.Location, error)
}

// App runs the use cases. It keeps no state of its own between calls, so
// any number of replicas may serve one database.
type App struct {
	store    store.Store
	now      func() time.Time
	process  *deal.Process
	calendar accord.Calendar
	vendor   contract.Party
	zone     func(name string) (*time.Location, error)
}

// New returns an App.
func New(cfg Config) *App {
	a := &App{store: cfg.Store, now: cfg.Now, process: cfg.Process, calendar: cfg.Calendar,
		vendor: cfg.Vendor, zone: cfg.Zone}

	if a.now == nil {
		a.now = time.Now
	}
	if a.process == nil {
		a.process = deal.Unified()
	}
	if a.zone == nil {
		a.zone = time.LoadLocation
	}
	return a
}

// Principal is who is calling: an actor in a role, and for a client the
// account they act for.
type Principal struct {
	ID      string
	Name    string
	Role    string
	Account string
	// Token is the display prefix of the token used, for logs.
	Token string
}

func (p Principal) actor() accord.Actor {
	return accord.Actor{ID: p.ID, Name: p.Name, Role: accord.Role(p.Role)}
}

func (p Principal) client() bool { return accord.Role(p.Role) == accord.RoleClient }

// Roles lists every role a token can have.
func Roles() []string {
	var out []string
	for _, r := range accord.Roles() {
		out = append(out, string(r))
	}
	return out
}

// Doc is a document with its storage revision, from which ETags are made.
type Doc[T any] struct {
	Rev   int64
	Value T
	// JSON is Value as JSON when the use case encoded it anyway (to store
	// it), so that it need not be encoded again; nil otherwise.
	JSON []byte
}

// Page is one page of a list; Next is the cursor of the next page, empty
// on the last.
type Page[T any] struct {
	Items []Doc[T]
	Next  string
}

func newID(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Deal is the library's deal document, named here so that the other
// packages of the service need not import the library.
type Deal = deal.Deal
