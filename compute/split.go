package compute

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
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
	num := make([]*big.Int, len(weights))
	sum := new(big.Int)
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("apportion: weight %d of part %d is negative", w, i+1)
		}
		num[i] = big.NewInt(w)
		sum.Add(sum, num[i])
	}
	if sum.Sign() == 0 {
		if total == 0 {
			return make([]Money, len(weights)), nil
		}
		return nil, errors.New("apportion: all weights are zero, so there is nothing to split by")
	}
	// The exact share of part i is |total| * w_i / Σw.
	abs := big.NewInt(int64(total.Abs()))
	for _, n := range num {
		n.Mul(n, abs)
	}
	parts, err := roundToTotal(num, sum, int64(total.Abs()), identity(len(weights)))
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

// roundToTotal rounds the exact amounts num[i]/den (in cents, all
// non-negative, summing exactly to total) to whole cents that sum to total:
// floors first, then one cent each to the largest remainders, ties by the
// position of i in order.
func roundToTotal(num []*big.Int, den *big.Int, total int64, order []int) ([]int64, error) {
	n := len(num)
	out := make([]int64, n)
	rem := make([]*big.Int, n)
	var floors int64
	for i := range num {
		q, r := new(big.Int).QuoRem(num[i], den, new(big.Int))
		if !q.IsInt64() {
			return nil, fmt.Errorf("apportion: share of part %d is out of range", i+1)
		}
		out[i] = q.Int64()
		rem[i] = r
		floors += out[i]
	}
	left := total - floors
	if left < 0 || left > int64(n) {
		return nil, fmt.Errorf("apportion: exact shares do not sum to the total (%d cents left over)", left)
	}
	rank := largestFirst(rem, order)
	for k := int64(0); k < left; k++ {
		i := rank[k]
		if rem[i].Sign() == 0 {
			return nil, fmt.Errorf("apportion: exact shares do not sum to the total")
		}
		out[i]++
	}
	return out, nil
}

// largestFirst returns the indexes of rem ordered by remainder, largest first,
// ties by their position in order. Remainders that all fit in 64 bits (the
// usual case) are compared as machine words.
func largestFirst(rem []*big.Int, order []int) []int {
	pos := make([]int, len(order))
	for p, i := range order {
		pos[i] = p
	}
	words := make([]uint64, len(rem))
	small := true
	for i, r := range rem {
		if !r.IsUint64() {
			small = false
			break
		}
		words[i] = r.Uint64()
	}
	idx := slices.Clone(order)
	slices.SortFunc(idx, func(a, b int) int {
		var c int
		if small {
			c = cmp.Compare(words[b], words[a])
		} else {
			c = rem[b].Cmp(rem[a])
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(pos[a], pos[b])
	})
	return idx
}

func identity(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	return o
}
