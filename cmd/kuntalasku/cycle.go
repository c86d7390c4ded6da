package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
)

// cycleResult is one cycle of the cost-sharing scheme computed from its
// inputs (SPEC 1.1, 3): its budget, the allocation with the cycle's activity
// counts, and what was read.
type cycleResult struct {
	cfg     *Config
	issue   compute.Date // the invoices' date
	created time.Time    // the run's time

	Cycle  compute.Cycle
	Budget compute.Components // the cycle's
	Alloc  compute.Allocation
	Count  *activityCount
	Inputs []manifest.Input // the configuration, the population, the activity files
}

// computeCycle reads the inputs of cycle id (--population and --activities
// replace the configured files) and computes its allocation.
func computeCycle(cfg *Config, id, popFlag string, actFlags []string, issue compute.Date, created time.Time, progress progressFunc) (*cycleResult, error) {
	period := cfg.Period()
	cycle, err := period.Cycle(id, cfg.Frequency())
	if err != nil {
		return nil, &usageError{fmt.Sprintf("--cycle: %v", err)}
	}
	files, err := activityFiles(actFlags, cfg)
	if err != nil {
		return nil, err
	}
	pop, popInput, shares, err := payerPopulations(popFlag, cfg)
	if err != nil {
		return nil, err
	}
	within, err := compute.NewPeriod(cycle.From(), cycle.To())
	if err != nil {
		return nil, err
	}
	count, err := countActivities(files, cfg, pop, within, progress)
	if err != nil {
		return nil, err
	}
	for i := range shares {
		shares[i].Activities = count.Tally.Payers[i].Total()
	}
	budget, err := cycleBudget(cfg, cycle)
	if err != nil {
		return nil, err
	}
	alloc, err := compute.Allocate(budget, shares)
	if err != nil {
		return nil, &inputError{fmt.Errorf("cycle %s: %w", cycle.ID, err)}
	}
	inputs := append([]manifest.Input{cfg.Input(), popInput}, count.Inputs...)
	return &cycleResult{cfg: cfg, issue: issue, created: created, Cycle: cycle, Budget: budget, Alloc: alloc, Count: count, Inputs: inputs}, nil
}

// cycleBudget is a cycle's part of the period's component budgets: each
// component split over the period's cycles by largest remainder (SPEC 3).
func cycleBudget(cfg *Config, cycle compute.Cycle) (compute.Components, error) {
	cs := cfg.CostSharing
	period, err := compute.SplitComponents(cs.Budget.m, cs.PopulationWeight.d)
	if err != nil {
		return compute.Components{}, &inputError{fmt.Errorf("configuration %s: cost_sharing: %w", cfg.path, err)}
	}
	cycles := cfg.Period().Cycles(cfg.Frequency())
	budgets, err := compute.CycleBudgets(period, cycles)
	if err != nil {
		return compute.Components{}, &inputError{fmt.Errorf("configuration %s: cost_sharing: %w", cfg.path, err)}
	}
	for i, c := range cycles {
		if c.ID == cycle.ID {
			return budgets[i], nil
		}
	}
	return compute.Components{}, fmt.Errorf("cycle %s is not a cycle of the period %s", cycle.ID, cfg.Period().ID())
}

// The cost-sharing scheme's part of a run (invoicing).

func (r *cycleResult) cycle() compute.Cycle     { return r.Cycle }
func (r *cycleResult) inputs() []manifest.Input { return r.Inputs }
func (r *cycleResult) count() int               { return invoiceCount(r.Alloc) }

func (r *cycleResult) drafts(ctx context.Context, n ledger.Numbers) ([]*document, error) {
	return cycleInvoices(ctx, r.cfg, r, r.issue, r.created, n)
}

func (r *cycleResult) totals() map[string]compute.Money {
	t := make(map[string]compute.Money, len(r.Alloc.Lines))
	for _, l := range r.Alloc.Lines {
		t[l.Payer.ID] = l.Total
	}
	return t
}

func (r *cycleResult) describe(man *manifest.Manifest) {
	describeAllocation(man, r.cfg, r.Budget, r.Alloc)
	t := r.Count.Tally
	man.Unattributed = manifest.NewUnattributed(t.NonParticipant, t.Unknown, r.Count.manifestRows())
}

func (r *cycleResult) appendix(docs []*document) (pdf, xlsx []byte, err error) {
	app := newAppendix(r.cfg, false, r.Cycle.From(), r.Cycle.To(), r.created, r.Budget, r.Alloc, r.Inputs)
	app.Activities = r.Count.Tally.Payers
	app.Unattributed = r.Count.reportUnattributed()
	app.Documents = []report.AppendixDocument{}
	for _, d := range docs {
		app.Documents = append(app.Documents, d.appendixDocument())
	}
	if pdf, err = report.AppendixPDF(app); err != nil {
		return nil, nil, err
	}
	if xlsx, err = report.AppendixXLSX(app); err != nil {
		return nil, nil, err
	}
	return pdf, xlsx, nil
}

func (r *cycleResult) print(w io.Writer) {
	printAllocation(w, r.Alloc, r.cfg.CostSharing.AgeLimit)
	if r.Alloc.ActivitiesByPopulation {
		fmt.Fprintln(w, "\nThe cycle has no activities at all: the activity part was split by population share.")
	}
}
