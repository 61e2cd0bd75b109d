// Package web serves the pages of the reference service that people use
// every day: sign-in, the pipeline board, the deal page, the Scope of
// Work review, the customer page, the renewals due and the report,
// rendered on the server from html/template, with charts drawn as SVG on
// the server and their data also given as tables. Every form works
// without JavaScript.
//
// The customer page records a contract's go-live, status changes, churn,
// renewal and refund; the renewals due offer the same renew form (one
// template, renew.html) in each row. A form is offered only where package
// app says the caller may use it, and a refused change comes back on the
// customer page with every unmet criterion (422), every invalid field
// (400) or the reason a role may not (403).
//
// A browser session is an opaque cookie (HttpOnly, SameSite=Lax, Secure
// over TLS) whose secret only the browser holds: the database keeps its
// hash, so every replica knows every session. Forms are protected against
// cross-site forgery twice: by the standard library's cross-origin
// protection, which refuses unsafe requests a browser marks as coming from
// another origin, and by a token tied to the session in every form.
//
// Package app is the only package that decides: the pages get every answer
// from it and never decide what the process allows, they show what app
// says. They use the library's types (accord.Unmet, accord.Date,
// metrics.Rate and metrics.Distribution) only to display app's answers.
package web
