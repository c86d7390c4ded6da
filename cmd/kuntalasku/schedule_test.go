package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kuntalasku/kuntalasku/output/ledger"
)

// TestParseSchedule: schedules that fire in 03:00–04:59 Finnish time are
// refused, whatever their form; others are read.
func TestParseSchedule(t *testing.T) {
	for _, tt := range []struct {
		spec string
		ok   bool
	}{
		{"0 7 1 * *", true},
		{"30 6 * * 1-5", true},
		{"59 2 * * *", true},
		{"0 5 1 * *", true},
		{"30 3 * * *", false},
		{"0 4 1 * *", false},
		{"*/30 * * * *", false},
		{"0 */2 * * *", false}, // 04:00
		{"@daily", true},       // 00:00
		{"@hourly", false},
		{"0 7 31 2 *", false}, // never
		{"0 7 1 *", false},
		{"daily", false},
	} {
		_, err := parseSchedule(tt.spec)
		if (err == nil) != tt.ok {
			t.Errorf("parseSchedule(%q) = %v, want ok %v", tt.spec, err, tt.ok)
		}
	}
}

// TestScheduleDST2026: the default schedule and a daily 07:00 fire exactly
// once at 07:00 Finnish time on the days of 2026 when the clocks change
// (29.3. and 25.10.), an hour apart in UTC across them.
func TestScheduleDST2026(t *testing.T) {
	daily, err := parseSchedule("0 7 * * *")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from string
		want []string // UTC
	}{
		{"2026-03-28", []string{"2026-03-28T05:00:00Z", "2026-03-29T04:00:00Z", "2026-03-30T04:00:00Z"}},
		{"2026-10-24", []string{"2026-10-24T04:00:00Z", "2026-10-25T05:00:00Z", "2026-10-26T05:00:00Z"}},
	} {
		from, err := time.ParseInLocation("2006-01-02", tc.from, helsinki)
		if err != nil {
			t.Fatal(err)
		}
		next := from
		for i, want := range tc.want {
			next = daily.Next(next)
			if got := next.UTC().Format(time.RFC3339); got != want || next.In(helsinki).Hour() != 7 {
				t.Errorf("from %s, fire %d: %s (%s local), want %s", tc.from, i+1, got, next.In(helsinki).Format("15:04"), want)
			}
		}
	}
	monthly, err := parseSchedule(defaultSchedule)
	if err != nil {
		t.Fatal(err)
	}
	next := time.Date(2026, 1, 15, 0, 0, 0, 0, helsinki)
	for month := 2; month <= 12; month++ {
		next = monthly.Next(next)
		if next.Month() != time.Month(month) || next.Day() != 1 || next.Hour() != 7 || next.Minute() != 0 {
			t.Errorf("the default schedule fires %s, want 1.%d. 07:00", next, month)
		}
	}
}

// syncBuffer is a log buffer safe for cron's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestScheduleSkipsAndRecovers runs the daemon's cron in a bubble of fake
// time: a job still running at the next ticks makes them skipped (logged),
// and a job that panics is recovered (logged) while the schedule goes on.
func TestScheduleSkipsAndRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs syncBuffer
		c := newCron(slog.New(slog.NewTextHandler(&logs, nil)))
		var runs, panics atomic.Int32
		release := make(chan struct{})
		if _, err := c.Schedule("0,10,20,30,40,50 8-20 * * *", cron.FuncJob(func() {
			if runs.Add(1) == 1 {
				<-release // the first run lasts past the next two ticks
			}
		})); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Schedule("5 8 * * *", cron.FuncJob(func() {
			panics.Add(1)
			panic("a bug in a job")
		})); err != nil {
			t.Fatal(err)
		}
		start := time.Now().In(helsinki)
		day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, helsinki)
		if !start.Before(day.Add(8 * time.Hour)) {
			day = day.AddDate(0, 0, 1)
		}
		c.Start()
		time.Sleep(day.Add(8*time.Hour + 25*time.Minute).Sub(time.Now())) // 08:00 runs, 08:05 panics, 08:10 and 08:20 are skipped
		synctest.Wait()
		if got := runs.Load(); got != 1 {
			t.Errorf("by 08:25 the job ran %d times, want 1 (08:10 and 08:20 skipped)", got)
		}
		close(release)
		time.Sleep(10 * time.Minute) // 08:30 runs
		synctest.Wait()
		<-c.Stop().Done()
		if got := runs.Load(); got != 2 {
			t.Errorf("by 08:35 the job ran %d times, want 2", got)
		}
		if panics.Load() != 1 {
			t.Errorf("the panicking job ran %d times, want 1", panics.Load())
		}
		out := logs.String()
		if strings.Count(out, "a tick was skipped") != 2 || !strings.Contains(out, "a bug in a job") || !strings.Contains(out, "level=ERROR") {
			t.Errorf("the log does not show two skipped ticks and the recovered panic:\n%s", out)
		}
	})
}

// TestScheduleCatchesUp: a tick on 2.4.2021 with only January invoiced
// invoices February and March (April has not ended) in order, then sends
// every undelivered document; a second tick that day does nothing.
func TestScheduleCatchesUp(t *testing.T) {
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" },
		Now: func() time.Time { return time.Date(2021, 4, 2, 7, 0, 0, 0, helsinki) }}
	var logs syncBuffer
	d := &daemon{m: m, configPath: exampleConfig, outFlag: out, log: slog.New(slog.NewTextHandler(&logs, nil))}
	d.tick(context.Background())
	store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil || store == nil {
		t.Fatalf("ledger: %v", err)
	}
	runs, err := store.Runs(context.Background(), schemeFolder)
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, fmt.Sprintf("%s %s %s", r.Kind, r.Cycle, r.IssueDate))
	}
	want := []string{"regular 2021-01 2021-02-01", "regular 2021-02 2021-04-02", "regular 2021-03 2021-04-02"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("runs %v, want %v\n%s", got, want, logs.String())
	}
	for _, cycle := range []string{"2021-01", "2021-02", "2021-03"} {
		if entries, err := os.ReadDir(filepath.Join(out, schemeFolder, cycle, "outbox")); err != nil || len(entries) != 25 {
			t.Errorf("%s's outbox: %d messages, %v; want 25", cycle, len(entries), err)
		}
	}
	before := treeHashes(t, out)
	d.tick(context.Background())
	if !strings.Contains(logs.String(), "nothing to invoice") {
		t.Errorf("the second tick does not say it had nothing to do:\n%s", logs.String())
	}
	sameTree(t, "after the second tick", treeHashes(t, out), before)
}

// TestLedgerLock: while one run holds the ledger, another waits for it; a
// run that cannot wait long enough exits 5 naming the holder. Two runs
// started together take turns: each run's numbers are contiguous.
func TestLedgerLock(t *testing.T) {
	out := t.TempDir()
	a, _ := startAt(t, "faultpoint staged", []string{"KUNTALASKU_FAULTPOINT=staged"}, runArgs(1, out)...)
	r := run(t, map[string]string{"KUNTALASKU_LOCK_WAIT": "300ms"}, runArgs(2, out)...)
	holder := fmt.Sprintf("kuntalasku regular 2021-01 (pid %d,", a.Process.Pid)
	if r.code != exitBusy || !strings.Contains(r.stderr, holder) || !strings.Contains(r.stderr, "the ledger is busy") {
		t.Errorf("a run while another holds the ledger: exit %d, want 5 naming %q\n%s", r.code, holder, r.stderr)
	}
	a.Process.Signal(syscall.SIGKILL)
	a.Wait()

	// Two runs at once, the first pausing inside its transaction: the
	// second waits for it.
	first, _ := startAt(t, "pause staged", []string{"KUNTALASKU_TEST_PAUSE=staged"}, runArgs(1, out)...)
	r = run(t, nil, runArgs(2, out)...)
	if err := first.Wait(); err != nil {
		t.Fatalf("the first run: %v", err)
	}
	if r.code != 0 || !strings.Contains(r.stderr, "Waiting for the ledger: kuntalasku regular 2021-01") {
		t.Errorf("the second run: exit %d, want 0 after waiting\n%s", r.code, r.stderr)
	}
	store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil || store == nil {
		t.Fatalf("ledger: %v", err)
	}
	defer store.Close()
	docs, err := store.Documents(context.Background(), schemeFolder)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		wantRun, wantCycle := int64(1), "2021-01"
		if i >= 26 {
			wantRun, wantCycle = 2, "2021-02"
		}
		if d.Run != wantRun || d.Cycle != wantCycle || d.Seq != int64(i+1) {
			t.Errorf("%s: run %d cycle %s; want run %d, %s", d.Number, d.Run, d.Cycle, wantRun, wantCycle)
		}
	}
	if len(docs) != 52 {
		t.Errorf("%d documents, want 52", len(docs))
	}
}

// TestScheduleSIGTERM: SIGTERM while the daemon invoices lets the cycle
// being invoiced finish, stops before the next, and exits 0.
func TestScheduleSIGTERM(t *testing.T) {
	out := t.TempDir()
	d, rest := startAt(t, "pause staged", []string{"KUNTALASKU_TEST_PAUSE=staged"}, "schedule", "--config", exampleConfig, "--out", out)
	if err := d.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := d.Wait()
	stderr := <-rest
	if err != nil {
		t.Fatalf("the daemon after SIGTERM: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "stopping before the next cycle") || !strings.Contains(stderr, "msg=stopped") {
		t.Errorf("the log does not show the orderly stop:\n%s", stderr)
	}
	store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil || store == nil {
		t.Fatalf("ledger: %v", err)
	}
	defer store.Close()
	runs, err := store.Runs(context.Background(), schemeFolder)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Cycle != "2021-01" || runs[0].Kind != ledger.KindRegular {
		t.Fatalf("runs %+v, want January only", runs)
	}
	docs, err := store.RunDocuments(context.Background(), runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	complete(t, filepath.Join(out, schemeFolder, "2021-01"), docs)
}
