package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// FeeAppendix is the summary of a per-resident fee run (SPEC 1.2, 4.2): what
// each subscriber was invoiced for the cycle and from what.
type FeeAppendix struct {
	Lang       string // "fi", "sv" or "en"
	SchemeName string
	Seller     string
	From, To   compute.Date // the cycle (a year, a quarter or a month)
	Created    time.Time    // the run's time: the PDF's creation date
	// Rate is the usage fee in euros per resident per year, e.g. 0.058.
	Rate decimal.Decimal
	// PopulationDate is the residents' date: 31.12. of the year before.
	PopulationDate compute.Date
	Rows           []FeeRow
	Inputs         []Input
}

// FeeRow is one subscriber's part of the run. Its amounts must add up as its
// invoice's do: Net = Fee + HoursNet + Other and Total = Net + VAT.
type FeeRow struct {
	Subscriber string   // name
	Members    []string // member municipalities' names; empty for a municipality
	Population int64    // residents (all ages) on PopulationDate, summed over members
	Months     int      // months of the year billed (pro rata when < 12)
	YearFee    compute.Money
	Fee        compute.Money   // this cycle's instalment of YearFee
	Hours      decimal.Decimal // hours of work billed in the cycle
	HoursNet   compute.Money   // their net amount
	Other      compute.Money   // manual lines' net
	// Net, VAT and Total are those of the subscriber's invoice.
	Net, VAT, Total compute.Money
	Invoice         string // its number
}

// feeAppendixLayout is the fee appendix's layout model: every text it
// prints, in order, with no fonts or coordinates.
type feeAppendixLayout struct {
	Header   string      `json:"header"`   // top of every page
	Title    string      `json:"title"`    // e.g. "Käyttömaksut 1.1.–31.12.2023"
	Subtitle string      `json:"subtitle"` // the service
	Summary  [][2]string `json:"summary"`  // label, value
	Basis    []string    `json:"basis"`    // whose residents, when
	Table    table       `json:"table"`    // members in Table.Notes
	Rules    string      `json:"rules"`
	Inputs   table       `json:"inputs"`
	Prepared string      `json:"prepared"`
	Page     string      `json:"page"` // the page number text, with {nb} for the page count
}

// feeColumns are the number columns of the fee table after the subscriber,
// in order; the invoice number follows them.
const feeColumns = 10

// feeTotals are the sums of the fee table's columns.
type feeTotals struct {
	population                                   int64
	yearFee, fee, hoursNet, other, net, vat, tot compute.Money
	hours                                        decimal.Decimal
}

// check verifies that a row's amounts add up as an invoice's do.
func (r *FeeRow) check() error {
	switch {
	case r.Months < 0 || r.Months > 12:
		return fmt.Errorf("subscriber %s: %d billed months; expected 0 to 12", r.Subscriber, r.Months)
	case r.Fee+r.HoursNet+r.Other != r.Net:
		return fmt.Errorf("subscriber %s: net %s is not fee %s + hourly work %s + other lines %s",
			r.Subscriber, r.Net, r.Fee, r.HoursNet, r.Other)
	case r.Net+r.VAT != r.Total:
		return fmt.Errorf("subscriber %s: total %s is not net %s + VAT %s", r.Subscriber, r.Total, r.Net, r.VAT)
	}
	return nil
}

// totals sums the rows: money in integer cents, so the totals row is exact.
func (a *FeeAppendix) totals() feeTotals {
	var t feeTotals
	for _, r := range a.Rows {
		t.population += r.Population
		t.yearFee += r.YearFee
		t.fee += r.Fee
		t.hours = t.hours.Add(r.Hours)
		t.hoursNet += r.HoursNet
		t.other += r.Other
		t.net += r.Net
		t.vat += r.VAT
		t.tot += r.Total
	}
	return t
}

// ratePlaces is the number of decimals the rate is shown with: as many as it
// has, at least two (0.058 → 3).
func ratePlaces(rate decimal.Decimal) int32 {
	places := int32(2)
	if _, frac, ok := strings.Cut(rate.String(), "."); ok {
		places = max(places, int32(len(frac)))
	}
	return places
}

// layout computes the fee appendix's texts in its language.
func (a *FeeAppendix) layout() (*feeAppendixLayout, error) {
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	if a.Rate.IsNegative() {
		return nil, fmt.Errorf("rate %s € per resident is negative", a.Rate)
	}
	for i := range a.Rows {
		if err := a.Rows[i].check(); err != nil {
			return nil, err
		}
	}
	tx := loc.Texts()
	l := &feeAppendixLayout{Subtitle: a.SchemeName}
	l.Title = tx.T("fee_title", map[string]string{"Period": loc.Period(a.From, a.To)})
	l.Header = a.Seller + " · " + tx.T("appendix", nil)
	l.Page = tx.T("page", map[string]any{"Page": "{page}", "Pages": "{nb}"})
	l.Prepared = tx.T("prepared", nil) + " " + loc.Date(compute.DateOf(a.Created.In(helsinki)))

	sum := a.totals()
	l.Summary = [][2]string{
		{tx.T("fee_rate", nil), tx.T("fee_rate_value", map[string]string{"Rate": loc.Decimal(a.Rate, ratePlaces(a.Rate))})},
		{tx.T("fee_population_date", nil), loc.Date(a.PopulationDate)},
		{tx.T("fee_subscribers", nil), loc.Int(int64(len(a.Rows)))},
		{tx.T("fee_fees_total", nil), loc.Money(sum.fee)},
		{tx.T("fee_invoiced", nil), loc.Money(sum.tot)},
	}
	l.Basis = []string{tx.T("fee_population_basis", map[string]string{"Date": loc.Date(a.PopulationDate)})}

	t := table{
		Header: []string{tx.T("fee_col_subscriber", nil), tx.T("fee_col_population", nil), tx.T("fee_col_months", nil),
			tx.T("fee_col_year_fee", nil), tx.T("fee_col_fee", nil), tx.T("fee_col_hours", nil), tx.T("fee_col_hours_net", nil),
			tx.T("fee_col_other", nil), tx.T("fee_col_net", nil), tx.T("fee_col_vat", nil), tx.T("col_total", nil),
			tx.T("inv_number", nil)},
		Numeric: make([]bool, 2+feeColumns),
	}
	for i := 1; i <= feeColumns; i++ {
		t.Numeric[i] = true
	}
	withMembers := false
	for _, r := range a.Rows {
		t.Rows = append(t.Rows, []string{r.Subscriber, loc.Int(r.Population), loc.Int(int64(r.Months)),
			loc.Amount(r.YearFee), loc.Amount(r.Fee), loc.Decimal(r.Hours, 2), loc.Amount(r.HoursNet),
			loc.Amount(r.Other), loc.Amount(r.Net), loc.Amount(r.VAT), loc.Amount(r.Total), r.Invoice})
		note := ""
		if len(r.Members) > 0 {
			withMembers = true
			note = tx.T("fee_members", map[string]any{"Count": len(r.Members), "Names": strings.Join(r.Members, ", ")})
		}
		t.Notes = append(t.Notes, note)
	}
	if !withMembers {
		t.Notes = nil
	}
	t.Total = []string{tx.T("total", nil), loc.Int(sum.population), "",
		loc.Amount(sum.yearFee), loc.Amount(sum.fee), loc.Decimal(sum.hours, 2), loc.Amount(sum.hoursNet),
		loc.Amount(sum.other), loc.Amount(sum.net), loc.Amount(sum.vat), loc.Amount(sum.tot), ""}
	l.Table = t
	l.Rules = tx.T("fee_rules", nil)

	l.Inputs = table{Title: tx.T("inputs", nil), Header: []string{"", "", "SHA-256"}, Numeric: []bool{false, false, false}}
	for _, in := range a.Inputs {
		role, source, _ := strings.Cut(in.Role, ":")
		label := tx.T("input_"+role, nil)
		if source != "" {
			label += " (" + source + ")"
		}
		l.Inputs.Rows = append(l.Inputs.Rows, []string{label, in.Path, in.SHA256})
	}
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// FeeAppendixPDF renders the fee appendix as an A4 landscape PDF: the table
// has twelve columns, too many for a readable portrait page.
func FeeAppendixPDF(a *FeeAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("fee appendix: %w", err)
	}
	pdf := newPDFOriented("L", a.Created, a.Seller, l.Title)
	setHeaderFooter(pdf, l.Header, l.Prepared, l.Page)
	pdf.AddPage()
	w := contentWidth(pdf)

	pdf.SetFont(fontFamily, "B", 15)
	pdf.MultiCell(w, 7, l.Title, "", "L", false)
	pdf.SetFont(fontFamily, "", 10)
	pdf.MultiCell(w, 5, l.Subtitle, "", "L", false)
	pdf.Ln(3)

	for i, kv := range l.Summary {
		style := ""
		if i == len(l.Summary)-1 { // the total invoiced
			style = "B"
		}
		pdf.SetFont(fontFamily, style, 9.5)
		pdf.CellFormat(75, rowH, kv[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(45, rowH, kv[1], "", 1, "R", false, 0, "")
	}
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 8.5)
	for _, s := range l.Basis {
		pdf.MultiCell(w, 4.2, s, "", "L", false)
	}
	pdf.Ln(3)

	drawTable(pdf, l.Table)
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 7.5)
	pdf.SetTextColor(60, 60, 60)
	pdf.MultiCell(w, 3.6, l.Rules, "", "L", false)
	pdf.SetTextColor(0, 0, 0)

	drawInputs(pdf, l.Inputs)
	return output(pdf)
}

// FeeAppendixXLSX renders the fee appendix as a workbook: the table as real
// numbers with number formats and a totals row of SUM formulas, and a sheet
// of the rate, the residents' date and the inputs. The same appendix gives
// the same bytes. (Amounts have two decimals and are far below 2^53 cents, so
// the format's binary floating point shows them exactly.)
func FeeAppendixXLSX(a *FeeAppendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("fee appendix: %w", err)
	}
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	sheet, inputs, members := tx.T("fee_sheet", nil), tx.T("sheet_inputs", nil), tx.T("fee_col_members", nil)
	if err := tx.Err(); err != nil {
		return nil, err
	}
	f, st, err := newWorkbook(l.Title, a.Lang, a.Created, sheet, inputs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := writeFeeSheet(f, sheet, members, a, l, st); err != nil {
		return nil, fmt.Errorf("fee appendix workbook: %w", err)
	}
	if err := writeFeeInputsSheet(f, inputs, a, l, loc, st); err != nil {
		return nil, fmt.Errorf("fee appendix workbook: %w", err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("fee appendix workbook: %w", err)
	}
	return canonicalZip(b.Bytes())
}

// The fee sheet's columns: the layout's, with the members after the
// subscriber.
const (
	feeColPopulation = 3  // C
	feeColMonths     = 4  // D
	feeColHours      = 7  // G
	feeColInvoice    = 13 // M
	feeFirstRow      = 5
)

func writeFeeSheet(f *excelize.File, sheet, members string, a *FeeAppendix, l *feeAppendixLayout, st *styles) error {
	hours := "0.00"
	hoursStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &hours})
	if err != nil {
		return err
	}
	boldHours, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &hours})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		from, to int
		width    float64
	}{{1, 1, 34}, {2, 2, 48}, {3, 12, 14}, {feeColMonths, feeColMonths, 8}, {feeColInvoice, feeColInvoice, 20}} {
		if err := sw.SetColWidth(c.from, c.to, c.width); err != nil {
			return err
		}
	}
	set := func(row int, cells []any, opts ...excelize.RowOpts) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells, opts...)
	}
	if err := set(1, []any{excelize.Cell{StyleID: st.title, Value: l.Title}}); err != nil {
		return err
	}
	if err := set(2, []any{l.Subtitle}); err != nil {
		return err
	}
	names := append([]string{l.Table.Header[0], members}, l.Table.Header[1:]...)
	header := make([]any, len(names))
	for i, h := range names {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := set(4, header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	money := func(m compute.Money) excelize.Cell { return excelize.Cell{StyleID: st.money, Value: euros(m)} }
	for i, r := range a.Rows {
		cells := []any{
			r.Subscriber,
			strings.Join(r.Members, ", "),
			excelize.Cell{StyleID: st.count, Value: r.Population},
			excelize.Cell{StyleID: st.count, Value: r.Months},
			money(r.YearFee), money(r.Fee),
			excelize.Cell{StyleID: hoursStyle, Value: r.Hours.InexactFloat64()},
			money(r.HoursNet), money(r.Other), money(r.Net), money(r.VAT), money(r.Total),
			r.Invoice,
		}
		if err := set(feeFirstRow+i, cells); err != nil {
			return err
		}
	}
	last := feeFirstRow + len(a.Rows) - 1
	totalRow := last + 1
	total := []any{excelize.Cell{StyleID: st.bold, Value: l.Table.Total[0]}, nil}
	for c := feeColPopulation; c < feeColInvoice; c++ {
		if c == feeColMonths {
			total = append(total, nil)
			continue
		}
		style := st.boldMoney
		switch c {
		case feeColPopulation:
			style = st.boldCount
		case feeColHours:
			style = boldHours
		}
		col, _ := excelize.ColumnNumberToName(c)
		formula := fmt.Sprintf("SUM(%s%d:%s%d)", col, feeFirstRow, col, last)
		if len(a.Rows) == 0 {
			formula = "0"
		}
		total = append(total, excelize.Cell{StyleID: style, Formula: formula})
	}
	if err := set(totalRow, total); err != nil {
		return err
	}
	if err := set(totalRow+2, []any{l.Rules}); err != nil {
		return err
	}
	return sw.Flush()
}

func writeFeeInputsSheet(f *excelize.File, sheet string, a *FeeAppendix, l *feeAppendixLayout, loc *templates.Locale, st *styles) error {
	tx := loc.Texts()
	rateFormat := "0." + strings.Repeat("0", int(ratePlaces(a.Rate)))
	rateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &rateFormat})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for col, w := range []float64{42, 60, 68} {
		if err := sw.SetColWidth(col+1, col+1, w); err != nil {
			return err
		}
	}
	rows := [][]any{
		{excelize.Cell{StyleID: st.title, Value: l.Title}},
		{l.Subtitle},
		{},
		{l.Summary[0][0], excelize.Cell{StyleID: rateStyle, Value: a.Rate.InexactFloat64()}, l.Summary[0][1]},
		{l.Summary[1][0], a.PopulationDate.String()},
		{l.Summary[2][0], excelize.Cell{StyleID: st.count, Value: len(a.Rows)}},
		{tx.T("fee_col_population", nil), l.Basis[0]},
		{},
		{excelize.Cell{StyleID: st.header, Value: tx.T("inputs", nil)}, excelize.Cell{StyleID: st.header, Value: tx.T("file", nil)}, excelize.Cell{StyleID: st.header, Value: tx.T("sha256", nil)}},
	}
	for _, in := range l.Inputs.Rows {
		rows = append(rows, []any{in[0], in[1], in[2]})
	}
	rows = append(rows, []any{}, []any{l.Rules})
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
