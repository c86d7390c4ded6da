package compute

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or a zone: an issue date, a
// due date, the first or last day of a period.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, or an error when it does not exist
// (2021-02-29, 2021-13-01).
func NewDate(y int, m time.Month, d int) (Date, error) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d || y < 1 || y > 9999 {
		return Date{}, fmt.Errorf("%04d-%02d-%02d is not a date", y, int(m), d)
	}
	return Date{y, m, d}, nil
}

// ParseDate reads an ISO date, YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: expected YYYY-MM-DD, such as 2021-02-01", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time returns the date as midnight UTC, for arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO form, 2021-02-01.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText writes the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the ISO form.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MonthOf returns the month d falls in.
func (d Date) MonthOf() Month { return Month{d.Year, d.Month} }

// Month is a calendar month, the unit of billing cycles.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("month %q: expected YYYY-MM, such as 2021-03", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// String returns YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Index counts months from year 0, so that months can be compared and
// subtracted as integers.
func (m Month) Index() int { return m.Year*12 + int(m.Month) - 1 }

// MonthFromIndex is the inverse of Index.
func MonthFromIndex(i int) Month { return Month{i / 12, time.Month(i%12 + 1)} }

// Add returns the month n months after m.
func (m Month) Add(n int) Month { return MonthFromIndex(m.Index() + n) }

// First returns the first day of m.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last returns the last day of m.
func (m Month) Last() Date { return m.Add(1).First().AddDays(-1) }
