package ingest

import (
	"errors"
	"io"
)

// ReadPopulationCSV reads a PxWeb "semicolon separated with heading" CSV export of table 11re,
// or the same shape for other population tables (see the package comment). name is the file
// name for errors. It reads r row by row and reports every bad row: the error is an *Errors
// listing the problems, or an *Error when the file is not such a table at all (not text,
// empty, no header, missing columns); errors.As finds the first *Error in both. Errors from r
// itself are returned wrapped.
func ReadPopulationCSV(r io.Reader, name string) (*Population, error) {
	t, err := openCSV(r, name, checkPopHeader)
	if err != nil {
		return nil, err
	}
	cols, why := findStubs(t.header)
	if cols == nil {
		return nil, &Error{File: name, Row: t.headerRow, Msg: why}
	}
	if err := cols.readValueColumns(t.header, name, t.headerRow); err != nil {
		return nil, err
	}
	b := newPopBuilder(name, t.headerRow)
	for {
		rec, row, err := t.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := b.errs.addErr(err); err != nil {
				return nil, err
			}
			continue
		}
		cols.addRow(b, t.header, rec, row)
	}
	return b.finish()
}
