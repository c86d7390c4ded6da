package compute

import (
	"fmt"
	"strings"
)

// MaxBarcodeAmount is the largest amount the bank barcode can carry: 999 999,99 €.
const MaxBarcodeAmount Money = 99999999

// VirtualBarcode is the 54-digit virtual barcode (pankkiviivakoodi): version 4
// with the national reference, or version 5 (rf true) with its RF form; due
// is the due date (zero Date = none, "000000"). Errors: a non-Finnish or
// invalid IBAN, an amount < 0 or > MaxBarcodeAmount (the caller then prints
// no barcode), a reference that does not fit.
//
// The layout (reference/finnish-payments.md): the version digit, the 16
// digits of the IBAN after "FI", euros (6 digits) and cents (2), then
// version 4: "000" and the reference zero-padded to 20 digits, or
// version 5: the RF check digits and the RF body zero-padded to 21 digits;
// last the due date as YYMMDD. An amount of 0 is written as "00000000",
// which lets the payer enter the amount.
func VirtualBarcode(iban string, amount Money, ref Reference, rf bool, due Date) (string, error) {
	acct := NormalizeIBAN(iban)
	if err := CheckIBAN(acct); err != nil {
		return "", fmt.Errorf("virtual barcode: %w", err)
	}
	if acct[:2] != "FI" || len(acct) != 18 || !allDigits(acct[2:]) {
		return "", fmt.Errorf("virtual barcode: IBAN %q is not a Finnish account; the bank barcode carries only FI accounts", iban)
	}
	if amount < 0 {
		return "", fmt.Errorf("virtual barcode: amount %s € is negative; a barcode is printed only for an amount to pay", amount)
	}
	if amount > MaxBarcodeAmount {
		return "", fmt.Errorf("virtual barcode: amount %s € is more than %s €, the most a bank barcode can carry", amount, MaxBarcodeAmount)
	}
	r, err := ParseReference(string(ref))
	if err != nil {
		return "", fmt.Errorf("virtual barcode: %w", err)
	}
	dueField := "000000"
	if !due.IsZero() {
		if _, err := NewDate(due.Year, due.Month, due.Day); err != nil {
			return "", fmt.Errorf("virtual barcode: due date %w", err)
		}
		if due.Year < 2000 || due.Year > 2099 {
			return "", fmt.Errorf("virtual barcode: due date %s: the barcode writes the year with two digits, so it must be from 2000 to 2099", due)
		}
		dueField = fmt.Sprintf("%02d%02d%02d", due.Year%100, int(due.Month), due.Day)
	}

	var b strings.Builder
	b.Grow(54)
	if rf {
		// ParseReference allows at most 20 digits, so the body always fits
		// its 21 digits.
		code := r.RF()
		b.WriteString("5")
		b.WriteString(acct[2:])
		fmt.Fprintf(&b, "%06d%02d", int64(amount)/100, int64(amount)%100)
		b.WriteString(code[2:4])
		b.WriteString(strings.Repeat("0", 21-len(code[4:])))
		b.WriteString(code[4:])
	} else {
		b.WriteString("4")
		b.WriteString(acct[2:])
		fmt.Fprintf(&b, "%06d%02d", int64(amount)/100, int64(amount)%100)
		b.WriteString("000")
		b.WriteString(strings.Repeat("0", 20-len(r)))
		b.WriteString(string(r))
	}
	b.WriteString(dueField)
	if b.Len() != 54 {
		// Unreachable: every field above has a fixed width.
		return "", fmt.Errorf("virtual barcode: internal error, %d digits instead of 54", b.Len())
	}
	return b.String(), nil
}

// Code128C is the Code 128 symbol values that print digits (an even number of
// digits) in character set C: Start C (105), one value per digit pair, the
// check symbol ((105 + Σ i·value_i) mod 103), Stop (106).
func Code128C(digits string) ([]int, error) {
	if digits == "" || len(digits)%2 != 0 || !allDigits(digits) {
		return nil, fmt.Errorf("barcode %q: expected an even number of digits, such as the 54 digits of a virtual barcode", digits)
	}
	const startC, stop = 105, 106
	vals := make([]int, 0, len(digits)/2+3)
	vals = append(vals, startC)
	sum := startC
	for i := 0; i < len(digits); i += 2 {
		v := int(digits[i]-'0')*10 + int(digits[i+1]-'0')
		vals = append(vals, v)
		sum += (i/2 + 1) * v
	}
	vals = append(vals, sum%103, stop)
	return vals, nil
}
