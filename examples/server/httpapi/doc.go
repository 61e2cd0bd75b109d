// Package httpapi serves the reference service's JSON API under /api/v1 on
// the standard library's ServeMux patterns: bearer API tokens, RFC 9457
// problem details, ETags from storage revisions with If-Match on every
// write, request logs with log/slog, and GET /healthz.
//
// It calls package app only; it knows neither SQL nor the library.
package httpapi
