package finvoice

import (
	"slices"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		name string
		m    compute.Money
		want string
	}{
		{"zero", 0, "0,00"},
		{"cents", 5, "0,05"},
		{"invoice total", 183594, "1835,94"},
		{"credit total", -183594, "-1835,94"},
		{"no grouping", 1234567890, "12345678,90"},
		{"largest", maxAmount, "999999999999999,99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := amount(tt.m); got != tt.want {
				t.Errorf("amount(%d) = %q, want %q", int64(tt.m), got, tt.want)
			}
			if !amountFits(tt.m) {
				t.Errorf("amountFits(%d) = false", int64(tt.m))
			}
		})
	}
	if amountFits(maxAmount+1) || amountFits(-maxAmount-1) {
		t.Error("amountFits accepts 16 digits of euros")
	}
}

func TestNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"25.5", "25,5"}, {"0", "0"}, {"24", "24"}, {"24.00", "24"}, {"13.50", "13,5"},
		{"1", "1"}, {"-1", "-1"}, {"7.5", "7,5"}, {"-7.50", "-7,5"},
	}
	for _, tt := range tests {
		if got := number(decimal.RequireFromString(tt.in)); got != tt.want {
			t.Errorf("number(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentFits(t *testing.T) {
	for _, ok := range []string{"0", "10", "25.5", "13.5", "100", "999.999"} {
		if !percentFits(decimal.RequireFromString(ok)) {
			t.Errorf("percentFits(%s) = false", ok)
		}
	}
	for _, bad := range []string{"-1", "1000", "25.5555"} {
		if percentFits(decimal.RequireFromString(bad)) {
			t.Errorf("percentFits(%s) = true", bad)
		}
	}
}

func TestDate(t *testing.T) {
	if got := date(compute.Date{Year: 2021, Month: 2, Day: 1}); got != "20210201" {
		t.Errorf("date = %q", got)
	}
}

func TestDepartments(t *testing.T) {
	tests := []struct {
		name, unit string
		want       []string
		ok         bool
	}{
		{"empty", "", nil, true},
		{"short", "Hyvinvointitoimiala", []string{"Hyvinvointitoimiala"}, true},
		{"exactly 35", strings.Repeat("a", 35), []string{strings.Repeat("a", 35)}, true},
		{"at the slash", "Hyvinvointitoimiala / Ikääntyneiden palveluohjaus", []string{"Hyvinvointitoimiala", "Ikääntyneiden palveluohjaus"}, true},
		{"at a space", "Ikääntyneiden keskitetty asiakas- ja palveluohjaus", []string{"Ikääntyneiden keskitetty asiakas-", "ja palveluohjaus"}, true},
		{"no space", strings.Repeat("ä", 36), nil, false},
		{"too long", strings.Repeat("sana ", 15), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := departments(tt.unit)
			if !slices.Equal(got, tt.want) || ok != tt.ok {
				t.Errorf("departments(%q) = %q, %v, want %q, %v", tt.unit, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Esimerkkikaupunki", "Esimerkkikaupunki"},
		{"  Kunta \n  Ky ", "Kunta Ky"},
		{"Varsinais-Suomen hyvinvointialue ja kuntayhtymä", "Varsinais-Suomen hyvinvointialue ja"},
	}
	for _, tt := range tests {
		if got := token(tt.in, 35); got != tt.want || chars(got) > 35 {
			t.Errorf("token(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
