package compute

import (
	"fmt"
	"math/big"
	"strings"
)

// CheckBusinessID checks a Finnish Business ID (Y-tunnus), NNNNNNN-C: the
// check digit of the weights 7, 9, 10, 5, 8, 4, 2 (reference/finnish-payments.md).
func CheckBusinessID(id string) error {
	if len(id) != 9 || id[7] != '-' {
		return fmt.Errorf("business ID %q: expected seven digits, a hyphen and a check digit, such as 1234567-1", id)
	}
	weights := [7]int{7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		c := id[i]
		if c < '0' || c > '9' {
			return fmt.Errorf("business ID %q: expected digits before the hyphen", id)
		}
		sum += int(c-'0') * w
	}
	last := id[8]
	if last < '0' || last > '9' {
		return fmt.Errorf("business ID %q: the check digit must be a digit", id)
	}
	r := sum % 11
	if r == 1 {
		return fmt.Errorf("business ID %q is not valid (no ID with these digits is ever issued)", id)
	}
	want := 0
	if r != 0 {
		want = 11 - r
	}
	if int(last-'0') != want {
		return fmt.Errorf("business ID %q has a wrong check digit (expected %d)", id, want)
	}
	return nil
}

// VATNumber returns the Finnish VAT number of a valid Business ID:
// 2617416-4 → FI26174164.
func VATNumber(businessID string) string {
	return "FI" + strings.Replace(businessID, "-", "", 1)
}

// ibanLengths are the IBAN lengths of the SEPA countries a Finnish public
// body may plausibly bank with.
var ibanLengths = map[string]int{
	"FI": 18, "AX": 18, "SE": 24, "NO": 15, "DK": 18, "EE": 20, "DE": 22, "FR": 27, "NL": 18,
	"BE": 16, "AT": 20, "IE": 22, "ES": 24, "IT": 27, "PT": 25, "LU": 20, "LV": 21, "LT": 20,
	"PL": 28, "GB": 22, "CH": 21, "IS": 26,
}

// NormalizeIBAN removes spaces and upper-cases an IBAN as printed in groups
// ("FI21 1234 5600 0007 85" → "FI2112345600000785").
func NormalizeIBAN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// CheckIBAN checks an IBAN (spaces allowed): its country's length and the
// ISO 13616 mod-97 check.
func CheckIBAN(s string) error {
	iban := NormalizeIBAN(s)
	if len(iban) < 15 || len(iban) > 34 {
		return fmt.Errorf("IBAN %q: expected 15 to 34 letters and digits, such as FI21 1234 5600 0007 85", s)
	}
	if n, ok := ibanLengths[iban[:2]]; ok && len(iban) != n {
		return fmt.Errorf("IBAN %q: a %s IBAN has %d characters, this has %d", s, iban[:2], n, len(iban))
	}
	var digits strings.Builder
	for i, r := range iban[4:] + iban[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		default:
			return fmt.Errorf("IBAN %q: unexpected %q at position %d", s, r, (i+4)%len(iban)+1)
		}
	}
	if iban[0] < 'A' || iban[0] > 'Z' || iban[1] < 'A' || iban[1] > 'Z' {
		return fmt.Errorf("IBAN %q: expected a two-letter country code first", s)
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return fmt.Errorf("IBAN %q has a wrong check (mod 97): a digit is mistyped", s)
	}
	return nil
}

// CheckOVT validates a Finnish e-invoice address (OVT): "0037" + the 8 digits
// of a valid Business ID + an optional suffix of up to 5 alphanumerics
// (1572860-0 → 003715728600, 00371572860012345).
func CheckOVT(s string) error {
	const example = "such as 003715728600"
	if len(s) < 12 || len(s) > 17 {
		return fmt.Errorf("e-invoice address (OVT) %q has %d characters; expected 12 to 17: 0037, the eight digits of a business ID and at most five more letters or digits, %s", s, len(s), example)
	}
	if s[:4] != "0037" {
		return fmt.Errorf("e-invoice address (OVT) %q: expected it to begin with 0037, the code of Finland, %s", s, example)
	}
	for i := 4; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("e-invoice address (OVT) %q: expected the eight digits of a business ID after 0037, %s", s, example)
		}
	}
	if err := CheckBusinessID(s[4:11] + "-" + s[11:12]); err != nil {
		return fmt.Errorf("e-invoice address (OVT) %q: digits 5 to 12 are not a valid business ID: %w", s, err)
	}
	for i := 12; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return fmt.Errorf("e-invoice address (OVT) %q: unexpected %q; the suffix after the business ID may hold only letters and digits", s, c)
		}
	}
	return nil
}
