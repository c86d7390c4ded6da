package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"github.com/kuntalasku/kuntalasku/output/files"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
)

// openLedger opens the ledger, creating it and its folder when missing.
func openLedger(ctx context.Context, path string) (*ledger.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), files.DirPerm); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return ledger.Open(ctx, path)
}

// openLedgerReadOnly opens an existing ledger for reading; nil when there is
// none yet.
func openLedgerReadOnly(ctx context.Context, path string) (*ledger.Store, error) {
	store, err := ledger.OpenReadOnly(ctx, path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return store, err
}

// openExisting opens the ledger that must exist for a command that reads
// what was issued before (correct, settle) to read it. Unless dryRun, it
// first finishes runs a crash interrupted, so that what is read is whole.
func (m *Main) openExisting(ctx context.Context, cfg *Config, out string, dryRun bool) (*ledger.Store, error) {
	path := cfg.LedgerPath(out)
	store, err := openLedgerReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	if store == nil {
		return nil, &inputError{fmt.Errorf("no ledger at %s: nothing has been invoiced with this output folder yet (give --out if the output is elsewhere)", path)}
	}
	if dryRun {
		return store, nil
	}
	store.Close()
	if store, err = ledger.Open(ctx, path); err != nil {
		return nil, err
	}
	if err := recoverRuns(ctx, store, out, cfg.Scheme.ID, m.Stderr); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// recoverRuns finishes runs that a crash interrupted between the ledger's
// commit and the move of their folder into place: the folder was complete
// and synced before the commit, so it is moved into place now.
func recoverRuns(ctx context.Context, store *ledger.Store, out, scheme string, log io.Writer) error {
	runs, err := store.Runs(ctx, scheme)
	if err != nil {
		return err
	}
	for i := range runs {
		run := &runs[i]
		staged, final := stagedFolder(out, run), filepath.Join(out, filepath.FromSlash(run.Folder))
		if _, err := os.Lstat(staged); errors.Is(err, os.ErrNotExist) {
			if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
				fmt.Fprintf(log, "warning: the folder of run %d (%s) is missing from %s; its documents are in the ledger\n", run.ID, run.Folder, out)
			}
			continue
		}
		moved, err := files.Publish(staged, final)
		if err != nil {
			return fmt.Errorf("finish run %d: %w", run.ID, err)
		}
		if moved {
			fmt.Fprintf(log, "Finished run %d, interrupted after it was recorded: its folder is now %s\n", run.ID, final)
		} else {
			fmt.Fprintf(log, "warning: run %d: both %s and its staged copy %s exist; the staged copy was left alone\n", run.ID, final, staged)
		}
	}
	return nil
}

// stagedPattern matches the name of a staged run folder.
var stagedPattern = regexp.MustCompile(`^\..+\.run-([0-9]+)$`)

// removeUncommitted removes the staged folders in dir of runs numbered next
// or later: runs that a crash interrupted before the ledger recorded them.
// Call it only while holding the ledger's write lock.
func removeUncommitted(dir string, next int64) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		m := stagedPattern.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && id >= next {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove the unfinished %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}

// ledgerInputs are the inputs as the ledger records them.
func ledgerInputs(in []manifest.Input) []ledger.Input {
	out := make([]ledger.Input, len(in))
	for i, x := range in {
		out[i] = ledger.Input{Role: x.Role, Path: x.Path, SHA256: x.SHA256}
	}
	return out
}

// dataInputs are the inputs' SHA-256s by role, in order, of the inputs
// that decide whether a rerun has the same inputs: the population and
// activity files. Paths do not count: the same file read from elsewhere is
// the same input. The configuration does not count (an address may change),
// nor do the hours logs and manual lines, which grow through the year: a
// rerun compares the amounts instead.
func dataInputs(in []ledger.Input) []string {
	var out []string
	for _, x := range in {
		switch x.Role {
		case "configuration", "hours", "manual_lines":
			continue
		}
		out = append(out, x.Role+" "+x.SHA256)
	}
	slices.Sort(out)
	return out
}
