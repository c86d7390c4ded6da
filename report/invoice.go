package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// Invoice is one invoice or credit note as printed (SPEC 4.1), made from
// computed values: the renderer formats and places them, it decides nothing.
type Invoice struct {
	Lang      string // the payer's language: "fi", "sv" or "en"
	Number    string // "VSA-2021-000123"
	IssueDate compute.Date
	// DueDate and PaymentDays are the terms; a credit note has neither.
	DueDate     compute.Date
	PaymentDays int
	From, To    compute.Date // the billing period
	// Service is what was delivered: the shared service's name in the payer's
	// language, printed above the lines.
	Service string
	Seller  Party
	Buyer   Party
	// BuyerReference is the buyer's own reference ("Viitteenne"), if any.
	BuyerReference string
	Reference      compute.Reference
	Lines          []InvoiceLine
	// VATGround replaces the default ground printed for a 0 % rate (the
	// cooperation between municipalities, KHO:2009:42).
	VATGround string
	// Credit is set on a credit note: the invoice it credits and why.
	Credit *Credit
	// Corrects is set on an invoice of a correction: the invoice it
	// replaces or adds to, and why.
	Corrects *Credit
	// StatedVAT, when set, is the VAT of each rate (by the rate's String)
	// as stated instead of computed: a difference document carries the
	// difference of two documents' VAT, which computing the VAT of the
	// difference could miss by a cent.
	StatedVAT map[string]compute.Money
	Created   time.Time // the run's time: the PDF's creation date
}

// Party is the seller or the buyer. The bank and contact fields are the
// seller's.
type Party struct {
	Name, Unit, Street, Postcode, City string
	BusinessID, VATNumber              string
	EInvoiceAddress, EInvoiceOperator  string
	IBAN, BIC                          string
	ContactName, ContactEmail          string
	ContactPhone                       string
}

// InvoiceLine is one line: quantity × unit price = net, exactly.
type InvoiceLine struct {
	// Kind is what the line bills (LineFee, LineWork…): not printed, kept
	// in the ledger so that a settlement can sum the lines of a kind.
	Kind        string
	Description string // in the payer's language (see CostSharingLines)
	Basis       string // what the amount rests on, printed under the description
	Quantity    decimal.Decimal
	Unit        Unit
	UnitPrice   compute.Money
	VATRate     decimal.Decimal // percent
	Net         compute.Money
}

// The kinds of line (InvoiceLine.Kind).
const (
	LinePopulation = "population" // the population-based part of a cost share
	LineActivities = "activities" // the activity-based part
	LineSettlement = "settlement" // a cost share's year-end settlement
	LineFee        = "fee"        // a per-resident usage fee instalment
	LineWork       = "work"       // hours of work or training
	LineManual     = "manual"     // a manual line (subcontracted work)
	LineSurplus    = "surplus"    // a year's surplus returned
)

// Unit is the unit of a line's quantity.
type Unit string

const (
	UnitLot  Unit = "lot"
	UnitHour Unit = "hour"
)

// Credit is what a credit note credits.
type Credit struct {
	Number string // the credited invoice
	Date   compute.Date
	Reason string
}

// IsCredit reports whether the document is a credit note.
func (inv *Invoice) IsCredit() bool { return inv.Credit != nil }

// Totals are the invoice's sums.
func (inv *Invoice) Totals() (net, vat compute.Money, rows []compute.VATRow, err error) {
	nets := make([]compute.Money, len(inv.Lines))
	rates := make([]decimal.Decimal, len(inv.Lines))
	for i, l := range inv.Lines {
		if got, err := compute.MoneyFromDecimal(l.UnitPrice.Decimal().Mul(l.Quantity)); err != nil || got != l.Net {
			return 0, 0, nil, fmt.Errorf("line %d: %s × %s is not the net %s", i+1, l.Quantity, l.UnitPrice, l.Net)
		}
		nets[i], rates[i] = l.Net, l.VATRate
		net += l.Net
	}
	rows, err = compute.VATBreakdown(nets, rates)
	if err != nil {
		return 0, 0, nil, err
	}
	if inv.StatedVAT != nil {
		stated := 0
		for i := range rows {
			v, ok := inv.StatedVAT[rows[i].Rate.String()]
			if !ok {
				return 0, 0, nil, fmt.Errorf("no VAT is stated for the rate %s %%", rows[i].Rate)
			}
			rows[i].VAT = v
			stated++
		}
		if stated != len(inv.StatedVAT) {
			return 0, 0, nil, fmt.Errorf("VAT is stated for %d rates, the lines have %d", len(inv.StatedVAT), stated)
		}
	}
	for _, r := range rows {
		vat += r.VAT
	}
	return net, vat, rows, nil
}

// CostSharingLines are a payer's two lines of a cost-sharing cycle in its
// language: the population-based and the activity-based part, each a lot at
// its amount, the basis in the description. VAT is rate for both.
func CostSharingLines(lang string, line compute.AllocationLine, alloc compute.Allocation, ageLimit int, from, to compute.Date, rate decimal.Decimal) ([]InvoiceLine, error) {
	loc, err := templates.Lookup(lang)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	period := loc.Period(from, to)
	popShare, err := percentOf(line.Population, alloc.Population)
	if err != nil {
		return nil, err
	}
	popBasis := tx.T("line_basis_population", map[string]any{"Age": ageLimit, "Count": loc.Int(line.Population), "Share": loc.Percent(popShare, 4)})
	var actBasis string
	if alloc.ActivitiesByPopulation {
		actBasis = tx.T("line_basis_by_population", map[string]any{"Share": loc.Percent(popShare, 4)})
	} else {
		actShare, err := percentOf(line.Activities, alloc.Activities)
		if err != nil {
			return nil, err
		}
		actBasis = tx.T("line_basis_activities", map[string]any{"Count": loc.Int(line.Activities), "Share": loc.Percent(actShare, 4)})
	}
	lines := []InvoiceLine{
		{Kind: LinePopulation, Description: tx.T("line_population", map[string]any{"Period": period}), Basis: popBasis,
			Quantity: decimal.NewFromInt(1), Unit: UnitLot, UnitPrice: line.PopulationAmount, VATRate: rate, Net: line.PopulationAmount},
		{Kind: LineActivities, Description: tx.T("line_activity", map[string]any{"Period": period}), Basis: actBasis,
			Quantity: decimal.NewFromInt(1), Unit: UnitLot, UnitPrice: line.ActivityAmount, VATRate: rate, Net: line.ActivityAmount},
	}
	return lines, tx.Err()
}

// invoiceLayout is the invoice's layout model: every text it prints, by
// region, with no fonts or coordinates.
type invoiceLayout struct {
	Title  string      `json:"title"`
	Page   string      `json:"page"`
	Seller []string    `json:"seller"` // the sender block, top left
	Buyer  []string    `json:"buyer"`  // the address, placed for a window envelope
	Data   [][2]string `json:"data"`   // invoice data, label and value
	// Service is the shared service, above the lines.
	Service string      `json:"service,omitempty"`
	Lines   table       `json:"lines"`
	Bases   []string    `json:"bases"` // each line's basis, under its description
	VAT     table       `json:"vat"`
	Totals  [][2]string `json:"totals"`
	Notes   []string    `json:"notes"`
	Footer  [][]string  `json:"footer"` // columns of the seller's details
	Slip    *slipLayout `json:"slip,omitempty"`
}

// slipLayout is the payment slip (tilisiirto) at the bottom of page 1.
type slipLayout struct {
	IBANLabel      string   `json:"iban_label"`
	IBAN           []string `json:"iban"` // grouped IBAN and BIC
	RecipientLabel string   `json:"recipient_label"`
	Recipient      []string `json:"recipient"`
	PayerLabel     string   `json:"payer_label"`
	Payer          []string `json:"payer"`
	ReferenceLabel string   `json:"reference_label"`
	Reference      string   `json:"reference"`
	DueLabel       string   `json:"due_label"`
	Due            string   `json:"due"`
	AmountLabel    string   `json:"amount_label"`
	Amount         string   `json:"amount"`
	// Barcode is the 54 digits the bank barcode encodes; empty when the
	// amount cannot be encoded, and then NoBarcode says why.
	Barcode      string `json:"barcode"`
	NoBarcode    string `json:"no_barcode,omitempty"`
	VirtualLabel string `json:"virtual_label"`
	// QR is the text of the EPC QR code beside the reference; empty when the
	// amount cannot be encoded.
	QR string `json:"qr,omitempty"`
}

// layout computes the invoice's texts in the payer's language.
func (inv *Invoice) layout() (*invoiceLayout, error) {
	loc, err := templates.Lookup(inv.Lang)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	net, vat, vatRows, err := inv.Totals()
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", inv.Number, err)
	}
	total := net + vat
	l := &invoiceLayout{
		Page:    tx.T("page", map[string]any{"Page": "{page}", "Pages": "{nb}"}),
		Seller:  inv.Seller.address(),
		Buyer:   inv.Buyer.address(),
		Service: inv.Service,
	}
	if inv.IsCredit() {
		l.Title = tx.T("credit_title", nil)
	} else {
		l.Title = tx.T("invoice_title", nil)
	}

	// The invoice data block.
	add := func(key, value string) {
		if value != "" {
			l.Data = append(l.Data, [2]string{tx.T(key, nil), value})
		}
	}
	add("inv_number", inv.Number)
	add("inv_date", loc.Date(inv.IssueDate))
	if !inv.IsCredit() {
		add("inv_due", loc.Date(inv.DueDate))
		add("inv_terms", tx.T("inv_terms_days", map[string]any{"Days": inv.PaymentDays}))
	}
	add("inv_period", loc.Period(inv.From, inv.To))
	add("inv_reference", inv.Reference.Grouped())
	add("inv_rf", compute.FormatRF(inv.Reference.RF()))
	add("inv_your_reference", inv.BuyerReference)
	add("inv_business_id", inv.Buyer.BusinessID)
	add("inv_einvoice", inv.Buyer.EInvoiceAddress)
	add("inv_contact", inv.Seller.ContactName)
	if c := inv.Credit; c != nil {
		add("credited_invoice", tx.T("credited_invoice_value", map[string]any{"Number": c.Number, "Date": loc.Date(c.Date)}))
	}
	if c := inv.Corrects; c != nil {
		add("corrects_invoice", tx.T("credited_invoice_value", map[string]any{"Number": c.Number, "Date": loc.Date(c.Date)}))
	}

	// The lines.
	l.Lines = table{
		Header: []string{tx.T("col_description", nil), tx.T("col_quantity", nil), tx.T("col_unit", nil),
			tx.T("col_unit_price", nil), tx.T("col_vat_rate", nil), tx.T("col_net", nil)},
		Numeric: []bool{false, true, false, true, true, true},
	}
	for _, line := range inv.Lines {
		l.Lines.Rows = append(l.Lines.Rows, []string{
			line.Description, quantity(loc, line.Quantity), tx.T("unit_"+string(line.Unit), nil),
			loc.Amount(line.UnitPrice), loc.Decimal(line.VATRate, rateDecimals(line.VATRate)), loc.Amount(line.Net),
		})
		l.Bases = append(l.Bases, line.Basis)
	}

	// VAT per rate, the totals and the notes.
	l.VAT = table{
		Title:   tx.T("vat_title", nil),
		Header:  []string{tx.T("col_vat_rate", nil), tx.T("col_vat_base", nil), tx.T("col_vat_amount", nil)},
		Numeric: []bool{true, true, true},
	}
	exempt := false
	for _, r := range vatRows {
		l.VAT.Rows = append(l.VAT.Rows, []string{loc.Decimal(r.Rate, rateDecimals(r.Rate)), loc.Amount(r.Base), loc.Amount(r.VAT)})
		exempt = exempt || r.Rate.IsZero()
	}
	dueKey := "amount_due"
	if inv.IsCredit() {
		dueKey = "credit_total"
	}
	l.Totals = [][2]string{
		{tx.T("total_net", nil), loc.Money(net)},
		{tx.T("total_vat", nil), loc.Money(vat)},
		{tx.T(dueKey, nil), loc.Money(total)},
	}
	if exempt {
		note := tx.T("vat_exempt", nil)
		if inv.VATGround != "" {
			note = inv.VATGround
		}
		l.Notes = append(l.Notes, note)
	}
	if c := inv.Corrects; c != nil {
		l.Notes = append(l.Notes, tx.T("correction_reason", nil)+": "+c.Reason)
	}
	if c := inv.Credit; c != nil {
		l.Notes = append(l.Notes, tx.T("credit_reason", nil)+": "+c.Reason, tx.T("nothing_to_pay", nil))
	} else {
		l.Notes = append(l.Notes, tx.T("penalty_interest", nil))
	}

	// The seller's details in the footer.
	s := inv.Seller
	l.Footer = [][]string{
		nonEmpty(s.Name, s.Street, strings.TrimSpace(s.Postcode+" "+s.City)),
		{tx.T("inv_business_id", nil) + " " + s.BusinessID, tx.T("inv_vat_number", nil) + " " + s.VATNumber},
		{tx.T("inv_bank", nil), compute.FormatIBAN(s.IBAN), tx.T("bic", nil) + " " + s.BIC},
		nonEmpty(tx.T("inv_einvoice", nil)+" "+s.EInvoiceAddress, tx.T("inv_operator", nil)+" "+s.EInvoiceOperator),
		nonEmpty(s.ContactName, s.ContactEmail, s.ContactPhone),
	}
	if s.EInvoiceAddress == "" {
		l.Footer[3] = nil
	}

	if !inv.IsCredit() {
		l.Slip = &slipLayout{
			IBANLabel: tx.T("slip_iban", nil), IBAN: []string{compute.FormatIBAN(s.IBAN), tx.T("bic", nil) + " " + s.BIC},
			RecipientLabel: tx.T("slip_recipient", nil), Recipient: nonEmpty(s.Name, s.Unit),
			PayerLabel: tx.T("slip_payer", nil), Payer: inv.Buyer.address(),
			ReferenceLabel: tx.T("slip_reference", nil), Reference: inv.Reference.Grouped(),
			DueLabel: tx.T("slip_due", nil), Due: loc.Date(inv.DueDate),
			AmountLabel: tx.T("slip_amount", nil), Amount: loc.Amount(total),
			VirtualLabel: tx.T("virtual_barcode", nil),
		}
		code, err := compute.VirtualBarcode(s.IBAN, total, inv.Reference, false, inv.DueDate)
		switch {
		case err == nil:
			l.Slip.Barcode = code
		case total > compute.MaxBarcodeAmount:
			l.Slip.NoBarcode = tx.T("slip_no_barcode", nil)
		default:
			return nil, fmt.Errorf("invoice %s: bank barcode: %w", inv.Number, err)
		}
		qr, err := compute.EPCQR(s.BIC, s.Name, s.IBAN, total, inv.Reference, inv.DueDate)
		switch {
		case err == nil:
			l.Slip.QR = qr
		case total > compute.MaxEPCAmount || total <= 0:
		default:
			return nil, fmt.Errorf("invoice %s: EPC QR code: %w", inv.Number, err)
		}
	}
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// address is a party's postal address, one line each.
func (p Party) address() []string {
	return nonEmpty(p.Name, p.Unit, p.Street, strings.TrimSpace(p.Postcode+" "+p.City))
}

// nonEmpty drops the empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// quantity writes a quantity with the decimals it has: "1", "7,5", "-1".
func quantity(loc *templates.Locale, q decimal.Decimal) string {
	places := int32(0)
	if e := q.Exponent(); e < 0 && !q.Equal(q.Truncate(0)) {
		places = -e
	}
	return loc.Decimal(q, places)
}

// rateDecimals is how many decimals a VAT rate needs: 24 → 0, 25,5 → 1.
func rateDecimals(r decimal.Decimal) int32 {
	if r.Equal(r.Truncate(0)) {
		return 0
	}
	return 1
}
