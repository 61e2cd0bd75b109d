package httpapi

import (
	"errors"
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

// problemBase prefixes the type URI of every problem.
const problemBase = "https://accordhq.github.io/accord/problems/"

// Problem is an RFC 9457 problem detail, with the extensions of this API.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Unmet is the library's list of unmet criteria, as it reported them.
	Unmet any `json:"unmet,omitempty"`
	// Errors lists every invalid field.
	Errors []app.FieldError `json:"errors,omitempty"`
	// Current is the document as it is now, for a stale If-Match.
	Current any `json:"current,omitempty"`
}

var kinds = map[app.Kind]struct {
	status int
	slug   string
	title  string
}{
	app.KindInternal:        {http.StatusInternalServerError, "internal", "Internal error"},
	app.KindInvalid:         {http.StatusBadRequest, "invalid", "Invalid request"},
	app.KindUnauthenticated: {http.StatusUnauthorized, "unauthenticated", "Authentication required"},
	app.KindForbidden:       {http.StatusForbidden, "forbidden", "Forbidden"},
	app.KindNotFound:        {http.StatusNotFound, "not-found", "Not found"},
	app.KindConflict:        {http.StatusConflict, "conflict", "Conflict"},
	app.KindStale:           {http.StatusPreconditionFailed, "stale", "The document changed since you read it"},
	app.KindPrecondition:    {http.StatusPreconditionRequired, "if-match-required", "If-Match required"},
	app.KindBlocked:         {http.StatusUnprocessableEntity, "blocked", "Refused by the process"},
}

// fail writes err as a problem.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := Problem{Instance: r.URL.Path}
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		p.RequestID = info.id
	}
	var e *app.Error
	switch {
	case errors.Is(err, errTooLarge):
		p.Type, p.Title, p.Status = problemBase+"too-large", "Request body too large", http.StatusRequestEntityTooLarge
		p.Detail = "the body exceeds 1 MiB"
	case errors.As(err, &e):
		k := kinds[e.Kind]
		p.Type, p.Title, p.Status, p.Detail = problemBase+k.slug, k.title, k.status, e.Detail
		if e.Kind == app.KindInternal {
			h.log.Error("internal error", "id", p.RequestID, "err", err)
			p.Detail = "internal error"
		}
		if len(e.Unmet) > 0 {
			p.Unmet = e.Unmet
		}
		p.Errors = e.Fields
		if e.Kind == app.KindStale {
			w.Header().Set("ETag", etag(e.Rev))
			p.Current = e.Current
		}
	default:
		h.log.Error("internal error", "id", p.RequestID, "err", err)
		p.Type, p.Title, p.Status, p.Detail = problemBase+"internal", "Internal error", http.StatusInternalServerError, "internal error"
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	writeBody(w, p)
}
