package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/ingest"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// feeCycle is one cycle of the per-resident scheme computed from its inputs
// (SPEC 1.2): each subscriber's fee instalment, hours and manual lines.
type feeCycle struct {
	cfg     *Config
	issue   compute.Date
	created time.Time

	Cycle          compute.Cycle
	Year           int
	PopulationDate compute.Date // 31.12. of the year before
	Rows           []*feeRow    // subscribers with anything to bill, in the configuration's order
	Inputs         []manifest.Input
}

// feeRow is one subscriber's part of a cycle.
type feeRow struct {
	Payer      *PayerConfig
	Members    []string // member municipalities' names as the population file has them
	Population int64
	Months     []compute.Month // of the year billed
	YearFee    compute.Money
	Fee        compute.Money   // this cycle's instalment
	FeeMonths  []compute.Month // its months
	Hours      []ingest.HourEntry
	Manual     []ingest.ManualLine
}

// memberPattern is a member as written in the configuration: its code, and
// optionally its name for population files without codes ("106 Hyvinkää").
var memberPattern = regexp.MustCompile(`^([0-9]{3})(?:\s+(\S.*))?$`)

// computeFeeCycle reads the population and the hours and manual lines and
// computes the cycle id of the per-resident scheme.
func computeFeeCycle(cfg *Config, id, popFlag string, issue compute.Date, created time.Time) (*feeCycle, error) {
	year, err := feeYearPeriod(id)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("--cycle: %v", err)}
	}
	cycle, err := year.Cycle(id, cfg.Frequency())
	if err != nil {
		return nil, &usageError{fmt.Sprintf("--cycle: %v", err)}
	}
	path, err := populationPath(popFlag, cfg)
	if err != nil {
		return nil, err
	}
	pop, popInput, err := readPopulation(path)
	if err != nil {
		return nil, err
	}
	Y := year.From.Year
	fc := &feeCycle{cfg: cfg, issue: issue, created: created, Cycle: cycle, Year: Y,
		PopulationDate: compute.Date{Year: Y - 1, Month: time.December, Day: 31}}
	fc.Inputs = []manifest.Input{cfg.Input(), popInput}

	rows := make(map[string]*feeRow, len(cfg.Payers))
	var problems []error
	for i := range cfg.Payers {
		p := &cfg.Payers[i]
		r := &feeRow{Payer: p}
		rows[p.ID] = r
		r.Months, err = compute.BilledMonths(Y, p.ContractStart.d, p.ContractEnd.d)
		if err != nil {
			return nil, &inputError{fmt.Errorf("payer %s: %w", p.ID, err)}
		}
		if len(r.Months) == 0 {
			continue
		}
		if err := r.population(pop, Y-1); err != nil {
			problems = append(problems, err)
			continue
		}
		if r.YearFee, err = compute.YearFee(cfg.PerResident.Rate.d, r.Population, len(r.Months)); err != nil {
			return nil, &inputError{fmt.Errorf("payer %s: %w", p.ID, err)}
		}
		inst, err := compute.Instalments(r.YearFee, r.Months, cfg.Frequency(), Y)
		if err != nil {
			return nil, err
		}
		for _, in := range inst {
			if in.Cycle.ID == cycle.ID {
				r.Fee, r.FeeMonths = in.Fee, in.Months
			}
		}
	}
	if len(problems) > 0 {
		return nil, &inputError{errors.Join(problems...)}
	}
	if err := fc.readWork(rows); err != nil {
		return nil, err
	}
	for i := range cfg.Payers {
		r := rows[cfg.Payers[i].ID]
		if len(r.FeeMonths) > 0 || len(r.Hours) > 0 || len(r.Manual) > 0 {
			fc.Rows = append(fc.Rows, r)
		}
	}
	return fc, nil
}

// population sums the members' residents (all ages) on 31.12. of year.
func (r *feeRow) population(pop *ingest.Population, year int) error {
	p := r.Payer
	if !pop.HasYear(year) {
		return &ingest.Error{File: pop.File, Msg: fmt.Sprintf("no figures for 31.12.%d, the residents the %d fee is computed from (the file has %s)", year, year+1, yearList(pop.Years))}
	}
	members := p.Members
	if p.Kind == SubscriberMunicipality {
		members = []string{p.ID + " " + p.Name}
	}
	r.Population, r.Members = 0, nil
	for _, m := range members {
		mm := memberPattern.FindStringSubmatch(m)
		code, name := mm[1], mm[2]
		area := pop.Find(code, name)
		if area == nil {
			return &ingest.Error{File: pop.File, Msg: fmt.Sprintf("%s %s: member municipality %s is not in the file (looked for code %s and the name %q; a file without codes needs the name in the configuration, such as \"106 Hyvinkää\")", p.ID, p.Name, m, code, name)}
		}
		n, err := area.Total(year)
		if err != nil {
			return err
		}
		r.Population += n
		if p.Kind != SubscriberMunicipality {
			r.Members = append(r.Members, area.Name)
		}
	}
	return nil
}

// readWork reads the hours logs and manual lines and keeps those dated in the
// cycle. Every problem of every file is reported at once.
func (fc *feeCycle) readWork(rows map[string]*feeRow) error {
	var problems []error
	add := func(err error) {
		if err != nil {
			problems = append(problems, err)
		}
	}
	inCycle := func(file string, row int, sub string, d compute.Date) *feeRow {
		r := rows[sub]
		switch {
		case r == nil:
			add(&ingest.Error{File: file, Row: row, Msg: fmt.Sprintf("subscriber %q is not in the configuration (its payers are %s)", sub, payerIDs(fc.cfg))})
			return nil
		case !fc.Cycle.Contains(d):
			return nil
		case d.Before(r.Payer.ContractStart.d) || (r.Payer.ContractEnd.set && d.After(r.Payer.ContractEnd.d)):
			add(&ingest.Error{File: file, Row: row, Msg: fmt.Sprintf("%s is outside %s's contract", d, sub)})
			return nil
		}
		return r
	}
	hours, err := fc.cfg.globs("inputs.hours", fc.cfg.Inputs.Hours)
	if err != nil {
		return err
	}
	for _, path := range hours {
		in, err := hashFile(path, "hours", func(r io.Reader) error {
			return ingest.ReadHours(r, path, func(e *ingest.HourEntry) error {
				if row := inCycle(path, e.Row, e.Subscriber, e.Date); row != nil {
					row.Hours = append(row.Hours, *e)
				}
				return nil
			})
		})
		add(err)
		fc.Inputs = append(fc.Inputs, in)
	}
	manual, err := fc.cfg.globs("inputs.manual_lines", fc.cfg.Inputs.ManualLines)
	if err != nil {
		return err
	}
	for _, path := range manual {
		in, err := hashFile(path, "manual_lines", func(r io.Reader) error {
			return ingest.ReadManualLines(r, path, func(l *ingest.ManualLine) error {
				if row := inCycle(path, l.Row, l.Subscriber, l.Date); row != nil {
					row.Manual = append(row.Manual, *l)
				}
				return nil
			})
		})
		add(err)
		fc.Inputs = append(fc.Inputs, in)
	}
	if len(problems) > 0 {
		return &inputError{errors.Join(problems...)}
	}
	for _, r := range rows {
		sort.SliceStable(r.Hours, func(i, j int) bool { return r.Hours[i].Date.Before(r.Hours[j].Date) })
		sort.SliceStable(r.Manual, func(i, j int) bool { return r.Manual[i].Date.Before(r.Manual[j].Date) })
	}
	return nil
}

// globs expands the configured paths or patterns (relative to the
// configuration file) in name order; a pattern that matches nothing is an
// error, a missing list is none.
func (c *Config) globs(key string, patterns []string) ([]string, error) {
	var out []string
	for _, pattern := range patterns {
		paths, err := filepath.Glob(c.Path(pattern))
		if err != nil {
			return nil, &inputError{fmt.Errorf("configuration %s: %s: %q: %w", c.path, key, pattern, err)}
		}
		if len(paths) == 0 {
			return nil, &inputError{fmt.Errorf("%s: no file matches %s (relative to %s)", key, pattern, c.dir)}
		}
		sort.Strings(paths)
		out = append(out, paths...)
	}
	return out, nil
}

// hashFile reads the file at path with read and returns it as an input with
// its SHA-256.
func hashFile(path, role string, read func(io.Reader) error) (manifest.Input, error) {
	in := manifest.Input{Role: role, Path: path}
	f, err := os.Open(path)
	if err != nil {
		return in, &inputError{fmt.Errorf("read %s: %w", role, err)}
	}
	defer f.Close()
	h := sha256.New()
	r := io.TeeReader(f, h)
	if err := read(r); err != nil {
		return in, err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return in, fmt.Errorf("read %s: %w", path, err)
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	return in, nil
}

func payerIDs(cfg *Config) string {
	s := ""
	for i, p := range cfg.Payers {
		if i > 0 {
			s += ", "
		}
		s += p.ID
	}
	return s
}

// The per-resident scheme's part of a run (invoicing).

func (fc *feeCycle) cycle() compute.Cycle     { return fc.Cycle }
func (fc *feeCycle) inputs() []manifest.Input { return fc.Inputs }
func (fc *feeCycle) count() int               { return len(fc.Rows) }

func (fc *feeCycle) totals() map[string]compute.Money { return draftTotals(fc, fc.issue) }

// drafts are the subscribers' invoices: the fee instalment, the hours and the
// manual lines of the cycle.
func (fc *feeCycle) drafts(ctx context.Context, n ledger.Numbers) ([]*document, error) {
	cfg := fc.cfg
	var docs []*document
	for k, r := range fc.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := r.Payer
		lines, err := fc.lines(r)
		if err != nil {
			return nil, err
		}
		ref, err := n.Reference(k)
		if err != nil {
			return nil, err
		}
		days := cfg.PaymentDays(p)
		inv := &report.Invoice{
			Lang: p.Language, Number: n.Number(k), IssueDate: fc.issue, DueDate: fc.issue.AddDays(days), PaymentDays: days,
			From: fc.Cycle.From(), To: fc.Cycle.To(), Service: serviceName(cfg, p.Language),
			Seller: sellerParty(cfg), Buyer: buyerParty(p), BuyerReference: p.BuyerReference,
			Reference: ref, Lines: lines, Created: fc.created, VATGround: cfg.PerResident.FeeVATGround,
		}
		d, err := newDocument(p, inv)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// lines are one subscriber's invoice lines in its language.
func (fc *feeCycle) lines(r *feeRow) ([]report.InvoiceLine, error) {
	cfg, p := fc.cfg, r.Payer
	loc, err := templates.Lookup(p.Language)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	one := decimal.NewFromInt(1)
	var lines []report.InvoiceLine
	vat := cfg.VATTable()
	if len(r.FeeMonths) > 0 {
		basis := tx.T("line_basis_fee", map[string]any{
			"Rate": loc.Decimal(cfg.PerResident.Rate.d, 3), "Population": loc.Int(r.Population),
			"Date": loc.Date(fc.PopulationDate), "Months": len(r.Months), "YearFee": loc.Money(r.YearFee),
		})
		parts, err := feeParts(cfg, vat, r.Fee, r.FeeMonths)
		if err != nil {
			return nil, &inputError{fmt.Errorf("the fee of %s: %w", p.ID, err)}
		}
		for _, part := range parts {
			from, to := part.months[0].First(), part.months[len(part.months)-1].Last()
			lines = append(lines, report.InvoiceLine{
				Kind: report.LineFee, Description: tx.T("line_fee", map[string]any{"Period": loc.Period(from, to)}), Basis: basis,
				Quantity: one, Unit: report.UnitLot, UnitPrice: part.fee, VATRate: part.rate, Net: part.fee,
			})
		}
	}
	for _, h := range r.Hours {
		rate, err := vat.On(h.Date)
		if err != nil {
			return nil, &inputError{fmt.Errorf("hours of %s on %s: %w", p.ID, h.Date, err)}
		}
		price, basis := cfg.PerResident.HourlyPrice.m, ""
		if h.Kind == ingest.KindTraining && compute.TrainingIncluded(p.ContractStart.d, h.Date, *cfg.PerResident.TrainingMonths) {
			price, basis = 0, tx.T("line_basis_training_included", map[string]any{"Months": *cfg.PerResident.TrainingMonths})
		}
		net, err := compute.HourLine(h.Hours, price)
		if err != nil {
			return nil, &inputError{fmt.Errorf("hours of %s on %s: %w", p.ID, h.Date, err)}
		}
		lines = append(lines, report.InvoiceLine{
			Kind: report.LineWork, Description: loc.Date(h.Date) + " " + workDescription(tx, h), Basis: basis,
			Quantity: h.Hours, Unit: report.UnitHour, UnitPrice: price, VATRate: rate, Net: net,
		})
	}
	for _, m := range r.Manual {
		lines = append(lines, report.InvoiceLine{
			Kind: report.LineManual, Description: loc.Date(m.Date) + " " + m.Description,
			Quantity: one, Unit: report.UnitLot, UnitPrice: m.Amount, VATRate: m.VATRate, Net: m.Amount,
		})
	}
	return lines, tx.Err()
}

// feePart is the part of a fee instalment at one VAT rate.
type feePart struct {
	months []compute.Month
	fee    compute.Money
	rate   decimal.Decimal
}

// feeParts splits a fee instalment of months by VAT rate: one part at the
// configured fee rate, or, when the fee takes the general rate, a part per
// run of months at the same rate of the first day of the month. The month
// amounts are the instalment split as compute.Instalments split the year.
func feeParts(cfg *Config, vat compute.VATTable, fee compute.Money, months []compute.Month) ([]feePart, error) {
	if !cfg.PerResident.FeeVATGeneral {
		return []feePart{{months: months, fee: fee, rate: cfg.PerResident.FeeVATRate.d}}, nil
	}
	weights := make([]int64, len(months))
	for i := range weights {
		weights[i] = 1
	}
	amounts, err := compute.Apportion(fee, weights)
	if err != nil {
		return nil, err
	}
	var parts []feePart
	for i, m := range months {
		rate, err := vat.On(m.First())
		if err != nil {
			return nil, err
		}
		if n := len(parts); n > 0 && parts[n-1].rate.Equal(rate) {
			parts[n-1].months = append(parts[n-1].months, m)
			parts[n-1].fee += amounts[i]
			continue
		}
		parts = append(parts, feePart{months: []compute.Month{m}, fee: amounts[i], rate: rate})
	}
	return parts, nil
}

// workDescription is an hours row's description, or its kind when empty.
func workDescription(tx *templates.Texts, h ingest.HourEntry) string {
	if h.Description != "" {
		return h.Description
	}
	return tx.T("work_"+h.Kind, nil)
}

func (fc *feeCycle) describe(man *manifest.Manifest) {
	man.Rate = fc.cfg.PerResident.Rate.d.String()
	man.PopulationReference = fc.PopulationDate.String()
	rows := []manifest.FeeRow{}
	for _, r := range fc.Rows {
		rows = append(rows, manifest.FeeRow{Payer: r.Payer.ID, Name: r.Payer.Name, Members: codes(r.Payer),
			Population: r.Population, Months: len(r.Months), YearFee: r.YearFee, Fee: r.Fee})
	}
	man.Allocation = rows
}

// codes are a subscriber's member municipalities' codes.
func codes(p *PayerConfig) []string {
	if p.Kind == SubscriberMunicipality {
		return nil
	}
	out := make([]string, len(p.Members))
	for i, m := range p.Members {
		out[i] = memberPattern.FindStringSubmatch(m)[1]
	}
	return out
}

func (fc *feeCycle) appendix(docs []*document) (pdf, xlsx []byte, err error) {
	cfg := fc.cfg
	a := &report.FeeAppendix{
		Lang: cfg.Scheme.Language, SchemeName: cfg.Scheme.Name, Seller: cfg.Seller.Name,
		From: fc.Cycle.From(), To: fc.Cycle.To(), Created: fc.created,
		Rate: cfg.PerResident.Rate.d, PopulationDate: fc.PopulationDate, Inputs: reportInputs(fc.Inputs),
	}
	byPayer := map[string]*document{}
	for _, d := range docs {
		byPayer[d.payer.ID] = d
	}
	for _, r := range fc.Rows {
		row := report.FeeRow{Subscriber: r.Payer.Name, Members: r.Members, Population: r.Population,
			Months: len(r.Months), YearFee: r.YearFee, Fee: r.Fee}
		for _, h := range r.Hours {
			row.Hours = row.Hours.Add(h.Hours)
		}
		if d := byPayer[r.Payer.ID]; d != nil {
			for _, l := range d.inv.Lines {
				switch l.Kind {
				case report.LineWork:
					row.HoursNet += l.Net
				case report.LineManual:
					row.Other += l.Net
				}
			}
			row.Net, row.VAT, row.Total, row.Invoice = d.net, d.vat, d.net+d.vat, d.inv.Number
		}
		a.Rows = append(a.Rows, row)
	}
	if pdf, err = report.FeeAppendixPDF(a); err != nil {
		return nil, nil, err
	}
	if xlsx, err = report.FeeAppendixXLSX(a); err != nil {
		return nil, nil, err
	}
	return pdf, xlsx, nil
}

func (fc *feeCycle) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Payer\tSubscriber\tResidents %d\tMonths\tYear fee\tThis cycle\tHours\tOther lines\t\n", fc.Year-1)
	for _, r := range fc.Rows {
		var hours decimal.Decimal
		for _, h := range r.Hours {
			hours = hours.Add(h.Hours)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d\t\n", r.Payer.ID, r.Payer.Name, r.Population, len(r.Months), r.YearFee, r.Fee, hours, len(r.Manual))
	}
	tw.Flush()
}
