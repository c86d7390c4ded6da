package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kuntalasku/kuntalasku/compute"
)

// ErrNotFound is returned (wrapped) by Document for a number the ledger does
// not have.
var ErrNotFound = errors.New("not in the ledger")

// read runs f in a read-only transaction, so that what it reads is one
// state of the ledger.
func (s *Store) read(ctx context.Context, f func(tx *sql.Tx) error) error {
	return s.inTx(ctx, &sql.TxOptions{ReadOnly: true}, f)
}

// inTx runs f in a transaction and commits it.
func (s *Store) inTx(ctx context.Context, opts *sql.TxOptions, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// RegularRun is the regular run that invoiced scheme's cycle, with its
// inputs; nil if the cycle has not been invoiced.
func (s *Store) RegularRun(ctx context.Context, scheme, cycle string) (*Run, error) {
	return s.FindRun(ctx, scheme, cycle, KindRegular)
}

// FindRun is the run of kind of scheme's cycle, with its inputs; nil if there
// is none. Use it for the kinds recorded once per cycle: regular runs and
// settlements.
func (s *Store) FindRun(ctx context.Context, scheme, cycle, kind string) (*Run, error) {
	var run *Run
	err := s.read(ctx, func(tx *sql.Tx) error {
		r, err := scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs
			WHERE scheme = ? AND cycle = ? AND kind = ? ORDER BY id LIMIT 1`, scheme, cycle, kind))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if r.Inputs, err = runInputs(ctx, tx, r.ID); err != nil {
			return err
		}
		run = &r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the %s run of %s %s: %w", kind, scheme, cycle, err)
	}
	return run, nil
}

// Invoiced are scheme's documents, with their lines, of the regular and
// correction runs whose billed period lies within from…to: what was invoiced
// for the period, net of corrections. Settlements are not included.
func (s *Store) Invoiced(ctx context.Context, scheme string, from, to compute.Date) ([]Document, error) {
	docs, err := s.documentsWithLines(ctx, `d.scheme = ? AND r.kind IN ('regular', 'correction') AND d.period_from >= ? AND d.period_to <= ?`,
		scheme, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read what %s invoiced for %s…%s: %w", scheme, from, to, err)
	}
	return docs, nil
}

// CycleDocuments are the documents, with their lines, of scheme's cycle:
// those of its regular run and of its corrections, by number.
func (s *Store) CycleDocuments(ctx context.Context, scheme, cycle string) ([]Document, error) {
	return s.documentsWithLines(ctx, `d.scheme = ? AND r.cycle = ? AND r.kind IN ('regular', 'correction')`, scheme, cycle)
}

// documentsWithLines reads the documents d (of runs r) matching where, with
// their lines, in one read transaction.
func (s *Store) documentsWithLines(ctx context.Context, where string, args ...any) ([]Document, error) {
	var docs []Document
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if docs, err = queryDocuments(ctx, tx, where, args...); err != nil {
			return err
		}
		return readLines(ctx, tx, docs, `d.number IN (SELECT d.number FROM documents d JOIN runs r ON r.id = d.run WHERE `+where+`)`, args...)
	})
	return docs, err
}

// Runs are scheme's runs with their inputs, by run number.
func (s *Store) Runs(ctx context.Context, scheme string) ([]Run, error) {
	var runs []Run
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+runColumns+` FROM runs WHERE scheme = ? ORDER BY id`, scheme)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRun(rows)
			if err != nil {
				return err
			}
			runs = append(runs, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range runs {
			if runs[i].Inputs, err = runInputs(ctx, tx, runs[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the runs of %s: %w", scheme, err)
	}
	return runs, nil
}

// RunDocuments are the documents of a run with their lines, by year and
// sequence number.
func (s *Store) RunDocuments(ctx context.Context, run int64) ([]Document, error) {
	var docs []Document
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		docs, err = queryDocuments(ctx, tx, `d.run = ?`, run)
		if err != nil {
			return err
		}
		return readLines(ctx, tx, docs, `d.run = ?`, run)
	})
	if err != nil {
		return nil, fmt.Errorf("read the documents of run %d: %w", run, err)
	}
	return docs, nil
}

// Documents are scheme's documents without their lines, by year and
// sequence number.
func (s *Store) Documents(ctx context.Context, scheme string) ([]Document, error) {
	var docs []Document
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		docs, err = queryDocuments(ctx, tx, `d.scheme = ?`, scheme)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the documents of %s: %w", scheme, err)
	}
	return docs, nil
}

// Document is the document numbered number with its lines. The error wraps
// ErrNotFound when there is none.
func (s *Store) Document(ctx context.Context, number string) (*Document, error) {
	var docs []Document
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		docs, err = queryDocuments(ctx, tx, `d.number = ?`, number)
		if err != nil || len(docs) == 0 {
			return err
		}
		return readLines(ctx, tx, docs, `d.number = ?`, number)
	})
	if err != nil {
		return nil, fmt.Errorf("read document %s: %w", number, err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("document %s: %w", number, ErrNotFound)
	}
	return &docs[0], nil
}

// Next is the run number and the sequence number in the series of scheme and
// year that Issue would assign next (for a dry run). It works on a read-only
// Store.
func (s *Store) Next(ctx context.Context, scheme string, year int) (run, seq int64, err error) {
	err = s.read(ctx, func(tx *sql.Tx) error {
		run, seq, err = next(ctx, tx, scheme, year)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("read the ledger %s: %w", s.path, err)
	}
	return run, seq, nil
}

// queryDocuments reads the documents d matching where, by year and sequence
// number, without their lines.
func queryDocuments(ctx context.Context, q querier, where string, args ...any) ([]Document, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents d JOIN runs r ON r.id = d.run
		WHERE `+where+` ORDER BY d.year, d.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// readLines fills in the lines of docs, the documents d matching where.
func readLines(ctx context.Context, q querier, docs []Document, where string, args ...any) error {
	byNumber := make(map[string]*Document, len(docs))
	for i := range docs {
		byNumber[docs[i].Number] = &docs[i]
	}
	rows, err := q.QueryContext(ctx, `SELECT `+lineColumns+` FROM lines l JOIN documents d ON d.number = l.document
		WHERE `+where+` ORDER BY l.document, l.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		number, l, err := scanLine(rows)
		if err != nil {
			return err
		}
		d, ok := byNumber[number]
		if !ok {
			return fmt.Errorf("line of document %s, which was not read", number)
		}
		d.Lines = append(d.Lines, l)
	}
	return rows.Err()
}
