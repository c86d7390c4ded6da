package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/xuri/excelize/v2"
)

// The correction modes.
const (
	CorrectionReplace    = "replace"    // a credit note for the current invoice and a new invoice
	CorrectionDifference = "difference" // one document for the difference only
)

// CorrectionAppendix is the summary of a correction run (SPEC 5): per payer
// the cycle's total before and after, and the documents issued.
type CorrectionAppendix struct {
	Lang       string // "fi", "sv" or "en"
	SchemeName string
	Seller     string
	Mode       string          // CorrectionReplace or CorrectionDifference
	Cycle      string          // the corrected cycle's id, "2021-03"
	From, To   compute.Date    // the cycle's period
	Run        int64           // the correction's run number
	Created    time.Time       // the run's time: the PDF's creation date
	Reason     string          // why, as the user gave it (printed verbatim, may be long, any UTF-8)
	Rows       []CorrectionRow // every payer of the cycle, changed or not, in the configuration's order
	Inputs     []Input
}

// CorrectionRow is one payer. Amounts are totals with VAT.
type CorrectionRow struct {
	Payer     string        // name
	Old, New  compute.Money // the cycle's total for the payer before and after
	Named     bool          // named with --payer: reissued although unchanged
	Documents []string      // numbers issued for it, in order
	Issued    compute.Money // the sum of those documents' totals
}

// correctionAppendixLayout is the correction appendix's layout model: every
// text it prints, in order, with no fonts or coordinates.
type correctionAppendixLayout struct {
	appendixPage // the title e.g. "Oikaisu 1.3.–31.3.2021", the service as subtitle
	// Summary is label, value; its row correctResult (the difference) is
	// printed in bold.
	Summary [][2]string `json:"summary"`
	Reason  [2]string   `json:"reason"` // label, the user's text: under the summary, wrapped
	Table   table       `json:"table"`  // a named payer's name is marked with a "*"
	// Footnote explains the "*" of named payers; "" when there are none.
	Footnote string `json:"footnote,omitempty"`
	Rules    string `json:"rules"`
	Inputs   table  `json:"inputs"`

	// values are the summary's values for the workbook: compute.Money for
	// an amount, else a number or a text.
	values []any
	// book are the workbook's own texts.
	book struct{ sheet, inputs, period, periodValue, file, sha256 string }
}

// correctResult is the summary row of the difference between the totals
// after and before.
const correctResult = 5

// namedMark follows the name of a payer reissued although unchanged.
const namedMark = "*"

// correctionModes are the texts' keys of each mode: its name and its rules.
var correctionModes = map[string]struct{ name, rules string }{
	CorrectionReplace:    {"correct_mode_replace", "correct_rules_replace"},
	CorrectionDifference: {"correct_mode_difference", "correct_rules_difference"},
}

// correctionTotals are the sums of the table's columns and the documents.
type correctionTotals struct {
	old, new, issued compute.Money
	documents        int64
}

// check verifies that a row's documents take its total from before to
// after, and that only a changed or named payer has documents.
func (r *CorrectionRow) check() error {
	if len(r.Documents) > 0 {
		if r.Old+r.Issued != r.New {
			return fmt.Errorf("payer %s: before %s + documents issued %s is not after %s", r.Payer, r.Old, r.Issued, r.New)
		}
		return nil
	}
	switch {
	case r.Named:
		return fmt.Errorf("payer %s: named for reissue but no document issued", r.Payer)
	case r.Old != r.New:
		return fmt.Errorf("payer %s: changed from %s to %s but no document issued", r.Payer, r.Old, r.New)
	case r.Issued != 0:
		return fmt.Errorf("payer %s: documents issued total %s without a document number", r.Payer, r.Issued)
	}
	return nil
}

// check verifies the appendix's figures and sums its columns: money in
// integer cents, so the totals row is exact.
func (a *CorrectionAppendix) check() (correctionTotals, error) {
	var t correctionTotals
	switch {
	case correctionModes[a.Mode].name == "":
		return t, fmt.Errorf("unknown correction mode %q; expected %q or %q", a.Mode, CorrectionReplace, CorrectionDifference)
	case strings.TrimSpace(a.Reason) == "":
		return t, fmt.Errorf("a correction needs a reason")
	case !utf8.ValidString(a.Reason):
		return t, fmt.Errorf("the reason is not valid UTF-8")
	case a.Cycle == "":
		return t, fmt.Errorf("no cycle")
	case a.Run <= 0:
		return t, fmt.Errorf("run number %d; expected the ledger's, 1 or more", a.Run)
	case a.From.IsZero() || a.To.Before(a.From):
		return t, fmt.Errorf("period %s–%s is empty", a.From, a.To)
	}
	documents := map[string]string{}
	for i := range a.Rows {
		r := &a.Rows[i]
		if err := r.check(); err != nil {
			return t, err
		}
		for _, d := range r.Documents {
			if d == "" {
				return t, fmt.Errorf("payer %s: an empty document number", r.Payer)
			}
			if other, ok := documents[d]; ok {
				return t, fmt.Errorf("payers %s and %s: the same document number %s", other, r.Payer, d)
			}
			documents[d] = r.Payer
		}
		t.old += r.Old
		t.new += r.New
		t.issued += r.Issued
		t.documents += int64(len(r.Documents))
	}
	return t, nil
}

// layout computes the correction appendix's texts in its language.
func (a *CorrectionAppendix) layout() (*correctionAppendixLayout, error) {
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	sum, err := a.check()
	if err != nil {
		return nil, err
	}
	mode := correctionModes[a.Mode]
	tx := loc.Texts()
	period := loc.Period(a.From, a.To)
	l := &correctionAppendixLayout{appendixPage: newAppendixPage(loc, tx, a.Seller,
		tx.T("correct_title", map[string]string{"Period": period}), a.SchemeName, a.Created)}
	l.book.sheet, l.book.inputs = tx.T("correct_sheet", nil), tx.T("sheet_inputs", nil)
	l.book.period, l.book.periodValue = tx.T("period", nil), period
	l.book.file, l.book.sha256 = tx.T("file", nil), tx.T("sha256", nil)

	add := func(key, shown string, value any) {
		l.Summary = append(l.Summary, [2]string{tx.T(key, nil), shown})
		l.values = append(l.values, value)
	}
	money := func(key string, m compute.Money) { add(key, loc.Money(m), m) }
	modeName := tx.T(mode.name, nil)
	add("correct_cycle", a.Cycle, a.Cycle)
	add("correct_run", strconv.FormatInt(a.Run, 10), a.Run)
	add("correct_mode", modeName, modeName)
	money("correct_total_before", sum.old)
	money("correct_total_after", sum.new)
	money("correct_difference", sum.new-sum.old) // correctResult
	add("correct_documents", tx.T("correct_documents_value", map[string]int64{"Count": sum.documents}), sum.documents)
	l.Reason = [2]string{tx.T("correct_reason", nil), a.Reason}

	t := table{
		Header: []string{tx.T("correct_col_payer", nil), tx.T("correct_col_before", nil), tx.T("correct_col_after", nil),
			tx.T("correct_col_difference", nil), tx.T("correct_col_documents", nil)},
		Numeric: []bool{false, true, true, true, false},
	}
	for _, r := range a.Rows {
		name := r.Payer
		if r.Named {
			name += namedMark
			l.Footnote = tx.T("correct_named", nil)
		}
		t.Rows = append(t.Rows, []string{name, loc.Amount(r.Old), loc.Amount(r.New), loc.Amount(r.New - r.Old),
			strings.Join(r.Documents, ", ")})
	}
	t.Total = []string{tx.T("total", nil), loc.Amount(sum.old), loc.Amount(sum.new), loc.Amount(sum.new - sum.old), ""}
	l.Table = t
	l.Rules = tx.T(mode.rules, nil)
	l.Inputs = inputTable(tx, a.Inputs)
	l.Inputs.Title = tx.T("correct_inputs", nil)
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// CorrectionAppendixPDF renders the correction appendix as an A4 PDF:
// portrait when the table fits its width, else landscape.
func CorrectionAppendixPDF(a *CorrectionAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("correction appendix: %w", err)
	}
	pdf := l.start("P", a.Seller, a.Created)
	if !tableFits(pdf, l.Table) {
		pdf = l.start("L", a.Seller, a.Created)
	}
	drawSummary(pdf, l.Summary, correctResult)
	drawReason(pdf, l.Reason)
	// A long reason may leave too little of the page for the table's header
	// and its first rows: they start the next page.
	if pdf.GetY()+4+8+2*rowH > pageBottom(pdf) {
		pdf.AddPage()
	} else {
		pdf.Ln(4)
	}
	drawTable(pdf, l.Table)
	if l.Footnote != "" {
		drawSmallPrint(pdf, l.Footnote)
	}
	drawSmallPrint(pdf, l.Rules)
	drawInputs(pdf, l.Inputs)
	return output(pdf)
}

// tableFits reports whether t fits pdf's page width with every column, its
// header included, on one line in the totals row's bold type: the first
// column (the names) gets what the others leave.
func tableFits(pdf *fpdf.Fpdf, t table) bool {
	pdf.SetFont(fontFamily, "B", 8.5)
	w := columnWidths(pdf, t)
	need := 0.0
	for _, row := range append([][]string{t.Total}, t.Rows...) {
		need = max(need, pdf.GetStringWidth(row[0])+3)
	}
	return w[0] >= need
}

// drawReason prints the reason under its label, wrapped to the page's width
// and over pages. Control characters other than a line break (a tab) have
// no glyph: each prints as a space.
func drawReason(pdf *fpdf.Fpdf, reason [2]string) {
	text := strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, reason[1])
	w := contentWidth(pdf)
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "B", 9.5)
	pdf.CellFormat(w, rowH, reason[0], "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 9.5)
	pdf.MultiCell(w, 4.6, text, "", "L", false)
}

// CorrectionAppendixXLSX renders the correction appendix as a workbook: the
// table as real numbers with number formats and a totals row of SUM
// formulas, and a sheet of the summary, the reason and the inputs. The same
// appendix gives the same bytes. (Amounts have two decimals and are far
// below 2^53 cents, so the format's binary floating point shows them
// exactly.)
func CorrectionAppendixXLSX(a *CorrectionAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("correction appendix: %w", err)
	}
	data, err := writeCorrectionBook(a, l)
	if err != nil {
		return nil, fmt.Errorf("correction appendix workbook: %w", err)
	}
	return data, nil
}

// writeCorrectionBook writes the workbook of CorrectionAppendixXLSX.
func writeCorrectionBook(a *CorrectionAppendix, l *correctionAppendixLayout) ([]byte, error) {
	b := l.book
	f, st, err := newWorkbook(l.Title, a.Lang, a.Created, b.sheet, b.inputs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	if err := writeRows(f, b.sheet, []float64{34, 17, 17, 15, 36}, correctionRows(a, l, st), correctHeaderRow); err != nil {
		return nil, err
	}
	if err := writeRows(f, b.inputs, []float64{44, 64, 68}, correctionSummaryRows(l, st, wrap), 0); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		return nil, err
	}
	return canonicalZip(out.Bytes())
}

// The correction sheet's table: its header's row and its first row of
// payers; the money columns are B to D, the documents E.
const (
	correctHeaderRow = 4
	correctFirstRow  = 5
)

// correctionRows are the correction sheet's rows: the title, the table with
// a totals row of SUM formulas, the named payers' footnote and the rules.
func correctionRows(a *CorrectionAppendix, l *correctionAppendixLayout, st *styles) [][]any {
	money := func(m compute.Money) excelize.Cell { return excelize.Cell{StyleID: st.money, Value: euros(m)} }
	body := make([][]any, len(a.Rows))
	for i, r := range a.Rows {
		var documents any // no cell for none
		if len(r.Documents) > 0 {
			documents = l.Table.Rows[i][4]
		}
		body[i] = []any{l.Table.Rows[i][0], money(r.Old), money(r.New), money(r.New - r.Old), documents}
	}
	rows := append(sheetHead(st, l.Title, l.Subtitle), headerCells(st, l.Table.Header))
	rows = append(rows, body...)
	rows = append(rows, sumRow(st, l.Table.Total[0], 2, 4, correctFirstRow, len(body)), []any{})
	if l.Footnote != "" {
		rows = append(rows, []any{l.Footnote})
	}
	return append(rows, []any{l.Rules})
}

// correctionSummaryRows are the second sheet's rows: the title, the period,
// the summary with its amounts as numbers, the reason (wrapped), the inputs
// and the rules.
func correctionSummaryRows(l *correctionAppendixLayout, st *styles, wrap int) [][]any {
	b := l.book
	rows := append(sheetHead(st, l.Title, l.Subtitle), []any{b.period, b.periodValue})
	for i, kv := range l.Summary {
		label, value := any(kv[0]), l.values[i]
		if m, ok := value.(compute.Money); ok {
			style := st.money
			if i == correctResult {
				label, style = excelize.Cell{StyleID: st.bold, Value: kv[0]}, st.boldMoney
			}
			value = excelize.Cell{StyleID: style, Value: euros(m)}
		}
		rows = append(rows, []any{label, value})
	}
	rows = append(rows, []any{excelize.Cell{StyleID: wrap, Value: l.Reason[0]}, excelize.Cell{StyleID: wrap, Value: l.Reason[1]}},
		[]any{}, headerCells(st, []string{l.Inputs.Title, b.file, b.sha256}))
	for _, in := range l.Inputs.Rows {
		rows = append(rows, []any{in[0], in[1], in[2]})
	}
	return append(rows, []any{}, []any{l.Rules})
}

// sheetHead are a sheet's first rows: the title, the subtitle and an empty
// row.
func sheetHead(st *styles, title, subtitle string) [][]any {
	return [][]any{{excelize.Cell{StyleID: st.title, Value: title}}, {subtitle}, {}}
}

// headerCells is a table's header row.
func headerCells(st *styles, names []string) []any {
	cells := make([]any, len(names))
	for i, name := range names {
		cells[i] = excelize.Cell{StyleID: st.header, Value: name}
	}
	return cells
}

// sumRow is a totals row under n rows that start at row first: label, then
// in the columns from to to (1-based) the SUM of the column's rows, as
// money.
func sumRow(st *styles, label string, from, to, first, n int) []any {
	row := make([]any, to)
	row[0] = excelize.Cell{StyleID: st.bold, Value: label}
	for c := from; c <= to; c++ {
		top, _ := excelize.CoordinatesToCellName(c, first)
		bottom, _ := excelize.CoordinatesToCellName(c, first+n-1)
		formula := "SUM(" + top + ":" + bottom + ")"
		if n == 0 {
			formula = "0" // SUM(B5:B4) would sum the header and this row
		}
		row[c-1] = excelize.Cell{StyleID: st.boldMoney, Formula: formula}
	}
	return row
}
