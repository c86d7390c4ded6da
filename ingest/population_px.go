package ingest

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadPopulationPX reads a population table in the PC-Axis format (.px), as Statistics Finland
// publishes it: table 11re (area × age × sex × year), or another table of the same variables
// such as 11rc (the whole country by 5-year age groups). name is the file name for errors.
//
// The variables are found by their names in STUB and HEADING (in Finnish, Swedish or English,
// as for CSV; the year also by VARIABLE-TYPE "Time" or TIMEVAL, the information variable also
// by CONTVARIABLE), their values by VALUES and CODES. Without an area variable the table is
// the whole country; without an age or a sex variable its values are all ages or both sexes.
// The DATA values are read as a stream, the last heading variable varying fastest.
// Problems are *Error or *Errors whose Row and Column are the line and column in the file
// and whose message names the keyword.
func ReadPopulationPX(r io.Reader, name string) (*Population, error) {
	s := newPXScanner(r, name)
	m, err := readMeta(s)
	if err != nil {
		return nil, err
	}
	t, err := m.popTable()
	if err != nil {
		return nil, err
	}
	b := newPopBuilder(name, m.entries[len(m.entries)-1].Line)
	if err := t.read(&pxData{s: s}, b); err != nil {
		return nil, err
	}
	return b.finish()
}

// pxRole is what a PC-Axis variable is to the population model.
type pxRole int

const (
	pxOther pxRole = iota
	pxArea
	pxAge
	pxSex
	pxYear
	pxInfo
)

// pxVar is one variable of a PC-Axis table, its values read for its role.
type pxVar struct {
	name   string
	role   pxRole
	values []string // labels, VALUES
	codes  []string // CODES, or nil
	keep   []bool   // the values that go into the model (information: the population only)
	ages   []Age
	sexes  []sex
	years  []int
	areas  []*Area // created when their first value is read
}

// label is a value as messages show it: its label, and its code when it differs.
func (v *pxVar) label(i int) string {
	if v.codes != nil && v.codes[i] != v.values[i] {
		return fmt.Sprintf("%s=%q (%s)", v.name, v.values[i], v.codes[i])
	}
	return fmt.Sprintf("%s=%q", v.name, v.values[i])
}

// pxTable is the variables of a table in DATA order: the stub, then the heading.
type pxTable struct {
	meta  *pxMeta
	vars  []*pxVar
	cells int64 // how many values DATA holds
	area  *pxVar
}

// maxPXCells bounds the size of the table a file declares.
const maxPXCells = 1 << 36

// popTable finds the table's variables and what each means.
func (m *pxMeta) popTable() (*pxTable, error) {
	if e, ok := m.first("KEYS"); ok {
		return nil, m.errorAt(e, "the file uses the sparse KEYS form; export the full table (without KEYS)")
	}
	var names []string
	var where []*pxEntry
	for _, kw := range []string{"STUB", "HEADING"} {
		e, ok := m.lookup(kw)
		if !ok {
			continue
		}
		for i, n := range m.texts(e) {
			if n == "" {
				return nil, m.itemError(e, i, "an empty variable name")
			}
			names = append(names, n)
			where = append(where, e)
		}
	}
	if len(names) == 0 {
		return nil, &Error{File: m.file, Row: m.entries[0].Line, Msg: "neither STUB nor HEADING is given; expected the variables of the table, such as STUB=\"Alue\",\"Ikä\"; HEADING=\"Sukupuoli\",\"Vuosi\",\"Tiedot\";"}
	}
	t := &pxTable{meta: m, cells: 1}
	contVar := ""
	if e, ok := m.lookup("CONTVARIABLE"); ok && len(e.Items) == 1 {
		contVar = m.texts(e)[0]
	}
	seen := map[string]bool{}
	for i, n := range names {
		if seen[strings.ToLower(n)] {
			return nil, m.errorAt(where[i], fmt.Sprintf("variable %q is named twice in STUB and HEADING; expected each once", n))
		}
		seen[strings.ToLower(n)] = true
		v, err := m.variable(n, contVar)
		if err != nil {
			return nil, err
		}
		t.vars = append(t.vars, v)
		t.cells *= int64(len(v.values))
		if t.cells > maxPXCells {
			return nil, m.errorAt(where[i], fmt.Sprintf("the table has more than %d values; expected a population table", int64(maxPXCells)))
		}
	}
	roles := map[pxRole]*pxVar{}
	for _, v := range t.vars {
		if v.role == pxOther {
			continue
		}
		if other, ok := roles[v.role]; ok {
			e, _ := m.lookup("VALUES", v.name)
			return nil, m.errorAt(e, fmt.Sprintf("variables %q and %q are both the %s; expected one of each", other.name, v.name, roleName(v.role)))
		}
		roles[v.role] = v
	}
	if roles[pxYear] == nil {
		e, _ := m.lookup("STUB")
		if e == nil {
			e, _ = m.lookup("HEADING")
		}
		return nil, m.errorAt(e, "no year variable; expected a variable "+yearStub.describe()+" in STUB or HEADING")
	}
	t.area = roles[pxArea]
	return t, nil
}

func roleName(r pxRole) string {
	switch r {
	case pxArea:
		return "area"
	case pxAge:
		return "age"
	case pxSex:
		return "sex"
	case pxYear:
		return "year"
	case pxInfo:
		return "information"
	}
	return "other"
}

// first is the first entry of a keyword in any language.
func (m *pxMeta) first(name string) (*pxEntry, bool) {
	for i := range m.entries {
		if m.entries[i].Key.Name == name {
			return &m.entries[i], true
		}
	}
	return nil, false
}

// variable reads one variable's values and codes and decides its role.
func (m *pxMeta) variable(name, contVar string) (*pxVar, error) {
	ve, ok := m.lookup("VALUES", name)
	if !ok {
		e, _ := m.lookup("STUB")
		if e == nil || !containsFold(m.texts(e), name) {
			e, _ = m.lookup("HEADING")
		}
		return nil, m.errorAt(e, fmt.Sprintf("no VALUES(%q); expected the values of every variable", name))
	}
	v := &pxVar{name: name, values: m.texts(ve)}
	if len(v.values) == 0 {
		return nil, m.errorAt(ve, "no values; expected at least one")
	}
	if ce, ok := m.lookup("CODES", name); ok {
		v.codes = m.texts(ce)
		if len(v.codes) != len(v.values) {
			return nil, m.errorAt(ce, fmt.Sprintf("%d codes for %d values; expected one code per value", len(v.codes), len(v.values)))
		}
	}
	first := map[string]int{}
	for i, val := range v.values {
		k := nameKey(val)
		if j, ok := first[k]; ok {
			return nil, m.itemError(ve, i, fmt.Sprintf("value %q is given twice (values %d and %d); expected each value of a variable once", val, j+1, i+1))
		}
		first[k] = i
	}
	_, isTime := m.lookup("TIMEVAL", name)
	if te, ok := m.lookup("VARIABLE-TYPE", name); ok && len(te.Items) == 1 && strings.EqualFold(m.texts(te)[0], "time") {
		isTime = true
	}
	switch {
	case areaStub.matches(name) || kuntaStub.matches(name):
		v.role = pxArea
	case ageStub.matches(name):
		v.role = pxAge
	case sexStub.matches(name):
		v.role = pxSex
	case yearStub.matches(name) || isTime:
		v.role = pxYear
	case infoStub.matches(name) || strings.EqualFold(name, contVar):
		v.role = pxInfo
	}
	v.keep = make([]bool, len(v.values))
	for i := range v.keep {
		v.keep[i] = true
	}
	code := func(i int) string {
		if v.codes == nil {
			return ""
		}
		return v.codes[i]
	}
	var err error
	switch v.role {
	case pxAge:
		v.ages = make([]Age, len(v.values))
		for i, val := range v.values {
			if v.ages[i], err = parseAge(val); err != nil {
				if a, cerr := parseAge(code(i)); cerr == nil {
					v.ages[i], err = a, nil
				}
			}
			if err != nil {
				return nil, m.itemError(ve, i, err.Error())
			}
		}
	case pxSex:
		v.sexes = make([]sex, len(v.values))
		for i, val := range v.values {
			if v.sexes[i], err = parseSex(val); err != nil {
				if s, cerr := parseSex(code(i)); cerr == nil {
					v.sexes[i], err = s, nil
				}
			}
			if err != nil {
				return nil, m.itemError(ve, i, err.Error())
			}
		}
	case pxYear:
		v.years = make([]int, len(v.values))
		for i, val := range v.values {
			if v.years[i], err = parseYear(val); err != nil {
				if y, cerr := parseYear(code(i)); cerr == nil {
					v.years[i], err = y, nil
				}
			}
			if err != nil {
				return nil, m.itemError(ve, i, err.Error())
			}
		}
	case pxArea:
		v.areas = make([]*Area, len(v.values))
		for i, val := range v.values {
			if val == "" && code(i) != "" {
				v.values[i] = code(i) // a code alone is an area label too ("KU853")
			} else if val == "" {
				return nil, m.itemError(ve, i, `an empty area name; expected a municipality name or code such as "Turku" or "KU853"`)
			}
		}
	case pxInfo, pxOther:
		if err := v.choose(m, ve); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// kuntaStub is the municipality variable some tables have instead of the area.
var kuntaStub = stub{"municipality", []string{"Kunta", "Kommun", "Municipality"}}

// populationInfo are the labels and codes of the population figure among other information.
var populationInfo = []string{"vaesto", "väestö", "befolkning", "population"}

// choose picks the value of the information variable or another variable that the model
// keeps: its only value, or the population among several.
func (v *pxVar) choose(m *pxMeta, ve *pxEntry) error {
	if len(v.values) == 1 {
		return nil
	}
	isPopulation := func(i int) bool {
		if v.codes != nil && nameKey(v.codes[i]) == "vaesto" {
			return true
		}
		w := strings.Fields(nameKey(v.values[i]))
		return len(w) > 0 && containsFold(populationInfo, w[0])
	}
	pick := -1
	for i := range v.values {
		if v.role != pxInfo || !isPopulation(i) {
			continue
		}
		if pick >= 0 {
			pick = -2 // two of them: ambiguous
			break
		}
		pick = i
	}
	if pick < 0 {
		what := "information"
		if v.role == pxOther {
			what = "a variable this program does not know"
		}
		return m.errorAt(ve, fmt.Sprintf("%q is %s and has %d values (%s); expected one value, or the population (Väestö 31.12., code vaesto) among them",
			v.name, what, len(v.values), strings.Join(v.values, ", ")))
	}
	for i := range v.keep {
		v.keep[i] = i == pick
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// read streams DATA into b: each value goes to the area, year, age and sex of its place in
// the table. Bad values are recorded in b; a failing reader is returned.
func (t *pxTable) read(d *pxData, b *popBuilder) error {
	idx := make([]int, len(t.vars)) // the value of each variable at the current cell
	var country *Area
	var buf []byte
	var n int64
	for {
		val, line, column, err := d.next(buf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := b.errs.addErr(err); err != nil {
				return err
			}
			return &b.errs
		}
		buf = val
		if n == t.cells {
			b.errs.add(&Error{File: b.file, Row: line, Column: column, Msg: fmt.Sprintf(
				"keyword DATA: more values than the %d the variables make (%s); expected exactly that many", t.cells, t.shape())})
			return &b.errs
		}
		t.cell(b, idx, string(val), line, column, &country)
		n++
		for i := len(idx) - 1; i >= 0; i-- { // the last variable varies fastest
			idx[i]++
			if idx[i] < len(t.vars[i].values) {
				break
			}
			idx[i] = 0
		}
	}
	if n < t.cells {
		b.errs.add(&Error{File: b.file, Row: d.s.line, Column: d.s.column - 1, Msg: fmt.Sprintf(
			"keyword DATA: %d values, but the variables make %d (%s); expected one value for each", n, t.cells, t.shape())})
		return &b.errs
	}
	if err := d.end(); err != nil {
		return b.errs.addErr(err)
	}
	return nil
}

// shape is the table's size as messages show it: "311 Alue × 102 Ikä × 3 Sukupuoli".
func (t *pxTable) shape() string {
	parts := make([]string, len(t.vars))
	for i, v := range t.vars {
		parts[i] = fmt.Sprintf("%d %s", len(v.values), v.name)
	}
	return strings.Join(parts, " × ")
}

// cell adds one DATA value at the table place idx.
func (t *pxTable) cell(b *popBuilder, idx []int, val string, line, column int, country **Area) {
	year, age, sx := 0, TotalAge, sexBoth
	for i, v := range t.vars {
		j := idx[i]
		if !v.keep[j] {
			return
		}
		switch v.role {
		case pxYear:
			year = v.years[j]
		case pxAge:
			age = v.ages[j]
		case pxSex:
			sx = v.sexes[j]
		}
	}
	c, err := parseCount(val)
	if err != nil {
		b.errs.add(&Error{File: b.file, Row: line, Column: column, Msg: "keyword DATA: " + t.place(idx) + ": " + err.Error()})
		return
	}
	c.row = line
	var a *Area
	if t.area == nil {
		if *country == nil {
			*country = b.area("KOKO MAA", line)
		}
		a = *country
	} else {
		a = t.areaAt(b, idx, line)
	}
	b.add(a, year, age, sx, c)
}

// areaAt is the Area of the area variable's value at idx, created at line when first seen.
func (t *pxTable) areaAt(b *popBuilder, idx []int, line int) *Area {
	v := t.area
	for i, w := range t.vars {
		if w != v {
			continue
		}
		j := idx[i]
		if v.areas[j] == nil {
			a := b.area(v.values[j], line)
			if a.Code == "" && v.codes != nil {
				if m := codeLabel.FindStringSubmatch(v.codes[j]); m != nil && m[2] == "" {
					a.Code = m[1]
				} else if strings.EqualFold(v.codes[j], "SSS") {
					a.Code = "SSS"
				}
			}
			v.areas[j] = a
		}
		return v.areas[j]
	}
	return nil
}

// place names a cell by its variables' values, for messages.
func (t *pxTable) place(idx []int) string {
	parts := make([]string, 0, len(t.vars))
	for i, v := range t.vars {
		if len(v.values) > 1 || v.role != pxOther {
			parts = append(parts, v.label(idx[i]))
		}
	}
	return strings.Join(parts, ", ")
}
