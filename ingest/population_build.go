package ingest

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// sex is which sexes a value counts.
type sex int

const (
	sexNone    sex = iota // not given: in a value column's header this means both sexes
	sexBoth               // Yhteensä, Totalt, Total
	sexMale               // Miehet, Män, Males, Men
	sexFemale             // Naiset, Kvinnor, Females, Women
	sexFromRow            // a value column whose sex is in the sex stub column
)

// sexWords are the sex labels in Finnish, Swedish and English, folded.
var sexWords = map[string]sex{
	"yhteensä": sexBoth, "totalt": sexBoth, "total": sexBoth,
	"miehet": sexMale, "män": sexMale, "males": sexMale, "men": sexMale,
	"naiset": sexFemale, "kvinnor": sexFemale, "females": sexFemale, "women": sexFemale,
}

// parseSex reads a cell of the sex stub column: a label or the code SSS, 1 or 2.
func parseSex(s string) (sex, error) {
	switch k := nameKey(s); k {
	case "sss":
		return sexBoth, nil
	case "1":
		return sexMale, nil
	case "2":
		return sexFemale, nil
	default:
		if x, ok := sexWords[k]; ok {
			return x, nil
		}
	}
	return sexNone, fmt.Errorf("%q is not a sex; expected Yhteensä, Miehet or Naiset", s)
}

func (s sex) String() string {
	switch s {
	case sexBoth:
		return "both sexes"
	case sexMale:
		return "males"
	case sexFemale:
		return "females"
	}
	return "unknown sex"
}

// parseCount reads a PxWeb cell, already trimmed: a whole number ≥ 0, "-" for zero, "." …
// "......" for a missing value.
func parseCount(s string) (count, error) {
	const want = `expected a whole number ≥ 0, "-" for zero or ".." for a missing value`
	switch {
	case s == "":
		return count{}, errors.New("the cell is empty; " + want)
	case s == "-":
		return count{}, nil
	case len(s) <= 6 && strings.Trim(s, ".") == "":
		return count{missing: true}, nil
	case s[0] == '-' && isDigits(s[1:]):
		return count{}, fmt.Errorf("%q is negative; %s", s, want)
	case !isDigits(s):
		return count{}, fmt.Errorf("%q is not a whole number; %s", s, want)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return count{}, fmt.Errorf("%q is too large for a population count; %s", s, want)
	}
	return count{n: n}, nil
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// popBuilder assembles a Population from cells, whatever the file format: it groups rows by
// area, finds repeated cells, adds males and females where there is no both-sexes figure, and
// checks the result.
type popBuilder struct {
	file      string
	sheet     string // the XLSX sheet, for the areas' errors
	headerRow int
	errs      Errors
	areas     []*Area
	byLabel   map[string]*Area
	cells     map[cellKey]count
	order     []cellKey // cells in file order, for errors in file order
}

type cellKey struct {
	area *Area
	year int
	age  Age
	sex  sex
}

func newPopBuilder(file string, headerRow int) *popBuilder {
	return &popBuilder{file: file, headerRow: headerRow, byLabel: map[string]*Area{}, cells: map[cellKey]count{}}
}

// area returns the area labelled label, adding it at row when it is new.
func (b *popBuilder) area(label string, row int) *Area {
	if a, ok := b.byLabel[label]; ok {
		return a
	}
	a := newArea(label, b.file, row)
	a.sheet = b.sheet
	b.byLabel[label] = a
	b.areas = append(b.areas, a)
	return a
}

// add stores one count; the same area, year, age and sex twice is an error naming both rows.
func (b *popBuilder) add(a *Area, year int, age Age, s sex, c count) {
	k := cellKey{a, year, age, s}
	if first, ok := b.cells[k]; ok {
		b.errs.add(&Error{File: b.file, Row: c.row, Msg: fmt.Sprintf(
			"area %q, %d, age %s: the same area, age and year as row %d; expected each once", a.Label, year, age, first.row)})
		return
	}
	b.cells[k] = c
	b.order = append(b.order, k)
}

// finish checks what was read and returns the Population, or every problem found.
func (b *popBuilder) finish() (*Population, error) {
	if b.errs.len() > 0 {
		return nil, &b.errs
	}
	if len(b.areas) == 0 {
		return nil, &Error{File: b.file, Row: b.headerRow, Msg: "no data rows after the header; expected rows of area, age and counts"}
	}
	years := b.resolveSexes()
	b.checkNames()
	if b.errs.len() > 0 {
		return nil, &b.errs
	}
	for _, a := range b.areas {
		a.indexAges()
	}
	b.checkTotals(years)
	if b.errs.len() > 0 {
		return nil, &b.errs
	}
	return &Population{File: b.file, Years: years, Areas: b.areas}, nil
}

// resolveSexes fills the areas' counts with the both-sexes figures, summing males and females
// where the file has no both-sexes figure, and returns the years found, ascending.
func (b *popBuilder) resolveSexes() []int {
	var years []int
	seen := map[int]bool{}
	for _, k := range b.order {
		c := b.cells[k]
		ya := yearAge{k.year, k.age}
		if !seen[k.year] {
			seen[k.year] = true
			years = append(years, k.year)
		}
		if k.sex == sexBoth {
			k.area.counts[ya] = c
			continue
		}
		if _, ok := b.cells[cellKey{k.area, k.year, k.age, sexBoth}]; ok {
			continue
		}
		other := sexFemale
		if k.sex == sexFemale {
			other = sexMale
		}
		o, ok := b.cells[cellKey{k.area, k.year, k.age, other}]
		switch {
		case !ok:
			b.errs.add(&Error{File: b.file, Row: c.row, Msg: fmt.Sprintf(
				"area %q, %d, age %s: only %s; expected a both-sexes (Yhteensä) figure or both males and females", k.area.Label, k.year, k.age, k.sex)})
		case k.sex == sexMale:
			sum, fits := add(c.n, o.n)
			if !fits {
				b.errs.add(&Error{File: b.file, Row: c.row, Msg: fmt.Sprintf("area %q, %d, age %s: males and females add up to too large a number", k.area.Label, k.year, k.age)})
			}
			k.area.counts[ya] = count{n: sum, missing: c.missing || o.missing, row: min(c.row, o.row)}
		}
	}
	sort.Ints(years)
	return years
}

// checkNames reports two areas with the same name or the same code.
func (b *popBuilder) checkNames() {
	byName := map[string]*Area{}
	byCode := map[string]*Area{}
	for _, a := range b.areas {
		if first, ok := byName[a.key]; ok && a.key != "" {
			b.errs.add(&Error{File: b.file, Row: a.Row, Msg: fmt.Sprintf(
				"area %q has the same name as area %q (row %d); expected each area once", a.Label, first.Label, first.Row)})
		} else {
			byName[a.key] = a
		}
		if first, ok := byCode[a.Code]; ok && a.Code != "" {
			b.errs.add(&Error{File: b.file, Row: a.Row, Msg: fmt.Sprintf(
				"area %q has the same code %s as area %q (row %d); expected each area once", a.Label, a.Code, first.Label, first.Row)})
		} else {
			byCode[a.Code] = a
		}
	}
}

// checkTotals reports every area and year whose ages, covering all ages, do not add up to its
// total row.
func (b *popBuilder) checkTotals(years []int) {
	for _, a := range b.areas {
		for _, y := range years {
			t, ok := a.counts[yearAge{y, TotalAge}]
			if !ok || t.missing || len(a.ages(y)) == 0 {
				continue
			}
			sum, err := a.sumFrom(y, 0)
			if err != nil || sum == t.n {
				continue // the ages do not cover all ages, or one is missing: nothing to check
			}
			b.errs.add(&Error{File: b.file, Row: t.row, Msg: fmt.Sprintf(
				"area %q, %d: the ages add up to %d but the total (Yhteensä) is %d; expected them to be equal", a.Label, y, sum, t.n)})
		}
	}
}
