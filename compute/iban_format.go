package compute

import "strings"

// FormatIBAN prints an IBAN in groups of four: "FI21 1234 5600 0007 85".
func FormatIBAN(s string) string {
	n := NormalizeIBAN(s)
	var b strings.Builder
	for i := 0; i < len(n); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(n[i:min(i+4, len(n))])
	}
	return b.String()
}
