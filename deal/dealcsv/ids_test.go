package dealcsv

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// idGen draws IDs of every shape the set keys differently: numbers,
// padded numbers, a head and a number, other heads, no digits, too many
// digits.
var idGen = rapid.Custom(func(t *rapid.T) string {
	n := rapid.Uint64Range(0, 40).Draw(t, "n")
	switch rapid.IntRange(0, 6).Draw(t, "shape") {
	case 0:
		return fmt.Sprint(n)
	case 1:
		return fmt.Sprintf("%03d", n)
	case 2:
		return fmt.Sprintf("D%d", n)
	case 3:
		return fmt.Sprintf("%s%d", rapid.SampledFrom([]string{"", "d", "D-", "DEAL"}).Draw(t, "head"), n)
	case 4:
		return rapid.SampledFrom([]string{"a", "b", "D", "0065g00000XyZ1AAA", "ü"}).Draw(t, "word")
	case 5:
		return fmt.Sprintf("D%016d", n) // 16 digits: hashed
	}
	return fmt.Sprintf("%d", n<<50)
})

// TestIDSetProperty checks the set against a map of the IDs themselves:
// an ID is found exactly when it was added, with the line it was added on.
func TestIDSetProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newIDSet()
		if rapid.Bool().Draw(t, "mixed") {
			s.mixed = true
		}
		if rapid.Bool().Draw(t, "tiny") {
			s.resize(2) // to grow it many times
		}
		model := map[string]int{}
		for line, id := range rapid.SliceOfN(idGen, 1, 300).Draw(t, "ids") {
			k := s.key(id)
			slot, first, found := s.find(k)
			want, dup := model[id]
			if found != dup || found && int(first) != want {
				t.Fatalf("%q (key %#x): found %v at line %d; want %v at line %d", id, k, found, first, dup, want)
			}
			if !found {
				s.add(slot, k, line)
				model[id] = line
			}
		}
		if s.n != len(model) {
			t.Fatalf("set holds %d keys, want %d", s.n, len(model))
		}
	})
}

// TestIDKeyExact checks that IDs of one head and up to 15 digits have
// keys that differ whenever the IDs do, and are not hashed.
func TestIDKeyExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newIDSet()
		head := rapid.SampledFrom([]string{"", "D", "DEAL-", "x9y"}).Draw(t, "head")
		s.key(head + "1")
		digits := rapid.StringMatching(`[0-9]{1,15}`)
		a, b := head+digits.Draw(t, "a"), head+digits.Draw(t, "b")
		ka, kb := s.key(a), s.key(b)
		if ka&hashed != 0 || kb&hashed != 0 {
			t.Fatalf("%q, %q: keys %#x, %#x are hashed", a, b, ka, kb)
		}
		if (ka == kb) != (a == b) {
			t.Fatalf("%q and %q: keys %#x and %#x", a, b, ka, kb)
		}
	})
}

// TestIDSetClustered adds IDs that all fall on one slot of a table
// indexed by low bits: the set must notice and index by all the bits,
// finding every repeat with its line, in far fewer than n² steps.
func TestIDSetClustered(t *testing.T) {
	s := newIDSet()
	const n = 20000
	for i := range n {
		id := fmt.Sprint(uint64(i) << 30)
		slot, _, found := s.find(s.key(id))
		if found {
			t.Fatalf("%s found before it was added", id)
		}
		s.add(slot, s.key(id), i+2)
	}
	if !s.mixed {
		t.Error("the set kept indexing clustered keys by their low bits")
	}
	for i := range n {
		id := fmt.Sprint(uint64(i) << 30)
		if _, line, found := s.find(s.key(id)); !found || int(line) != i+2 {
			t.Fatalf("%s: found %v at line %d, want line %d", id, found, line, i+2)
		}
	}
	// Sequential IDs stay indexed by their low bits, each on its own slot.
	seq := newIDSet()
	seq.reserve(n)
	for i := range n {
		k := seq.key("D" + fmt.Sprint(i))
		slot, _, _ := seq.find(k)
		seq.add(slot, k, i+2)
	}
	if seq.mixed || seq.probes != 0 {
		t.Errorf("sequential IDs: mixed %v after %d probe steps, want low bits and none", seq.mixed, seq.probes)
	}
}

// TestIDSetLongLines checks that a line beyond int32 is kept as the
// largest int32 rather than wrapped.
func TestIDSetLongLines(t *testing.T) {
	s := newIDSet()
	k := s.key(strings.Repeat("z", 40))
	slot, _, _ := s.find(k)
	s.add(slot, k, 1<<40)
	if _, line, _ := s.find(k); line != 1<<31-1 {
		t.Errorf("line %d, want %d", line, 1<<31-1)
	}
}

// TestIDKeyReference checks the key of any ID against the rule idSet
// documents, worked out the plain way: the trailing digits' count and
// value when there are 1 to 15 of them after the first ID's head, the
// hash otherwise.
func TestIDKeyReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newIDSet()
		// The head draws from the bytes either side of the digits ('/' and
		// ':'), NUL and a non-ASCII letter too, which a test of a digit by
		// wrap-around would misread.
		id := rapid.StringMatching(`[A-Z0-9/:\x00\xff-]{0,4}[0-9]{0,17}`)
		first := id.Draw(t, "first")
		if first == "" {
			first = "D1"
		}
		s.key(first)
		for range 20 {
			x := id.Draw(t, "id")
			if x == "" {
				continue
			}
			i := len(x)
			for i > 0 && x[i-1] >= '0' && x[i-1] <= '9' {
				i--
			}
			want := maphash.String(s.seed, x) | hashed
			if w := len(x) - i; w >= 1 && w <= maxWidth && x[:i] == s.head {
				v, _ := strconv.ParseUint(x[i:], 10, 64)
				want = uint64(w)<<numBits | v
			}
			if got := s.key(x); got != want {
				t.Fatalf("head %q: key of %q is %#x, want %#x", s.head, x, got, want)
			}
			if got := idKey(s, []byte(x)); got != want {
				t.Fatalf("head %q: key of []byte(%q) is %#x, want %#x", s.head, x, got, want)
			}
		}
	})
}
