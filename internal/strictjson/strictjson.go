// Package strictjson is the one JSON decoder of the definitions a host
// writes as data: deal.Load and deal.LoadVariant (processes) and
// policy.Load (policy sets). It reads a document the way encoding/json
// would not, where a definition must say exactly one thing, and reports
// every problem at once, each an [*accord.FieldError] whose Field is the
// JSON path of the problem, such as "stages[2].exit[1].kind" or
// "policies[0].params.minutes".
//
// The rules, decided once for every loader:
//
//   - Syntax. The document is one well-formed JSON value; otherwise the
//     only problem reported is "is not valid JSON: ... (at byte N)" at the
//     document's name (such as "definition").
//   - Objects. Where an object is expected, anything else, null included,
//     is "must be <noun>, a JSON object".
//   - Keys. Each key is given once: a repeated key (compared as decoded,
//     so "\u0061" repeats "a") is "is given more than once" at its path,
//     not silently the last one. A key that is not a field of the object
//     is "is not a field of <noun>; the fields are ...", reported in the
//     order of the keys, so the same input gives the same errors.
//   - Null. A key whose value is null is absent, exactly as if it were not
//     given: it takes its default, or is reported as required. An element
//     of an array cannot be absent: null there is a value of the wrong
//     type.
//   - Types. A string is a JSON string, a flag is true or false, a list is
//     a JSON array: "5" is not a number and 1 is not a string.
//   - Whole numbers. A whole number is a JSON number (not a string) whose
//     value is whole, however it is written: 5, 5.0, 50e-1 and 5e0 are all
//     5. It is read exactly, so 5.0000000000000001 is not whole, and must
//     be at most a billion in size (1e10 and 1e400 are refused, not
//     rounded or wrapped).
//
// Paths are written as [Path] writes them: a key made of ASCII letters,
// digits and underscores after a dot, any other in brackets and quotes,
// an array index in brackets.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// Decoder decodes the parts of one document, collecting every problem.
// Its zero value is not usable: start with [NewDecoder].
type Decoder struct {
	root   string          // the name of the whole document in messages
	errs   []error         // the problems, in the order found
	failed map[string]bool // paths with a reported problem
}

// NewDecoder returns a decoder of a document called root in messages
// about the document as a whole, such as "definition" or "set".
func NewDecoder(root string) *Decoder {
	return &Decoder{root: root, failed: map[string]bool{}}
}

// Fail reports a problem at path; the empty path is the whole document.
func (d *Decoder) Fail(path, format string, args ...any) {
	d.errs = append(d.errs, accord.Invalid(d.at(path), format, args...))
	d.failed[path] = true
}

// Add reports err, a problem found by the caller, as it is.
func (d *Decoder) Add(err error) {
	if err != nil {
		d.errs = append(d.errs, err)
	}
}

// Errs returns the problems reported so far, in the order found.
func (d *Decoder) Errs() []error { return d.errs }

// Err returns the problems reported so far joined, or nil.
func (d *Decoder) Err() error { return errors.Join(d.errs...) }

// Failed reports whether a problem was reported at path itself.
func (d *Decoder) Failed(path string) bool { return d.failed[path] }

// FailedAt reports whether a problem was reported at path or at a path
// that holds it, such as "stages[0]" for "stages[0].name".
func (d *Decoder) FailedAt(path string) bool {
	for {
		if d.failed[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return false
		}
		path = path[:i]
	}
}

// at returns path, or the document's name for the empty path.
func (d *Decoder) at(path string) string {
	if path == "" {
		return d.root
	}
	return path
}

// Document decodes data, the whole document, as an object of noun with
// the given keys (see [Decoder.Object]). It returns false, having reported
// why, when data is not well-formed JSON or not an object.
func (d *Decoder) Document(data []byte, noun string, keys ...string) (map[string]json.RawMessage, bool) {
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			d.Fail("", "is not valid JSON: %s (at byte %d)", syn, syn.Offset)
		} else {
			d.Fail("", "is not valid JSON: %s", err)
		}
		return nil, false
	}
	return d.Object("", noun, data, keys...)
}

// Object decodes raw, the value at path, as an object of noun that has
// the given keys. It reports every key given more than once and every key
// not in keys, and leaves out of the map it returns every key whose value
// is null: such a key is absent. It returns false, having reported it,
// when raw is not an object (null included). raw must be well-formed, as
// every part of a document read with [Decoder.Document] is.
func (d *Decoder) Object(path, noun string, raw json.RawMessage, keys ...string) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		d.Fail(path, "must be %s, a JSON object", noun)
		return nil, false
	}
	for _, k := range Repeated(raw) {
		d.Fail(Path(path, k), "is given more than once; give each key once")
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !slices.Contains(keys, k) {
			if len(keys) == 0 {
				d.Fail(Path(path, k), "is not a field of %s, which has none", noun)
			} else {
				d.Fail(Path(path, k), "is not a field of %s; the fields are %s", noun, strings.Join(keys, ", "))
			}
		}
		if IsNull(m[k]) {
			delete(m, k)
		}
	}
	return m, true
}

// IsNull reports whether raw is the JSON null.
func IsNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// Array decodes raw, the value at path, as an array: nil for an absent
// value (nil raw), and nil, having reported it, for anything but an array.
func (d *Decoder) Array(path string, raw json.RawMessage) []json.RawMessage {
	if raw == nil {
		return nil
	}
	var out []json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil || out == nil {
		d.Fail(path, "must be an array")
		return nil
	}
	return out
}

// String decodes raw, the value at path, as a string: def for an absent
// value (nil raw), and def, having reported it, for anything but a
// string.
func (d *Decoder) String(path string, raw json.RawMessage, def string) string {
	if raw == nil {
		return def
	}
	var s string
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '"' || json.Unmarshal(t, &s) != nil {
		d.Fail(path, "must be a string")
		return def
	}
	return s
}

// Strings decodes raw, the value at path, as an array of strings: nil for
// an absent value or an empty array. Each element that is not a string is
// reported at its index.
func (d *Decoder) Strings(path string, raw json.RawMessage) []string {
	items := d.Array(path, raw)
	if len(items) == 0 {
		return nil
	}
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = d.String(fmt.Sprintf("%s[%d]", path, i), item, "")
	}
	return out
}

// Bool decodes raw, the value at path, as true or false: def for an
// absent value (nil raw), and def, having reported it, for anything else.
func (d *Decoder) Bool(path string, raw json.RawMessage, def bool) bool {
	if raw == nil {
		return def
	}
	var b bool
	if t := bytes.TrimSpace(raw); !bytes.Equal(t, []byte("true")) && !bytes.Equal(t, []byte("false")) || json.Unmarshal(t, &b) != nil {
		d.Fail(path, "must be true or false")
		return def
	}
	return b
}

// MaxWhole is the largest size of a whole number: a billion.
const MaxWhole = 1_000_000_000

// Int decodes raw, the value at path, as a whole number (see the package
// documentation): def for an absent value (nil raw), and def, having
// reported it, for anything else.
func (d *Decoder) Int(path string, raw json.RawMessage, def int) int {
	if raw == nil {
		return def
	}
	n, ok := WholeNumber(raw)
	if !ok {
		d.Fail(path, "must be a whole number, at most a billion in size")
		return def
	}
	return n
}

// WholeNumber reads raw as a whole number: a JSON number (not a string)
// whose value is whole however it is written (5, 5.0, 5e0), at most
// [MaxWhole] in size. It reads the number exactly, so 5.0000000000000001
// is not whole.
func WholeNumber(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return 0, false
	}
	var num json.Number
	if err := json.Unmarshal(raw, &num); err != nil {
		return 0, false
	}
	v, err := decimal.NewFromString(num.String())
	// Bound the exponent first: deciding whether 1e-999999999 is whole, or
	// comparing 1e999999999, would build a number of a billion digits.
	if err != nil || v.Exponent() < -40 || v.Exponent() > 40 || !v.IsInteger() || v.Abs().GreaterThan(decimal.NewFromInt(MaxWhole)) {
		return 0, false
	}
	return int(v.IntPart()), true
}

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
