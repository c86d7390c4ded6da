package compute

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
)

// Apportion splits total between parts in proportion to their non-negative
// integer weights by the largest-remainder (Hamilton) method: every part gets
// its exact share floored to the cent, and the cents left over go one each to
// the parts with the largest remainders. Ties go to the earlier part, so the
// caller orders parts by their tie-break key (payer id, or earliest cycle
// first). The parts always sum exactly to total; each is within one cent of
// its exact share. A negative total is split as the positive amount and
// negated.
func Apportion(total Money, weights []int64) ([]Money, error) {
	return apportion(total, weights, true)
}

// apportion is Apportion; with fast false it skips the 128-bit arithmetic and
// always takes math/big, so that tests can compare the two.
func apportion(total Money, weights []int64, fast bool) ([]Money, error) {
	var sum uint64 // Σw, valid when sumFits
	sumFits := true
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("apportion: weight %d of part %d is negative", w, i+1)
		}
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		sumFits = sumFits && carry == 0
	}
	if sumFits && sum == 0 {
		if total == 0 {
			return make([]Money, len(weights)), nil
		}
		return nil, errors.New("apportion: all weights are zero, so there is nothing to split by")
	}
	// The exact share of part i is |total| * w_i / Σw.
	abs := int64(total.Abs())
	var shares exactCents
	ok := false
	if fast && sumFits {
		shares, ok = apportion128(abs, weights, sum)
	}
	if !ok {
		var err error
		if shares, err = apportionBig(abs, weights); err != nil {
			return nil, err
		}
	}
	parts, err := roundToTotal(shares, abs, identity(len(weights)))
	if err != nil {
		return nil, err
	}
	out := make([]Money, len(parts))
	for i, c := range parts {
		out[i] = Money(c)
		if total < 0 {
			out[i] = -out[i]
		}
	}
	return out, nil
}

// apportion128 is the usual case of Apportion's exact shares abs·w_i / sum.
// ok is false when they do not fit the 128-bit arithmetic.
func apportion128(abs int64, weights []int64, sum uint64) (shares exactCents, ok bool) {
	if abs < 0 { // |MinInt64| does not fit
		return exactCents{}, false
	}
	shares = makeExactCents(len(weights))
	for i, w := range weights {
		if !shares.set(i, mul64(uint64(w), uint64(abs)), sum) {
			return exactCents{}, false
		}
	}
	return shares, true
}

// apportionBig is Apportion's exact shares in math/big, for any input.
func apportionBig(abs int64, weights []int64) (exactCents, error) {
	num := make([]*big.Int, len(weights))
	sum := new(big.Int)
	for i, w := range weights {
		num[i] = big.NewInt(w)
		sum.Add(sum, num[i])
	}
	b := big.NewInt(abs)
	for _, n := range num {
		n.Mul(n, b)
	}
	return exactCentsBig(num, sum)
}

// exactCents is a list of exact amounts of cents num_i/den over one
// denominator, each as its whole cents and its remainder.
//
// rem[i] is num_i mod den (with the sign of num_i, as big.Int.QuoRem) when
// every remainder fits in an int64, as it always does on the 128-bit path.
// Otherwise rem holds keys with the same order and the same signs as the
// remainders (see remainderKeys), which is all the rounding looks at.
type exactCents struct {
	whole []int64 // num_i/den truncated toward zero
	rem   []int64
}

func makeExactCents(n int) exactCents {
	return exactCents{whole: make([]int64, n), rem: make([]int64, n)}
}

// set stores num/den as amount i. It reports false when the amount does not
// fit: a quotient or a remainder beyond an int64 (or den is 0).
func (e exactCents) set(i int, num u128, den uint64) bool {
	q, r, ok := num.divmod(den)
	if !ok || q > math.MaxInt64 || r > math.MaxInt64 {
		return false
	}
	e.whole[i], e.rem[i] = int64(q), int64(r)
	return true
}

// exactCentsBig divides each num_i by den. Whole cents that do not fit in an
// int64 are kept truncated as big.Int.Int64 does, and the first one is
// reported as an error, which callers that never checked may ignore.
func exactCentsBig(num []*big.Int, den *big.Int) (exactCents, error) {
	e := exactCents{whole: make([]int64, len(num))}
	rem := make([]*big.Int, len(num))
	var err error
	for i := range num {
		q, r := new(big.Int).QuoRem(num[i], den, new(big.Int))
		if !q.IsInt64() && err == nil {
			err = fmt.Errorf("apportion: share of part %d is out of range", i+1)
		}
		e.whole[i], rem[i] = q.Int64(), r
	}
	e.rem = remainderKeys(rem)
	return e, err
}

// remainderKeys returns rem as int64s if they all fit, and otherwise their
// ranks: 1, 2, … for the distinct positive remainders from the smallest up,
// −1, −2, … for the negative ones from the largest down, 0 for zero. Either
// way the keys compare, and have signs, exactly as the remainders do.
func remainderKeys(rem []*big.Int) []int64 {
	keys := make([]int64, len(rem))
	fits := true
	for i, r := range rem {
		if !r.IsInt64() {
			fits = false
			break
		}
		keys[i] = r.Int64()
	}
	if fits {
		return keys
	}
	// Zero remainders keep their key 0; all others get their rank.
	idx := identity(len(rem))
	slices.SortFunc(idx, func(a, b int) int { return rem[a].Cmp(rem[b]) })
	var k int64
	for j, i := range idx { // ascending
		if rem[i].Sign() > 0 {
			if k == 0 || rem[idx[j-1]].Cmp(rem[i]) != 0 {
				k++
			}
			keys[i] = k
		}
	}
	k = 0
	for j := len(idx) - 1; j >= 0; j-- { // descending
		if i := idx[j]; rem[i].Sign() < 0 {
			if k == 0 || rem[idx[j+1]].Cmp(rem[i]) != 0 {
				k--
			}
			keys[i] = k
		}
	}
	return keys
}

// roundToTotal rounds exact amounts of cents (all non-negative, summing
// exactly to total) to whole cents that sum to total: whole cents first, then
// one cent each to the largest remainders, ties by the position of i in order.
func roundToTotal(shares exactCents, total int64, order []int) ([]int64, error) {
	n := len(shares.whole)
	out := slices.Clone(shares.whole)
	var floors int64
	for _, c := range out {
		floors += c
	}
	left := total - floors
	if left < 0 || left > int64(n) {
		return nil, fmt.Errorf("apportion: exact shares do not sum to the total (%d cents left over)", left)
	}
	for _, i := range largest(shares.rem, order, int(left)) {
		if shares.rem[i] == 0 {
			return nil, fmt.Errorf("apportion: exact shares do not sum to the total")
		}
		out[i]++
	}
	return out, nil
}

// largest returns the k indexes in order (k ≤ len(order)) with the largest
// remainders in rem, ties to the earlier position in order. They come in no
// particular order: callers give each of them a cent.
func largest(rem []int64, order []int, k int) []int {
	r := make([]ranked, len(order))
	for p, i := range order {
		r[p] = ranked{rem[i], p}
	}
	selectFirst(r, k, 2*bits.Len(uint(len(r))))
	idx := make([]int, k)
	for j, x := range r[:k] {
		idx[j] = order[x.pos]
	}
	return idx
}

// ranked is a remainder and its position in the tie-break order.
type ranked struct {
	rem int64
	pos int
}

// before is the ranking: larger remainder first, then earlier position. It is
// a strict total order, as positions are distinct.
func (a ranked) before(b ranked) bool {
	return a.rem > b.rem || a.rem == b.rem && a.pos < b.pos
}

// selectFirst moves the k first-ranked of r to r[:k] (in no particular order)
// by quickselect: partition around a pivot, keep the side that holds the k-th
// place, repeat. After the given number of rounds, should the pivots be
// unlucky, it sorts what is left instead, so it never takes more than
// O(n log n).
func selectFirst(r []ranked, k, rounds int) {
	// r[:lo] all come before r[lo:], and r[hi:] all come after r[:hi].
	lo, hi := 0, len(r)
	for ; lo < k && k < hi; rounds-- {
		if rounds <= 0 {
			slices.SortFunc(r[lo:hi], func(a, b ranked) int {
				if a.before(b) {
					return -1
				}
				return 1
			})
			return
		}
		// The median of the first, middle and last as the pivot, at hi-1.
		m := lo + (hi-lo)/2
		if r[m].before(r[lo]) {
			r[m], r[lo] = r[lo], r[m]
		}
		if r[hi-1].before(r[m]) {
			r[hi-1], r[m] = r[m], r[hi-1]
			if r[m].before(r[lo]) {
				r[m], r[lo] = r[lo], r[m]
			}
		}
		r[m], r[hi-1] = r[hi-1], r[m]
		pivot, p := r[hi-1], lo
		for j := lo; j < hi-1; j++ {
			if r[j].before(pivot) {
				r[p], r[j] = r[j], r[p]
				p++
			}
		}
		r[p], r[hi-1] = r[hi-1], r[p]
		// Now r[lo:p] come before the pivot at p, and r[p+1:hi] after it.
		if p < k {
			lo = p + 1
		} else {
			hi = p
		}
	}
}

func identity(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	return o
}

// u128 is an unsigned 128-bit integer: hi·2⁶⁴ + lo. It holds the products of
// int64 amounts and counts exactly, so that the usual splits need no math/big.
// Every operation reports when its result would not fit; the callers then
// fall back to math/big.
type u128 struct{ hi, lo uint64 }

// mul64 returns a·b, which always fits.
func mul64(a, b uint64) u128 {
	hi, lo := bits.Mul64(a, b)
	return u128{hi, lo}
}

// mul returns x·b, and whether it fits in 128 bits.
func (x u128) mul(b uint64) (u128, bool) {
	over, mid := bits.Mul64(x.hi, b)
	hi, lo := bits.Mul64(x.lo, b)
	hi, carry := bits.Add64(hi, mid, 0)
	return u128{hi, lo}, over == 0 && carry == 0
}

// add returns x+y, and whether it fits in 128 bits.
func (x u128) add(y u128) (u128, bool) {
	lo, carry := bits.Add64(x.lo, y.lo, 0)
	hi, carry := bits.Add64(x.hi, y.hi, carry)
	return u128{hi, lo}, carry == 0
}

// divmod returns x/d and x mod d, and whether the quotient fits in 64 bits
// (never when d is 0).
func (x u128) divmod(d uint64) (q, r uint64, ok bool) {
	if x.hi >= d {
		return 0, 0, false
	}
	q, r = bits.Div64(x.hi, x.lo, d)
	return q, r, true
}
