package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
)

func TestOpenAPIDocumentsEveryRouteAndNothingElse(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := New(app.New(app.Config{Store: db}), slog.New(slog.NewTextHandler(io.Discard, nil)))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI    string `json:"openapi"`
		Paths      map[string]map[string]map[string]any
		Components struct {
			Schemas map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}

	// Every documented operation is served by the route of that pattern.
	var documented []string
	for path, item := range doc.Paths {
		for method, operation := range item {
			pattern := strings.ToUpper(method) + " " + path
			documented = append(documented, pattern)
			r := httptest.NewRequest(strings.ToUpper(method), strings.ReplaceAll(path, "{id}", "x"), nil)
			if _, got := h.mux.Handler(r); got != pattern {
				t.Errorf("%s is documented but the mux serves it with %q", pattern, got)
			}
			responses, _ := operation["responses"].(map[string]any)
			if len(responses) == 0 {
				t.Errorf("%s documents no response", pattern)
			}
			for code, resp := range responses {
				content, _ := resp.(map[string]any)["content"].(map[string]any)
				_, problem := content["application/problem+json"]
				if (code >= "400") != problem {
					t.Errorf("%s %s: problem+json %v, want it for 4xx and 5xx only", pattern, code, problem)
				}
			}
		}
	}
	// Every registered route is documented.
	var served []string
	for _, rt := range h.table {
		served = append(served, rt.pattern)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("documented %v\n served %v", documented, served)
	}
	// Every schema referred to exists.
	var refs func(v any)
	refs = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if _, ok := doc.Components.Schemas[strings.TrimPrefix(r, "#/components/schemas/")]; !ok {
					t.Errorf("$ref %s names no schema", r)
				}
			}
			for _, x := range v {
				refs(x)
			}
		case []any:
			for _, x := range v {
				refs(x)
			}
		}
	}
	var all any
	json.Unmarshal(w.Body.Bytes(), &all)
	refs(all)
}
