package compute

import "testing"

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
