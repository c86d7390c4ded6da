package ledger

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/kuntalasku/kuntalasku/compute"
)

// The roles of a document in its payer's cycle (Document.Role).
const (
	RoleCycle       = ""            // an invoice of a regular run
	RoleCredit      = "credit"      // a credit note crediting Refers in full
	RoleReplacement = "replacement" // an invoice replacing Refers, credited
	RoleDifference  = "difference"  // the difference to Refers: an invoice or a credit note
	RoleSurplus     = "surplus"     // a surplus returned at a settlement
	RoleSettlement  = "settlement"  // a cost share's settlement
)

// The types of document.
const (
	TypeInvoice    = "invoice"
	TypeCreditNote = "credit_note"
)

// Document is an invoice or a credit note as the ledger records it.
type Document struct {
	Number string // PREFIX-YYYY-NNNNNN
	Scheme string
	Year   int   // the year of the issue date, the series' year
	Seq    int64 // the number in the series, from 1
	Run    int64
	Cycle  string // the run's cycle; filled when reading, ignored when issuing
	// RunKind is the run's kind; filled when reading, ignored when issuing.
	RunKind string
	Type    string // TypeInvoice or TypeCreditNote

	Payer, PayerName, Lang string

	IssueDate compute.Date
	DueDate   compute.Date // zero on a credit note
	From, To  compute.Date // the billed period

	// Reference is the invoice's reference; a credit note carries the
	// reference of the invoice it credits.
	Reference compute.Reference
	Credits   string // the credited invoice's number, "" if none
	Reason    string
	// Role is what the document does (RoleCycle, RoleCredit…); Refers is
	// the invoice a correction's document corrects, "" if none.
	Role, Refers string

	Net, VAT, Total compute.Money

	PDF   string // the PDF's path relative to the run's folder, slash-separated
	Lines []Line
}

// Line is one line of a document.
type Line struct {
	// Kind is what the line bills, such as "fee" or "work": settlements
	// sum the lines of a kind.
	Kind               string
	Description, Basis string
	Quantity           decimal.Decimal
	Unit               string
	UnitPrice          compute.Money
	VATRate            decimal.Decimal
	Net                compute.Money
}

// checkDocument reports what is wrong with d on its own: its type, credit
// and due date, and its amounts.
func checkDocument(d *Document) error {
	switch d.Type {
	case TypeInvoice:
		if d.Credits != "" {
			return fmt.Errorf("an invoice credits nothing, this credits %s", d.Credits)
		}
		if d.DueDate.IsZero() {
			return fmt.Errorf("an invoice needs a due date")
		}
	case TypeCreditNote:
		if !d.DueDate.IsZero() {
			return fmt.Errorf("a credit note has no due date, this has %s", d.DueDate)
		}
	default:
		return fmt.Errorf("type %q: expected %q or %q", d.Type, TypeInvoice, TypeCreditNote)
	}
	switch {
	case d.Role == RoleCredit && (d.Type != TypeCreditNote || d.Credits == "" || d.Refers != d.Credits):
		return fmt.Errorf("a full credit is a credit note that credits and refers to one invoice")
	case d.Role == RoleReplacement && d.Type != TypeInvoice:
		return fmt.Errorf("a replacement is an invoice")
	case (d.Role == RoleCycle || d.Role == RoleSurplus || d.Role == RoleSettlement) && d.Refers != "":
		return fmt.Errorf("a document of role %q refers to no invoice, this refers to %s", d.Role, d.Refers)
	}
	var sum compute.Money
	for _, l := range d.Lines {
		sum += l.Net
	}
	if sum != d.Net {
		return fmt.Errorf("the lines sum to %s, the net amount is %s", sum, d.Net)
	}
	if d.Net+d.VAT != d.Total {
		return fmt.Errorf("net %s + VAT %s is not the total %s", d.Net, d.VAT, d.Total)
	}
	if d.Reference == "" {
		return fmt.Errorf("no reference")
	}
	return nil
}

// insertDocument writes d and its lines.
func insertDocument(ctx context.Context, tx *sql.Tx, d *Document) error {
	var due, credits, refers any
	if !d.DueDate.IsZero() {
		due = d.DueDate.String()
	}
	if d.Credits != "" {
		credits = d.Credits
	}
	if d.Refers != "" {
		refers = d.Refers
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO documents (number, scheme, year, seq, run, type,
		payer, payer_name, lang, issue_date, due_date, period_from, period_to,
		reference, credits, reason, net, vat, total, pdf, role, refers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Number, d.Scheme, d.Year, d.Seq, d.Run, d.Type,
		d.Payer, d.PayerName, d.Lang, d.IssueDate.String(), due, d.From.String(), d.To.String(),
		string(d.Reference), credits, d.Reason, int64(d.Net), int64(d.VAT), int64(d.Total), d.PDF, d.Role, refers)
	if err != nil {
		return err
	}
	for i, l := range d.Lines {
		_, err := tx.ExecContext(ctx, `INSERT INTO lines (document, position, kind, description, basis,
			quantity, unit, unit_price, vat_rate, net) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Number, i+1, l.Kind, l.Description, l.Basis, l.Quantity.String(), l.Unit,
			int64(l.UnitPrice), l.VATRate.String(), int64(l.Net))
		if err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}

// documentColumns are the columns scanDocument reads, from documents d
// joined with runs r.
const documentColumns = `d.number, d.scheme, d.year, d.seq, d.run, r.cycle, r.kind, d.type,
	d.payer, d.payer_name, d.lang, d.issue_date, d.due_date, d.period_from, d.period_to,
	d.reference, d.credits, d.reason, d.net, d.vat, d.total, d.pdf, d.role, d.refers`

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanDocument reads a row of documentColumns.
func scanDocument(row scanner) (Document, error) {
	var (
		d               Document
		issue, from, to string
		due, credits    sql.NullString
		refers          sql.NullString
		ref             string
		net, vat, total int64
	)
	err := row.Scan(&d.Number, &d.Scheme, &d.Year, &d.Seq, &d.Run, &d.Cycle, &d.RunKind, &d.Type,
		&d.Payer, &d.PayerName, &d.Lang, &issue, &due, &from, &to,
		&ref, &credits, &d.Reason, &net, &vat, &total, &d.PDF, &d.Role, &refers)
	if err != nil {
		return Document{}, err
	}
	d.Reference, d.Credits, d.Refers = compute.Reference(ref), credits.String, refers.String
	d.Net, d.VAT, d.Total = compute.Money(net), compute.Money(vat), compute.Money(total)
	if d.IssueDate, err = compute.ParseDate(issue); err != nil {
		return Document{}, fmt.Errorf("document %s: %w", d.Number, err)
	}
	if due.Valid {
		if d.DueDate, err = compute.ParseDate(due.String); err != nil {
			return Document{}, fmt.Errorf("document %s: %w", d.Number, err)
		}
	}
	if d.From, err = compute.ParseDate(from); err != nil {
		return Document{}, fmt.Errorf("document %s: %w", d.Number, err)
	}
	if d.To, err = compute.ParseDate(to); err != nil {
		return Document{}, fmt.Errorf("document %s: %w", d.Number, err)
	}
	return d, nil
}

// lineColumns are the columns scanLine reads, from lines l.
const lineColumns = `l.document, l.kind, l.description, l.basis, l.quantity, l.unit, l.unit_price, l.vat_rate, l.net`

// scanLine reads a row of lineColumns: the document's number and the line.
func scanLine(row scanner) (string, Line, error) {
	var (
		number, qty, rate string
		price, net        int64
		l                 Line
	)
	if err := row.Scan(&number, &l.Kind, &l.Description, &l.Basis, &qty, &l.Unit, &price, &rate, &net); err != nil {
		return "", Line{}, err
	}
	var err error
	if l.Quantity, err = decimal.NewFromString(qty); err != nil {
		return "", Line{}, fmt.Errorf("document %s: quantity %q: %w", number, qty, err)
	}
	if l.VATRate, err = decimal.NewFromString(rate); err != nil {
		return "", Line{}, fmt.Errorf("document %s: VAT rate %q: %w", number, rate, err)
	}
	l.UnitPrice, l.Net = compute.Money(price), compute.Money(net)
	return number, l, nil
}
