package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
)

// The fault harness (issue 16): every command that writes — run, correct,
// settle, send — is killed with SIGKILL at random moments, again and again,
// and after every kill the output must be what a finance office can trust:
// the ledger's numbering proven by its audit, every published folder whole,
// every run the ledger holds in its folder (published or still staged), and
// no message received twice. Then the command is run to its end and the
// result must be as if nothing had happened. TestRunKilled, TestCorrectKilled
// and TestSendKilled kill at each named step; these kill anywhere.
//
// KUNTALASKU_FAULT_ITERATIONS sets the kills per command (default 8; CI
// runs 12).

func faultIterations(t *testing.T) int {
	if s := os.Getenv("KUNTALASKU_FAULT_ITERATIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("KUNTALASKU_FAULT_ITERATIONS=%q: expected a positive number", s)
		}
		return n
	}
	return 8
}

// killed is what killAfter saw: whether the command ended before the kill.
type killed struct {
	delay    time.Duration
	finished bool
	code     int
}

// killAfter starts kuntalasku with args and env, and kills it with SIGKILL
// after delay unless it has ended.
func killAfter(t *testing.T, delay time.Duration, env []string, args ...string) killed {
	t.Helper()
	cmd := child(t, env, args...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		k := killed{delay: delay, finished: true, code: cmd.ProcessState.ExitCode()}
		if err != nil && k.code != exitUndelivered {
			t.Fatalf("%v ended on its own with %v:\n%s", args[0], err, output.String())
		}
		return k
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return killed{delay: delay}
	}
}

// faultCase is one fresh state for a command to be killed in: its output
// folder and scheme, the command, and checks of the state after a kill
// (beyond checkOutput's) and once the command has run to its end.
type faultCase struct {
	out, scheme string
	env         []string
	args        []string
	afterKill   func(t *testing.T)
	end         func(t *testing.T)
}

// killRepeatedly measures how long the command takes on a fresh state, then
// n times: makes a fresh state, kills the command after a random delay
// within that time, checks the output, runs the command to its end and
// checks the result.
func killRepeatedly(t *testing.T, rng *rand.Rand, n int, setup func(t *testing.T) faultCase) {
	t.Helper()
	c := setup(t)
	start := time.Now()
	if b, err := child(t, c.env, c.args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", c.args[0], err, b)
	}
	span := time.Since(start)
	c.end(t)
	ended := 0
	for i := range n {
		c := setup(t)
		delay := time.Duration(rng.Int64N(int64(span)))
		k := killAfter(t, delay, c.env, c.args...)
		if k.finished {
			ended++
		}
		t.Logf("kill %d of %s after %v of %v: ended before the kill: %v", i+1, c.args[0], delay.Round(time.Millisecond), span.Round(time.Millisecond), k.finished)
		checkOutput(t, c.out, c.scheme)
		if c.afterKill != nil {
			c.afterKill(t)
		}
		r, err := child(t, c.env, c.args...).CombinedOutput()
		var exit *exec.ExitError
		undelivered := errors.As(err, &exit) && exit.ExitCode() == exitUndelivered
		if err != nil && !(c.args[0] == "send" && undelivered) {
			t.Fatalf("%s after the kill: %v\n%s", c.args[0], err, r)
		}
		checkOutput(t, c.out, c.scheme)
		c.end(t)
		if t.Failed() {
			t.FailNow()
		}
	}
	if ended == n {
		t.Errorf("%s ended before every kill: nothing was tested", c.args[0])
	}
}

// checkOutput checks the output folder out after a kill: the ledger's audit
// finds no problem, every run of the ledger has its whole folder (published,
// or staged under its hidden name until the next command publishes it), and
// every published folder holds whole documents only.
func checkOutput(t *testing.T, out, scheme string) {
	t.Helper()
	ctx := context.Background()
	store, err := openLedgerReadOnly(ctx, filepath.Join(out, "ledger.sqlite"))
	if err != nil {
		t.Fatalf("the ledger cannot be read after the kill: %v", err)
	}
	if store == nil {
		if entries, _ := os.ReadDir(filepath.Join(out, scheme)); len(entries) > 0 {
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), ".") {
					t.Errorf("%s is in the output but there is no ledger", e.Name())
				}
			}
		}
		return
	}
	defer store.Close()
	audit, err := store.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range audit.Problems {
		t.Errorf("ledger audit: %s", p)
	}
	runs, err := store.Runs(ctx, scheme)
	if err != nil {
		t.Fatal(err)
	}
	inLedger := map[string]bool{}
	for i := range runs {
		run := &runs[i]
		final := filepath.Join(out, filepath.FromSlash(run.Folder))
		dir := final
		if _, err := os.Stat(final); err != nil {
			dir = stagedFolder(out, run)
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("run %d (%s %s) is in the ledger, but neither %s nor its staged folder exists", run.ID, run.Kind, run.Cycle, run.Folder)
				continue
			}
		}
		inLedger[filepath.Clean(final)] = true
		docs, err := store.RunDocuments(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		wholeFolder(t, dir, docs)
	}
	// A published folder the ledger does not know would be a run that was
	// never committed.
	filepath.WalkDir(filepath.Join(out, scheme), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // staged: the next command publishes or removes it
		}
		if !d.IsDir() && d.Name() == "manifest.json" && !inLedger[filepath.Dir(path)] {
			t.Errorf("%s is published but not in the ledger", filepath.Dir(path))
		}
		return nil
	})
}

// wholeFolder checks a run's folder: its manifest names the ledger's
// documents in order, each PDF is whole and each Finvoice message is
// well-formed XML, and no file is left half-written under a temporary name.
func wholeFolder(t *testing.T, dir string, docs []ledger.Document) {
	t.Helper()
	m := readRunManifest(t, filepath.Join(dir, "manifest.json"))
	if len(m.Documents) != len(docs) {
		t.Fatalf("%s: the manifest lists %d documents, the ledger %d", dir, len(m.Documents), len(docs))
	}
	for i, d := range docs {
		if m.Documents[i].Number != d.Number {
			t.Errorf("%s: document %d is %s in the manifest, %s in the ledger", dir, i, m.Documents[i].Number, d.Number)
		}
		pdf, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(d.PDF)))
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
			t.Errorf("%s: %s is not a whole PDF (%d bytes, %v)", dir, d.PDF, len(pdf), err)
		}
		xmlPath := strings.TrimSuffix(filepath.Join(dir, filepath.FromSlash(d.PDF)), ".pdf") + ".xml"
		if data, err := os.ReadFile(xmlPath); err == nil {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s: %v", xmlPath, err)
					break
				}
			}
		}
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasPrefix(d.Name(), ".") || strings.Contains(d.Name(), ".tmp")) {
			t.Errorf("a temporary file is left in %s: %s", dir, path)
		}
		return nil
	})
}

// ledgerNumbers are the scheme's document numbers in the ledger, in order.
func ledgerNumbers(t *testing.T, out, scheme string) []string {
	t.Helper()
	store, err := ledger.OpenReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	docs, err := store.Documents(context.Background(), scheme)
	if err != nil {
		t.Fatal(err)
	}
	numbers := make([]string, len(docs))
	for i, d := range docs {
		numbers[i] = d.Number
	}
	return numbers
}

// numberedOneTo checks that the example's documents in the ledger are
// VSA-2021-000001 … n, each once, in order.
func numberedOneTo(t *testing.T, out string, n int) {
	t.Helper()
	numbers := ledgerNumbers(t, out, schemeFolder)
	for i, got := range numbers {
		if want := fmt.Sprintf("VSA-2021-%06d", i+1); got != want {
			t.Fatalf("document %d is %s, want %s", i+1, got, want)
		}
	}
	if len(numbers) != n {
		t.Errorf("%d documents in the ledger, want %d", len(numbers), n)
	}
}

// TestCorrectKilledAnywhere kills the correction of January at random
// moments; then it is run to its end. The ledger ends with the 26 invoices,
// the 3 credit notes and 3 new invoices of the correction, numbered 1…32, and
// each payer's total is what a fresh run from the corrected log gives.
func TestCorrectKilledAnywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	killRepeatedly(t, rng, faultIterations(t), func(t *testing.T) faultCase {
		c := newCorrectionCase(t)
		return faultCase{
			out: c.out, scheme: schemeFolder,
			args: append([]string{"correct", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-10",
				"--out", c.out, "--reason", "Käynti kirjattu väärälle kunnalle"}, c.corrected...),
			end: func(t *testing.T) {
				numberedOneTo(t, c.out, 32)
				totals, _ := ledgerTotals(t, c.out)
				for payer, want := range c.expected {
					if totals[payer] != want {
						t.Errorf("payer %s: %s in the ledger, want %s", payer, totals[payer], want)
					}
				}
			},
		}
	})
}

// TestSettleKilledAnywhere kills the year-end settlement of the Lasteri
// example's 2022 at random moments; then it is run to its end: the surplus
// of 4 576,60 € is credited once, as two credit notes numbered after the
// year's invoices without a gap.
func TestSettleKilledAnywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	env := map[string]string{"SOURCE_DATE_EPOCH": "1678867200"}
	killRepeatedly(t, rng, faultIterations(t), func(t *testing.T) faultCase {
		out := t.TempDir()
		if r := run(t, env, "run", "--config", lasteriConfig, "--cycle", "2022", "--issue-date", "2023-01-16", "--out", out); r.code != 0 {
			t.Fatalf("run 2022: exit %d\n%s", r.code, r.stderr)
		}
		return faultCase{
			out: out, scheme: "lasteri", env: envList(env),
			args: []string{"settle", "--config", lasteriConfig, "--year", "2022", "--actual-cost", "45000", "--issue-date", "2023-03-15", "--out", out},
			end: func(t *testing.T) {
				want := []string{"LAS-2023-000001", "LAS-2023-000002", "LAS-2023-000003", "LAS-2023-000004"}
				if got := ledgerNumbers(t, out, "lasteri"); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("the ledger holds %v, want %v", got, want)
				}
				store, err := ledger.OpenReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
				if err != nil {
					t.Fatal(err)
				}
				defer store.Close()
				docs, err := store.Documents(context.Background(), "lasteri")
				if err != nil {
					t.Fatal(err)
				}
				var credited compute.Money
				for _, d := range docs {
					if d.RunKind == ledger.KindSettlement {
						credited += d.Net
					}
				}
				if want, _ := compute.ParseMoney("-4576.60"); credited != want {
					t.Errorf("the settlement credits %s, want %s", credited, want)
				}
			},
		}
	})
}

// TestSendKilledAnywhere kills send at random moments while it mails
// January's 25 messages through an SMTP server on loopback; then send is run
// to its end. No message arrives twice; every message arrives, unless a kill
// interrupted its attempt between recording it and the server's answer — then
// the ledger keeps it as uncertain, send reports it and does not resend it by
// itself.
func TestSendKilledAnywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	killRepeatedly(t, rng, faultIterations(t), func(t *testing.T) faultCase {
		c := newSMTPCase(t)
		return faultCase{
			out: c.out, scheme: schemeFolder, env: envList(c.env),
			args:      []string{"send", "--config", c.config, "--out", c.out},
			afterKill: func(t *testing.T) { c.messageIDs(t) }, // fails on a message received twice
			end: func(t *testing.T) {
				received := c.messageIDs(t)
				store, err := ledger.OpenReadOnly(context.Background(), filepath.Join(c.out, "ledger.sqlite"))
				if err != nil {
					t.Fatal(err)
				}
				defer store.Close()
				all, err := store.Deliveries(context.Background(), schemeFolder)
				if err != nil {
					t.Fatal(err)
				}
				delivered, uncertain := 0, 0
				for doc, ds := range all {
					last := ds[len(ds)-1]
					switch {
					case last.Status == "delivered":
						delivered++
						if !received[last.MessageID] && !received["<"+last.MessageID+">"] {
							t.Errorf("%s is delivered in the ledger, but the server has no %s", doc, last.MessageID)
						}
					case last.Finished.IsZero():
						uncertain++
					default:
						t.Errorf("%s: last attempt %s (%s)", doc, last.Status, last.Reply)
					}
				}
				if delivered+uncertain != 25 || len(received) > 25 || len(received) < delivered {
					t.Errorf("%d delivered and %d uncertain in the ledger, %d messages at the server; want 25 in all, each at most once",
						delivered, uncertain, len(received))
				}
			},
		}
	})
}

// TestFullDisk runs January into a nearly full file system (a small tmpfs,
// KUNTALASKU_TEST_FULL_DISK, which .ci/run mounts with
// scripts/full-disk-test-fs.sh), leaving it room for none, some or all of
// what the run writes (about 1,1 MiB). Each run either completes or fails
// with exit 1 naming the full disk, leaving the output checkOutput expects:
// no folder the ledger does not hold, no half-written file. Once the space
// is freed, the next run completes, numbered from 1 without a gap.
func TestFullDisk(t *testing.T) {
	root := os.Getenv("KUNTALASKU_TEST_FULL_DISK")
	if root == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("KUNTALASKU_TEST_FULL_DISK is not set: .ci/run mounts a small tmpfs with scripts/full-disk-test-fs.sh")
		}
		t.Skip("set KUNTALASKU_TEST_FULL_DISK to a small file system: eval \"$(sudo scripts/full-disk-test-fs.sh)\"")
	}
	failed := 0
	for _, room := range []int64{0, 32 << 10, 128 << 10, 384 << 10, 768 << 10, 1024 << 10, 4 << 20} {
		t.Run(fmt.Sprintf("%dKiB", room>>10), func(t *testing.T) {
			out := filepath.Join(root, fmt.Sprintf("out-%d", room))
			os.RemoveAll(out)
			t.Cleanup(func() { os.RemoveAll(out) })
			ballast := fillTo(t, root, room)
			t.Cleanup(func() { os.Remove(ballast) })
			b, err := child(t, nil, runArgs(1, out)...).CombinedOutput()
			var exit *exec.ExitError
			switch {
			case err == nil:
				t.Logf("with %d KiB free the run fit", room>>10)
			case errors.As(err, &exit) && exit.ExitCode() == exitFailure:
				failed++
				if !strings.Contains(string(b), "no space left on device") && !strings.Contains(string(b), "disk is full") {
					t.Errorf("exit 1 without naming the full disk:\n%s", b)
				}
				t.Logf("with %d KiB free: %s", room>>10, lastLine(string(b)))
			default:
				t.Fatalf("run on a full disk: %v, want exit 0 or 1\n%s", err, b)
			}
			checkOutput(t, out, schemeFolder)
			if err := os.Remove(ballast); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
			if b, err := child(t, nil, runArgs(1, out)...).CombinedOutput(); err != nil {
				t.Fatalf("run once the space is freed: %v\n%s", err, b)
			}
			checkOutput(t, out, schemeFolder)
			noLeftovers(t, out)
			numberedOneTo(t, out, 26)
		})
	}
	if failed < 3 {
		t.Errorf("only %d runs met a full disk: the test does not test much", failed)
	}
}

// fillTo writes a ballast file into the file system of dir until room bytes
// are left free, and returns its path.
func fillTo(t *testing.T, dir string, room int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	path := filepath.Join(dir, fmt.Sprintf("ballast-%d", room))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for left := free - room; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			t.Fatalf("fill %s: %v", dir, err)
		}
		left -= n
	}
	return path
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
