package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/files"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
)

// runEstimate is "kuntalasku estimate": the cost-sharing scheme's estimate of
// the whole contract period, with activities assumed to follow population, as
// the decision behind the scheme tabulated it (SPEC 3.3). It uses no invoice
// numbers and no ledger.
func (m *Main) runEstimate(ctx context.Context, args []string) error {
	fs := m.flagSet("estimate", "--config FILE [--population FILE] [--out DIR]",
		"kuntalasku estimate --config examples/varsinais-suomi/kuntalasku.toml")
	configPath := fs.String("config", "", "the scheme's configuration `file` (required)")
	popFlag := fs.String("population", "", "Statistics Finland population export (`file`) to use instead of the configured one")
	outFlag := fs.String("out", "", "output `folder` (default: the configuration's output.dir, else ./out)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		fs.Usage()
		return &usageError{"estimate: --config is required"}
	}
	created, err := m.now()
	if err != nil {
		return err
	}

	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	_, popInput, shares, err := payerPopulations(*popFlag, cfg)
	if err != nil {
		return err
	}
	cs := cfg.CostSharing
	budget, err := compute.SplitComponents(cs.Budget.m, cs.PopulationWeight.d)
	if err != nil {
		return &inputError{fmt.Errorf("configuration %s: cost_sharing: %w", cfg.path, err)}
	}
	alloc, err := compute.Allocate(budget, shares) // no activity counts: by population
	if err != nil {
		return &inputError{fmt.Errorf("estimate: %w", err)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	period := cfg.Period()
	inputs := []manifest.Input{cfg.Input(), popInput}
	man := newManifest(cfg, manifest.KindEstimate, period.ID(), created, inputs)
	describeAllocation(man, cfg, budget, alloc)
	data, err := manifest.Encode(man)
	if err != nil {
		return fmt.Errorf("estimate: encode manifest: %w", err)
	}
	app := newAppendix(cfg, true, period.From, period.To, created, budget, alloc, inputs)
	folder := fmt.Sprintf("estimate-%s_%s", period.FirstMonth(), period.LastMonth())
	stage, err := files.NewStage(filepath.Join(outDir(*outFlag, cfg), cfg.Scheme.ID, folder))
	if err != nil {
		return err
	}
	defer stage.Abort()
	if err := writeAppendix(stage, app); err != nil {
		return fmt.Errorf("estimate: %w", err)
	}
	if err := stage.WriteFile("manifest.json", data); err != nil {
		return err
	}
	if err := stage.Commit(true); err != nil {
		return err
	}
	dir := stage.Final()

	fmt.Fprintf(m.Stdout, "%s — estimate %s … %s, activities assumed to follow population\n\n", cfg.Scheme.Name, period.From, period.To)
	printAllocation(m.Stdout, alloc, cs.AgeLimit)
	fmt.Fprintf(m.Stdout, "\nOutput: %s\n", dir)
	return nil
}

// newManifest is the manifest of a run or an estimate without its
// scheme's figures and its documents.
func newManifest(cfg *Config, kind, cycle string, created time.Time, inputs []manifest.Input) *manifest.Manifest {
	return &manifest.Manifest{
		Scheme:   cfg.Scheme.ID,
		Cycle:    cycle,
		Kind:     kind,
		Created:  created.Format(time.RFC3339),
		Inputs:   inputs,
		Appendix: &manifest.Appendix{PDF: "appendix.pdf", XLSX: "appendix.xlsx"},
	}
}

// describeAllocation fills in a cost-sharing allocation.
func describeAllocation(man *manifest.Manifest, cfg *Config, budget compute.Components, alloc compute.Allocation) {
	cs := cfg.CostSharing
	age := cs.AgeLimit
	man.Budget = budget.Total()
	man.ComponentBudgets = &manifest.Components{Population: budget.Population, Activity: budget.Activity}
	man.Weights = &manifest.Weights{Population: cs.PopulationWeight.d.String(), Activity: cs.ActivityWeight.d.String()}
	man.AgeLimit = &age
	man.PopulationReference = cs.PopulationReference.d.String()
	man.ActivityBasis = manifest.Basis(alloc)
	man.Allocation = manifest.Rows(alloc)
}

// newAppendix is the appendix of a cycle from..to, or of an estimate.
func newAppendix(cfg *Config, estimate bool, from, to compute.Date, created time.Time, budget compute.Components, alloc compute.Allocation, inputs []manifest.Input) *report.Appendix {
	cs := cfg.CostSharing
	return &report.Appendix{
		Lang: cfg.Scheme.Language, Estimate: estimate,
		SchemeName: cfg.Scheme.Name, Seller: cfg.Seller.Name,
		From: from, To: to, Created: created,
		Budget:           budget,
		PopulationWeight: cs.PopulationWeight.d, ActivityWeight: cs.ActivityWeight.d,
		AgeLimit: cs.AgeLimit, PopulationDate: cs.PopulationReference.d,
		Allocation: alloc,
		Inputs:     reportInputs(inputs),
	}
}

// writeAppendix renders the appendix as PDF and XLSX into a staged folder.
func writeAppendix(stage *files.Stage, app *report.Appendix) error {
	pdf, err := report.AppendixPDF(app)
	if err != nil {
		return err
	}
	xlsx, err := report.AppendixXLSX(app)
	if err != nil {
		return err
	}
	if err := stage.WriteFile("appendix.pdf", pdf); err != nil {
		return err
	}
	return stage.WriteFile("appendix.xlsx", xlsx)
}

// reportInputs turns the manifest's input list into the appendix's.
func reportInputs(in []manifest.Input) []report.Input {
	out := make([]report.Input, len(in))
	for i, x := range in {
		out[i] = report.Input{Role: x.Role, Path: x.Path, SHA256: x.SHA256}
	}
	return out
}

// printAllocation prints the allocation as a plain-text table.
func printAllocation(w io.Writer, a compute.Allocation, ageLimit int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Payer\tMunicipality\tAged %d+\tShare %%\tPopulation part\tActivity part\tTotal\t\n", ageLimit)
	for _, l := range a.Lines {
		share, _ := compute.Percent(l.Population, a.Population, 4)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t\n", l.Payer.ID, l.Payer.Name, l.Population,
			share.StringFixed(4), l.PopulationAmount, l.ActivityAmount, l.Total)
	}
	var pop, act, tot compute.Money
	for _, l := range a.Lines {
		pop, act, tot = pop+l.PopulationAmount, act+l.ActivityAmount, tot+l.Total
	}
	fmt.Fprintf(tw, "\tTotal\t%d\t%s\t%s\t%s\t%s\t\n", a.Population, "100.0000", pop, act, tot)
	tw.Flush()
}
