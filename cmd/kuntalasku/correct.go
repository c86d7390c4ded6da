package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// runCorrect is "kuntalasku correct" (SPEC 5): it recomputes an invoiced
// cycle from corrected inputs, compares each payer's amounts with the
// cycle's current state in the ledger, and corrects the payers whose amounts
// changed (and those named with --payer): in replace mode a credit note of
// the current invoice and a new invoice, in difference mode one document for
// the difference. Unchanged payers get nothing.
func (m *Main) runCorrect(ctx context.Context, args []string) error {
	fs := m.flagSet("correct", "--config FILE --cycle C --reason TEXT [--population FILE] [--activities [SOURCE=]FILE]... [--mode replace|difference] [--payer ID]... [--issue-date D] [--out DIR] [--dry-run]",
		`kuntalasku correct --config examples/varsinais-suomi/kuntalasku.toml --cycle 2021-01 --reason "Puhelut puuttuivat suoritelokista" --activities puhelut=korjattu.csv`)
	cycleFlag := fs.String("cycle", "", "the invoiced `cycle` to correct, such as 2021-01 (required)")
	reasonFlag := fs.String("reason", "", "why the cycle is corrected: printed on every document and the appendix (required)")
	popFlag := fs.String("population", "", "the corrected population export (`file`) instead of the configured one")
	var actFlags listFlag
	fs.Var(&actFlags, "activities", "a corrected activity export instead of the configured ones: `FILE` in the canonical format, or SOURCE=FILE (repeatable)")
	mode := fs.String("mode", report.CorrectionReplace, "replace: credit the current invoice and issue a new one; difference: one document for the difference")
	var payerFlags listFlag
	fs.Var(&payerFlags, "payer", "a payer `ID` to credit and reissue even if its amounts did not change, e.g. after an address change (repeatable)")
	flags := addIssueFlags(fs, "documents")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *flags.config == "" || *cycleFlag == "" || strings.TrimSpace(*reasonFlag) == "" {
		fs.Usage()
		return &usageError{"correct: --config, --cycle and --reason are required"}
	}
	if *mode != report.CorrectionReplace && *mode != report.CorrectionDifference {
		return &usageError{fmt.Sprintf("correct: --mode %q: expected replace or difference", *mode)}
	}
	if *mode == report.CorrectionDifference && len(payerFlags) > 0 {
		return &usageError{"correct: --payer credits and reissues unchanged documents: use it with --mode replace"}
	}
	cfg, issue, created, err := flags.load(m)
	if err != nil {
		return err
	}
	for _, id := range payerFlags {
		if cfg.payer(id) == nil {
			return &usageError{fmt.Sprintf("correct: --payer %s: no such payer (the payers are %s)", id, payerIDs(cfg))}
		}
	}
	res, err := m.computeInvoicing(cfg, *cycleFlag, *popFlag, actFlags, issue, created)
	if err != nil {
		return err
	}
	cycle := res.cycle()
	if !issue.After(cycle.To()) {
		return &usageError{fmt.Sprintf("--issue-date %s: cycle %s ends %s", issue, cycle.ID, cycle.To())}
	}

	out := outDir(*flags.out, cfg)
	if !*flags.dryRun {
		release, err := m.lockLedger(ctx, cfg, out, "correct "+*cycleFlag)
		if err != nil {
			return err
		}
		defer release()
	}
	store, err := m.openExisting(ctx, cfg, out, *flags.dryRun)
	if err != nil {
		return err
	}
	c, nextRun, err := readCorrection(ctx, store, cfg, res, *mode, strings.TrimSpace(*reasonFlag), payerFlags, issue, created)
	store.Close()
	if err != nil {
		return err
	}
	if err := c.plan(ctx); err != nil {
		return err
	}
	r := &cycleRun{m: m, cfg: cfg, res: c, issue: issue, created: created, out: out,
		kind: ledger.KindCorrection, folder: cycle.ID, nextRun: nextRun, send: *flags.send}
	if c.count() == 0 {
		fmt.Fprintf(m.Stdout, "%s — correction of cycle %s (%s … %s)\n\n", cfg.Scheme.Name, cycle.ID, cycle.From(), cycle.To())
		c.print(m.Stdout)
		fmt.Fprintln(m.Stdout, "\nNothing to correct: no payer's amounts changed and no payer was named with --payer. Nothing was written.")
		return nil
	}
	if err := checkDrafts(ctx, cfg, c, issue); err != nil {
		return err
	}
	if *flags.dryRun {
		return r.dryRun(ctx)
	}
	return r.execute(ctx)
}

// computeInvoicing computes a cycle of the configuration's scheme from its
// inputs: what run invoices and correct compares.
func (m *Main) computeInvoicing(cfg *Config, cycleID, popFlag string, actFlags listFlag, issue compute.Date, created time.Time) (invoicing, error) {
	if cfg.Scheme.Kind == KindPerResident {
		if len(actFlags) > 0 {
			return nil, &usageError{"--activities is the cost-sharing scheme's; the per-resident scheme reads inputs.hours and inputs.manual_lines"}
		}
		return computeFeeCycle(cfg, cycleID, popFlag, issue, created)
	}
	return computeCycle(cfg, cycleID, popFlag, actFlags, issue, created, m.progress)
}

// correction is a correction of one invoiced cycle.
type correction struct {
	cfg     *Config
	base    invoicing // the cycle recomputed from the corrected inputs
	mode    string
	reason  string
	issue   compute.Date
	created time.Time
	rows    []*correctionRow // every payer with something invoiced or to invoice, in the configuration's order
	docs    []*document      // set by plan, numbered from 0 (drafts renumbers them)
	run     int64            // the run's number, set by drafts
}

// correctionRow is one payer's state and its correction.
type correctionRow struct {
	payer *PayerConfig
	// live is the payer's current invoice of the cycle, which a
	// correction refers to; diffs are the difference documents issued
	// on it since. nil and none when the payer has nothing invoiced.
	live     *ledger.Document
	diffs    []ledger.Document
	old, new compute.Money // totals with VAT
	draft    *document     // the recomputed invoice; nil when it would be 0
	named    bool
	changed  bool
	issued   []*document
}

// lineKey groups lines that bill the same thing, to compare two states.
type lineKey struct{ kind, description, rate string }

// stateLines sums a state's lines by key, keeping the keys' first order.
type stateLines struct {
	keys []lineKey
	net  map[lineKey]compute.Money
	line map[lineKey]ledger.Line // the first line of each key
}

func (s *stateLines) add(l ledger.Line) {
	if s.net == nil {
		s.net, s.line = map[lineKey]compute.Money{}, map[lineKey]ledger.Line{}
	}
	k := lineKey{l.Kind, l.Description, l.VATRate.String()}
	if _, ok := s.net[k]; !ok {
		s.keys = append(s.keys, k)
		s.line[k] = l
	}
	s.net[k] += l.Net
}

// equal reports whether two states bill the same amounts.
func (s *stateLines) equal(o *stateLines) bool {
	for _, k := range append(slices.Clone(s.keys), o.keys...) {
		if s.net[k] != o.net[k] {
			return false
		}
	}
	return true
}

// vat is the state's VAT of rate: computed on the sum of the rate's net
// amounts, as every document of the state was made to add up to.
func (s *stateLines) vat(rate string) (compute.Money, error) {
	var nets []compute.Money
	var rates []decimal.Decimal
	for _, k := range s.keys {
		if k.rate == rate {
			nets, rates = append(nets, s.net[k]), append(rates, s.line[k].VATRate)
		}
	}
	rows, err := compute.VATBreakdown(nets, rates)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].VAT, nil
}

// oldLines are the payer's current state; newLines the recomputed one.
func (r *correctionRow) oldLines() *stateLines {
	s := &stateLines{}
	if r.live != nil {
		for _, l := range r.live.Lines {
			s.add(l)
		}
	}
	for _, d := range r.diffs {
		for _, l := range d.Lines {
			s.add(l)
		}
	}
	return s
}

func (r *correctionRow) newLines() *stateLines {
	s := &stateLines{}
	if r.draft != nil {
		for _, l := range r.draft.inv.Lines {
			s.add(ledger.Line{Kind: l.Kind, Description: l.Description, Basis: l.Basis, Quantity: l.Quantity,
				Unit: string(l.Unit), UnitPrice: l.UnitPrice, VATRate: l.VATRate, Net: l.Net})
		}
	}
	return s
}

// readCorrection reads the cycle's state from the ledger and compares it
// with the recomputed cycle. It returns the run number the correction must
// get.
func readCorrection(ctx context.Context, store *ledger.Store, cfg *Config, base invoicing, mode, reason string, named []string, issue compute.Date, created time.Time) (*correction, int64, error) {
	cycle := base.cycle()
	regular, err := store.RegularRun(ctx, cfg.Scheme.ID, cycle.ID)
	if err != nil {
		return nil, 0, err
	}
	if regular == nil {
		return nil, 0, &inputError{fmt.Errorf("cycle %s has not been invoiced: there is nothing to correct; invoice it with kuntalasku run", cycle.ID)}
	}
	docs, err := store.CycleDocuments(ctx, cfg.Scheme.ID, cycle.ID)
	if err != nil {
		return nil, 0, err
	}
	next, _, err := store.Next(ctx, cfg.Scheme.ID, issue.Year)
	if err != nil {
		return nil, 0, err
	}
	drafts, err := base.drafts(ctx, ledger.Numbers{Year: issue.Year, First: 1, Prefix: cfg.Scheme.Prefix, ReferenceCode: cfg.Scheme.ReferenceCode, Count: base.count()})
	if err != nil {
		return nil, 0, err
	}
	c := &correction{cfg: cfg, base: base, mode: mode, reason: reason, issue: issue, created: created}
	credited := map[string]bool{}
	for _, d := range docs {
		if d.Role == ledger.RoleCredit {
			credited[d.Credits] = true
		}
	}
	for i := range cfg.Payers {
		p := &cfg.Payers[i]
		r := &correctionRow{payer: p, named: slices.Contains(named, p.ID)}
		for k := range docs {
			d := &docs[k]
			if d.Payer == p.ID && d.Type == ledger.TypeInvoice && (d.Role == ledger.RoleCycle || d.Role == ledger.RoleReplacement) && !credited[d.Number] {
				r.live = d // by number: the latest wins
			}
		}
		live := ""
		if r.live != nil {
			live, r.old = r.live.Number, r.live.Total
		}
		for _, d := range docs {
			if d.Payer == p.ID && d.Role == ledger.RoleDifference && d.Refers == live {
				r.diffs = append(r.diffs, d)
				r.old += d.Total
			}
		}
		for _, d := range drafts {
			if d.payer.ID == p.ID {
				r.draft, r.new = d, d.net+d.vat
			}
		}
		r.changed = r.old != r.new || !r.oldLines().equal(r.newLines())
		if r.named && r.live == nil && r.draft == nil {
			return nil, 0, &inputError{fmt.Errorf("--payer %s: %s has nothing invoiced in cycle %s and nothing to invoice", p.ID, p.Name, cycle.ID)}
		}
		if r.live != nil || r.draft != nil || len(r.diffs) > 0 {
			c.rows = append(c.rows, r)
		}
	}
	return c, next, nil
}

// plan makes the correction's documents, numbered from 0.
func (c *correction) plan(ctx context.Context) error {
	c.docs = nil
	n := ledger.Numbers{Year: c.issue.Year, First: 1, Prefix: c.cfg.Scheme.Prefix, ReferenceCode: c.cfg.Scheme.ReferenceCode}
	for _, r := range c.rows {
		r.issued = nil
		if !r.changed && !r.named {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if c.mode == report.CorrectionReplace {
			err = c.replace(r, n)
		} else {
			err = c.difference(r, n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// add numbers inv as the next document and keeps it.
func (c *correction) add(r *correctionRow, inv *report.Invoice, n ledger.Numbers, role, refers string) error {
	k := len(c.docs)
	inv.Number = n.Number(k)
	if inv.Credit == nil {
		ref, err := n.Reference(k)
		if err != nil {
			return err
		}
		inv.Reference = ref
	}
	d, err := newDocument(r.payer, inv)
	if err != nil {
		return err
	}
	d.role, d.refers = role, refers
	c.docs = append(c.docs, d)
	r.issued = append(r.issued, d)
	return nil
}

// replace credits the payer's current invoice in full and issues the
// recomputed one.
func (c *correction) replace(r *correctionRow, n ledger.Numbers) error {
	p := r.payer
	if len(r.diffs) > 0 {
		return &inputError{fmt.Errorf("payer %s %s: its invoice %s of cycle %s has been corrected with difference documents (%s); correct it again with --mode difference",
			p.ID, p.Name, r.live.Number, c.base.cycle().ID, r.diffs[0].Number)}
	}
	var orig *report.Credit
	if live := r.live; live != nil {
		orig = &report.Credit{Number: live.Number, Date: live.IssueDate, Reason: c.reason}
		credit := c.invoiceFor(p, live.Lang, live.From, live.To)
		credit.Reference, credit.Credit = live.Reference, orig
		for _, l := range live.Lines {
			credit.Lines = append(credit.Lines, report.InvoiceLine{Kind: l.Kind, Description: l.Description, Basis: l.Basis,
				Quantity: l.Quantity.Neg(), Unit: report.Unit(l.Unit), UnitPrice: l.UnitPrice, VATRate: l.VATRate, Net: -l.Net})
		}
		if err := c.add(r, credit, n, ledger.RoleCredit, live.Number); err != nil {
			return err
		}
	}
	if r.draft != nil {
		inv := *r.draft.inv
		inv.IssueDate, inv.Created = c.issue, c.created
		if orig != nil {
			inv.Corrects = orig
		}
		if err := c.add(r, &inv, n, ledger.RoleReplacement, refersTo(r.live)); err != nil {
			return err
		}
	}
	return nil
}

// difference issues one document for the difference between the payer's
// current state and the recomputed one: an invoice when it is positive, a
// credit note otherwise. Its VAT per rate is the difference of the states'
// VAT, so that the state after it is exactly the recomputed invoice.
func (c *correction) difference(r *correctionRow, n ledger.Numbers) error {
	p := r.payer
	old, now := r.oldLines(), r.newLines()
	loc, err := templates.Lookup(p.Language)
	if err != nil {
		return err
	}
	tx := loc.Texts()
	from, to := c.base.cycle().From(), c.base.cycle().To()
	inv := c.invoiceFor(p, p.Language, from, to)
	stated := map[string]compute.Money{}
	keys := append(slices.Clone(now.keys), old.keys...)
	seen := map[lineKey]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		delta := now.net[k] - old.net[k]
		if delta == 0 {
			continue
		}
		l, ok := now.line[k]
		if !ok {
			l = old.line[k]
		}
		// A lot of the difference: a negative one has a negative quantity,
		// as a credit note's lines do.
		qty := decimal.NewFromInt(1)
		if delta < 0 {
			qty = qty.Neg()
		}
		inv.Lines = append(inv.Lines, report.InvoiceLine{Kind: l.Kind, Description: l.Description,
			Basis:    tx.T("line_basis_correction", map[string]any{"Old": loc.Money(old.net[k]), "New": loc.Money(now.net[k])}),
			Quantity: qty, Unit: report.UnitLot, UnitPrice: delta.Abs(), VATRate: l.VATRate, Net: delta})
		if _, ok := stated[k.rate]; !ok {
			vNew, err := now.vat(k.rate)
			if err != nil {
				return err
			}
			vOld, err := old.vat(k.rate)
			if err != nil {
				return err
			}
			stated[k.rate] = vNew - vOld
		}
	}
	if err := tx.Err(); err != nil {
		return err
	}
	inv.StatedVAT = stated
	var orig *report.Credit
	if r.live != nil {
		orig = &report.Credit{Number: r.live.Number, Date: r.live.IssueDate, Reason: c.reason}
	}
	if r.new-r.old > 0 {
		inv.Corrects = orig
		days := c.cfg.PaymentDays(p)
		inv.DueDate, inv.PaymentDays = c.issue.AddDays(days), days
	} else {
		if orig == nil {
			return fmt.Errorf("payer %s: a credit of %s with no invoice to credit", p.ID, r.new-r.old)
		}
		inv.Credit, inv.Reference = orig, r.live.Reference
	}
	return c.add(r, inv, n, ledger.RoleDifference, refersTo(r.live))
}

// invoiceFor is a document for p of the cycle, without number and lines.
func (c *correction) invoiceFor(p *PayerConfig, lang string, from, to compute.Date) *report.Invoice {
	return &report.Invoice{
		Lang: lang, IssueDate: c.issue, From: from, To: to, Service: serviceName(c.cfg, lang),
		Seller: sellerParty(c.cfg), Buyer: buyerParty(p), BuyerReference: p.BuyerReference,
		Created: c.created, VATGround: c.vatGround(),
	}
}

// vatGround is the scheme's printed ground of a 0 % rate, if configured.
func (c *correction) vatGround() string {
	if c.cfg.Scheme.Kind == KindPerResident {
		return c.cfg.PerResident.FeeVATGround
	}
	return ""
}

func refersTo(d *ledger.Document) string {
	if d == nil {
		return ""
	}
	return d.Number
}

// The correction's part of a run (invoicing).

func (c *correction) cycle() compute.Cycle     { return c.base.cycle() }
func (c *correction) inputs() []manifest.Input { return c.base.inputs() }
func (c *correction) count() int               { return len(c.docs) }

func (c *correction) totals() map[string]compute.Money { return draftTotals(c, c.issue) }

// drafts are the planned documents renumbered by n.
func (c *correction) drafts(ctx context.Context, n ledger.Numbers) ([]*document, error) {
	if err := c.plan(ctx); err != nil {
		return nil, err
	}
	c.run = n.Run
	var docs []*document
	for k, d := range c.docs {
		inv := *d.inv
		inv.Number = n.Number(k)
		if inv.Credit == nil {
			ref, err := n.Reference(k)
			if err != nil {
				return nil, err
			}
			inv.Reference = ref
		}
		nd, err := newDocument(d.payer, &inv)
		if err != nil {
			return nil, err
		}
		nd.role, nd.refers = d.role, d.refers
		docs = append(docs, nd)
	}
	return docs, nil
}

func (c *correction) describe(man *manifest.Manifest) {
	c.base.describe(man)
	man.Reason, man.Mode = c.reason, c.mode
	for _, r := range c.rows {
		man.Corrections = append(man.Corrections, manifest.CorrectionRow{Payer: r.payer.ID, Name: r.payer.Name,
			Old: r.old, New: r.new, Difference: r.new - r.old, Named: r.named})
	}
}

func (c *correction) appendix(docs []*document) (pdf, xlsx []byte, err error) {
	cfg, cycle := c.cfg, c.base.cycle()
	a := &report.CorrectionAppendix{
		Lang: cfg.Scheme.Language, SchemeName: cfg.Scheme.Name, Seller: cfg.Seller.Name, Mode: c.mode,
		Cycle: cycle.ID, From: cycle.From(), To: cycle.To(), Created: c.created, Reason: c.reason,
		Run: c.run, Inputs: reportInputs(c.inputs()),
	}
	byPayer := map[string][]*document{}
	for _, d := range docs {
		byPayer[d.payer.ID] = append(byPayer[d.payer.ID], d)
	}
	for _, r := range c.rows {
		row := report.CorrectionRow{Payer: r.payer.Name, Old: r.old, New: r.new, Named: r.named}
		for _, d := range byPayer[r.payer.ID] {
			row.Documents = append(row.Documents, d.inv.Number)
			row.Issued += d.net + d.vat
		}
		a.Rows = append(a.Rows, row)
	}
	if pdf, err = report.CorrectionAppendixPDF(a); err != nil {
		return nil, nil, err
	}
	if xlsx, err = report.CorrectionAppendixXLSX(a); err != nil {
		return nil, nil, err
	}
	return pdf, xlsx, nil
}

func (c *correction) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Payer\tName\tInvoiced\tCorrected\tDifference\tCorrection\t\n")
	var old, now compute.Money
	for _, r := range c.rows {
		what := ""
		switch {
		case r.changed || r.named:
			var parts []string
			for _, d := range r.issued {
				parts = append(parts, documentKind(d))
			}
			what = strings.Join(parts, " + ")
			if r.named && !r.changed {
				what += " (named)"
			}
		default:
			what = "unchanged"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.payer.ID, r.payer.Name, r.old, r.new, r.new-r.old, what)
		old += r.old
		now += r.new
	}
	fmt.Fprintf(tw, "\tTotal\t%s\t%s\t%s\t\t\n", old, now, now-old)
	tw.Flush()
	fmt.Fprintf(w, "\nReason: %s\nMode: %s\n", c.reason, c.mode)
}

// documentKind names what a correction's document is, for a person.
func documentKind(d *document) string {
	switch {
	case d.role == ledger.RoleCredit:
		return "credit note"
	case d.role == ledger.RoleReplacement:
		return "new invoice"
	case d.inv.IsCredit():
		return "difference credit note"
	}
	return "difference invoice"
}
