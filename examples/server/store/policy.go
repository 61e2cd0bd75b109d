package store

import (
	"context"
	"time"
)

// PolicySet is the company's policy set as stored: the library's JSON of
// the set (its policy IDs and parameters). There is one per database.
type PolicySet struct {
	// Rev is the storage revision: 1 once stored, one more on every write.
	Rev       int64
	UpdatedAt time.Time
	// By is the actor ID of whoever wrote it last.
	By  string
	Doc []byte
}

// Policies stores the company's policy set.
type Policies interface {
	// Get returns the stored set, or ErrNotFound while none is stored.
	Get(ctx context.Context) (PolicySet, error)
	// Put stores the set and returns its new revision: with Rev 0 the
	// first set (ErrExists when one is stored), otherwise a replacement of
	// the set at revision Rev (ErrStale when written since).
	Put(ctx context.Context, p PolicySet) (int64, error)
}
