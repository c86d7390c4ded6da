package compute

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Frequency is how often a scheme invoices.
type Frequency int

// The billing frequencies.
const (
	Monthly Frequency = iota + 1
	Quarterly
	Annual
)

// ParseFrequency reads "monthly", "quarterly" or "annual" (also "yearly").
func ParseFrequency(s string) (Frequency, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "monthly":
		return Monthly, nil
	case "quarterly":
		return Quarterly, nil
	case "annual", "yearly":
		return Annual, nil
	}
	return 0, fmt.Errorf("billing cycle %q: expected monthly, quarterly or annual", s)
}

func (f Frequency) String() string {
	switch f {
	case Monthly:
		return "monthly"
	case Quarterly:
		return "quarterly"
	case Annual:
		return "annual"
	}
	return fmt.Sprintf("Frequency(%d)", int(f))
}

// months is the length of a full cycle.
func (f Frequency) months() int {
	switch f {
	case Quarterly:
		return 3
	case Annual:
		return 12
	}
	return 1
}

// Period is a contract or budget period of whole months, From its first day To
// its last day inclusive (2021-01-01 … 2021-11-30).
type Period struct {
	From, To Date
}

// NewPeriod checks that from is the first day of a month, to the last day of a
// month, and that the period is not empty.
func NewPeriod(from, to Date) (Period, error) {
	if from.Day != 1 {
		return Period{}, fmt.Errorf("period starts %s: it must start on the first day of a month", from)
	}
	if to != to.MonthOf().Last() {
		return Period{}, fmt.Errorf("period ends %s: it must end on the last day of a month", to)
	}
	if to.Before(from) {
		return Period{}, fmt.Errorf("period %s…%s ends before it starts", from, to)
	}
	return Period{from, to}, nil
}

// FirstMonth and LastMonth are the period's first and last months.
func (p Period) FirstMonth() Month { return p.From.MonthOf() }

// LastMonth is the period's last month.
func (p Period) LastMonth() Month { return p.To.MonthOf() }

// Months is the number of months in the period.
func (p Period) Months() int { return p.LastMonth().Index() - p.FirstMonth().Index() + 1 }

// ID names the period by its months, "2021-01/2021-11", as manifests do.
func (p Period) ID() string { return p.FirstMonth().String() + "/" + p.LastMonth().String() }

// Contains reports whether d falls within the period.
func (p Period) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Cycle is one invoicing cycle: consecutive months First…Last. A cycle at the
// edge of a period is clipped to the period, so a quarter may have fewer than
// three months.
type Cycle struct {
	ID          string // "2021-03", "2022-Q1" or "2022"
	First, Last Month
}

// Months is the number of months in the cycle.
func (c Cycle) Months() int { return c.Last.Index() - c.First.Index() + 1 }

// From is the first day of the cycle.
func (c Cycle) From() Date { return c.First.First() }

// To is the last day of the cycle.
func (c Cycle) To() Date { return c.Last.Last() }

// Contains reports whether d falls within the cycle.
func (c Cycle) Contains(d Date) bool { return !d.Before(c.From()) && !d.After(c.To()) }

// cycleOf returns the whole (unclipped) cycle of frequency f that contains m.
func cycleOf(m Month, f Frequency) Cycle {
	switch f {
	case Quarterly:
		q := (int(m.Month)-1)/3 + 1
		first := Month{m.Year, time.Month(3*(q-1) + 1)}
		return Cycle{fmt.Sprintf("%04d-Q%d", m.Year, q), first, first.Add(2)}
	case Annual:
		return Cycle{fmt.Sprintf("%04d", m.Year), Month{m.Year, 1}, Month{m.Year, 12}}
	}
	return Cycle{m.String(), m, m}
}

// Cycles returns the period's cycles of frequency f in order, each clipped to
// the period.
func (p Period) Cycles(f Frequency) []Cycle {
	var cs []Cycle
	last := p.LastMonth()
	for m := p.FirstMonth(); m.Index() <= last.Index(); {
		c := cycleOf(m, f)
		if c.First.Index() < p.FirstMonth().Index() {
			c.First = p.FirstMonth()
		}
		if c.Last.Index() > last.Index() {
			c.Last = last
		}
		cs = append(cs, c)
		m = c.Last.Add(1)
	}
	return cs
}

// Cycle finds the period's cycle with the given id ("2021-03", "2022-Q1",
// "2022"), or explains why there is none.
func (p Period) Cycle(id string, f Frequency) (Cycle, error) {
	if err := checkCycleID(id, f); err != nil {
		return Cycle{}, err
	}
	for _, c := range p.Cycles(f) {
		if c.ID == id {
			return c, nil
		}
	}
	return Cycle{}, fmt.Errorf("cycle %s is outside the period %s…%s", id, p.From, p.To)
}

func checkCycleID(id string, f Frequency) error {
	switch f {
	case Monthly:
		if _, err := ParseMonth(id); err != nil {
			return fmt.Errorf("cycle %q: expected a month, YYYY-MM (the scheme invoices monthly)", id)
		}
	case Quarterly:
		y, q, ok := strings.Cut(id, "-Q")
		n, err := strconv.Atoi(q)
		if _, yerr := strconv.Atoi(y); !ok || len(y) != 4 || yerr != nil || err != nil || n < 1 || n > 4 {
			return fmt.Errorf("cycle %q: expected a quarter, YYYY-Qn such as 2022-Q1 (the scheme invoices quarterly)", id)
		}
	case Annual:
		if _, err := strconv.Atoi(id); err != nil || len(id) != 4 {
			return fmt.Errorf("cycle %q: expected a year, YYYY (the scheme invoices annually)", id)
		}
	default:
		return fmt.Errorf("unknown billing frequency %d", int(f))
	}
	return nil
}
