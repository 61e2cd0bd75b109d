// Package jsonobj holds what the loaders of definitions (processes, policy
// sets) need of JSON objects beyond encoding/json: encoding/json keeps the
// last of a repeated key without a word, and a definition must say one
// thing.
package jsonobj

import (
	"bytes"
	"encoding/json"
)

// Repeated returns the keys given more than once in the JSON object raw,
// each once, in the order of their second occurrence. It returns nil when
// raw is not a well-formed object: the caller's decoding reports that.
func Repeated(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		k, ok := tok.(string)
		if !ok {
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
		if seen[k] {
			if !contains(out, k) {
				out = append(out, k)
			}
			continue
		}
		seen[k] = true
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
