package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
)

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runValidate is "kuntalasku validate": it reads the configuration and the
// inputs a run would read, reports what they hold, and writes nothing.
func (m *Main) runValidate(ctx context.Context, args []string) error {
	fs := m.flagSet("validate", "--config FILE [--cycle C] [--population FILE] [--activities [SOURCE=]FILE]...",
		"kuntalasku validate --config examples/varsinais-suomi/kuntalasku.toml --cycle 2021-03")
	configPath := fs.String("config", "", "the scheme's configuration `file` (required)")
	cycleFlag := fs.String("cycle", "", "the `cycle` whose activities to count, such as 2021-03 (default: the whole contract period)")
	popFlag := fs.String("population", "", "Statistics Finland population export (`file`) to use instead of the configured one")
	var actFlags listFlag
	fs.Var(&actFlags, "activities", "an activity export to use instead of the configured ones: `FILE` in the canonical format, or SOURCE=FILE with that source's column mapping (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		fs.Usage()
		return &usageError{"validate: --config is required"}
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	if cfg.Scheme.Kind == KindPerResident {
		return m.validateFees(ctx, cfg, *cycleFlag, *popFlag)
	}
	period := cfg.Period()
	what := "the contract period"
	if *cycleFlag != "" {
		c, err := period.Cycle(*cycleFlag, cfg.Frequency())
		if err != nil {
			return &usageError{fmt.Sprintf("--cycle: %v", err)}
		}
		if period, err = compute.NewPeriod(c.From(), c.To()); err != nil {
			return err
		}
		what = "cycle " + c.ID
	}
	files, err := activityFiles(actFlags, cfg)
	if err != nil {
		return err
	}
	pop, popInput, shares, err := payerPopulations(*popFlag, cfg)
	if err != nil {
		return err
	}
	cs := cfg.CostSharing
	count, err := countActivities(files, cfg, pop, period, m.progress)
	if err != nil {
		return err
	}
	if err := checkInvoicing(ctx, cfg, shares); err != nil {
		return err
	}
	mailText, err := m.mailReport(cfg, *cycleFlag)
	if err != nil {
		return err
	}

	w := m.Stdout
	loc, err := templates.Lookup("en")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Configuration %s: %d payers, %d activity sources.\n", cfg.path, len(cfg.Payers), len(cfg.ActivitySources))
	var aged int64
	for _, s := range shares {
		aged += s.Population
	}
	fmt.Fprintf(w, "Population %s: %s residents aged %d or over on 31.12.%d in the %d payers.\n",
		popInput.Path, loc.Int(aged), cs.AgeLimit, cs.PopulationReference.d.Year, len(shares))
	fmt.Fprintf(w, "\nActivities of %s (%s – %s):\n", what, loc.Date(period.From), loc.Date(period.To))
	printSources(w, count, loc)
	printUnattributed(w, count, loc)
	fmt.Fprint(w, mailText)
	fmt.Fprintln(w, "\nNothing was written.")
	return nil
}

// printSources writes what each source's files held.
func printSources(w io.Writer, c *activityCount, loc *templates.Locale) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Source\tFiles\tRows\tCounted\tDuplicates\tOut of period\tUnattributed\tIgnored types\t")
	var total sourceCount
	for _, s := range c.Sources {
		name := s.Source
		if name == "" {
			name = "(canonical)"
		}
		printSource(tw, name, s, loc)
		total.Files += s.Files
		total.Rows += s.Rows
		total.Ignored += s.Ignored
		for _, o := range []compute.Outcome{compute.Counted, compute.Duplicate, compute.OutOfPeriod, compute.Unattributed} {
			total.Outcomes[o] += s.Outcomes.Of(o)
		}
	}
	if len(c.Sources) > 1 {
		printSource(tw, "Total", &total, loc)
	}
	tw.Flush()
}

func printSource(w io.Writer, name string, s *sourceCount, loc *templates.Locale) {
	fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name, s.Files, loc.Int(s.Rows),
		loc.Int(s.Outcomes.Of(compute.Counted)), loc.Int(s.Outcomes.Of(compute.Duplicate)),
		loc.Int(s.Outcomes.Of(compute.OutOfPeriod)), loc.Int(s.Outcomes.Of(compute.Unattributed)), loc.Int(s.Ignored))
}

// printUnattributed writes the events that bill nobody and the first of their rows.
func printUnattributed(w io.Writer, c *activityCount, loc *templates.Locale) {
	np, un := c.Tally.NonParticipant.Total(), c.Tally.Unknown.Total()
	var counted int64
	for _, s := range c.Sources {
		counted += s.Outcomes.Of(compute.Counted)
	}
	if counted == 0 && np+un == 0 {
		fmt.Fprintln(w, "\nNo activity events were counted: a cycle without any splits its activity part by population, and its appendix says so.")
		return
	}
	if np+un == 0 {
		fmt.Fprintln(w, "\nEvery counted event is a payer's.")
		return
	}
	fmt.Fprintf(w, "\nNot billed: %s events of non-participating municipalities, %s of unknown or empty municipalities.\n", loc.Int(np), loc.Int(un))
	fmt.Fprintf(w, "The first %d:\n", len(c.Unattributed))
	for _, r := range c.Unattributed {
		fmt.Fprintf(w, "  %s: row %d: %q (%s)\n", r.File, r.Row, r.Municipality, strings.ReplaceAll(r.Reason, "_", "-"))
	}
}

// checkInvoicing makes the first cycle's invoices by population with
// placeholder numbers and checks that every payer's can be written as a
// valid e-invoice: a name too long for Finvoice, say, is found before a run.
func checkInvoicing(ctx context.Context, cfg *Config, shares []compute.Share) error {
	first := cfg.Period().Cycles(cfg.Frequency())[0]
	budget, err := cycleBudget(cfg, first)
	if err != nil {
		return err
	}
	alloc, err := compute.Allocate(budget, shares)
	if err != nil {
		return &inputError{err}
	}
	issue := first.To().AddDays(1)
	res := &cycleResult{cfg: cfg, issue: issue, created: time.Unix(0, 0).UTC(), Cycle: first, Budget: budget, Alloc: alloc}
	return checkDrafts(ctx, cfg, res, issue)
}

// validateFees checks a per-resident scheme's configuration and inputs for a
// cycle and shows what a run would bill.
func (m *Main) validateFees(ctx context.Context, cfg *Config, cycle, popFlag string) error {
	if cycle == "" {
		return &usageError{"validate: a per-resident scheme needs --cycle, such as --cycle 2022"}
	}
	created, err := m.now()
	if err != nil {
		return err
	}
	fc, err := computeFeeCycle(cfg, cycle, popFlag, fc0(cycle), created)
	if err != nil {
		return err
	}
	if err := checkDrafts(ctx, cfg, fc, fc.issue); err != nil {
		return err
	}
	mailText, err := m.mailReport(cfg, cycle)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Configuration %s: %d subscribers.\n\n", cfg.path, len(cfg.Payers))
	fc.print(m.Stdout)
	fmt.Fprint(m.Stdout, mailText)
	fmt.Fprintln(m.Stdout, "\nNothing was written.")
	return nil
}

// fc0 is a placeholder issue date for checking a cycle: the day after its year.
func fc0(cycle string) compute.Date {
	p, err := feeYearPeriod(cycle)
	if err != nil {
		return compute.Date{}
	}
	return p.To.AddDays(1)
}
