package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/examples/generate/national"
)

// The national benchmarks run "kuntalasku run" in-process on synthetic
// national data (examples/generate/national), generated before the timer
// starts. Like BenchmarkRunCycle they run with the test binary's GC settings,
// not those main sets (tuneGC); to measure with the command's settings, give
// them in the environment:
//
//	GOGC=400 GOMEMLIMIT=1GiB KUNTALASKU_BENCH_EVENTS=10000000 \
//	    go test -run '^$' -bench 'National' -benchtime 3x ./cmd/kuntalasku

// nationalEvents is the size of BenchmarkNationalRun: KUNTALASKU_BENCH_EVENTS,
// else a million events so that CI stays quick.
func nationalEvents(tb testing.TB) int64 {
	s := os.Getenv("KUNTALASKU_BENCH_EVENTS")
	if s == "" {
		return 1_000_000
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		tb.Fatalf("KUNTALASKU_BENCH_EVENTS=%q: expected a number of events", s)
	}
	return n
}

// nationalData generates national data of o into a temporary folder and
// returns its configuration file.
func nationalData(tb testing.TB, o national.Options) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := national.Write(dir, o); err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, national.ConfigFile)
}

// nationalCommand runs one kuntalasku command in-process, as
// BenchmarkRunCycle does.
func nationalCommand(tb testing.TB, args ...string) string {
	tb.Helper()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1612166400"}
	var stdout, stderr strings.Builder
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	if err := m.Run(context.Background(), args); err != nil {
		tb.Fatal(err, stderr.String())
	}
	return stdout.String()
}

// runNational invoices the month of o into out.
func runNational(tb testing.TB, config, out string, o national.Options) {
	tb.Helper()
	cycle := fmt.Sprintf("%d-%02d", o.Year, o.Month)
	issue := time.Date(o.Year, o.Month+1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	nationalCommand(tb, "run", "--config", config, "--cycle", cycle, "--issue-date", issue, "--out", out)
}

// nationalManifest is what the national tests read of a run's manifest.
type nationalManifest struct {
	Budget     compute.Money
	Allocation []struct {
		Payer      string
		Activities *int64
		Total      compute.Money
	}
	Unattributed *struct {
		NonParticipant int64 `json:"non_participant"`
		Unknown        int64
	}
	Documents []struct{ Type, Payer, PDF string }
}

// checkNationalRun checks that the run in out invoiced each of o's payers
// once and counted every event, and returns its manifest.
func checkNationalRun(tb testing.TB, out string, o national.Options) nationalManifest {
	tb.Helper()
	path := filepath.Join(out, "kansallinen-testi", fmt.Sprintf("%d-%02d", o.Year, o.Month), "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var m nationalManifest
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	invoiced := map[string]int{}
	for _, d := range m.Documents {
		if d.Type == "invoice" {
			invoiced[d.Payer]++
		}
	}
	var counted int64
	for _, a := range m.Allocation {
		if invoiced[a.Payer] != 1 {
			tb.Errorf("payer %s has %d invoices, want 1", a.Payer, invoiced[a.Payer])
		}
		if a.Activities != nil {
			counted += *a.Activities
		}
	}
	if m.Unattributed != nil {
		counted += m.Unattributed.NonParticipant + m.Unattributed.Unknown
	}
	if len(m.Allocation) != o.Payers || len(invoiced) != o.Payers {
		tb.Errorf("%d payers allocated and %d invoiced, want %d", len(m.Allocation), len(invoiced), o.Payers)
	}
	if counted != o.Events {
		tb.Errorf("%d events counted (billed and not), want %d", counted, o.Events)
	}
	return m
}

// TestNationalRun runs the generated national data at a small size: it
// validates, and a run invoices every payer and counts every event, those of
// the municipalities that do not pay as non-participants.
func TestNationalRun(t *testing.T) {
	o := national.Options{Municipalities: 40, Payers: 30, Events: 20000, Year: 2021, Month: time.October}
	config := nationalData(t, o)
	if got := nationalCommand(t, "validate", "--config", config); !strings.Contains(got, "30 payers") {
		t.Errorf("validate says:\n%s\nwant 30 payers", got)
	}
	out := t.TempDir()
	runNational(t, config, out, o)
	m := checkNationalRun(t, out, o)
	if want := compute.Euros(1_000_000); m.Budget != want {
		t.Errorf("budget %s, want %s: a twelfth of the year's", m.Budget, want)
	}
	if m.Unattributed == nil || m.Unattributed.NonParticipant == 0 || m.Unattributed.Unknown != 0 {
		t.Errorf("unattributed %+v, want the 10 non-participants' events and no unknown ones", m.Unattributed)
	}
}

// BenchmarkNationalRun is the national stress run of a month: 309
// municipalities, every one a payer, a population XLSX and
// KUNTALASKU_BENCH_EVENTS activity events (a million unless set; the target
// is 10 million), read, allocated and rendered to 309 invoices, their
// Finvoice messages and the appendix.
func BenchmarkNationalRun(b *testing.B) {
	o := national.DefaultOptions()
	o.Events = nationalEvents(b)
	config := nationalData(b, o)
	var out string
	runs := 0
	for b.Loop() {
		b.StopTimer()
		out = b.TempDir()
		b.StartTimer()
		runNational(b, config, out, o)
		runs++
	}
	b.ReportMetric(float64(o.Events)*float64(runs)/b.Elapsed().Seconds(), "events/s")
	checkNationalRun(b, out, o)
}

// BenchmarkNationalRunPayers is a month of 10 events per payer for 100, 1 000
// and 10 000 payers, and 100 000 with KUNTALASKU_BENCH_PAYERS_100K=1, to
// compare the time per payer (ms/payer) as the payers grow. A size the
// cost-sharing scheme cannot hold (more than 1 000: payers are municipalities
// with three-digit codes) is skipped with the reason.
func BenchmarkNationalRunPayers(b *testing.B) {
	sizes := []int{100, 1000, 10000}
	if os.Getenv("KUNTALASKU_BENCH_PAYERS_100K") == "1" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("payers=%d", n), func(b *testing.B) {
			o := national.Options{Municipalities: n, Payers: n, Events: 10 * int64(n), Year: 2021, Month: time.January}
			if err := o.Check(); err != nil {
				b.Skipf("cannot generate %d payers: %v", n, err)
			}
			config := nationalData(b, o)
			var out string
			runs := 0
			for b.Loop() {
				b.StopTimer()
				out = b.TempDir()
				b.StartTimer()
				runNational(b, config, out, o)
				runs++
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(runs*n), "ms/payer")
			checkNationalRun(b, out, o)
		})
	}
}
