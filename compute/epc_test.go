package compute

import (
	"strings"
	"testing"
)

func TestEPCQR(t *testing.T) {
	ref, err := SchemeReference(1, 2021, 25)
	if err != nil {
		t.Fatal(err)
	}
	due := Date{2021, 2, 15}
	got, err := EPCQR("NDEAFIHH", "Esimerkkikaupunki", "FI21 1234 5600 0007 85", Cents(985383), ref, due)
	if err != nil {
		t.Fatal(err)
	}
	want := "BCD\n001\n1\nSCT\nNDEAFIHH\nEsimerkkikaupunki\nFI2112345600000785\nEUR9853.83\n\n" + ref.RF() + "\n\nReqdExctnDt/2021-02-15"
	if got != want {
		t.Errorf("EPCQR =\n%q\nwant\n%q", got, want)
	}
	if !strings.HasPrefix(ref.RF(), "RF") {
		t.Errorf("the QR must carry the RF form, got %q", ref.RF())
	}

	bad := []struct {
		name, bic, payee, iban string
		amount                 Money
		want                   string
	}{
		{"bad IBAN", "NDEAFIHH", "X", "FI21 1234 5600 0007 86", 100, "IBAN"},
		{"bad BIC", "NDEA", "X", "FI2112345600000785", 100, "BIC"},
		{"long name", "NDEAFIHH", strings.Repeat("ä", 71), "FI2112345600000785", 100, "70"},
		{"empty name", "NDEAFIHH", " ", "FI2112345600000785", 100, "name"},
		{"zero amount", "NDEAFIHH", "X", "FI2112345600000785", 0, "0.01"},
		{"negative amount", "NDEAFIHH", "X", "FI2112345600000785", -5, "0.01"},
		{"too large", "NDEAFIHH", "X", "FI2112345600000785", MaxEPCAmount + 1, "0.01"},
	}
	for _, tt := range bad {
		if _, err := EPCQR(tt.bic, tt.payee, tt.iban, tt.amount, ref, due); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
	if got, err := EPCQR("NDEAFIHH", "X", "FI2112345600000785", 100, ref, Date{}); err != nil || !strings.HasSuffix(got, "\n\n") {
		t.Errorf("no due date: %q, %v; want an empty last field", got, err)
	}
}
