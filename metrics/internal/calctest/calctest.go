// Package calctest checks what every calculator of package metrics and its
// subpackages promises: the merge laws of an accumulator, rates within
// bounds, results that survive JSON, errors that name their fields.
package calctest

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A Calc is one accumulator under test: how to build it, feed it, merge
// it and read it.
type Calc[T any] struct {
	Name   string
	Gen    *rapid.Generator[T]
	Build  func(t *rapid.T) any
	Add    func(acc any, x T) error
	Merge  func(acc, other any) error
	Result func(acc any) any
}

// MoneyEqual compares amounts by value: 1.0 equals 1.
var MoneyEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// CheckMergeLaws checks, on random inputs, that merging the accumulators of
// any split of the input equals one accumulator fed the whole input, that
// Merge is associative and commutative, that merging an accumulator into
// itself doubles it, and that every rate has 0 ≤ Num ≤ Den.
func CheckMergeLaws[T any](t *testing.T, c Calc[T]) {
	t.Run(c.Name, func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			xs := rapid.SliceOfN(c.Gen, 0, 30).Draw(t, "inputs")
			feed := func(part []T) any {
				a := c.Build(t)
				for _, x := range part {
					_ = c.Add(a, x) // refusals are part of the result
				}
				return a
			}
			merge := func(a, b any) any {
				if err := c.Merge(a, b); err != nil {
					t.Fatalf("Merge: %v", err)
				}
				return a
			}
			whole := c.Result(feed(xs))
			CheckRates(t, whole)
			CheckJSON(t, whole)

			// Any split, merged in a random order.
			cuts := rapid.SliceOfNDistinct(rapid.IntRange(0, len(xs)), 0, 4, rapid.ID).Draw(t, "cuts")
			slices.Sort(cuts)
			var parts []any
			last := 0
			for _, cut := range append(cuts, len(xs)) {
				parts = append(parts, feed(xs[last:cut]))
				last = cut
			}
			order := rapid.Permutation(parts).Draw(t, "order")
			acc := c.Build(t)
			for _, p := range order {
				acc = merge(acc, p)
			}
			if diff := cmp.Diff(whole, c.Result(acc), MoneyEqual); diff != "" {
				t.Fatalf("split %v merged differs from the whole (-whole +merged):\n%s", cuts, diff)
			}

			// Any split over k shards in other processes: each shard's
			// partial written, read into a fresh accumulator and merged.
			checkPartials(t, c, xs, feed, whole)

			// Associative and commutative, over three parts.
			i := rapid.IntRange(0, len(xs)).Draw(t, "i")
			j := rapid.IntRange(i, len(xs)).Draw(t, "j")
			a, b, cc := xs[:i], xs[i:j], xs[j:]
			left := merge(merge(feed(a), feed(b)), feed(cc))
			right := merge(feed(a), merge(feed(b), feed(cc)))
			if diff := cmp.Diff(c.Result(left), c.Result(right), MoneyEqual); diff != "" {
				t.Fatalf("(a+b)+c differs from a+(b+c):\n%s", diff)
			}
			ab, ba := merge(feed(a), feed(b)), merge(feed(b), feed(a))
			if diff := cmp.Diff(c.Result(ab), c.Result(ba), MoneyEqual); diff != "" {
				t.Fatalf("a+b differs from b+a:\n%s", diff)
			}

			// Merging into itself equals merging a copy.
			self := feed(xs)
			self = merge(self, self)
			twice := merge(feed(xs), feed(xs))
			if diff := cmp.Diff(c.Result(twice), c.Result(self), MoneyEqual); diff != "" {
				t.Fatalf("x+x differs from x+copy of x:\n%s", diff)
			}
		})
	})
}

// checkPartials checks that the inputs xs, each sent to one of k shards
// at random, give whole when each shard's accumulator is written as a
// partial, read back in a fresh accumulator (or one that already holds
// other inputs: reading replaces them) and merged; and that writing what
// was read gives the same bytes.
func checkPartials[T any](t *rapid.T, c Calc[T], xs []T, feed func([]T) any, whole any) {
	k := rapid.IntRange(1, 6).Draw(t, "shards")
	shards := make([][]T, k)
	for _, x := range xs {
		i := rapid.IntRange(0, k-1).Draw(t, "shard")
		shards[i] = append(shards[i], x)
	}
	acc := c.Build(t)
	for i, shard := range shards {
		part := feed(shard)
		m, ok := part.(encoding.BinaryMarshaler)
		if !ok {
			t.Fatalf("%T has no partial: it must implement encoding.BinaryMarshaler and BinaryUnmarshaler (see package metrics, Partials)", part)
		}
		data, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("shard %d: MarshalBinary: %v", i, err)
		}
		read := c.Build(t)
		if rapid.Bool().Draw(t, "read into a used accumulator") {
			read = feed(xs)
		}
		if err := read.(encoding.BinaryUnmarshaler).UnmarshalBinary(data); err != nil {
			t.Fatalf("shard %d: UnmarshalBinary of its own partial: %v", i, err)
		}
		again, err := read.(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			t.Fatalf("shard %d: MarshalBinary after reading: %v", i, err)
		}
		if !bytes.Equal(data, again) {
			t.Fatalf("shard %d: the partial read back writes other bytes:\n%x\n%x", i, data, again)
		}
		if diff := cmp.Diff(c.Result(part), c.Result(read), MoneyEqual); diff != "" {
			t.Fatalf("shard %d: result differs after a round trip (-before +after):\n%s", i, diff)
		}
		if err := c.Merge(acc, read); err != nil {
			t.Fatalf("shard %d: Merge of a partial read back: %v", i, err)
		}
	}
	if diff := cmp.Diff(whole, c.Result(acc), MoneyEqual); diff != "" {
		t.Fatalf("%d shards written, read and merged differ from one pass (-whole +merged):\n%s", k, diff)
	}
}

// A Partial is an accumulator with a written form, built afresh by New.
type Partial interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// FuzzPartials reads the fuzzer's bytes as a partial of the kind its first
// byte picks among builders (each returns a fresh accumulator and its
// Result), and checks that reading never panics and that a partial read
// without error writes back bytes that read again to the same result and
// the same bytes, and merges. seeds are written partials of every kind,
// prefixed by their kind's index.
func FuzzPartials(f *testing.F, builders []func() (Partial, func() any, func(other Partial) error), seeds [][]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		build := builders[int(data[0])%len(builders)]
		p, result, _ := build()
		if err := p.UnmarshalBinary(data[1:]); err != nil {
			if len(accord.FieldErrors(err)) == 0 {
				t.Fatalf("error names no field: %v", err)
			}
			return
		}
		r := result()
		once, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary after reading: %v", err)
		}
		q, qResult, qMerge := build()
		if err := q.UnmarshalBinary(once); err != nil {
			t.Fatalf("reading what was written: %v", err)
		}
		twice, err := q.MarshalBinary()
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("writing again: %v\n%x\n%x", err, once, twice)
		}
		if diff := cmp.Diff(r, qResult(), MoneyEqual); diff != "" {
			t.Fatalf("result differs after writing and reading again:\n%s", diff)
		}
		if err := qMerge(p); err != nil {
			t.Fatalf("merging a partial read: %v", err)
		}
		_ = qResult()
	})
}

// CheckJSON fails unless v survives JSON: marshal then unmarshal gives an
// equal value.
func CheckJSON(t *rapid.T, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	back := reflect.New(reflect.TypeOf(v))
	if err := json.Unmarshal(raw, back.Interface()); err != nil {
		t.Fatalf("unmarshal %T: %v", v, err)
	}
	if diff := cmp.Diff(v, back.Elem().Interface(), MoneyEqual); diff != "" {
		t.Fatalf("%T differs after JSON (-before +after):\n%s", v, diff)
	}
}

var rateType = reflect.TypeOf(metrics.Rate{})

// CheckRates fails unless every Rate inside v has 0 ≤ Num ≤ Den.
func CheckRates(t *rapid.T, v any) {
	var walk func(path string, x reflect.Value)
	walk = func(path string, x reflect.Value) {
		switch {
		case x.Type() == rateType:
			r := x.Interface().(metrics.Rate)
			if r.Num < 0 || r.Num > r.Den {
				t.Fatalf("%s = %d/%d: want 0 ≤ num ≤ den", path, r.Num, r.Den)
			}
		case x.Kind() == reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if x.Type().Field(i).IsExported() {
					walk(path+"."+x.Type().Field(i).Name, x.Field(i))
				}
			}
		case x.Kind() == reflect.Slice:
			for i := 0; i < x.Len(); i++ {
				walk(path+"[]", x.Index(i))
			}
		case x.Kind() == reflect.Pointer && !x.IsNil():
			walk(path, x.Elem())
		}
	}
	walk("result", reflect.ValueOf(v))
}

// FieldsOf returns the fields of every *accord.FieldError in err's tree.
func FieldsOf(err error) []string {
	var out []string
	for _, fe := range accord.FieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}
