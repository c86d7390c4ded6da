package ingest

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxRows is the rows of the first sheet of a workbook that has a header check accepts.
type xlsxRows struct {
	f      *excelize.File
	s      *xlsxSheet
	header []string
	row    int  // the header's row
	done   bool // a row could not be read: the rest cannot be either
}

// openXLSXRows opens a workbook (see openXLSX for its limits) and finds, on its first sheet
// that has one, a header row that check accepts among the first rows that are not empty.
// When no sheet has one, the error is each sheet's reason.
func openXLSXRows(r io.Reader, name string, check func([]string) string) (*xlsxRows, error) {
	f, marks, err := openXLSX(r, name)
	if err != nil {
		return nil, err
	}
	sheets := f.GetSheetList()
	var problems Errors
	for _, sheet := range sheets {
		rows, err := f.Rows(sheet)
		if err != nil {
			problems.add(&Error{File: name, Sheet: sheet, Msg: fmt.Sprintf("cannot read the sheet: %v", err)})
			continue
		}
		s := &xlsxSheet{file: name, sheet: sheet, rows: rows, marks: marks[sheet]}
		x := &xlsxRows{f: f, s: s}
		why, found := "", false
		for nonEmpty := 0; nonEmpty < maxPreamble; {
			cells, ok, err := s.next()
			if err != nil {
				problems.add(err.(*Error))
				break
			}
			if !ok {
				break
			}
			if len(cells) == 0 {
				continue
			}
			nonEmpty++
			if why = check(cells); why == "" {
				x.header, x.row, found = cells, s.row, true
				break
			}
		}
		if found {
			return x, nil
		}
		rows.Close()
		if why == "" {
			why = "the sheet is empty"
		}
		if problems.len() == 0 || problems.List[len(problems.List)-1].Sheet != sheet {
			problems.add(&Error{File: name, Sheet: sheet, Msg: "no header row: " + why})
		}
	}
	f.Close()
	if len(problems.List) == 1 {
		return nil, problems.List[0]
	}
	if problems.len() == 0 {
		return nil, &Error{File: name, Msg: "not an XLSX workbook: it has no sheets; " + xlsxHint}
	}
	return nil, &problems
}

func (x *xlsxRows) head() []string    { return x.header }
func (x *xlsxRows) sheetName() string { return x.s.sheet }

// next returns the next row that is not empty.
func (x *xlsxRows) next() ([]string, int, error) {
	for !x.done {
		cells, ok, err := x.s.next()
		if err != nil {
			x.done = true
			var e *Error
			if errors.As(err, &e) {
				return nil, x.s.row, err
			}
			return nil, 0, err
		}
		if !ok {
			return nil, 0, io.EOF
		}
		if e := x.s.marks.problem(x.s, x.s.row, len(x.header), 1); e != nil {
			x.done = true
			return nil, x.s.row, e
		}
		if len(cells) > 0 {
			return cells, x.s.row, nil
		}
	}
	return nil, 0, io.EOF
}

func (x *xlsxRows) close() {
	x.s.rows.Close()
	x.f.Close()
}
