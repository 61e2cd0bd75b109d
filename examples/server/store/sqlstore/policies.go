package sqlstore

import (
	"context"
	"fmt"

	"github.com/accordhq/accord/examples/server/store"
)

type policies struct{ q querier }

func (t policies) Get(ctx context.Context) (store.PolicySet, error) {
	var p store.PolicySet
	var at int64
	err := t.q.QueryRowContext(ctx, "SELECT rev, updated_at, by_actor, doc FROM policy_set WHERE id = 'company'").
		Scan(&p.Rev, &at, &p.By, &p.Doc)
	if err != nil {
		return store.PolicySet{}, fmt.Errorf("policy set: %w", notFound(err))
	}
	p.UpdatedAt = fromMicros(at)
	return p, nil
}

func (t policies) Put(ctx context.Context, p store.PolicySet) (int64, error) {
	if p.Rev == 0 {
		err := inserted(t.q.ExecContext(ctx, `INSERT INTO policy_set (id, rev, updated_at, by_actor, doc)
			VALUES ('company', 1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, micros(p.UpdatedAt), p.By, p.Doc))
		if err != nil {
			return 0, fmt.Errorf("policy set: %w", err)
		}
		return 1, nil
	}
	res, err := t.q.ExecContext(ctx, `UPDATE policy_set SET rev = rev + 1, updated_at = $1, by_actor = $2, doc = $3
		WHERE id = 'company' AND rev = $4`, micros(p.UpdatedAt), p.By, p.Doc, p.Rev)
	if err := updatedKey(ctx, t.q, "policy_set", "id", "company", res, err); err != nil {
		return 0, fmt.Errorf("policy set: %w", err)
	}
	return p.Rev + 1, nil
}
