package compute

import "encoding/binary"

// keySet is a set of event keys in about 12 bytes each at its fullest and 24
// just after it grows: an open-addressing table of the keys' first 96 bits,
// probed linearly. 96 bits keep two different events apart with a
// probability of about 1 − n²/2⁹⁷ (n = 10⁸ events: 1 − 6·10⁻¹⁴).
type keySet struct {
	slots []slot // a power of two; the zero slot is empty
	n     int
}

// slot is 96 bits of a key, as three words (a struct of a uint64 and a
// uint32 would be padded to 16 bytes); slot[0] is never 0 in a used slot.
type slot [3]uint32

const minSlots = 1 << 10

// maxLoad is the fill, in 1/16, at which the table doubles.
const maxLoad = 14 // 87.5 %

// add puts k in the set and reports whether it was new.
func (s *keySet) add(k *EventKey) bool {
	if s.slots == nil {
		s.slots = make([]slot, minSlots)
	}
	x := slot{binary.LittleEndian.Uint32(k[0:4]) | 1, binary.LittleEndian.Uint32(k[4:8]), binary.LittleEndian.Uint32(k[8:12])}
	if !s.insert(x) {
		return false
	}
	s.n++
	if s.n*16 > len(s.slots)*maxLoad {
		s.grow()
	}
	return true
}

// insert puts x in its place unless it is there.
func (s *keySet) insert(x slot) bool {
	mask := uint64(len(s.slots) - 1)
	// Keys are hashes already; the multiplication only spreads keys that are
	// not (as a test's may be) over the table.
	for i := (uint64(x[1])<<32 | uint64(x[0])) * 0x9E3779B97F4A7C15 >> 20 & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case x:
			return false
		case slot{}:
			s.slots[i] = x
			return true
		}
	}
}

func (s *keySet) grow() {
	old := s.slots
	s.slots = make([]slot, 2*len(old))
	for _, x := range old {
		if x[0] != 0 {
			s.insert(x)
		}
	}
}

// len is how many keys the set holds.
func (s *keySet) len() int { return s.n }
