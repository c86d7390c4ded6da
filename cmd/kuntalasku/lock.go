package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kuntalasku/kuntalasku/output/files"
)

// defaultLockWait is how long a command waits for the ledger while another
// kuntalasku (a manual command or the daemon) writes it.
const defaultLockWait = 2 * time.Minute

// busyError is the ledger held by another process past the wait: exit 5.
type busyError struct{ err *files.BusyError }

func (e *busyError) Error() string {
	return fmt.Sprintf("the ledger is busy: %v. Try again when it has finished (KUNTALASKU_LOCK_WAIT sets how long to wait, now %s)", e.err, e.err.Waited.Round(time.Second))
}

// lockLedger takes the lock beside the ledger, which every command that
// writes the ledger or the output holds while it works, so that a manual
// command and the daemon never interleave. It waits up to
// KUNTALASKU_LOCK_WAIT (default two minutes) for another holder. A process
// that holds the lock already (run --send) takes it again at once. Call the
// returned release when done.
func (m *Main) lockLedger(ctx context.Context, cfg *Config, out, command string) (release func(), err error) {
	if m.lock != nil {
		m.lockDepth++
		return m.unlock, nil
	}
	wait := defaultLockWait
	if s := m.Getenv("KUNTALASKU_LOCK_WAIT"); s != "" {
		if wait, err = time.ParseDuration(s); err != nil || wait < 0 {
			return nil, &usageError{fmt.Sprintf("KUNTALASKU_LOCK_WAIT=%q: expected a duration such as 30s or 5m", s)}
		}
	}
	path := cfg.LedgerPath(out) + ".lock"
	if err := os.MkdirAll(filepath.Dir(path), files.DirPerm); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	now := m.Now()
	holder := fmt.Sprintf("kuntalasku %s (pid %d, since %s)", command, os.Getpid(), now.In(helsinki).Format("2006-01-02 15:04:05"))
	l, err := files.AcquireLock(ctx, path, holder, wait, func(h string) {
		fmt.Fprintf(m.Stderr, "Waiting for the ledger: %s holds it (up to %s)\n", h, wait)
	})
	var be *files.BusyError
	if errors.As(err, &be) {
		return nil, &busyError{be}
	} else if err != nil {
		return nil, err
	}
	m.lock, m.lockDepth = l, 1
	return m.unlock, nil
}

// unlock releases one hold of the ledger's lock.
func (m *Main) unlock() {
	m.lockDepth--
	if m.lockDepth == 0 && m.lock != nil {
		m.lock.Release()
		m.lock = nil
	}
}
