package strictjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/internal/strictjson"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// lines returns the problems of d as "field: rule" lines.
func lines(d *strictjson.Decoder) []string {
	var out []string
	for _, e := range d.Errs() {
		out = append(out, e.Error())
	}
	return out
}

func TestDocument(t *testing.T) {
	for _, tc := range []struct {
		in   string
		keys []string
		want []string
		m    map[string]string // the map returned, raw values as text
	}{
		{`{"a":1}`, []string{"a"}, nil, map[string]string{"a": "1"}},
		{`{}`, []string{"a"}, nil, map[string]string{}},
		{` {"a":null} `, []string{"a"}, nil, map[string]string{}},
		{``, nil, []string{"doc: is not valid JSON: unexpected end of JSON input (at byte 0)"}, nil},
		{`{"a":1`, nil, []string{"doc: is not valid JSON: unexpected end of JSON input (at byte 6)"}, nil},
		{`{"a":1} {}`, nil, []string{"doc: is not valid JSON: invalid character '{' after top-level value (at byte 9)"}, nil},
		{`null`, nil, []string{"doc: must be a thing, a JSON object"}, nil},
		{`"x"`, nil, []string{"doc: must be a thing, a JSON object"}, nil},
		{`{"b":1,"a":2,"a":3,"":null}`, []string{"a"}, []string{
			"a: is given more than once; give each key once",
			`[""]: is not a field of a thing; the fields are a`,
			"b: is not a field of a thing; the fields are a",
		}, map[string]string{"a": "3", "b": "1"}},
		{`{"x":1}`, nil, []string{"x: is not a field of a thing, which has none"}, map[string]string{"x": "1"}},
	} {
		d := strictjson.NewDecoder("doc")
		m, ok := d.Document([]byte(tc.in), "a thing", tc.keys...)
		if diff := cmp.Diff(tc.want, lines(d)); diff != "" {
			t.Errorf("Document(%s) (-want +got):\n%s", tc.in, diff)
		}
		var got map[string]string
		if ok {
			got = map[string]string{}
			for k, v := range m {
				got[k] = string(v)
			}
		}
		if diff := cmp.Diff(tc.m, got); diff != "" {
			t.Errorf("Document(%s) map (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestValues checks each decoding rule of a value: what an absent value,
// null (as in a list), each type and each way of writing a number read as.
func TestValues(t *testing.T) {
	type result struct {
		Value any
		Probs []string
	}
	decode := func(kind string, raw json.RawMessage) result {
		d := strictjson.NewDecoder("doc")
		var v any
		switch kind {
		case "string":
			v = d.String("p", raw, "def")
		case "bool":
			v = d.Bool("p", raw, true)
		case "int":
			v = d.Int("p", raw, -1)
		case "strings":
			v = d.Strings("p", raw)
		case "array":
			v = len(d.Array("p", raw))
		}
		return result{v, lines(d)}
	}
	const notWhole = "p: must be a whole number, at most a billion in size"
	for _, tc := range []struct {
		kind, raw string // raw "" is an absent value
		want      result
	}{
		{"string", ``, result{"def", nil}},
		{"string", `"x"`, result{"x", nil}},
		{"string", `"\u00e9"`, result{"é", nil}},
		{"string", `null`, result{"def", []string{"p: must be a string"}}},
		{"string", `1`, result{"def", []string{"p: must be a string"}}},
		{"bool", ``, result{true, nil}},
		{"bool", `false`, result{false, nil}},
		{"bool", `null`, result{true, []string{"p: must be true or false"}}},
		{"bool", `"true"`, result{true, []string{"p: must be true or false"}}},
		{"bool", `1`, result{true, []string{"p: must be true or false"}}},
		{"int", ``, result{-1, nil}},
		{"int", `5`, result{5, nil}},
		{"int", `-5`, result{-5, nil}},
		{"int", `5.0`, result{5, nil}},
		{"int", `5e0`, result{5, nil}},
		{"int", `50e-1`, result{5, nil}},
		{"int", `1.008e4`, result{10080, nil}},
		{"int", `1e9`, result{1_000_000_000, nil}},
		{"int", `-1e9`, result{-1_000_000_000, nil}},
		{"int", `0.0`, result{0, nil}},
		{"int", `-0`, result{0, nil}},
		{"int", `1000000001`, result{-1, []string{notWhole}}},
		{"int", `1e10`, result{-1, []string{notWhole}}},
		{"int", `1e400`, result{-1, []string{notWhole}}},
		{"int", `1e-400`, result{-1, []string{notWhole}}},
		{"int", `5.5`, result{-1, []string{notWhole}}},
		{"int", `5.0000000000000001`, result{-1, []string{notWhole}}},
		{"int", `9007199254740993`, result{-1, []string{notWhole}}},
		{"int", `"5"`, result{-1, []string{notWhole}}},
		{"int", `null`, result{-1, []string{notWhole}}},
		{"int", `true`, result{-1, []string{notWhole}}},
		{"strings", ``, result{[]string(nil), nil}},
		{"strings", `[]`, result{[]string(nil), nil}},
		{"strings", `["a","b"]`, result{[]string{"a", "b"}, nil}},
		{"strings", `["a",null,3]`, result{[]string{"a", "", ""}, []string{"p[1]: must be a string", "p[2]: must be a string"}}},
		{"strings", `"a"`, result{[]string(nil), []string{"p: must be an array"}}},
		{"array", ``, result{0, nil}},
		{"array", `[null,{}]`, result{2, nil}},
		{"array", `null`, result{0, []string{"p: must be an array"}}},
		{"array", `{}`, result{0, []string{"p: must be an array"}}},
	} {
		var raw json.RawMessage
		if tc.raw != "" {
			raw = json.RawMessage(tc.raw)
		}
		if diff := cmp.Diff(tc.want, decode(tc.kind, raw)); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tc.kind, tc.raw, diff)
		}
	}
}

func TestFailedAt(t *testing.T) {
	d := strictjson.NewDecoder("doc")
	d.Fail("stages[0]", "bad")
	d.Fail("", "bad too")
	for path, want := range map[string]bool{
		"stages[0]": true, "stages[0].name": true, "stages[0].exit[1].kind": true,
		"stages[1]": false, "stages": false, "stages[01]": false,
	} {
		if got := d.FailedAt(path); got != want {
			t.Errorf("FailedAt(%q) = %v, want %v", path, got, want)
		}
	}
	if !d.Failed("") || d.Failed("stages[0].name") {
		t.Error("Failed looks beyond the path itself")
	}
	if got, want := d.Err().Error(), "stages[0]: bad\ndoc: bad too"; got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
}

// FuzzDecode reads arbitrary input as a document and decodes every value
// in it by every rule. Nothing panics; every problem is a field error with
// a path; a document is refused exactly when encoding/json refuses it or
// it is not an object; no key of a decoded object is null; and a whole
// number is exactly what decimal reads from a JSON number.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"a":1,"a":2}`, `{"a":null,"b":[null,1,"x",true,{"c":5.0}]}`,
		`{"n":1e400,"m":-0,"o":50e-1,"p":"5","q":9007199254740993}`, `{"\u00e9":{"":[[]]}}`, `{"a":1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := strictjson.NewDecoder("doc")
		m, ok := d.Document(data, "a thing", "a", "b")
		wellFormed := json.Valid(data)
		var obj map[string]json.RawMessage
		isObject := json.Unmarshal(data, &obj) == nil && obj != nil
		if ok != (wellFormed && isObject) {
			t.Fatalf("Document(%q) ok = %v; well-formed %v, object %v", data, ok, wellFormed, isObject)
		}
		var walk func(path string, raw json.RawMessage, depth int)
		walk = func(path string, raw json.RawMessage, depth int) {
			if depth > 20 {
				return
			}
			d.String(path, raw, "")
			d.Bool(path, raw, false)
			n := d.Int(path, raw, 0)
			if w, isWhole := strictjson.WholeNumber(raw); isWhole {
				want, err := decimal.NewFromString(strings.TrimSpace(string(raw)))
				if err != nil || !want.Equal(decimal.NewFromInt(int64(w))) || n != w {
					t.Fatalf("WholeNumber(%s) = %d; decimal reads %v (%v)", raw, w, want, err)
				}
			}
			for i, item := range d.Array(path, raw) {
				walk(fmt.Sprintf("%s[%d]", path, i), item, depth+1)
			}
			if obj, ok := d.Object(path, "a thing", raw); ok {
				for k, item := range obj {
					if strictjson.IsNull(item) {
						t.Fatalf("Object(%s) kept the null key %q", raw, k)
					}
					walk(strictjson.Path(path, k), item, depth+1)
				}
			}
		}
		for k, raw := range m {
			if strictjson.IsNull(raw) {
				t.Fatalf("Document(%s) kept the null key %q", data, k)
			}
			walk(strictjson.Path("", k), raw, 0)
		}
		for _, e := range d.Errs() {
			var fe *accord.FieldError
			if !errors.As(e, &fe) || fe.Field == "" || fe.Rule == "" {
				t.Fatalf("problem %v is not a field error with a path and a rule", e)
			}
		}
	})
}
