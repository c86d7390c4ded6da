package ingest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzReadActivitiesXLSX reads an XLSX activity log two ways: the fuzzed bytes as they are,
// and a valid workbook whose sheet is the fuzzed XML, which reaches the sheet parser, the
// marks (formulas, hidden rows, merged cells) and the cell rules past the ZIP checksums. Either
// the events come out with rows after the header and real dates, or the error is an input
// problem naming the file.
func FuzzReadActivitiesXLSX(f *testing.F) {
	times := [3]string{"31.1.2021", "1.2.2021 8:05", "44228.5"}
	base := simpleLog(f, times, nil)
	baseParts := parts(f, base)
	f.Add(base, sheetXML(f, base))
	f.Add(simpleLog(f, times, func(x *excelize.File) error { return x.SetRowVisible("Sheet1", 3, false) }), "")
	f.Add(simpleLog(f, times, func(x *excelize.File) error { return x.MergeCell("Sheet1", "B2", "C3") }), "")
	f.Add(simpleLog(f, times, func(x *excelize.File) error { return x.SetCellFormula("Sheet1", "A2", "=NOW()") }), "")
	f.Add(simpleLog(f, [3]string{"30.2.2021", "9999999", "#DIV/0!"}, nil), "")
	f.Add(base[:len(base)/2], `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>aika</t></is></c><c r="B1" t="inlineStr"><is><t>kunta</t></is></c><c r="C1" t="inlineStr"><is><t>tyyppi</t></is></c></row>`+
		`<row r="2" hidden="1"><c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData><mergeCells><mergeCell ref="A2:B3"/></mergeCells><cols><col min="2" max="2" hidden="1"/></cols></worksheet>`)
	f.Add([]byte{}, "")

	f.Fuzz(func(t *testing.T, book []byte, sheet string) {
		check := func(data []byte) {
			var events []Event
			err := ReadActivities(bytes.NewReader(data), "fuzz.xlsx", ActivityMapping{}, func(e *Event) error {
				events = append(events, *e)
				return nil
			})
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("got %T %v, want an input problem", err, err)
				}
				if e.File != "fuzz.xlsx" || err.Error() == "" {
					t.Fatalf("the problem %q does not name the file", err)
				}
				return
			}
			for _, e := range events {
				if e.Row < 2 {
					t.Fatalf("an event at row %d, at or above the header", e.Row)
				}
				if !e.Ignored && (e.Date.Year < 1900 || e.Date.Year > 2999 || e.Date.Month < 1 || e.Date.Month > 12 || e.Date.Day < 1 || e.Date.Day > 31) {
					t.Fatalf("row %d: impossible date %v", e.Row, e.Date)
				}
			}
		}
		check(book)
		if sheet != "" {
			check(withSheet(t, baseParts, sheet))
		}
	})
}
