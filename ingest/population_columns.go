package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// stub is a stub column a PxWeb export may have, by its names in Finnish, Swedish and English.
type stub struct {
	what  string
	names []string // the first is the one messages show
}

var (
	areaStub = stub{"area", []string{"Alue", "Område", "Area", "Region"}}
	ageStub  = stub{"age", []string{"Ikä", "Ålder", "Age"}}
	sexStub  = stub{"sex", []string{"Sukupuoli", "Kön", "Sex"}}
	yearStub = stub{"year", []string{"Vuosi", "År", "Year"}}
	infoStub = stub{"information", []string{"Tiedot", "Uppgifter", "Information"}}
)

// matches reports whether a header names this stub, in any case.
func (s stub) matches(header string) bool {
	return slices.ContainsFunc(s.names, func(n string) bool { return strings.EqualFold(n, header) })
}

func (s stub) describe() string {
	return fmt.Sprintf("'%s' (%s; or %s)", s.names[0], s.what, strings.Join(s.names[1:], ", "))
}

// popColumns is where a population table's columns are, 0-based; -1 for an absent stub column.
type popColumns struct {
	area, age, sex, year int
	values               []valueColumn
}

// valueColumn is a column of counts and the heading variables its header names.
type valueColumn struct {
	index int    // 0-based
	name  string // header text
	year  int    // 0 when the year is in the year stub column
	sex   sex    // sexFromRow when the sex is in the sex stub column
	use   bool   // kept in the model: the both-sexes column, or males and females to be summed
}

// findStubs locates the stub columns of header, or explains which are missing.
func findStubs(header []string) (*popColumns, string) {
	c := &popColumns{area: -1, age: -1, sex: -1, year: -1}
	for i, h := range header {
		for _, s := range []struct {
			stub stub
			col  *int
		}{{areaStub, &c.area}, {ageStub, &c.age}, {sexStub, &c.sex}, {yearStub, &c.year}} {
			if *s.col < 0 && s.stub.matches(h) {
				*s.col = i
			}
		}
	}
	var missing []string
	if c.area < 0 {
		missing = append(missing, "column "+areaStub.describe())
	}
	if c.age < 0 {
		missing = append(missing, "column "+ageStub.describe())
	}
	if len(missing) == 0 {
		return c, ""
	}
	msg := strings.Join(missing, " and ") + " not found"
	if len(header) == 0 {
		return nil, msg + "; expected a header line naming the area and age columns, such as \"Alue\";\"Ikä\";\"Yhteensä 2019 Väestö 31.12.\""
	}
	quoted := make([]string, len(header))
	for i, h := range header {
		quoted[i] = strconv.Quote(h)
	}
	return nil, msg + "; the header has: " + strings.Join(quoted, ", ")
}

// checkPopHeader is the test openCSV uses to find a population header.
func checkPopHeader(header []string) string {
	_, why := findStubs(header)
	return why
}

// readValueColumns reads the heading variables flattened into every column that is not a stub
// ("Yhteensä 2019 Väestö 31.12." is sex, year and information), and chooses the columns the
// model keeps: per year the both-sexes column, or else the males and females columns summed.
// Problems are *Errors on the header row.
func (c *popColumns) readValueColumns(header []string, file string, row int) error {
	var errs Errors
	bad := func(i int, format string, args ...any) {
		errs.add(&Error{File: file, Row: row, Column: i + 1, ColumnName: header[i], Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[[2]int]int{} // (year, sex) → column index
	for i, h := range header {
		if i == c.area || i == c.age || i == c.sex || i == c.year || infoStub.matches(h) {
			continue
		}
		v := valueColumn{index: i, name: h}
		for _, tok := range strings.Fields(h) {
			if y, ok := yearToken(tok); ok {
				if v.year != 0 && v.year != y {
					bad(i, "the column names two years, %d and %d; expected one year per column", v.year, y)
				}
				v.year = y
			} else if s, ok := sexWords[nameKey(tok)]; ok && v.sex == sexNone {
				v.sex = s
			}
		}
		switch {
		case c.year >= 0 && v.year != 0:
			bad(i, "the column names year %d but the years are in column %q; expected one or the other", v.year, header[c.year])
		case c.year < 0 && v.year == 0:
			bad(i, "no year in the column name; expected a year such as \"Yhteensä 2019 Väestö 31.12.\", or a column 'Vuosi' (year)")
		}
		switch {
		case c.sex >= 0 && v.sex != sexNone:
			bad(i, "the column names %s but the sexes are in column %q; expected one or the other", v.sex, header[c.sex])
		case c.sex >= 0:
			v.sex = sexFromRow
		case v.sex == sexNone:
			v.sex = sexBoth
		}
		key := [2]int{v.year, int(v.sex)}
		if j, ok := seen[key]; ok {
			bad(i, "the column holds the same year and sex as column %d (%q); expected one column per year and sex", j+1, header[j])
		}
		seen[key] = i
		c.values = append(c.values, v)
	}
	if len(c.values) == 0 && errs.len() == 0 {
		errs.add(&Error{File: file, Row: row, Msg: "no value columns; expected columns such as \"Yhteensä 2019 Väestö 31.12.\" after the area and age columns"})
	}
	for i := range c.values {
		v := &c.values[i]
		_, both := seen[[2]int{v.year, int(sexBoth)}]
		_, male := seen[[2]int{v.year, int(sexMale)}]
		_, female := seen[[2]int{v.year, int(sexFemale)}]
		switch {
		case v.sex == sexBoth || v.sex == sexFromRow:
			v.use = true
		case both:
			v.use = false
		case male && female:
			v.use = true
		default:
			bad(v.index, "the column holds %s only; expected a column for both sexes (Yhteensä) or columns for both males and females of that year", v.sex)
		}
	}
	return errs.err()
}

// yearToken reads a 4-digit year.
func yearToken(s string) (int, bool) {
	if len(s) != 4 || !isDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1000
}

// parseYear reads a cell of the year stub column.
func parseYear(s string) (int, error) {
	if y, ok := yearToken(s); ok {
		return y, nil
	}
	return 0, fmt.Errorf("%q is not a year; expected a 4-digit year such as 2019", s)
}

// addRow reads one data row into b: its stub cells, then every value column. Every bad cell is
// recorded in b, with its row and column.
func (c *popColumns) addRow(b *popBuilder, header, rec []string, row int) {
	if len(rec) != len(header) {
		b.errs.add(&Error{File: b.file, Row: row, Msg: fmt.Sprintf("the row has %d fields but the header has %d", len(rec), len(header))})
		return
	}
	ok := true
	bad := func(i int, err error) {
		ok = false
		b.errs.add(&Error{File: b.file, Row: row, Column: i + 1, ColumnName: header[i], Msg: err.Error()})
	}
	label := rec[c.area]
	if label == "" {
		bad(c.area, errors.New(`the area is empty; expected a municipality name or code such as "Turku" or "KU853 Turku"`))
	}
	age, err := parseAge(rec[c.age])
	if err != nil {
		bad(c.age, err)
	}
	year := 0
	if c.year >= 0 {
		if year, err = parseYear(rec[c.year]); err != nil {
			bad(c.year, err)
		}
	}
	rowSex := sexNone
	if c.sex >= 0 {
		if rowSex, err = parseSex(rec[c.sex]); err != nil {
			bad(c.sex, err)
		}
	}
	var a *Area
	if ok {
		a = b.area(label, row)
	}
	for _, v := range c.values {
		n, err := parseCount(rec[v.index])
		if err != nil {
			bad(v.index, err)
			continue
		}
		if a == nil || !v.use {
			continue
		}
		n.row = row
		y, s := v.year, v.sex
		if y == 0 {
			y = year
		}
		if s == sexFromRow {
			s = rowSex
		}
		b.add(a, y, age, s, n)
	}
}
