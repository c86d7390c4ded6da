package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // Europe/Helsinki on machines without a zone database

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
)

// helsinki is the zone of the documents' dates.
var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic(err) // the zone is embedded by time/tzdata
	}
	return loc
}()

// issueDate is --issue-date, else the date of now in Finland.
func issueDate(flag string, now time.Time) (compute.Date, error) {
	if flag == "" {
		return compute.DateOf(now.In(helsinki)), nil
	}
	d, err := compute.ParseDate(flag)
	if err != nil {
		return compute.Date{}, &usageError{fmt.Sprintf("--issue-date: %v", err)}
	}
	return d, nil
}

// faultpoint is a test hook: when KUNTALASKU_FAULTPOINT names this point, the
// process says so on standard error and waits to be killed, so that a test
// can kill it (SIGKILL) exactly there. It does nothing otherwise.
//
// KUNTALASKU_TEST_PAUSE=name instead pauses there for a second and goes on,
// so that a test can signal a process in the middle of its work.
func (m *Main) faultpoint(name string) {
	if m.Getenv("KUNTALASKU_TEST_PAUSE") == name {
		fmt.Fprintf(os.Stderr, "pause %s\n", name)
		time.Sleep(time.Second)
	}
	if m.Getenv("KUNTALASKU_FAULTPOINT") != name {
		return
	}
	fmt.Fprintf(os.Stderr, "faultpoint %s\n", name)
	time.Sleep(time.Minute)
	fmt.Fprintf(os.Stderr, "faultpoint %s: not killed within a minute\n", name)
	os.Exit(exitFailure)
}

// done says that the cycle id was invoiced, or the period settled.
func (r *cycleRun) done(id string) string {
	if r.kind == ledger.KindSettlement {
		return id + " was settled"
	}
	return "Cycle " + id + " was invoiced"
}

// dryRun shows what run would issue without writing anything.
func (r *cycleRun) dryRun(ctx context.Context) error {
	cfg, res, w := r.cfg, r.res, r.m.Stdout
	cycle := res.cycle()
	store, err := openLedgerReadOnly(ctx, r.cfg.LedgerPath(r.out))
	if err != nil {
		return err
	}
	nextSeq := int64(1)
	if store != nil {
		defer store.Close()
		prev, err := r.previous(ctx, store)
		if err != nil {
			return err
		}
		if prev != nil {
			fmt.Fprintf(w, "Dry run: %s in run %d; a run would change nothing.\n", r.done(cycle.ID), prev.ID)
			return r.compare(ctx, store, prev)
		}
		if _, nextSeq, err = store.Next(ctx, cfg.Scheme.ID, r.issue.Year); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s — %s %s (%s … %s), dry run\n\n", cfg.Scheme.Name, r.what(), cycle.ID, cycle.From(), cycle.To())
	res.print(w)
	n := ledger.Numbers{Year: r.issue.Year, First: nextSeq, Prefix: cfg.Scheme.Prefix, Count: res.count()}
	if n.Count > 0 {
		fmt.Fprintf(w, "\nWould issue %d documents dated %s, numbered %s … %s.\n", n.Count, r.issue, n.Number(0), n.Number(n.Count-1))
	} else {
		fmt.Fprintln(w, "\nWould issue no documents: every total is 0.")
	}
	fmt.Fprintln(w, "Nothing was written and no number was used.")
	return nil
}

// alreadyInvoiced reports the run that invoiced the cycle: exit 0 when the
// inputs are the same, an input error pointing to "correct" when not.
func (r *cycleRun) alreadyInvoiced(ctx context.Context, store *ledger.Store, prev *ledger.Run) error {
	w := r.m.Stdout
	fmt.Fprintf(w, "%s in run %d on %s (issue date %s); nothing was changed.\n\n",
		r.done(prev.Cycle), prev.ID, prev.Created.In(helsinki).Format("2006-01-02 15:04"), prev.IssueDate)
	if err := r.compare(ctx, store, prev); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nOutput: %s\n", filepath.Join(r.out, filepath.FromSlash(prev.Folder)))
	return nil
}

// compare lists the run's documents and checks that the inputs and the
// amounts computed now are those of the run.
func (r *cycleRun) compare(ctx context.Context, store *ledger.Store, prev *ledger.Run) error {
	docs, err := store.RunDocuments(ctx, prev.ID)
	if err != nil {
		return err
	}
	printStored(r.m.Stdout, docs)
	var diffs []string
	if !slices.Equal(dataInputs(prev.Inputs), dataInputs(ledgerInputs(r.res.inputs()))) {
		diffs = append(diffs, "the population or activity files differ from those of run "+fmt.Sprint(prev.ID))
	}
	totals := map[string]compute.Money{}
	for _, d := range docs {
		totals[d.Payer] += d.Total
	}
	now := r.res.totals()
	for _, p := range r.cfg.Payers {
		if got, want := totals[p.ID], now[p.ID]; got != want {
			diffs = append(diffs, fmt.Sprintf("%s %s: invoiced %s, computed now %s", p.ID, p.Name, got, want))
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	if r.kind == ledger.KindSettlement {
		return &inputError{fmt.Errorf("%s is settled: run %d issued the settlement with other amounts:\n  %s\nA period is settled once; to change a settlement document, correct it (kuntalasku correct)",
			prev.Cycle, prev.ID, strings.Join(diffs, "\n  "))}
	}
	return &inputError{fmt.Errorf("cycle %s is locked: it was invoiced in run %d from other inputs:\n  %s\nTo change its invoices, run: kuntalasku correct --config %s --cycle %s --reason TEXT (with the corrected inputs)",
		prev.Cycle, prev.ID, strings.Join(diffs, "\n  "), r.cfg.path, prev.Cycle)}
}

// printIssued lists the documents a run issued.
func printIssued(w io.Writer, docs []*document) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Number\tPayer\tTotal\tDue\tFile")
	var total compute.Money
	for _, d := range docs {
		due := "credit note"
		if !d.inv.IsCredit() {
			due = d.inv.DueDate.String()
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%12s\t%s\t%s\n", d.inv.Number, d.payer.ID, d.payer.Name, d.net+d.vat, due, d.pdfPath())
		total += d.net + d.vat
	}
	fmt.Fprintf(tw, "%d documents\t\t%12s\t\t\n", len(docs), total)
	tw.Flush()
}

// printStored lists documents from the ledger.
func printStored(w io.Writer, docs []ledger.Document) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Number\tType\tPayer\tTotal\tIssued\tDue")
	var total compute.Money
	for _, d := range docs {
		due := ""
		if !d.DueDate.IsZero() {
			due = d.DueDate.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%12s\t%s\t%s\n", d.Number, strings.ReplaceAll(d.Type, "_", " "), d.Payer, d.PayerName, d.Total, d.IssueDate, due)
		total += d.Total
	}
	fmt.Fprintf(tw, "%d documents\t\t\t%12s\t\t\n", len(docs), total)
	tw.Flush()
}
