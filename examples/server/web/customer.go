package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/examples/server/app"
)

// customerData is the customer page, with the answer to the form just
// sent.
type customerData struct {
	app.CustomerPage
	// Refused is a refused change with every unmet criterion; Notice says
	// what else went wrong.
	Refused  *contractRefusal
	Notice   string
	Problems []app.FieldError
	CSRF     string
}

type contractRefusal struct {
	Action string
	Unmet  []accord.Unmet
}

func (h *Handler) loadCustomer(w http.ResponseWriter, r *http.Request, u user) (*customerData, bool) {
	pg, err := h.cfg.App.CustomerPage(r.Context(), u.Principal, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &u, err)
		return nil, false
	}
	return &customerData{CustomerPage: pg, CSRF: u.FormToken}, true
}

func (h *Handler) customerPage(w http.ResponseWriter, r *http.Request, u user) {
	d, ok := h.loadCustomer(w, r, u)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "customer", &u, d.Account, d)
}

// renewArgs is what the renew form needs: the contract as read, its
// current term's length and value as the new term's defaults, and the
// session's form token. The renewals page and the customer page share it.
type renewArgs struct {
	ID     string
	Rev    int64
	Months int
	Value  accord.Money
	CSRF   string
}

// contractAction records a go-live, a status change, a renewal, a churn
// or a refund on the contract as read at the form's revision.
func (h *Handler) contractAction(w http.ResponseWriter, r *http.Request, u user) {
	a, id, ctx := h.cfg.App, r.PathValue("id"), r.Context()
	action := r.PathValue("action")
	var err error
	switch action {
	case "renew":
		months, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("months")))
		if perr != nil {
			err = &app.Error{Kind: app.KindInvalid, Fields: []app.FieldError{{Field: "months", Rule: "must be a whole number of months, such as 12"}}}
			break
		}
		body, _ := json.Marshal(map[string]any{"months": months,
			"value": map[string]string{"amount": strings.TrimSpace(r.PostFormValue("amount")), "currency": r.PostFormValue("currency")}})
		_, err = a.Renew(ctx, u.Principal, id, rev(r), body)
	case "go-live":
		body, _ := json.Marshal(app.GoLiveInput{Reason: r.PostFormValue("reason")})
		_, err = a.GoLive(ctx, u.Principal, id, rev(r), body)
	case "move":
		body, _ := json.Marshal(app.MoveInput{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason")})
		_, err = a.MoveContract(ctx, u.Principal, id, rev(r), body)
	case "churn":
		body, _ := json.Marshal(app.ChurnInput{Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note")})
		_, err = a.Churn(ctx, u.Principal, id, rev(r), body)
	case "refund":
		body, _ := json.Marshal(app.RefundInput{Reason: r.PostFormValue("reason")})
		_, err = a.Refund(ctx, u.Principal, id, rev(r), body)
	default:
		h.problem(w, r, &u, http.StatusNotFound, "Not found", "There is nothing here, or nothing you may see.")
		return
	}
	if err == nil {
		http.Redirect(w, r, "/contracts/"+id, http.StatusSeeOther)
		return
	}
	var e *app.Error
	if !errors.As(err, &e) || e.Kind == app.KindNotFound || e.Kind == app.KindInternal {
		h.fail(w, r, &u, err)
		return
	}
	d, ok := h.loadCustomer(w, r, u)
	if !ok {
		return
	}
	status := http.StatusBadRequest
	switch e.Kind {
	case app.KindBlocked:
		status = http.StatusUnprocessableEntity
		d.Refused = &contractRefusal{Action: action, Unmet: e.Unmet}
	case app.KindStale:
		status = http.StatusConflict
		d.Notice = "This contract was changed by someone else since you opened it, so nothing was saved. Here it is as it is now; make your change again."
	case app.KindInvalid:
		d.Problems = e.Fields
		if len(e.Fields) == 0 {
			d.Notice = e.Detail
		}
	default:
		status, _, d.Notice = classify(err)
	}
	h.render(w, r, status, "customer", &u, d.Account, d)
}

// renewalsData is the renewals due page.
type renewalsData struct {
	Due   []app.DueRenewal
	Today accord.Date
	CSRF  string
}

func (h *Handler) renewals(w http.ResponseWriter, r *http.Request, u user) {
	due, err := h.cfg.App.RenewalsPage(r.Context(), u.Principal)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	h.render(w, r, http.StatusOK, "renewals", &u, "Renewals due", renewalsData{Due: due, Today: h.cfg.App.Today(), CSRF: u.FormToken})
}
