package ingest

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/cases"
)

// Population is a population table: counts by area, age class and year, both sexes together.
type Population struct {
	File  string  // as given to the reader
	Years []int   // the years present, ascending
	Areas []*Area // in file order
}

// Area is one area of a Population: the whole country or a municipality.
type Area struct {
	Label string // the area label exactly as in the file, trimmed ("KOKO MAA", "Koski Tl", "KU853 Turku")
	Code  string // the municipality code without "KU" when the file carries one ("853", "019"); "SSS" for the whole country; "" when the file has only names
	Name  string // the name part ("Turku"); the whole label when there is no code; "" for a code alone
	Row   int    // the row of its first line

	file   string
	sheet  string // the XLSX sheet it was read from, for errors
	key    string // Name folded for matching
	counts map[yearAge]count
	byYear map[int][]Age // the age classes of each year but the total, by lower bound
}

type yearAge struct {
	year int
	age  Age
}

// count is one population figure and the row it came from.
type count struct {
	n       int64
	missing bool // "." … "......" in the file
	row     int
}

// HasYear reports whether year is in the file.
func (p *Population) HasYear(year int) bool {
	_, ok := slices.BinarySearch(p.Years, year)
	return ok
}

// Find returns the area whose Code equals code (a "KU" prefix is ignored: "KU853" finds "853"),
// or else the first area whose Name matches one of names, compared case-insensitively after
// trimming and collapsing inner white space ("ÅBO" matches "Åbo"). It returns nil when none
// matches.
func (p *Population) Find(code string, names ...string) *Area {
	if c := trimCode(code); c != "" {
		for _, a := range p.Areas {
			if a.Code == c {
				return a
			}
		}
	}
	for _, n := range names {
		k := nameKey(n)
		if k == "" {
			continue
		}
		for _, a := range p.Areas {
			if a.key == k {
				return a
			}
		}
	}
	return nil
}

// trimCode removes white space and a "KU" prefix from a municipality code.
func trimCode(code string) string {
	c := strings.TrimSpace(code)
	if len(c) > 2 && strings.EqualFold(c[:2], "KU") {
		c = c[2:]
	}
	return c
}

// nameKey is a name as compared: trimmed, inner white space collapsed, case folded.
func nameKey(name string) string {
	k := strings.Join(strings.Fields(fixField(name)), " ")
	if isASCII(k) {
		return strings.ToLower(k)
	}
	return cases.Fold().String(k)
}

var (
	// codeLabel is "KU853 Turku", "853 Turku", "KU853" or "853".
	codeLabel = regexp.MustCompile(`^(?i:KU)?([0-9]{3})(?:\s+(\S.*))?$`)
	// countryLabel is the whole country as a code, with or without its name.
	countryLabel = regexp.MustCompile(`^(?i:SSS)(?:\s+(\S.*))?$`)
	// countryNames are the names of the whole country.
	countryNames = []string{"koko maa", "hela landet", "whole country"}
)

// newArea splits an area label into its code and name.
func newArea(label, file string, row int) *Area {
	a := &Area{Label: label, Name: label, file: file, Row: row, counts: map[yearAge]count{}}
	if m := codeLabel.FindStringSubmatch(label); m != nil {
		a.Code, a.Name = m[1], m[2]
	} else if m := countryLabel.FindStringSubmatch(label); m != nil {
		a.Code, a.Name = "SSS", m[1]
	} else if slices.Contains(countryNames, nameKey(label)) {
		a.Code = "SSS"
	}
	a.key = nameKey(a.Name)
	return a
}

// Total is the area's population of all ages on 31.12. of year: the total-age row when it has a
// value, otherwise the sum of its age classes, which must then cover all ages without gaps.
// Errors are *Error naming the file and the row.
func (a *Area) Total(year int) (int64, error) {
	c, ok := a.counts[yearAge{year, TotalAge}]
	if ok && !c.missing {
		return c.n, nil
	}
	if len(a.ages(year)) == 0 {
		if ok {
			return 0, a.errorf(c.row, "%d: the total is missing (dots in the file) and there are no age rows to sum", year)
		}
		return 0, a.errorf(a.Row, "no population for %d; expected a total (Yhteensä) row or age rows for that year", year)
	}
	n, err := a.sumFrom(year, 0)
	if err != nil && ok {
		err.Msg += fmt.Sprintf("; the total (row %d) is missing too (dots in the file)", c.row)
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// AtLeast is the population aged limit or over in year: the sum of the single ages from limit
// up ("100 -" counts), or of the groups whose lower bound is limit or more. A group that
// straddles the limit (70-79 for 75), a gap in the ages from limit up, an area with only the
// total row and a missing value are errors. AtLeast(year, 0) is Total(year).
func (a *Area) AtLeast(year, limit int) (int64, error) {
	switch {
	case limit < 0:
		return 0, a.errorf(a.Row, "age limit %d is negative", limit)
	case limit == 0:
		return a.Total(year)
	}
	n, err := a.sumFrom(year, limit)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ages are the area's age classes in year other than the total, by lower bound.
func (a *Area) ages(year int) []Age { return a.byYear[year] }

// indexAges fills byYear from counts.
func (a *Area) indexAges() {
	a.byYear = map[int][]Age{}
	for k := range a.counts {
		if k.age != TotalAge {
			a.byYear[k.year] = append(a.byYear[k.year], k.age)
		}
	}
	for _, ages := range a.byYear {
		sort.Slice(ages, func(i, j int) bool {
			if ages[i].Lo != ages[j].Lo {
				return ages[i].Lo < ages[j].Lo
			}
			return upper(ages[i]) < upper(ages[j])
		})
	}
}

// upper is the upper bound of an age class, open-ended as the largest.
func upper(a Age) int {
	if a.Hi == OpenEnded {
		return math.MaxInt
	}
	return a.Hi
}

// sumFrom sums the age classes from limit up. They must start at limit and run without gaps or
// overlaps to an open-ended class, and none may be missing.
func (a *Area) sumFrom(year, limit int) (int64, *Error) {
	all := a.ages(year)
	if len(all) == 0 {
		if _, ok := a.counts[yearAge{year, TotalAge}]; ok {
			return 0, a.errorf(a.Row, "%d: no age rows, only the total; ages %d and over need the population by age", year, limit)
		}
		return 0, a.errorf(a.Row, "no population for %d; expected age rows for that year", year)
	}
	var sum int64
	next := limit // the first age not yet covered
	done := false // an open-ended class was summed
	for _, g := range all {
		if g.Lo < limit {
			if g.includes(limit) && g.Lo != g.Hi {
				return 0, a.errorf(a.counts[yearAge{year, g}].row,
					"%d: age group %s straddles the limit %d; ages %d and over need groups that start at %d or above",
					year, g, limit, limit, limit)
			}
			continue
		}
		c := a.counts[yearAge{year, g}]
		switch {
		case done || g.Lo < next:
			return 0, a.errorf(c.row, "%d: age class %s overlaps another class; expected either single ages or groups, not both", year, g)
		case g.Lo > next:
			return 0, a.errorf(c.row, "%d: no row for age %d (the next class is %s); expected the ages from %d up without gaps", year, next, g, limit)
		case c.missing:
			return 0, a.errorf(c.row, "%d: the value for age %s is missing (dots in the file); cannot sum ages %d and over", year, g, limit)
		}
		var ok bool
		if sum, ok = add(sum, c.n); !ok {
			return 0, a.errorf(c.row, "%d: the sum of ages %d and over is too large", year, limit)
		}
		if g.Hi == OpenEnded {
			done = true
		} else {
			next = g.Hi + 1
		}
	}
	if !done {
		return 0, a.errorf(a.Row, "%d: the ages stop at %d; expected ages up to an open-ended class such as \"100 -\"", year, next-1)
	}
	return sum, nil
}

// add is a + b for counts, false when it overflows.
func add(a, b int64) (int64, bool) {
	if b > math.MaxInt64-a {
		return 0, false
	}
	return a + b, true
}

// errorf is an *Error about the area at row.
func (a *Area) errorf(row int, format string, args ...any) *Error {
	return &Error{File: a.file, Sheet: a.sheet, Row: row, Msg: fmt.Sprintf("area %q: ", a.Label) + fmt.Sprintf(format, args...)}
}
