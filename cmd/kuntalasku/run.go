package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/files"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
)

// runRun is "kuntalasku run": it invoices one cycle of the cost-sharing
// scheme. The numbers are assigned, the documents written and the run
// recorded in the ledger in one step: a crash leaves no trace of the run or a
// complete one. A cycle is invoiced once; running it again changes nothing.
func (m *Main) runRun(ctx context.Context, args []string) error {
	fs := m.flagSet("run", "--config FILE --cycle C [--population FILE] [--activities [SOURCE=]FILE]... [--issue-date D] [--out DIR] [--dry-run]",
		"kuntalasku run --config examples/varsinais-suomi/kuntalasku.toml --cycle 2021-01")
	cycleFlag := fs.String("cycle", "", "the `cycle` to invoice, such as 2021-01 (required)")
	popFlag := fs.String("population", "", "Statistics Finland population export (`file`) to use instead of the configured one")
	var actFlags listFlag
	fs.Var(&actFlags, "activities", "an activity export to use instead of the configured ones: `FILE` in the canonical format, or SOURCE=FILE with that source's column mapping (repeatable)")
	flags := addIssueFlags(fs, "invoices")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *flags.config == "" || *cycleFlag == "" {
		fs.Usage()
		return &usageError{"run: --config and --cycle are required"}
	}
	cfg, issue, created, err := flags.load(m)
	if err != nil {
		return err
	}
	res, err := m.computeInvoicing(cfg, *cycleFlag, *popFlag, actFlags, issue, created)
	if err != nil {
		return err
	}
	cycle := res.cycle()
	if !issue.After(cycle.To()) {
		return &usageError{fmt.Sprintf("--issue-date %s: cycle %s ends %s; invoice it after it has ended, when all its work is in", issue, cycle.ID, cycle.To())}
	}
	if err := checkDrafts(ctx, cfg, res, issue); err != nil {
		return err
	}

	r := &cycleRun{m: m, cfg: cfg, res: res, issue: issue, created: created, out: outDir(*flags.out, cfg),
		kind: ledger.KindRegular, folder: cycle.ID, send: *flags.send}
	if *flags.dryRun {
		return r.dryRun(ctx)
	}
	return r.execute(ctx)
}

// execute issues the run: it finishes interrupted runs, reports the run
// already recorded for the cycle (of the kinds recorded once), else commits
// this one and moves its folder into place.
func (r *cycleRun) execute(ctx context.Context) error {
	cfg, m := r.cfg, r.m
	if r.send {
		if err := m.checkMail(cfg); err != nil {
			return err
		}
	}
	release, err := m.lockLedger(ctx, cfg, r.out, r.kind+" "+r.res.cycle().ID)
	if err != nil {
		return err
	}
	defer release()
	store, err := openLedger(ctx, cfg.LedgerPath(r.out))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := recoverRuns(ctx, store, r.out, cfg.Scheme.ID, m.Stderr); err != nil {
		return err
	}
	cycle := r.res.cycle()
	if prev, err := r.previous(ctx, store); err != nil {
		return err
	} else if prev != nil {
		if err := r.alreadyInvoiced(ctx, store, prev); err != nil {
			return err
		}
		return r.sendRun(ctx, store, prev.ID)
	}
	run, docs, err := r.commit(ctx, store)
	if errors.Is(err, ledger.ErrCycleInvoiced) || errors.Is(err, ledger.ErrSettled) { // another process was first
		prev, perr := store.FindRun(ctx, cfg.Scheme.ID, cycle.ID, r.kind)
		if perr != nil || prev == nil {
			return err
		}
		if err := r.alreadyInvoiced(ctx, store, prev); err != nil {
			return err
		}
		return r.sendRun(ctx, store, prev.ID)
	}
	var dateErr *ledger.IssueDateError
	if errors.As(err, &dateErr) || errors.Is(err, errLedgerChanged) {
		return &inputError{err}
	}
	if err != nil {
		return err
	}
	m.faultpoint("committed")
	dir := filepath.Join(r.out, filepath.FromSlash(run.Folder))
	if _, err := files.Publish(stagedFolder(r.out, run), dir); err != nil {
		return fmt.Errorf("run %d is recorded in the ledger, but its folder could not be moved into place (the next command retries): %w", run.ID, err)
	}

	w := m.Stdout
	fmt.Fprintf(w, "%s — %s %s (%s … %s), run %d, issued %s\n\n", cfg.Scheme.Name, r.what(), cycle.ID, cycle.From(), cycle.To(), run.ID, r.issue)
	r.res.print(w)
	fmt.Fprintln(w)
	printIssued(w, docs)
	fmt.Fprintf(w, "\nOutput: %s\n", dir)
	return r.sendRun(ctx, store, run.ID)
}

// sendRun emails the run's undelivered documents when --send asks. Sending
// records in the ledger through its own connection; store is idle.
func (r *cycleRun) sendRun(ctx context.Context, _ *ledger.Store, run int64) error {
	if !r.send {
		return nil
	}
	fmt.Fprintln(r.m.Stdout)
	return r.m.deliver(ctx, r.cfg, r.out, sendFilter{run: run}, false)
}

// previous is the run already recorded for the cycle, of the kinds recorded
// once per cycle (regular runs and settlements); nil if none.
func (r *cycleRun) previous(ctx context.Context, store *ledger.Store) (*ledger.Run, error) {
	if r.kind == ledger.KindCorrection {
		return nil, nil
	}
	return store.FindRun(ctx, r.cfg.Scheme.ID, r.res.cycle().ID, r.kind)
}

// errLedgerChanged is returned by commit when another run was recorded after
// the run's figures were read from the ledger.
var errLedgerChanged = errors.New("the ledger changed while this run was being prepared (another run was recorded); run the command again")

// checkDrafts makes the cycle's invoices with placeholder numbers and checks
// that each can be written as a valid e-invoice, so that a configuration
// that cannot be invoiced is refused before any number is assigned.
func checkDrafts(ctx context.Context, cfg *Config, res invoicing, issue compute.Date) error {
	n := ledger.Numbers{Year: issue.Year, First: 1, Prefix: cfg.Scheme.Prefix, ReferenceCode: cfg.Scheme.ReferenceCode, Count: res.count()}
	drafts, err := res.drafts(ctx, n)
	if err != nil {
		return err
	}
	return checkDocuments(drafts)
}

// invoicing is one cycle of a scheme computed from its inputs, ready to be
// invoiced: the part of a run that differs between the schemes. Numbering,
// the ledger, the files and the manifest's documents are the same for all.
type invoicing interface {
	cycle() compute.Cycle
	inputs() []manifest.Input
	// count is how many invoices the cycle makes.
	count() int
	// drafts are the cycle's invoices, numbered by n.
	drafts(ctx context.Context, n ledger.Numbers) ([]*document, error)
	// totals are what each payer is invoiced, by payer id.
	totals() map[string]compute.Money
	// describe fills in the manifest's figures of the scheme.
	describe(man *manifest.Manifest)
	// appendix renders the run's appendix, listing docs.
	appendix(docs []*document) (pdf, xlsx []byte, err error)
	// print writes the cycle's figures for a person.
	print(w io.Writer)
}

// cycleRun is one cycle being invoiced, or a period being settled.
type cycleRun struct {
	m       *Main
	cfg     *Config
	res     invoicing
	issue   compute.Date
	created time.Time
	out     string
	kind    string // the ledger's kind of run
	folder  string // the run's folder under the scheme's: the cycle, settlement-YYYY
	// nextRun, when set, is the run number the ledger must give this run:
	// the run's figures were computed from the ledger as it was before.
	nextRun int64
	send    bool // email the run's documents afterwards (--send)
}

// what names the run's cycle for a person: "cycle" or "settlement of".
func (r *cycleRun) what() string {
	switch r.kind {
	case ledger.KindSettlement:
		return "settlement of"
	case ledger.KindCorrection:
		return "correction of cycle"
	}
	return "cycle"
}

// commit assigns the numbers, writes the cycle's folder under its staging name
// and records the run, all inside one ledger transaction.
func (r *cycleRun) commit(ctx context.Context, store *ledger.Store) (*ledger.Run, []*document, error) {
	cfg, res, cycle := r.cfg, r.res, r.res.cycle()
	plan := ledger.Plan{
		Scheme: cfg.Scheme.ID, Prefix: cfg.Scheme.Prefix, ReferenceCode: cfg.Scheme.ReferenceCode,
		Cycle: cycle.ID, Kind: r.kind, IssueDate: r.issue, Count: res.count(),
	}
	var docs []*document
	run, err := store.Issue(ctx, plan, func(n ledger.Numbers) (*ledger.Run, []ledger.Document, error) {
		if r.nextRun != 0 && n.Run != r.nextRun {
			return nil, nil, errLedgerChanged
		}
		folder := cfg.Scheme.ID + "/" + r.folder
		if r.kind == ledger.KindCorrection {
			folder += "/correction-" + strconv.FormatInt(n.Run, 10)
		}
		run := &ledger.Run{
			ID: n.Run, Scheme: cfg.Scheme.ID, Cycle: cycle.ID, Kind: r.kind,
			IssueDate: r.issue, Created: r.created, Folder: folder, Inputs: ledgerInputs(res.inputs()),
		}
		// Under the ledger's write lock no other run is being staged, so
		// staged folders of runs not committed are a crash's leftovers.
		for _, dir := range []string{cfg.Scheme.ID, path.Dir(folder)} {
			if err := removeUncommitted(filepath.Join(r.out, filepath.FromSlash(dir)), n.Run); err != nil {
				return nil, nil, err
			}
		}
		var err error
		docs, err = res.drafts(ctx, n)
		if err != nil {
			return nil, nil, err
		}
		if err := r.stage(run, docs); err != nil {
			return nil, nil, err
		}
		stored := make([]ledger.Document, len(docs))
		for i, d := range docs {
			stored[i] = d.ledgerDocument(cfg.Scheme.ID, n, i)
		}
		r.m.faultpoint("staged")
		return run, stored, nil
	})
	return run, docs, err
}

// stage writes the run's folder under its staging name and syncs it. The
// folder stays when the ledger commits (the ledger then owns it); it is
// removed when anything fails before.
func (r *cycleRun) stage(run *ledger.Run, docs []*document) (err error) {
	cfg, res := r.cfg, r.res
	final := filepath.Join(r.out, filepath.FromSlash(run.Folder))
	stage, err := files.NewStageNamed(final, stagedName(run))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			stage.Abort()
		} else {
			stage.Keep()
		}
	}()
	man := newManifest(cfg, r.kind, res.cycle().ID, r.created, res.inputs())
	man.Run = run.ID
	man.IssueDate = r.issue.String()
	res.describe(man)
	half := len(docs) / 2
	err = renderAll(docs, func(i int, d *document) error {
		if err := stage.WriteFile(filepath.FromSlash(d.pdfPath()), d.pdf); err != nil {
			return err
		}
		if err := stage.WriteFile(filepath.FromSlash(d.xmlPath()), d.xml); err != nil {
			return err
		}
		if p := d.einvoicePath(); p != "" {
			if err := stage.WriteFile(filepath.FromSlash(p), d.xml); err != nil {
				return err
			}
		}
		man.Documents = append(man.Documents, d.manifestDocument())
		if i == half {
			r.m.faultpoint("staging")
		}
		r.m.reporter().update(fmt.Sprintf("%d of %d documents written", i+1, len(docs)), int64(i+1), int64(len(docs)), i+1 == len(docs))
		return nil
	})
	if err != nil {
		return err
	}
	pdf, xlsx, err := res.appendix(docs)
	if err != nil {
		return err
	}
	if err := stage.WriteFile("appendix.pdf", pdf); err != nil {
		return err
	}
	if err := stage.WriteFile("appendix.xlsx", xlsx); err != nil {
		return err
	}
	data, err := manifest.Encode(man)
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := stage.WriteFile("manifest.json", data); err != nil {
		return err
	}
	return stage.Sync()
}

// stagedName is the hidden name a run's folder is built under, beside its
// final place: ".2021-01.run-7".
func stagedName(run *ledger.Run) string {
	return "." + path.Base(run.Folder) + ".run-" + fmt.Sprint(run.ID)
}

// stagedFolder is the full path of a run's staged folder.
func stagedFolder(out string, run *ledger.Run) string {
	return filepath.Join(out, filepath.FromSlash(path.Dir(run.Folder)), stagedName(run))
}
