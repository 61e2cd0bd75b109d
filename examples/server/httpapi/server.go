package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/accordhq/accord/examples/server/app"
)

// MaxBody is the largest request body accepted; larger ones get 413.
const MaxBody = 1 << 20

// Handler serves the API.
type Handler struct {
	app *app.App
	log *slog.Logger
	mux *http.ServeMux
	// routes are the registered routes in order, each with what the
	// OpenAPI document says of it.
	table   []route
	openapi []byte
}

// New returns the API's handler.
func New(a *app.App, log *slog.Logger) *Handler {
	h := &Handler{app: a, log: log, mux: http.NewServeMux()}
	h.handle("GET /healthz", op{id: "health", summary: "Whether the service is up", public: true, ok: 200, schema: "Health"},
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"status":"ok"}`+"\n")
		})
	h.routes()
	h.scopeRoutes()
	h.contractRoutes()
	h.handle("GET /api/v1/openapi.json", op{id: "openapi", summary: "This document", public: true, ok: 200},
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(h.openapi)
		})
	doc, err := json.MarshalIndent(h.document(), "", "  ")
	if err != nil {
		panic(err) // the document is made of maps and strings only
	}
	h.openapi = append(doc, '\n')
	return h
}

// handle registers fn for pattern, described by o in the OpenAPI document.
func (h *Handler) handle(pattern string, o op, fn http.HandlerFunc) {
	h.mux.HandleFunc(pattern, fn)
	h.table = append(h.table, route{pattern: pattern, op: o})
}

// NewServer returns an http.Server for h with timeouts set, so that a slow
// or stalled client cannot hold a connection forever.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// ServeHTTP logs every request: its ID, route, actor, status and duration,
// never its token.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if id == "" || len(id) > 64 {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	w.Header().Set("X-Request-Id", id)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	info := &reqInfo{id: id}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
	h.mux.ServeHTTP(rec, r)
	attrs := []any{"id", id, "method", r.Method, "route", r.Pattern, "path", r.URL.Path,
		"status", rec.status, "duration", time.Since(start)}
	if info.actor.ID != "" {
		attrs = append(attrs, "actor", info.actor.ID, "role", info.actor.Role)
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "request", argsToAttrs(attrs)...)
}

func argsToAttrs(args []any) []slog.Attr {
	out := make([]slog.Attr, 0, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		out = append(out, slog.Any(args[i].(string), args[i+1]))
	}
	return out
}

type infoKey struct{}

type reqInfo struct {
	id    string
	actor app.Principal
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// handler is an API handler that knows who is calling.
type handler func(w http.ResponseWriter, r *http.Request, p app.Principal)

// auth checks the bearer token before calling next.
func (h *Handler) auth(next handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="accord"`)
			h.fail(w, r, &app.Error{Kind: app.KindUnauthenticated, Detail: "an Authorization: Bearer token is required"})
			return
		}
		p, err := h.app.Authenticate(r.Context(), token)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="accord", error="invalid_token"`)
			h.fail(w, r, err)
			return
		}
		if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
			info.actor = p
		}
		next(w, r, p)
	}
}

// body reads the request body, at most MaxBody bytes.
func body(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errTooLarge
	}
	return b, err
}

var errTooLarge = errors.New("request body too large")

// writeInput reads what every write carries: its body, and the revision
// its If-Match names (0 when it has none). One that names no revision this
// server made is read as the largest revision, so that the write is
// answered as stale, with the current document.
func writeInput(w http.ResponseWriter, r *http.Request) ([]byte, int64, error) {
	b, err := body(w, r)
	if err != nil {
		return nil, 0, err
	}
	rev := ifMatch(r)
	if rev < 0 {
		rev = 1<<63 - 1
	}
	return b, rev, nil
}

// ifMatch reads the revision of an If-Match header: 0 when there is none,
// -1 when it names no revision this server made.
func ifMatch(r *http.Request) int64 {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(v, `"`) {
		return -1
	}
	return n
}

func etag(rev int64) string { return `"` + strconv.FormatInt(rev, 10) + `"` }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

func writeDoc[T any](w http.ResponseWriter, status int, d app.Doc[T]) {
	w.Header().Set("ETag", etag(d.Rev))
	if d.JSON == nil {
		writeJSON(w, status, d.Value)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(d.JSON)
	w.Write([]byte{'\n'})
}
