package compute

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// This file holds the rules of the per-resident fee scheme (SPEC 1.2): the
// year fee, the months it is billed for and its instalments, hourly work, and
// the return of a year's surplus.

// YearFee is a subscriber's usage fee for one calendar year: rate euros per
// resident × population × months / 12, rounded half up to the cent once. The
// product is computed exactly (a rational number), so a pro-rata fee is not
// rounded per month: 0,058 × 12 345 × 7/12 = 417,6725 → 417,67.
//
// population is the subscriber's residents on 31.12. of the previous year (for
// a joint authority or a county, the sum of its members' populations), months
// the number of billed months, 1 to 12 (see BilledMonths).
func YearFee(rate decimal.Decimal, population int64, months int) (Money, error) {
	if rate.IsNegative() {
		return 0, fmt.Errorf("year fee: rate %s € per resident is negative", rate)
	}
	if population < 0 {
		return 0, fmt.Errorf("year fee: population %d is negative", population)
	}
	if months < 1 || months > 12 {
		return 0, fmt.Errorf("year fee: %d billed months; expected 1 to 12", months)
	}
	// In cents: rate × 100 × population × months / 12.
	cents := rate.Rat()
	cents.Mul(cents, new(big.Rat).SetFrac(
		new(big.Int).Mul(big.NewInt(100*int64(months)), big.NewInt(population)),
		big.NewInt(12)))
	c, ok := roundRatHalfUp(cents)
	if !ok || c > int64(MaxMoney) {
		return 0, fmt.Errorf("year fee: %s € × %d × %d/12 is out of range", rate, population, months)
	}
	return Money(c), nil
}

// roundRatHalfUp rounds a non-negative rational number to the nearest
// integer, halves up: ⌊(2·num + den) / (2·den)⌋. ok is false when the result
// does not fit in an int64.
func roundRatHalfUp(r *big.Rat) (int64, bool) {
	num := new(big.Int).Lsh(r.Num(), 1)
	num.Add(num, r.Denom())
	num.Quo(num, new(big.Int).Lsh(r.Denom(), 1))
	return num.Int64(), num.IsInt64()
}

// BilledMonths returns the months of the calendar year billed for a contract
// running from start to end inclusive (a zero end: open-ended), in order. A
// contract is billed for whole months, from its start month (a contract
// starting 2023-06-15 is billed from June) to its end month, clipped to the
// year. It returns no months when the contract does not touch the year, and
// an error when start is zero or end is before start.
func BilledMonths(year int, start, end Date) ([]Month, error) {
	if year < 1 || year > 9999 {
		return nil, fmt.Errorf("billed months: year %d is out of range", year)
	}
	if start.IsZero() {
		return nil, errors.New("billed months: the contract has no start date")
	}
	if !end.IsZero() && end.Before(start) {
		return nil, fmt.Errorf("billed months: the contract ends %s, before it starts %s", end, start)
	}
	first, last := Month{year, 1}, Month{year, 12}
	if s := start.MonthOf(); s.Index() > first.Index() {
		first = s
	}
	if !end.IsZero() {
		if e := end.MonthOf(); e.Index() < last.Index() {
			last = e
		}
	}
	var out []Month
	for m := first; m.Index() <= last.Index(); m = m.Add(1) {
		out = append(out, m)
	}
	return out, nil
}

// Instalment is the part of a year fee invoiced in one cycle.
type Instalment struct {
	// Cycle is the calendar cycle of the billing frequency ("2023",
	// "2023-Q2", "2023-06"), as Period.Cycles gives it for the whole year,
	// even when only some of its months are billed.
	Cycle Cycle
	// Months are the billed months within the cycle, in order; fewer than
	// the cycle's months mean the instalment is pro rata.
	Months []Month
	Fee    Money
}

// Instalments splits a year fee over the billed months of the calendar year by
// largest remainder, every month weighing the same and leftover cents going to
// the earliest months, and sums the months per cycle of frequency f. Only
// cycles with billed months get an instalment; they come in order and always
// sum exactly to yearFee.
//
// billed must be months of year in increasing order, as BilledMonths returns
// them. Because the month amounts differ by at most a cent, the larger ones
// first, Apportion(in.Fee, one weight per month of in.Months) gives back the
// same month amounts: that is how a fee line is split at a VAT rate change.
func Instalments(yearFee Money, billed []Month, f Frequency, year int) ([]Instalment, error) {
	if f != Monthly && f != Quarterly && f != Annual {
		return nil, fmt.Errorf("instalments: unknown billing frequency %d", int(f))
	}
	if year < 1 || year > 9999 {
		return nil, fmt.Errorf("instalments: year %d is out of range", year)
	}
	for i, m := range billed {
		if m.Year != year || m.Month < 1 || m.Month > 12 {
			return nil, fmt.Errorf("instalments: billed month %s is not in %d", m, year)
		}
		if i > 0 && m.Index() <= billed[i-1].Index() {
			return nil, fmt.Errorf("instalments: billed months %s and %s are not in increasing order", billed[i-1], m)
		}
	}
	if len(billed) == 0 {
		if yearFee != 0 {
			return nil, fmt.Errorf("instalments: a year fee of %s but no billed months", yearFee)
		}
		return nil, nil
	}
	weights := make([]int64, len(billed))
	for i := range weights {
		weights[i] = 1
	}
	fees, err := Apportion(yearFee, weights)
	if err != nil {
		return nil, fmt.Errorf("instalments: %w", err)
	}
	year1 := Month{year, 1}
	p := Period{From: year1.First(), To: year1.Add(11).Last()}
	var out []Instalment
	i := 0
	for _, c := range p.Cycles(f) {
		in := Instalment{Cycle: c}
		for ; i < len(billed) && billed[i].Index() <= c.Last.Index(); i++ {
			in.Months = append(in.Months, billed[i])
			in.Fee += fees[i]
		}
		if len(in.Months) > 0 {
			out = append(out, in)
		}
	}
	return out, nil
}

// HourKind is the kind of a logged hour of work.
type HourKind int

// The kinds of hours in the hours log: other work, priced by the hour, and
// training, which is included in the usage fee within the onboarding window
// (see TrainingIncluded) and priced like work after it.
const (
	HourWork HourKind = iota + 1
	HourTraining
)

// ParseHourKind reads the hours log's kind column: "työ" or "work",
// "koulutus" or "training", in any case, surrounding spaces ignored.
func ParseHourKind(s string) (HourKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "työ", "work":
		return HourWork, nil
	case "koulutus", "training":
		return HourTraining, nil
	}
	return 0, fmt.Errorf("kind of hours %q: expected työ (work) or koulutus (training)", s)
}

func (k HourKind) String() string {
	switch k {
	case HourWork:
		return "work"
	case HourTraining:
		return "training"
	}
	return fmt.Sprintf("HourKind(%d)", int(k))
}

// TrainingIncluded reports whether training on day falls within the first
// months months of a contract starting contractStart, and so is included in the
// usage fee. The window runs from the start day up to, not including, the same
// day of the month months later; when that month is shorter, its last day
// takes the place of the missing one. With two months: a contract from
// 2023-06-01 includes 2023-07-31 but not 2023-08-01; one from 2023-01-31
// includes up to 2023-03-30; one from 2023-12-31 up to 2024-02-28. Days
// before the start are not included, nor is anything when months ≤ 0.
func TrainingIncluded(contractStart, day Date, months int) bool {
	if months <= 0 || day.Before(contractStart) {
		return false
	}
	return day.Before(addMonthsClamped(contractStart, months))
}

// addMonthsClamped returns the same day of the month n months after d, or that
// month's last day when it is shorter (2023-01-31 + 1 → 2023-02-28).
func addMonthsClamped(d Date, n int) Date {
	m := d.MonthOf().Add(n)
	if last := m.Last(); d.Day > last.Day {
		return last
	}
	return Date{m.Year, m.Month, d.Day}
}

// HourLine prices logged hours: hours × price, rounded half up to the cent.
// hours must be positive with at most two decimals (as the hours log allows),
// price not negative: 7,5 h × 60,00 = 450,00; 0,25 h × 60,00 = 15,00.
func HourLine(hours decimal.Decimal, price Money) (Money, error) {
	if !hours.IsPositive() {
		return 0, fmt.Errorf("hours %s: expected more than 0", hours)
	}
	if h := hours.Shift(2); !h.Equal(h.Truncate(0)) {
		return 0, fmt.Errorf("hours %s: expected at most two decimals", hours)
	}
	if price < 0 {
		return 0, fmt.Errorf("hourly price %s is negative", price)
	}
	m, err := RoundHalfUp(hours.Mul(price.Decimal()))
	if err != nil {
		return 0, fmt.Errorf("%s h × %s: %w", hours, price, err)
	}
	return m, nil
}

// SplitSurplus returns a year's surplus to the payers in proportion to the
// usage fees each was invoiced for the year (net of corrections), by largest
// remainder with ties to the earlier payer, so the caller orders fees by payer
// id. The parts sum exactly to surplus. A negative surplus (a deficit) is not
// split: the caller reports it. It is an error when a fee is negative or all
// are zero.
func SplitSurplus(surplus Money, fees []Money) ([]Money, error) {
	if surplus < 0 {
		return nil, fmt.Errorf("surplus %s is negative: a deficit is reported, not split", surplus)
	}
	weights := make([]int64, len(fees))
	anyFee := false
	for i, f := range fees {
		if f < 0 {
			return nil, fmt.Errorf("surplus: the fees of payer %d are negative (%s)", i+1, f)
		}
		weights[i] = int64(f)
		anyFee = anyFee || f > 0
	}
	if !anyFee {
		return nil, errors.New("surplus: no usage fees were invoiced, so there is nothing to split it by")
	}
	parts, err := Apportion(surplus, weights)
	if err != nil {
		return nil, fmt.Errorf("surplus: %w", err)
	}
	return parts, nil
}
