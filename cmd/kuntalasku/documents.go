package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/files"
	"github.com/kuntalasku/kuntalasku/output/finvoice"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
)

// document is one invoice or credit note of a run: as printed, as the ledger
// stores it, as the e-invoice carries it and as the manifest lists it, all
// from the same values.
type document struct {
	payer   *PayerConfig
	inv     *report.Invoice
	net     compute.Money
	vat     compute.Money
	vatRows []compute.VATRow
	barcode string // the virtual bank barcode; "" on credit notes and amounts too large for it
	name    string // the files' name without extension: number, payer code and name
	// role and refers are the ledger's Document.Role and Refers.
	role, refers string

	pdf []byte // set by render
	xml []byte
}

// newDocument computes inv's totals and barcode; render makes its files.
func newDocument(p *PayerConfig, inv *report.Invoice) (*document, error) {
	net, vat, rows, err := inv.Totals()
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", inv.Number, err)
	}
	d := &document{payer: p, inv: inv, net: net, vat: vat, vatRows: rows, name: files.Name(inv.Number, p.ID, p.Name)}
	if !inv.IsCredit() {
		if code, err := compute.VirtualBarcode(inv.Seller.IBAN, net+vat, inv.Reference, false, inv.DueDate); err == nil {
			d.barcode = code
		}
	}
	return d, nil
}

// render makes the PDF and the Finvoice message.
func (d *document) render() error {
	pdf, err := report.InvoicePDF(d.inv)
	if err != nil {
		return err
	}
	xml, err := finvoice.Marshal(d.finvoice())
	if err != nil {
		return fmt.Errorf("invoice %s: Finvoice: %w", d.inv.Number, err)
	}
	d.pdf, d.xml = pdf, xml
	return nil
}

// pdfPath and xmlPath are the files' paths relative to the run's folder; the
// Finvoice file's name mirrors the PDF's. einvoicePath is where an
// e-invoice-only payer's message is collected for upload, "" for others.
func (d *document) pdfPath() string { return path.Join("invoices", d.name+".pdf") }
func (d *document) xmlPath() string { return path.Join("invoices", d.name+".xml") }
func (d *document) einvoicePath() string {
	if d.payer.Delivery != DeliveryEInvoice {
		return ""
	}
	return path.Join("einvoices", d.name+".xml")
}

// finvoice is the document as the e-invoice carries it.
func (d *document) finvoice() *finvoice.Invoice {
	inv := d.inv
	f := &finvoice.Invoice{
		Lang: inv.Lang, Number: inv.Number, IssueDate: inv.IssueDate, DueDate: inv.DueDate, PaymentDays: inv.PaymentDays,
		From: inv.From, To: inv.To, Service: inv.Service,
		Seller: finvoiceParty(inv.Seller), Buyer: finvoiceParty(inv.Buyer), BuyerReference: inv.BuyerReference,
		Reference: inv.Reference, IBAN: inv.Seller.IBAN, BIC: inv.Seller.BIC,
		Net: d.net, VAT: d.vat, Total: d.net + d.vat, VATRows: d.vatRows, VirtualBarcode: d.barcode, Created: inv.Created,
		VATGround: inv.VATGround,
	}
	if c := inv.Credit; c != nil {
		f.Credit, f.OriginalNumber, f.OriginalDate, f.CreditReason = true, c.Number, c.Date, c.Reason
	} else if c := inv.Corrects; c != nil {
		f.OriginalNumber, f.OriginalDate, f.CreditReason = c.Number, c.Date, c.Reason
	}
	for _, l := range inv.Lines {
		f.Lines = append(f.Lines, finvoice.Line{
			Description: l.Description, Basis: l.Basis, Quantity: l.Quantity, Unit: string(l.Unit),
			UnitPrice: l.UnitPrice, VATRate: l.VATRate, Net: l.Net,
		})
	}
	return f
}

func finvoiceParty(p report.Party) finvoice.Party {
	return finvoice.Party{
		Name: p.Name, Unit: p.Unit, Street: p.Street, Postcode: p.Postcode, City: p.City,
		BusinessID: p.BusinessID, VATNumber: p.VATNumber,
		EInvoiceAddress: p.EInvoiceAddress, Operator: p.EInvoiceOperator,
		ContactName: p.ContactName, Email: p.ContactEmail, Phone: p.ContactPhone,
	}
}

// checkDocuments checks that every document can be written as a valid
// e-invoice, reporting every problem with its payer: run calls it on drafts
// before any number is assigned.
func checkDocuments(docs []*document) error {
	var problems []error
	for _, d := range docs {
		if err := finvoice.Check(d.finvoice()); err != nil {
			problems = append(problems, fmt.Errorf("payer %s %s: %w", d.payer.ID, d.payer.Name, err))
		}
	}
	if len(problems) > 0 {
		return &inputError{fmt.Errorf("the e-invoices cannot be written; correct the configuration:\n%w", errors.Join(problems...))}
	}
	return nil
}

// sellerParty is the seller as printed.
func sellerParty(cfg *Config) report.Party {
	s := cfg.Seller
	return report.Party{
		Name: s.Name, Unit: s.Unit, Street: s.Street, Postcode: s.Postcode, City: s.City,
		BusinessID: s.BusinessID, VATNumber: s.VATNumber,
		EInvoiceAddress: s.EInvoiceAddress, EInvoiceOperator: s.EInvoiceOp,
		IBAN: compute.NormalizeIBAN(s.IBAN), BIC: s.BIC,
		ContactName: s.ContactName, ContactEmail: s.ContactEmail, ContactPhone: s.ContactPhone,
	}
}

// buyerParty is a payer as printed: its legal name, else its name; the
// Swedish ones on Swedish documents.
func buyerParty(p *PayerConfig) report.Party {
	name := cmp.Or(p.LegalName, p.Name)
	if p.Language == "sv" {
		name = cmp.Or(p.LegalNameSV, p.NameSV, name)
	}
	return report.Party{
		Name: name, Unit: p.Unit, Street: p.Street, Postcode: p.Postcode, City: p.City,
		BusinessID: p.BusinessID, VATNumber: vatNumberOf(p.BusinessID),
		EInvoiceAddress: p.EInvoiceAddress, EInvoiceOperator: p.EInvoiceOperator,
	}
}

func vatNumberOf(businessID string) string {
	if businessID == "" {
		return ""
	}
	return compute.VATNumber(businessID)
}

// serviceName is the scheme's name in lang, the Finnish one when there is no
// translation.
func serviceName(cfg *Config, lang string) string {
	switch {
	case lang == "sv" && cfg.Scheme.NameSV != "":
		return cfg.Scheme.NameSV
	case lang == "en" && cfg.Scheme.NameEN != "":
		return cfg.Scheme.NameEN
	}
	return cfg.Scheme.Name
}

// ledgerDocument is what the ledger stores of d, the i-th document of a run.
func (d *document) ledgerDocument(scheme string, n ledger.Numbers, i int) ledger.Document {
	inv := d.inv
	doc := ledger.Document{
		Number: inv.Number, Scheme: scheme, Year: n.Year, Seq: n.Seq(i), Run: n.Run,
		Type: ledger.TypeInvoice, Payer: d.payer.ID, PayerName: d.payer.Name, Lang: inv.Lang,
		IssueDate: inv.IssueDate, DueDate: inv.DueDate, From: inv.From, To: inv.To,
		Reference: inv.Reference, Net: d.net, VAT: d.vat, Total: d.net + d.vat,
	}
	doc.PDF = d.pdfPath()
	doc.Role, doc.Refers = d.role, d.refers
	if c := inv.Credit; c != nil {
		doc.Type, doc.Credits, doc.Reason = ledger.TypeCreditNote, c.Number, c.Reason
	} else if c := inv.Corrects; c != nil {
		doc.Reason = c.Reason
	}
	for _, l := range inv.Lines {
		doc.Lines = append(doc.Lines, ledger.Line{
			Kind: l.Kind, Description: l.Description, Basis: l.Basis, Quantity: l.Quantity, Unit: string(l.Unit),
			UnitPrice: l.UnitPrice, VATRate: l.VATRate, Net: l.Net,
		})
	}
	return doc
}

// manifestDocument is the manifest's entry of d.
func (d *document) manifestDocument() manifest.Document {
	inv := d.inv
	doc := manifest.Document{
		Number: inv.Number, Type: manifest.TypeInvoice, Payer: d.payer.ID, PayerName: d.payer.Name,
		IssueDate: inv.IssueDate.String(), PeriodFrom: inv.From.String(), PeriodTo: inv.To.String(),
		Reference: string(inv.Reference), ReferenceRF: inv.Reference.RF(), VirtualBarcode: d.barcode,
		Net: d.net, VAT: d.vat, Total: d.net + d.vat, PDF: d.pdfPath(), Finvoice: d.xmlPath(),
		VATBreakdown: []manifest.VATRow{}, Lines: []manifest.DocumentLine{},
	}
	doc.Role, doc.Refers = d.role, d.refers
	if c := inv.Credit; c != nil {
		doc.Type, doc.Credits = manifest.TypeCreditNote, c.Number
	} else {
		doc.DueDate = inv.DueDate.String()
	}
	for _, r := range d.vatRows {
		doc.VATBreakdown = append(doc.VATBreakdown, manifest.VATRow{Rate: r.Rate.String(), Base: r.Base, VAT: r.VAT})
	}
	for _, l := range inv.Lines {
		doc.Lines = append(doc.Lines, manifest.DocumentLine{
			Description: l.Description, Quantity: l.Quantity.String(), UnitPrice: l.UnitPrice,
			VATRate: l.VATRate.String(), Net: l.Net,
		})
	}
	return doc
}

// appendixDocument is the appendix's row of d.
func (d *document) appendixDocument() report.AppendixDocument {
	var due compute.Date
	if !d.inv.IsCredit() {
		due = d.inv.DueDate
	}
	return report.AppendixDocument{Payer: d.payer.Name, Number: d.inv.Number, Reference: d.inv.Reference, DueDate: due, Total: d.net + d.vat}
}

// cycleInvoices are the invoices of a cycle's allocation, numbered by n in the
// order of the payers; payers whose total is 0 get none.
// Cancelling ctx stops between invoices.
func cycleInvoices(ctx context.Context, cfg *Config, res *cycleResult, issue compute.Date, created time.Time, n ledger.Numbers) ([]*document, error) {
	var docs []*document
	for i, line := range res.Alloc.Lines {
		if line.Total == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := &cfg.Payers[i]
		k := len(docs)
		ref, err := n.Reference(k)
		if err != nil {
			return nil, err
		}
		lines, err := report.CostSharingLines(p.Language, line, res.Alloc, cfg.CostSharing.AgeLimit, res.Cycle.From(), res.Cycle.To(), cfg.CostSharing.VATRate.d)
		if err != nil {
			return nil, err
		}
		days := cfg.PaymentDays(p)
		inv := &report.Invoice{
			Lang: p.Language, Number: n.Number(k), IssueDate: issue, DueDate: issue.AddDays(days), PaymentDays: days,
			From: res.Cycle.From(), To: res.Cycle.To(), Service: serviceName(cfg, p.Language),
			Seller: sellerParty(cfg), Buyer: buyerParty(p), BuyerReference: p.BuyerReference,
			Reference: ref, Lines: lines, Created: created,
		}
		d, err := newDocument(p, inv)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// invoiceCount is how many invoices cycleInvoices makes of an allocation.
func invoiceCount(a compute.Allocation) int {
	n := 0
	for _, l := range a.Lines {
		if l.Total != 0 {
			n++
		}
	}
	return n
}
