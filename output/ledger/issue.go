package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"modernc.org/sqlite"

	"github.com/kuntalasku/kuntalasku/compute"
)

// ErrCycleInvoiced is returned (wrapped) by Issue for a regular run of a
// cycle that a regular run has already invoiced.
var ErrCycleInvoiced = errors.New("the cycle is already invoiced")

// ErrSettled is returned (wrapped) by Issue for a settlement of a cycle (a
// year or period) already settled.
var ErrSettled = errors.New("the period is already settled")

// IssueDateError is returned by Issue when the issue date is earlier than
// one already used in the series: numbers must follow dates.
type IssueDateError struct {
	Date   compute.Date // the issue date asked for
	Last   compute.Date // the latest issue date in the series
	Number string       // the document that has it
}

func (e *IssueDateError) Error() string {
	return fmt.Sprintf("issue date %s is earlier than %s, the issue date of %s: numbers must follow dates, so the issue date must be %s or later",
		e.Date, e.Last, e.Number, e.Last)
}

// maxSeq is the last sequence number of a series: NNNNNN has six digits.
const maxSeq = 999999

// sqliteConstraintUnique is SQLite's extended result code
// SQLITE_CONSTRAINT_UNIQUE.
const sqliteConstraintUnique = 2067

// Plan is what a run is about to issue.
type Plan struct {
	Scheme        string
	Prefix        string // of the document numbers: "VSA"
	ReferenceCode int    // the scheme's reference series code, 1–999
	Cycle         string
	Kind          string // KindRegular, KindCorrection or KindSettlement
	IssueDate     compute.Date
	Count         int // how many documents the run issues; may be 0
}

// check reports what is wrong with p.
func (p Plan) check() error {
	switch {
	case p.Scheme == "":
		return errors.New("no scheme")
	case p.Prefix == "":
		return errors.New("no number prefix")
	case p.ReferenceCode < 1 || p.ReferenceCode > 999:
		return fmt.Errorf("reference series code %d: expected a number from 1 to 999", p.ReferenceCode)
	case p.Cycle == "":
		return errors.New("no cycle")
	case !validKind(p.Kind):
		return fmt.Errorf("kind %q: expected %q, %q or %q", p.Kind, KindRegular, KindCorrection, KindSettlement)
	case p.IssueDate.Year < 1000 || p.IssueDate.Year > 9999:
		return fmt.Errorf("issue date %s: expected a four-digit year", p.IssueDate)
	case p.Count < 0:
		return fmt.Errorf("document count %d is negative", p.Count)
	}
	if _, err := compute.NewDate(p.IssueDate.Year, p.IssueDate.Month, p.IssueDate.Day); err != nil {
		return fmt.Errorf("issue date: %w", err)
	}
	return nil
}

// Numbers are what Issue assigned: the run number and the documents'
// sequence numbers First, First+1, … First+Count-1 in the series of Year.
type Numbers struct {
	Run           int64
	Year          int
	First         int64
	Prefix        string
	ReferenceCode int
	Count         int
}

// Number is the number of the i-th document (from 0): PREFIX-YYYY-NNNNNN.
func (n Numbers) Number(i int) string {
	return fmt.Sprintf("%s-%04d-%06d", n.Prefix, n.Year, n.Seq(i))
}

// Seq is the sequence number of the i-th document (from 0).
func (n Numbers) Seq(i int) int64 { return n.First + int64(i) }

// Reference is the reference of the i-th document (from 0) as an invoice:
// the scheme's series code, the year and the sequence number, with the
// check digit.
func (n Numbers) Reference(i int) (compute.Reference, error) {
	return compute.SchemeReference(n.ReferenceCode, n.Year, n.Seq(i))
}

// Issue commits one run in one transaction. The transaction takes the
// ledger's write lock when it begins, so runs, also of other processes, are
// issued one at a time.
//
// Issue assigns the next run number and the next p.Count sequence numbers of
// the series of p.Scheme and the year of p.IssueDate and calls build with
// them. It checks what build returns: the run's number, scheme, cycle, kind
// and issue date are the plan's; there are exactly p.Count documents, whose
// numbers, sequence numbers, years, schemes, runs and issue dates are the
// assigned ones in order; each document's type is valid, its credit refers
// to an invoice of the scheme, its lines sum to its net amount and net plus
// VAT is its total. Then it records the run, its inputs, the documents and
// their lines, advances the series and commits. If build or anything else
// fails, nothing is recorded and no number is consumed.
//
// build may do slow work (render and write files): it runs while the write
// lock is held. It must not call the Store, whose one connection the
// transaction holds.
//
// A regular run of a cycle already invoiced by a regular run returns an error
// wrapping ErrCycleInvoiced without calling build. An issue date earlier than
// the latest already used in the series returns an *IssueDateError (when the
// run issues documents).
func (s *Store) Issue(ctx context.Context, p Plan, build func(Numbers) (*Run, []Document, error)) (*Run, error) {
	fail := func(err error) (*Run, error) {
		return nil, fmt.Errorf("issue %s run of %s %s: %w", p.Kind, p.Scheme, p.Cycle, err)
	}
	if s.readOnly {
		return fail(fmt.Errorf("ledger %s is open read-only", s.path))
	}
	if err := p.check(); err != nil {
		return fail(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	run, err := issue(ctx, tx, p, build)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	return run, nil
}

// issue is Issue inside its transaction.
func issue(ctx context.Context, tx *sql.Tx, p Plan, build func(Numbers) (*Run, []Document, error)) (*Run, error) {
	done := onceError(p.Kind)
	if done != nil {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM runs WHERE scheme = ? AND cycle = ? AND kind = ?`,
			p.Scheme, p.Cycle, p.Kind).Scan(&id)
		if err == nil {
			return nil, fmt.Errorf("in run %d: %w", id, done)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	runID, first, err := next(ctx, tx, p.Scheme, p.IssueDate.Year)
	if err != nil {
		return nil, err
	}
	if p.Count > 0 {
		if err := checkIssueDate(ctx, tx, p); err != nil {
			return nil, err
		}
	}
	if last := first + int64(p.Count) - 1; last > maxSeq {
		return nil, fmt.Errorf("%d documents do not fit in the series %s-%04d: its last number is %06d", p.Count, p.Prefix, p.IssueDate.Year, maxSeq)
	}
	n := Numbers{Run: runID, Year: p.IssueDate.Year, First: first, Prefix: p.Prefix, ReferenceCode: p.ReferenceCode, Count: p.Count}

	run, docs, err := build(n)
	if err != nil {
		return nil, err
	}
	if err := checkRun(run, p, n); err != nil {
		return nil, err
	}
	if len(docs) != p.Count {
		return nil, fmt.Errorf("the plan was %d documents, %d were built", p.Count, len(docs))
	}
	stored := *run
	stored.Created = createdTime(run.Created)
	stored.Inputs = slices.Clone(run.Inputs)
	if err := insertRun(ctx, tx, &stored); err != nil {
		var e *sqlite.Error
		if done != nil && errors.As(err, &e) && e.Code() == sqliteConstraintUnique {
			return nil, fmt.Errorf("record run %d: %w", runID, done)
		}
		return nil, fmt.Errorf("record run %d: %w", runID, err)
	}
	for i := range docs {
		d := &docs[i]
		if err := checkNumbered(d, p, n, i); err != nil {
			return nil, fmt.Errorf("document %d (%s): %w", i+1, d.Number, err)
		}
		if err := checkCredit(ctx, tx, d); err != nil {
			return nil, fmt.Errorf("document %s: %w", d.Number, err)
		}
		if err := insertDocument(ctx, tx, d); err != nil {
			return nil, fmt.Errorf("record document %s: %w", d.Number, err)
		}
	}
	if p.Count > 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO series (scheme, year, last) VALUES (?, ?, ?)
			ON CONFLICT (scheme, year) DO UPDATE SET last = excluded.last`,
			p.Scheme, n.Year, n.Seq(p.Count-1))
		if err != nil {
			return nil, fmt.Errorf("advance the series: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &stored, nil
}

// onceError is the error for a second run of kind of a cycle, for the kinds
// recorded once per cycle; nil for the others.
func onceError(kind string) error {
	switch kind {
	case KindRegular:
		return ErrCycleInvoiced
	case KindSettlement:
		return ErrSettled
	}
	return nil
}

// next is the next run number and the next sequence number of the series of
// scheme and year.
func next(ctx context.Context, q querier, scheme string, year int) (run, seq int64, err error) {
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM runs`).Scan(&run); err != nil {
		return 0, 0, fmt.Errorf("next run number: %w", err)
	}
	var last int64
	err = q.QueryRowContext(ctx, `SELECT last FROM series WHERE scheme = ? AND year = ?`, scheme, year).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("next number of %s %d: %w", scheme, year, err)
	}
	return run, last + 1, nil
}

// checkIssueDate returns an *IssueDateError when p's issue date is earlier
// than the latest in its series.
func checkIssueDate(ctx context.Context, q querier, p Plan) error {
	var number, date string
	err := q.QueryRowContext(ctx, `SELECT number, issue_date FROM documents WHERE scheme = ? AND year = ?
		ORDER BY issue_date DESC, seq DESC LIMIT 1`, p.Scheme, p.IssueDate.Year).Scan(&number, &date)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("latest issue date: %w", err)
	}
	last, err := compute.ParseDate(date)
	if err != nil {
		return fmt.Errorf("document %s: %w", number, err)
	}
	if p.IssueDate.Before(last) {
		return &IssueDateError{Date: p.IssueDate, Last: last, Number: number}
	}
	return nil
}

// checkRun reports how the run build returned differs from the plan.
func checkRun(run *Run, p Plan, n Numbers) error {
	switch {
	case run == nil:
		return errors.New("no run was built")
	case run.ID != n.Run:
		return fmt.Errorf("the run was built as number %d, it is %d", run.ID, n.Run)
	case run.Scheme != p.Scheme || run.Cycle != p.Cycle || run.Kind != p.Kind:
		return fmt.Errorf("the run was built as the %s run of %s %s, the plan is the %s run of %s %s",
			run.Kind, run.Scheme, run.Cycle, p.Kind, p.Scheme, p.Cycle)
	case run.IssueDate != p.IssueDate:
		return fmt.Errorf("the run was built with issue date %s, the plan's is %s", run.IssueDate, p.IssueDate)
	case run.Created.IsZero():
		return errors.New("the run has no creation time")
	case run.Folder == "":
		return errors.New("the run has no folder")
	}
	return nil
}

// checkNumbered reports what is wrong with d, the i-th document of the run.
func checkNumbered(d *Document, p Plan, n Numbers, i int) error {
	switch {
	case d.Number != n.Number(i) || d.Seq != n.Seq(i) || d.Year != n.Year:
		return fmt.Errorf("built as number %s (year %d, sequence %d), it is %s", d.Number, d.Year, d.Seq, n.Number(i))
	case d.Scheme != p.Scheme:
		return fmt.Errorf("built for scheme %s, the run is of %s", d.Scheme, p.Scheme)
	case d.Run != n.Run:
		return fmt.Errorf("built for run %d, the run is %d", d.Run, n.Run)
	case d.IssueDate != p.IssueDate:
		return fmt.Errorf("built with issue date %s, the run's is %s", d.IssueDate, p.IssueDate)
	}
	return checkDocument(d)
}

// checkCredit reports an error unless the documents d credits and refers to,
// if any, are invoices of d's scheme already recorded.
func checkCredit(ctx context.Context, q querier, d *Document) error {
	for _, number := range []string{d.Credits, d.Refers} {
		if number == "" {
			continue
		}
		var typ, scheme string
		err := q.QueryRowContext(ctx, `SELECT type, scheme FROM documents WHERE number = ?`, number).Scan(&typ, &scheme)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("refers to %s, which is not in the ledger", number)
		} else if err != nil {
			return fmt.Errorf("document %s: %w", number, err)
		}
		if typ != TypeInvoice || scheme != d.Scheme {
			return fmt.Errorf("refers to %s, which is not an invoice of %s", number, d.Scheme)
		}
	}
	return nil
}
