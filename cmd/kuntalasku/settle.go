package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
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

// runSettle is "kuntalasku settle": the year-end settlement of a period from
// its actual cost. For the per-resident scheme (SPEC 1.2) a surplus — the
// usage fees invoiced for the year, net of corrections, minus the actual cost
// — is returned as credit notes in proportion to each subscriber's fees; a
// deficit is reported and nothing is issued. A period is settled once.
func (m *Main) runSettle(ctx context.Context, args []string) error {
	fs := m.flagSet("settle", "--config FILE --year YYYY --actual-cost AMOUNT [--issue-date D] [--out DIR] [--dry-run]",
		"kuntalasku settle --config examples/lasteri/kuntalasku.toml --year 2022 --actual-cost 45000.00")
	yearFlag := fs.String("year", "", "the `year` to settle, such as 2022 (required)")
	costFlag := fs.String("actual-cost", "", "the year's actual cost in euros, such as 45000.00 (required)")
	flags := addIssueFlags(fs, "documents")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *flags.config == "" || *yearFlag == "" || *costFlag == "" {
		fs.Usage()
		return &usageError{"settle: --config, --year and --actual-cost are required"}
	}
	year, err := strconv.Atoi(*yearFlag)
	if err != nil || len(*yearFlag) != 4 || year < 1000 {
		return &usageError{fmt.Sprintf("settle: --year %q: expected a year such as 2022", *yearFlag)}
	}
	cost, err := compute.ParseMoney(*costFlag)
	if err != nil {
		return &usageError{fmt.Sprintf("settle: --actual-cost: %v", err)}
	}
	if cost < 0 {
		return &usageError{fmt.Sprintf("settle: --actual-cost %s is negative", cost)}
	}
	cfg, issue, created, err := flags.load(m)
	if err != nil {
		return err
	}
	period, err := feeYearPeriod(*yearFlag)
	if err != nil {
		return &usageError{fmt.Sprintf("settle: --year: %v", err)}
	}
	if cfg.Scheme.Kind != KindPerResident {
		period = cfg.Period()
		if period.To.Year != year {
			return &usageError{fmt.Sprintf("settle: --year %d: the scheme's period is %s … %s; settle it with --year %d", year, period.From, period.To, period.To.Year)}
		}
	}
	if !issue.After(period.To) {
		return &usageError{fmt.Sprintf("--issue-date %s: the period ends %s; settle it after it has ended", issue, period.To)}
	}

	out := outDir(*flags.out, cfg)
	if !*flags.dryRun {
		release, err := m.lockLedger(ctx, cfg, out, "settle "+*yearFlag)
		if err != nil {
			return err
		}
		defer release()
	}
	store, err := m.openExisting(ctx, cfg, out, *flags.dryRun)
	if err != nil {
		return err
	}
	res, nothing, err := m.computeSettlement(ctx, store, cfg, period, cost, issue, created)
	if err != nil {
		store.Close()
		return err
	}
	prev, err := store.FindRun(ctx, cfg.Scheme.ID, *yearFlag, ledger.KindSettlement)
	if err != nil {
		store.Close()
		return err
	}
	nextRun, _, err := store.Next(ctx, cfg.Scheme.ID, issue.Year)
	store.Close()
	if err != nil {
		return err
	}
	r := &cycleRun{m: m, cfg: cfg, res: res, issue: issue, created: created, out: out,
		kind: ledger.KindSettlement, folder: "settlement-" + *yearFlag, nextRun: nextRun, send: *flags.send}
	if nothing != "" && prev == nil {
		res.print(m.Stdout)
		fmt.Fprintf(m.Stdout, "\nNothing was issued: %s.\n", nothing)
		return nil
	}
	if err := checkDrafts(ctx, cfg, res, issue); err != nil {
		return err
	}
	if *flags.dryRun {
		return r.dryRun(ctx)
	}
	return r.execute(ctx)
}

// computeSettlement computes the settlement of the period from the ledger
// and the actual cost. nothing says why nothing is to be issued, "" when
// something is. Every cycle of the period must be invoiced first.
func (m *Main) computeSettlement(ctx context.Context, store *ledger.Store, cfg *Config, period compute.Period, cost compute.Money, issue compute.Date, created time.Time) (res invoicing, nothing string, err error) {
	if err := checkYearInvoiced(ctx, store, cfg, period); err != nil {
		return nil, "", err
	}
	docs, err := store.Invoiced(ctx, cfg.Scheme.ID, period.From, period.To)
	if err != nil {
		return nil, "", err
	}
	if cfg.Scheme.Kind == KindPerResident {
		s, err := computeSurplus(docs, cfg, period, cost, issue, created)
		if err != nil {
			return nil, "", err
		}
		if s.Surplus <= 0 {
			nothing = "the decision returns a surplus only; a deficit is covered by other means"
		}
		return s, nothing, nil
	}
	c, err := computeCostSettlement(docs, cfg, period, cost, issue, created, m.progress)
	if err != nil {
		return nil, "", err
	}
	if c.count() == 0 {
		nothing = "every payer's final share equals what it was invoiced"
	}
	return c, nothing, nil
}

// surplus is the per-resident scheme's settlement of a year (SPEC 1.2).
type surplus struct {
	cfg     *Config
	issue   compute.Date
	created time.Time

	Year    int
	Period  compute.Period
	Cost    compute.Money // the actual cost
	Fees    compute.Money // the usage fees invoiced for the year, net of corrections
	Surplus compute.Money // Fees − Cost; a deficit when negative
	Rows    []*surplusRow // subscribers invoiced fees for the year, by payer id
}

// surplusRow is one subscriber's part of the surplus.
type surplusRow struct {
	Payer       *PayerConfig
	Invoiced    compute.Money // usage fees of the regular runs (net)
	Corrections compute.Money // of the corrections (net: credits negative)
	Share       compute.Money // the surplus returned to it
	// Invoice is the subscriber's latest invoice of the year's usage fees:
	// the credit note refers to it, and takes the VAT rate of its (last) fee
	// line.
	Invoice *ledger.Document
	Rate    decimal.Decimal
}

// fees are the subscriber's usage fees for the year, net of corrections.
func (r *surplusRow) fees() compute.Money { return r.Invoiced + r.Corrections }

// computeSurplus splits the surplus of the year from what the ledger holds
// of it (docs).
func computeSurplus(docs []ledger.Document, cfg *Config, period compute.Period, cost compute.Money, issue compute.Date, created time.Time) (*surplus, error) {
	year := period.From.Year
	s := &surplus{cfg: cfg, issue: issue, created: created, Year: year, Period: period, Cost: cost}
	byID := map[string]*surplusRow{}
	for i := range docs {
		d := &docs[i]
		var fee compute.Money
		var rate decimal.Decimal
		for _, l := range d.Lines {
			if l.Kind == report.LineFee {
				fee += l.Net
				rate = l.VATRate
			}
		}
		if fee == 0 {
			continue
		}
		r := byID[d.Payer]
		if r == nil {
			p, err := ledgerPayer(cfg, d)
			if err != nil {
				return nil, err
			}
			r = &surplusRow{Payer: p}
			byID[d.Payer] = r
		}
		if d.RunKind == ledger.KindRegular {
			r.Invoiced += fee
		} else {
			r.Corrections += fee
		}
		if d.Type == ledger.TypeInvoice && fee > 0 {
			r.Invoice, r.Rate = d, rate // documents come in number order: the latest wins
		}
	}
	// The largest remainder method gives ties to the earlier payer: the
	// payers are in the order of their ids, not of the configuration.
	ids := slices.Sorted(maps.Keys(byID))
	for _, id := range ids {
		r := byID[id]
		s.Rows = append(s.Rows, r)
		s.Fees += r.fees()
	}
	s.Surplus = s.Fees - cost
	if s.Surplus > 0 {
		fees := make([]compute.Money, len(s.Rows))
		for i, r := range s.Rows {
			fees[i] = r.fees()
		}
		shares, err := compute.SplitSurplus(s.Surplus, fees)
		if err != nil {
			return nil, &inputError{err}
		}
		for i, r := range s.Rows {
			r.Share = shares[i]
		}
	}
	return s, nil
}

// checkYearInvoiced reports the cycles of the year, with something to bill,
// that have no regular run yet: a year is settled when all of it is invoiced.
func checkYearInvoiced(ctx context.Context, store *ledger.Store, cfg *Config, period compute.Period) error {
	runs, err := store.Runs(ctx, cfg.Scheme.ID)
	if err != nil {
		return err
	}
	invoiced := map[string]bool{}
	for _, r := range runs {
		if r.Kind == ledger.KindRegular {
			invoiced[r.Cycle] = true
		}
	}
	var missing []string
	for _, c := range period.Cycles(cfg.Frequency()) {
		if invoiced[c.ID] || !anyContract(cfg, c) {
			continue
		}
		missing = append(missing, c.ID)
	}
	if len(missing) > 0 {
		return &inputError{fmt.Errorf("%d is not fully invoiced: cycle %v has no run yet; invoice every cycle of the year (kuntalasku run) before settling it", period.From.Year, missing)}
	}
	return nil
}

// anyContract reports whether any subscriber's contract covers part of c.
func anyContract(cfg *Config, c compute.Cycle) bool {
	for _, p := range cfg.Payers {
		if !p.ContractStart.d.After(c.To()) && (!p.ContractEnd.set || !p.ContractEnd.d.Before(c.From())) {
			return true
		}
	}
	return false
}

// ledgerPayer is the configured payer of a document in the ledger.
func ledgerPayer(cfg *Config, d *ledger.Document) (*PayerConfig, error) {
	p := cfg.payer(d.Payer)
	if p == nil {
		return nil, &inputError{fmt.Errorf("the ledger has %s for payer %s %s, who is no longer in the configuration %s; its billing details are needed for the settlement", d.Number, d.Payer, d.PayerName, cfg.path)}
	}
	return p, nil
}

// payer is the payer with id, nil if none.
func (c *Config) payer(id string) *PayerConfig {
	for i := range c.Payers {
		if c.Payers[i].ID == id {
			return &c.Payers[i]
		}
	}
	return nil
}

// The settlement's part of a run (invoicing).

func (s *surplus) cycle() compute.Cycle {
	return compute.Cycle{ID: strconv.Itoa(s.Year), First: s.Period.FirstMonth(), Last: s.Period.LastMonth()}
}

func (s *surplus) inputs() []manifest.Input { return []manifest.Input{s.cfg.Input()} }

func (s *surplus) count() int {
	n := 0
	for _, r := range s.Rows {
		if r.Share > 0 {
			n++
		}
	}
	return n
}

func (s *surplus) totals() map[string]compute.Money {
	return draftTotals(s, s.issue)
}

// draftTotals are what res's drafts total per payer.
func draftTotals(res invoicing, issue compute.Date) map[string]compute.Money {
	t := map[string]compute.Money{}
	drafts, err := res.drafts(context.Background(), ledger.Numbers{Year: issue.Year, First: 1, Prefix: "X", ReferenceCode: 1, Count: res.count()})
	if err != nil {
		return t
	}
	for _, d := range drafts {
		t[d.payer.ID] += d.net + d.vat
	}
	return t
}

// drafts are the credit notes returning the surplus, one per subscriber
// with a share, each referring to the subscriber's latest fee invoice.
func (s *surplus) drafts(ctx context.Context, n ledger.Numbers) ([]*document, error) {
	cfg := s.cfg
	var docs []*document
	for _, r := range s.Rows {
		if r.Share <= 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, orig := r.Payer, r.Invoice
		if orig == nil {
			return nil, fmt.Errorf("payer %s: no invoice of the %d usage fees to refer to", p.ID, s.Year)
		}
		loc, err := templates.Lookup(p.Language)
		if err != nil {
			return nil, err
		}
		tx := loc.Texts()
		reason := tx.T("surplus_reason", map[string]any{"Year": s.Year, "Total": loc.Money(s.Fees), "Cost": loc.Money(s.Cost), "Surplus": loc.Money(s.Surplus)})
		line := report.InvoiceLine{
			Kind:        report.LineSurplus,
			Description: tx.T("line_surplus", map[string]any{"Year": s.Year}),
			Basis:       tx.T("line_basis_surplus", map[string]any{"Fees": loc.Money(r.fees()), "Total": loc.Money(s.Fees), "Surplus": loc.Money(s.Surplus)}),
			Quantity:    decimal.NewFromInt(-1), Unit: report.UnitLot, UnitPrice: r.Share,
			VATRate: r.Rate, Net: -r.Share,
		}
		if err := tx.Err(); err != nil {
			return nil, err
		}
		k := len(docs)
		inv := &report.Invoice{
			Lang: p.Language, Number: n.Number(k), IssueDate: s.issue,
			From: s.Period.From, To: s.Period.To, Service: serviceName(cfg, p.Language),
			Seller: sellerParty(cfg), Buyer: buyerParty(p), BuyerReference: p.BuyerReference,
			Reference: orig.Reference, Lines: []report.InvoiceLine{line}, Created: s.created,
			VATGround: cfg.PerResident.FeeVATGround,
			Credit:    &report.Credit{Number: orig.Number, Date: orig.IssueDate, Reason: reason},
		}
		d, err := newDocument(p, inv)
		if err != nil {
			return nil, err
		}
		d.role = ledger.RoleSurplus
		docs = append(docs, d)
	}
	return docs, nil
}

func (s *surplus) describe(man *manifest.Manifest) {
	man.Rate = s.cfg.PerResident.Rate.d.String()
	cost := s.Cost
	man.ActualCost = &cost
	man.Allocation = []manifest.FeeRow{}
	for _, r := range s.Rows {
		man.Settlement = append(man.Settlement, manifest.SettlementRow{Payer: r.Payer.ID, Name: r.Payer.Name,
			Invoiced: r.Invoiced, Corrections: r.Corrections, Final: r.fees() - r.Share, Settlement: -r.Share})
	}
}

func (s *surplus) appendix(docs []*document) (pdf, xlsx []byte, err error) {
	cfg := s.cfg
	a := &report.SettlementAppendix{
		Lang: cfg.Scheme.Language, SchemeName: cfg.Scheme.Name, Seller: cfg.Seller.Name,
		Kind: report.SettlementSurplus, From: s.Period.From, To: s.Period.To, Created: s.created,
		ActualCost: s.Cost, Inputs: reportInputs(s.inputs()),
	}
	byPayer := map[string]string{}
	for _, d := range docs {
		byPayer[d.payer.ID] = d.inv.Number
	}
	for _, r := range s.Rows {
		a.Rows = append(a.Rows, report.SettlementRow{Payer: r.Payer.Name, Invoiced: r.Invoiced, Corrections: r.Corrections,
			Final: r.fees() - r.Share, Settlement: -r.Share, Document: byPayer[r.Payer.ID]})
	}
	if pdf, err = report.SettlementAppendixPDF(a); err != nil {
		return nil, nil, err
	}
	if xlsx, err = report.SettlementAppendixXLSX(a); err != nil {
		return nil, nil, err
	}
	return pdf, xlsx, nil
}

func (s *surplus) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Payer\tSubscriber\tFees invoiced\tCorrections\tFees net\tSurplus returned\t\n")
	for _, r := range s.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Payer.ID, r.Payer.Name, r.Invoiced, r.Corrections, r.fees(), r.Share)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nUsage fees %d, net of corrections: %s\nActual cost: %s\n", s.Year, s.Fees, s.Cost)
	switch {
	case s.Surplus > 0:
		fmt.Fprintf(w, "Surplus: %s, returned in proportion to the fees\n", s.Surplus)
	case s.Surplus < 0:
		fmt.Fprintf(w, "Deficit: %s\n", -s.Surplus)
	default:
		fmt.Fprintln(w, "No surplus: the fees equal the actual cost")
	}
}
