package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/files"
)

// Main is the program: its outputs and its view of the environment, so that
// tests run it in-process exactly as a user would.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time

	lock      *files.Lock // the ledger's lock while this process holds it
	lockDepth int
	shown     *progressReporter // how far long work has come, on Stderr
}

type command struct {
	name, summary string
	run           func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"run", "invoice one cycle: numbers, invoice PDFs, the appendix and the manifest, recorded in the ledger", (*Main).runRun},
		{"correct", "correct an invoiced cycle: credit notes and new invoices, or difference documents, for the payers whose amounts changed", (*Main).runCorrect},
		{"settle", "the year-end settlement: the actual cost against what was invoiced (cost sharing), or the fees' surplus returned (per-resident)", (*Main).runSettle},
		{"send", "email the documents not yet delivered to the payers (or write them to the outbox)", (*Main).runSend},
		{"schedule", "the daemon: invoices every cycle that is due (catching up missed ones) and sends, on a schedule", (*Main).runSchedule},
		{"ledger", "list the ledger's documents with their state, show one with its deliveries, or audit the numbering", (*Main).runLedger},
		{"estimate", "the cost-sharing estimate of the whole period, activities assumed to follow population", (*Main).runEstimate},
		{"validate", "check the configuration and the inputs and report what they hold; writes nothing", (*Main).runValidate},
		{"init", "write a commented starter configuration and empty input files for a new scheme into a folder", (*Main).runInit},
	}
}

const usageText = `kuntalasku invoices shared services between Finnish municipalities.

Usage:
  kuntalasku COMMAND [flags]

Commands:
%s
Run "kuntalasku COMMAND -h" for a command's flags and an example.

Exit codes: 0 success, 1 failure, 2 usage, 3 invalid input (nothing written),
4 undelivered messages remain, 5 the ledger is busy.
`

func (m *Main) usage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, usageText, b.String())
}

// Run runs one command line (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.usage(m.Stderr)
		return &usageError{"no command given"}
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		m.usage(m.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	m.usage(m.Stderr)
	return &usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// flagSet returns a flag set that reports errors instead of exiting, with a
// usage text that ends in an example.
func (m *Main) flagSet(name, synopsis, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kuntalasku %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExample:\n  %s\n", example)
	}
	return fs
}

// parse parses flags; a mistake is a usage error, -h is flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return &usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// now is the time of the run, to the second. SOURCE_DATE_EPOCH (the
// reproducible-builds convention) fixes it, so that a rerun can be compared
// byte for byte.
func (m *Main) now() (time.Time, error) {
	if s := m.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, &usageError{fmt.Sprintf("SOURCE_DATE_EPOCH=%q: expected seconds since 1970", s)}
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return m.Now().UTC().Truncate(time.Second), nil
}

// outDir is the output folder: --out, else the configuration's output.dir,
// else ./out.
func outDir(flagOut string, cfg *Config) string {
	switch {
	case flagOut != "":
		return flagOut
	case cfg.Output.Dir != "":
		return cfg.Path(cfg.Output.Dir)
	}
	return "out"
}

// issueFlags are the flags of the commands that issue documents: run,
// settle (and correct).
type issueFlags struct {
	config, issueDate, out *string
	dryRun, send           *bool
}

// addIssueFlags defines the issuing flags on fs; what names the documents
// in the help ("invoices").
func addIssueFlags(fs *flag.FlagSet, what string) *issueFlags {
	return &issueFlags{
		config:    fs.String("config", "", "the scheme's configuration `file` (required)"),
		issueDate: fs.String("issue-date", "", "the "+what+"' `date`, YYYY-MM-DD (default: today in Finland)"),
		out:       fs.String("out", "", "output `folder`, which also holds the ledger by default (default: the configuration's output.dir, else ./out)"),
		dryRun:    fs.Bool("dry-run", false, "compute and show the "+what+" without writing anything or using any number"),
		send:      fs.Bool("send", false, "then email the "+what+" (as kuntalasku send does for them)"),
	}
}

// load reads the configuration and fixes the run's time and issue date.
func (f *issueFlags) load(m *Main) (cfg *Config, issue compute.Date, created time.Time, err error) {
	if created, err = m.now(); err != nil {
		return nil, compute.Date{}, time.Time{}, err
	}
	if issue, err = issueDate(*f.issueDate, created); err != nil {
		return nil, compute.Date{}, time.Time{}, err
	}
	if cfg, err = LoadConfig(*f.config); err != nil {
		return nil, compute.Date{}, time.Time{}, err
	}
	return cfg, issue, created, nil
}
