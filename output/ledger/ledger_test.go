package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readAll reads everything the Store offers, so that a test can check that
// reading changes nothing.
func readAll(t *testing.T, s *Store) ([]Run, []Document) {
	t.Helper()
	ctx := context.Background()
	runs, err := s.Runs(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	var docs []Document
	for _, r := range runs {
		d, err := s.RunDocuments(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d...)
	}
	if _, err := s.Documents(ctx, "vsa"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document(ctx, "VSA-2021-000001"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegularRun(ctx, "vsa", "2021-01"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Next(ctx, "vsa", 2021); err != nil {
		t.Fatal(err)
	}
	return runs, docs
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	path, dir := s.Path(), filepath.Dir(s.Path())
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 3), nil)
	feb := mustIssue(t, s, vsa(t, KindRegular, "2021-02", "2021-03-01", 2), nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, names := fileHash(t, path), folderNames(t, dir)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	runs, docs := readAll(t, s)
	if want := []Run{wantRun(jan.run), wantRun(feb.run)}; !reflect.DeepEqual(runs, want) {
		t.Errorf("after reopening, runs:\ngot  %+v\nwant %+v", runs, want)
	}
	sameDocuments(t, docs, append(slices.Clone(jan.docs), feb.docs...))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, path) != before {
		t.Error("opening an up-to-date ledger and reading it changed the file")
	}

	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	runs, docs = readAll(t, ro)
	if len(runs) != 2 || len(docs) != 5 {
		t.Errorf("read-only: got %d runs and %d documents, want 2 and 5", len(runs), len(docs))
	}
	if _, err := ro.Issue(ctx, vsa(t, KindRegular, "2021-03", "2021-04-01", 1), makeRunOf(t)); err == nil {
		t.Error("a read-only ledger issued")
	}
	if _, err := ro.db.ExecContext(ctx, `DELETE FROM lines`); err == nil {
		t.Error("a read-only ledger's database accepted a change")
	}
	if _, err := ro.db.ExecContext(ctx, `PRAGMA user_version = 5`); err == nil {
		t.Error("a read-only ledger's database accepted a change of version")
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, path) != before {
		t.Error("reading the ledger read-only changed the file")
	}
	if got := folderNames(t, dir); !slices.Equal(got, names) {
		t.Errorf("the folder holds %v, want %v", got, names)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.sqlite")
	s, err := OpenReadOnly(context.Background(), path)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want an error wrapping os.ErrNotExist", err)
	}
	if s != nil {
		t.Error("got a Store")
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("the folder holds %v, want nothing", names)
	}
}

func TestOpenMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Open(context.Background(), filepath.Join(dir, "ledger.sqlite")); err == nil {
		t.Error("opened a ledger in a missing folder")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folder was created (%v)", err)
	}
}

func TestVersions(t *testing.T) {
	ctx := context.Background()
	latest, err := latestVersion()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		version  int
		wantOpen bool   // Open succeeds
		wantRO   string // OpenReadOnly's error, "" for none
	}{
		{"current", latest, true, ""},
		{"empty file", 0, true, "older"},
		{"version 1", 1, true, "older"},
		{"newer", 99, false, "newer kuntalasku; upgrade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ledger.sqlite")
			switch tt.version {
			case 0:
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			case 1:
				makeVersion1(t, path)
			default:
				s, err := Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", tt.version)); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			before := fileHash(t, path)

			ro, err := OpenReadOnly(ctx, path)
			if tt.wantRO == "" && err != nil {
				t.Errorf("OpenReadOnly: %v", err)
			} else if tt.wantRO != "" && (err == nil || !strings.Contains(err.Error(), tt.wantRO)) {
				t.Errorf("OpenReadOnly: got %v, want an error with %q", err, tt.wantRO)
			}
			if ro != nil {
				ro.Close()
			}
			if fileHash(t, path) != before {
				t.Error("OpenReadOnly changed the file")
			}

			s, err := Open(ctx, path)
			if tt.wantOpen != (err == nil) {
				t.Errorf("Open: got %v, want success %v", err, tt.wantOpen)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.wantRO) {
					t.Errorf("Open: got %v, want an error with %q", err, tt.wantRO)
				}
				if fileHash(t, path) != before {
					t.Error("a refused Open changed the file")
				}
				return
			}
			defer s.Close()
			if v, err := userVersion(ctx, s.db); v != latest || err != nil {
				t.Errorf("after Open, version %d (%v), want %d", v, err, latest)
			}
			wantRun, wantSeq := int64(1), int64(1)
			if tt.version == 1 { // the document recorded before the upgrade is kept
				wantRun, wantSeq = 2, 2
				doc, err := s.Document(ctx, "VSA-2021-000001")
				if err != nil || doc.Total != 1000 || len(doc.Lines) != 1 || doc.Lines[0].Kind != "" {
					t.Errorf("the version 1 document after the upgrade: %+v, %v", doc, err)
				}
			}
			if run, seq, err := s.Next(ctx, "vsa", 2021); run != wantRun || seq != wantSeq || err != nil {
				t.Errorf("Next = %d, %d, %v; want %d, %d", run, seq, err, wantRun, wantSeq)
			}
		})
	}
}

func TestPermission(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name  string
		exist os.FileMode // the permission of a file there before, 0 for none
		want  os.FileMode
	}{
		{"new", 0, 0o600},
		{"existing", 0o640, 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".sqlite")
			if tt.exist != 0 {
				if err := os.WriteFile(path, nil, tt.exist); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.exist); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 1), nil)
			s.Close()
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("got permission %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPathEscaping(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"ledger?mode=ro.sqlite", "a#b%20c d.sqlite", "kirjanpito ä.sqlite"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 1), nil)
			s.Close()
			if got := folderNames(t, dir); !slices.Equal(got, []string{name}) {
				t.Errorf("the folder holds %q, want %q", got, name)
			}
			ro, err := OpenReadOnly(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if docs, err := ro.Documents(ctx, "vsa"); len(docs) != 1 || err != nil {
				t.Errorf("got %d documents (%v), want 1", len(docs), err)
			}
		})
	}
}

// makeVersion1 makes a ledger of schema version 1, as the first release made
// it, holding one run with one document.
func makeVersion1(t *testing.T, path string) {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	dsn, err := dataSource(path, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{ms[0].sql, "PRAGMA user_version = 1",
		`INSERT INTO runs VALUES (1, 'vsa', '2021-01', 'regular', '2021-02-01', '2021-02-01T08:00:00Z', 'vsa/2021-01')`,
		`INSERT INTO series VALUES ('vsa', 2021, 1)`,
		`INSERT INTO documents (number, scheme, year, seq, run, type, payer, payer_name, lang, issue_date, due_date,
			period_from, period_to, reference, reason, net, vat, total, pdf)
			VALUES ('VSA-2021-000001', 'vsa', 2021, 1, 1, 'invoice', '853', 'Turku', 'fi', '2021-02-01', '2021-02-15',
			'2021-01-01', '2021-01-31', '120210000013', '', 1000, 0, 1000, 'invoices/VSA-2021-000001.pdf')`,
		`INSERT INTO lines VALUES ('VSA-2021-000001', 1, 'Väestöosuus', '', '1', 'lot', 1000, '0', 1000)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
