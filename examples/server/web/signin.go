package web

import (
	"net/http"
	"strconv"
	"strings"
)

type signInData struct {
	Next  string
	Demo  []demoUser
	Error string
}

type demoUser struct {
	Index            int
	Name, Role, Note string
}

func (h *Handler) demoUsers() []demoUser {
	var out []demoUser
	for i, p := range h.cfg.Demo {
		d := demoUser{Index: i, Name: p.Name, Role: roleName(p.Role)}
		if p.Account != "" {
			d.Note = "account " + p.Account
		}
		out = append(out, d)
	}
	return out
}

// localPath keeps next to a path on this site, so that sign-in cannot be
// used to send someone elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "signin", nil, "Sign in",
		signInData{Next: localPath(r.URL.Query().Get("next")), Demo: h.demoUsers()})
}

// signIn starts a session for a token, or in demo mode for a demo person.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	var secret string
	var err error
	if as := r.PostFormValue("as"); as != "" {
		i, cerr := strconv.Atoi(as)
		if cerr != nil || i < 0 || i >= len(h.cfg.Demo) {
			h.render(w, r, http.StatusBadRequest, "signin", nil, "Sign in",
				signInData{Next: next, Demo: h.demoUsers(), Error: "There is no such demo person."})
			return
		}
		secret, err = h.cfg.App.SignInAs(r.Context(), h.cfg.Demo[i])
	} else {
		secret, _, err = h.cfg.App.SignIn(r.Context(), strings.TrimSpace(r.PostFormValue("token")))
	}
	if err != nil {
		status, _, _ := classify(err)
		if status == http.StatusUnauthorized {
			h.render(w, r, status, "signin", nil, "Sign in",
				signInData{Next: next, Demo: h.demoUsers(), Error: "That token is not valid. Check it and try again."})
			return
		}
		h.fail(w, r, nil, err)
		return
	}
	h.setSession(w, r, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, u user) {
	if c, err := r.Cookie(cookieName); err == nil {
		if err := h.cfg.App.SignOut(r.Context(), c.Value); err != nil {
			h.fail(w, r, &u, err)
			return
		}
	}
	clearSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
