-- +goose Up
-- A deal's proposal, which its scope is reconciled with.
CREATE TABLE proposals (
	deal_id    TEXT PRIMARY KEY REFERENCES deals (id),
	id         TEXT NOT NULL,
	rev        INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	doc        BLOB NOT NULL
) STRICT;

-- The team's capacity the implementation lead last judged a scope against.
ALTER TABLE scopes ADD COLUMN capacity BLOB;

-- +goose Down
ALTER TABLE scopes DROP COLUMN capacity;
DROP TABLE proposals;
