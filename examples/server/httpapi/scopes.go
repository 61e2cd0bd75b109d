package httpapi

import (
	"context"
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

func (h *Handler) scopeRoutes() {
	submit := func(ctx context.Context, p app.Principal, id string, rev int64, b []byte) (app.Doc[app.Scope], error) {
		return h.app.Submit(ctx, p, id, rev, b)
	}
	step := func(id, summary, body string) op {
		return op{id: id, summary: summary, body: body, ok: 200, schema: "Scope", write: true,
			problems: []int{400, 401, 403, 404, 409, 412, 413, 422, 428}}
	}
	question := func(id, summary, schema string) op {
		return op{id: id, summary: summary, ok: 200, schema: schema, problems: []int{401, 404}}
	}
	h.handle("POST /api/v1/deals/{id}/scopes", op{id: "createScope", summary: "Open the Scope of Work of a deal the caller may see (one per deal)",
		body: "ScopeContent", ok: 201, schema: "Scope", etag: true, problems: []int{400, 401, 403, 404, 409, 413, 422}}, h.auth(h.createScope))
	h.handle("GET /api/v1/scopes/{id}", op{id: "getScope", summary: "Read a Scope of Work; its ETag is its storage revision",
		ok: 200, schema: "Scope", etag: true, problems: []int{401, 404}}, h.auth(readDoc(h, h.app.GetScope)))
	h.handle("PUT /api/v1/scopes/{id}", step("putScope", "Replace a scope's content, recorded as a new revision", "ScopeContent"), h.auth(write(h, h.app.PutScope)))
	h.handle("PATCH /api/v1/scopes/{id}", step("patchScope", "Edit a scope's content with a JSON merge patch, recorded as a new revision", "ScopePatch"), h.auth(write(h, h.app.PatchScope)))
	h.handle("GET /api/v1/scopes/{id}/revisions", question("scopeRevisions", "Every recorded revision of the scope with its content, oldest first", "RevisionList"), h.auth(read(h, h.app.Revisions)))
	h.handle("POST /api/v1/scopes/{id}/submit", step("submitScope", "Send the scope to the implementation lead, validated under the team's calendar", ""), h.auth(write(h, submit)))
	h.handle("POST /api/v1/scopes/{id}/request-changes", step("requestScopeChanges", "Send a submitted scope back to sales with comments", "ChangeRequest"), h.auth(write(h, h.app.RequestChanges)))
	h.handle("POST /api/v1/scopes/{id}/approve-lead", step("approveScopeAsLead", "Approve the current revision as implementation lead, against the capacity given", "LeadApproval"), h.auth(write(h, h.app.ApproveAsLead)))
	h.handle("POST /api/v1/scopes/{id}/approve-client", step("approveScopeAsClient", "Approve the current revision for the client, after the lead", "ClientApproval"), h.auth(write(h, h.app.ApproveAsClient)))
	h.handle("POST /api/v1/scopes/{id}/feasibility", op{id: "scopeFeasibility", summary: "Schedule the scope against a capacity (or the one it was last judged against)",
		body: "CapacityQuestion", ok: 200, schema: "Feasibility", problems: []int{400, 401, 404, 409, 413}}, h.auth(ask(h, h.app.Feasibility)))
	h.handle("GET /api/v1/scopes/{id}/discrepancies", question("scopeDiscrepancies", "Reconcile the scope with its deal's proposal: every discrepancy, with its decision", "DiscrepancyList"), h.auth(read(h, h.app.Discrepancies)))
	h.handle("POST /api/v1/scopes/{id}/decisions", step("decideDiscrepancy", "Record the decision that settles a discrepancy", "Decision"), h.auth(write(h, h.app.Decide)))
	h.handle("GET /api/v1/deals/{id}/proposal", op{id: "getProposal", summary: "Read a deal's proposal",
		ok: 200, schema: "Proposal", etag: true, problems: []int{401, 404}}, h.auth(readDoc(h, h.app.GetProposal)))
	h.handle("PUT /api/v1/deals/{id}/proposal", op{id: "putProposal", summary: "Store a deal's proposal: a new one needs no If-Match, a stored one does",
		body: "Proposal", ok: 200, created: true, schema: "Proposal", etag: true,
		problems: []int{400, 401, 403, 404, 409, 412, 413, 428}}, h.auth(put(h, h.app.PutProposal)))
	h.handle("POST /api/v1/deals/{id}/payment-check", op{id: "checkPayment", summary: "The check a payment runs: payment_after_client_approval on the deal and its scope",
		body: "Payment", ok: 200, schema: "PaymentCheck", problems: []int{400, 401, 403, 404, 413, 422}}, h.auth(ask(h, h.app.CheckPayment)))
}

func (h *Handler) createScope(w http.ResponseWriter, r *http.Request, p app.Principal) {
	b, err := body(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.app.CreateScope(r.Context(), p, r.PathValue("id"), b)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/scopes/"+s.Value.ID)
	writeDoc(w, http.StatusCreated, s)
}

// put adapts a PUT of a document that may not exist yet: the first needs
// no If-Match (201), a stored one needs the current revision (200). Its
// target is the path's {id}, when the route has one.
func put[T any](h *Handler, q func(ctx context.Context, p app.Principal, id string, rev int64, body []byte) (app.Doc[T], bool, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		b, rev, err := writeInput(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d, created, err := q(r.Context(), p, r.PathValue("id"), rev, b)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		writeDoc(w, status, d)
	}
}

// ask adapts a question about one document that has a body.
func ask[T any](h *Handler, q func(ctx context.Context, p app.Principal, id string, body []byte) (T, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, p app.Principal) {
		b, err := body(w, r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v, err := q(r.Context(), p, r.PathValue("id"), b)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}
