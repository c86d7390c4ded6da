package compute

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
)

// Share is what a payer's part of a cycle is computed from: its reference
// population (e.g. residents aged 75 or over) and its documented activities
// in the cycle.
type Share struct {
	Payer      Payer
	Population int64
	Activities int64
}

// AllocationLine is one payer's part of a cycle's budget. PopulationAmount +
// ActivityAmount = Total, and each is within one cent of its exact share.
type AllocationLine struct {
	Share
	PopulationAmount Money
	ActivityAmount   Money
	Total            Money
}

// Allocation is a budget split between payers.
type Allocation struct {
	Budget Components
	Lines  []AllocationLine // in the order of the shares given
	// Population and Activities are the totals the shares are taken of.
	Population int64
	Activities int64
	// ActivitiesByPopulation is set when there were no activities at all, so
	// the activity part was split by population share instead.
	ActivitiesByPopulation bool
}

// Allocate splits a cycle's budget between payers, exactly as SPEC 3 states.
//
// The population component is split by each payer's share of the population,
// the activity component by its share of the activities (by population share
// when nobody has any). Each payer's total is one largest-remainder split of
// the whole budget by its two exact amounts added; its two lines are those
// exact amounts rounded down or up (never further than a cent) so that its
// lines sum to its total and each column sums to its component budget. Of the
// roundings that do so, Allocate picks the one that gives the population
// column's leftover cents to the largest fractional parts, ties by payer id.
// The result does not depend on the order of the shares.
//
// Negative budgets (credits) are split as positive amounts and negated.
func Allocate(budget Components, shares []Share) (Allocation, error) {
	return allocate(budget, shares, true)
}

// allocate is Allocate; with fast false it skips the 128-bit arithmetic and
// always takes math/big, so that tests can compare the two.
func allocate(budget Components, shares []Share, fast bool) (Allocation, error) {
	if (budget.Population < 0 && budget.Activity > 0) || (budget.Population > 0 && budget.Activity < 0) {
		return Allocation{}, fmt.Errorf("allocate: budget components %s and %s have different signs", budget.Population, budget.Activity)
	}
	neg := budget.Population < 0 || budget.Activity < 0
	pa, ab := int64(budget.Population.Abs()), int64(budget.Activity.Abs())

	// Ties go by payer id, whatever order the shares came in. Sorting the ids
	// also finds a payer that appears twice.
	order, again := byPayerID(shares)

	a := Allocation{Budget: budget, Lines: make([]AllocationLine, len(shares))}
	for i, s := range shares {
		if i == again {
			return Allocation{}, fmt.Errorf("allocate: payer %s appears twice", s.Payer.ID)
		}
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
	actTotal := a.Activities
	if actTotal == 0 {
		a.ActivitiesByPopulation = true
		actTotal = a.Population
	}
	if actTotal == 0 && ab != 0 {
		return Allocation{}, fmt.Errorf("allocate: the payers' population is 0, so the activity part cannot be split")
	}

	// Exact amounts in cents over one common denominator D = P·A:
	// qa_i = Pa·p_i/P = Pa·p_i·A / D, qb_i = Ab·x_i/A = Ab·x_i·P / D, in
	// 128-bit integers when they fit (they do unless P·A ≥ 2⁶³), else in
	// math/big; both give the same whole cents and remainders.
	f := allocationFactors{pa: pa, ab: ab, P: max(a.Population, 1), A: max(actTotal, 1), byPopulation: a.ActivitiesByPopulation}
	var qa, qb, qt exactCents
	ok := false
	if fast {
		qa, qb, qt, ok = f.exact128(shares)
	}
	if !ok {
		var err error
		if qa, qb, qt, err = f.exactBig(shares); err != nil {
			return Allocation{}, fmt.Errorf("allocate totals: %w", err)
		}
	}
	totals, err := roundToTotal(qt, pa+ab, order)
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate totals: %w", err)
	}
	pops, err := controlledRound(qa, qb, totals, pa, order)
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

// byPayerID returns the indexes of shares ordered by payer id (equal ids by
// index, as a stable sort would), and again, the index of the first share
// whose payer id appeared before it (len(shares) if none did).
//
// Ids are sorted by their first eight bytes as a big-endian number, and only
// when those are equal by the whole id: the number orders ids exactly as
// their bytes do, and short ids (municipality codes) never need the strings.
func byPayerID(shares []Share) (order []int, again int) {
	type key struct {
		prefix uint64
		i      int
	}
	keys := make([]key, len(shares))
	for i, s := range shares {
		var b [8]byte
		copy(b[:], s.Payer.ID)
		keys[i] = key{binary.BigEndian.Uint64(b[:]), i}
	}
	compare := func(a, b key) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		if c := strings.Compare(shares[a.i].Payer.ID, shares[b.i].Payer.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	}
	slices.SortFunc(keys, compare)
	order = make([]int, len(keys))
	again = len(shares)
	for p, k := range keys {
		order[p] = k.i
		// The second and later of equal ids come after the first, by index.
		if p > 0 && k.prefix == keys[p-1].prefix && shares[k.i].Payer.ID == shares[keys[p-1].i].Payer.ID {
			again = min(again, k.i)
		}
	}
	return order, again
}

// allocationFactors are what Allocate's exact amounts are made of: the
// population and activity budgets Pa and Ab in cents (non-negative unless
// |MinInt64| overflowed), the totals P and A (at least 1) the shares are taken
// of, and whether activities are counted by population.
type allocationFactors struct {
	pa, ab, P, A int64
	byPopulation bool
}

// activities returns x_i, the count the activity part is split by.
func (f allocationFactors) activities(s Share) int64 {
	if f.byPopulation {
		return s.Population
	}
	return s.Activities
}

// exact128 computes qa_i, qb_i and qt_i = qa_i + qb_i over D = P·A in
// 128-bit arithmetic. Each numerator is a product of int64 values and each
// quotient is at most its budget, so this is the usual case; ok is false
// when something does not fit (D beyond an int64, a numerator beyond 128
// bits, a negative factor), and the caller takes exactBig instead.
func (f allocationFactors) exact128(shares []Share) (qa, qb, qt exactCents, ok bool) {
	if f.pa < 0 || f.ab < 0 {
		return
	}
	d := mul64(uint64(f.P), uint64(f.A))
	if d.hi != 0 || d.lo > math.MaxInt64 {
		return
	}
	paA := mul64(uint64(f.pa), uint64(f.A))
	abP := mul64(uint64(f.ab), uint64(f.P))
	n := len(shares)
	qa, qb, qt = makeExactCents(n), makeExactCents(n), makeExactCents(n)
	for i, s := range shares {
		na, okA := paA.mul(uint64(s.Population))
		nb, okB := abP.mul(uint64(f.activities(s)))
		nt, okT := na.add(nb)
		if !okA || !okB || !okT || !qa.set(i, na, d.lo) || !qb.set(i, nb, d.lo) || !qt.set(i, nt, d.lo) {
			return exactCents{}, exactCents{}, exactCents{}, false
		}
	}
	return qa, qb, qt, true
}

// exactBig computes what exact128 does in math/big, for any input. Its error
// is a total whose whole cents are beyond an int64; the whole cents of the
// population and activity parts are not checked (they are within the total's
// unless a budget is -2⁶³), as they never were.
func (f allocationFactors) exactBig(shares []Share) (qa, qb, qt exactCents, err error) {
	P, A := big.NewInt(f.P), big.NewInt(f.A)
	D := new(big.Int).Mul(P, A)
	na := make([]*big.Int, len(shares))
	nb := make([]*big.Int, len(shares))
	nt := make([]*big.Int, len(shares))
	paA := new(big.Int).Mul(big.NewInt(f.pa), A)
	abP := new(big.Int).Mul(big.NewInt(f.ab), P)
	for i, s := range shares {
		na[i] = new(big.Int).Mul(paA, big.NewInt(s.Population))
		nb[i] = new(big.Int).Mul(abP, big.NewInt(f.activities(s)))
		nt[i] = new(big.Int).Add(na[i], nb[i])
	}
	if qt, err = exactCentsBig(nt, D); err != nil {
		return
	}
	qa, _ = exactCentsBig(na, D)
	qb, _ = exactCentsBig(nb, D)
	return qa, qb, qt, nil
}

// controlledRound picks each payer's population line a_i (in cents) between
// max(⌊qa_i⌋, t_i − ⌈qb_i⌉) and min(⌈qa_i⌉, t_i − ⌊qb_i⌋) so that the a_i sum to
// budget: every a_i starts at its lower end, then the payers with room get a
// cent each, largest fractional part of qa_i first, ties by order.
func controlledRound(qa, qb exactCents, totals []int64, budget int64, order []int) ([]int64, error) {
	n := len(totals)
	out := make([]int64, n)
	room := make([]bool, n)
	var sum int64
	for i := range out {
		fa, fb := qa.whole[i], qb.whole[i]
		ca, cb := fa, fb
		if qa.rem[i] > 0 {
			ca++
		}
		if qb.rem[i] > 0 {
			cb++
		}
		lo := max(fa, totals[i]-cb)
		hi := min(ca, totals[i]-fb)
		if lo > hi {
			return nil, fmt.Errorf("no rounding within a cent for part %d", i+1)
		}
		out[i], room[i] = lo, hi > lo
		sum += lo
	}
	need := budget - sum
	if need < 0 {
		return nil, fmt.Errorf("population column exceeds its budget by %d cents", -need)
	}
	if need > 0 {
		// Only the payers with room can take a cent; ranking just them keeps
		// their order among themselves.
		withRoom := slices.DeleteFunc(slices.Clone(order), func(i int) bool { return !room[i] })
		for _, i := range largest(qa.rem, withRoom, int(min(need, int64(len(withRoom))))) {
			out[i]++
			need--
		}
	}
	if need != 0 {
		return nil, fmt.Errorf("population column is %d cents short of its budget", need)
	}
	return out, nil
}
