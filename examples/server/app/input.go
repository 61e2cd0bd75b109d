package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/accordhq/accord"
)

// decode reads body into v strictly: a key v does not have, a value of the
// wrong type, or anything after the value is bad input.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid(jsonError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid(FieldError{Field: "", Rule: "must be one JSON value"})
	}
	return nil
}

func jsonError(err error) FieldError {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var fe *accord.FieldError
	switch {
	case errors.As(err, &fe):
		return FieldError{Field: fe.Field, Rule: fe.Rule}
	case errors.As(err, &te):
		return FieldError{Field: te.Field, Rule: fmt.Sprintf("must be a JSON %s", jsonKind(te.Type.Kind().String()))}
	case errors.As(err, &se):
		return FieldError{Field: "", Rule: fmt.Sprintf("is not valid JSON at byte %d", se.Offset)}
	case errors.Is(err, io.EOF):
		return FieldError{Field: "", Rule: "is required"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return FieldError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Rule: "is not a known field"}
	}
	return FieldError{Field: "", Rule: err.Error()}
}

func jsonKind(k string) string {
	switch k {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int64", "int32", "float64", "uint":
		return "number"
	case "bool":
		return "boolean"
	}
	return k
}

// patched returns cur with the RFC 7396 JSON merge patch applied: cur
// encoded, patched as JSON, and decoded strictly into a new T, so that a
// patch meets the same decoder as a created document.
func patched[T any](cur *T, patch map[string]any) (T, error) {
	var next T
	b, err := json.Marshal(cur)
	if err != nil {
		return next, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return next, err
	}
	mergePatch(doc, patch)
	if b, err = json.Marshal(doc); err != nil {
		return next, err
	}
	err = decode(b, &next)
	return next, err
}

// mergePatch applies an RFC 7396 JSON merge patch to doc.
func mergePatch(doc map[string]any, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(doc, k)
			continue
		}
		pv, ok := v.(map[string]any)
		dv, ok2 := doc[k].(map[string]any)
		if ok && ok2 {
			mergePatch(dv, pv)
			continue
		}
		if ok {
			m := map[string]any{}
			mergePatch(m, pv)
			doc[k] = m
			continue
		}
		doc[k] = v
	}
}
