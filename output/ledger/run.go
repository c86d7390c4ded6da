package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
)

// The kinds of run the ledger records. An estimate issues nothing and is not
// recorded.
const (
	KindRegular    = "regular"
	KindCorrection = "correction"
	KindSettlement = "settlement"
)

// Run is one committed run.
type Run struct {
	ID        int64 // the run number: 1, 2, 3… across the whole ledger
	Scheme    string
	Cycle     string
	Kind      string // KindRegular, KindCorrection or KindSettlement
	IssueDate compute.Date
	Created   time.Time // stored to the second, in UTC
	// Folder is the run's output folder relative to the output root,
	// slash-separated ("vsa/2021-01").
	Folder string
	Inputs []Input
}

// Input is one input file of a run.
type Input struct {
	Role, Path, SHA256 string
}

// validKind reports whether kind is one the ledger records.
func validKind(kind string) bool {
	return kind == KindRegular || kind == KindCorrection || kind == KindSettlement
}

// createdTime is how the ledger stores a run's creation time.
func createdTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// insertRun writes run and its inputs.
func insertRun(ctx context.Context, tx *sql.Tx, run *Run) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO runs (id, scheme, cycle, kind, issue_date, created, folder)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run.ID, run.Scheme, run.Cycle, run.Kind, run.IssueDate.String(),
		createdTime(run.Created).Format(time.RFC3339), run.Folder)
	if err != nil {
		return err
	}
	for i, in := range run.Inputs {
		_, err := tx.ExecContext(ctx, `INSERT INTO run_inputs (run, position, role, path, sha256)
			VALUES (?, ?, ?, ?, ?)`, run.ID, i+1, in.Role, in.Path, in.SHA256)
		if err != nil {
			return fmt.Errorf("input %d (%s): %w", i+1, in.Path, err)
		}
	}
	return nil
}

// runColumns are the columns scanRun reads.
const runColumns = `id, scheme, cycle, kind, issue_date, created, folder`

// scanRun reads a row of runColumns.
func scanRun(row scanner) (Run, error) {
	var (
		r              Run
		issue, created string
	)
	if err := row.Scan(&r.ID, &r.Scheme, &r.Cycle, &r.Kind, &issue, &created, &r.Folder); err != nil {
		return Run{}, err
	}
	var err error
	if r.IssueDate, err = compute.ParseDate(issue); err != nil {
		return Run{}, fmt.Errorf("run %d: %w", r.ID, err)
	}
	if r.Created, err = time.Parse(time.RFC3339, created); err != nil {
		return Run{}, fmt.Errorf("run %d: created %q: %w", r.ID, created, err)
	}
	r.Created = r.Created.UTC()
	return r, nil
}

// runInputs reads the inputs of run.
func runInputs(ctx context.Context, q querier, run int64) ([]Input, error) {
	rows, err := q.QueryContext(ctx, `SELECT role, path, sha256 FROM run_inputs WHERE run = ? ORDER BY position`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ins []Input
	for rows.Next() {
		var in Input
		if err := rows.Scan(&in.Role, &in.Path, &in.SHA256); err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	return ins, rows.Err()
}
