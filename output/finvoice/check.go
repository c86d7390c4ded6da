package finvoice

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// Check reports every way inv cannot be written as a valid message, each
// naming the field and the schema's limit, such as
// `buyer name "…" is 75 characters; Finvoice allows at most 70`: the lengths
// of the strings written (the XSD's genericStringType limits), Business IDs,
// the IBAN and BIC, OVT addresses, the reference, amounts within the
// schema's pattern, quantity × unit price = net on every line, lines summing
// to Net, Net + VAT = Total, VATRows agreeing with the lines, Net and VAT,
// and the virtual barcode agreeing with the account, total, reference and due
// date. It returns nil or the problems joined with errors.Join, so a caller
// can run it before any number is assigned (with a placeholder number).
func Check(inv *Invoice) error {
	if inv == nil {
		return errors.New("no invoice")
	}
	var p problems
	tx, err := textsOf(inv)
	if err != nil {
		p = append(p, err)
	}

	// The document.
	p.text("invoice number", inv.Number, 1, 20)
	if routed(inv) {
		p.text("message identifier (the invoice number)", inv.Number, 2, 48)
		if inv.Created.IsZero() {
			p.add("created time is not set; MessageTimeStamp needs the run's time")
		}
	}
	p.date("issue date", inv.IssueDate, true)
	p.date("billing period start", inv.From, !inv.To.IsZero())
	p.date("billing period end", inv.To, !inv.From.IsZero())
	if !inv.From.IsZero() && !inv.To.IsZero() && inv.To.Before(inv.From) {
		p.add("billing period %s–%s ends before it starts", inv.From, inv.To)
	}
	p.text("buyer reference", inv.BuyerReference, 0, 70)
	if inv.Credit {
		p.text("original invoice number", inv.OriginalNumber, 1, 20)
		p.date("original invoice date", inv.OriginalDate, true)
		if !inv.DueDate.IsZero() {
			p.add("due date %s is set on a credit note; a credit note has nothing to pay", inv.DueDate)
		}
		if inv.VirtualBarcode != "" {
			p.add("virtual barcode is set on a credit note; a credit note has nothing to pay")
		}
		if inv.Total > 0 {
			p.add("total %s is positive on a credit note; a credit note's amounts are negative", inv.Total)
		}
	} else {
		p.date("due date", inv.DueDate, true)
		if !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
			p.add("due date %s is before the issue date %s", inv.DueDate, inv.IssueDate)
		}
		if inv.PaymentDays < 0 {
			p.add("payment days %d is negative", inv.PaymentDays)
		}
		if inv.Total < 0 {
			p.add("total %s is negative on an invoice; issue a credit note instead", inv.Total)
		}
	}
	if err == nil {
		p.text("invoice type text", tx.typeText, 1, 35)
		for i, s := range tx.free {
			p.text(fmt.Sprintf("free text %d", i+1), s, 0, 512)
		}
		p.text("payment terms text", tx.terms, 0, 70)
		p.text("penalty interest text", tx.penalty, 0, 70)
		p.text("VAT exemption text", tx.exempt, 0, 70)
		for _, u := range []string{UnitLot, UnitHour} {
			p.text("unit text of "+u, tx.units[u], 0, 14)
		}
	}

	// The parties and the account.
	p.party("seller", inv.Seller, true)
	p.party("buyer", inv.Buyer, false)
	if inv.Buyer.EInvoiceAddress != "" && inv.Seller.EInvoiceAddress == "" {
		p.add("seller e-invoice address is empty; it is needed to send to the buyer's e-invoice address %s", inv.Buyer.EInvoiceAddress)
	}
	if inv.IBAN == "" {
		p.add("IBAN is empty; the seller's account is required")
	} else if err := compute.CheckIBAN(inv.IBAN); err != nil {
		p.add("seller IBAN: %v", err)
	}
	p.bic("seller BIC", inv.BIC)
	if r, err := compute.ParseReference(string(inv.Reference)); err != nil {
		p.add("reference: %v", err)
	} else if r != inv.Reference {
		p.add("reference %q: write it as digits only, %s", inv.Reference, r)
	}

	p.lines(inv)
	p.totals(inv)
	p.barcode(inv)
	if len(p) == 0 {
		return nil
	}
	return errors.Join(p...)
}

// problems collects what Check finds.
type problems []error

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Errorf(format, args...))
}

// text checks the length of a required element's text (min > 0) or of an
// optional one that has no minimum (min 0: an empty text is not written).
func (p *problems) text(field, s string, min, max int) {
	n := chars(s)
	switch {
	case n == 0 && min > 0:
		p.add("%s is empty; Finvoice requires at least %d character%s", field, min, plural(min))
	case n > 0 && n < min:
		p.add("%s %q is %d character%s; Finvoice requires at least %d", field, s, n, plural(n), min)
	case n > max:
		p.add("%s %q is %d characters; Finvoice allows at most %d", field, s, n, max)
	}
}

// optional checks an optional element's text: nothing when empty (the
// element is not written), else as text does.
func (p *problems) optional(field, s string, min, max int) {
	if s != "" {
		p.text(field, s, min, max)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// date checks a date: set when required, and a real date.
func (p *problems) date(field string, d compute.Date, required bool) {
	if d.IsZero() {
		if required {
			p.add("%s is not set", field)
		}
		return
	}
	if _, err := compute.NewDate(d.Year, d.Month, d.Day); err != nil {
		p.add("%s: %v", field, err)
	}
}

// bic checks a BIC: 8 or 11 letters and digits (genericNMtokenType8_11).
func (p *problems) bic(field, s string) {
	if s == "" {
		p.add("%s is empty; Finvoice requires the bank's BIC, such as NDEAFIHH", field)
		return
	}
	ok := len(s) == 8 || len(s) == 11
	for i := 0; i < len(s) && ok; i++ {
		c := s[i]
		ok = c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if !ok {
		p.add("%s %q: expected 8 or 11 capital letters and digits, such as NDEAFIHH", field, s)
	}
}

// party checks a seller's or buyer's fields.
func (p *problems) party(who string, x Party, seller bool) {
	p.text(who+" name", x.Name, 2, 70)
	if _, ok := departments(x.Unit); !ok {
		p.add("%s unit %q is %d characters and does not fit in two department lines split at a space; Finvoice allows at most 2 × 35", who, x.Unit, chars(x.Unit))
	}
	p.text(who+" street", x.Street, 2, 35)
	p.text(who+" postcode", x.Postcode, 2, 35)
	p.text(who+" city", x.City, 2, 35)
	if c := x.CountryCode; c != "" && (len(c) != 2 || strings.ToUpper(c) != c || strings.ContainsAny(c, "0123456789 ")) {
		p.add("%s country code %q: expected two capital letters, such as FI", who, c)
	}
	switch {
	case x.BusinessID == "" && seller:
		p.add("%s business ID is empty; an invoice must show the seller's Business ID", who)
	case x.BusinessID != "":
		if err := compute.CheckBusinessID(x.BusinessID); err != nil {
			p.add("%s business ID: %v", who, err)
		}
	}
	p.text(who+" VAT number", x.VATNumber, 0, 35)
	if v := x.VATNumber; strings.HasPrefix(v, "FI") && x.BusinessID != "" && v != compute.VATNumber(x.BusinessID) {
		p.add("%s VAT number %q does not match the business ID %s (expected %s)", who, v, x.BusinessID, compute.VATNumber(x.BusinessID))
	}
	p.optional(who+" e-invoice address", x.EInvoiceAddress, 2, 35)
	if strings.HasPrefix(x.EInvoiceAddress, "0037") {
		if err := compute.CheckOVT(x.EInvoiceAddress); err != nil {
			p.add("%s e-invoice address: %v", who, err)
		}
	}
	p.optional(who+" e-invoice operator", x.Operator, 2, 35)
	switch {
	case x.EInvoiceAddress != "" && x.Operator == "":
		p.add("%s e-invoice operator is empty; an e-invoice address %s needs its operator's id or BIC", who, x.EInvoiceAddress)
	case x.EInvoiceAddress == "" && x.Operator != "":
		p.add("%s e-invoice address is empty, but an operator %s is given", who, x.Operator)
	}
	p.text(who+" contact name", x.ContactName, 0, 70)
	p.text(who+" email", x.Email, 0, 70)
	p.text(who+" phone", x.Phone, 0, 35)
}

// lines checks every line on its own.
func (p *problems) lines(inv *Invoice) {
	if len(inv.Lines) == 0 {
		p.add("no lines; Finvoice requires at least one InvoiceRow")
	}
	for i, l := range inv.Lines {
		at := fmt.Sprintf("line %d", i+1)
		p.text(at+" description", l.Description, 1, 100)
		p.text(at+" basis", l.Basis, 0, 512)
		if _, ok := unitCodes[l.Unit]; !ok {
			p.add("%s unit %q: expected %q or %q", at, l.Unit, UnitLot, UnitHour)
		}
		p.text(at+" quantity", number(l.Quantity), 1, 14)
		if l.UnitPrice < 0 {
			p.add("%s unit price %s is negative; a credit note has a negative quantity and a positive unit price", at, l.UnitPrice)
		}
		if !amountFits(l.UnitPrice) || !amountFits(l.Net) {
			p.add("%s: amount out of range; Finvoice allows at most 15 digits of euros", at)
		}
		if !percentFits(l.VATRate) || l.VATRate.GreaterThan(decimal.NewFromInt(100)) {
			p.add("%s VAT rate %s: expected a percentage from 0 to 100 with at most three decimals", at, l.VATRate)
		} else if _, err := lineVAT(l); err != nil {
			p.add("%s VAT: %v", at, err)
		}
		if got, err := compute.MoneyFromDecimal(l.UnitPrice.Decimal().Mul(l.Quantity)); err != nil {
			p.add("%s: quantity %s × unit price %s: %v", at, l.Quantity, l.UnitPrice, err)
		} else if got != l.Net {
			p.add("%s: quantity %s × unit price %s is %s, not the net %s", at, l.Quantity, l.UnitPrice, got, l.Net)
		}
	}
}

// totals checks Net, VAT, Total and VATRows against the lines and each other.
func (p *problems) totals(inv *Invoice) {
	var sum compute.Money
	for _, l := range inv.Lines {
		sum += l.Net
	}
	if sum != inv.Net {
		p.add("net %s is not the sum of the lines' nets %s", inv.Net, sum)
	}
	if inv.Net+inv.VAT != inv.Total {
		p.add("total %s is not net %s + VAT %s = %s", inv.Total, inv.Net, inv.VAT, inv.Net+inv.VAT)
	}
	for _, m := range []struct {
		name string
		v    compute.Money
	}{{"net", inv.Net}, {"VAT", inv.VAT}, {"total", inv.Total}} {
		if !amountFits(m.v) {
			p.add("%s %s is out of range; Finvoice allows at most 15 digits of euros", m.name, m.v)
		}
	}

	var base, vat compute.Money
	for i, r := range inv.VATRows {
		at := fmt.Sprintf("VAT row %d (%s %%)", i+1, r.Rate)
		base += r.Base
		vat += r.VAT
		if !percentFits(r.Rate) || r.Rate.GreaterThan(decimal.NewFromInt(100)) {
			p.add("%s: expected a percentage from 0 to 100 with at most three decimals", at)
			continue
		}
		for _, q := range inv.VATRows[:i] {
			if q.Rate.Equal(r.Rate) {
				p.add("%s: the rate appears twice", at)
			}
		}
		var lines compute.Money
		for _, l := range inv.Lines {
			if l.VATRate.Equal(r.Rate) {
				lines += l.Net
			}
		}
		if r.Base != lines {
			p.add("%s: base %s is not the sum %s of the lines at that rate", at, r.Base, lines)
		}
		want, err := compute.RoundHalfUp(r.Base.Decimal().Mul(r.Rate).Div(decimal.NewFromInt(100)))
		if err != nil {
			p.add("%s: %v", at, err)
		} else if r.VAT != want {
			p.add("%s: VAT %s is not %s %% of %s rounded half up, %s", at, r.VAT, r.Rate, r.Base, want)
		}
	}
	for i, l := range inv.Lines {
		found := false
		for _, r := range inv.VATRows {
			found = found || r.Rate.Equal(l.VATRate)
		}
		if !found {
			p.add("line %d: no VAT row for its rate %s %%", i+1, l.VATRate)
		}
	}
	if base != inv.Net {
		p.add("VAT rows' bases sum to %s, not the net %s", base, inv.Net)
	}
	if vat != inv.VAT {
		p.add("VAT rows' VAT sums to %s, not the VAT %s", vat, inv.VAT)
	}
}

// barcode checks that the virtual barcode is the one of this invoice:
// version 4 (national reference) or 5 (RF), for the seller's IBAN, the total
// and the due date.
func (p *problems) barcode(inv *Invoice) {
	code := inv.VirtualBarcode
	if code == "" || inv.Credit {
		return
	}
	if len(code) != 54 || strings.Trim(code, "0123456789") != "" {
		p.add("virtual barcode %q: expected 54 digits", code)
		return
	}
	for _, rf := range []bool{false, true} {
		if want, err := compute.VirtualBarcode(inv.IBAN, inv.Total, inv.Reference, rf, inv.DueDate); err == nil && want == code {
			return
		}
	}
	p.add("virtual barcode %s does not match the IBAN, total %s, reference %s and due date %s", code, inv.Total, inv.Reference, inv.DueDate)
}
