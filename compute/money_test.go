package compute

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, in string
		want     Money
		wantErr  string
	}{
		{"point", "284602.00", 28460200, ""},
		{"comma", "1835,94", 183594, ""},
		{"whole euros", "284602", 28460200, ""},
		{"one decimal", "12.5", 1250, ""},
		{"negative", "-1835.94", -183594, ""},
		{"spaces around", "  7,05 ", 705, ""},
		{"zero", "0", 0, ""},
		{"three decimals", "1.005", 0, "more than two decimals"},
		{"thousands space", "284 602,00", 0, "thousands separators"},
		{"thousands comma", "1,000.50", 0, "more than one separator"},
		{"text", "12a", 0, "unexpected"},
		{"empty", "", 0, "empty"},
		{"lone separator", "5.", 0, "both sides"},
		{"exponent", "1e3", 0, "unexpected"},
		{"huge", "100000000000000", 0, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseMoney(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMoney(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney(%q) = %d cents, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		in   Money
		want string
	}{
		{0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {183594, "1835.94"}, {-183594, "-1835.94"},
		{10933050, "109330.50"}, {100, "1.00"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		back, err := ParseMoney(tt.want)
		if err != nil || back != tt.in {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.want, back, err, tt.in)
		}
	}
}

func TestRoundHalfUp(t *testing.T) {
	tests := []struct {
		in   string
		want Money
	}{
		{"0.005", 1}, {"0.0049999", 0}, {"-0.005", -1}, {"199221.4", 19922140}, {"0.0145", 1},
		{"13.225", 1323},
	}
	for _, tt := range tests {
		got, err := RoundHalfUp(decimal.RequireFromString(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("RoundHalfUp(%s) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		part, whole int64
		places      int32
		want        string
	}{
		{17865, 46505, 4, "38.4152"},
		{300, 46505, 4, "0.6451"},
		{1, 8, 1, "12.5"},
		{1, 3, 2, "33.33"},
		{2, 3, 2, "66.67"},
		{1, 1, 0, "100"},
		{1, 16, 1, "6.3"}, // 6.25 rounds half up
	}
	for _, tt := range tests {
		got, err := Percent(tt.part, tt.whole, tt.places)
		if err != nil || got.StringFixed(tt.places) != tt.want {
			t.Errorf("Percent(%d, %d, %d) = %s, %v; want %s", tt.part, tt.whole, tt.places, got.StringFixed(tt.places), err, tt.want)
		}
	}
	if _, err := Percent(1, 0, 2); err == nil {
		t.Error("Percent of a zero whole: no error")
	}
}
