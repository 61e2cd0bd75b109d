-- +goose Up
-- No query reads events by time, and every move wrote this index too.
DROP INDEX events_at;

-- +goose Down
CREATE INDEX events_at ON events (at);
