package finvoice

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// Party is the seller or the buyer.
type Party struct {
	Name        string // organisation name, 2 to 70 characters
	Unit        string // department, optional: one or two lines of 35 characters, split at a space
	Street      string
	Postcode    string
	City        string
	CountryCode string // "FI" when empty
	BusinessID  string // Y-tunnus "1234567-1"; required for the seller, optional for the buyer
	VATNumber   string // "FI12345671", optional
	// EInvoiceAddress is the e-invoice address: an OVT code ("003712345671")
	// or an IBAN. It is also written as the organisation unit number.
	EInvoiceAddress string
	// Operator is the e-invoice operator's id ("003721291126") or BIC.
	Operator    string
	ContactName string // optional
	Email       string // optional
	Phone       string // optional
}

// Line is one invoice row: Quantity × UnitPrice = Net, exactly.
type Line struct {
	Description string          // ArticleName, 1 to 100 characters
	Basis       string          // what the amount rests on: RowFreeText
	Quantity    decimal.Decimal // negative on credit notes
	Unit        string          // UnitLot or UnitHour
	UnitPrice   compute.Money   // positive, also on credit notes
	VATRate     decimal.Decimal // percent
	Net         compute.Money   // Quantity × UnitPrice
}

// The units of a line's quantity, as report.Unit spells them.
const (
	UnitLot  = "lot"  // a lump sum: UN/ECE Rec 20 "LO", lot [unit of procurement]
	UnitHour = "hour" // UN/ECE Rec 20 "HUR"
)

// unitCodes maps a unit to its UN/ECE Recommendation 20 code.
var unitCodes = map[string]string{UnitLot: "LO", UnitHour: "HUR"}

// Invoice is one invoice or credit note as stored: the amounts are written
// as they are, never recomputed (Check verifies that they agree).
type Invoice struct {
	Lang   string // "fi", "sv" or "en": the texts
	Number string // "VSA-2021-000001", at most 20 characters
	Credit bool   // a credit note (INV02)
	// OriginalNumber and OriginalDate are the credited invoice's number and
	// date (credit notes), or the corrected one's (invoices of a
	// correction); CreditReason is then the correction's reason.
	OriginalNumber string
	OriginalDate   compute.Date
	CreditReason   string // written as free text on a credit note
	IssueDate      compute.Date
	DueDate        compute.Date // zero on a credit note
	PaymentDays    int
	From, To       compute.Date // the billing period: InvoicingPeriodStartDate/EndDate
	Service        string       // the service's name: the first InvoiceFreeText
	Seller, Buyer  Party
	BuyerReference string // optional: BuyerReferenceIdentifier
	// Reference is the national reference; on a credit note the credited
	// invoice's.
	Reference compute.Reference
	IBAN, BIC string // the seller's account
	Lines     []Line
	// Net, VAT and Total are the stored totals, VATRows the stored VAT per
	// rate (one VatSpecificationDetails each).
	Net, VAT, Total compute.Money
	VATRows         []compute.VATRow
	// VirtualBarcode is the 54 digits of the bank barcode (invoices; "" when
	// none).
	VirtualBarcode string
	// VATGround replaces the default ground of a 0 % rate (the cooperation
	// between municipalities) in VatFreeText; at most 70 characters.
	VATGround string
	Created   time.Time // the run's time: MessageTimeStamp (UTC, seconds)
}

// Codes of the message.
const (
	version      = "3.0"
	currency     = "EUR"
	ovtSchemeID  = "0216" // ISO 6523 ICD of the Finnish OVT code
	dateFormat   = "CCYYMMDD"
	typeInvoice  = "INV01"
	typeCredit   = "INV02"
	typeUNInv    = "380" // UNTDID 1001 commercial invoice
	typeUNCredit = "381" // UNTDID 1001 credit note
	// vatStandard is UNCL 5305 "S", every positive rate.
	vatStandard = "S"
	// vatOutOfScope is UNCL 5305 "O", services outside the scope of tax:
	// services municipalities provide each other under a cooperation
	// agreement are not business, so VAT does not apply at all (KHO:2009:42).
	// "E" (exempt) would claim a taxable supply exempted by the VAT act,
	// which this is not. The schema takes any 1–3 letter code; note that the
	// EN 16931 rules (which this message does not declare) would want no
	// rate with "O" and no other category beside it.
	vatOutOfScope = "O"
	// vatexOutOfScope is the CEF VATEX code that goes with category "O".
	vatexOutOfScope = "VATEX-EU-O"
	// epiNameMax is the length of EpiNameAddressDetails, shorter than the
	// 70 characters of SellerOrganisationName.
	epiNameMax = 35
)

// Marshal returns the Finvoice 3.0 message: UTF-8 declared, root
// <Finvoice Version="3.0"> without a namespace, indented, deterministic (the
// same Invoice gives the same bytes), ending in a newline. It calls Check
// first and writes nothing when Check finds a problem.
func Marshal(inv *Invoice) ([]byte, error) {
	if inv == nil {
		return nil, errors.New("finvoice: no invoice")
	}
	if err := Check(inv); err != nil {
		return nil, fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	tx, err := textsOf(inv)
	if err != nil {
		return nil, fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	m, err := build(inv, tx)
	if err != nil {
		return nil, fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// texts are the message's texts in the payer's language.
type texts struct {
	typeText string            // InvoiceTypeText
	free     []string          // InvoiceFreeText
	terms    string            // PaymentTermsFreeText (invoices)
	penalty  string            // PaymentOverDueFineFreeText (invoices)
	exempt   string            // VatFreeText of a 0 % row
	units    map[string]string // QuantityUnitCode by unit
}

// textsOf renders the texts of inv from templates, as the printed invoice
// (report/invoice.go) words them.
func textsOf(inv *Invoice) (texts, error) {
	loc, err := templates.Lookup(inv.Lang)
	if err != nil {
		return texts{}, err
	}
	tx := loc.Texts()
	var t texts
	if s := strings.TrimSpace(inv.Service); s != "" {
		t.free = append(t.free, s)
	}
	t.exempt = tx.T("finvoice_vat_exempt", nil)
	if g := strings.TrimSpace(inv.VATGround); g != "" {
		t.exempt = g
	}
	t.units = map[string]string{UnitLot: tx.T("unit_lot", nil), UnitHour: tx.T("unit_hour", nil)}
	if inv.Credit {
		t.typeText = tx.T("finvoice_type_credit", nil)
		t.free = append(t.free,
			tx.T("credited_invoice", nil)+": "+tx.T("credited_invoice_value", map[string]any{"Number": inv.OriginalNumber, "Date": loc.Date(inv.OriginalDate)}))
		if r := strings.TrimSpace(inv.CreditReason); r != "" {
			t.free = append(t.free, tx.T("credit_reason", nil)+": "+r)
		}
		t.free = append(t.free, tx.T("nothing_to_pay", nil))
	} else {
		if inv.OriginalNumber != "" { // an invoice of a correction
			t.free = append(t.free,
				tx.T("corrects_invoice", nil)+": "+tx.T("credited_invoice_value", map[string]any{"Number": inv.OriginalNumber, "Date": loc.Date(inv.OriginalDate)}))
			if r := strings.TrimSpace(inv.CreditReason); r != "" {
				t.free = append(t.free, tx.T("correction_reason", nil)+": "+r)
			}
		}
		t.typeText = tx.T("finvoice_type_invoice", nil)
		t.terms = tx.T("inv_terms_days", map[string]any{"Days": inv.PaymentDays})
		t.penalty = tx.T("penalty_interest", nil)
	}
	return t, tx.Err()
}

// routed reports whether the message carries MessageTransmissionDetails:
// only when both parties have an e-invoice address and an operator, as the
// schema requires all four. The element is optional, so a message to a buyer
// without an e-invoice address (delivered as an attachment) leaves it out.
func routed(inv *Invoice) bool {
	return inv.Seller.EInvoiceAddress != "" && inv.Seller.Operator != "" &&
		inv.Buyer.EInvoiceAddress != "" && inv.Buyer.Operator != ""
}

// build makes the element tree of a checked invoice.
func build(inv *Invoice, tx texts) (*message, error) {
	s, b := inv.Seller, inv.Buyer
	iban := compute.NormalizeIBAN(inv.IBAN)
	m := &message{
		Version:          version,
		Seller:           sellerParty{Identifier: s.BusinessID, Name: s.Name, TaxCode: s.VATNumber, Address: &sellerAddress{s.Street, s.City, s.Postcode, country(s)}},
		SellerUnitNumber: s.EInvoiceAddress,
		SellerContact:    s.ContactName,
		SellerInfo:       sellerInformation{sellerAccount{scheme{"IBAN", iban}, scheme{"BIC", inv.BIC}}},
		Buyer:            buyerParty{Identifier: b.BusinessID, Name: b.Name, TaxCode: b.VATNumber, Address: &buyerAddress{b.Street, b.City, b.Postcode, country(b)}},
		BuyerUnitNumber:  b.EInvoiceAddress,
		BuyerContact:     b.ContactName,
		VirtualBarcode:   inv.VirtualBarcode,
	}
	m.Seller.Departments, _ = departments(s.Unit)
	m.Buyer.Departments, _ = departments(b.Unit)
	if s.Phone != "" || s.Email != "" {
		m.SellerComm = &sellerComm{Phone: s.Phone, Email: s.Email}
	}
	if b.Phone != "" || b.Email != "" {
		m.BuyerComm = &buyerComm{Phone: b.Phone, Email: b.Email}
	}
	if routed(inv) {
		m.Transmission = &transmission{
			Sender:   sender{addr(s.EInvoiceAddress), s.Operator},
			Receiver: receiver{addr(b.EInvoiceAddress), b.Operator},
			Details:  messageDetails{inv.Number, inv.Created.UTC().Truncate(time.Second).Format(time.RFC3339)},
		}
	}

	d := &m.Details
	d.TypeCode, d.TypeCodeUN, d.TypeText, d.OriginCode = typeInvoice, typeUNInv, tx.typeText, "Original"
	if inv.Credit {
		d.TypeCode, d.TypeCodeUN = typeCredit, typeUNCredit
		d.OriginalNumber, d.OriginalDate = inv.OriginalNumber, dateOf(inv.OriginalDate)
	}
	d.Number, d.Date = inv.Number, *dateOf(inv.IssueDate)
	if !inv.From.IsZero() {
		d.PeriodStart, d.PeriodEnd = dateOf(inv.From), dateOf(inv.To)
	}
	d.BuyerReference = inv.BuyerReference
	d.RowsNet, d.Net, d.VAT, d.Total = eur(inv.Net), eur(inv.Net), eur(inv.VAT), eur(inv.Total)
	for _, r := range inv.VATRows {
		row := vatRow{Base: eur(r.Base), Rate: number(r.Rate), Code: vatCode(r.Rate), VAT: eur(r.VAT)}
		if r.Rate.IsZero() {
			row.FreeText, row.ExemptionReason = tx.exempt, vatexOutOfScope
		}
		d.VATRows = append(d.VATRows, row)
	}
	d.FreeText = tx.free
	if !inv.Credit {
		// A credit note has no terms: nothing is to be paid.
		d.Terms = &paymentTerms{FreeText: tx.terms, DueDate: dateOf(inv.DueDate), Fine: &overdueFine{tx.penalty}}
	}

	unitTexts := tx.units
	for i, l := range inv.Lines {
		// A row's VAT is its own net at its rate, rounded half up; the
		// document's VAT is VATRows', computed on the sum of the nets at each
		// rate. With several lines at one non-zero rate the rows' VAT may
		// differ from it by a cent or so: Finvoice takes the totals and the
		// VAT specification as authoritative, the row amounts as information.
		vat, err := lineVAT(l)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		m.Rows = append(m.Rows, invoiceRow{
			ArticleName: l.Description,
			Quantity:    quantity{unitTexts[l.Unit], unitCodes[l.Unit], number(l.Quantity)},
			UnitPrice:   unitPrice{currency, unitTexts[l.Unit], unitCodes[l.Unit], amount(l.UnitPrice)},
			Position:    strconv.Itoa(i + 1),
			FreeText:    l.Basis,
			VATRate:     number(l.VATRate),
			VATCode:     vatCode(l.VATRate),
			VAT:         eur(vat),
			Net:         eur(l.Net),
			Amount:      eur(l.Net + vat),
		})
	}

	// Payment. On a credit note the reference is the credited invoice's, so
	// the buyer can match the credit to it. EpiInstructedAmount is the
	// (negative) total, as InvoiceTotalVatIncludedAmount: the schema's
	// epiAmount takes a sign, and a bank shows a negative amount as a credit,
	// never as a payment to make, while 0,00 would contradict the totals.
	// EpiDateOptionDate is required, so a credit note gives its issue date.
	payDate := inv.DueDate
	if inv.Credit {
		payDate = inv.IssueDate
	}
	m.Epi = epiDetails{
		Identification: epiIdentification{*dateOf(inv.IssueDate), string(inv.Reference)},
		Party: epiParty{
			Bank:        epiBank{scheme{"BIC", inv.BIC}},
			Beneficiary: epiBeneficiary{token(s.Name, epiNameMax), scheme{"IBAN", iban}},
		},
		Instruction: epiInstruction{
			Remittance: scheme{"SPY", string(inv.Reference)},
			Amount:     eur(inv.Total),
			Charge:     epiCharge{"SHA", "SHA"},
			Date:       *dateOf(payDate),
		},
	}
	return m, nil
}

// lineVAT is a line's own VAT: its net at its rate, rounded half up.
func lineVAT(l Line) (compute.Money, error) {
	return compute.RoundHalfUp(l.Net.Decimal().Mul(l.VATRate).Div(decimal.NewFromInt(100)))
}

// vatCode is the UNCL 5305 category of a rate.
func vatCode(rate decimal.Decimal) string {
	if rate.IsZero() {
		return vatOutOfScope
	}
	return vatStandard
}

// addr is an e-invoice address with SchemeID 0216 when it is an OVT code; an
// IBAN address carries no SchemeID.
func addr(a string) electronicAddr {
	if strings.HasPrefix(a, "0037") {
		return electronicAddr{ovtSchemeID, a}
	}
	return electronicAddr{Value: a}
}

// country is a party's country code, "FI" when empty.
func country(p Party) string {
	if p.CountryCode == "" {
		return "FI"
	}
	return p.CountryCode
}

func eur(m compute.Money) money { return money{currency, amount(m)} }

func dateOf(d compute.Date) *dateValue { return &dateValue{dateFormat, date(d)} }
