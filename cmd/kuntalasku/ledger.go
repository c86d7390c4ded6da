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
	fs := m.flagSet("ledger", "--config FILE [--out DIR] [list | show NUMBER | audit]",
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
	case what == "audit" && len(words) == 1:
	case what == "show" && len(words) == 2:
	default:
		fs.Usage()
		return &usageError{fmt.Sprintf("ledger: expected \"list\", \"show NUMBER\" or \"audit\", got %q", strings.Join(words, " "))}
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
	if what == "audit" {
		return audit(ctx, m.Stdout, store, path)
	}
	if what == "show" {
		doc, err := store.Document(ctx, words[1])
		if errors.Is(err, ledger.ErrNotFound) {
			return &inputError{fmt.Errorf("ledger %s has no document %s", path, words[1])}
		} else if err != nil {
			return err
		}
		if err := showDocument(m.Stdout, doc); err != nil {
			return err
		}
		deliveries, err := store.Deliveries(ctx, doc.Scheme)
		if err != nil {
			return err
		}
		showDeliveries(m.Stdout, deliveries[doc.Number])
		return nil
	}
	docs, err := store.Documents(ctx, cfg.Scheme.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Ledger %s, scheme %s:\n\n", path, cfg.Scheme.ID)
	printLedger(m.Stdout, docs)
	return nil
}

// printLedger lists documents with their cycle, run and state.
func printLedger(w io.Writer, docs []ledger.Document) {
	creditedBy := map[string]string{}
	for _, d := range docs {
		if d.Role == ledger.RoleCredit {
			creditedBy[d.Credits] = d.Number
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Number\tType\tCycle\tRun\tIssued\tPayer\tTotal\tState")
	for _, d := range docs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s %s\t%12s\t%s\n", d.Number, strings.ReplaceAll(d.Type, "_", " "), d.Cycle, d.Run, d.IssueDate, d.Payer, d.PayerName, d.Total, documentState(&d, creditedBy))
	}
	tw.Flush()
	if len(docs) == 0 {
		fmt.Fprintln(w, "(no documents)")
	}
}

// documentState says what a document does and whether it stands: "issued",
// "replaces X; credited by Y", "credits X", "difference to X", ….
func documentState(d *ledger.Document, creditedBy map[string]string) string {
	var state string
	switch d.Role {
	case ledger.RoleCredit:
		state = "credits " + d.Credits
	case ledger.RoleReplacement:
		state = "replaces " + d.Refers
	case ledger.RoleDifference:
		state = "difference to " + d.Refers
	case ledger.RoleSurplus:
		state = "surplus returned (refers to " + d.Credits + ")"
	case ledger.RoleSettlement:
		state = "settlement"
		if d.Credits != "" {
			state += " (refers to " + d.Credits + ")"
		}
	default:
		state = "issued"
	}
	if by := creditedBy[d.Number]; by != "" {
		if state == "issued" {
			state = ""
		} else {
			state += "; "
		}
		state += "credited by " + by
	}
	return state
}

// audit prints the ledger's audit; it fails when the audit finds anything.
func audit(ctx context.Context, w io.Writer, store *ledger.Store, path string) error {
	a, err := store.Audit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Ledger %s: %d documents, %d invoice references\n\n", path, a.Documents, a.References)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Scheme\tSeries\tNumbers\tDocuments")
	for _, s := range a.Series {
		numbers := "none"
		if s.Last > 0 {
			numbers = fmt.Sprintf("%s-%04d-000001 … %06d", s.Prefix, s.Year, s.Last)
		}
		fmt.Fprintf(tw, "%s\t%s-%04d\t%s\t%d\n", s.Scheme, s.Prefix, s.Year, numbers, s.Documents)
	}
	tw.Flush()
	if len(a.Problems) == 0 {
		fmt.Fprintln(w, "\nAudit passed: every number of every series has exactly one document, no gaps, no duplicates; the invoice references are unique and valid.")
		return nil
	}
	fmt.Fprintf(w, "\nAudit FAILED: %d problems:\n", len(a.Problems))
	for _, p := range a.Problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
	return fmt.Errorf("ledger audit of %s found %d problems", path, len(a.Problems))
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

// showDeliveries lists a document's delivery attempts.
func showDeliveries(w io.Writer, attempts []ledger.Delivery) {
	if len(attempts) == 0 {
		fmt.Fprintln(w, "\nNot delivered by email yet.")
		return
	}
	fmt.Fprintln(w, "\nDeliveries:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range attempts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t<%s>\t%s\n", d.Started.In(helsinki).Format("2006-01-02 15:04:05"), d.Status, d.Channel,
			strings.Join(d.Recipients, ", "), d.MessageID, d.Reply)
	}
	tw.Flush()
}
