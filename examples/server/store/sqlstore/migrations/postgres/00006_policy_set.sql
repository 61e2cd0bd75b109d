-- +goose Up
-- The company's policy set, as the library writes it: one row.
CREATE TABLE policy_set (
	id         TEXT PRIMARY KEY CHECK (id = 'company'),
	rev        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	by_actor   TEXT NOT NULL,
	doc        JSONB NOT NULL
);

-- +goose Down
DROP TABLE policy_set;
