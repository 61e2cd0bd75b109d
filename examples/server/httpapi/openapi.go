package httpapi

import (
	"net/http"
	"strconv"
	"strings"
)

// The OpenAPI 3.1 document is made from the routes as they are registered
// (see Handler.handle), so that a route cannot be served undocumented; a
// test checks the document against the mux both ways.

// op is what the document says of one route.
type op struct {
	id, summary string
	// body names the schema of the request body; "" for none.
	body string
	// ok is the success status and schema the name of its body's schema
	// ("" for a body the document does not describe).
	ok     int
	schema string
	// write means the route needs If-Match and answers with an ETag.
	write bool
	// etag means the answer carries the document's ETag.
	etag bool
	// created means the route may also answer 201 with the same body.
	created bool
	// query lists the query parameters.
	query []string
	// problems are the statuses answered with a problem document, beside
	// 500.
	problems []int
	// public means no token is needed.
	public bool
}

type route struct {
	pattern string
	op      op
}

type obj = map[string]any

func ref(schema string) obj { return obj{"$ref": "#/components/schemas/" + schema} }

func (h *Handler) document() obj {
	paths := obj{}
	for _, rt := range h.table {
		method, path, _ := strings.Cut(rt.pattern, " ")
		o := rt.op
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		var params []any
		if strings.Contains(path, "{id}") {
			params = append(params, obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
		for _, q := range o.query {
			s := obj{"type": "string"}
			if q == "limit" {
				s = obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
			}
			params = append(params, obj{"name": q, "in": "query", "schema": s})
		}
		if o.write {
			params = append(params, obj{"name": "If-Match", "in": "header", "required": true,
				"description": "The ETag of the document as read; a stale one gets 412 with the document as it is.",
				"schema":      obj{"type": "string"}})
		}
		ok := obj{"description": http.StatusText(o.ok)}
		if o.schema != "" {
			ok["content"] = obj{"application/json": obj{"schema": ref(o.schema)}}
		} else {
			ok["content"] = obj{"application/json": obj{"schema": obj{"type": "object"}}}
		}
		if o.write || o.etag || o.id == "getDeal" || o.id == "createDeal" {
			ok["headers"] = obj{"ETag": obj{"description": "The storage revision of the document.", "schema": obj{"type": "string"}}}
		}
		responses := obj{strconv.Itoa(o.ok): ok}
		if o.created {
			responses["201"] = obj{"description": http.StatusText(http.StatusCreated), "content": ok["content"], "headers": ok["headers"]}
		}
		for _, code := range append(o.problems, http.StatusInternalServerError) {
			responses[strconv.Itoa(code)] = obj{"description": problemText(code),
				"content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
		}
		operation := obj{"operationId": o.id, "summary": o.summary, "responses": responses}
		if len(params) > 0 {
			operation["parameters"] = params
		}
		if o.body != "" {
			operation["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(o.body)}}}
		}
		if o.public {
			operation["security"] = []any{}
		}
		item[strings.ToLower(method)] = operation
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "accord reference service", "version": "1",
			"description": "The accord library's deal process behind a JSON API. Errors are RFC 9457 problem details."},
		"servers":  []any{obj{"url": "/"}},
		"security": []any{obj{"bearer": []any{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer",
				"description": "An API token from `accordd token create`, bound to an actor and role."}},
			"schemas": schemas,
		},
	}
}

func problemText(code int) string {
	switch code {
	case http.StatusUnprocessableEntity:
		return "Refused by the process: unmet lists every unmet criterion, as the library reported it"
	case http.StatusPreconditionFailed:
		return "The document changed since it was read: current is the document as it is"
	case http.StatusPreconditionRequired:
		return "A write needs If-Match"
	case http.StatusBadRequest:
		return "Invalid request: errors lists every invalid field"
	}
	return http.StatusText(code)
}

var (
	object = func(desc string) obj { return obj{"type": "object", "description": desc} }
	array  = func(items obj) obj { return obj{"type": "array", "items": items} }
	str    = obj{"type": "string"}
)

var schemas = obj{
	"Problem": obj{"type": "object", "required": []any{"type", "title", "status"},
		"properties": obj{
			"type": str, "title": str, "status": obj{"type": "integer"}, "detail": str, "instance": str,
			"request_id": str,
			"unmet":      array(ref("Unmet")),
			"errors":     array(ref("FieldError")),
			"current":    object("The document as it is now, with a 412."),
		}},
	"FieldError": obj{"type": "object", "required": []any{"field", "rule"},
		"properties": obj{"field": str, "rule": str}},
	"Unmet":     object("An unmet criterion, as the library reports it."),
	"UnmetList": array(ref("Unmet")),
	"Deal": obj{"type": "object", "description": "The library's deal document.",
		"properties": obj{"id": str, "account_id": str, "owner": str, "segment": str, "stage": str,
			"version": obj{"type": "integer", "description": "Counts moves only; the ETag counts every write."}}},
	"DealPatch": object("A JSON merge patch (RFC 7396) of a deal's fields; the fields the process maintains are refused."),
	"DealList": obj{"type": "object", "required": []any{"deals"},
		"properties": obj{"deals": array(ref("Deal")), "next": obj{"type": "string", "description": "The cursor of the next page, as after."}}},
	"Revert":    obj{"type": "object", "additionalProperties": false, "properties": obj{"to": str, "reason": str}},
	"Lose":      obj{"type": "object", "additionalProperties": false, "properties": obj{"reason": str, "note": str}},
	"MoveList":  array(object("A move the deal can make now, with what blocks it.")),
	"RiskList":  array(object("A risk flag.")),
	"EventList": array(object("An event of the deal's history.")),
	"Health":    obj{"type": "object", "properties": obj{"status": str}},

	"Scope": obj{"type": "object", "description": "The library's Scope of Work: its content and its review.",
		"properties": obj{"id": str, "deal_id": str, "title": str,
			"review": object("The review: status, revision, digest, approvals, comments, decisions and history; set by the review only.")}},
	"ScopeContent": object("A Scope of Work's content (the library's JSON without review); id and deal_id may be repeated, not changed."),
	"ScopePatch":   object("A JSON merge patch (RFC 7396) of a scope's content; id, deal_id and review are refused."),
	"RevisionList": array(obj{"type": "object", "properties": obj{"revision": obj{"type": "integer"}, "digest": str,
		"at": str, "by": str, "content": object("The content of the revision.")}}),
	"ChangeRequest": obj{"type": "object", "additionalProperties": false, "required": []any{"comments"},
		"properties": obj{"comments": array(obj{"type": "object", "additionalProperties": false,
			"properties": obj{"step": str, "deliverable": str, "text": str}})}},
	"Capacity": object("The team's capacity: hours per working day per role (per_role) and per person (people)."),
	"LeadApproval": obj{"type": "object", "additionalProperties": false,
		"properties": obj{"revision": obj{"type": "integer", "description": "0 or absent: the current revision, which If-Match pins."},
			"capacity": ref("Capacity"), "override": str}},
	"ClientApproval": obj{"type": "object", "additionalProperties": false,
		"properties": obj{"revision": obj{"type": "integer", "description": "0 or absent: the current revision, which If-Match pins."}}},
	"CapacityQuestion": obj{"type": "object", "additionalProperties": false, "properties": obj{"capacity": ref("Capacity")}},
	"Feasibility": obj{"type": "object", "description": "The library's feasibility, with its verdict.",
		"properties": obj{"feasible": obj{"type": "boolean"}, "start": str, "scoped_finish": str, "feasible_finish": str,
			"slip_days": obj{"type": "integer"}, "overloads": array(object("An overloaded day of a role.")), "unstaffed": array(str)}},
	"DiscrepancyList": array(obj{"type": "object", "description": "A discrepancy between proposal and scope, as the library reports it.",
		"properties": obj{"kind": str, "subject": str, "proposed": str, "scoped": str, "message": str,
			"resolution": object("The recorded decision, or null.")}}),
	"Decision": obj{"type": "object", "additionalProperties": false, "required": []any{"discrepancy", "change"},
		"properties": obj{"discrepancy": object("The discrepancy as listed."), "change": obj{"type": "string", "enum": []any{"proposal", "scope"}}, "note": str}},
	"Proposal": object("The library's proposal: id, deal_id, deliverables, weeks or go_live, entitlements, price."),
	"Payment": obj{"type": "object", "additionalProperties": false,
		"properties": obj{"id": str, "amount": object("An amount and its currency.")}},
	"PaymentCheck": obj{"type": "object", "properties": obj{"allowed": obj{"type": "boolean"}, "deal_id": str,
		"scope_id": str, "revision": obj{"type": "integer"}}},

	"Contract": obj{"type": "object", "description": "The library's contract: parties, term, renewal, scope, refund terms, status and history.",
		"properties": obj{"id": str, "deal_id": str, "owner": str, "status": str,
			"term":    object("The current term: start, end, renewal, months and value."),
			"version": obj{"type": "integer", "description": "Counts events after the creation; the ETag counts every write."}}},
	"ContractCreate": obj{"type": "object", "additionalProperties": false,
		"description": "What the parties agreed beyond the deal and its scope; empty fields take the deal's (start, term, client, owner).",
		"properties": obj{"id": str, "vendor": object("The selling party: id and name; the service's by default."),
			"client": object("The buying party: id and name."), "owner": str,
			"start": obj{"type": "string", "format": "date"}, "months": obj{"type": "integer"},
			"billing":    obj{"type": "string", "enum": []any{"one_off", "monthly", "annual"}},
			"commitment": obj{"type": "string", "enum": []any{"month_to_month", "term", "multi_year"}},
			"auto_renew": obj{"type": "boolean"}, "notice_days": obj{"type": "integer"}, "window_days": obj{"type": "integer"},
			"refund_terms": object("The refund basis: all_paid (default) or current_term."),
			"time_zone":    obj{"type": "string", "description": "The zone the deal's implementation start is read in; UTC by default."}}},
	"GoLive": obj{"type": "object", "additionalProperties": false,
		"properties": obj{"at": obj{"type": "string", "format": "date-time", "description": "Now when absent."}, "reason": str}},
	"StatusChange": obj{"type": "object", "additionalProperties": false, "required": []any{"to", "reason"},
		"properties": obj{"to": obj{"type": "string", "enum": []any{"onboarding", "active", "paused", "at_risk", "lapsed"}}, "reason": str}},
	"Renewal": obj{"type": "object", "additionalProperties": false, "required": []any{"months", "value"},
		"properties": obj{"months": obj{"type": "integer"}, "value": object("An amount and its currency.")}},
	"Churn": obj{"type": "object", "additionalProperties": false, "required": []any{"reason"},
		"properties": obj{"reason": str, "note": str}},
	"RefundRequest": obj{"type": "object", "additionalProperties": false, "properties": obj{"reason": str}},
	"Renewals": obj{"type": "object", "properties": obj{
		"alerts":   array(object("A renewal alert, as the library reports it, with its idempotency key.")),
		"enqueued": obj{"type": "integer", "description": "How many alerts were new to the outbox."}}},
	"PolicySet": obj{"type": "object", "description": "The library's policy set: policy IDs and their parameters.",
		"properties": obj{"policies": array(obj{"type": "object", "properties": obj{"id": str, "params": object("The policy's parameters.")}})}},
	"PolicySubject": obj{"type": "object", "additionalProperties": false,
		"description": "What to check: a stored deal by ID (with its scope), and any other parts as the library's JSON.",
		"properties": obj{"deal_id": str, "closing": obj{"type": "boolean"}, "discount": object("A proposed discount."),
			"lead": object("A lead."), "payment": object("A payment request."), "refund": object("A refund request."),
			"terms": object("Proposed contract terms."), "plan": object("A compensation plan."), "catalog": object("The product catalog.")}},
	"PolicyCheck": obj{"type": "object", "properties": obj{"allowed": obj{"type": "boolean"},
		"violations": array(object("A violation: policy, subject, owner, message, field."))}},
	"PipelineReport":  object("The library's pipeline result: counts, conversion, win rates, time in stage, cycles, loss reasons."),
	"RetentionReport": object("The library's retention result: renewals, GRR and NRR, refund rate, time to live, slippage."),
}
