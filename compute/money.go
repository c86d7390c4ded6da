package compute

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount of euros counted in whole cents. The zero value is 0,00 €.
//
// Integer cents make sums exact; shopspring/decimal is used at the edges, to
// parse amounts and to multiply by decimal rates and percentages.
type Money int64

// MaxMoney bounds the amounts kuntalasku accepts from its inputs (ten thousand
// million euros), far below the range of int64 cents, so that sums of many
// amounts cannot overflow.
const MaxMoney Money = 1_000_000_000_000

// Cents returns c cents as Money.
func Cents(c int64) Money { return Money(c) }

// Euros returns the whole-euro amount e as Money.
func Euros(e int64) Money { return Money(e * 100) }

// ParseMoney reads an amount of euros with at most two decimals, written with a
// decimal point or a decimal comma: "284602", "284602.00", "1835,9", "-12.5".
// Thousands separators (spaces, a second separator) are refused, because
// "1,000.50" and "1.000,50" cannot be read without guessing.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("amount is empty; expected euros such as 1835.94")
	}
	d, err := parseDecimal(t)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return MoneyFromDecimal(d)
}

// MoneyFromDecimal converts an exact decimal amount of euros to Money. It is an
// error when d has more than two decimals or is out of range: rounding is always
// an explicit, named step, never a side effect of a conversion.
func MoneyFromDecimal(d decimal.Decimal) (Money, error) {
	c := d.Shift(2)
	if !c.Equal(c.Truncate(0)) {
		return 0, fmt.Errorf("amount %s has more than two decimals", d.String())
	}
	if c.Abs().GreaterThan(decimal.NewFromInt(int64(MaxMoney))) {
		return 0, fmt.Errorf("amount %s is out of range", d.String())
	}
	return Money(c.IntPart()), nil
}

// RoundHalfUp rounds an exact decimal amount of euros to the cent, halves away
// from zero (0,005 → 0,01; -0,005 → -0,01).
func RoundHalfUp(d decimal.Decimal) (Money, error) {
	return MoneyFromDecimal(d.Round(2))
}

// Decimal returns m as an exact decimal number of euros.
func (m Money) Decimal() decimal.Decimal { return decimal.New(int64(m), -2) }

// String formats m for machines: a point and exactly two decimals, no grouping
// ("1835.94", "-0.05", "0.00"). Documents use templates' locale formatting.
func (m Money) String() string {
	c := int64(m)
	sign := ""
	if c < 0 {
		sign = "-"
	}
	u := uint64(c)
	if c < 0 {
		u = uint64(-c)
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// MarshalText writes m as String does, for JSON and other text encodings.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads m as ParseMoney does.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Neg returns -m.
func (m Money) Neg() Money { return -m }

// Abs returns |m|.
func (m Money) Abs() Money {
	if m < 0 {
		return -m
	}
	return m
}

// Sum adds amounts.
func Sum(ms ...Money) Money {
	var s Money
	for _, m := range ms {
		s += m
	}
	return s
}

// ParseDecimal reads a plain decimal number written with a point or a comma
// ("25.5", "25,5", "0.058", "70"). Exponents, thousands separators and signs
// other than a leading minus are refused.
func ParseDecimal(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	d, err := parseDecimal(t)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("number %q: %w", s, err)
	}
	return d, nil
}

func parseDecimal(t string) (decimal.Decimal, error) {
	body := strings.TrimPrefix(t, "-")
	if body == "" {
		return decimal.Decimal{}, fmt.Errorf("expected a number such as 1835.94")
	}
	seps := 0
	for i, r := range body {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' || r == ',':
			seps++
			if i == 0 || i == len(body)-1 {
				return decimal.Decimal{}, fmt.Errorf("expected digits on both sides of the decimal separator")
			}
		case r == ' ' || r == '\u00a0' || r == '\u202f':
			return decimal.Decimal{}, fmt.Errorf("contains a space; write it without thousands separators, such as 284602.00")
		default:
			return decimal.Decimal{}, fmt.Errorf("unexpected %q; expected a number such as 1835.94", r)
		}
	}
	if seps > 1 {
		return decimal.Decimal{}, fmt.Errorf("has more than one separator; write it without thousands separators, such as 284602.00")
	}
	return decimal.NewFromString(strings.Replace(t, ",", ".", 1))
}
