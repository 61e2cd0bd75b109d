// Package jsontest passes a value through its JSON form, as a host that
// stores documents as JSON loads them again: the one way the module's
// tests make such a copy. It is imported by tests only.
package jsontest

import "encoding/json"

// TB is what RoundTrip needs of a *testing.T, a *testing.B or a *rapid.T.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// RoundTrip marshals v and unmarshals the result into a new T, failing the
// test on either error; it returns the copy and v's encoding.
func RoundTrip[T any](t TB, v T) (T, []byte) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	var back T
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("unmarshal %T from %s: %v", back, raw, err)
	}
	return back, raw
}

// Copy returns a deep copy of v made through its JSON form: the value a
// host that stored v has when it loads it again.
func Copy[T any](t TB, v T) T {
	t.Helper()
	back, _ := RoundTrip(t, v)
	return back
}
