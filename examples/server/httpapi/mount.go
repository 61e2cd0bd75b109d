package httpapi

import (
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

// Mount serves next under each of patterns beside the API (the web pages),
// with the same request log. The OpenAPI document does not list them.
func (h *Handler) Mount(next http.Handler, patterns ...string) {
	for _, p := range patterns {
		h.mux.Handle(p, next)
	}
}

// Seen records who makes a request, for its line in the request log; a
// mounted handler that authenticates its callers otherwise calls it.
func Seen(r *http.Request, p app.Principal) {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		info.actor = p
	}
}
