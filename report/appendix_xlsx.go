package report

import (
	"bytes"
	"fmt"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/xuri/excelize/v2"
)

// AppendixXLSX renders the appendix as a workbook: the allocation table as
// real numbers with number formats and a totals row of formulas (which a
// spreadsheet recalculates to the budget), and a sheet of the inputs and rules.
//
// Cell values in a workbook are binary floating point by the file format's
// definition; every amount here has at most two decimals and is far below
// 2^53 cents, so it is shown exactly. The manifest remains the exact record.
func AppendixXLSX(a *Appendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("appendix: %w", err)
	}
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	sheet, inputs := tx.T("sheet_allocation", nil), tx.T("sheet_inputs", nil)
	if err := tx.Err(); err != nil {
		return nil, err
	}

	activities, documents := "", ""
	if l.Activities != nil {
		activities = tx.T("sheet_activities", nil)
	}
	if l.Documents != nil {
		documents = tx.T("sheet_documents", nil)
	}
	f, st, err := newWorkbook(l.Title, a.Lang, a.Created, sheet, activities, documents, inputs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := writeAllocationSheet(f, sheet, a, l, st); err != nil {
		return nil, fmt.Errorf("appendix workbook: %w", err)
	}
	if activities != "" {
		if err := writeActivitiesSheet(f, activities, a, l, st); err != nil {
			return nil, fmt.Errorf("appendix workbook: %w", err)
		}
	}
	if documents != "" {
		if err := writeDocumentsSheet(f, documents, a, l, st); err != nil {
			return nil, fmt.Errorf("appendix workbook: %w", err)
		}
	}
	if err := writeInputsSheet(f, inputs, a, l, loc, st); err != nil {
		return nil, fmt.Errorf("appendix workbook: %w", err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("appendix workbook: %w", err)
	}
	return canonicalZip(b.Bytes())
}

// newWorkbook starts a workbook with the named sheets in order (empty names
// are skipped), fixed document properties (so that the same appendix gives
// the same bytes) and the appendix styles.
func newWorkbook(title, lang string, created time.Time, sheets ...string) (*excelize.File, *styles, error) {
	f := excelize.NewFile()
	first := true
	for _, name := range sheets {
		if name == "" {
			continue
		}
		var err error
		if first {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		first = false
	}
	at := created.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "kuntalasku", LastModifiedBy: "kuntalasku", Title: title,
		Created: at, Modified: at, Language: lang,
	}); err != nil {
		f.Close()
		return nil, nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

type styles struct{ title, header, money, count, share, bold, boldMoney, boldCount, boldShare int }

func newStyles(f *excelize.File) (*styles, error) {
	var st styles
	var err error
	mk := func(dst *int, s *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(s)
		}
	}
	bold := &excelize.Font{Bold: true}
	money, count, share := "#,##0.00", "#,##0", "0.00%"
	mk(&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	mk(&st.header, &excelize.Style{Font: bold, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E2E8F0"}}})
	mk(&st.money, &excelize.Style{CustomNumFmt: &money})
	mk(&st.count, &excelize.Style{CustomNumFmt: &count})
	mk(&st.share, &excelize.Style{CustomNumFmt: &share})
	mk(&st.bold, &excelize.Style{Font: bold})
	mk(&st.boldMoney, &excelize.Style{Font: bold, CustomNumFmt: &money})
	mk(&st.boldCount, &excelize.Style{Font: bold, CustomNumFmt: &count})
	mk(&st.boldShare, &excelize.Style{Font: bold, CustomNumFmt: &share})
	return &st, err
}

// euros is an amount as a workbook number.
func euros(m compute.Money) float64 { return m.Decimal().InexactFloat64() }

func writeAllocationSheet(f *excelize.File, sheet string, a *Appendix, l *appendixLayout, st *styles) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	withActivities := !a.Allocation.ActivitiesByPopulation
	if err := sw.SetColWidth(1, 1, 22); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, len(l.Table.Header), 15); err != nil {
		return err
	}
	set := func(row int, cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells)
	}
	if err := set(1, excelize.Cell{StyleID: st.title, Value: l.Title}); err != nil {
		return err
	}
	if err := set(2, l.Subtitle); err != nil {
		return err
	}
	header := make([]any, len(l.Table.Header))
	for i, h := range l.Table.Header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A4", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	first := 5
	last := first + len(a.Allocation.Lines) - 1
	totalRow := last + 1
	col := func(c int) string { name, _ := excelize.ColumnNumberToName(c); return name }
	abs := func(c, r int) string { return fmt.Sprintf("$%s$%d", col(c), r) }
	for i, line := range a.Allocation.Lines {
		r := first + i
		cells := []any{
			line.Payer.Name,
			excelize.Cell{StyleID: st.count, Value: line.Population},
			excelize.Cell{StyleID: st.share, Formula: fmt.Sprintf("B%d/%s", r, abs(2, totalRow))},
		}
		if withActivities {
			cells = append(cells,
				excelize.Cell{StyleID: st.count, Value: line.Activities},
				excelize.Cell{StyleID: st.share, Formula: fmt.Sprintf("D%d/%s", r, abs(4, totalRow))})
		}
		cells = append(cells,
			excelize.Cell{StyleID: st.money, Value: euros(line.PopulationAmount)},
			excelize.Cell{StyleID: st.money, Value: euros(line.ActivityAmount)},
			excelize.Cell{StyleID: st.money, Value: euros(line.Total)})
		if err := set(r, cells...); err != nil {
			return err
		}
	}
	total := []any{excelize.Cell{StyleID: st.bold, Value: l.Table.Total[0]}}
	for c := 2; c <= len(l.Table.Header); c++ {
		style, formula := st.boldMoney, fmt.Sprintf("SUM(%s%d:%s%d)", col(c), first, col(c), last)
		switch {
		case c == 2 || (withActivities && c == 4):
			style = st.boldCount
		case c == 3 || (withActivities && c == 5):
			style = st.boldShare
		}
		total = append(total, excelize.Cell{StyleID: style, Formula: formula})
	}
	if err := set(totalRow, total...); err != nil {
		return err
	}
	if err := set(totalRow+2, l.Rounding); err != nil {
		return err
	}
	return sw.Flush()
}

// writeActivitiesSheet writes the activities by type and what was not billed,
// the layout's tables one under another with the counts as numbers.
func writeActivitiesSheet(f *excelize.File, sheet string, a *Appendix, l *appendixLayout, st *styles) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 34); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 6, 16); err != nil {
		return err
	}
	var rows [][]any
	head := func(t *table) {
		if len(rows) > 0 {
			rows = append(rows, []any{})
		}
		rows = append(rows, []any{excelize.Cell{StyleID: st.title, Value: t.Title}})
		header := make([]any, len(t.Header))
		for i, h := range t.Header {
			header[i] = excelize.Cell{StyleID: st.header, Value: h}
		}
		rows = append(rows, header)
	}
	counts := func(label string, c compute.ActivityCounts, bold bool) []any {
		style, labelStyle := st.count, 0
		if bold {
			style, labelStyle = st.boldCount, st.bold
		}
		r := []any{excelize.Cell{StyleID: labelStyle, Value: label}}
		for _, n := range c {
			r = append(r, excelize.Cell{StyleID: style, Value: n})
		}
		return append(r, excelize.Cell{StyleID: style, Value: c.Total()})
	}
	head(l.Activities)
	var total compute.ActivityCounts
	for i, line := range a.Allocation.Lines {
		rows = append(rows, counts(line.Payer.Name, a.Activities[i], false))
		total.Add(a.Activities[i])
	}
	rows = append(rows, counts(l.Activities.Total[0], total, true))
	if t := l.Unattributed; t != nil {
		u := a.Unattributed
		head(t)
		both := u.NonParticipant
		both.Add(u.Unknown)
		rows = append(rows, counts(t.Rows[0][0], u.NonParticipant, false), counts(t.Rows[1][0], u.Unknown, false), counts(t.Total[0], both, true))
	}
	if t := l.UnattributedRows; t != nil {
		head(t)
		for i, r := range a.Unattributed.Rows {
			rows = append(rows, []any{t.Rows[i][0], excelize.Cell{StyleID: st.count, Value: r.Row}, t.Rows[i][2], t.Rows[i][3]})
		}
	}
	if l.NoneUnattributed != "" {
		rows = append(rows, []any{}, []any{l.NoneUnattributed})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// writeDocumentsSheet lists the run's documents, amounts as numbers.
func writeDocumentsSheet(f *excelize.File, sheet string, a *Appendix, l *appendixLayout, st *styles) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for col, w := range []float64{22, 18, 18, 12, 15} {
		if err := sw.SetColWidth(col+1, col+1, w); err != nil {
			return err
		}
	}
	t := l.Documents
	rows := [][]any{{excelize.Cell{StyleID: st.title, Value: t.Title}}}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	rows = append(rows, header)
	for i, d := range a.Documents {
		rows = append(rows, []any{t.Rows[i][0], d.Number, t.Rows[i][2], t.Rows[i][3], excelize.Cell{StyleID: st.money, Value: euros(d.Total)}})
	}
	last := len(rows)
	rows = append(rows, []any{excelize.Cell{StyleID: st.bold, Value: t.Total[0]}, nil, nil, nil,
		excelize.Cell{StyleID: st.boldMoney, Formula: fmt.Sprintf("SUM(E3:E%d)", last)}})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func writeInputsSheet(f *excelize.File, sheet string, a *Appendix, l *appendixLayout, loc *templates.Locale, st *styles) error {
	tx := loc.Texts()
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 42); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 60); err != nil {
		return err
	}
	if err := sw.SetColWidth(3, 3, 68); err != nil {
		return err
	}
	rows := [][]any{
		{excelize.Cell{StyleID: st.title, Value: l.Title}},
		{l.Subtitle},
		{},
		{tx.T("budget", nil), excelize.Cell{StyleID: st.money, Value: euros(a.Budget.Total())}},
		{l.Summary[1][0], excelize.Cell{StyleID: st.money, Value: euros(a.Budget.Population)}},
		{l.Summary[2][0], excelize.Cell{StyleID: st.money, Value: euros(a.Budget.Activity)}},
		{tx.T("weights", nil), a.PopulationWeight.String() + " / " + a.ActivityWeight.String()},
		{tx.T("age_limit", nil), a.AgeLimit},
		{tx.T("population_date", nil), a.PopulationDate.String()},
		{tx.T("activity_basis", nil), l.Basis[len(l.Basis)-1]},
		{},
		{excelize.Cell{StyleID: st.header, Value: tx.T("inputs", nil)}, excelize.Cell{StyleID: st.header, Value: tx.T("file", nil)}, excelize.Cell{StyleID: st.header, Value: tx.T("sha256", nil)}},
	}
	for _, in := range l.Inputs.Rows {
		rows = append(rows, []any{in[0], in[1], in[2]})
	}
	rows = append(rows, []any{}, []any{l.Rounding})
	if err := tx.Err(); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}
