package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/templates"
)

// runLedger is "kuntalasku ledger": it lists the scheme's documents or shows
// one. It only reads the ledger.
func (m *Main) runLedger(ctx context.Context, args []string) error {
	fs := m.flagSet("ledger", "--config FILE [--out DIR] [list | show NUMBER]",
		"kuntalasku ledger --config examples/varsinais-suomi/kuntalasku.toml show VSA-2021-000001")
	configPath := fs.String("config", "", "the scheme's configuration `file` (required)")
	outFlag := fs.String("out", "", "output `folder` holding the ledger (default: the configuration's output.dir, else ./out)")
	// Flags may come before or after the subcommand and its argument.
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &usageError{fmt.Sprintf("ledger: %v", err)}
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *configPath == "" {
		fs.Usage()
		return &usageError{"ledger: --config is required"}
	}
	what := "list"
	if len(words) > 0 {
		what = words[0]
	}
	switch {
	case what == "list" && len(words) <= 1:
	case what == "show" && len(words) == 2:
	default:
		fs.Usage()
		return &usageError{fmt.Sprintf("ledger: expected \"list\" or \"show NUMBER\", got %q", strings.Join(words, " "))}
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	path := cfg.LedgerPath(outDir(*outFlag, cfg))
	store, err := openLedgerReadOnly(ctx, path)
	if err != nil {
		return err
	}
	if store == nil {
		return &inputError{fmt.Errorf("no ledger at %s: nothing has been invoiced with this output folder yet (give --out if the output is elsewhere)", path)}
	}
	defer store.Close()
	if what == "show" {
		doc, err := store.Document(ctx, words[1])
		if errors.Is(err, ledger.ErrNotFound) {
			return &inputError{fmt.Errorf("ledger %s has no document %s", path, words[1])}
		} else if err != nil {
			return err
		}
		return showDocument(m.Stdout, doc)
	}
	docs, err := store.Documents(ctx, cfg.Scheme.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Ledger %s, scheme %s:\n\n", path, cfg.Scheme.ID)
	printLedger(m.Stdout, docs)
	return nil
}

// printLedger lists documents with their cycle and run.
func printLedger(w io.Writer, docs []ledger.Document) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Number\tType\tCycle\tRun\tIssued\tPayer\tTotal")
	for _, d := range docs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s %s\t%12s\n", d.Number, strings.ReplaceAll(d.Type, "_", " "), d.Cycle, d.Run, d.IssueDate, d.Payer, d.PayerName, d.Total)
	}
	tw.Flush()
	if len(docs) == 0 {
		fmt.Fprintln(w, "(no documents)")
	}
}

// runLabel says what run issued d: "cycle 2021-01", "correction of cycle
// 2021-01" or "settlement of 2022".
func runLabel(d *ledger.Document) string {
	switch d.RunKind {
	case ledger.KindCorrection:
		return "correction of cycle " + d.Cycle
	case ledger.KindSettlement:
		return "settlement of " + d.Cycle
	}
	return "cycle " + d.Cycle
}

// showDocument prints one document with its lines.
func showDocument(w io.Writer, d *ledger.Document) error {
	loc, err := templates.Lookup("en")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s  %s, %s, run %d\n", d.Number, strings.ReplaceAll(d.Type, "_", " "), runLabel(d), d.Run)
	fmt.Fprintf(w, "Payer:      %s %s (%s)\n", d.Payer, d.PayerName, d.Lang)
	fmt.Fprintf(w, "Issued:     %s\n", d.IssueDate)
	if !d.DueDate.IsZero() {
		fmt.Fprintf(w, "Due:        %s\n", d.DueDate)
	}
	fmt.Fprintf(w, "Period:     %s … %s\n", d.From, d.To)
	fmt.Fprintf(w, "Reference:  %s (%s)\n", d.Reference.Grouped(), compute.FormatRF(d.Reference.RF()))
	if d.Credits != "" {
		fmt.Fprintf(w, "Credits:    %s (%s)\n", d.Credits, d.Reason)
	}
	fmt.Fprintf(w, "PDF:        %s\n\n", d.PDF)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Line\tQuantity\tUnit price\tVAT %\tNet")
	for _, l := range d.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Description, l.Quantity, l.UnitPrice, l.VATRate, l.Net)
		if l.Basis != "" {
			fmt.Fprintf(tw, "  %s\t\t\t\t\n", l.Basis)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nNet %s, VAT %s, total %s\n", loc.Money(d.Net), loc.Money(d.VAT), loc.Money(d.Total))
	return nil
}
