// Package outbox delivers the actions the service's changes raised
// (follow-ups, idle alerts, handoff notices...) to webhooks.
//
// The use cases write each action to the outbox in the same transaction as
// the change that raised it, keyed by the library's idempotency key. A
// [Dispatcher] claims the due messages for a lease, POSTs each to every
// configured URL with the key in an Idempotency-Key header, and marks it
// delivered once every URL answered 2xx. A failure is recorded and retried
// with exponential backoff, up to a bound after which the message is given
// up (kept, with its last error, for an operator to see).
//
// Delivery is at least once: a dispatcher stopped in the middle of a
// delivery leaves its claim to lapse, and the next dispatcher sends the
// message again, so receivers must treat a repeated key as done. Claims
// never overlap, so dispatchers in several processes over one PostgreSQL
// do not send one message at the same time.
package outbox
