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
	advance := func(ctx context.Context, p app.Principal, id string, rev int64, _ []byte) (app.Doc[dealDoc], error) {
		return h.app.Advance(ctx, p, id, rev)
	}
	move := func(id, summary, body string) op {
		return op{id: id, summary: summary, body: body, ok: 200, schema: "Deal", write: true,
			problems: []int{400, 401, 403, 404, 409, 412, 413, 422, 428}}
	}
	question := func(id, summary, schema string) op {
		return op{id: id, summary: summary, ok: 200, schema: schema, problems: []int{401, 404}}
	}
	h.handle("POST /api/v1/deals", op{id: "createDeal", summary: "Create a deal and open it in the first stage",
		body: "Deal", ok: 201, schema: "Deal", problems: []int{400, 401, 403, 409, 413, 422}}, h.auth(h.createDeal))
	h.handle("GET /api/v1/deals", op{id: "listDeals", summary: "List the deals the caller may see, by ID",
		query: []string{"stage", "owner", "segment", "after", "limit"}, ok: 200, schema: "DealList", problems: []int{400, 401}}, h.auth(h.listDeals))
	h.handle("GET /api/v1/deals/{id}", question("getDeal", "Read a deal; its ETag is its storage revision", "Deal"), h.auth(readDoc(h, h.app.GetDeal)))
	h.handle("PATCH /api/v1/deals/{id}", move("patchDeal", "Edit a deal's fields with a JSON merge patch (never its stage)", "DealPatch"), h.auth(write(h, h.app.PatchDeal)))
	h.handle("POST /api/v1/deals/{id}/advance", move("advanceDeal", "Move a deal forward one stage", ""), h.auth(write(h, advance)))
	h.handle("POST /api/v1/deals/{id}/revert", move("revertDeal", "Move a deal back to an earlier stage", "Revert"), h.auth(write(h, h.app.Revert)))
	h.handle("POST /api/v1/deals/{id}/lose", move("loseDeal", "Move a deal to lost, with a reason", "Lose"), h.auth(write(h, h.app.Lose)))
	h.handle("POST /api/v1/deals/{id}/reopen", move("reopenDeal", "Bring a lost deal back to a stage", "Revert"), h.auth(write(h, h.app.Reopen)))
	h.handle("GET /api/v1/deals/{id}/gaps", question("dealGaps", "What the deal lacks to advance, as the library reports it", "UnmetList"), h.auth(read(h, h.app.Unmet)))
	h.handle("GET /api/v1/deals/{id}/moves", question("dealMoves", "Every move the deal can make now, with what blocks each", "MoveList"), h.auth(read(h, h.app.Moves)))
	h.handle("GET /api/v1/deals/{id}/risks", question("dealRisks", "The deal's risk flags now", "RiskList"), h.auth(read(h, h.app.Risks)))
	h.handle("GET /api/v1/deals/{id}/history", question("dealHistory", "Every move of the deal, oldest first", "EventList"), h.auth(read(h, h.app.History)))
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
func write[T any](h *Handler, cmd func(ctx context.Context, p app.Principal, id string, rev int64, body []byte) (app.Doc[T], error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		b, rev, err := writeInput(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
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
// readDoc answers a GET of one stored document with its ETag.
func readDoc[T any](h *Handler, q func(ctx context.Context, p app.Principal, id string) (app.Doc[T], error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		d, err := q(r.Context(), p, r.PathValue("id"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeDoc(w, http.StatusOK, d)
	}
}

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
