package main

import (
	"fmt"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/manifest"
)

// cycleResult is one cycle of the cost-sharing scheme computed from its
// inputs (SPEC 1.1, 3): its budget, the allocation with the cycle's activity
// counts, and what was read.
type cycleResult struct {
	Cycle  compute.Cycle
	Budget compute.Components // the cycle's
	Alloc  compute.Allocation
	Count  *activityCount
	Inputs []manifest.Input // the configuration, the population, the activity files
}

// computeCycle reads the inputs of cycle id (--population and --activities
// replace the configured files) and computes its allocation.
func computeCycle(cfg *Config, id, popFlag string, actFlags []string, progress func(string, int64)) (*cycleResult, error) {
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
	return &cycleResult{Cycle: cycle, Budget: budget, Alloc: alloc, Count: count, Inputs: inputs}, nil
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
