package compute

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxEPCAmount is the largest amount an EPC QR code carries: 999 999 999,99 €.
const MaxEPCAmount Money = 99999999999

// EPCQR is the text of the EPC QR code ("SEPA credit transfer" QR, EPC069-12
// version 001) that banking apps read to prefill a payment
// (reference/finnish-payments.md): one field per line, separated by LF —
// BCD, 001, 1 (UTF-8), SCT, the BIC, the beneficiary's name (at most 70
// characters), the IBAN, EUR and the amount with a decimal point, an empty
// purpose, the reference in its RF form, an empty text, and the due date as
// Finnish apps read it, "ReqdExctnDt/YYYY-MM-DD".
//
// Errors: an invalid IBAN, a BIC that is not 8 or 11 letters and digits, an
// empty or too long name, an amount that is not between 0,01 € and
// MaxEPCAmount, a bad reference. The text is at most 331 bytes, as the
// standard requires.
func EPCQR(bic, name, iban string, amount Money, ref Reference, due Date) (string, error) {
	acct := NormalizeIBAN(iban)
	if err := CheckIBAN(acct); err != nil {
		return "", fmt.Errorf("EPC QR code: %w", err)
	}
	if len(bic) != 8 && len(bic) != 11 || !isAlnumString(bic) {
		return "", fmt.Errorf("EPC QR code: BIC %q: expected 8 or 11 letters and digits, such as NDEAFIHH", bic)
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 70 || strings.ContainsAny(name, "\r\n") {
		return "", fmt.Errorf("EPC QR code: beneficiary name %q: expected 1 to 70 characters on one line", name)
	}
	if amount < 1 || amount > MaxEPCAmount {
		return "", fmt.Errorf("EPC QR code: amount %s €: expected 0.01 to %s €", amount, MaxEPCAmount)
	}
	r, err := ParseReference(string(ref))
	if err != nil {
		return "", fmt.Errorf("EPC QR code: %w", err)
	}
	dueField := ""
	if !due.IsZero() {
		dueField = "ReqdExctnDt/" + due.String()
	}
	text := strings.Join([]string{"BCD", "001", "1", "SCT", bic, name, acct, "EUR" + amount.String(), "", r.RF(), "", dueField}, "\n")
	if len(text) > 331 {
		return "", fmt.Errorf("EPC QR code: %d bytes, more than the 331 the standard allows", len(text))
	}
	return text, nil
}

func isAlnumString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}
