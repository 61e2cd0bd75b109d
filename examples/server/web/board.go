package web

import (
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

type boardData struct {
	app.Board
	Query app.BoardQuery
	// Contracts maps a deal's ID to its contract's, for the link to the
	// customer page.
	Contracts map[string]string
}

func (h *Handler) board(w http.ResponseWriter, r *http.Request, u user) {
	q := app.BoardQuery{Owner: r.URL.Query().Get("owner"), Segment: r.URL.Query().Get("segment")}
	b, err := h.cfg.App.Board(r.Context(), u.Principal, q)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	contracts, err := h.cfg.App.ContractsByDeal(r.Context(), u.Principal)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	h.render(w, r, http.StatusOK, "board", &u, "Pipeline", boardData{Board: b, Query: q, Contracts: contracts})
}
