package ledger

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestMain lets the test binary be a writer that a test kills in the middle
// of a transaction.
func TestMain(m *testing.M) {
	if path := os.Getenv("LEDGER_TEST_INTERRUPTED_WRITER"); path != "" {
		interruptedWriter(path)
		return
	}
	os.Exit(m.Run())
}

// interruptedWriter writes to the ledger at path in a transaction large
// enough to spill SQLite's one-page cache — the journal is synced and the
// database file changed in place — says so, and waits to be killed.
func interruptedWriter(path string) {
	ctx := context.Background()
	s, err := open(ctx, path, "_busy_timeout=10000&_journal_mode=DELETE", false)
	if err != nil {
		panic(err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA cache_size = 1"); err != nil {
		panic(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		panic(err)
	}
	for range 500 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO spill (x) VALUES (randomblob(2000))"); err != nil {
			panic(err)
		}
	}
	os.Stdout.WriteString("written\n")
	select {}
}

// TestReadAfterInterruptedWrite: a writer killed mid-transaction leaves a
// hot journal. A read-only open rolls it back (which a read-only connection
// cannot do by itself: SQLITE_READONLY_ROLLBACK) and reads the last
// committed state, instead of failing until the next writer comes.
func TestReadAfterInterruptedWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.sqlite")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "CREATE TABLE spill (x BLOB)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "LEDGER_TEST_INTERRUPTED_WRITER="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "written\n" {
		cmd.Process.Kill()
		t.Fatalf("the writer said %q, %v", line, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if fi, err := os.Stat(path + "-journal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no hot journal after the kill: %v", err)
	}

	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("a reader after the interrupted write: %v", err)
	}
	defer r.Close()
	var n int
	if err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM spill").Scan(&n); err != nil || n != 0 {
		t.Errorf("the interrupted transaction's rows: %d, %v; want 0 (rolled back)", n, err)
	}
	if a, err := r.Audit(ctx); err != nil || len(a.Problems) > 0 {
		t.Errorf("audit after the rollback: %v, %v", a, err)
	}
	if _, err := os.Stat(path + "-journal"); !os.IsNotExist(err) {
		t.Errorf("the journal is still there: %v", err)
	}
}
