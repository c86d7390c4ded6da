package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
)

// runManifest is what the tests read of a run's manifest.json.
type runManifest struct {
	Scheme, Cycle, Kind, Created string
	Run                          int64
	IssueDate                    string `json:"issue_date"`
	Budget                       compute.Money
	ComponentBudgets             struct{ Population, Activity compute.Money } `json:"component_budgets"`
	ActivityBasis                string                                       `json:"activity_basis"`
	Inputs                       []struct{ Role, Path, SHA256 string }
	Allocation                   []struct {
		Payer, Name      string
		Population       int64
		Activities       *int64
		PopulationAmount compute.Money `json:"population_amount"`
		ActivityAmount   compute.Money `json:"activity_amount"`
		Total            compute.Money
	}
	Unattributed *struct {
		NonParticipant int64 `json:"non_participant"`
		Unknown        int64
	}
	Documents []struct {
		Number, Type, Payer string
		Credits, Role       string
		Refers              string
		PayerName           string `json:"payer_name"`
		IssueDate           string `json:"issue_date"`
		DueDate             string `json:"due_date"`
		Reference           string
		ReferenceRF         string `json:"reference_rf"`
		VirtualBarcode      string `json:"virtual_barcode"`
		Net, VAT, Total     compute.Money
		PDF                 string
		Lines               []struct {
			Description string
			Quantity    string
			UnitPrice   compute.Money `json:"unit_price"`
			Net         compute.Money
		}
	}
	Appendix    struct{ PDF, XLSX string }
	Reason      string
	Mode        string
	Corrections []struct {
		Payer      string
		Old, New   compute.Money
		Difference compute.Money
		Named      bool
	}
}

func readRunManifest(t *testing.T, path string) runManifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m runManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

const schemeFolder = "vsa-asiakasohjaus"

// cycleIssueDate is the first day after a 2021 cycle, when it is invoiced.
func cycleIssueDate(month int) string {
	if month == 12 {
		return "2022-01-01"
	}
	return fmt.Sprintf("2021-%02d-01", month+1)
}

// runCycle runs one cycle of the example and fails the test unless it
// succeeds.
func runCycle(t *testing.T, config, out string, month int, extra ...string) result {
	t.Helper()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1612166400"} // 2021-02-01 08:00 UTC
	args := append([]string{"run", "--config", config, "--cycle", fmt.Sprintf("2021-%02d", month),
		"--issue-date", cycleIssueDate(month), "--out", out}, extra...)
	r := run(t, env, args...)
	if r.code != 0 {
		t.Fatalf("run 2021-%02d: exit %d\n%s%s", month, r.code, r.stdout, r.stderr)
	}
	return r
}

// TestRunWholePeriod invoices the example's eleven cycles: 286 invoices that
// sum exactly to the budget, every cycle's budget and component columns as
// SPEC 3 gives them, every invoice's lines summing to its total, the numbers
// and reference numbers without a gap.
func TestRunWholePeriod(t *testing.T) {
	out := t.TempDir()
	var grand compute.Money
	seq := int64(0)
	seen := map[string]bool{}
	for month := 1; month <= 11; month++ {
		r := runCycle(t, exampleConfig, out, month)
		id := fmt.Sprintf("2021-%02d", month)
		dir := filepath.Join(out, schemeFolder, id)
		if !strings.Contains(r.stdout, "Output: "+dir) {
			t.Errorf("%s: the output folder is not printed:\n%s", id, r.stdout)
		}
		m := readRunManifest(t, filepath.Join(dir, "manifest.json"))
		if m.Cycle != id || m.Kind != "regular" || m.Run != int64(month) || m.IssueDate != cycleIssueDate(month) {
			t.Errorf("%s: manifest cycle %q kind %q run %d issue date %s", id, m.Cycle, m.Kind, m.Run, m.IssueDate)
		}

		// SPEC 3: the components' cycle budgets.
		wantPop, wantAct := compute.Cents(1811104), compute.Cents(776188)
		if month >= 8 {
			wantPop = compute.Cents(1811103)
		}
		if month >= 4 {
			wantAct = compute.Cents(776187)
		}
		if m.ComponentBudgets.Population != wantPop || m.ComponentBudgets.Activity != wantAct || m.Budget != wantPop+wantAct {
			t.Errorf("%s: budget %s = %s + %s, want %s + %s", id, m.Budget, m.ComponentBudgets.Population, m.ComponentBudgets.Activity, wantPop, wantAct)
		}
		if month == 1 && m.Budget != compute.Cents(2587292) {
			t.Errorf("January's budget is %s, want 25872.92", m.Budget)
		}
		if m.ActivityBasis != "activities" {
			t.Errorf("%s: activity basis %q, want activities", id, m.ActivityBasis)
		}

		// The columns sum to the components, the lines to the totals.
		var pop, act compute.Money
		totals := map[string]compute.Money{}
		for _, a := range m.Allocation {
			pop, act = pop+a.PopulationAmount, act+a.ActivityAmount
			if a.PopulationAmount+a.ActivityAmount != a.Total {
				t.Errorf("%s %s: %s + %s != %s", id, a.Payer, a.PopulationAmount, a.ActivityAmount, a.Total)
			}
			if a.Activities == nil {
				t.Errorf("%s %s: no activity count", id, a.Payer)
			}
			totals[a.Payer] = a.Total
		}
		if pop != wantPop || act != wantAct {
			t.Errorf("%s: columns sum to %s and %s, want %s and %s", id, pop, act, wantPop, wantAct)
		}

		if len(m.Documents) != 26 {
			t.Fatalf("%s: %d documents, want 26", id, len(m.Documents))
		}
		var cycleTotal compute.Money
		for _, d := range m.Documents {
			seq++
			want := fmt.Sprintf("VSA-2021-%06d", seq)
			if d.Number != want {
				t.Errorf("%s: document %s, want %s (numbers must run without a gap)", id, d.Number, want)
			}
			ref, err := compute.SchemeReference(1, 2021, seq)
			if err != nil {
				t.Fatal(err)
			}
			if d.Reference != string(ref) || d.ReferenceRF != ref.RF() || seen[d.Reference] {
				t.Errorf("%s: reference %s / %s, want %s / %s, unique", d.Number, d.Reference, d.ReferenceRF, ref, ref.RF())
			}
			seen[d.Reference] = true
			var lines compute.Money
			for _, l := range d.Lines {
				lines += l.Net
				if l.Quantity != "1" || l.UnitPrice != l.Net {
					t.Errorf("%s: line %q: %s × %s != %s", d.Number, l.Description, l.Quantity, l.UnitPrice, l.Net)
				}
			}
			if lines != d.Net || d.Net+d.VAT != d.Total || d.VAT != 0 || d.Total != totals[d.Payer] {
				t.Errorf("%s: lines %s, net %s, VAT %s, total %s, allocated %s", d.Number, lines, d.Net, d.VAT, d.Total, totals[d.Payer])
			}
			if d.Type != "invoice" || d.IssueDate != cycleIssueDate(month) || d.DueDate == "" || len(d.VirtualBarcode) != 54 {
				t.Errorf("%s: type %q issued %s due %q barcode %q", d.Number, d.Type, d.IssueDate, d.DueDate, d.VirtualBarcode)
			}
			if fi, err := os.Stat(filepath.Join(dir, d.PDF)); err != nil || fi.Size() < 10000 {
				t.Errorf("%s: PDF %s: %v", d.Number, d.PDF, err)
			}
			cycleTotal += d.Total
		}
		if cycleTotal != m.Budget {
			t.Errorf("%s: invoices sum to %s, budget %s", id, cycleTotal, m.Budget)
		}
		grand += cycleTotal
		for _, f := range []string{m.Appendix.PDF, m.Appendix.XLSX} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: appendix: %v", id, err)
			}
		}
	}
	if seq != 286 || grand != compute.Cents(28460200) {
		t.Errorf("%d invoices sum to %s, want 286 summing to 284602.00", seq, grand)
	}

	// The ledger lists the same 286 documents.
	r := run(t, nil, "ledger", "--config", exampleConfig, "--out", out, "list")
	if r.code != 0 || strings.Count(r.stdout, "VSA-2021-") != 286 || !strings.Contains(r.stdout, "VSA-2021-000286") {
		t.Errorf("ledger list: exit %d, %d documents\n%s", r.code, strings.Count(r.stdout, "VSA-2021-"), r.stderr)
	}
	r = run(t, nil, "ledger", "show", "VSA-2021-000026", "--config", exampleConfig, "--out", out)
	for _, want := range []string{"VSA-2021-000026", "918 Vehmaa", "2021-01-01 … 2021-01-31", "Reference:  12 02100 00262 (RF19 1202 1000 0262)"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("ledger show: exit %d, %q missing:\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
}

// treeHashes is the SHA-256 of every file below dir, by relative path.
func treeHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, rel := range listFiles(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(sum[:])
	}
	return out
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files, before %d", what, len(got), len(want))
	}
	for name, h := range want {
		if got[name] != h {
			t.Errorf("%s: %s changed", what, name)
		}
	}
}

// TestRunTwice: a cycle once invoiced is locked. Running it again changes
// neither the ledger nor the output and exits 0; running it with other
// inputs exits 3 and points to correct.
func TestRunTwice(t *testing.T) {
	dir := copyExample(t)
	config, out := filepath.Join(dir, "kuntalasku.toml"), t.TempDir()
	runCycle(t, config, out, 3)
	before := treeHashes(t, out)
	if _, ok := before["ledger.sqlite"]; !ok {
		t.Fatalf("no ledger.sqlite in %v", before)
	}

	r := runCycle(t, config, out, 3)
	for _, want := range []string{"Cycle 2021-03 was invoiced in run 1", "VSA-2021-000001", "VSA-2021-000026", "26 documents"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("second run does not say %q:\n%s", want, r.stdout)
		}
	}
	sameTree(t, "after the second run", treeHashes(t, out), before)

	// Another issue date is not another input: the cycle is still the same.
	r = run(t, nil, "run", "--config", config, "--cycle", "2021-03", "--issue-date", "2021-04-15", "--out", out)
	if r.code != 0 {
		t.Errorf("rerun with another issue date: exit %d\n%s", r.code, r.stderr)
	}

	// Other activities: refused, nothing changes.
	log := filepath.Join(dir, "activity", "asiakastiedot-2021.csv")
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if err := os.WriteFile(log, []byte(strings.Join(lines[:len(lines)/2], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "run", "--config", config, "--cycle", "2021-03", "--issue-date", "2021-04-01", "--out", out)
	if r.code != exitInput || !strings.Contains(r.stderr, "kuntalasku correct") || !strings.Contains(r.stderr, "is locked") {
		t.Errorf("rerun with other inputs: exit %d, want 3 pointing to correct\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after the refused run", treeHashes(t, out), before)
}

// TestRunDryRun writes nothing, not even a ledger, and uses no number.
func TestRunDryRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, nil, "run", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "Would issue 26 documents dated 2021-02-01, numbered VSA-2021-000001 … VSA-2021-000026") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a dry run created %s", out)
	}
	runCycle(t, exampleConfig, out, 1)
	before := treeHashes(t, out)
	r = run(t, nil, "run", "--config", exampleConfig, "--cycle", "2021-02", "--issue-date", "2021-03-01", "--out", out, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "numbered VSA-2021-000027 … VSA-2021-000052") {
		t.Errorf("dry run after a run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after a dry run", treeHashes(t, out), before)
	r = runCycle(t, exampleConfig, out, 2)
	if !strings.Contains(r.stdout, "VSA-2021-000027") {
		t.Errorf("the run after a dry run does not start at 000027:\n%s", r.stdout)
	}
}

// TestRunNoActivities: a cycle without a single activity splits its activity
// part by population and says so, on the terminal, in the manifest and in the
// appendix.
func TestRunNoActivities(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, []byte("aika;kunta;tyyppi;tunniste\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCycle(t, exampleConfig, out, 5, "--activities", empty)
	if !strings.Contains(r.stdout, "no activities at all") {
		t.Errorf("the run does not say the cycle had no activities:\n%s", r.stdout)
	}
	folder := filepath.Join(out, schemeFolder, "2021-05")
	m := readRunManifest(t, filepath.Join(folder, "manifest.json"))
	if m.ActivityBasis != "population" || len(m.Documents) != 26 {
		t.Errorf("activity basis %q with %d documents, want population with 26", m.ActivityBasis, len(m.Documents))
	}
	text := pdfText(t, filepath.Join(folder, "appendix.pdf"))
	if !strings.Contains(text, "Kaudella ei ollut yhtään suoritetta") {
		t.Errorf("the appendix does not say the cycle had no activities:\n%s", text)
	}
}

// pdfText is the text of a PDF, by pdftotext.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	tool := needTool(t, "pdftotext")
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// needTool finds an outside program; it skips the test when the program is
// missing, except on CI, where that is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing on CI", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// TestRunDocuments reads what a payer gets: the invoice PDF's text in its
// language and the appendix listing every invoice with the real activity
// counts.
func TestRunDocuments(t *testing.T) {
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	folder := filepath.Join(out, schemeFolder, "2021-01")
	m := readRunManifest(t, filepath.Join(folder, "manifest.json"))
	byPayer := map[string]int{}
	for i, d := range m.Documents {
		byPayer[d.Payer] = i
	}
	turku := m.Documents[byPayer["853"]]
	text := pdfText(t, filepath.Join(folder, turku.PDF))
	for _, want := range []string{"LASKU", turku.Number, "Ikääntyneiden keskitetty asiakas- ja palveluohjaus", "Turun kaupunki", "Vanhuspalvelut",
		"Turku", "1.1.–31.1.2021", "Eräpäivä", "15.2.2021", "FI21 1234 5600 0007 85"} {
		if !strings.Contains(text, want) {
			t.Errorf("Turku's invoice does not show %q:\n%s", want, text)
		}
	}
	pargas := m.Documents[byPayer["445"]]
	text = pdfText(t, filepath.Join(folder, pargas.PDF))
	for _, want := range []string{"FAKTURA", "Pargas", "Centraliserad klient- och servicehandledning för äldre"} {
		if !strings.Contains(text, want) {
			t.Errorf("Parainen's invoice is not in Swedish (%q missing):\n%s", want, text)
		}
	}
	if !strings.Contains(pargas.PDF, "445-parainen") {
		t.Errorf("file name %q", pargas.PDF)
	}

	text = pdfText(t, filepath.Join(folder, "appendix.pdf"))
	for _, want := range []string{"Laskut", turku.Number, "Suoritteet lajeittain", "Laskuttamattomat suoritteet"} {
		if !strings.Contains(text, want) {
			t.Errorf("the appendix does not show %q", want)
		}
	}
	if m.Unattributed == nil || m.Unattributed.NonParticipant+m.Unattributed.Unknown == 0 {
		t.Errorf("manifest unattributed = %+v, want the example's unattributed events", m.Unattributed)
	}
}

// TestRunManifestGolden pins the manifest of the example's January: every
// number, document and path a program reading manifest.json relies on.
func TestRunManifestGolden(t *testing.T) {
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	got, err := os.ReadFile(filepath.Join(out, schemeFolder, "2021-01", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/run-2021-01-manifest.golden.json", got)
}

// TestRunIsReproducible: the same inputs, issue date and ledger state give
// the same bytes, in another output folder.
func TestRunIsReproducible(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	runCycle(t, exampleConfig, a, 1)
	runCycle(t, exampleConfig, b, 1)
	ha, hb := treeHashes(t, filepath.Join(a, schemeFolder)), treeHashes(t, filepath.Join(b, schemeFolder))
	if len(ha) != 56 {
		t.Errorf("the cycle folder holds %d files, want 26 invoices as PDF and Finvoice, Turku's e-invoice again in einvoices/, 2 appendix files and the manifest", len(ha))
	}
	sameTree(t, "a second output folder", hb, ha)
}

// TestRunUsage: mistakes on the command line exit 2 with a message that says
// what to give, and write nothing.
func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no cycle", []string{"--config", exampleConfig}, "--cycle are required"},
		{"cycle outside the period", []string{"--config", exampleConfig, "--cycle", "2021-12"}, "2021-12"},
		{"cycle written wrong", []string{"--config", exampleConfig, "--cycle", "1/2021"}, "--cycle"},
		{"issue date inside the cycle", []string{"--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-01-31"}, "invoice it after it has ended"},
		{"impossible issue date", []string{"--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-30"}, "--issue-date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			r := run(t, nil, append(append([]string{"run"}, tt.args...), "--out", out)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, want 2 saying %q:\n%s", r.code, tt.want, r.stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused run wrote %s", out)
			}
		})
	}
}

// TestRunIssueDatesInOrder: numbers follow issue dates, so a run dated before
// the last document of its series is refused before anything is written.
func TestRunIssueDatesInOrder(t *testing.T) {
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 2) // issued 2021-03-01
	before := treeHashes(t, out)
	r := run(t, nil, "run", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out)
	if r.code != exitInput || !strings.Contains(r.stderr, "2021-03-01") {
		t.Errorf("exit %d, want 3 naming the last issue date:\n%s", r.code, r.stderr)
	}
	sameTree(t, "after the refused run", treeHashes(t, out), before)
	r = run(t, nil, "run", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-03-01", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "VSA-2021-000027") {
		t.Errorf("January issued on 2021-03-01: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// BenchmarkRunCycle is one cycle of the example end to end: read the
// population and the activity logs, allocate, number, render 26 invoices (PDF
// and Finvoice) and the appendix, write and commit.
func BenchmarkRunCycle(b *testing.B) {
	env := map[string]string{"SOURCE_DATE_EPOCH": "1612166400"}
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		b.StartTimer()
		var stdout, stderr strings.Builder
		m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Now: time.Now}
		if err := m.Run(context.Background(), []string{"run", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out}); err != nil {
			b.Fatal(err, stderr.String())
		}
	}
}
