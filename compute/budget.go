package compute

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Components is a budget divided into the cost-sharing scheme's two parts:
// the part split by reference population and the part split by activities.
type Components struct {
	Population Money
	Activity   Money
}

// Total is the sum of both components.
func (c Components) Total() Money { return c.Population + c.Activity }

var hundred = decimal.NewFromInt(100)

// SplitComponents divides a period budget into its components: the population
// part is populationPercent % of the budget rounded half up to the cent, the
// activity part is the rest (284 602,00 € at 70 % → 199 221,40 + 85 380,60).
func SplitComponents(budget Money, populationPercent decimal.Decimal) (Components, error) {
	if populationPercent.IsNegative() || populationPercent.GreaterThan(hundred) {
		return Components{}, fmt.Errorf("population weight %s %% is not between 0 and 100", populationPercent)
	}
	pop, err := RoundHalfUp(budget.Decimal().Mul(populationPercent).Shift(-2))
	if err != nil {
		return Components{}, fmt.Errorf("population part of %s: %w", budget, err)
	}
	return Components{Population: pop, Activity: budget - pop}, nil
}

// CycleBudgets splits each component of a period budget over the cycles by
// largest remainder, each cycle weighing its months, ties to the earliest
// cycle. Both the cycles and each component column sum exactly to the period's
// components.
func CycleBudgets(period Components, cycles []Cycle) ([]Components, error) {
	w := make([]int64, len(cycles))
	for i, c := range cycles {
		w[i] = int64(c.Months())
	}
	pop, err := Apportion(period.Population, w)
	if err != nil {
		return nil, fmt.Errorf("population budget over cycles: %w", err)
	}
	act, err := Apportion(period.Activity, w)
	if err != nil {
		return nil, fmt.Errorf("activity budget over cycles: %w", err)
	}
	out := make([]Components, len(cycles))
	for i := range cycles {
		out[i] = Components{Population: pop[i], Activity: act[i]}
	}
	return out, nil
}
