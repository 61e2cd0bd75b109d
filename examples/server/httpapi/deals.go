package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/accordhq/accord/examples/server/app"
)

func writeBody(w http.ResponseWriter, v any) {
	json.NewEncoder(w).Encode(v)
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("POST /api/v1/deals", h.auth(h.createDeal))
	m.HandleFunc("GET /api/v1/deals", h.auth(h.listDeals))
	m.HandleFunc("GET /api/v1/deals/{id}", h.auth(h.getDeal))
	m.HandleFunc("PATCH /api/v1/deals/{id}", h.auth(h.write(h.app.PatchDeal)))
	m.HandleFunc("POST /api/v1/deals/{id}/advance", h.auth(h.write(func(ctx context.Context, p app.Principal, id string, rev int64, _ []byte) (app.Doc[dealDoc], error) {
		return h.app.Advance(ctx, p, id, rev)
	})))
	m.HandleFunc("POST /api/v1/deals/{id}/revert", h.auth(h.write(h.app.Revert)))
	m.HandleFunc("POST /api/v1/deals/{id}/lose", h.auth(h.write(h.app.Lose)))
	m.HandleFunc("POST /api/v1/deals/{id}/reopen", h.auth(h.write(h.app.Reopen)))
	m.HandleFunc("GET /api/v1/deals/{id}/gaps", h.auth(read(h, h.app.Gaps)))
	m.HandleFunc("GET /api/v1/deals/{id}/moves", h.auth(read(h, h.app.Moves)))
	m.HandleFunc("GET /api/v1/deals/{id}/risks", h.auth(read(h, h.app.Risks)))
	m.HandleFunc("GET /api/v1/deals/{id}/history", h.auth(read(h, h.app.History)))
}

// dealDoc is whatever document type app's deal commands return.
type dealDoc = app.Deal

func (h *Handler) createDeal(w http.ResponseWriter, r *http.Request, p app.Principal) {
	b, err := body(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.app.CreateDeal(r.Context(), p, b)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/deals/"+d.Value.ID)
	writeDoc(w, http.StatusCreated, d)
}

func (h *Handler) getDeal(w http.ResponseWriter, r *http.Request, p app.Principal) {
	d, err := h.app.GetDeal(r.Context(), p, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeDoc(w, http.StatusOK, d)
}

// dealList is a page of deals.
type dealList struct {
	Deals []any  `json:"deals"`
	Next  string `json:"next,omitempty"`
}

func (h *Handler) listDeals(w http.ResponseWriter, r *http.Request, p app.Principal) {
	q := r.URL.Query()
	query := app.DealQuery{Stage: q.Get("stage"), Owner: q.Get("owner"), Segment: q.Get("segment"), After: q.Get("after")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.fail(w, r, &app.Error{Kind: app.KindInvalid, Detail: "the request has invalid fields",
				Fields: []app.FieldError{{Field: "limit", Rule: "must be a whole number"}}})
			return
		}
		query.Limit = n
	}
	page, err := h.app.ListDeals(r.Context(), p, query)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := dealList{Deals: make([]any, 0, len(page.Items)), Next: page.Next}
	for _, d := range page.Items {
		out.Deals = append(out.Deals, d.Value)
	}
	writeJSON(w, http.StatusOK, out)
}

// write adapts a write command: it reads the body and If-Match, and
// answers with the changed document and its new ETag.
func (h *Handler) write(cmd func(ctx context.Context, p app.Principal, id string, rev int64, body []byte) (app.Doc[dealDoc], error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		b, err := body(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		rev := ifMatch(r)
		if rev < 0 {
			rev = 1<<63 - 1 // names no revision: stale, answered with the current one
		}
		d, err := cmd(r.Context(), p, r.PathValue("id"), rev, b)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeDoc(w, http.StatusOK, d)
	}
}

// read adapts a question about one document.
func read[T any](h *Handler, q func(ctx context.Context, p app.Principal, id string) (T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		v, err := q(r.Context(), p, r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}
