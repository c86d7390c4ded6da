package compute

import (
	"strings"
	"testing"
)

func TestCheckBusinessID(t *testing.T) {
	for _, id := range []string{"1790235-0", "1643256-1", "0114162-2", "1633241-3", "2617416-4", "1629284-5",
		"1008663-7", "0109862-8", "1837954-9", "1572860-0", "2345678-0", "0112038-9", "1234567-1"} {
		if err := CheckBusinessID(id); err != nil {
			t.Errorf("CheckBusinessID(%q): %v", id, err)
		}
	}
	for _, id := range []string{"3362438-4", "0100007-1", "1234567-8", "1234567", "12345678", "123456a-1", "1234567-x", ""} {
		if err := CheckBusinessID(id); err == nil {
			t.Errorf("CheckBusinessID(%q) accepted an invalid ID", id)
		}
	}
	if got := VATNumber("2617416-4"); got != "FI26174164" {
		t.Errorf("VATNumber = %s", got)
	}
}

func TestCheckIBAN(t *testing.T) {
	for _, s := range []string{"FI21 1234 5600 0007 85", "FI7944052020036082", "FI58 1017 1000 0001 22",
		"fi02 5000 4640 0013 02", "DE89370400440532013000", "SE4550000000058398257466"} {
		if err := CheckIBAN(s); err != nil {
			t.Errorf("CheckIBAN(%q): %v", s, err)
		}
	}
	for _, s := range []string{"FI21 1234 5600 0007 86", "FI2112345600000", "FI79440520200360820", "XX", "FI21-1234-5600-0007-85", "1121 1234 5600 0007 85"} {
		if err := CheckIBAN(s); err == nil {
			t.Errorf("CheckIBAN(%q) accepted an invalid IBAN", s)
		}
	}
}

func TestCheckOVT(t *testing.T) {
	for _, s := range []string{"003715728600", "00371572860012345", "0037157286001", "003715728600ABC", "003726174164", "003701141622"} {
		if err := CheckOVT(s); err != nil {
			t.Errorf("CheckOVT(%q): %v", s, err)
		}
	}
	tests := []struct{ name, in, wantErr string }{
		{"wrong prefix", "004415728600", "begin with 0037"},
		{"Swedish prefix", "000715728600", "begin with 0037"},
		{"bad business ID check", "003715728601", "not a valid business ID"},
		{"never issued business ID", "003733624384", "not a valid business ID"},
		{"suffix too long", "003715728600123456", "expected 12 to 17"},
		{"too short", "00371572860", "expected 12 to 17"},
		{"hyphen kept", "00371572860-0", "business ID"},
		{"letter in business ID", "00371572A600", "eight digits"},
		{"space in suffix", "003715728600 12", "unexpected"},
		{"empty", "", "expected 12 to 17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOVT(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CheckOVT(%q) = %v, want an error containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}
