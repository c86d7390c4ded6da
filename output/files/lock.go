package files

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// Lock is an exclusive lock on a file (flock), held by one process at a time
// and released when the process ends however it ends, so a crash never
// leaves a stale lock behind.
type Lock struct {
	f *os.File
}

// BusyError is returned by AcquireLock when another process held the lock
// for the whole wait.
type BusyError struct {
	Path   string
	Holder string // what the holder wrote into the lock file: its command, pid and start
	Waited time.Duration
}

func (e *BusyError) Error() string {
	holder := e.Holder
	if holder == "" {
		holder = "another process"
	}
	return fmt.Sprintf("%s is busy: held by %s; waited %s", e.Path, holder, e.Waited.Round(time.Millisecond))
}

// AcquireLock takes the lock of path (creating the file, owner-only),
// trying every poll until wait has passed; then it returns a *BusyError.
// A wait of 0 tries once. When it has the lock it writes holder into the
// file, for the message of the process that waits next. waiting, if not
// nil, is called once if the lock is not free at first.
func AcquireLock(ctx context.Context, path, holder string, wait time.Duration, waiting func(holder string)) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	start := time.Now()
	const poll = 50 * time.Millisecond
	for first := true; ; first = false {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if first && waiting != nil {
			waiting(readHolder(path))
		}
		if time.Since(start) >= wait {
			f.Close()
			return nil, &BusyError{Path: path, Holder: readHolder(path), Waited: time.Since(start)}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(holder+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// readHolder is what the lock file says of its holder.
func readHolder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Release releases the lock. The file stays: removing it would let two
// processes lock two different files of the same name.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
