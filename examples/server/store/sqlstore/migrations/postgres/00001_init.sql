-- +goose Up
CREATE TABLE deals (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	owner      TEXT NOT NULL,
	segment    TEXT NOT NULL,
	stage      TEXT NOT NULL,
	rev        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	doc        JSONB NOT NULL
);
CREATE INDEX deals_account ON deals (account_id, id);
CREATE INDEX deals_owner ON deals (owner, id);
CREATE INDEX deals_stage ON deals (stage, id);
CREATE INDEX deals_segment ON deals (segment, id);

CREATE TABLE scopes (
	id         TEXT PRIMARY KEY,
	deal_id    TEXT NOT NULL REFERENCES deals (id),
	account_id TEXT NOT NULL,
	status     TEXT NOT NULL,
	revision   INTEGER NOT NULL,
	rev        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	doc        JSONB NOT NULL
);
CREATE INDEX scopes_deal ON scopes (deal_id, id);

CREATE TABLE scope_revisions (
	scope_id TEXT NOT NULL REFERENCES scopes (id),
	revision INTEGER NOT NULL,
	digest   TEXT NOT NULL,
	at       BIGINT NOT NULL,
	by_actor TEXT NOT NULL,
	doc      JSONB NOT NULL,
	PRIMARY KEY (scope_id, revision)
);

CREATE TABLE contracts (
	id         TEXT PRIMARY KEY,
	deal_id    TEXT NOT NULL UNIQUE REFERENCES deals (id),
	account_id TEXT NOT NULL,
	owner      TEXT NOT NULL,
	status     TEXT NOT NULL,
	renewal    TEXT NOT NULL,
	rev        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	doc        JSONB NOT NULL
);
CREATE INDEX contracts_renewal ON contracts (renewal, id);
CREATE INDEX contracts_account ON contracts (account_id, id);

CREATE TABLE events (
	subject    TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	at         BIGINT NOT NULL,
	actor_id   TEXT NOT NULL,
	doc        JSONB NOT NULL,
	PRIMARY KEY (subject, subject_id, seq)
);
CREATE INDEX events_at ON events (at);

CREATE TABLE outbox (
	key          TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	subject      TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	payload      JSONB NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      BIGINT NOT NULL,
	delivered_at BIGINT NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_at);

CREATE TABLE tokens (
	id         TEXT PRIMARY KEY,
	prefix     TEXT NOT NULL,
	hash       BYTEA NOT NULL UNIQUE,
	actor_id   TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	role       TEXT NOT NULL,
	account_id TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE outbox;
DROP TABLE events;
DROP TABLE contracts;
DROP TABLE scope_revisions;
DROP TABLE scopes;
DROP TABLE deals;
