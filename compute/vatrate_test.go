package compute

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func TestVATTableOn(t *testing.T) {
	table := DefaultGeneralVAT()
	tests := []struct {
		day  Date
		want string
	}{
		{Date{2013, 1, 1}, "24"},
		{Date{2022, 6, 15}, "24"},
		{Date{2024, 8, 31}, "24"},
		{Date{2024, 9, 1}, "25.5"},
		{Date{2026, 1, 1}, "25.5"},
	}
	for _, tt := range tests {
		t.Run(tt.day.String(), func(t *testing.T) {
			got, err := table.On(tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(decimal.RequireFromString(tt.want)) {
				t.Errorf("On(%s) = %s, want %s", tt.day, got, tt.want)
			}
		})
	}
	for _, d := range []Date{{2012, 12, 31}, {}} {
		if got, err := table.On(d); err == nil {
			t.Errorf("On(%s) = %s, want an error before the table", d, got)
		}
	}
	if got, err := (VATTable{{Date{2024, 9, 1}, decimal.NewFromInt(24)}, {Date{2013, 1, 1}, decimal.NewFromInt(24)}}).On(Date{2025, 1, 1}); err == nil {
		t.Errorf("On an unsorted table = %s, want an error", got)
	}
}

func TestDefaultGeneralVATIsFresh(t *testing.T) {
	a := DefaultGeneralVAT()
	a[1].Rate = decimal.NewFromInt(99)
	if got, _ := DefaultGeneralVAT().On(Date{2025, 1, 1}); !got.Equal(decimal.RequireFromString("25.5")) {
		t.Errorf("changing one default table changed the next: %s", got)
	}
}

func TestVATTableCheck(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name  string
		table VATTable
		ok    bool
	}{
		{"default", DefaultGeneralVAT(), true},
		{"one entry", VATTable{{Date{2013, 1, 1}, d("0")}}, true},
		{"reduced rate history", VATTable{{Date{2013, 1, 1}, d("14")}, {Date{2026, 1, 1}, d("13.5")}}, true},
		{"empty", nil, false},
		{"out of order", VATTable{{Date{2024, 9, 1}, d("25.5")}, {Date{2013, 1, 1}, d("24")}}, false},
		{"the same date twice", VATTable{{Date{2013, 1, 1}, d("24")}, {Date{2013, 1, 1}, d("25.5")}}, false},
		{"negative rate", VATTable{{Date{2013, 1, 1}, d("-1")}}, false},
		{"100 %", VATTable{{Date{2013, 1, 1}, d("100")}}, false},
		{"not a date", VATTable{{Date{2013, 2, 30}, d("24")}}, false},
		{"zero date", VATTable{{Date{}, d("24")}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.table.Check(); (err == nil) != tt.ok {
				t.Errorf("Check() = %v, want ok = %v", err, tt.ok)
			}
		})
	}
}

func TestVATTableChanges(t *testing.T) {
	d := decimal.RequireFromString
	// The reference table's general rate, with its repeated 2025 row.
	table := VATTable{{Date{2013, 1, 1}, d("24")}, {Date{2024, 9, 1}, d("25.5")}, {Date{2025, 1, 1}, d("25.50")}, {Date{2026, 1, 1}, d("26")}}
	tests := []struct {
		name     string
		from, to Date
		want     []Date
	}{
		{"a quarter across the change", Date{2024, 7, 1}, Date{2024, 9, 30}, []Date{{2024, 9, 1}}},
		{"a year across the change", Date{2024, 1, 1}, Date{2024, 12, 31}, []Date{{2024, 9, 1}}},
		{"ends on the change", Date{2024, 8, 1}, Date{2024, 9, 1}, []Date{{2024, 9, 1}}},
		{"starts on the change: no change within", Date{2024, 9, 1}, Date{2024, 9, 30}, nil},
		{"ends the day before", Date{2024, 8, 1}, Date{2024, 8, 31}, nil},
		{"a repeated rate is no change", Date{2024, 10, 1}, Date{2025, 12, 31}, nil},
		{"two changes", Date{2024, 1, 1}, Date{2026, 12, 31}, []Date{{2024, 9, 1}, {2026, 1, 1}}},
		{"the first entry is no change", Date{2012, 1, 1}, Date{2013, 12, 31}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := table.Changes(tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("Changes(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}
