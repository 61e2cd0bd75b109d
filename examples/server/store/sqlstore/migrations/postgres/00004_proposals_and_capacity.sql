-- +goose Up
-- A deal's proposal, which its scope is reconciled with.
CREATE TABLE proposals (
	deal_id    TEXT PRIMARY KEY REFERENCES deals (id),
	id         TEXT NOT NULL,
	rev        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	doc        JSONB NOT NULL
);

-- The team's capacity the implementation lead last judged a scope against.
ALTER TABLE scopes ADD COLUMN capacity JSONB;

-- +goose Down
ALTER TABLE scopes DROP COLUMN capacity;
DROP TABLE proposals;
