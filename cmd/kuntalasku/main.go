// Command kuntalasku invoices Finnish municipalities for shared services: it
// reads Statistics Finland population exports and activity logs, splits a
// budget between the payers exactly, and writes the documents.
//
// Run "kuntalasku help" for the commands and README.md for the whole story.
package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
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

// The garbage collector's settings for kuntalasku's work, unless GOGC or
// GOMEMLIMIT say otherwise. Rendering allocates about 10 MiB per PDF (the PDF
// library builds its font tables again for every document) and keeps almost
// nothing, so collecting at every 400 % of growth instead of 100 % renders
// about 1,7× faster. The memory limit keeps a run's peak near gcMemoryLimit
// all the same: the collector works harder as the heap nears it. Before
// rendering, roomForRendering raises the limit when the run's live data
// (payers, counts, ledger rows) is large, so that a big run is not left
// collecting without pause.
const (
	gcPercent     = 400
	gcMemoryLimit = 120 << 20
)

// gcLimitFromEnv is whether GOMEMLIMIT set the memory limit.
var gcLimitFromEnv bool

// tuneGC applies the settings above unless the environment has its own.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	gcLimitFromEnv = getenv("GOMEMLIMIT") != ""
	if !gcLimitFromEnv {
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

// roomForRendering raises the memory limit to three times the live heap
// when that is more than gcMemoryLimit, unless GOMEMLIMIT set it.
func roomForRendering() {
	if gcLimitFromEnv {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if live := sample[0].Value.Uint64(); 3*live > gcMemoryLimit {
		debug.SetMemoryLimit(int64(min(3*live, math.MaxInt64)))
	}
}
