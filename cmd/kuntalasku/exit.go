package main

import (
	"errors"
	"flag"

	"github.com/kuntalasku/kuntalasku/ingest"
)

// The exit codes (SPEC 8). They are part of the interface: scripts and the
// scheduler act on them.
const (
	exitOK          = 0 // success
	exitFailure     = 1 // anything else went wrong (disk, permissions, a bug)
	exitUsage       = 2 // the command line is wrong
	exitInput       = 3 // an input or the configuration is invalid; nothing was written
	exitUndelivered = 4 // messages remain undelivered
	exitBusy        = 5 // another kuntalasku holds the ledger
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// inputError marks an invalid input or configuration: exit code 3.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// exitCode maps an error from Main.Run to the documented exit code.
func exitCode(err error) int {
	var (
		ue   *usageError
		ie   *inputError
		de   *undeliveredError
		be   *busyError
		ierr *ingest.Error
		iers *ingest.Errors
	)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &de):
		return exitUndelivered
	case errors.As(err, &be):
		return exitBusy
	case errors.As(err, &ie), errors.As(err, &ierr), errors.As(err, &iers):
		return exitInput
	}
	return exitFailure
}
