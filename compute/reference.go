package compute

import (
	"fmt"
	"strings"
)

// Reference is a Finnish national reference number (viitenumero): 4–20
// digits, the last the 7-3-1 check digit, no leading zeros
// (reference/finnish-payments.md). Make one with NewReference,
// SchemeReference or ParseReference.
type Reference string

// NewReference appends the 7-3-1 check digit to base (3–19 digits, leading
// zeros dropped; error if fewer than 3 digits remain or anything but digits).
func NewReference(base string) (Reference, error) {
	if base == "" || !allDigits(base) {
		return "", fmt.Errorf("reference base %q: expected only digits, such as 123456", base)
	}
	b := strings.TrimLeft(base, "0")
	if len(b) < 3 || len(b) > 19 {
		return "", fmt.Errorf("reference base %q: expected 3 to 19 digits (not counting leading zeros), this has %d", base, len(b))
	}
	return Reference(b + string(rune('0'+checkDigit731(b)))), nil
}

// SchemeReference is the reference of an invoice (SPEC 5): the scheme's
// series code (1–999), the 4-digit year and the sequence number as 6 digits
// (1–999999), plus the check digit: code 1, 2021, 123 → "12021000123" + check.
//
// The year and the sequence number have fixed widths, so different codes,
// years and sequence numbers never give the same reference.
func SchemeReference(code, year int, seq int64) (Reference, error) {
	if code < 1 || code > 999 {
		return "", fmt.Errorf("reference series code %d: expected a number from 1 to 999 (the scheme's series code)", code)
	}
	if year < 1000 || year > 9999 {
		return "", fmt.Errorf("reference year %d: expected a four-digit year, such as 2021", year)
	}
	if seq < 1 || seq > 999999 {
		return "", fmt.Errorf("reference sequence number %d: expected a number from 1 to 999999", seq)
	}
	return NewReference(fmt.Sprintf("%d%04d%06d", code, year, seq))
}

// ParseReference reads a reference as people write it ("12 34561", spaces
// allowed), checking length and check digit. Leading zeros are dropped, as
// they change neither the number nor its check ("0001234561" → "1234561").
func ParseReference(s string) (Reference, error) {
	r := strings.Join(strings.Fields(s), "")
	if r == "" {
		return "", fmt.Errorf("reference number is empty; expected 4 to 20 digits, such as 12 34561")
	}
	if len(r) >= 2 && strings.EqualFold(r[:2], "RF") {
		return "", fmt.Errorf("reference number %q is an RF creditor reference; expected a national reference of 4 to 20 digits, such as 12 34561", s)
	}
	if !allDigits(r) {
		return "", fmt.Errorf("reference number %q: expected only digits and spaces, such as 12 34561", s)
	}
	r = strings.TrimLeft(r, "0")
	if len(r) < 4 || len(r) > 20 {
		return "", fmt.Errorf("reference number %q: expected 4 to 20 digits (not counting leading zeros), this has %d", s, len(r))
	}
	if int(r[len(r)-1]-'0') != checkDigit731(r[:len(r)-1]) {
		return "", fmt.Errorf("reference number %q has a wrong check digit: a digit is mistyped", s)
	}
	return Reference(r), nil
}

// Grouped is the reference in groups of five from the right: "12 34561",
// "86851 62596 19897".
func (r Reference) Grouped() string {
	s := string(r)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%5 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// RF is the ISO 11649 creditor reference made from r (body = r including its
// check digit): "RF341234561". It is "" when r is not made of digits (a
// Reference that did not come from NewReference, SchemeReference or
// ParseReference).
func (r Reference) RF() string {
	body := strings.TrimLeft(string(r), "0")
	if body == "" || len(body) > 21 || !allDigits(body) {
		return ""
	}
	return fmt.Sprintf("RF%02d%s", 98-mod97(body+"RF00"), body)
}

// FormatRF prints an RF reference in groups of four from the left: "RF18 5390
// 0754 7034". Spaces in rf are ignored and letters are upper-cased.
func FormatRF(rf string) string {
	s := strings.ToUpper(strings.Join(strings.Fields(rf), ""))
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// CheckRF validates an RF creditor reference (spaces allowed): RF + 2 digits +
// 1–21 alphanumerics, mod 97 = 1. The check digits must lie in 02–98, the only
// ones ISO 11649 generates.
func CheckRF(s string) error {
	rf := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	const example = "such as RF18 5390 0754 7034"
	if len(rf) < 5 || len(rf) > 25 || rf[:2] != "RF" || !allDigits(rf[2:4]) {
		return fmt.Errorf("RF reference %q: expected RF, two check digits and 1 to 21 letters or digits, %s", s, example)
	}
	for i := 4; i < len(rf); i++ {
		if !isAlnum(rf[i]) {
			return fmt.Errorf("RF reference %q: unexpected %q; expected only letters and digits after RF, %s", s, rf[i], example)
		}
	}
	if cd := rf[2:4]; cd < "02" || cd > "98" {
		return fmt.Errorf("RF reference %q: the check digits %s are never issued (expected 02 to 98)", s, cd)
	}
	if mod97(rf[4:]+rf[:4]) != 1 {
		return fmt.Errorf("RF reference %q has a wrong check (mod 97): a character is mistyped", s)
	}
	return nil
}

// checkDigit731 is the check digit of a national reference's base: its digits
// weighted 7, 3, 1, 7, 3, 1, … from the right.
func checkDigit731(base string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[len(base)-1-i]-'0') * weights[i%3]
	}
	return (10 - sum%10) % 10
}

// mod97 is the ISO 7064 remainder of s (digits and upper-case letters, A=10 …
// Z=35) divided by 97, computed digit by digit.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
}
