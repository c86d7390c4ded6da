// Package ingesttest writes the same population table in the forms Statistics Finland exports
// it — PxWeb CSV, PC-Axis and PxWeb XLSX — so tests can check that every reader gets the same
// figures from the same data. It imports nothing of ours.
package ingesttest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Table is a population table as PxWeb holds it: stub variables down the rows, heading
// variables across the columns, one value for each combination.
type Table struct {
	Title   string
	Stub    []Variable
	Heading []Variable
	// Values are the cells in PxWeb order: row by row (the last stub variable varying
	// fastest), each row column by column (the last heading variable varying fastest).
	// A value is a count, "-" for zero or "." … "......" for missing.
	Values []string
}

// Variable is one variable of a table: its name, the labels of its values and, optionally,
// their codes.
type Variable struct {
	Name   string
	Values []string
	Codes  []string
}

// Rows is the number of rows: the product of the stub variables' sizes.
func (t *Table) Rows() int { return product(t.Stub) }

// Columns is the number of value columns: the product of the heading variables' sizes.
func (t *Table) Columns() int { return product(t.Heading) }

func product(vs []Variable) int {
	n := 1
	for _, v := range vs {
		n *= len(v.Values)
	}
	return n
}

// labels returns, for row or column i, the label of each variable.
func labels(vs []Variable, i int) []string {
	out := make([]string, len(vs))
	for j := len(vs) - 1; j >= 0; j-- {
		n := len(vs[j].Values)
		out[j] = vs[j].Values[i%n]
		i /= n
	}
	return out
}

// RowLabels are the stub labels of row i.
func (t *Table) RowLabels(i int) []string { return labels(t.Stub, i) }

// ColumnLabels are the heading labels of value column i.
func (t *Table) ColumnLabels(i int) []string { return labels(t.Heading, i) }

// Value is the cell of row r and value column c.
func (t *Table) Value(r, c int) string { return t.Values[r*t.Columns()+c] }

// FromPxWebCSV reads a PxWeb "semicolon separated with heading" export whose stub is the area
// and the age and whose column names are "<sex> <year> <information>" (as table 11re's are:
// "Yhteensä 2019 Väestö 31.12."), in Windows-1252 or UTF-8. The areas must all have the same
// ages in the same order.
func FromPxWebCSV(r io.Reader) (*Table, error) {
	br := bufio.NewReader(r)
	all, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	text := string(all)
	if !utf8.ValidString(text) {
		if text, err = charmap.Windows1252.NewDecoder().String(text); err != nil {
			return nil, err
		}
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	lines := strings.SplitN(strings.ReplaceAll(text, "\r\n", "\n"), "\n", 3)
	if len(lines) < 3 {
		return nil, errors.New("expected a title line, an empty line and the table")
	}
	t := &Table{Title: strings.Trim(lines[0], `"`)}
	cr := csv.NewReader(strings.NewReader(lines[2]))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	header := rows[0]
	if len(header) < 3 {
		return nil, fmt.Errorf("header %q: expected area, age and value columns", header)
	}
	t.Stub = []Variable{{Name: header[0]}, {Name: header[1]}}
	t.Heading = []Variable{{Name: "Sukupuoli"}, {Name: "Vuosi"}, {Name: "Tiedot"}}
	var cols [][]string
	for _, h := range header[2:] {
		f := strings.SplitN(h, " ", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("column %q: expected \"<sex> <year> <information>\"", h)
		}
		cols = append(cols, f)
		for i, l := range f {
			addValue(&t.Heading[i], l)
		}
	}
	if len(cols) != t.Columns() {
		return nil, fmt.Errorf("%d value columns do not make a full sex × year × information heading", len(cols))
	}
	for i, c := range cols {
		if got := t.ColumnLabels(i); strings.Join(got, "|") != strings.Join(c, "|") {
			return nil, fmt.Errorf("column %d is %q; expected %q for PxWeb order", i+3, c, got)
		}
	}
	for _, row := range rows[1:] {
		addValue(&t.Stub[0], row[0])
		addValue(&t.Stub[1], row[1])
	}
	if len(rows)-1 != t.Rows() {
		return nil, fmt.Errorf("%d rows do not make a full area × age stub of %d", len(rows)-1, t.Rows())
	}
	for i, row := range rows[1:] {
		if got := t.RowLabels(i); got[0] != row[0] || got[1] != row[1] {
			return nil, fmt.Errorf("row %d is %q, %q; expected %q, %q for PxWeb order", i+1, row[0], row[1], got[0], got[1])
		}
		t.Values = append(t.Values, row[2:]...)
	}
	return t, nil
}

func addValue(v *Variable, label string) {
	for _, x := range v.Values {
		if x == label {
			return
		}
	}
	v.Values = append(v.Values, label)
}

// CSV writes the table as PxWeb's "semicolon separated with heading" CSV in UTF-8 with LF:
// the quoted title, an empty line, the header with the heading labels flattened into each
// column name, then one line per row.
func (t *Table) CSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%q\n\n", t.Title)
	var head []string
	for _, v := range t.Stub {
		head = append(head, quote(v.Name))
	}
	for c := 0; c < t.Columns(); c++ {
		head = append(head, quote(strings.Join(t.ColumnLabels(c), " ")))
	}
	fmt.Fprintln(bw, strings.Join(head, ";"))
	for r := 0; r < t.Rows(); r++ {
		var f []string
		for _, l := range t.RowLabels(r) {
			f = append(f, quote(l))
		}
		for c := 0; c < t.Columns(); c++ {
			f = append(f, t.Value(r, c))
		}
		fmt.Fprintln(bw, strings.Join(f, ";"))
	}
	return bw.Flush()
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
