package csvmap

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
)

// Interner makes the strings of field texts that repeat, such as stage
// labels, owners and segments, once each rather than once per row. It
// keeps up to 4,096 of them, in an open-addressing table whose probes it
// bounds, so that no input makes a lookup slow; a text it does not keep
// is made afresh each time. An Interner is not safe for concurrent use.
type Interner struct {
	slots []internSlot // a power of two
	n     int
	salt  uint64
}

type internSlot struct {
	// key is a text of up to eight bytes, packed (see pack), or the hash
	// of a longer one; n is its length, 0 for an empty slot.
	key uint64
	n   int
	s   string
}

const (
	maxInterned = 1 << 12         // the strings an Interner keeps
	maxSlots    = 4 * maxInterned // the slots it may grow to
	maxProbes   = 8               // the slots a lookup tries
)

// Intern returns string(b), the same string every time for the same text.
func (in *Interner) Intern(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if in.slots == nil {
		in.slots, in.salt = make([]internSlot, 64), maphash.String(maphash.MakeSeed(), "")
	}
	// A short text is its own key, compared without its bytes.
	short := n <= 8
	var key uint64
	if short {
		key = Pack(b)
	} else {
		key = in.hash(b)
	}
	for {
		mask := uint64(len(in.slots) - 1)
		for i, p := in.home(key, n), 0; p < maxProbes; i, p = (i+1)&mask, p+1 {
			sl := &in.slots[i]
			if sl.n == 0 {
				s := string(b)
				if in.n < maxInterned {
					*sl = internSlot{key, n, s}
					in.n++
					if in.n*2 > len(in.slots) {
						in.grow()
					}
				}
				return s
			}
			if sl.n == n && sl.key == key && (short || sl.s == string(b)) {
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

// Pack returns the bytes of b, one to eight of them, as one word: for
// each length, different texts give different words. From four bytes on,
// two words of four that may overlap. A text's Pack and length tell it
// from any other without comparing bytes: the interner's keys, and the
// importer's short stage labels.
func Pack(b []byte) uint64 {
	switch n := len(b); {
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32
	case n >= 2:
		return uint64(binary.LittleEndian.Uint16(b)) | uint64(binary.LittleEndian.Uint16(b[n-2:]))<<16
	}
	return uint64(b[0])
}

// home returns the first slot of the text of key and length n: the top
// bits of a salted multiplicative hash. A texts' hash need not resist a
// chosen input, since the probes are bounded, only spread the texts of an
// export.
func (in *Interner) home(key uint64, n int) uint64 {
	h := (key ^ in.salt ^ uint64(n)<<58) * 0x9e3779b97f4a7c15
	return h >> (64 - bits.TrailingZeros(uint(len(in.slots))))
}

// hash mixes b, longer than eight bytes, eight bytes at a time.
func (in *Interner) hash(b []byte) uint64 {
	h := in.salt
	for i := 0; i+8 < len(b); i += 8 {
		h = (h ^ binary.LittleEndian.Uint64(b[i:])) * 0xff51afd7ed558ccd
		h ^= h >> 32
	}
	h ^= binary.LittleEndian.Uint64(b[len(b)-8:]) // the last eight, overlapping
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
		if sl.n == 0 {
			continue
		}
		for i, p := in.home(sl.key, sl.n), 0; p < maxProbes; i, p = (i+1)&mask, p+1 {
			if in.slots[i].n == 0 {
				in.slots[i] = sl
				in.n++
				break
			}
		}
	}
}
