package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// simpleLog is an XLSX activity log on Sheet1: a header and three events with their times as
// text, changed by edit.
func simpleLog(t testing.TB, times [3]string, edit func(f *excelize.File) error) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"aika", "kunta", "tyyppi", "tunniste"},
		{times[0], "Turku", "puhelu", "1"},
		{times[1], "Salo", "käynti", "2"},
		{times[2], "Aura", "chat", "3"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		if err := edit(f); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestXLSXTextDates: a time cell holding text is read as text. "31.1.2021" was once read as
// the number 31.1, the serial date 30 January 1900, and the event silently fell outside every
// cycle.
func TestXLSXTextDates(t *testing.T) {
	got, err := readEvents(t, simpleLog(t, [3]string{"31.1.2021", "1.2.2021 8:05", "44228.5"}, nil), ActivityMapping{})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, []string{
		`2 2021-01-31 "Turku" call "" "1"`,
		`3 2021-02-01 "Salo" visit "" "2"`,
		`4 2021-02-01 "Aura" chat "" "3"`,
	})
	_, err = readEvents(t, simpleLog(t, [3]string{"31.1.2021", "30.2.2021", "1.2.2021"}, nil), ActivityMapping{})
	var e *Error
	if !errors.As(err, &e) || e.Row != 3 || e.Column != 1 || !strings.Contains(e.Msg, "30.2.2021") {
		t.Errorf("got %v, want row 3, column 1 naming 30.2.2021", err)
	}
}

// TestXLSXMarks: what the values of a sheet do not show — formulas, hidden rows and columns,
// merged cells — is refused in a table's data, naming the sheet, row and column.
func TestXLSXMarks(t *testing.T) {
	times := [3]string{"31.1.2021", "1.2.2021", "2.2.2021"}
	for _, tt := range []struct {
		name     string
		edit     func(f *excelize.File) error
		row, col int
		say      string
	}{
		{"hidden row", func(f *excelize.File) error { return f.SetRowVisible("Sheet1", 3, false) }, 3, 0, "hidden"},
		{"hidden column", func(f *excelize.File) error { return f.SetColVisible("Sheet1", "B", false) }, 2, 2, "column B is hidden"},
		{"formula", func(f *excelize.File) error { return f.SetCellFormula("Sheet1", "D4", `="3"`) }, 4, 4, "D4 holds a formula"},
		{"merged", func(f *excelize.File) error { return f.MergeCell("Sheet1", "B3", "B4") }, 3, 2, "B3:B4 are merged"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readEvents(t, simpleLog(t, times, tt.edit), ActivityMapping{})
			var e *Error
			if !errors.As(err, &e) || e.Sheet != "Sheet1" || e.Row != tt.row || e.Column != tt.col || !strings.Contains(e.Msg, tt.say) {
				t.Errorf("got %v, want Sheet1 row %d column %d saying %q", err, tt.row, tt.col, tt.say)
			}
		})
	}
	// A clean sheet has no marks to read again.
	marks, err := readSheetMarks(simpleLog(t, times, nil))
	if err != nil || len(marks) != 0 {
		t.Errorf("readSheetMarks = %v, %v; want none", marks, err)
	}
}
