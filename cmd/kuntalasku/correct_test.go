package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
)

const exampleDir = "../../examples/varsinais-suomi"

// correctionCase is a January invoiced from the example, and the corrected
// activity log: one visit of 4.1.2021 moved from Laitila (400) to Turku
// (853), as if the client-management system had recorded it for the wrong
// municipality.
type correctionCase struct {
	out       string
	corrected []string // --activities flags of the corrected inputs
	original  []string // --activities flags of the original inputs
	expected  map[string]compute.Money
	before    map[string]compute.Money // January as invoiced, by payer
	numbers   map[string]string        // January's invoice numbers, by payer
}

func newCorrectionCase(t *testing.T) *correctionCase {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(exampleDir, "activity", "asiakastiedot-2021.csv"))
	if err != nil {
		t.Fatal(err)
	}
	moved := strings.Replace(string(data), "2021-01-04T08:30:00+02:00,400,käynti", "2021-01-04T08:30:00+02:00,853,käynti", 1)
	if moved == string(data) {
		t.Fatal("the visit to move is not in the example")
	}
	fixed := filepath.Join(dir, "asiakastiedot-korjattu.csv")
	if err := os.WriteFile(fixed, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	phones := "puhelin=" + abs(filepath.Join(exampleDir, "activity", "puhelin-2021-h1.csv"))
	c := &correctionCase{
		out:       filepath.Join(dir, "out"),
		corrected: []string{"--activities", phones, "--activities", "asiakastiedot=" + fixed},
		original:  []string{"--activities", phones, "--activities", "asiakastiedot=" + abs(filepath.Join(exampleDir, "activity", "asiakastiedot-2021.csv"))},
	}
	runCycle(t, exampleConfig, c.out, 1)
	jan := readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "manifest.json"))
	c.before, c.numbers = map[string]compute.Money{}, map[string]string{}
	for _, d := range jan.Documents {
		c.before[d.Payer], c.numbers[d.Payer] = d.Total, d.Number
	}
	// What January would have been invoiced from the corrected log: a run
	// of its own, independent of the correction's code.
	fresh := filepath.Join(dir, "fresh")
	runCycle(t, exampleConfig, fresh, 1, c.corrected...)
	c.expected = map[string]compute.Money{}
	for _, d := range readRunManifest(t, filepath.Join(fresh, schemeFolder, "2021-01", "manifest.json")).Documents {
		c.expected[d.Payer] = d.Total
	}
	return c
}

func (c *correctionCase) correct(t *testing.T, issue string, args ...string) result {
	t.Helper()
	all := append([]string{"correct", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", issue, "--out", c.out,
		"--reason", "Käynti kirjattu väärälle kunnalle"}, args...)
	return run(t, map[string]string{"SOURCE_DATE_EPOCH": "1612944000"}, all...)
}

// changed are the payers whose expected total differs from January's.
func (c *correctionCase) changed() []string {
	var out []string
	for p, want := range c.expected {
		if c.before[p] != want {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// ledgerTotals are every payer's sum of the scheme's documents in the
// ledger, and their numbers in order.
func ledgerTotals(t *testing.T, out string) (map[string]compute.Money, []string) {
	t.Helper()
	store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil || store == nil {
		t.Fatalf("open the ledger: %v", err)
	}
	defer store.Close()
	docs, err := store.Documents(context.Background(), schemeFolder)
	if err != nil {
		t.Fatal(err)
	}
	totals := map[string]compute.Money{}
	var numbers []string
	for _, d := range docs {
		totals[d.Payer] += d.Total
		numbers = append(numbers, d.Number)
	}
	return totals, numbers
}

// TestCorrectReplace: the corrected log changes three payers — Laitila and
// Turku by the moved visit, Marttila by one cent of the controlled rounding —
// and each gets a credit note that mirrors its invoice exactly and a new
// invoice with the amounts a run from the corrected log gives. Nobody else
// gets a document, numbering continues without a gap, and a dry run before
// changes nothing. Correcting again with the same inputs issues nothing.
func TestCorrectReplace(t *testing.T) {
	c := newCorrectionCase(t)
	changed := c.changed()
	if !slices.Equal(changed, []string{"400", "480", "853"}) {
		t.Fatalf("the corrected log changes %v, the test expects Laitila, Marttila (a cent) and Turku", changed)
	}
	if d := c.expected["480"] - c.before["480"]; d != -1 {
		t.Fatalf("Marttila moves by %s, the test expects -0.01", d)
	}
	before := treeHashes(t, c.out)
	r := c.correct(t, "2021-02-10", append(c.corrected, "--dry-run")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Would issue 6 documents dated 2021-02-10, numbered VSA-2021-000027 … VSA-2021-000032") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"531.46     528.61       -2.85", "111.11     111.10       -0.01", "unchanged"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the dry run's table lacks %q:\n%s", want, r.stdout)
		}
	}
	sameTree(t, "after the dry run", treeHashes(t, c.out), before)

	r = c.correct(t, "2021-02-10", c.corrected...)
	if r.code != 0 {
		t.Fatalf("correct: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	folder := filepath.Join(c.out, schemeFolder, "2021-01", "correction-2")
	if !strings.Contains(r.stdout, "Output: "+folder) {
		t.Errorf("the output folder is not named:\n%s", r.stdout)
	}
	m := readRunManifest(t, filepath.Join(folder, "manifest.json"))
	jan := readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "manifest.json"))
	if m.Kind != "correction" || m.Run != 2 || m.Mode != "replace" || m.Reason != "Käynti kirjattu väärälle kunnalle" || len(m.Documents) != 6 {
		t.Fatalf("manifest: kind %q run %d mode %q reason %q, %d documents", m.Kind, m.Run, m.Mode, m.Reason, len(m.Documents))
	}
	original := map[string]int{}
	for i, d := range jan.Documents {
		original[d.Number] = i
	}
	for i, payer := range changed {
		credit, inv := m.Documents[2*i], m.Documents[2*i+1]
		want := []string{"VSA-2021-0000" + []string{"27", "29", "31"}[i], "VSA-2021-0000" + []string{"28", "30", "32"}[i]}
		if credit.Number != want[0] || inv.Number != want[1] || credit.Payer != payer || inv.Payer != payer {
			t.Errorf("payer %s: documents %s and %s, want %v", payer, credit.Number, inv.Number, want)
		}
		orig := jan.Documents[original[c.numbers[payer]]]
		if credit.Type != "credit_note" || credit.Credits != orig.Number || credit.Role != "credit" || credit.Reference != orig.Reference || credit.Total != -orig.Total || credit.DueDate != "" {
			t.Errorf("%s: %+v does not credit %s (%s, %s) in full", credit.Number, credit, orig.Number, orig.Reference, orig.Total)
		}
		if len(credit.Lines) != len(orig.Lines) {
			t.Fatalf("%s: %d lines, the original %d", credit.Number, len(credit.Lines), len(orig.Lines))
		}
		for k, l := range credit.Lines {
			o := orig.Lines[k]
			if l.Description != o.Description || l.Quantity != "-"+o.Quantity || l.UnitPrice != o.UnitPrice || l.Net != -o.Net {
				t.Errorf("%s line %d: %+v does not mirror %+v", credit.Number, k+1, l, o)
			}
		}
		if inv.Type != "invoice" || inv.Role != "replacement" || inv.Refers != orig.Number || inv.Total != c.expected[payer] || inv.Reference == orig.Reference {
			t.Errorf("%s: %+v is not the new invoice of %s", inv.Number, inv, c.expected[payer])
		}
	}

	// Per payer and in total, January's documents now add up to the
	// corrected amounts; the numbers run 1…32 without a gap.
	totals, numbers := ledgerTotals(t, c.out)
	var sum, want compute.Money
	for payer, w := range c.expected {
		if totals[payer] != w {
			t.Errorf("payer %s: the ledger's documents sum to %s, want %s", payer, totals[payer], w)
		}
		sum, want = sum+totals[payer], want+w
	}
	if sum != want || len(numbers) != 32 || numbers[31] != "VSA-2021-000032" {
		t.Errorf("in total %s (want %s); %d numbers, the last %s", sum, want, len(numbers), numbers[len(numbers)-1])
	}
	text := pdfText(t, filepath.Join(folder, "invoices", "vsa-2021-000029-480-marttila.pdf"))
	for _, want := range []string{"HYVITYSLASKU", "VSA-2021-000009", "Käynti kirjattu väärälle kunnalle", "-111,11"} {
		if !strings.Contains(strings.ToUpper(text), strings.ToUpper(want)) {
			t.Errorf("Marttila's credit note lacks %q:\n%s", want, text)
		}
	}
	text = pdfText(t, filepath.Join(folder, "invoices", "vsa-2021-000030-480-marttila.pdf"))
	for _, want := range []string{"Oikaisee laskun", "VSA-2021-000009, 1.2.2021", "Oikaisun syy: Käynti kirjattu väärälle kunnalle", "111,10"} {
		if !strings.Contains(text, want) {
			t.Errorf("Marttila's new invoice lacks %q:\n%s", want, text)
		}
	}
	validateFinvoice(t, folder)
	text = pdfText(t, filepath.Join(folder, "appendix.pdf"))
	for _, want := range []string{"Käynti kirjattu väärälle kunnalle", "VSA-2021-000031", "9 856,69"} {
		if !strings.Contains(text, want) {
			t.Errorf("the appendix lacks %q", want)
		}
	}

	// The same correction again: nothing to correct, nothing written.
	after := treeHashes(t, c.out)
	if r := c.correct(t, "2021-02-11", c.corrected...); r.code != 0 || !strings.Contains(r.stdout, "Nothing to correct") {
		t.Errorf("correcting again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after correcting again", treeHashes(t, c.out), after)

	// A correction of the correction, back to the original log, by
	// differences: the replacements' state moves back to January's.
	r = c.correct(t, "2021-02-12", append(c.original, "--mode", "difference")...)
	if r.code != 0 {
		t.Fatalf("correcting the correction: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m = readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "correction-3", "manifest.json"))
	if len(m.Documents) != 3 {
		t.Fatalf("%d difference documents, want 3", len(m.Documents))
	}
	for _, d := range m.Documents {
		wantType := "invoice"
		if c.before[d.Payer] < c.expected[d.Payer] {
			wantType = "credit_note"
		}
		if d.Role != "difference" || d.Type != wantType || d.Total != c.before[d.Payer]-c.expected[d.Payer] {
			t.Errorf("%s: %s %s of %s, want a %s of %s", d.Number, d.Role, d.Type, d.Total, wantType, c.before[d.Payer]-c.expected[d.Payer])
		}
	}
	totals, numbers = ledgerTotals(t, c.out)
	for payer, w := range c.before {
		if totals[payer] != w {
			t.Errorf("payer %s after the second correction: %s, want January's %s", payer, totals[payer], w)
		}
	}
	if len(numbers) != 35 {
		t.Errorf("%d numbers after two corrections, want 35", len(numbers))
	}
	// A replacement on top of differences is refused for those payers.
	if r := c.correct(t, "2021-02-13", c.corrected...); r.code != 3 || !strings.Contains(r.stderr, "--mode difference") {
		t.Errorf("replace after differences: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCorrectDifference: one document per changed payer for the difference
// only — an invoice when positive, a credit note when negative — referring to
// the original invoice; original + difference is the corrected amount.
func TestCorrectDifference(t *testing.T) {
	c := newCorrectionCase(t)
	r := c.correct(t, "2021-02-10", append(c.corrected, "--mode", "difference")...)
	if r.code != 0 {
		t.Fatalf("correct: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "correction-2", "manifest.json"))
	if m.Mode != "difference" || len(m.Documents) != 3 {
		t.Fatalf("mode %q, %d documents, want 3", m.Mode, len(m.Documents))
	}
	for i, d := range m.Documents {
		diff := c.expected[d.Payer] - c.before[d.Payer]
		wantType, wantDue := "credit_note", false
		if diff > 0 {
			wantType, wantDue = "invoice", true
		}
		if d.Number != "VSA-2021-0000"+[]string{"27", "28", "29"}[i] || d.Type != wantType || (d.DueDate != "") != wantDue || d.Total != diff || d.Refers != c.numbers[d.Payer] {
			t.Errorf("%s: %+v; want a %s of %s referring to %s", d.Number, d, wantType, diff, c.numbers[d.Payer])
		}
		if d.Type == "credit_note" && d.Credits != c.numbers[d.Payer] {
			t.Errorf("%s credits %q, want %s", d.Number, d.Credits, c.numbers[d.Payer])
		}
	}
	totals, _ := ledgerTotals(t, c.out)
	for payer, w := range c.expected {
		if totals[payer] != w {
			t.Errorf("payer %s: %s, want %s", payer, totals[payer], w)
		}
	}
	validateFinvoice(t, filepath.Join(c.out, schemeFolder, "2021-01", "correction-2"))
}

// validateFinvoice validates every Finvoice message of a run's folder
// against the schema.
func validateFinvoice(t *testing.T, folder string) {
	t.Helper()
	needShared(t, finvoiceSchema)
	xmllint := needTool(t, "xmllint")
	files, err := filepath.Glob(filepath.Join(folder, "invoices", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Finvoice messages in %s: %v", folder, err)
	}
	args := append([]string{"--noout", "--schema", finvoiceSchema}, files...)
	if out, err := exec.Command(xmllint, args...).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
}

// TestCorrectNamedPayer: an address corrected in the configuration; the
// payer named with --payer is credited and reissued with the same amounts
// and the new address, nobody else gets a document.
func TestCorrectNamedPayer(t *testing.T) {
	c := newCorrectionCase(t)
	if r := c.correct(t, "2021-02-10", "--payer", "019", "--mode", "difference"); r.code != 2 {
		t.Errorf("--payer with difference: exit %d, want 2", r.code)
	}
	if r := c.correct(t, "2021-02-10", "--payer", "999"); r.code != 2 {
		t.Errorf("an unknown --payer: exit %d, want 2", r.code)
	}
	r := c.correct(t, "2021-02-10", "--payer", "019")
	if r.code != 0 {
		t.Fatalf("correct: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "correction-2", "manifest.json"))
	if len(m.Documents) != 2 || m.Documents[0].Payer != "019" || m.Documents[0].Total != -c.before["019"] || m.Documents[1].Total != c.before["019"] {
		t.Fatalf("documents: %+v", m.Documents)
	}
	named := 0
	for _, row := range m.Corrections {
		if row.Named {
			named++
			if row.Payer != "019" || row.Difference != 0 {
				t.Errorf("named row %+v", row)
			}
		}
	}
	if named != 1 {
		t.Errorf("%d named rows, want 1", named)
	}
}

// TestCorrectRefused: a cycle not invoiced, no ledger, no reason.
func TestCorrectRefused(t *testing.T) {
	c := newCorrectionCase(t)
	if r := run(t, nil, "correct", "--config", exampleConfig, "--cycle", "2021-02", "--reason", "x", "--issue-date", "2021-03-10", "--out", c.out); r.code != 3 || !strings.Contains(r.stderr, "has not been invoiced") {
		t.Errorf("a cycle not invoiced: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, nil, "correct", "--config", exampleConfig, "--cycle", "2021-01", "--reason", "x", "--issue-date", "2021-02-10", "--out", t.TempDir()); r.code != 3 || !strings.Contains(r.stderr, "no ledger") {
		t.Errorf("no ledger: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, nil, "correct", "--config", exampleConfig, "--cycle", "2021-01", "--reason", " ", "--out", c.out); r.code != 2 {
		t.Errorf("a blank reason: exit %d, want 2", r.code)
	}
}

// TestCorrectKilled kills correct with SIGKILL at each step of committing:
// the output holds no trace of the correction or a complete one, and running
// the correction again finishes it, numbered without a gap.
func TestCorrectKilled(t *testing.T) {
	for _, point := range []string{"staging", "staged", "committed"} {
		t.Run(point, func(t *testing.T) {
			c := newCorrectionCase(t)
			args := append([]string{"correct", "--config", exampleConfig, "--cycle", "2021-01", "--issue-date", "2021-02-10",
				"--out", c.out, "--reason", "Käynti kirjattu väärälle kunnalle"}, c.corrected...)
			killCommandAt(t, point, nil, args...)
			cmd := child(t, nil, args...)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("correct after the kill: %v\n%s", err, b)
			}
			m := readRunManifest(t, filepath.Join(c.out, schemeFolder, "2021-01", "correction-2", "manifest.json"))
			if len(m.Documents) != 6 || m.Documents[0].Number != "VSA-2021-000027" || m.Documents[5].Number != "VSA-2021-000032" {
				t.Errorf("after the kill at %s: %d documents", point, len(m.Documents))
			}
			totals, numbers := ledgerTotals(t, c.out)
			if len(numbers) != 32 {
				t.Errorf("%d numbers in the ledger, want 32", len(numbers))
			}
			for payer, w := range c.expected {
				if totals[payer] != w {
					t.Errorf("payer %s: %s, want %s", payer, totals[payer], w)
				}
			}
			entries, _ := os.ReadDir(filepath.Join(c.out, schemeFolder, "2021-01"))
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("leftover %s", e.Name())
				}
			}
		})
	}
}

// TestCorrectFee: the per-resident scheme corrects the same way. An hour
// logged late for an invoiced quarter is billed by correcting the quarter:
// only Helsinki's invoice is credited and reissued with the extra line at the
// VAT of its day; with differences, one invoice of 60,00 + 24 %.
func TestCorrectFee(t *testing.T) {
	hours := "päivä;tilaaja;tunnit;laji;kuvaus\n30.8.2024;keusote-hva;2;työ;Raporttipohja\n"
	config, hoursPath := quarterlyConfig(t, hours, "päivä;tilaaja;kuvaus;summa;alv\n")
	for _, mode := range []string{"replace", "difference"} {
		t.Run(mode, func(t *testing.T) {
			out := t.TempDir()
			if err := os.WriteFile(hoursPath, []byte(hours), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "run", "--config", config, "--cycle", "2024-Q3", "--issue-date", "2024-10-07", "--out", out); r.code != 0 {
				t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
			}
			q3 := readFeeManifest(t, filepath.Join(out, "lasteri", "2024-Q3", "manifest.json"))
			if err := os.WriteFile(hoursPath, []byte(hours+"20.8.2024;091;1;työ;Myöhästynyt kirjaus\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, nil, "correct", "--config", config, "--cycle", "2024-Q3", "--issue-date", "2024-10-20", "--out", out,
				"--reason", "Myöhästynyt tuntikirjaus", "--mode", mode)
			if r.code != 0 {
				t.Fatalf("correct: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			m := readRunManifest(t, filepath.Join(out, "lasteri", "2024-Q3", "correction-2", "manifest.json"))
			var helsinki compute.Money
			for _, d := range q3.Documents {
				if d.Payer == "091" {
					helsinki = d.Total
				}
			}
			switch mode {
			case "replace":
				if len(m.Documents) != 2 || m.Documents[0].Total != -helsinki || m.Documents[1].Total != helsinki+mustMoney(t, "74.40") {
					t.Errorf("documents %+v; want a credit of %s and an invoice of %s + 74.40", m.Documents, helsinki, helsinki)
				}
			case "difference":
				if len(m.Documents) != 1 || m.Documents[0].Payer != "091" || m.Documents[0].Net != mustMoney(t, "60.00") || m.Documents[0].Total != mustMoney(t, "74.40") {
					t.Errorf("documents %+v; want one invoice of 60.00 + 24 %%", m.Documents)
				}
			}
			validateFinvoice(t, filepath.Join(out, "lasteri", "2024-Q3", "correction-2"))
		})
	}
}

// TestLedgerStateAndAudit: the ledger lists each document's state after a
// correction, and its audit passes, until a document row is deleted behind
// the tool's back: then the audit names the gap and exits 1.
func TestLedgerStateAndAudit(t *testing.T) {
	c := newCorrectionCase(t)
	if r := c.correct(t, "2021-02-10", c.corrected...); r.code != 0 {
		t.Fatalf("correct: exit %d\n%s", r.code, r.stderr)
	}
	r := run(t, nil, "ledger", "--config", exampleConfig, "--out", c.out)
	for _, want := range []string{"credited by VSA-2021-000027", "credits VSA-2021-000006", "replaces VSA-2021-000006", "issued"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("ledger list lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, nil, "ledger", "--config", exampleConfig, "--out", c.out, "audit")
	if r.code != 0 || !strings.Contains(r.stdout, "Audit passed") || !strings.Contains(r.stdout, "VSA-2021-000001 … 000032  32") {
		t.Fatalf("audit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	db, err := sql.Open("sqlite", filepath.Join(c.out, "ledger.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM lines WHERE document = 'VSA-2021-000012'; DELETE FROM documents WHERE number = 'VSA-2021-000012'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r = run(t, nil, "ledger", "--config", exampleConfig, "--out", c.out, "audit")
	if r.code != 1 || !strings.Contains(r.stdout, "a gap): VSA-2021-000012") {
		t.Errorf("audit of a ledger with a deleted document: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
