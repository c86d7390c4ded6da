package report

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/boombuler/barcode/code128"
	"github.com/go-pdf/fpdf"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
	qrencoder "github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// The invoice's page regions, in mm from the top left of an A4 page.
const (
	invLeft    = 20.0  // the left edge of text, as the window envelope's window
	invRight   = 190.0 // the right edge of text
	windowTop  = 45.0  // the address window of a C5/E65 envelope: 20 mm from the left, 45 mm from the top
	windowW    = 85.0
	dataLeft   = 115.0 // the invoice data block
	linesTop   = 92.0
	slipTop    = pageH - 101.6 // the payment slip: the bottom third of the page (SFS 2487)
	slipLabelH = 3.2
	// The bank barcode: 0.27 mm modules give 332 × 0.27 = 89.6 mm, with 10
	// modules of quiet zone on each side 95 mm (at most 105 mm), 13 mm high
	// (at least 10 mm).
	barModule = 0.27
	barHeight = 13.0
	barQuiet  = 10
)

// InvoicePDF renders an invoice or a credit note as an A4 PDF: the same
// invoice gives the same bytes.
func InvoicePDF(inv *Invoice) ([]byte, error) {
	l, err := inv.layout()
	if err != nil {
		return nil, err
	}
	pdf := newPDF(inv.Created, inv.Seller.Name, l.Title+" "+inv.Number)
	pdf.SetMargins(invLeft, 15, pageW-invRight)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	drawInvoiceHead(pdf, l)
	drawAddress(pdf, l.Buyer)
	drawInvoiceData(pdf, l.Data)
	bottom := pageH - 22.0 // where the footer starts
	if l.Slip != nil {
		bottom = slipTop - 16
	}
	y, err := drawInvoiceLines(pdf, l, bottom)
	if err != nil {
		return nil, err
	}
	y = drawInvoiceTotals(pdf, l, y, bottom)
	drawNotes(pdf, l.Notes, y, bottom)
	drawFooter(pdf, l.Footer, bottom+2)
	if l.Slip != nil {
		if err := drawSlip(pdf, l.Slip); err != nil {
			return nil, err
		}
	}
	return output(pdf)
}

// drawInvoiceHead is the sender block and the title with the page number.
func drawInvoiceHead(pdf *fpdf.Fpdf, l *invoiceLayout) {
	pdf.SetXY(invLeft, 15)
	for i, s := range l.Seller {
		style := ""
		if i == 0 {
			style = "B"
		}
		pdf.SetFont(fontFamily, style, 9)
		pdf.CellFormat(90, 4.2, s, "", 2, "L", false, 0, "")
	}
	pdf.SetFont(fontFamily, "B", 16)
	pdf.SetXY(dataLeft, 14)
	pdf.CellFormat(55, 8, l.Title, "", 0, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 9)
	pdf.CellFormat(invRight-dataLeft-55, 8, strings.Replace(l.Page, "{page}", "1", 1), "", 0, "R", false, 0, "")
}

// drawAddress writes the buyer's address where the envelope's window shows it.
func drawAddress(pdf *fpdf.Fpdf, lines []string) {
	pdf.SetXY(invLeft, windowTop)
	for i, s := range lines {
		style := ""
		if i == 0 {
			style = "B"
		}
		pdf.SetFont(fontFamily, style, 10.5)
		pdf.CellFormat(windowW, 5, s, "", 2, "L", false, 0, "")
	}
}

// drawInvoiceData is the block of invoice data: number, dates, terms,
// references.
func drawInvoiceData(pdf *fpdf.Fpdf, data [][2]string) {
	y := 30.0
	for _, kv := range data {
		pdf.SetXY(dataLeft, y)
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(33, 4.6, kv[0], "", 0, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont(fontFamily, "", 9)
		pdf.CellFormat(invRight-dataLeft-33, 4.6, kv[1], "", 0, "L", false, 0, "")
		y += 4.6
	}
}

// drawInvoiceLines is the table of lines, each with its basis under the
// description. It returns where it ended.
func drawInvoiceLines(pdf *fpdf.Fpdf, l *invoiceLayout, bottom float64) (float64, error) {
	w := []float64{0, 14, 14, 24, 16, 32}
	used := 0.0
	for _, x := range w[1:] {
		used += x
	}
	w[0] = invRight - invLeft - used
	y := linesTop
	if l.Service != "" {
		pdf.SetFont(fontFamily, "B", 10)
		pdf.SetXY(invLeft, y-6.5)
		fitText(pdf, invRight-invLeft, 5, "B", 10, l.Service, "L")
	}
	pdf.SetFillColor(226, 232, 240)
	pdf.Rect(invLeft, y, invRight-invLeft, 6, "F")
	pdf.SetFont(fontFamily, "B", 8)
	x := invLeft
	for i, h := range l.Lines.Header {
		pdf.SetXY(x, y)
		pdf.CellFormat(w[i], 6, h, "", 0, align(l.Lines.Numeric[i]), false, 0, "")
		x += w[i]
	}
	y += 7
	for r, row := range l.Lines.Rows {
		basis := splitText(pdf, l.Bases[r], w[0]-2)
		need := 5 + 3.6*float64(len(basis)) + 1.5
		if y+need > bottom {
			return 0, fmt.Errorf("invoice: %d lines do not fit on the first page", len(l.Lines.Rows))
		}
		x := invLeft
		pdf.SetFont(fontFamily, "", 9)
		for i, c := range row {
			pdf.SetXY(x, y)
			pdf.CellFormat(w[i], 5, c, "", 0, align(l.Lines.Numeric[i]), false, 0, "")
			x += w[i]
		}
		pdf.SetFont(fontFamily, "", 7.5)
		pdf.SetTextColor(80, 80, 80)
		for k, b := range basis {
			pdf.SetXY(invLeft, y+5+3.6*float64(k))
			pdf.CellFormat(w[0], 3.6, b, "", 0, "L", false, 0, "")
		}
		pdf.SetTextColor(0, 0, 0)
		y += need
		pdf.SetDrawColor(200, 200, 200)
		pdf.Line(invLeft, y-0.7, invRight, y-0.7)
	}
	pdf.SetDrawColor(0, 0, 0)
	return y + 2, nil
}

func align(numeric bool) string {
	if numeric {
		return "R"
	}
	return "L"
}

// drawInvoiceTotals is the VAT per rate on the left and the totals on the
// right. It returns where it ended.
func drawInvoiceTotals(pdf *fpdf.Fpdf, l *invoiceLayout, y, bottom float64) float64 {
	top := y
	pdf.SetFont(fontFamily, "B", 8)
	w := []float64{18, 28, 24}
	x := invLeft
	for i, h := range l.VAT.Header {
		pdf.SetXY(x, y)
		pdf.CellFormat(w[i], 4.6, h, "B", 0, "R", false, 0, "")
		x += w[i]
	}
	y += 5
	pdf.SetFont(fontFamily, "", 8.5)
	for _, row := range l.VAT.Rows {
		x := invLeft
		for i, c := range row {
			pdf.SetXY(x, y)
			pdf.CellFormat(w[i], 4.6, c, "", 0, "R", false, 0, "")
			x += w[i]
		}
		y += 4.6
	}
	ty := top
	for i, kv := range l.Totals {
		style, size := "", 9.0
		if i == len(l.Totals)-1 {
			style, size = "B", 10.5
			pdf.Line(dataLeft, ty+0.3, invRight, ty+0.3)
			ty += 0.8
		}
		pdf.SetFont(fontFamily, style, size)
		pdf.SetXY(dataLeft, ty)
		pdf.CellFormat(45, 5.2, kv[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(invRight-dataLeft-45, 5.2, kv[1], "", 0, "R", false, 0, "")
		ty += 5.2
	}
	return max(y, ty) + 3
}

// drawNotes writes the VAT ground, the penalty interest or the credit's
// reason.
func drawNotes(pdf *fpdf.Fpdf, notes []string, y, bottom float64) {
	pdf.SetFont(fontFamily, "", 8.5)
	for _, n := range notes {
		pdf.SetXY(invLeft, y)
		pdf.MultiCell(invRight-invLeft, 4.2, n, "", "L", false)
		y = pdf.GetY() + 0.5
	}
}

// drawFooter is the seller's details in columns above the slip (or at the
// foot of a credit note), each column as wide as its longest line.
func drawFooter(pdf *fpdf.Fpdf, cols [][]string, y float64) {
	pdf.SetDrawColor(160, 160, 160)
	pdf.Line(invLeft, y-1.5, invRight, y-1.5)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFont(fontFamily, "", 7)
	pdf.SetTextColor(70, 70, 70)
	var used [][]string
	var widths []float64
	total := 0.0
	for _, c := range cols {
		if len(c) == 0 {
			continue
		}
		w := 0.0
		for _, s := range c {
			w = max(w, pdf.GetStringWidth(s))
		}
		used = append(used, c)
		widths = append(widths, w+4)
		total += w + 4
	}
	size := 7.0
	if total > invRight-invLeft { // shrink the type rather than overlap
		size *= (invRight - invLeft) / total
		for i := range widths {
			widths[i] *= (invRight - invLeft) / total
		}
	}
	pdf.SetFont(fontFamily, "", size)
	x := invLeft
	for i, c := range used {
		for k, s := range c {
			pdf.SetXY(x, y+float64(k)*3.2)
			pdf.CellFormat(widths[i], 3.2, s, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	pdf.SetTextColor(0, 0, 0)
}

// fitText writes text in a cell of width w, in a smaller type (down to 6.5
// points) when it does not fit at size.
func fitText(pdf *fpdf.Fpdf, w, h float64, style string, size float64, text, alignStr string) {
	pdf.SetFont(fontFamily, style, size)
	for size > 6.5 && pdf.GetStringWidth(text) > w-1 {
		size -= 0.5
		pdf.SetFont(fontFamily, style, size)
	}
	pdf.CellFormat(w, h, text, "", 0, alignStr, false, 0, "")
}

// drawSlip is the payment slip (tilisiirto) across the bottom of page 1: the
// recipient's account and name, the payer, the reference, the due date, the
// amount, the virtual barcode and the bank barcode.
func drawSlip(pdf *fpdf.Fpdf, s *slipLayout) error {
	top := slipTop
	mid := 105.0 // the slip's two halves
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{1.2, 1}, 0)
	pdf.Line(0, top, pageW, top)
	pdf.SetDashPattern([]float64{}, 0)
	label := func(x, y float64, text string) {
		pdf.SetFont(fontFamily, "", 6.5)
		pdf.SetXY(x+1, y+0.6)
		pdf.CellFormat(mid-x, slipLabelH, text, "", 0, "L", false, 0, "")
	}
	// lines writes ss under a box's label, 4.4 mm apart or closer when
	// that would not fit in the box's height h: a two-line recipient must
	// not run into the payer's box below it.
	lines := func(x, y, h float64, size float64, ss []string) {
		step := 4.4
		if n := float64(len(ss)); n > 0 && slipLabelH+1+n*step > h-0.3 {
			step = (h - 0.3 - slipLabelH - 1) / n
		}
		for k, v := range ss {
			pdf.SetXY(x+1, y+slipLabelH+1+float64(k)*step)
			fitText(pdf, mid-x-2, step, "", size, v, "L")
		}
	}
	// Left: the recipient's account and name, then the payer. Right, beside
	// the payer: the reference, the due date and the amount.
	left, end := invLeft-5, pageW-10
	r1, r2, r3 := top+3, top+17, top+29
	bottom := r3 + 36
	pdf.Line(left, r1, left, bottom)
	label(left, r1, s.IBANLabel)
	lines(left, r1, r2-r1, 10, s.IBAN)
	pdf.Line(left, r2, mid, r2)
	label(left, r2, s.RecipientLabel)
	lines(left, r2, r3-r2, 9.5, s.Recipient)
	pdf.Line(left, r3, end, r3)
	label(left, r3, s.PayerLabel)
	lines(left, r3, bottom-r3, 9.5, s.Payer)
	pdf.Line(mid, r1, mid, bottom)
	right := func(y float64, lab, val string) {
		pdf.Line(mid, y, end, y)
		pdf.SetFont(fontFamily, "", 6.5)
		pdf.SetXY(mid+1, y+0.6)
		pdf.CellFormat(40, slipLabelH, lab, "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "B", 10.5)
		pdf.SetXY(mid+1, y+slipLabelH+2)
		pdf.CellFormat(end-mid-3, 5, val, "", 0, "R", false, 0, "")
	}
	right(r3, s.ReferenceLabel, s.Reference)
	right(r3+12, s.DueLabel, s.Due)
	right(r3+24, s.AmountLabel, s.Amount)
	pdf.Line(left, bottom, end, bottom)
	pdf.Line(end, r3, end, bottom)
	if s.QR != "" {
		// The EPC QR code in the slip's empty top right corner, beside the
		// recipient: a phone's banking app reads the payment from it.
		if err := drawQR(pdf, s.QR, end-qrSize-1, r1+(r3-r1-qrSize)/2); err != nil {
			return err
		}
	}

	// The virtual barcode in words on the right, the bars below the slip on
	// the left, with no text above or below them.
	if s.Barcode == "" {
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetXY(left, bottom+3)
		pdf.MultiCell(end-left, 4, s.NoBarcode, "", "L", false)
		return nil
	}
	pdf.SetFont(fontFamily, "", 6.5)
	pdf.SetXY(mid+4, bottom+3)
	pdf.CellFormat(end-mid-4, 3.4, s.VirtualLabel, "", 2, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 7.5)
	pdf.CellFormat(end-mid-4, 3.6, s.Barcode, "", 2, "L", false, 0, "")
	return drawBarcode(pdf, s.Barcode, left+barQuiet*barModule, bottom+4)
}

// drawBarcode draws the Code 128 symbol of digits as vector bars: character
// set C, start, 27 digit pairs, check and stop, 332 modules.
// qrSize is the EPC QR code's side in mm, quiet zone excluded.
const qrSize = 24.0

// drawQR draws the EPC QR code text (error correction M) as a square of
// qrSize at x, y.
//
// The symbol comes from gozxing, the Go port of ZXing's encoder: it picks
// the version and the mask the way the standard says, and is four to five
// times faster than boombuler/barcode's QR encoder, whose mask scoring was
// a quarter of the time of rendering an invoice. EPC QR text is UTF-8 in
// byte mode without an ECI header, as banking apps read it: gozxing's
// default when no character set is named (TestInvoiceBarcodeDecodes reads
// a name with Å, Ä and – back).
func drawQR(pdf *fpdf.Fpdf, text string, x, y float64) error {
	code, err := qrencoder.Encoder_encodeWithoutHint(text, qrdecoder.ErrorCorrectionLevel_M)
	if err != nil {
		return fmt.Errorf("EPC QR code: %w", err)
	}
	m := code.GetMatrix()
	n := m.GetWidth()
	module := qrSize / float64(n)
	pdf.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if m.Get(col, row) != 1 {
				col++
				continue
			}
			start := col
			for col < n && m.Get(col, row) == 1 {
				col++
			}
			pdf.Rect(x+float64(start)*module, y+float64(row)*module, float64(col-start)*module, module, "F")
		}
	}
	return nil
}

func drawBarcode(pdf *fpdf.Fpdf, digits string, x, y float64) error {
	bc, err := code128.Encode(digits)
	if err != nil {
		return fmt.Errorf("bank barcode: %w", err)
	}
	modules := bc.Bounds().Dx()
	if modules != 332 {
		return fmt.Errorf("bank barcode of %q has %d modules, want 332 (character set C)", digits, modules)
	}
	pdf.SetFillColor(0, 0, 0)
	for m := 0; m < modules; {
		if !isBar(bc.At(m, 0)) {
			m++
			continue
		}
		start := m
		for m < modules && isBar(bc.At(m, 0)) {
			m++
		}
		pdf.Rect(x+float64(start)*barModule, y, float64(m-start)*barModule, barHeight, "F")
	}
	return nil
}

func isBar(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

// splitText wraps s into lines of at most width w in the current font,
// breaking at ASCII spaces only. fpdf's SplitText also breaks at a
// no-break space, which would part a number from its thousands
// ("1 928,27 €" must stay whole). A word wider than w gets a line of its own.
func splitText(pdf *fpdf.Fpdf, s string, w float64) []string {
	if s == "" {
		return nil
	}
	max := w - 2*pdf.GetCellMargin()
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Split(para, " ") {
			switch {
			case cur == "":
				cur = word
			case pdf.GetStringWidth(cur+" "+word) <= max:
				cur += " " + word
			default:
				lines = append(lines, cur)
				cur = word
			}
		}
		lines = append(lines, cur)
	}
	return lines
}
