package compute

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// VATRate is a VAT rate in percent (24, 25.5) in force from a date on, until
// the next entry of its table.
type VATRate struct {
	From Date
	Rate decimal.Decimal
}

// VATTable is the history of one VAT rate (e.g. the general rate), its
// entries in increasing order of From. The rate of a line follows the day it
// was delivered on.
type VATTable []VATRate

// DefaultGeneralVAT is the Finnish general VAT rate: 24 % from 2013-01-01,
// 25,5 % from 2024-09-01. Each call returns a new table.
func DefaultGeneralVAT() VATTable {
	return VATTable{
		{From: Date{2013, 1, 1}, Rate: decimal.NewFromInt(24)},
		{From: Date{2024, 9, 1}, Rate: decimal.RequireFromString("25.5")},
	}
}

// Check reports the first problem of a table: it is empty, an entry's date is
// not a date, the entries are not in strictly increasing order of From, or a
// rate is not at least 0 and below 100 %.
func (t VATTable) Check() error {
	if len(t) == 0 {
		return errors.New("VAT table is empty")
	}
	for i, r := range t {
		if _, err := NewDate(r.From.Year, r.From.Month, r.From.Day); err != nil {
			return fmt.Errorf("VAT table entry %d: from %w", i+1, err)
		}
		if r.Rate.IsNegative() || !r.Rate.LessThan(hundred) {
			return fmt.Errorf("VAT table entry %d (from %s): rate %s %%, expected 0 or more and below 100", i+1, r.From, r.Rate)
		}
		if i > 0 && !t[i-1].From.Before(r.From) {
			return fmt.Errorf("VAT table entry %d (from %s) does not come after entry %d (from %s)", i+1, r.From, i, t[i-1].From)
		}
	}
	return nil
}

// On returns the rate in force on d: that of the last entry from d or before.
// It is an error when the table does not pass Check, or d is before its first
// entry.
func (t VATTable) On(d Date) (decimal.Decimal, error) {
	if err := t.Check(); err != nil {
		return decimal.Decimal{}, err
	}
	if d.Before(t[0].From) {
		return decimal.Decimal{}, fmt.Errorf("no VAT rate on %s: the VAT table starts %s", d, t[0].From)
	}
	i := len(t) - 1
	for t[i].From.After(d) {
		i--
	}
	return t[i].Rate, nil
}

// Changes returns, in order, the dates within (from, to] on which the rate
// changes: the From of every entry after the first whose rate differs from
// the entry before it (an entry repeating the rate is no change). A fee line
// for from…to is split at these dates, each part taking the rate On its
// first day. t must pass Check.
func (t VATTable) Changes(from, to Date) []Date {
	var out []Date
	for i := 1; i < len(t); i++ {
		d := t[i].From
		if d.After(from) && !d.After(to) && !t[i].Rate.Equal(t[i-1].Rate) {
			out = append(out, d)
		}
	}
	return out
}
