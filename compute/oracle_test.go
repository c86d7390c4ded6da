package compute

// This file is a frozen copy of Allocate and Apportion as they were before
// their 128-bit fast path (commit 50ba82f), all on math/big. It is the oracle
// of TestExactSplitsAgree: the new code must return exactly what this returns,
// results and errors alike, for every input.

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
)

func refAllocate(budget Components, shares []Share) (Allocation, error) {
	if (budget.Population < 0 && budget.Activity > 0) || (budget.Population > 0 && budget.Activity < 0) {
		return Allocation{}, fmt.Errorf("allocate: budget components %s and %s have different signs", budget.Population, budget.Activity)
	}
	neg := budget.Population < 0 || budget.Activity < 0
	pa, ab := int64(budget.Population.Abs()), int64(budget.Activity.Abs())

	a := Allocation{Budget: budget, Lines: make([]AllocationLine, len(shares))}
	seen := make(map[string]bool, len(shares))
	for i, s := range shares {
		if seen[s.Payer.ID] {
			return Allocation{}, fmt.Errorf("allocate: payer %s appears twice", s.Payer.ID)
		}
		seen[s.Payer.ID] = true
		if s.Population < 0 || s.Activities < 0 {
			return Allocation{}, fmt.Errorf("allocate: payer %s has a negative count", s.Payer.ID)
		}
		a.Population += s.Population
		a.Activities += s.Activities
		a.Lines[i].Share = s
	}
	if len(shares) == 0 {
		if pa+ab == 0 {
			return a, nil
		}
		return Allocation{}, fmt.Errorf("allocate: a budget of %s but no payers", budget.Total())
	}
	if a.Population == 0 && pa != 0 {
		return Allocation{}, fmt.Errorf("allocate: the payers' population is 0, so the population part cannot be split")
	}
	actWeight := func(s Share) int64 { return s.Activities }
	actTotal := a.Activities
	if actTotal == 0 {
		a.ActivitiesByPopulation = true
		actWeight = func(s Share) int64 { return s.Population }
		actTotal = a.Population
	}
	if actTotal == 0 && ab != 0 {
		return Allocation{}, fmt.Errorf("allocate: the payers' population is 0, so the activity part cannot be split")
	}

	// Ties go by payer id, whatever order the shares came in.
	order := refIdentity(len(shares))
	sort.SliceStable(order, func(x, y int) bool { return shares[order[x]].Payer.ID < shares[order[y]].Payer.ID })

	// Exact amounts in cents over one common denominator D = P·A:
	// qa_i = Pa·p_i/P = Pa·p_i·A / D, qb_i = Ab·x_i/A = Ab·x_i·P / D.
	P, A := big.NewInt(max(a.Population, 1)), big.NewInt(max(actTotal, 1))
	D := new(big.Int).Mul(P, A)
	qa := make([]*big.Int, len(shares))
	qb := make([]*big.Int, len(shares))
	qt := make([]*big.Int, len(shares))
	paA := new(big.Int).Mul(big.NewInt(pa), A)
	abP := new(big.Int).Mul(big.NewInt(ab), P)
	for i, s := range shares {
		qa[i] = new(big.Int).Mul(paA, big.NewInt(s.Population))
		qb[i] = new(big.Int).Mul(abP, big.NewInt(actWeight(s)))
		qt[i] = new(big.Int).Add(qa[i], qb[i])
	}
	totals, err := refRoundToTotal(qt, D, pa+ab, order)
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate totals: %w", err)
	}
	pops, err := refControlledRound(qa, qb, D, totals, pa, order)
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate components: %w", err)
	}
	for i := range a.Lines {
		l := &a.Lines[i]
		l.Total, l.PopulationAmount = Money(totals[i]), Money(pops[i])
		l.ActivityAmount = l.Total - l.PopulationAmount
		if neg {
			l.Total, l.PopulationAmount, l.ActivityAmount = -l.Total, -l.PopulationAmount, -l.ActivityAmount
		}
	}
	return a, nil
}

// controlledRound picks each payer's population line a_i (in cents) between
// max(⌊qa_i⌋, t_i − ⌈qb_i⌉) and min(⌈qa_i⌉, t_i − ⌊qb_i⌋) so that the a_i sum to
// budget: every a_i starts at its lower end, then the payers with room get a
// cent each, largest fractional part of qa_i first, ties by order.
func refControlledRound(qa, qb []*big.Int, den *big.Int, totals []int64, budget int64, order []int) ([]int64, error) {
	n := len(qa)
	out := make([]int64, n)
	rem := make([]*big.Int, n)
	room := make([]bool, n)
	var sum int64
	for i := range qa {
		fa, ra := refFloorRem(qa[i], den)
		fb, rb := refFloorRem(qb[i], den)
		ca, cb := fa, fb
		if ra.Sign() > 0 {
			ca++
		}
		if rb.Sign() > 0 {
			cb++
		}
		lo := max(fa, totals[i]-cb)
		hi := min(ca, totals[i]-fb)
		if lo > hi {
			return nil, fmt.Errorf("no rounding within a cent for part %d", i+1)
		}
		out[i], rem[i], room[i] = lo, ra, hi > lo
		sum += lo
	}
	need := budget - sum
	if need < 0 {
		return nil, fmt.Errorf("population column exceeds its budget by %d cents", -need)
	}
	for _, i := range refLargestFirst(rem, order) {
		if need == 0 {
			break
		}
		if room[i] {
			out[i]++
			need--
		}
	}
	if need != 0 {
		return nil, fmt.Errorf("population column is %d cents short of its budget", need)
	}
	return out, nil
}

func refFloorRem(num, den *big.Int) (int64, *big.Int) {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	return q.Int64(), r
}
func refApportion(total Money, weights []int64) ([]Money, error) {
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
	parts, err := refRoundToTotal(num, sum, int64(total.Abs()), refIdentity(len(weights)))
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
func refRoundToTotal(num []*big.Int, den *big.Int, total int64, order []int) ([]int64, error) {
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
	rank := refLargestFirst(rem, order)
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
func refLargestFirst(rem []*big.Int, order []int) []int {
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

func refIdentity(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	return o
}
