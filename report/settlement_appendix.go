package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/xuri/excelize/v2"
)

// The kinds of settlement.
const (
	SettlementCostShare = "settlement" // SPEC 1.1: final shares of the actual cost
	SettlementSurplus   = "surplus"    // SPEC 1.2: a year's surplus returned
)

// SettlementAppendix is the reconciliation of a year-end settlement (SPEC
// 1.1, 1.2): for each payer, what it was invoiced for the period net of
// corrections, its final share of the actual cost, and the difference issued
// as an invoice (to pay) or a credit note (refunded). For the per-resident
// scheme it is the surplus returned in proportion to the usage fees.
type SettlementAppendix struct {
	Lang       string // "fi", "sv" or "en"
	SchemeName string
	Seller     string
	Kind       string       // SettlementCostShare or SettlementSurplus
	From, To   compute.Date // the settled period
	Created    time.Time    // the run's time: the PDF's creation date
	ActualCost compute.Money
	Rows       []SettlementRow
	Inputs     []Input
}

// SettlementRow is one payer's reconciliation. Amounts are net (without VAT).
type SettlementRow struct {
	Payer       string        // the payer's name
	Invoiced    compute.Money // invoiced by the period's regular runs (for a surplus: usage fees only)
	Corrections compute.Money // the net of the period's corrections: credit notes negative, new invoices positive
	Final       compute.Money // the payer's final share of the actual cost
	Settlement  compute.Money // Final − (Invoiced + Corrections): > 0 invoiced to pay, < 0 credited
	Document    string        // the settlement document's number; "" when Settlement is 0
}

// settlementAppendixLayout is the settlement appendix's layout model: every
// text it prints, in order, with no fonts or coordinates.
type settlementAppendixLayout struct {
	appendixPage // the title e.g. "Tasaus 1.1.–30.11.2021", the service as subtitle
	// Summary is label, value; its row settleResult (the difference or the
	// surplus) is printed in bold.
	Summary [][2]string `json:"summary"`
	Table   table       `json:"table"`
	Rules   string      `json:"rules"`
	Inputs  table       `json:"inputs"`

	// amounts are the summary's values as money, for the workbook.
	amounts []compute.Money
	// book are the workbook's own texts.
	book struct{ sheet, inputs, period, periodValue, file, sha256 string }
}

// appendixPage is what an appendix prints around its content: a header on
// top of every page, the title and subtitle on the first page, and a footer
// of when it was prepared and the page number.
type appendixPage struct {
	Header   string `json:"header"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	Prepared string `json:"prepared"`
	Page     string `json:"page"` // the page number text, with {nb} for the page count
}

// newAppendixPage writes an appendix's page texts in tx's language.
func newAppendixPage(loc *templates.Locale, tx *templates.Texts, seller, title, subtitle string, created time.Time) appendixPage {
	return appendixPage{
		Header: seller + " · " + tx.T("appendix", nil), Title: title, Subtitle: subtitle,
		Prepared: tx.T("prepared", nil) + " " + loc.Date(compute.DateOf(created.In(helsinki))),
		Page:     tx.T("page", map[string]any{"Page": "{page}", "Pages": "{nb}"}),
	}
}

// start starts an A4 PDF of the appendix in an orientation ("P" or "L"):
// its metadata, its header and footer on every page, and its first page
// with the title and subtitle.
func (p appendixPage) start(orientation, author string, created time.Time) *fpdf.Fpdf {
	pdf := newPDFOriented(orientation, created, author, p.Title)
	setHeaderFooter(pdf, p.Header, p.Prepared, p.Page)
	pdf.AddPage()
	pdf.SetFont(fontFamily, "B", 15)
	pdf.MultiCell(contentWidth(pdf), 7, p.Title, "", "L", false)
	pdf.SetFont(fontFamily, "", 10)
	pdf.MultiCell(contentWidth(pdf), 5, p.Subtitle, "", "L", false)
	pdf.Ln(3)
	return pdf
}

// settleResult is the summary row of the result: the difference between the
// actual cost and what was invoiced, or the surplus.
const settleResult = 2

// settlementKind is what differs between the kinds: their texts' keys.
type settlementKind struct {
	title, payer, invoiced, settlement, rules, sheet string
}

var settlementKinds = map[string]settlementKind{
	SettlementCostShare: {title: "settle_title_settlement", payer: "col_municipality", invoiced: "settle_col_invoiced",
		settlement: "settle_col_settlement", rules: "settle_rules_settlement", sheet: "settle_sheet_settlement"},
	SettlementSurplus: {title: "settle_title_surplus", payer: "fee_col_subscriber", invoiced: "settle_col_fees",
		settlement: "settle_col_returned", rules: "settle_rules_surplus", sheet: "settle_sheet_surplus"},
}

// settlementTotals are the sums of the table's columns and the documents.
type settlementTotals struct {
	invoiced, corrections, final, settlement compute.Money
	toPay, refunded                          compute.Money // the positive and the negative settlements
	invoices, credits                        int64         // their documents
}

// net is what the payer was invoiced for the period net of corrections.
func (r *SettlementRow) net() compute.Money { return r.Invoiced + r.Corrections }

// check verifies that a row's settlement is its final share minus what was
// invoiced, and that it has a document exactly when it is not zero.
func (r *SettlementRow) check(kind string) error {
	switch {
	case r.Settlement != r.Final-r.Invoiced-r.Corrections:
		return fmt.Errorf("payer %s: settlement %s is not final share %s − invoiced %s − corrections %s",
			r.Payer, r.Settlement, r.Final, r.Invoiced, r.Corrections)
	case r.Settlement != 0 && r.Document == "":
		return fmt.Errorf("payer %s: settlement %s has no document number", r.Payer, r.Settlement)
	case r.Settlement == 0 && r.Document != "":
		return fmt.Errorf("payer %s: document %s for a settlement of 0", r.Payer, r.Document)
	case kind == SettlementSurplus && r.Settlement > 0:
		return fmt.Errorf("payer %s: surplus return %s is positive; a surplus is only credited", r.Payer, r.Settlement)
	}
	return nil
}

// check verifies the appendix's figures and sums its columns: money in
// integer cents, so the totals row is exact.
func (a *SettlementAppendix) check() (settlementTotals, error) {
	var t settlementTotals
	if _, ok := settlementKinds[a.Kind]; !ok {
		return t, fmt.Errorf("unknown settlement kind %q; expected %q or %q", a.Kind, SettlementCostShare, SettlementSurplus)
	}
	if a.From.IsZero() || a.To.Before(a.From) {
		return t, fmt.Errorf("period %s–%s is empty", a.From, a.To)
	}
	documents := map[string]string{}
	for i := range a.Rows {
		r := &a.Rows[i]
		if err := r.check(a.Kind); err != nil {
			return t, err
		}
		if r.Document != "" {
			if other, ok := documents[r.Document]; ok {
				return t, fmt.Errorf("payers %s and %s: the same document number %s", other, r.Payer, r.Document)
			}
			documents[r.Document] = r.Payer
		}
		t.invoiced += r.Invoiced
		t.corrections += r.Corrections
		t.final += r.Final
		t.settlement += r.Settlement
		switch {
		case r.Settlement > 0:
			t.toPay += r.Settlement
			t.invoices++
		case r.Settlement < 0:
			t.refunded += r.Settlement
			t.credits++
		}
	}
	if t.final != a.ActualCost {
		return t, fmt.Errorf("the final shares sum to %s, not to the actual cost %s", t.final, a.ActualCost)
	}
	return t, nil
}

// layout computes the settlement appendix's texts in its language.
func (a *SettlementAppendix) layout() (*settlementAppendixLayout, error) {
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	sum, err := a.check()
	if err != nil {
		return nil, err
	}
	kind := settlementKinds[a.Kind]
	tx := loc.Texts()
	period := loc.Period(a.From, a.To)
	l := &settlementAppendixLayout{appendixPage: newAppendixPage(loc, tx, a.Seller,
		tx.T(kind.title, map[string]string{"Period": period}), a.SchemeName, a.Created)}
	l.book.sheet, l.book.inputs = tx.T(kind.sheet, nil), tx.T("sheet_inputs", nil)
	l.book.period, l.book.periodValue = tx.T("period", nil), period
	l.book.file, l.book.sha256 = tx.T("file", nil), tx.T("sha256", nil)

	invoicedNet := sum.invoiced + sum.corrections
	credits := map[string]int64{"Count": sum.credits}
	add := func(label string, m compute.Money) {
		l.Summary = append(l.Summary, [2]string{label, loc.Money(m)})
		l.amounts = append(l.amounts, m)
	}
	add(tx.T("settle_actual_cost", nil), a.ActualCost)
	if a.Kind == SettlementSurplus {
		add(tx.T("settle_fees_net", nil), invoicedNet)
		add(tx.T("settle_surplus", nil), -sum.settlement)
		add(tx.T("settle_credit_notes", credits), sum.refunded)
	} else {
		add(tx.T("settle_invoiced_net", nil), invoicedNet)
		add(tx.T("settle_difference", nil), sum.settlement)
		add(tx.T("settle_invoices", map[string]int64{"Count": sum.invoices}), sum.toPay)
		add(tx.T("settle_credit_notes", credits), sum.refunded)
	}

	t := table{
		Header: []string{tx.T(kind.payer, nil), tx.T(kind.invoiced, nil), tx.T("settle_col_corrections", nil),
			tx.T("settle_col_net", nil), tx.T("settle_col_final", nil), tx.T(kind.settlement, nil),
			tx.T("settle_col_document", nil)},
		Numeric: []bool{false, true, true, true, true, true, false},
	}
	for _, r := range a.Rows {
		t.Rows = append(t.Rows, []string{r.Payer, loc.Amount(r.Invoiced), loc.Amount(r.Corrections),
			loc.Amount(r.net()), loc.Amount(r.Final), loc.Amount(r.Settlement), r.Document})
	}
	t.Total = []string{tx.T("total", nil), loc.Amount(sum.invoiced), loc.Amount(sum.corrections),
		loc.Amount(invoicedNet), loc.Amount(sum.final), loc.Amount(sum.settlement), ""}
	l.Table = t
	l.Rules = tx.T(kind.rules, nil)
	l.Inputs = inputTable(tx, a.Inputs)
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// inputTable lists the input files under their roles' names: a role may name
// its source after a colon ("activities:puhelin").
func inputTable(tx *templates.Texts, inputs []Input) table {
	t := table{Title: tx.T("inputs", nil), Header: []string{"", "", "SHA-256"}, Numeric: []bool{false, false, false}}
	for _, in := range inputs {
		role, source, _ := strings.Cut(in.Role, ":")
		label := tx.T("input_"+role, nil)
		if source != "" {
			label += " (" + source + ")"
		}
		t.Rows = append(t.Rows, []string{label, in.Path, in.SHA256})
	}
	return t
}

// SettlementAppendixPDF renders the settlement appendix as an A4 landscape
// PDF, like the fee appendix.
func SettlementAppendixPDF(a *SettlementAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("settlement appendix: %w", err)
	}
	pdf := l.start("L", a.Seller, a.Created)
	drawSummary(pdf, l.Summary, settleResult)
	pdf.Ln(4)
	drawTable(pdf, l.Table)
	drawSmallPrint(pdf, l.Rules)
	drawInputs(pdf, l.Inputs)
	return output(pdf)
}

// drawSummary prints label–value pairs in two columns, the values
// right-aligned, the row bold in bold type: the label column is as wide as
// the widest label.
func drawSummary(pdf *fpdf.Fpdf, rows [][2]string, bold int) {
	labelW, valueW := 0.0, 35.0
	pdf.SetFont(fontFamily, "B", 9.5)
	for _, kv := range rows {
		labelW = max(labelW, pdf.GetStringWidth(kv[0])+6)
		valueW = max(valueW, pdf.GetStringWidth(kv[1])+3)
	}
	for i, kv := range rows {
		style, border := "", ""
		if i == bold {
			style, border = "B", "T"
		}
		pdf.SetFont(fontFamily, style, 9.5)
		pdf.CellFormat(labelW, rowH, kv[0], border, 0, "L", false, 0, "")
		pdf.CellFormat(valueW, rowH, kv[1], border, 1, "R", false, 0, "")
	}
}

// drawSmallPrint prints a paragraph (the rules) in small grey type under
// what is above it.
func drawSmallPrint(pdf *fpdf.Fpdf, text string) {
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 7.5)
	pdf.SetTextColor(60, 60, 60)
	pdf.MultiCell(contentWidth(pdf), 3.6, text, "", "L", false)
	pdf.SetTextColor(0, 0, 0)
}

// SettlementAppendixXLSX renders the settlement appendix as a workbook: the
// table as real numbers with number formats and a totals row of SUM
// formulas, and a sheet of the summary and the inputs. The same appendix
// gives the same bytes. (Amounts have two decimals and are far below 2^53
// cents, so the format's binary floating point shows them exactly.)
func SettlementAppendixXLSX(a *SettlementAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("settlement appendix: %w", err)
	}
	b := l.book
	f, st, err := newWorkbook(l.Title, a.Lang, a.Created, b.sheet, b.inputs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := writeRows(f, b.sheet, []float64{34, 16, 16, 18, 18, 16, 22}, settlementRows(a, l, st), settleHeaderRow); err != nil {
		return nil, fmt.Errorf("settlement appendix workbook: %w", err)
	}

	// The summary and the inputs.
	rows := [][]any{{excelize.Cell{StyleID: st.title, Value: l.Title}}, {l.Subtitle}, {},
		{b.period, b.periodValue}}
	for i, kv := range l.Summary {
		label, style := any(kv[0]), st.money
		if i == settleResult {
			label, style = excelize.Cell{StyleID: st.bold, Value: kv[0]}, st.boldMoney
		}
		rows = append(rows, []any{label, excelize.Cell{StyleID: style, Value: euros(l.amounts[i])}})
	}
	rows = append(rows, []any{}, []any{excelize.Cell{StyleID: st.header, Value: l.Inputs.Title},
		excelize.Cell{StyleID: st.header, Value: b.file}, excelize.Cell{StyleID: st.header, Value: b.sha256}})
	for _, in := range l.Inputs.Rows {
		rows = append(rows, []any{in[0], in[1], in[2]})
	}
	rows = append(rows, []any{}, []any{l.Rules})
	if err := writeRows(f, b.inputs, []float64{52, 60, 68}, rows, 0); err != nil {
		return nil, fmt.Errorf("settlement appendix workbook: %w", err)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		return nil, fmt.Errorf("settlement appendix workbook: %w", err)
	}
	return canonicalZip(out.Bytes())
}

// The settlement sheet's table: its header's row and its first row of
// payers; the money columns are B to F.
const (
	settleHeaderRow = 4
	settleFirstRow  = 5
)

// settlementRows are the settlement sheet's rows: the title, the table with
// a totals row of SUM formulas, and the rules.
func settlementRows(a *SettlementAppendix, l *settlementAppendixLayout, st *styles) [][]any {
	money := func(m compute.Money) excelize.Cell { return excelize.Cell{StyleID: st.money, Value: euros(m)} }
	header := make([]any, len(l.Table.Header))
	for i, h := range l.Table.Header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	rows := [][]any{{excelize.Cell{StyleID: st.title, Value: l.Title}}, {l.Subtitle}, {}, header}
	for _, r := range a.Rows {
		rows = append(rows, []any{r.Payer, money(r.Invoiced), money(r.Corrections), money(r.net()),
			money(r.Final), money(r.Settlement), r.Document})
	}
	last := settleFirstRow + len(a.Rows) - 1
	total := []any{excelize.Cell{StyleID: st.bold, Value: l.Table.Total[0]}}
	for c := 2; c <= 6; c++ {
		col, _ := excelize.ColumnNumberToName(c)
		formula := fmt.Sprintf("SUM(%s%d:%s%d)", col, settleFirstRow, col, last)
		if len(a.Rows) == 0 {
			formula = "0"
		}
		total = append(total, excelize.Cell{StyleID: st.boldMoney, Formula: formula})
	}
	return append(rows, total, []any{}, []any{l.Rules})
}

// writeRows writes rows to sheet from A1 down, the columns from A as wide as
// widths; the row tall (1-based; 0 for none) is two lines high, for wrapped
// headers.
func writeRows(f *excelize.File, sheet string, widths []float64, rows [][]any, tall int) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	for i, r := range rows {
		var opts []excelize.RowOpts
		if i+1 == tall {
			opts = append(opts, excelize.RowOpts{Height: 30})
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r, opts...); err != nil {
			return err
		}
	}
	return sw.Flush()
}
