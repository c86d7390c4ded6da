package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/output/ledger"
)

// TestMain lets the test binary be kuntalasku itself, so that tests can run
// it as a separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("KUNTALASKU_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	tuneGC(os.Getenv) // the benchmarks measure the program's settings
	os.Exit(m.Run())
}

// child is kuntalasku as a child process of the test.
func child(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), append([]string{"KUNTALASKU_TEST_AS_MAIN=1", "SOURCE_DATE_EPOCH=1612166400"}, env...)...)
	return cmd
}

func runArgs(month int, out string) []string {
	return []string{"run", "--config", exampleConfig, "--cycle", fmt.Sprintf("2021-%02d", month),
		"--issue-date", cycleIssueDate(month), "--out", out}
}

// killAt runs a cycle until it reaches the fault point, then kills it with
// SIGKILL.
func killAt(t *testing.T, point string, month int, out string) {
	t.Helper()
	killCommandAt(t, point, nil, runArgs(month, out)...)
}

// killCommandAt runs a command, with env (NAME=value) added to the
// environment, until it reaches the fault point, then kills it with SIGKILL.
func killCommandAt(t *testing.T, point string, env []string, args ...string) {
	t.Helper()
	cmd, _ := startAt(t, "faultpoint "+point, append([]string{"KUNTALASKU_FAULTPOINT=" + point}, env...), args...)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// startAt starts a command, with env added to the environment, and returns
// once it has written the line mark to standard error, with the rest of its
// standard error (closed when it ends). It fails the test if the command ends
// first or takes two minutes.
func startAt(t *testing.T, mark string, env []string, args ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := child(t, env, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan bool, 1)
	rest := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stderr)
		found := false
		var b strings.Builder
		for s.Scan() {
			b.WriteString(s.Text() + "\n")
			if s.Text() == mark && !found {
				found = true
				reached <- true
			}
		}
		if !found {
			reached <- false
		}
		rest <- b.String()
	}()
	select {
	case ok := <-reached:
		if !ok {
			cmd.Wait()
			t.Fatalf("%v ended without writing %q:\n%s", args, mark, <-rest)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("%v did not write %q in two minutes", args, mark)
	}
	return cmd, rest
}

// consistent checks what a crash may leave of a cycle's run: either no trace
// in the output and the ledger, or a run in the ledger whose folder is
// complete, in place or still under its staging name. It reports whether the
// run is in the ledger.
func consistent(t *testing.T, out string, month int) bool {
	t.Helper()
	cycle := fmt.Sprintf("2021-%02d", month)
	final := filepath.Join(out, schemeFolder, cycle)
	var run *ledger.Run
	var docs []ledger.Document
	if store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite")); err != nil {
		t.Fatalf("the ledger cannot be read after the crash: %v", err)
	} else if store != nil {
		defer store.Close()
		if run, err = store.RegularRun(context.Background(), schemeFolder, cycle); err != nil {
			t.Fatal(err)
		}
		if run != nil {
			if docs, err = store.RunDocuments(context.Background(), run.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, err := os.Stat(final)
	inPlace := err == nil
	if run == nil {
		if inPlace {
			t.Errorf("%s is in the output but not in the ledger", cycle)
		}
		return false
	}
	dir := final
	if !inPlace {
		dir = stagedFolder(out, run)
	}
	complete(t, dir, docs)
	return true
}

// complete checks that a run's folder holds its manifest, appendix and every
// document the ledger recorded, each PDF whole.
func complete(t *testing.T, dir string, docs []ledger.Document) {
	t.Helper()
	m := readRunManifest(t, filepath.Join(dir, "manifest.json"))
	if len(m.Documents) != len(docs) || len(docs) != 26 {
		t.Fatalf("%s: manifest lists %d documents, the ledger %d, want 26", dir, len(m.Documents), len(docs))
	}
	for i, d := range docs {
		if m.Documents[i].Number != d.Number {
			t.Errorf("%s: manifest document %d is %s, the ledger's %s", dir, i, m.Documents[i].Number, d.Number)
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(d.PDF)))
		if err != nil || !strings.HasPrefix(string(b), "%PDF-") || !strings.Contains(string(b[max(0, len(b)-64):]), "%%EOF") {
			t.Errorf("%s: %s is not a whole PDF (%d bytes, %v)", dir, d.PDF, len(b), err)
		}
	}
	for _, f := range []string{"appendix.pdf", "appendix.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

// noLeftovers checks that no staged folder is left in the scheme's folder.
func noLeftovers(t *testing.T, out string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(out, schemeFolder))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("leftover %s", e.Name())
		}
	}
}

// TestRunKilled kills run with SIGKILL at each step of committing a cycle:
// while the folder is written, once it is written but before the ledger
// commits, and after the commit before the folder is moved into place. Each
// time the output holds no trace of the run or a complete one, and the next
// run completes it without a gap in the numbers.
func TestRunKilled(t *testing.T) {
	for _, tc := range []struct {
		point    string
		recorded bool // whether the ledger holds the run after the kill
	}{
		{"staging", false},
		{"staged", false},
		{"committed", true},
	} {
		t.Run(tc.point, func(t *testing.T) {
			out := t.TempDir()
			killAt(t, tc.point, 1, out)
			if got := consistent(t, out, 1); got != tc.recorded {
				t.Errorf("after a kill at %s the ledger holds the run: %v, want %v", tc.point, got, tc.recorded)
			}
			for month := 1; month <= 2; month++ {
				cmd := child(t, nil, runArgs(month, out)...)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("run 2021-%02d after the kill: %v\n%s", month, err, b)
				}
				if !consistent(t, out, month) {
					t.Fatalf("2021-%02d is not in the ledger after the run", month)
				}
			}
			noLeftovers(t, out)
			m := readRunManifest(t, filepath.Join(out, schemeFolder, "2021-02", "manifest.json"))
			if first, last := m.Documents[0].Number, m.Documents[25].Number; first != "VSA-2021-000027" || last != "VSA-2021-000052" {
				t.Errorf("February is numbered %s … %s, want VSA-2021-000027 … 000052", first, last)
			}
		})
	}
}

// TestRunKilledAnywhere kills runs at random moments, then checks the same:
// no trace or a complete run, and numbering without a gap once every cycle is
// run to the end.
func TestRunKilledAnywhere(t *testing.T) {
	out := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 11))
	iterations := faultIterations(t)
	month := 1 // cycles are invoiced in order: numbers follow issue dates
	for range iterations {
		cmd := child(t, nil, runArgs(month, out)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.IntN(1200)) * time.Millisecond
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		recorded := consistent(t, out, month)
		t.Logf("2021-%02d killed after %v: in the ledger: %v", month, delay, recorded)
		if recorded && month < 3 {
			month++
		}
	}
	for month := 1; month <= 3; month++ {
		if b, err := child(t, nil, runArgs(month, out)...).CombinedOutput(); err != nil {
			t.Fatalf("run 2021-%02d: %v\n%s", month, err, b)
		}
		if !consistent(t, out, month) {
			t.Fatalf("2021-%02d is not in the ledger", month)
		}
	}
	noLeftovers(t, out)
	numberedOneTo(t, out, 78)
}
