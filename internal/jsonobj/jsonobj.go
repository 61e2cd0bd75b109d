// Package jsonobj holds what the loaders of definitions (processes, policy
// sets) need of JSON objects beyond encoding/json: encoding/json keeps the
// last of a repeated key without a word, and a definition must say one
// thing.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"io"
)

// Repeated returns the keys given more than once in the JSON object raw,
// each once, in the order in which each is first repeated. Keys compare as
// decoded, so "\u0061" repeats "a". It returns nil when raw is not one
// well-formed object: the caller's decoding reports that. It takes time
// linear in the size of raw.
func Repeated(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	seen := map[string]int{}
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
		seen[k]++
		if seen[k] == 2 {
			out = append(out, k)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil
	}
	return out
}
