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
	"syscall"
	"time"
)

func main() {
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
