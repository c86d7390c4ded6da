package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// costSettlement is the cost-sharing scheme's year-end settlement (SPEC 1.1):
// each payer's final share of the actual cost by the period's keys, minus
// what it was invoiced for the period net of corrections.
type costSettlement struct {
	cfg     *Config
	issue   compute.Date
	created time.Time

	Period compute.Period
	Cost   compute.Money      // the actual cost
	Budget compute.Components // its components: the population part rounded half up, the rest
	Alloc  compute.Allocation // the final shares, with the period's population and activities
	Count  *activityCount
	Inputs []manifest.Input
	Rows   []*settleRow // every payer, in the configuration's order
}

// settleRow is one payer's reconciliation. Amounts are net.
type settleRow struct {
	Payer       *PayerConfig
	Invoiced    compute.Money // by the period's regular runs
	Corrections compute.Money // by its corrections
	Final       compute.Money // its final share of the actual cost
	// Invoice is the payer's current invoice of the period's last invoiced
	// cycle: a refund's credit note refers to it.
	Invoice *ledger.Document
}

// settlement is what the payer pays (> 0) or gets back (< 0).
func (r *settleRow) settlement() compute.Money { return r.Final - r.Invoiced - r.Corrections }

// computeCostSettlement allocates the actual cost with the period's keys and
// compares each payer's final share with what the ledger holds (docs).
func computeCostSettlement(docs []ledger.Document, cfg *Config, period compute.Period, cost compute.Money, issue compute.Date, created time.Time, progress progressFunc) (*costSettlement, error) {
	files, err := activityFiles(nil, cfg)
	if err != nil {
		return nil, err
	}
	pop, popInput, shares, err := payerPopulations("", cfg)
	if err != nil {
		return nil, err
	}
	count, err := countActivities(files, cfg, pop, period, progress)
	if err != nil {
		return nil, err
	}
	for i := range shares {
		shares[i].Activities = count.Tally.Payers[i].Total()
	}
	budget, err := compute.SplitComponents(cost, cfg.CostSharing.PopulationWeight.d)
	if err != nil {
		return nil, &inputError{fmt.Errorf("--actual-cost: %w", err)}
	}
	alloc, err := compute.Allocate(budget, shares)
	if err != nil {
		return nil, &inputError{fmt.Errorf("the settlement of %s: %w", period.ID(), err)}
	}
	c := &costSettlement{cfg: cfg, issue: issue, created: created, Period: period, Cost: cost, Budget: budget,
		Alloc: alloc, Count: count, Inputs: append([]manifest.Input{cfg.Input(), popInput}, count.Inputs...)}
	rows := map[string]*settleRow{}
	for i := range cfg.Payers {
		r := &settleRow{Payer: &cfg.Payers[i], Final: alloc.Lines[i].Total}
		rows[r.Payer.ID] = r
		c.Rows = append(c.Rows, r)
	}
	credited := creditedInFull(docs)
	for i := range docs {
		d := &docs[i]
		r := rows[d.Payer]
		if r == nil {
			if _, err := ledgerPayer(cfg, d); err != nil {
				return nil, err
			}
		}
		if d.RunKind == ledger.KindRegular {
			r.Invoiced += d.Net
		} else {
			r.Corrections += d.Net
		}
		if d.Type == ledger.TypeInvoice && !credited[d.Number] && (d.Role == ledger.RoleCycle || d.Role == ledger.RoleReplacement) {
			r.Invoice = d // by number: the latest wins
		}
	}
	return c, nil
}

// creditedInFull are the numbers of the invoices among docs that a credit
// note credits in full.
func creditedInFull(docs []ledger.Document) map[string]bool {
	credited := map[string]bool{}
	for _, d := range docs {
		if d.Role == ledger.RoleCredit {
			credited[d.Credits] = true
		}
	}
	return credited
}

// The settlement's part of a run (invoicing).

func (c *costSettlement) cycle() compute.Cycle {
	return compute.Cycle{ID: strconv.Itoa(c.Period.To.Year), First: c.Period.FirstMonth(), Last: c.Period.LastMonth()}
}

func (c *costSettlement) inputs() []manifest.Input { return c.Inputs }

func (c *costSettlement) count() int {
	n := 0
	for _, r := range c.Rows {
		if r.settlement() != 0 {
			n++
		}
	}
	return n
}

func (c *costSettlement) totals() map[string]compute.Money { return draftTotals(c, c.issue) }

// drafts are the settlement's documents: an invoice for each payer whose
// final share is more than it was invoiced, a credit note referring to its
// current invoice for each whose share is less.
func (c *costSettlement) drafts(ctx context.Context, n ledger.Numbers) ([]*document, error) {
	cfg := c.cfg
	var docs []*document
	for _, r := range c.Rows {
		delta := r.settlement()
		if delta == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := r.Payer
		loc, err := templates.Lookup(p.Language)
		if err != nil {
			return nil, err
		}
		tx := loc.Texts()
		period := loc.Period(c.Period.From, c.Period.To)
		qty := decimal.NewFromInt(1)
		if delta < 0 {
			qty = qty.Neg()
		}
		line := report.InvoiceLine{
			Kind:        report.LineSettlement,
			Description: tx.T("line_settlement", map[string]any{"Period": period}),
			Basis:       tx.T("line_basis_settlement", map[string]any{"Final": loc.Money(r.Final), "Invoiced": loc.Money(r.Invoiced + r.Corrections)}),
			Quantity:    qty, Unit: report.UnitLot, UnitPrice: delta.Abs(), VATRate: cfg.CostSharing.VATRate.d, Net: delta,
		}
		reason := tx.T("settlement_reason", map[string]any{"Period": period, "Cost": loc.Money(c.Cost)})
		if err := tx.Err(); err != nil {
			return nil, err
		}
		k := len(docs)
		days := cfg.PaymentDays(p)
		inv := &report.Invoice{
			Lang: p.Language, Number: n.Number(k), IssueDate: c.issue, DueDate: c.issue.AddDays(days), PaymentDays: days,
			From: c.Period.From, To: c.Period.To, Service: serviceName(cfg, p.Language),
			Seller: sellerParty(cfg), Buyer: buyerParty(p), BuyerReference: p.BuyerReference,
			Lines: []report.InvoiceLine{line}, Created: c.created,
		}
		if delta > 0 {
			if inv.Reference, err = n.Reference(k); err != nil {
				return nil, err
			}
		} else {
			orig := r.Invoice
			if orig == nil {
				return nil, fmt.Errorf("payer %s: a refund of %s with no invoice to refer to", p.ID, -delta)
			}
			inv.DueDate, inv.PaymentDays, inv.Reference = compute.Date{}, 0, orig.Reference
			inv.Credit = &report.Credit{Number: orig.Number, Date: orig.IssueDate, Reason: reason}
		}
		d, err := newDocument(p, inv)
		if err != nil {
			return nil, err
		}
		d.role = ledger.RoleSettlement
		docs = append(docs, d)
	}
	return docs, nil
}

func (c *costSettlement) describe(man *manifest.Manifest) {
	describeAllocation(man, c.cfg, c.Budget, c.Alloc)
	t := c.Count.Tally
	man.Unattributed = manifest.NewUnattributed(t.NonParticipant, t.Unknown, c.Count.manifestRows())
	cost := c.Cost
	man.ActualCost = &cost
	for _, r := range c.Rows {
		man.Settlement = append(man.Settlement, manifest.SettlementRow{Payer: r.Payer.ID, Name: r.Payer.Name,
			Invoiced: r.Invoiced, Corrections: r.Corrections, Final: r.Final, Settlement: r.settlement()})
	}
}

func (c *costSettlement) appendix(docs []*document) (pdf, xlsx []byte, err error) {
	cfg := c.cfg
	a := &report.SettlementAppendix{
		Lang: cfg.Scheme.Language, SchemeName: cfg.Scheme.Name, Seller: cfg.Seller.Name,
		Kind: report.SettlementCostShare, From: c.Period.From, To: c.Period.To, Created: c.created,
		ActualCost: c.Cost, Inputs: reportInputs(c.Inputs),
	}
	byPayer := map[string]string{}
	for _, d := range docs {
		byPayer[d.payer.ID] = d.inv.Number
	}
	for _, r := range c.Rows {
		a.Rows = append(a.Rows, report.SettlementRow{Payer: r.Payer.Name, Invoiced: r.Invoiced, Corrections: r.Corrections,
			Final: r.Final, Settlement: r.settlement(), Document: byPayer[r.Payer.ID]})
	}
	if pdf, err = report.SettlementAppendixPDF(a); err != nil {
		return nil, nil, err
	}
	if xlsx, err = report.SettlementAppendixXLSX(a); err != nil {
		return nil, nil, err
	}
	return pdf, xlsx, nil
}

func (c *costSettlement) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Payer\tName\tInvoiced\tCorrections\tFinal share\tSettlement\t\n")
	var inv, cor, fin compute.Money
	for _, r := range c.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Payer.ID, r.Payer.Name, r.Invoiced, r.Corrections, r.Final, r.settlement())
		inv, cor, fin = inv+r.Invoiced, cor+r.Corrections, fin+r.Final
	}
	fmt.Fprintf(tw, "\tTotal\t%s\t%s\t%s\t%s\t\n", inv, cor, fin, fin-inv-cor)
	tw.Flush()
	fmt.Fprintf(w, "\nActual cost %s: %s by population, %s by the period's activities\n", c.Cost, c.Budget.Population, c.Budget.Activity)
}
