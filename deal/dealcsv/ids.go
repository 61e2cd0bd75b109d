package dealcsv

import (
	"hash/maphash"
	"math"
	"unsafe"

	"github.com/accordhq/accord/internal/csvmap"
)

// idSet remembers the IDs of a deals export, each with the line it was
// first seen on, to refuse a repeated one. It holds a 64-bit key per ID,
// not the ID, in an open-addressing table (linear probing, at most 3/4
// full): a million IDs cost 24 MB and one probe sequence each, where a Go
// map of hashes costs half as much again and several cache misses.
//
// The key is exact for the IDs most exports use: a head followed by 1 to
// 15 digits ("4711", "D123", "DEAL-00042"), when the head is the one the
// export's first ID has. Such a key is the digits' value and count, so two
// such IDs share a key only when they are equal. Any other ID is keyed by a
// 63-bit hash: two different ones share it with a chance of about n²/2⁶⁴
// (1 in 18 million for a million such rows), and the later row is then
// refused as a repeat, loudly, never merged.
//
// The table starts indexed by the key's low bits, so that IDs numbered in
// sequence fill it in sequence and the set stays in cache; should keys
// cluster (IDs that step by a power of two, say), it is rebuilt indexed by
// a mix of all the key's bits.
type idSet struct {
	keys   []uint64 // 0 marks an empty slot
	lines  []int32
	n      int
	mixed  bool // indexed by csvmap.Mix(key), not its low bits
	probes int  // probe steps taken while indexed by low bits
	head   string
	headed bool
	seed   maphash.Seed
}

const (
	hashed   = 1 << 63 // set in the key of an ID keyed by its hash
	numBits  = 50      // the digits' value, below 10^15 < 2^50
	maxWidth = 15
)

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed()} }

// key returns the key of id, which is not empty.
func (s *idSet) key(id string) uint64 { return idKey(s, id) }

// idKey returns the key in s of id, which is not empty.
func idKey[T ~string | ~[]byte](s *idSet, id T) uint64 {
	// The common ID, the head and 1 to maxWidth digits, read in one pass
	// from the first digit. The head never ends in a digit, so its digits
	// are the trailing ones, and its key is the one found below.
	if h := len(s.head); s.headed && len(id) > h && len(id)-h <= maxWidth && sameHead(id[:h], s.head) {
		v, j := uint64(0), h
		for ; j < len(id) && id[j]-'0' <= 9; j++ {
			v = v*10 + uint64(id[j]-'0')
		}
		if j == len(id) {
			return uint64(len(id)-h)<<numBits | v
		}
	}
	// Where the trailing digits start: id[i-1]-'0' wraps round past 9 for
	// a byte below '0'.
	i := len(id)
	for i > 0 && id[i-1]-'0' <= 9 {
		i--
	}
	if !s.headed {
		s.head, s.headed = string(id[:i]), true
	}
	if w := len(id) - i; w > 0 && w <= maxWidth && i == len(s.head) && sameHead(id[:i], s.head) {
		// The digits' value, read from the first: one multiply-add each.
		v := uint64(0)
		for j := i; j < len(id); j++ {
			v = v*10 + uint64(id[j]-'0')
		}
		return uint64(w)<<numBits | v
	}
	// maphash.String(seed, x) is maphash.Bytes(seed, []byte(x)).
	if b, ok := any(id).([]byte); ok {
		return maphash.Bytes(s.seed, b) | hashed
	}
	return maphash.String(s.seed, string(id)) | hashed
}

// sameHead reports whether head, of the length of s.head, is s.head:
// byte by byte, since a head is short.
func sameHead[T ~string | ~[]byte](head T, want string) bool {
	for j := 0; j < len(want); j++ {
		if head[j] != want[j] {
			return false
		}
	}
	return true
}

func (s *idSet) home(k uint64) int {
	if s.mixed {
		k = csvmap.Mix(k)
	}
	return int(k & uint64(len(s.keys)-1))
}

// find returns the slot of key k: where it is, with the line it was
// added on, or the empty slot where [idSet.add] puts it.
func (s *idSet) find(k uint64) (slot int, line int32, found bool) {
	if s.keys == nil {
		s.resize(1024)
	}
	mask := len(s.keys) - 1
	i := s.home(k)
	steps := 0
	for ; s.keys[i] != 0; i = (i + 1) & mask {
		if s.keys[i] == k {
			found = true
			break
		}
		steps++
	}
	if !s.mixed {
		s.probes += steps
	}
	if found {
		return i, s.lines[i], true
	}
	return i, 0, false
}

// add puts key k, first seen on line, in the empty slot find returned
// for it; no other key may be added in between.
func (s *idSet) add(slot int, k uint64, line int) {
	s.keys[slot], s.lines[slot] = k, int32(min(line, math.MaxInt32))
	s.n++
	switch {
	case !s.mixed && s.probes > 8*s.n+4096:
		// Clustered keys: index by all their bits from now on.
		s.mixed = true
		s.resize(len(s.keys))
	case s.n*4 > len(s.keys)*3:
		s.resize(2 * len(s.keys))
	}
}

// reserve makes room for n keys in all.
func (s *idSet) reserve(n int) {
	size := 1024
	for size*3 < n*4 {
		size *= 2
	}
	if size > len(s.keys) {
		s.resize(size)
	}
}

// resize moves the keys to a table of size slots, a power of two.
func (s *idSet) resize(size int) {
	keys, lines := s.keys, s.lines
	s.keys, s.lines = make([]uint64, size), make([]int32, size)
	mask := size - 1
	for j, k := range keys {
		if k == 0 {
			continue
		}
		i := s.home(k)
		for s.keys[i] != 0 {
			i = (i + 1) & mask
		}
		s.keys[i], s.lines[i] = k, lines[j]
	}
}

// arena makes the strings of IDs in chunks of memory that are never
// written again once a string holds their bytes, so that a million IDs
// cost a few thousand allocations rather than a million. An ID kept keeps
// its chunk, of 4 KiB, alive: a caller of Each that keeps a few IDs keeps
// the memory of the few hundred read around each.
type arena struct{ chunk []byte }

const arenaChunk = 4 << 10

// string returns string(b).
func (a *arena) string(b []byte) string {
	if len(b) == 0 || len(b) > arenaChunk/16 {
		return string(b)
	}
	if len(a.chunk)+len(b) > cap(a.chunk) {
		a.chunk = make([]byte, 0, arenaChunk)
	}
	at := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	// The bytes at [at, at+len(b)) are never written again: the chunk
	// only grows, then is replaced.
	return unsafe.String(&a.chunk[at], len(b))
}
