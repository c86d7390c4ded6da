package ingest

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one input problem and where it is, like encoding/csv's ParseError.
type Error struct {
	File       string // the file name as given to the reader
	Sheet      string // XLSX sheet name when there is one (unused for CSV)
	Row        int    // 1-based line number in the file; 0 when not about one row
	Column     int    // 1-based column number; 0 when not about one column
	ColumnName string // the header text of that column, when known
	Msg        string // what is wrong and what was expected
}

// Error formats the problem with its place, leaving out the parts that are not known:
//
//	005_11re_2019.csv: row 57, column 3 ("Yhteensä 2019 Väestö 31.12."): "12a" is not a whole number
func (e *Error) Error() string {
	var place []string
	if e.Sheet != "" {
		place = append(place, fmt.Sprintf("sheet %q", e.Sheet))
	}
	if e.Row > 0 {
		place = append(place, fmt.Sprintf("row %d", e.Row))
	}
	switch {
	case e.Column > 0 && e.ColumnName != "":
		place = append(place, fmt.Sprintf("column %d (%q)", e.Column, e.ColumnName))
	case e.Column > 0:
		place = append(place, fmt.Sprintf("column %d", e.Column))
	case e.ColumnName != "":
		place = append(place, fmt.Sprintf("column %q", e.ColumnName))
	}
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if len(place) > 0 {
		b.WriteString(strings.Join(place, ", "))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxErrors is how many problems an Errors keeps; the rest are only counted.
const maxErrors = 50

// Errors is every input problem a reader found: a reader reports all bad rows, not only the
// first. It keeps at most 50 and counts the rest in More.
type Errors struct {
	List []*Error
	More int // problems found beyond List
}

// Error is one line per problem, then "… and N more problems" when some were left out.
func (e *Errors) Error() string {
	lines := make([]string, 0, len(e.List)+1)
	for _, p := range e.List {
		lines = append(lines, p.Error())
	}
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more problems", e.More))
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.As finds the first *Error.
func (e *Errors) Unwrap() []error {
	errs := make([]error, len(e.List))
	for i, p := range e.List {
		errs[i] = p
	}
	return errs
}

// add records one problem, or counts it once List is full.
func (e *Errors) add(p *Error) {
	if len(e.List) < maxErrors {
		e.List = append(e.List, p)
		return
	}
	e.More++
}

// addErr records err when it is input problems (*Error or *Errors) and returns nil; any other
// error (a failing reader) is returned for the caller to stop on.
func (e *Errors) addErr(err error) error {
	var many *Errors
	if errors.As(err, &many) {
		for _, p := range many.List {
			e.add(p)
		}
		e.More += many.More
		return nil
	}
	var one *Error
	if errors.As(err, &one) {
		e.add(one)
		return nil
	}
	return err
}

// len is the number of problems found, kept or not.
func (e *Errors) len() int { return len(e.List) + e.More }

// err returns e as an error, or nil when no problem was found.
func (e *Errors) err() error {
	if e.len() == 0 {
		return nil
	}
	return e
}
