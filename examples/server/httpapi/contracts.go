package httpapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

// contractRoutes registers the close, the contracts and their renewals,
// the company's policies and the reports.
func (h *Handler) contractRoutes() {
	step := func(id, summary, body string) op {
		return op{id: id, summary: summary, body: body, ok: 200, schema: "Contract", write: true,
			problems: []int{400, 401, 403, 404, 409, 412, 413, 422, 428}}
	}
	h.handle("POST /api/v1/deals/{id}/close", op{id: "closeDeal",
		summary: "Close the deal won, presenting its Scope of Work, proposal and feasibility as stored (never the reference alone)",
		ok:      200, schema: "Deal", write: true, problems: []int{400, 401, 403, 404, 409, 412, 413, 422, 428}},
		h.auth(write(h, h.app.Close)))
	h.handle("POST /api/v1/deals/{id}/contract", op{id: "createContract",
		summary: "Create the contract of a won deal from the scope revision it closed on; If-Match is the deal's, which records the contract",
		body:    "ContractCreate", ok: 201, schema: "Contract", write: true,
		problems: []int{400, 401, 403, 404, 409, 412, 413, 422, 428}}, h.auth(h.createContract))
	h.handle("GET /api/v1/contracts/{id}", op{id: "getContract", summary: "Read a contract; its ETag is its storage revision",
		ok: 200, schema: "Contract", etag: true, problems: []int{401, 404}}, h.auth(readDoc(h, h.app.GetContract)))
	h.handle("POST /api/v1/contracts/{id}/go-live", step("goLive", "Record the customer's go-live and make the contract active", "GoLive"), h.auth(write(h, h.app.GoLive)))
	h.handle("POST /api/v1/contracts/{id}/status", step("moveContract", "Change the customer's status", "StatusChange"), h.auth(write(h, h.app.MoveContract)))
	h.handle("POST /api/v1/contracts/{id}/renew", step("renewContract", "Record a renewal: a new term and value", "Renewal"), h.auth(write(h, h.app.Renew)))
	h.handle("POST /api/v1/contracts/{id}/auto-renew", step("autoRenewContract", "Record that the term renewed by itself", ""), h.auth(write(h, h.app.AutoRenew)))
	h.handle("POST /api/v1/contracts/{id}/churn", step("churnContract", "Record that the customer left, with a reason", "Churn"), h.auth(write(h, h.app.Churn)))
	h.handle("POST /api/v1/contracts/{id}/refund", step("refundContract", "Honour the refund guarantee: granted on the day; the client may ask", "RefundRequest"), h.auth(write(h, h.app.Refund)))
	h.handle("GET /api/v1/renewals/due", op{id: "renewalsDue", summary: "The renewal alerts due today, over every stored contract",
		ok: 200, schema: "Renewals", problems: []int{401, 403}}, h.auth(h.renewals(false)))
	h.handle("POST /api/v1/renewals/due", op{id: "enqueueRenewals",
		summary: "Put the renewal alerts due today into the outbox, keyed by their idempotency keys: each step is delivered once",
		ok:      200, schema: "Renewals", problems: []int{401, 403}}, h.auth(h.renewals(true)))
	h.handle("GET /api/v1/policies", op{id: "getPolicies", summary: "The company's policy set as JSON; without an ETag while the default is in force",
		ok: 200, schema: "PolicySet", etag: true, problems: []int{401}}, h.auth(h.getPolicies))
	h.handle("PUT /api/v1/policies", op{id: "putPolicies", summary: "Replace the company's policy set (an admin): the first needs no If-Match, a stored one does",
		body: "PolicySet", ok: 200, created: true, schema: "PolicySet", etag: true,
		problems: []int{400, 401, 403, 412, 413, 428}}, h.auth(put(h, h.putPolicies)))
	h.handle("POST /api/v1/policies/check", op{id: "checkPolicies", summary: "Check a subject against the company's policies: every violation",
		body: "PolicySubject", ok: 200, schema: "PolicyCheck", problems: []int{400, 401, 403, 404, 413}}, h.auth(h.checkPolicies))
	h.handle("GET /api/v1/metrics/pipeline", op{id: "pipelineReport", summary: "The pipeline report over every stored deal",
		query: []string{"key"}, ok: 200, schema: "PipelineReport", problems: []int{400, 401, 403}}, h.auth(h.pipeline))
	h.handle("GET /api/v1/metrics/retention", op{id: "retentionReport", summary: "Renewals, revenue retention and refunds over every stored contract, for [from, to)",
		query: []string{"from", "to"}, ok: 200, schema: "RetentionReport", problems: []int{400, 401, 403}}, h.auth(h.retention))
}

func (h *Handler) createContract(w http.ResponseWriter, r *http.Request, p app.Principal) {
	b, rev, err := writeInput(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.CreateContract(r.Context(), p, r.PathValue("id"), rev, b)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/contracts/"+c.Value.ID)
	writeDoc(w, http.StatusCreated, c)
}

func (h *Handler) renewals(enqueue bool) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		out, err := h.app.RenewalsDue(r.Context(), p, enqueue)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (h *Handler) getPolicies(w http.ResponseWriter, r *http.Request, p app.Principal) {
	d, err := h.app.GetPolicies(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Rev == 0 {
		// The default set: nothing stored, so no revision to name.
		writeJSON(w, http.StatusOK, d.Value)
		return
	}
	writeDoc(w, http.StatusOK, d)
}

// putPolicies is App.PutPolicies as put calls it: a company has one
// policy set, so its route names no {id}.
func (h *Handler) putPolicies(ctx context.Context, p app.Principal, _ string, rev int64, b []byte) (app.Doc[json.RawMessage], bool, error) {
	return h.app.PutPolicies(ctx, p, rev, b)
}

func (h *Handler) checkPolicies(w http.ResponseWriter, r *http.Request, p app.Principal) {
	b, err := body(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.app.CheckPolicies(r.Context(), p, b)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) pipeline(w http.ResponseWriter, r *http.Request, p app.Principal) {
	report(h, w, r, func(ctx context.Context) (any, error) {
		return h.app.PipelineReport(ctx, p, r.URL.Query().Get("key"))
	})
}

func (h *Handler) retention(w http.ResponseWriter, r *http.Request, p app.Principal) {
	q := r.URL.Query()
	report(h, w, r, func(ctx context.Context) (any, error) {
		return h.app.RetentionReport(ctx, p, q.Get("from"), q.Get("to"))
	})
}

func report(h *Handler, w http.ResponseWriter, r *http.Request, fn func(ctx context.Context) (any, error)) {
	v, err := fn(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
