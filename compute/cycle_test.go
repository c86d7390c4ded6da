package compute

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustPeriod(t *testing.T, from, to string) Period {
	t.Helper()
	f, err := ParseDate(from)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseDate(to)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPeriod(f, e)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPeriodCycles(t *testing.T) {
	ids := func(cs []Cycle) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID+":"+c.From().String()+".."+c.To().String())
		}
		return out
	}
	tests := []struct {
		name     string
		from, to string
		f        Frequency
		want     []string
	}{
		{"monthly 2021", "2021-01-01", "2021-03-31", Monthly, []string{
			"2021-01:2021-01-01..2021-01-31", "2021-02:2021-02-01..2021-02-28", "2021-03:2021-03-01..2021-03-31"}},
		{"quarters clipped", "2021-02-01", "2021-11-30", Quarterly, []string{
			"2021-Q1:2021-02-01..2021-03-31", "2021-Q2:2021-04-01..2021-06-30",
			"2021-Q3:2021-07-01..2021-09-30", "2021-Q4:2021-10-01..2021-11-30"}},
		{"annual across years", "2021-07-01", "2023-02-28", Annual, []string{
			"2021:2021-07-01..2021-12-31", "2022:2022-01-01..2022-12-31", "2023:2023-01-01..2023-02-28"}},
		{"leap February", "2024-02-01", "2024-02-29", Monthly, []string{"2024-02:2024-02-01..2024-02-29"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustPeriod(t, tt.from, tt.to)
			if got := ids(p.Cycles(tt.f)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Cycles = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewPeriodErrors(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"mid-month start", "2021-01-02", "2021-11-30", "first day of a month"},
		{"mid-month end", "2021-01-01", "2021-11-29", "last day of a month"},
		{"reversed", "2021-03-01", "2021-01-31", "ends before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := ParseDate(tt.from)
			e, _ := ParseDate(tt.to)
			if _, err := NewPeriod(f, e); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewPeriod error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestPeriodCycleLookup(t *testing.T) {
	p := mustPeriod(t, "2021-01-01", "2021-11-30")
	c, err := p.Cycle("2021-03", Monthly)
	if err != nil || c.First != (Month{2021, time.March}) || c.Months() != 1 {
		t.Errorf("Cycle(2021-03) = %+v, %v", c, err)
	}
	for _, tt := range []struct {
		id   string
		f    Frequency
		want string
	}{
		{"2021-12", Monthly, "outside the period"},
		{"2021-13", Monthly, "expected a month"},
		{"2021-Q5", Quarterly, "expected a quarter"},
		{"21", Annual, "expected a year"},
		{"2021-03", Quarterly, "expected a quarter"},
	} {
		if _, err := p.Cycle(tt.id, tt.f); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Cycle(%q, %v) error = %v, want %q", tt.id, tt.f, err, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	if _, err := NewDate(2021, time.February, 29); err == nil {
		t.Error("2021-02-29 accepted")
	}
	if _, err := ParseDate("2021-2-1"); err == nil {
		t.Error("2021-2-1 accepted")
	}
	d, err := ParseDate("2021-02-01")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(14).String(); got != "2021-02-15" {
		t.Errorf("AddDays(14) = %s", got)
	}
	if got := (Month{2021, time.December}).Add(2).String(); got != "2022-02" {
		t.Errorf("2021-12 + 2 months = %s", got)
	}
	if got := (Month{2020, time.February}).Last().String(); got != "2020-02-29" {
		t.Errorf("last of 2020-02 = %s", got)
	}
}
