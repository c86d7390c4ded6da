package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// result is what a user sees of one command.
type result struct {
	code           int
	stdout, stderr string
}

// run runs kuntalasku in-process with env as its whole environment.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2020, 12, 1, 9, 30, 0, 0, time.UTC) },
	}
	err := m.Run(context.Background(), args)
	if err != nil {
		errb.WriteString("kuntalasku: " + err.Error() + "\n")
	}
	return result{exitCode(err), out.String(), errb.String()}
}

const exampleConfig = "../../examples/varsinais-suomi/kuntalasku.toml"

// realCSV is the real Statistics Finland export beside the project.
const realCSV = "../../../shared/data/005_11re_2019.csv"

// needShared skips a test when a file of ../shared is missing, except on CI,
// where a missing file is a failure.
func needShared(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing on CI: %v", path, err)
		}
		t.Skipf("%s not available: %v", path, err)
	}
}

// listFiles lists every file below dir, relative to it.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no command", nil, exitUsage, "no command given"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"help", []string{"help"}, exitOK, ""},
		{"estimate without config", []string{"estimate"}, exitUsage, "--config is required"},
		{"estimate bad flag", []string{"estimate", "--nope"}, exitUsage, "flag provided but not defined"},
		{"estimate stray argument", []string{"estimate", "--config", exampleConfig, "extra"}, exitUsage, `unexpected argument "extra"`},
		{"estimate -h", []string{"estimate", "-h"}, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tt.wantErr)
			}
		})
	}
	if r := run(t, nil, "estimate", "-h"); !strings.Contains(r.stderr, "Example:") || !strings.Contains(r.stderr, "--population") {
		t.Errorf("estimate -h does not show its flags and an example:\n%s", r.stderr)
	}
}

// golden compares got with the golden file, rewriting it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (run with -update after checking the change):\n%s", path, got)
	}
}
