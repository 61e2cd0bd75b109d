// Package jsonobj holds what the loaders of definitions (processes, policy
// sets) need of JSON objects beyond encoding/json: the repeated keys, which
// encoding/json keeps the last of without a word when a definition must say
// one thing, and the paths their errors name.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Path returns the path of key k of the object at path, the empty path
// being the whole document: path.k, or path["k"] for a key that is not made
// of ASCII letters, digits and underscores, such as ["a b"] or [""].
func Path(path, k string) string {
	plain := k != ""
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return fmt.Sprintf("%s[%q]", path, k)
	case path == "":
		return k
	}
	return path + "." + k
}

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
