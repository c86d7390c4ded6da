package ingest

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// # Hours log and manual lines (SPEC 2.3)
//
// The per-resident scheme bills, besides the usage fee, logged hours of work and manual lines.
// Both are CSV files in the dialects of the activity logs (";", "," or tab; UTF-8 with or
// without a BOM, or Windows-1252) with a header row naming the columns in Finnish or English,
// in any case and any order; other columns are ignored.
//
// ReadHours reads the hours log, one entry per row:
//
//	päivä;tilaaja;tunnit;laji;kuvaus
//	15.3.2022;hus;7,5;työ;Rekisterin tietojen siirto
//	2022-03-16;keusote;0.25;Koulutus;Käyttöönottokoulutus
//
// The date is 15.3.2022 or 2022-03-15 (a date only: a time of day is refused); the subscriber
// is its id, as text; hours are > 0 with at most two decimals, written with a decimal comma or
// point; the kind is työ or koulutus (work or training). The description may be empty: the
// invoice line can be named after the kind.
//
// ReadManualLines reads the manual lines, each priced case by case:
//
//	date,subscriber,description,amount,vat_rate
//	2022-03-31,hus,Alihankinta: tietojen tarkistus,250.00,25.5
//	31.3.2022,hus,Hyvitys,-50,24
//
// The amount is net euros with at most two decimals, read as compute.ParseMoney does (so
// thousands separators such as "1 234,00" are refused). It may be negative, a discount or a
// credit, but not zero: a line of 0,00 € is a mistake. The VAT rate is a percentage from 0 up
// to but not including 100, with at most two decimals ("25,5", "24", "0"; a trailing "%" is
// allowed). The description is required: it is the text of the invoice line.
//
// For both: a row whose cells are all empty (an empty line, or ";;;;" from a spreadsheet) is
// skipped. A file with a header and no rows holds no entries and is valid; an empty file, or
// one without a header row naming the columns, is an error. Row is the 1-based line the row
// starts on; the header is line 1 unless title lines precede it.

// The kinds of logged hours, as HourEntry.Kind holds them.
const (
	KindWork     = "work"     // työ: billed by the hour
	KindTraining = "training" // koulutus: onboarding training, free within the fee's window
)

// HourEntry is one row of an hours log.
type HourEntry struct {
	Row         int // the 1-based line of the row in the file (the header is usually line 1), for messages
	Date        compute.Date
	Subscriber  string          // the subscriber's id as written, trimmed
	Hours       decimal.Decimal // > 0, at most two decimals
	Kind        string          // KindWork or KindTraining
	Description string          // may be empty
}

// ManualLine is one row of a manual lines file: an invoice line priced case by case.
type ManualLine struct {
	Row         int // the 1-based line of the row in the file (the header is usually line 1), for messages
	Date        compute.Date
	Subscriber  string // the subscriber's id as written, trimmed
	Description string // never empty
	Amount      compute.Money
	VATRate     decimal.Decimal // percent, 0 ≤ rate < 100, at most two decimals
}

// The columns of both files; stub (population_columns.go) is a column known by its names, the
// first of which messages show.
var (
	dateColumn        = stub{"date", []string{"päivä", "date", "päivämäärä", "pvm"}}
	subscriberColumn  = stub{"subscriber", []string{"tilaaja", "subscriber"}}
	hoursColumn       = stub{"hours", []string{"tunnit", "hours"}}
	kindColumn        = stub{"kind", []string{"laji", "kind"}}
	descriptionColumn = stub{"description", []string{"kuvaus", "description"}}
	amountColumn      = stub{"amount", []string{"summa", "amount"}}
	vatRateColumn     = stub{"vat_rate", []string{"alv", "vat_rate", "alv %", "alv-%", "vat rate", "vat"}}
)

// hourColumns are the columns of an hours log; the h… constants index it.
var hourColumns = []stub{dateColumn, subscriberColumn, hoursColumn, kindColumn, descriptionColumn}

const (
	hDate = iota
	hSubscriber
	hHours
	hKind
	hDescription
)

// manualColumns are the columns of a manual lines file; the m… constants index it.
var manualColumns = []stub{dateColumn, subscriberColumn, descriptionColumn, amountColumn, vatRateColumn}

const (
	mDate = iota
	mSubscriber
	mDescription
	mAmount
	mVATRate
)

// ReadHours reads an hours log (see the format above) row by row, calling fn with each entry
// in file order; fn may keep the entry. The file is never held in memory whole. Every bad row
// is reported, not only the first: the error is an *Errors, or an *Error when the file is not
// such a log at all (not text, empty, no header, missing columns). Once a problem is found fn
// is not called again, so a caller never acts on part of a bad file without being told. An
// error from fn stops the reading and is returned as it is; so is an error from r, wrapped.
func ReadHours(r io.Reader, name string, fn func(*HourEntry) error) error {
	l, err := openList(r, name, hourColumns)
	if err != nil {
		return err
	}
	for {
		more, err := l.next()
		if err != nil {
			return err
		}
		if !more {
			break
		}
		e := &HourEntry{Row: l.row}
		e.Date = l.date(hDate)
		e.Subscriber = l.subscriber(hSubscriber)
		e.Hours = l.hours(hHours)
		e.Kind = l.kind(hKind)
		e.Description = l.cell(hDescription)
		if !l.ok || l.errs.len() > 0 {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return l.errs.err()
}

// ReadManualLines reads a manual lines file (see the format above) as ReadHours reads an hours
// log: row by row, every bad row reported, fn not called again once a problem is found.
func ReadManualLines(r io.Reader, name string, fn func(*ManualLine) error) error {
	l, err := openList(r, name, manualColumns)
	if err != nil {
		return err
	}
	for {
		more, err := l.next()
		if err != nil {
			return err
		}
		if !more {
			break
		}
		m := &ManualLine{Row: l.row}
		m.Date = l.date(mDate)
		m.Subscriber = l.subscriber(mSubscriber)
		m.Description = l.cell(mDescription)
		if m.Description == "" {
			l.bad(mDescription, "the description is empty; expected the text of the invoice line, such as \"Alihankinta: tietojen tarkistus\"")
		}
		m.Amount = l.amount(mAmount)
		m.VATRate = l.vatRate(mVATRate)
		if !l.ok || l.errs.len() > 0 {
			continue
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return l.errs.err()
}

// listReader reads the rows of an hours log or a manual lines file and gathers their problems.
type listReader struct {
	t    *csvTable
	cols []stub
	at   []int // the 0-based column of each of cols
	errs Errors
	rec  []string // the current row
	row  int      // its line
	ok   bool     // no problem found in it yet
}

// openList opens r as CSV whose header names cols.
func openList(r io.Reader, name string, cols []stub) (*listReader, error) {
	check := func(header []string) string {
		_, why := findColumns(header, cols)
		return why
	}
	t, err := openCSV(r, name, check)
	if err != nil {
		return nil, err
	}
	at, _ := findColumns(t.header, cols)
	return &listReader{t: t, cols: cols, at: at}, nil
}

// findColumns locates cols in header, the first column that matches each, or explains which
// are missing and what the header has.
func findColumns(header []string, cols []stub) ([]int, string) {
	at := make([]int, len(cols))
	var missing, names []string
	for i, c := range cols {
		at[i] = -1
		for j, h := range header {
			if c.matches(h) {
				at[i] = j
				break
			}
		}
		if at[i] < 0 {
			missing = append(missing, fmt.Sprintf("column '%s' (%s)", c.names[0], c.what))
		}
		names = append(names, c.names[0])
	}
	if len(missing) == 0 {
		return at, ""
	}
	msg := strings.Join(missing, " and ") + " not found"
	if len(header) == 0 {
		return nil, msg + "; expected a header line naming the columns, such as " + strings.Join(names, ";")
	}
	quoted := make([]string, len(header))
	for i, h := range header {
		quoted[i] = strconv.Quote(h)
	}
	return nil, msg + "; the header has: " + strings.Join(quoted, ", ")
}

// next moves to the next row that is not empty and reports whether there is one. A malformed
// row is recorded and passed over; an error that is not an input problem is returned.
func (l *listReader) next() (bool, error) {
	for {
		rec, row, err := l.t.next()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			if err := l.errs.addErr(err); err != nil {
				return false, err
			}
			continue
		}
		if allEmpty(rec) {
			continue
		}
		l.rec, l.row, l.ok = rec, row, true
		return true, nil
	}
}

func allEmpty(rec []string) bool {
	for _, c := range rec {
		if c != "" {
			return false
		}
	}
	return true
}

// cell is the trimmed text of field f (an index of l.cols) in the current row.
func (l *listReader) cell(f int) string { return cellAt(l.rec, l.at[f]) }

// bad records a problem with field f of the current row.
func (l *listReader) bad(f int, format string, args ...any) {
	col := l.at[f]
	l.errs.add(&Error{File: l.t.name, Row: l.row, Column: col + 1, ColumnName: l.t.header[col], Msg: fmt.Sprintf(format, args...)})
	l.ok = false
}

func (l *listReader) date(f int) compute.Date {
	d, err := parseDay(l.cell(f))
	if err != nil {
		l.bad(f, "%v", err)
	}
	return d
}

func (l *listReader) subscriber(f int) string {
	s := l.cell(f)
	if s == "" {
		l.bad(f, "the subscriber is empty; expected the subscriber's id as in the configuration")
	}
	return s
}

func (l *listReader) hours(f int) decimal.Decimal {
	s := l.cell(f)
	if s == "" {
		l.bad(f, "the hours are empty; expected hours such as 7,5")
		return decimal.Decimal{}
	}
	d, err := compute.ParseDecimal(s)
	switch {
	case err != nil:
		l.bad(f, "hours %q: expected a number with a decimal comma or point and no thousands separators, such as 7,5", s)
	case !d.IsPositive():
		l.bad(f, "hours %q: expected more than 0, such as 7,5", s)
	case !twoDecimals(d):
		l.bad(f, "hours %q: expected at most two decimals, such as 7,5", s)
	}
	return d
}

// hourKinds are the kind words, folded.
var hourKinds = map[string]string{
	"työ": KindWork, "work": KindWork,
	"koulutus": KindTraining, "training": KindTraining,
}

func (l *listReader) kind(f int) string {
	s := l.cell(f)
	k, ok := hourKinds[nameKey(s)]
	switch {
	case s == "":
		l.bad(f, "the kind is empty; expected työ or koulutus (work or training)")
	case !ok:
		l.bad(f, "kind %q: expected työ or koulutus (work or training)", s)
	}
	return k
}

func (l *listReader) amount(f int) compute.Money {
	s := l.cell(f)
	m, err := compute.ParseMoney(s)
	switch {
	case err != nil:
		l.bad(f, "%v", err)
	case m == 0:
		l.bad(f, "amount %q: expected an amount other than 0, such as 250,00 (or -50,00 for a discount)", s)
	}
	return m
}

func (l *listReader) vatRate(f int) decimal.Decimal {
	s := l.cell(f)
	if s == "" {
		l.bad(f, "the VAT rate is empty; expected a percentage such as 25,5, or 0")
		return decimal.Decimal{}
	}
	d, err := compute.ParseDecimal(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	switch {
	case err != nil:
		l.bad(f, "VAT rate %q: expected a percentage with a decimal comma or point, such as 25,5 or 24", s)
	case d.IsNegative() || d.GreaterThanOrEqual(decimal.NewFromInt(100)):
		l.bad(f, "VAT rate %q: expected a percentage from 0 to under 100, such as 25,5 or 24", s)
	case !twoDecimals(d):
		l.bad(f, "VAT rate %q: expected at most two decimals, such as 25,5", s)
	}
	return d
}

// twoDecimals reports whether d has at most two decimals ("1,50" and "1,500" do, "1,333" not).
func twoDecimals(d decimal.Decimal) bool {
	c := d.Shift(2)
	return c.Equal(c.Truncate(0))
}

const dateForms = "expected a date such as 15.3.2022 or 2022-03-15"

// parseDay reads a date alone, Finnish "15.3.2022" or ISO "2022-03-15", and refuses a time of
// day after it.
func parseDay(s string) (compute.Date, error) {
	if s == "" {
		return compute.Date{}, errors.New("the date is empty; " + dateForms)
	}
	bad := fmt.Errorf("date %q: %s", s, dateForms)
	p := scanner{s: s}
	var y, m, d, nm, nd int
	a, na := p.number()
	switch {
	case na == 4 && p.take('-'): // ISO
		y = a
		m, nm = p.number()
		if nm < 1 || nm > 2 || !p.take('-') {
			return compute.Date{}, bad
		}
		if d, nd = p.number(); nd < 1 || nd > 2 {
			return compute.Date{}, bad
		}
	case na >= 1 && na <= 2 && p.take('.'): // Finnish
		d = a
		m, nm = p.number()
		if nm < 1 || nm > 2 || !p.take('.') {
			return compute.Date{}, bad
		}
		var ny int
		if y, ny = p.number(); ny != 4 {
			return compute.Date{}, bad
		}
	default:
		return compute.Date{}, bad
	}
	if !p.done() {
		if c := p.peek(); c == ' ' || c == 'T' || c == 't' {
			return compute.Date{}, fmt.Errorf("date %q has a time of day; expected a date only, such as 15.3.2022 or 2022-03-15", s)
		}
		return compute.Date{}, bad
	}
	date, err := compute.NewDate(y, time.Month(m), d)
	if err != nil || y < 1900 || y > 2999 {
		return compute.Date{}, fmt.Errorf("date %q does not exist; %s", s, dateForms)
	}
	return date, nil
}
