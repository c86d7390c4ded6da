package compute

import (
	"fmt"
	"math/big"
	"sort"
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
	order := identity(len(shares))
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
	totals, err := roundToTotal(qt, D, pa+ab, order)
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate totals: %w", err)
	}
	pops, err := controlledRound(qa, qb, D, totals, pa, order)
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
func controlledRound(qa, qb []*big.Int, den *big.Int, totals []int64, budget int64, order []int) ([]int64, error) {
	n := len(qa)
	out := make([]int64, n)
	rem := make([]*big.Int, n)
	room := make([]bool, n)
	var sum int64
	for i := range qa {
		fa, ra := floorRem(qa[i], den)
		fb, rb := floorRem(qb[i], den)
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
	for _, i := range largestFirst(rem, order) {
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

func floorRem(num, den *big.Int) (int64, *big.Int) {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	return q.Int64(), r
}
