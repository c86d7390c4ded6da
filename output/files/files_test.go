package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStage(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "scheme", "2021-01")

	s, err := NewStage(final)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("invoices/019.pdf", []byte("pdf")); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("../escape", []byte("x")); err == nil {
		t.Error("a name leaving the folder was written")
	}
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Fatal("the folder is visible before Commit")
	}
	if err := s.Commit(false); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(final, "invoices", "019.pdf")); err != nil || string(b) != "pdf" {
		t.Fatalf("committed file = %q, %v", b, err)
	}
	if fi, _ := os.Stat(filepath.Join(final, "invoices", "019.pdf")); fi.Mode().Perm()&0o007 != 0 {
		t.Errorf("file mode %v is readable by others", fi.Mode().Perm())
	}

	// Without replace, an existing folder is never overwritten.
	s2, err := NewStage(final)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.WriteFile("invoices/019.pdf", []byte("other")); err != nil {
		t.Fatal(err)
	}
	if err := s2.Commit(false); err == nil {
		t.Fatal("Commit(false) over an existing folder succeeded")
	}
	if err := s2.Abort(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(final, "invoices", "019.pdf")); string(b) != "pdf" {
		t.Errorf("existing file changed to %q", b)
	}

	// With replace, the whole folder is swapped.
	s3, err := NewStage(final)
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.WriteFile("manifest.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := s3.Commit(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(final, "invoices")); !os.IsNotExist(err) {
		t.Error("the replaced folder's files remain")
	}
	entries, _ := os.ReadDir(filepath.Dir(final))
	if len(entries) != 1 {
		t.Errorf("parent holds %d entries, want only the folder (no temporary ones)", len(entries))
	}
	if err := s3.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := os.Stat(final); err != nil {
		t.Error("Abort after Commit removed the committed folder")
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"VSA-2021-000001", "019", "Aura"}, "vsa-2021-000001-019-aura"},
		{[]string{"VSA-2021-000003", "322", "Kemiönsaari"}, "vsa-2021-000003-322-kemionsaari"},
		{[]string{"x", "S:t Mårtens"}, "x-s-t-martens"},
		{[]string{"../../etc/passwd"}, "etc-passwd"},
		{[]string{".hidden", "/abs\\path"}, "hidden-abs-path"},
		{[]string{"", "  ", "…"}, "document"},
		{[]string{"Åbo\x00\n"}, "abo"},
	}
	for _, tt := range tests {
		got := Name(tt.parts...)
		if got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.parts, got, tt.want)
		}
		if !filepath.IsLocal(got) || got != filepath.Base(got) || got[0] == '.' {
			t.Errorf("Name(%q) = %q is not a plain local file name", tt.parts, got)
		}
	}
}

// TestStageNamed: a named stage replaces a leftover of its name, survives
// Keep, and Publish moves it into place once, never over an existing folder.
func TestStageNamed(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "scheme", "2021-01")
	leftover := filepath.Join(root, "scheme", ".2021-01.run-1")
	if err := os.MkdirAll(leftover, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(leftover, "half.pdf"), []byte("%PDF-"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := NewStageNamed(final, "2021-01"); err == nil {
		t.Error("a stage name that is not hidden was accepted")
	}
	s, err := NewStageNamed(final, ".2021-01.run-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(leftover, "half.pdf")); !os.IsNotExist(err) {
		t.Error("the leftover's files survived a new stage of the same name")
	}
	if err := s.WriteFile("manifest.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	s.Keep()
	s.Abort() // after Keep, Abort removes nothing
	if _, err := os.Stat(filepath.Join(leftover, "manifest.json")); err != nil {
		t.Fatalf("Keep did not keep the staged folder: %v", err)
	}
	moved, err := Publish(leftover, final)
	if err != nil || !moved {
		t.Fatalf("Publish = %v, %v", moved, err)
	}
	if b, err := os.ReadFile(filepath.Join(final, "manifest.json")); err != nil || string(b) != "{}" {
		t.Fatalf("published folder: %q, %v", b, err)
	}
	// A second staged copy never replaces the published folder.
	if err := os.MkdirAll(leftover, 0o750); err != nil {
		t.Fatal(err)
	}
	if moved, err := Publish(leftover, final); err != nil || moved {
		t.Errorf("Publish over an existing folder = %v, %v; want false, nil", moved, err)
	}
	if _, err := Publish(filepath.Join(root, "scheme", ".missing"), filepath.Join(root, "scheme", "2021-02")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Publish of a missing folder = %v", err)
	}
}

// TestWriteAtomic: the file appears whole, owner-only, in a folder made for
// it, with no temporary file left beside it; writing again replaces it.
func TestWriteAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox", "vsa-2021-000001.eml")
	for _, data := range []string{"first", "second, longer"} {
		if err := WriteAtomic(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("read back %q, %v; want %q", got, err, data)
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the file only", len(entries))
	}
}

// TestLock: a second holder waits, then gets a BusyError naming the first;
// after Release it gets the lock at once.
func TestLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.sqlite.lock")
	a, err := AcquireLock(ctx, path, "kuntalasku run 2021-01 (pid 1)", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := ""
	_, err = AcquireLock(ctx, path, "kuntalasku send (pid 2)", 120*time.Millisecond, func(h string) { waited = h })
	var be *BusyError
	if !errors.As(err, &be) || be.Holder != "kuntalasku run 2021-01 (pid 1)" || be.Waited < 120*time.Millisecond || waited != be.Holder {
		t.Fatalf("a second holder: %v (waiting saw %q)", err, waited)
	}
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	b, err := AcquireLock(ctx, path, "kuntalasku send (pid 2)", 0, nil)
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	defer b.Release()
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the lock file's mode: %v, %v", info.Mode().Perm(), err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := AcquireLock(cctx, path, "x", time.Minute, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait: %v", err)
	}
}
