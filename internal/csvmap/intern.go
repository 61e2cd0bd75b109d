package csvmap

import (
	"encoding/binary"
	"hash/maphash"
)

// Interner makes the strings of field texts that repeat, such as stage
// labels, owners and segments, once each rather than once per row. It
// keeps up to 4,096 of them, in an open-addressing table whose probes it
// bounds, so that no input makes a lookup slow; a text it does not keep
// is made afresh each time. An Interner is not safe for concurrent use.
type Interner struct {
	slots []internSlot // a power of two; an empty string marks a free slot
	n     int
	salt  uint64
}

type internSlot struct {
	hash uint64
	s    string
}

const (
	maxInterned = 1 << 12         // the strings an Interner keeps
	maxSlots    = 4 * maxInterned // the slots it may grow to
	maxProbes   = 8               // the slots a lookup tries
)

// Intern returns string(b), the same string every time for the same text.
func (in *Interner) Intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if in.slots == nil {
		in.slots, in.salt = make([]internSlot, 64), maphash.String(maphash.MakeSeed(), "")
	}
	h := in.hash(b)
	for {
		mask := uint64(len(in.slots) - 1)
		for i, p := h&mask, 0; p < maxProbes; i, p = (i+1)&mask, p+1 {
			sl := &in.slots[i]
			if sl.s == "" {
				s := string(b)
				if in.n < maxInterned {
					*sl = internSlot{h, s}
					in.n++
					if in.n*2 > len(in.slots) {
						in.grow()
					}
				}
				return s
			}
			if sl.hash == h && sl.s == string(b) {
				return sl.s
			}
		}
		// The probes found neither the text nor room for it.
		if in.n >= maxInterned || len(in.slots) >= maxSlots {
			return string(b)
		}
		in.grow()
	}
}

// hash mixes b, eight bytes at a time, with the salt: a texts' hash need
// not resist a chosen input, since the probes are bounded, only spread
// the texts of an export.
func (in *Interner) hash(b []byte) uint64 {
	h := in.salt ^ uint64(len(b))*0x9e3779b97f4a7c15
	for len(b) > 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * 0xff51afd7ed558ccd
		h ^= h >> 32
		b = b[8:]
	}
	// The last one to eight bytes, read as two words that may overlap
	// (the length is in h already).
	var w uint64
	switch n := len(b); {
	case n >= 4:
		w = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32
	case n > 0:
		w = uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16
	}
	// The finaliser of MurmurHash3: every bit of h and w reaches the low
	// bits that pick a slot.
	h ^= w
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// grow doubles the table, dropping any string whose probes it would
// exceed.
func (in *Interner) grow() {
	old := in.slots
	in.slots, in.n = make([]internSlot, 2*len(old)), 0
	mask := uint64(len(in.slots) - 1)
	for _, sl := range old {
		if sl.s == "" {
			continue
		}
		for i, p := sl.hash&mask, 0; p < maxProbes; i, p = (i+1)&mask, p+1 {
			if in.slots[i].s == "" {
				in.slots[i] = sl
				in.n++
				break
			}
		}
	}
}
