// Command kuntalasku invoices Finnish municipalities for shared services: it
// reads Statistics Finland population exports and activity logs, splits a
// budget between the payers exactly, and writes the documents.
//
// Run "kuntalasku help" for the commands and README.md for the whole story.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
	err := m.Run(ctx, os.Args[1:])
	stop()
	code := exitCode(err)
	if err != nil && code != exitOK {
		fmt.Fprintln(os.Stderr, "kuntalasku:", err)
	}
	os.Exit(code)
}

// tuneGC sets the garbage collector for kuntalasku's work, unless GOGC or
// GOMEMLIMIT say otherwise. Rendering allocates about 10 MiB per PDF (the PDF
// library parses its font for every document) and keeps almost nothing, so
// collecting at every 400 % of growth instead of 100 % renders about 1,7×
// faster for a peak heap of a few hundred MiB; the memory limit makes the
// collector work harder before a large run outgrows 1 GiB.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
