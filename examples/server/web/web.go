package web

import (
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// cookieName is the name of the session cookie.
const cookieName = "accord_session"

// Config configures the pages.
type Config struct {
	App *app.App
	Log *slog.Logger
	// Demo, when not empty, are the people the sign-in page offers to
	// sign in as without a token (accordd -demo).
	Demo []app.Principal
	// Seen, when not nil, is told who makes each signed-in request, for
	// the request log.
	Seen func(r *http.Request, p app.Principal)
}

// Handler serves the pages.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	tmpl map[string]*template.Template
	cop  *http.CrossOriginProtection
}

// New returns the pages' handler.
func New(cfg Config) *Handler {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), tmpl: parseTemplates(), cop: http.NewCrossOriginProtection()}
	h.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.problem(w, r, nil, http.StatusForbidden, "This form came from another site",
			"The request was sent by a page of another origin, so it was refused. Open the page on this site and try again.")
	}))
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	h.mux.HandleFunc("GET /signin", h.signInPage)
	h.mux.HandleFunc("POST /signin", h.signIn)
	h.mux.HandleFunc("POST /signout", h.session(h.signOut))
	h.mux.HandleFunc("GET /{$}", h.session(h.board))
	h.mux.HandleFunc("GET /deals/{id}", h.session(h.dealPage))
	h.mux.HandleFunc("POST /deals/{id}/fields", h.session(h.saveFields))
	h.mux.HandleFunc("POST /deals/{id}/items", h.session(h.addItem))
	h.mux.HandleFunc("POST /deals/{id}/{move}", h.session(h.move))
	h.mux.HandleFunc("GET /scopes/{id}", h.session(h.scopePage))
	h.mux.HandleFunc("POST /scopes/{id}/{action}", h.session(h.scopeAction))
	h.mux.HandleFunc("GET /static/chart.css", chartCSS)
	h.mux.HandleFunc("GET /contracts/{id}", h.session(h.customerPage))
	h.mux.HandleFunc("POST /contracts/{id}/{action}", h.session(h.contractAction))
	h.mux.HandleFunc("GET /renewals", h.session(h.renewals))
	h.mux.HandleFunc("GET /report", h.session(h.report))
	return h
}

// Patterns lists the paths the pages are served under, for a mux that
// serves the pages beside other handlers.
func Patterns() []string {
	return []string{"/static/", "/signin", "/signout", "/{$}", "/deals/", "/scopes/", "/contracts/", "/renewals", "/report"}
}

// ServeHTTP serves a page. Unsafe requests from another origin are refused
// before any handler sees them.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	h.cop.Handler(h.mux).ServeHTTP(w, r)
}

// user is who is signed in, with the session's form token.
type user struct {
	app.Principal
	FormToken string
	// Customers are the contracts of a client's own account, which its
	// navigation links to.
	Customers []string
}

// Client tells whether the user is a client, who sees only its own
// account's pages.
func (u user) Client() bool { return u.Role == "client" }

type page func(w http.ResponseWriter, r *http.Request, u user)

// session resolves the session cookie: without a live session a page
// sends the browser to sign in, and an unsafe request without the
// session's form token is refused.
func (h *Handler) session(next page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		var p app.Principal
		if err == nil {
			p, err = h.cfg.App.Session(r.Context(), c.Value)
		}
		if err != nil {
			var e *app.Error
			if errors.As(err, &e) && e.Kind != app.KindUnauthenticated {
				h.fail(w, r, nil, err)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+r.URL.EscapedPath(), http.StatusSeeOther)
				return
			}
			h.problem(w, r, nil, http.StatusUnauthorized, "Signed out", "Your session has ended. Sign in again.")
			return
		}
		u := user{Principal: p, FormToken: app.FormToken(c.Value)}
		if u.Client() && r.Method == http.MethodGet {
			byDeal, err := h.cfg.App.ContractsByDeal(r.Context(), p)
			if err != nil {
				h.fail(w, r, &u, err)
				return
			}
			for _, id := range byDeal {
				u.Customers = append(u.Customers, id)
			}
			slices.Sort(u.Customers)
		}
		if h.cfg.Seen != nil {
			h.cfg.Seen(r, p)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			got := r.PostFormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(u.FormToken)) != 1 {
				h.problem(w, r, &u, http.StatusForbidden, "This form has expired",
					"The form was sent without this session's security token, so nothing was changed. Reload the page and try again.")
				return
			}
		}
		next(w, r, u)
	}
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(app.SessionTTL / time.Second)})
}

func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: -1})
}
