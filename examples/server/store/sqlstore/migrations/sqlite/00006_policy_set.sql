-- +goose Up
-- The company's policy set, as the library writes it: one row.
CREATE TABLE policy_set (
	id         TEXT PRIMARY KEY CHECK (id = 'company'),
	rev        INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	by_actor   TEXT NOT NULL,
	doc        BLOB NOT NULL
) STRICT;

-- +goose Down
DROP TABLE policy_set;
