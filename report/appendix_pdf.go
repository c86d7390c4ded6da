package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/kuntalasku/kuntalasku/templates"
)

// A4 portrait, millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	contentW     = pageW - 2*margin
	rowH         = 5.2
)

// AppendixPDF renders the appendix as an A4 PDF.
func AppendixPDF(a *Appendix) ([]byte, error) {
	l, err := a.layout()
	if err != nil {
		return nil, fmt.Errorf("appendix: %w", err)
	}
	pdf := newPDF(a.Created, a.Seller, l.Title)
	setHeaderFooter(pdf, l.Header, l.Prepared, l.Page)
	pdf.AddPage()

	pdf.SetFont(fontFamily, "B", 15)
	pdf.MultiCell(contentW, 7, l.Title, "", "L", false)
	pdf.SetFont(fontFamily, "", 10)
	pdf.MultiCell(contentW, 5, l.Subtitle, "", "L", false)
	pdf.Ln(3)

	// The budget and its parts.
	pdf.SetFont(fontFamily, "", 9.5)
	for i, kv := range l.Summary {
		style := ""
		if i == 0 { // the budget
			style = "B"
		}
		pdf.SetFont(fontFamily, style, 9.5)
		pdf.CellFormat(95, rowH, kv[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(35, rowH, kv[1], "", 1, "R", false, 0, "")
	}
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 8.5)
	for _, s := range l.Basis {
		pdf.MultiCell(contentW, 4.2, s, "", "L", false)
	}
	pdf.Ln(3)

	drawTable(pdf, l.Table)
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "", 7.5)
	pdf.SetTextColor(60, 60, 60)
	pdf.MultiCell(contentW, 3.6, l.Rounding, "", "L", false)
	pdf.SetTextColor(0, 0, 0)

	drawChart(pdf, l.Chart)
	for _, t := range []*table{l.Activities, l.Unattributed, l.UnattributedRows} {
		if t != nil {
			drawTitledTable(pdf, *t)
		}
	}
	if l.NoneUnattributed != "" {
		pdf.Ln(2)
		pdf.SetFont(fontFamily, "", 8.5)
		pdf.MultiCell(contentW, 4.2, l.NoneUnattributed, "", "L", false)
	}
	if l.Documents != nil {
		drawTitledTable(pdf, *l.Documents)
	}
	drawInputs(pdf, l.Inputs)
	return output(pdf)
}

// setHeaderFooter prints header at the top of every page, and prepared and
// the page number (page, with {page} for the page's number) at the bottom.
func setHeaderFooter(pdf *fpdf.Fpdf, header, prepared, page string) {
	w, h := contentWidth(pdf), pageHeight(pdf)
	pdf.SetHeaderFunc(func() {
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(margin, 8)
		pdf.CellFormat(w, 4, header, "", 0, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.SetY(margin + 2)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(margin, h-10)
		pdf.CellFormat(w/2, 4, prepared, "", 0, "L", false, 0, "")
		text := strings.Replace(page, "{page}", fmt.Sprint(pdf.PageNo()), 1)
		pdf.CellFormat(w/2, 4, text, "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
}

// landscape reports whether pdf's pages are A4 landscape.
func landscape(pdf *fpdf.Fpdf) bool {
	w, h := pdf.GetPageSize()
	return w > h
}

// pageHeight is the height of pdf's pages: pageH, or pageW in landscape.
func pageHeight(pdf *fpdf.Fpdf) float64 {
	if landscape(pdf) {
		return pageW
	}
	return pageH
}

// contentWidth is the width between the margins: contentW, or wider in
// landscape.
func contentWidth(pdf *fpdf.Fpdf) float64 {
	if landscape(pdf) {
		return pageH - 2*margin
	}
	return contentW
}

// pageBottom is where a page's content ends, above the footer.
func pageBottom(pdf *fpdf.Fpdf) float64 { return pageHeight(pdf) - margin - 8 }

// columnWidths shares the content width between the columns: the first
// (names) gets what the numbers leave.
func columnWidths(pdf *fpdf.Fpdf, t table) []float64 {
	w := make([]float64, len(t.Header))
	var used float64
	for i := 1; i < len(w); i++ {
		need := 0.0
		for _, s := range append([][]string{t.Header, t.Total}, t.Rows...) {
			if i < len(s) {
				need = max(need, pdf.GetStringWidth(s[i]))
			}
		}
		w[i] = need + 3
		used += w[i]
	}
	w[0] = contentWidth(pdf) - used
	return w
}

func drawTable(pdf *fpdf.Fpdf, t table) {
	pdf.SetFont(fontFamily, "B", 8)
	headerW := columnWidths(pdf, t)
	pdf.SetFont(fontFamily, "", 8.5)
	bodyW := columnWidths(pdf, t)
	w := make([]float64, len(headerW))
	// Headers on one line when that leaves the first column room enough;
	// else each column at most 6 mm wider than its values, its header wrapped.
	wide := headerW[0] >= 45
	var extra float64
	for i := 1; i < len(w); i++ {
		w[i] = max(bodyW[i], min(headerW[i], bodyW[i]+6))
		if wide {
			w[i] = max(bodyW[i], headerW[i])
		}
		extra += w[i]
	}
	w[0] = contentWidth(pdf) - extra

	header := func() {
		pdf.SetFont(fontFamily, "B", 8)
		pdf.SetFillColor(226, 232, 240)
		// Headers may wrap: draw each as a two-line cell.
		x, y := pdf.GetXY()
		for i, h := range t.Header {
			align := "L"
			if t.Numeric[i] {
				align = "R"
			}
			pdf.Rect(x, y, w[i], 2*4, "F")
			lines := pdf.SplitText(h, w[i]) // SplitText leaves the cell margins out itself
			top := y
			if len(lines) == 1 {
				top += 2
			}
			for k, line := range lines {
				if k > 1 {
					break
				}
				pdf.SetXY(x, top+float64(k)*4)
				pdf.CellFormat(w[i], 4, line, "", 0, align, false, 0, "")
			}
			x += w[i]
		}
		pdf.SetXY(margin, y+8)
	}
	header()
	pdf.SetFont(fontFamily, "", 8.5)
	for r, row := range t.Rows {
		var note []string
		if r < len(t.Notes) && t.Notes[r] != "" {
			pdf.SetFont(fontFamily, "", noteSize)
			note = pdf.SplitText(t.Notes[r], w[0])
			pdf.SetFont(fontFamily, "", 8.5)
		}
		h := rowH + float64(len(note))*noteH
		if len(note) > 0 {
			h += noteGap
		}
		if pdf.GetY()+h > pageBottom(pdf) {
			pdf.AddPage()
			header()
			pdf.SetFont(fontFamily, "", 8.5)
		}
		fill := r%2 == 1
		if len(note) > 0 {
			drawNotedRow(pdf, t, w, row, note, h, fill)
			continue
		}
		pdf.SetFillColor(246, 247, 249)
		for i, c := range row {
			align := "L"
			if t.Numeric[i] {
				align = "R"
			}
			pdf.CellFormat(w[i], rowH, c, "", 0, align, fill, 0, "")
		}
		pdf.Ln(rowH)
	}
	pdf.SetFont(fontFamily, "B", 8.5)
	pdf.SetDrawColor(0, 0, 0)
	for i, c := range t.Total {
		align := "L"
		if t.Numeric[i] {
			align = "R"
		}
		pdf.CellFormat(w[i], rowH+0.6, c, "T", 0, align, false, 0, "")
	}
	pdf.Ln(rowH + 0.6)
}

// A row's note is printed under its first cell in smaller, grey type.
const (
	noteSize = 7.0
	noteH    = 3.1
	noteGap  = 0.9
)

// drawNotedRow draws a table row of height h whose first cell has a note
// (its lines as SplitText gave them) under it; the values stay on the
// row's first line.
func drawNotedRow(pdf *fpdf.Fpdf, t table, w []float64, row, note []string, h float64, fill bool) {
	x, y := pdf.GetXY()
	if fill {
		pdf.SetFillColor(246, 247, 249)
		pdf.Rect(x, y, contentWidth(pdf), h, "F")
	}
	for i, c := range row {
		align := "L"
		if t.Numeric[i] {
			align = "R"
		}
		pdf.CellFormat(w[i], rowH, c, "", 0, align, false, 0, "")
	}
	pdf.SetFont(fontFamily, "", noteSize)
	pdf.SetTextColor(85, 85, 85)
	for k, line := range note {
		pdf.SetXY(x, y+rowH-0.4+float64(k)*noteH)
		pdf.CellFormat(w[0], noteH, line, "", 0, "L", false, 0, "")
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont(fontFamily, "", 8.5)
	pdf.SetXY(x, y+h)
}

// drawTitledTable draws a table under its title, on a new page unless the
// title, the header and two rows fit on this one.
func drawTitledTable(pdf *fpdf.Fpdf, t table) {
	if pdf.GetY()+6+8+3*rowH > pageBottom(pdf) {
		pdf.AddPage()
	} else {
		pdf.Ln(6)
	}
	pdf.SetFont(fontFamily, "B", 11)
	pdf.CellFormat(contentWidth(pdf), 6, t.Title, "", 1, "L", false, 0, "")
	pdf.Ln(1)
	drawTable(pdf, t)
}

func drawChart(pdf *fpdf.Fpdf, c chart) {
	barH, gap := 3.6, 1.2
	need := 10 + float64(len(c.Bars))*(barH+gap)
	if pdf.GetY()+need > pageBottom(pdf) {
		pdf.AddPage()
	} else {
		pdf.Ln(6)
	}
	pdf.SetFont(fontFamily, "B", 11)
	pdf.CellFormat(contentWidth(pdf), 6, c.Title, "", 1, "L", false, 0, "")
	pdf.Ln(1)
	pdf.SetFont(fontFamily, "", 8)
	labelW, valueW := 38.0, 20.0
	barW := contentWidth(pdf) - labelW - valueW - 2
	pdf.SetFillColor(52, 101, 164)
	for _, b := range c.Bars {
		x, y := pdf.GetXY()
		pdf.CellFormat(labelW, barH+gap, b.Label, "", 0, "L", false, 0, "")
		if b.Permille > 0 {
			pdf.Rect(x+labelW, y+gap/2, barW*float64(b.Permille)/1000, barH, "F")
		}
		pdf.SetXY(x+labelW+barW+2, y)
		pdf.CellFormat(valueW, barH+gap, b.Value, "", 1, "R", false, 0, "")
	}
}

func drawInputs(pdf *fpdf.Fpdf, t table) {
	if pdf.GetY()+12+float64(len(t.Rows))*8 > pageBottom(pdf) {
		pdf.AddPage()
	} else {
		pdf.Ln(6)
	}
	pdf.SetFont(fontFamily, "B", 11)
	pdf.CellFormat(contentWidth(pdf), 6, t.Title, "", 1, "L", false, 0, "")
	// The label column is as wide as the widest label ("Suoritteet
	// (asiakastiedot)"), at least 30 mm.
	pdf.SetFont(fontFamily, "B", 8)
	labelW := 30.0
	for _, row := range t.Rows {
		labelW = max(labelW, pdf.GetStringWidth(row[0])+3)
	}
	labelW = min(labelW, contentWidth(pdf)/2)
	for _, row := range t.Rows {
		pdf.SetFont(fontFamily, "B", 8)
		pdf.CellFormat(labelW, 4, row[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 8)
		pdf.MultiCell(contentWidth(pdf)-labelW, 4, row[1], "", "L", false)
		pdf.SetX(margin + labelW)
		pdf.SetFont(fontFamily, "", 7)
		pdf.SetTextColor(80, 80, 80)
		pdf.CellFormat(contentWidth(pdf)-labelW, 4, t.Header[2]+" "+row[2], "", 1, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
}

// fontFamily is the embedded UTF-8 font of every document.
const fontFamily = "Go"

// newPDF starts an A4 portrait document with the embedded fonts and fixed
// metadata, so that the same inputs give the same bytes.
func newPDF(created time.Time, author, title string) *fpdf.Fpdf {
	return newPDFOriented("P", created, author, title)
}

// newPDFOriented is newPDF in an orientation: "P" (portrait) or "L"
// (landscape).
func newPDFOriented(orientation string, created time.Time, author, title string) *fpdf.Fpdf {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetMargins(margin, margin+2, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetProducer("kuntalasku", true)
	pdf.SetCreator("kuntalasku", true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	pdf.AliasNbPages("{nb}")
	pdf.AddUTF8FontFromBytes(fontFamily, "", templates.FontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", templates.FontBold)
	return pdf
}

func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render PDF: %w", err)
	}
	return b.Bytes(), nil
}
