package web

import (
	"net/http"

	"github.com/accordhq/accord/examples/server/app"
)

type boardData struct {
	app.Board
	Query app.BoardQuery
}

func (h *Handler) board(w http.ResponseWriter, r *http.Request, u user) {
	q := app.BoardQuery{Owner: r.URL.Query().Get("owner"), Segment: r.URL.Query().Get("segment")}
	b, err := h.cfg.App.Board(r.Context(), u.Principal, q)
	if err != nil {
		h.fail(w, r, &u, err)
		return
	}
	h.render(w, r, http.StatusOK, "board", &u, "Pipeline", boardData{Board: b, Query: q})
}
