// Package files writes kuntalasku's output folders so that a crash at any
// moment leaves either no trace of a run or a complete one: a folder is built
// under a temporary name beside its final place, every file is synced, and the
// folder is renamed into place in one step.
package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Permissions of what kuntalasku writes: invoices and ledgers are the
// organisation's business records, readable by its group, not by everyone.
const (
	DirPerm  os.FileMode = 0o750
	FilePerm os.FileMode = 0o640
	// PrivateDirPerm is for what only the owner may read: the outbox of
	// messages with their recipients.
	PrivateDirPerm os.FileMode = 0o700
)

// PrivateDir makes dir (and its missing parents, as DirPerm) readable by its
// owner only, whether it exists already or not.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), DirPerm); err != nil {
		return err
	}
	if err := os.Mkdir(dir, PrivateDirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return os.Chmod(dir, PrivateDirPerm)
}

// Stage is an output folder being built. Nothing of it is visible at its
// final path until Commit.
type Stage struct {
	final string
	tmp   string
	done  bool
}

// NewStage starts building the folder final. Its parent folders are created.
func NewStage(final string) (*Stage, error) {
	final = filepath.Clean(final)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, DirPerm); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	if err := os.Chmod(tmp, DirPerm); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	return &Stage{final: final, tmp: tmp}, nil
}

// NewStageNamed starts building the folder final under the hidden sibling
// name (such as ".2021-01.run-7"), so that a folder left by a crash can be
// found again by its name: one whose run was committed is published with
// Publish, one whose run was not is removed. A leftover folder of that name
// is removed first.
func NewStageNamed(final, name string) (*Stage, error) {
	final = filepath.Clean(final)
	if name == "" || name != filepath.Base(name) || name[0] != '.' {
		return nil, fmt.Errorf("stage %s: %q is not a hidden folder name", final, name)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, DirPerm); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	tmp := filepath.Join(parent, name)
	if err := os.RemoveAll(tmp); err != nil {
		return nil, fmt.Errorf("remove the leftover %s: %w", tmp, err)
	}
	if err := os.Mkdir(tmp, DirPerm); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	return &Stage{final: final, tmp: tmp}, nil
}

// Dir is the staged folder's current path.
func (s *Stage) Dir() string { return s.tmp }

// Sync makes everything written so far durable: the files are synced as they
// are written, this syncs the folders that hold them.
func (s *Stage) Sync() error {
	if err := syncFolders(s.tmp); err != nil {
		return fmt.Errorf("sync %s: %w", s.tmp, err)
	}
	return syncDir(filepath.Dir(s.tmp))
}

// Keep gives up the staged folder without removing it: Abort then does
// nothing. Used once a ledger has committed the run the folder holds, when
// the folder must survive until Publish moves it into place.
func (s *Stage) Keep() { s.done = true }

// Publish moves the staged folder into place at final, unless final exists
// already (then it reports false and leaves both alone). A missing staged
// folder is an error wrapping os.ErrNotExist.
func Publish(staged, final string) (bool, error) {
	if _, err := os.Lstat(final); err == nil {
		return false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("publish %s: %w", final, err)
	}
	if err := os.Rename(staged, final); err != nil {
		if _, statErr := os.Lstat(final); statErr == nil {
			return false, nil // another process published it first
		}
		return false, fmt.Errorf("publish %s: %w", final, err)
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return true, fmt.Errorf("publish %s: %w", final, err)
	}
	return true, nil
}

// Final is the path the folder will have once committed.
func (s *Stage) Final() string { return s.final }

// WriteFile writes data to the file rel inside the staged folder and syncs it.
// rel must stay inside the folder ("invoices/019.pdf", not "../x").
func (s *Stage) WriteFile(rel string, data []byte) error {
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("write %q: the name would leave the output folder", rel)
	}
	path := filepath.Join(s.tmp, rel)
	if err := os.MkdirAll(filepath.Dir(path), DirPerm); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FilePerm)
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// Commit moves the finished folder into place. With replace, an existing
// folder at the final path is replaced (for documents that are recomputed,
// such as an estimate); without it, an existing folder is an error and is left
// untouched.
func (s *Stage) Commit(replace bool) error {
	if s.done {
		return errors.New("commit: already committed or aborted")
	}
	if err := syncFolders(s.tmp); err != nil {
		return fmt.Errorf("commit %s: %w", s.final, err)
	}
	var old string
	if _, err := os.Lstat(s.final); err == nil {
		if !replace {
			return fmt.Errorf("commit: %s already exists and is never overwritten", s.final)
		}
		old = s.tmp + ".old"
		if err := os.Rename(s.final, old); err != nil {
			return fmt.Errorf("commit %s: %w", s.final, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("commit %s: %w", s.final, err)
	}
	if err := os.Rename(s.tmp, s.final); err != nil {
		if old != "" {
			os.Rename(old, s.final) // put the previous folder back
		}
		return fmt.Errorf("commit %s: %w", s.final, err)
	}
	s.done = true
	if err := syncDir(filepath.Dir(s.final)); err != nil {
		return fmt.Errorf("commit %s: %w", s.final, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove the replaced %s: %w", s.final, err)
		}
	}
	return nil
}

// Abort removes the staged folder. It is safe to call after Commit (it then
// does nothing), so callers can defer it.
func (s *Stage) Abort() error {
	if s.done {
		return nil
	}
	s.done = true
	return os.RemoveAll(s.tmp)
}

// syncFolders syncs root and every folder below it, so that the entries of
// the files written there are on disk before the rename publishes them.
func syncFolders(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(path)
		}
		return nil
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems cannot sync folders
		return err
	}
	return nil
}

// WriteAtomic writes data to path so that the file is either absent or
// whole: it writes a temporary file beside it, syncs it, renames it into
// place and syncs the folder, which it creates if missing. The file is
// owner-only (0600): it may hold personal data.
func WriteAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, DirPerm); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}
