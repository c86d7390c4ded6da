// Package ledger is kuntalasku's record of what it issued (SPEC 5): an
// embedded SQLite database (modernc.org/sqlite, pure Go) holding every run,
// its input files' SHA-256s, every document (invoice or credit note) and its
// lines.
//
// The ledger is the authority for invoice numbers: one gapless series per
// scheme and calendar year of the issue date, formatted PREFIX-YYYY-NNNNNN
// (VSA-2021-000001) and shared by invoices and credit notes. Numbers are
// assigned only inside the transaction that commits a run (Store.Issue), so a
// failed run consumes none. Every write transaction takes the database's
// write lock when it begins, so two processes issuing at once are serialised.
//
// The schema lives in migrations/NNNN_name.sql, embedded in the binary and
// applied in order by Open; PRAGMA user_version is the number of the last
// one applied.
package ledger

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open ledger. Its methods may be called from several
// goroutines; they share one database connection.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
}

// Open opens the ledger at path for reading and writing, creating the file
// (permission 0600) when it does not exist, and brings its schema up to date.
// The folder holding it must exist. Opening an up-to-date ledger does not
// change the file.
func Open(ctx context.Context, path string) (*Store, error) {
	created, err := create(path)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	// A ledger this call created and could not set up (a full disk, say) is
	// removed again: left behind, it would be an empty database without a
	// schema, which readers refuse.
	removeNew := func() {
		if created {
			os.Remove(path + "-journal")
			os.Remove(path)
		}
	}
	s, err := open(ctx, path, "_txlock=immediate&_busy_timeout=10000&_foreign_keys=1&_synchronous=FULL&_journal_mode=DELETE", false)
	if err != nil {
		removeNew()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		removeNew()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	return s, nil
}

// OpenReadOnly opens an existing ledger for reading only. The error wraps
// os.ErrNotExist when there is no file at path. A ledger whose schema is
// older or newer than this binary's is refused, as it cannot be migrated
// here.
//
// It changes the file in one case only: a writer killed in the middle of a
// transaction leaves a hot journal, which a read-only connection cannot roll
// back (SQLITE_READONLY_ROLLBACK), so every reader would fail until the next
// writer. Then the ledger is opened for writing just long enough for SQLite
// to roll the interrupted transaction back — restoring the last committed
// state, which is all any reader may see — and opened read-only again.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	s, err := openReadOnly(ctx, path)
	var e *sqlite.Error
	if err != nil && errors.As(err, &e) && e.Code() == sqlite3.SQLITE_READONLY_ROLLBACK {
		if rerr := rollBack(ctx, path); rerr != nil {
			return nil, fmt.Errorf("open ledger %s: roll back the transaction a crash interrupted: %w", path, rerr)
		}
		s, err = openReadOnly(ctx, path)
	}
	return s, err
}

// rollBack opens the ledger for writing and reads from it, which makes
// SQLite roll back a hot journal; it writes nothing else.
func rollBack(ctx context.Context, path string) error {
	s, err := open(ctx, path, "_busy_timeout=10000&_journal_mode=DELETE", false)
	if err != nil {
		return err
	}
	defer s.db.Close()
	_, err = userVersion(ctx, s.db)
	return err
}

func openReadOnly(ctx context.Context, path string) (*Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open ledger %s: not a regular file", path)
	}
	s, err := open(ctx, path, "mode=ro&_busy_timeout=10000&_foreign_keys=1&_query_only=1", true)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Store, error) {
		s.db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	version, err := userVersion(ctx, s.db)
	if err != nil {
		return fail(err)
	}
	latest, err := latestVersion()
	if err != nil {
		return fail(err)
	}
	switch {
	case version > latest:
		return fail(newerError(version, latest))
	case version < latest:
		return fail(fmt.Errorf("schema version %d is older than this kuntalasku's (%d); run a command that writes to the ledger to upgrade it", version, latest))
	}
	return s, nil
}

// create makes an empty file at path, readable only by its owner, unless a
// file is there already, and reports whether it made one. The folder must
// exist.
func create(path string) (bool, error) {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return false, fmt.Errorf("folder: %w", err)
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("folder %s is not a folder", dir)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return false, err
	}
	return true, nil
}

// open opens the database at path with the DSN parameters params.
func open(ctx context.Context, path, params string, readOnly bool) (*Store, error) {
	dsn, err := dataSource(path, params)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	// One connection: the Store's own transactions queue in Go (honouring
	// their contexts) instead of polling SQLite's lock; other processes are
	// waited for by the busy timeout.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	return &Store{db: db, path: path, readOnly: readOnly}, nil
}

// dataSource is the SQLite URI of the file at path: "file:" and the
// absolute path, escaped, then params.
func dataSource(path, params string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Path: filepath.ToSlash(abs)}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows path, C:/…
	}
	return "file:" + p + "?" + params, nil
}

// Close closes the ledger.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close ledger %s: %w", s.path, err)
	}
	return nil
}

// Path is the ledger's file, as given to Open or OpenReadOnly.
func (s *Store) Path() string { return s.path }

// migration is one schema step: the file migrations/NNNN_name.sql makes
// version NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations in order. Their numbers must be
// 1, 2, 3… without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration // fs.Glob returns the names sorted
	for i, name := range names {
		base := filepath.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: expected its name to start with %04d_", name, i+1)
		}
		data, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(data)})
	}
	return ms, nil
}

// latestVersion is the schema version this binary makes.
func latestVersion() (int, error) {
	ms, err := migrations()
	return len(ms), err
}

// newerError is the error for a ledger whose schema this binary does not know.
func newerError(version, latest int) error {
	return fmt.Errorf("schema version %d is newer than this kuntalasku's (%d): the ledger was made by a newer kuntalasku; upgrade", version, latest)
}

// querier is what both *sql.DB and *sql.Tx can do.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userVersion reads PRAGMA user_version.
func userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// migrate applies the migrations the ledger lacks, all in one transaction. An
// up-to-date ledger is only read.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	v, err := userVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v > len(ms) {
		return newerError(v, len(ms))
	}
	if v == len(ms) {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	// Another process may have migrated while this one waited for the lock.
	if v, err = userVersion(ctx, tx); err != nil {
		return err
	}
	if v > len(ms) {
		return newerError(v, len(ms))
	}
	for _, m := range ms[v:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate to %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return fmt.Errorf("migrate: set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
