package finvoice

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// maxAmount bounds the amounts the schema's pattern -?[0-9]{1,15}(,[0-9]{2,5})?
// can carry: fifteen digits of euros, in cents.
const maxAmount compute.Money = 1_000_000_000_000_000_00 - 1

// amount writes money as Finvoice wants it: a decimal comma, two decimals,
// no grouping ("1835,94", "-1835,94", "0,00").
func amount(m compute.Money) string {
	return strings.Replace(m.String(), ".", ",", 1)
}

// amountFits reports whether m fits the schema's amount pattern.
func amountFits(m compute.Money) bool { return m >= -maxAmount && m <= maxAmount }

// number writes a plain decimal with a decimal comma and only the decimals it
// needs: percentages ("25,5", "0", "24") and quantities ("1", "-1", "7,5").
func number(d decimal.Decimal) string {
	return strings.Replace(d.String(), ".", ",", 1)
}

// percentFits reports whether a VAT rate fits the schema's percentage
// pattern [1-9]?[0-9]{1,2}(,[0-9]{1,3})?: 0 to 999,999 with at most three
// decimals.
func percentFits(d decimal.Decimal) bool {
	return !d.IsNegative() && d.LessThan(decimal.NewFromInt(1000)) && d.Equal(d.Truncate(3))
}

// date writes a date in the schema's only format, CCYYMMDD: "20210201".
func date(d compute.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// chars counts characters as XML Schema's length facets do (code points).
func chars(s string) int { return utf8.RuneCountInString(s) }

// departments splits a unit into the one or two department elements of 35
// characters each that the schema allows: at the last " / " that makes both
// parts fit (the slash separates the levels of an organisation), else at the
// last space that does; ok is false when it does not fit.
func departments(unit string) (parts []string, ok bool) {
	const max = 35
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return nil, true
	}
	if chars(unit) <= max {
		return []string{unit}, true
	}
	for _, sep := range []string{" / ", " "} {
		for i := strings.LastIndex(unit, sep); i > 0; i = strings.LastIndex(unit[:i], sep) {
			first, rest := strings.TrimSpace(unit[:i]), strings.TrimSpace(unit[i+len(sep):])
			if first != "" && rest != "" && chars(first) <= max && chars(rest) <= max {
				return []string{first, rest}, true
			}
		}
	}
	return nil, false
}

// token collapses white space as xs:token does and cuts s to at most max
// characters, for EpiNameAddressDetails (2 to 35 characters).
func token(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max]))
	}
	return s
}
