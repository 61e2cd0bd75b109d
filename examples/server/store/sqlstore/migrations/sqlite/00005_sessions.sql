-- +goose Up
-- Browser sessions of the web pages, by the hash of their cookie, kept in
-- the database so that every replica knows every session.
CREATE TABLE sessions (
	hash       BLOB PRIMARY KEY,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	role       TEXT NOT NULL,
	account_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
