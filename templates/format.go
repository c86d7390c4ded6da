package templates

import (
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// nbsp groups thousands and keeps "€" with its number in Finnish and Swedish.
const nbsp = "\u00a0"

var enMonths = [...]string{"", "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// separators returns the decimal separator and the thousands separator.
func (l *Locale) separators() (dec, group string) {
	if l.Lang == "en" {
		return ".", ","
	}
	return ",", nbsp
}

// group inserts sep between groups of three digits of an unsigned integer.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Amount writes money without the currency: "1 835,94" (fi, sv), "1,835.94" (en).
func (l *Locale) Amount(m compute.Money) string {
	dec, sep := l.separators()
	s := m.Abs().String() // "1835.94"
	whole, frac, _ := strings.Cut(s, ".")
	out := group(whole, sep) + dec + frac
	if m < 0 {
		return "-" + out
	}
	return out
}

// Money writes money with the euro sign: "1 835,94 €" (fi, sv), "€1,835.94" (en).
func (l *Locale) Money(m compute.Money) string {
	if l.Lang == "en" {
		if m < 0 {
			return "-€" + l.Amount(-m)
		}
		return "€" + l.Amount(m)
	}
	return l.Amount(m) + nbsp + "€"
}

// Int writes a count: "17 865" (fi, sv), "17,865" (en).
func (l *Locale) Int(n int64) string {
	_, sep := l.separators()
	d := decimal.NewFromInt(n).Abs().String()
	if n < 0 {
		return "-" + group(d, sep)
	}
	return group(d, sep)
}

// Decimal writes d with exactly places decimals in the locale's way.
func (l *Locale) Decimal(d decimal.Decimal, places int32) string {
	dec, sep := l.separators()
	s := d.Abs().StringFixed(places)
	whole, frac, hasFrac := strings.Cut(s, ".")
	out := group(whole, sep)
	if hasFrac {
		out += dec + frac
	}
	if d.IsNegative() && strings.Trim(s, "0.") != "" {
		return "-" + out
	}
	return out
}

// Percent writes a percentage: "38,4152 %" (fi, sv), "38.4152%" (en).
func (l *Locale) Percent(d decimal.Decimal, places int32) string {
	if l.Lang == "en" {
		return l.Decimal(d, places) + "%"
	}
	return l.Decimal(d, places) + nbsp + "%"
}

// Date writes a date: "1.2.2021" (fi, sv), "1 February 2021" (en).
func (l *Locale) Date(d compute.Date) string {
	if l.Lang == "en" {
		return strings.Join([]string{itoa(d.Day), enMonths[d.Month], itoa(d.Year)}, " ")
	}
	return itoa(d.Day) + "." + itoa(int(d.Month)) + "." + itoa(d.Year)
}

// Period writes a date range: "1.1.–30.11.2021", "1.12.2021–31.1.2022",
// "1 January – 30 November 2021".
func (l *Locale) Period(from, to compute.Date) string {
	if l.Lang == "en" {
		if from.Year == to.Year {
			return itoa(from.Day) + " " + enMonths[from.Month] + " – " + l.Date(to)
		}
		return l.Date(from) + " – " + l.Date(to)
	}
	if from.Year == to.Year {
		return itoa(from.Day) + "." + itoa(int(from.Month)) + ".–" + l.Date(to)
	}
	return l.Date(from) + "–" + l.Date(to)
}

// MonthName is the name of a month in the locale, for cycle titles.
func (l *Locale) MonthName(m time.Month) string {
	switch l.Lang {
	case "fi":
		return fiMonths[m]
	case "sv":
		return svMonths[m]
	}
	return enMonths[m]
}

var fiMonths = [...]string{"", "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
	"heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"}

var svMonths = [...]string{"", "januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }
