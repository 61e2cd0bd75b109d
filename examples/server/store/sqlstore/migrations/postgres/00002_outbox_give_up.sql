-- +goose Up
-- A message the dispatcher gave up on stays, with its last error, but is
-- no longer pending; the pending index covers only what is still to send.
ALTER TABLE outbox ADD COLUMN gave_up_at BIGINT NOT NULL DEFAULT 0;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_at, created_at) WHERE delivered_at = 0 AND gave_up_at = 0;

-- +goose Down
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (delivered_at, next_at);
ALTER TABLE outbox DROP COLUMN gave_up_at;
