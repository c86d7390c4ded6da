package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/compute/computetest"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// seedAppendix is the estimate appendix of the decision's example, built from
// the decision's table (testdata/seed-estimate-2021.tsv).
func seedAppendix(t *testing.T, lang string) *Appendix {
	t.Helper()
	var shares []compute.Share
	for _, r := range computetest.SeedTable(t) {
		shares = append(shares, compute.Share{Payer: compute.Payer{ID: r.Code, Name: r.Name}, Population: r.Aged75})
	}
	budget, err := compute.SplitComponents(compute.Euros(284602), decimal.NewFromInt(70))
	if err != nil {
		t.Fatal(err)
	}
	alloc, err := compute.Allocate(budget, shares)
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) compute.Date { v, _ := compute.ParseDate(s); return v }
	return &Appendix{
		Lang: lang, Estimate: true,
		SchemeName: "Ikääntyneiden keskitetty asiakas- ja palveluohjaus",
		Seller:     "Esimerkkikaupunki",
		From:       d("2021-01-01"), To: d("2021-11-30"),
		Created:          time.Date(2020, 12, 1, 9, 30, 0, 0, time.UTC),
		Budget:           budget,
		PopulationWeight: decimal.NewFromInt(70), ActivityWeight: decimal.NewFromInt(30),
		AgeLimit: 75, PopulationDate: d("2019-12-31"),
		Allocation: alloc,
		Inputs: []Input{
			{"configuration", "examples/varsinais-suomi/kuntalasku.toml", strings.Repeat("ab", 32)},
			{"population", "examples/varsinais-suomi/population-11re-synthetic.csv", strings.Repeat("cd", 32)},
		},
	}
}

// needTool finds an outside program; it skips the test when the program is
// missing, except on CI (CI=true), where that is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed on CI: .ci/run must install it", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// TestAppendixLayoutGolden pins every text of the appendix in each language.
// Refresh with go test ./report -run Golden -update and read the diff.
func TestAppendixLayoutGolden(t *testing.T) {
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			l, err := seedAppendix(t, lang).layout()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "appendix-estimate-"+lang+".golden.json"), l)
		})
	}
}

// TestAppendixPDF checks the rendered PDF as a reader would: valid, fonts
// embedded, the numbers and Nordic letters in its text, page numbers, and the
// same bytes every time.
func TestAppendixPDF(t *testing.T) {
	a := seedAppendix(t, "fi")
	pdf, err := AppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		again, err := AppendixPDF(a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pdf, again) {
			t.Fatalf("rendering %d of the same appendix differs from the first", i+2)
		}
	}
	s := pdfText(t, pdf) // qpdf --check, fonts embedded, the text
	for _, want := range []string{
		"Arvio kustannusten jakautumisesta 1.1.–30.11.2021",
		"Turku", "109 330,50", "Aura", "1 835,94", "Pöytyä", "Mynämäki", "Kemiönsaari",
		"284 602,00 €", "199 221,40 €", "85 380,60 €", "199 221,40", "85 380,60", "46 505",
		"75 vuotta täyttänyt väestö 31.12.2019 (Tilastokeskus)",
		"Sivu 1 (2)", "Sivu 2 (2)", "SHA-256 " + strings.Repeat("ab", 32),
		"Kuntien osuudet kokonaiskustannuksista", "38,42 %",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", s)
	}
}

// TestAppendixXLSX opens the workbook as a spreadsheet program would: the
// cells hold the allocation's amounts, and the totals row's formulas evaluate
// to the budget and its components.
func TestAppendixXLSX(t *testing.T) {
	a := seedAppendix(t, "fi")
	data, err := AppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	// excelize writes its parts in map order: render many times to catch it.
	for i := 0; i < 20; i++ {
		again, err := AppendixXLSX(a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, again) {
			t.Fatalf("rendering %d of the same workbook differs from the first", i+2)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Kustannusten jako" || got[1] != "Lähtötiedot" {
		t.Fatalf("sheets = %v", got)
	}
	sheet := "Kustannusten jako"
	cell := func(ref string) string {
		v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	calc := func(ref string) string {
		v, err := f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		return v
	}
	// Row 5 is Aura, the first payer; row 29 Turku; row 31 the totals.
	for _, c := range []struct{ ref, want string }{
		{"A5", "Aura"}, {"B5", "300"}, {"F5", "1835.94"},
		{"A29", "Turku"}, {"F29", "109330.5"}, {"D29", "76531.35"}, {"E29", "32799.15"},
		{"A31", "Yhteensä"},
	} {
		if got := cell(c.ref); got != c.want {
			t.Errorf("%s = %q, want %q", c.ref, got, c.want)
		}
	}
	for _, c := range []struct{ ref, want string }{
		{"B31", "46505"}, {"C31", "1"}, {"D31", "199221.4"}, {"E31", "85380.6"}, {"F31", "284602"},
	} {
		if got := calc(c.ref); got != c.want {
			t.Errorf("formula %s evaluates to %q, want %q", c.ref, got, c.want)
		}
	}
	for i, l := range a.Allocation.Lines {
		ref := fmt.Sprintf("F%d", 5+i)
		if got, want := cell(ref), strings.TrimSuffix(strings.TrimRight(l.Total.String(), "0"), "."); got != want {
			t.Errorf("%s (%s) = %s, want %s", ref, l.Payer.Name, got, want)
		}
	}
}

// TestAppendixWithActivities: a cycle with real activity counts shows them and
// their share, and the workbook's extra columns still total to the budget.
func TestAppendixWithActivities(t *testing.T) {
	a := seedAppendix(t, "fi")
	a.Estimate = false
	shares := make([]compute.Share, len(a.Allocation.Lines))
	for i, l := range a.Allocation.Lines {
		shares[i] = l.Share
		shares[i].Activities = int64(10 + i*7)
	}
	alloc, err := compute.Allocate(a.Budget, shares)
	if err != nil {
		t.Fatal(err)
	}
	a.Allocation = alloc
	l, err := a.layout()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Table.Header, "|"); got != "Kunta|75 v. täyttäneet|Osuus|Suoritteet|Suoriteosuus|Väestöosuus €|Suoriteosuus €|Yhteensä €" {
		t.Errorf("header = %s", got)
	}
	if got := l.Table.Rows[0][3]; got != "10" {
		t.Errorf("Aura's activities = %q, want 10", got)
	}
	if !strings.Contains(strings.Join(l.Basis, " "), "puhelut, käynnit") {
		t.Errorf("basis does not say what activities are: %v", l.Basis)
	}
	data, err := AppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for ref, want := range map[string]string{"D31": "2535", "E31": "1", "H31": "284602", "F31": "199221.4", "G31": "85380.6"} {
		got, err := f.CalcCellValue("Kustannusten jako", ref, excelize.Options{RawCellValue: true})
		if err != nil || got != want {
			t.Errorf("%s = %q, %v; want %s", ref, got, err, want)
		}
	}
	if _, err := AppendixPDF(a); err != nil {
		t.Fatal(err)
	}
}

// cycleAppendix is a cycle's appendix with activities by type and events not
// billed.
func cycleAppendix(t *testing.T, lang string) *Appendix {
	t.Helper()
	a := seedAppendix(t, lang)
	a.Estimate = false
	shares := make([]compute.Share, len(a.Allocation.Lines))
	a.Activities = make([]compute.ActivityCounts, len(shares))
	for i, l := range a.Allocation.Lines {
		a.Activities[i] = compute.ActivityCounts{int64(6 + i*4), int64(2 + i), int64(i % 3), int64(1 + i%2)}
		shares[i] = l.Share
		shares[i].Activities = a.Activities[i].Total()
	}
	alloc, err := compute.Allocate(a.Budget, shares)
	if err != nil {
		t.Fatal(err)
	}
	a.Allocation = alloc
	a.Unattributed = &Unattributed{
		NonParticipant: compute.ActivityCounts{5, 1, 0, 0},
		Unknown:        compute.ActivityCounts{2, 0, 1, 0},
		Rows: []UnattributedRow{
			{File: "/data/puhelin-2021-h1.csv", Row: 17, Municipality: "Uusikaupunki", NonParticipant: true},
			{File: "/data/asiakastiedot-2021.csv", Row: 40, Municipality: ""},
		},
	}
	a.Inputs = append(a.Inputs, Input{Role: "activities:puhelin", Path: "/data/puhelin-2021-h1.csv", SHA256: strings.Repeat("ab", 32)})
	return a
}

// TestAppendixActivitiesByType: a cycle's appendix shows each payer's
// activities by type, the events not billed and the first of their rows, in
// the PDF and the workbook.
func TestAppendixActivitiesByType(t *testing.T) {
	a := cycleAppendix(t, "fi")
	l, err := a.layout()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Activities.Header, "|"); got != "Kunta|Puhelut|Käynnit|Yhteydenottopyynnöt|Chat-yhteydet|Yhteensä" {
		t.Errorf("header = %s", got)
	}
	if got := strings.Join(l.Activities.Rows[0], "|"); got != "Aura|6|2|0|1|9" {
		t.Errorf("Aura = %s", got)
	}
	if got, want := strings.ReplaceAll(l.Activities.Total[5], "\u00a0", ""), fmt.Sprint(a.Allocation.Activities); got != want {
		t.Errorf("total %s, want the allocation's %s", got, want)
	}
	if got := strings.Join(l.Unattributed.Total, "|"); got != "Yhteensä|7|1|1|0|9" {
		t.Errorf("unattributed total = %s", got)
	}
	if got := strings.Join(l.UnattributedRows.Rows[1], "|"); got != "asiakastiedot-2021.csv|40|(tyhjä)|tuntematon kunta" {
		t.Errorf("second unattributed row = %s", got)
	}
	if got := l.Inputs.Rows[len(l.Inputs.Rows)-1][0]; got != "Suoritteet (puhelin)" {
		t.Errorf("input label = %q", got)
	}

	data, err := AppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "appendix.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(needTool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	text, err := exec.Command(needTool(t, "pdftotext"), "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Suoritteet lajeittain", "Laskuttamattomat suoritteet", "Muut kuin sopimuskunnat", "puhelin-2021-h1.csv", "Uusikaupunki", "ei sopimuskunta"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}

	book, err := AppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Kustannusten jako|Suoritteet|Lähtötiedot" {
		t.Errorf("sheets = %v", got)
	}
	rows, err := f.GetRows("Suoritteet", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[2], "|"); got != "Aura|6|2|0|1|9" {
		t.Errorf("Aura's row = %s", got)
	}
	totalRow := rows[2+len(a.Allocation.Lines)]
	if got := totalRow[5]; got != fmt.Sprint(a.Allocation.Activities) {
		t.Errorf("total row %v, want %d activities", totalRow, a.Allocation.Activities)
	}
}
