package ingesttest

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// XLSX writes the table as PxWeb's Excel export: the title in A1, an empty row, one heading
// row per heading variable with each label written once at the start of its group, the stub
// labels in the first columns with a repeated label left blank, the counts and years as numbers
// (the "-" and dots as text), then an empty row and footnotes in column A.
func (t *Table) XLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 1
	put := func(cells []any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(cell, cells)
	}
	if err := put([]any{t.Title}); err != nil {
		return err
	}
	row++ // an empty row
	stubs := len(t.Stub)
	for h := range t.Heading {
		cells := make([]any, stubs+t.Columns())
		for c := 0; c < t.Columns(); c++ {
			// A label starts a group where it or a label above it changes.
			starts := c == 0
			for k := 0; k <= h && !starts; k++ {
				starts = t.ColumnLabels(c)[k] != t.ColumnLabels(c - 1)[k]
			}
			if starts {
				cells[stubs+c] = cellValue(t.ColumnLabels(c)[h]) // a year as a number
			}
		}
		if err := put(cells); err != nil {
			return err
		}
	}
	for r := 0; r < t.Rows(); r++ {
		cells := make([]any, stubs+t.Columns())
		for s, l := range t.RowLabels(r) {
			starts := r == 0
			for k := 0; k <= s && !starts; k++ {
				starts = t.RowLabels(r)[k] != t.RowLabels(r - 1)[k]
			}
			if starts {
				cells[s] = l
			}
		}
		for c := 0; c < t.Columns(); c++ {
			cells[stubs+c] = cellValue(t.Value(r, c))
		}
		if err := put(cells); err != nil {
			return err
		}
	}
	row++
	for _, note := range []string{"Tilastokeskus, väestörakenne", fmt.Sprintf("Päivitetty %s", "29.3.2019")} {
		if err := put([]any{note}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// cellValue is a whole number as a number, anything else as text.
func cellValue(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}
