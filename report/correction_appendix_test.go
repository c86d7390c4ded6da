package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// correctionReason is a reason as a user types it: long enough to wrap.
const correctionReason = "Maaliskuun suoritetiedosto (puhelut-2021-03.csv) oli puutteellinen: Auran ja Kaarinan " +
	"31.3. kirjatut puhelut puuttuivat, ja Kaarinan 75 vuotta täyttäneiden määrä oli luettu vuoden 2019 taulukosta. " +
	"Paraisten laskutusosoite on korjattu (Pargas stad, Strandvägen 28, 21600 Pargas) – summat ennallaan."

// correctionPayers corrects March 2021 for four payers: Aura's total moves
// up by 0,01 €, Kaarina's down by 434,32 €, Turku's does not change, and
// Parainen's does not either but is named for reissue (a corrected address).
// Each mode numbers its documents from VSA-2021-000027.
var correctionPayers = []struct {
	name     string
	old, new int64
	named    bool
	docs     map[string][]string
}{
	{"Aura", 183594, 183595, false, map[string][]string{
		CorrectionReplace: {"VSA-2021-000027", "VSA-2021-000028"}, CorrectionDifference: {"VSA-2021-000027"}}},
	{"Kaarina", 1784538, 1741106, false, map[string][]string{
		CorrectionReplace: {"VSA-2021-000029", "VSA-2021-000030"}, CorrectionDifference: {"VSA-2021-000028"}}},
	{"Turku", 10933050, 10933050, false, nil},
	{"Parainen", 432109, 432109, true, map[string][]string{
		CorrectionReplace: {"VSA-2021-000031", "VSA-2021-000032"}, CorrectionDifference: {"VSA-2021-000029", "VSA-2021-000030"}}},
}

// correctionAppendix is the example correction in a mode and a language.
func correctionAppendix(t *testing.T, mode, lang string) *CorrectionAppendix {
	t.Helper()
	a := &CorrectionAppendix{
		Lang: lang, SchemeName: "Ikääntyneiden keskitetty asiakas- ja palveluohjaus", Seller: "Esimerkkikaupunki",
		Mode: mode, Cycle: "2021-03", From: date(t, "2021-03-01"), To: date(t, "2021-03-31"), Run: 7,
		Created: time.Date(2021, 4, 20, 9, 0, 0, 0, time.UTC),
		Reason:  correctionReason,
		Inputs: []Input{
			{"configuration", "examples/varsinais-suomi/kuntalasku.toml", strings.Repeat("ab", 32)},
			{"population", "examples/varsinais-suomi/population-11re-synthetic.csv", strings.Repeat("cd", 32)},
			{"activities:puhelin", "korjattu/puhelut-2021-03.csv", strings.Repeat("ef", 32)},
		},
	}
	for _, p := range correctionPayers {
		r := CorrectionRow{Payer: p.name, Old: compute.Cents(p.old), New: compute.Cents(p.new), Named: p.named,
			Documents: p.docs[mode]}
		if len(r.Documents) > 0 {
			r.Issued = r.New - r.Old // replace: −old + new; difference: new − old
		}
		a.Rows = append(a.Rows, r)
	}
	return a
}

func mustCorrectionLayout(t *testing.T, a *CorrectionAppendix) *correctionAppendixLayout {
	t.Helper()
	l, err := a.layout()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCorrectionAppendixLayoutGolden pins every text of the correction
// appendix: both modes in Finnish, one in Swedish and in English. Refresh
// with go test ./report -run Golden -update and read the diff.
func TestCorrectionAppendixLayoutGolden(t *testing.T) {
	for _, tt := range []struct{ mode, lang string }{
		{CorrectionReplace, "fi"}, {CorrectionDifference, "fi"}, {CorrectionReplace, "sv"}, {CorrectionDifference, "en"},
	} {
		t.Run(tt.mode+"-"+tt.lang, func(t *testing.T) {
			l := mustCorrectionLayout(t, correctionAppendix(t, tt.mode, tt.lang))
			checkGolden(t, filepath.Join("testdata", "correction-appendix-"+tt.mode+"-"+tt.lang+".golden.json"), l)
		})
	}
}

// TestCorrectionAppendixSummary: the summary names the cycle, the run and
// the mode, totals the table and counts the documents of each mode.
func TestCorrectionAppendixSummary(t *testing.T) {
	tests := []struct {
		mode string
		want [][2]string
	}{
		{CorrectionReplace, [][2]string{
			{"Oikaistu laskutuskausi", "2021-03"},
			{"Ajon numero", "7"},
			{"Oikaisutapa", "hyvitys ja uusi lasku"},
			{"Laskutettu ennen oikaisua (sis. ALV)", "133 332,91 €"},
			{"Oikaisun jälkeen (sis. ALV)", "132 898,60 €"},
			{"Erotus (oikaisun jälkeen − ennen oikaisua)", "-434,31 €"},
			{"Laaditut asiakirjat", "6 kpl"},
		}},
		{CorrectionDifference, [][2]string{
			{"Oikaistu laskutuskausi", "2021-03"},
			{"Ajon numero", "7"},
			{"Oikaisutapa", "erotuslasku"},
			{"Laskutettu ennen oikaisua (sis. ALV)", "133 332,91 €"},
			{"Oikaisun jälkeen (sis. ALV)", "132 898,60 €"},
			{"Erotus (oikaisun jälkeen − ennen oikaisua)", "-434,31 €"},
			{"Laaditut asiakirjat", "4 kpl"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			l := mustCorrectionLayout(t, correctionAppendix(t, tt.mode, "fi"))
			got := strings.ReplaceAll(fmt.Sprintf("%q", l.Summary), `\u00a0`, " ")
			if want := fmt.Sprintf("%q", tt.want); got != want {
				t.Errorf("summary = %s\nwant %s", got, want)
			}
			if l.Summary[correctResult][0] != tt.want[5][0] {
				t.Errorf("the bold row is %q, not the difference", l.Summary[correctResult][0])
			}
			if l.Reason != [2]string{"Oikaisun syy", correctionReason} {
				t.Errorf("reason = %q", l.Reason)
			}
		})
	}
}

// TestCorrectionAppendixTable: each row's difference is after − before,
// every money column's total is the exact sum of its rows, only the named
// payer is marked, and an unchanged payer has no documents.
func TestCorrectionAppendixTable(t *testing.T) {
	for _, mode := range []string{CorrectionReplace, CorrectionDifference} {
		t.Run(mode, func(t *testing.T) {
			l := mustCorrectionLayout(t, correctionAppendix(t, mode, "fi"))
			tab := l.Table
			for c := 1; c <= 3; c++ {
				sum := decimal.Zero
				for _, row := range tab.Rows {
					sum = sum.Add(parseShown(t, row[c]))
				}
				if got := parseShown(t, tab.Total[c]); !got.Equal(sum) {
					t.Errorf("column %s: total %s, the rows sum to %s", tab.Header[c], got, sum)
				}
			}
			for _, row := range tab.Rows {
				if !parseShown(t, row[3]).Equal(parseShown(t, row[2]).Sub(parseShown(t, row[1]))) {
					t.Errorf("row %q: the difference is not after − before", row)
				}
			}
			names := []string{tab.Rows[0][0], tab.Rows[1][0], tab.Rows[2][0], tab.Rows[3][0]}
			if got := strings.Join(names, "|"); got != "Aura|Kaarina|Turku|Parainen*" {
				t.Errorf("payers = %s", got)
			}
			if tab.Rows[0][3] != "0,01" || tab.Rows[2][4] != "" {
				t.Errorf("Aura's difference %q, Turku's documents %q", tab.Rows[0][3], tab.Rows[2][4])
			}
			if want := strings.Join(correctionPayers[3].docs[mode], ", "); tab.Rows[3][4] != want {
				t.Errorf("Parainen's documents = %q, want %q", tab.Rows[3][4], want)
			}
			if !strings.HasPrefix(l.Footnote, "* ") {
				t.Errorf("footnote = %q", l.Footnote)
			}
		})
	}
	a := correctionAppendix(t, CorrectionReplace, "fi")
	a.Rows = a.Rows[:3] // nobody named: no mark, no footnote
	if l := mustCorrectionLayout(t, a); l.Footnote != "" {
		t.Errorf("footnote %q without a named payer", l.Footnote)
	}
}

// TestCorrectionAppendixRejects: figures that do not reconcile, and an
// appendix that could not say what was done, are an error, never a
// document.
func TestCorrectionAppendixRejects(t *testing.T) {
	tests := []struct {
		name   string
		mode   string
		change func(a *CorrectionAppendix)
		want   string
	}{
		{"unknown mode", CorrectionReplace, func(a *CorrectionAppendix) { a.Mode = "credit" }, `unknown correction mode "credit"`},
		{"no mode", CorrectionDifference, func(a *CorrectionAppendix) { a.Mode = "" }, `unknown correction mode ""`},
		{"no reason", CorrectionReplace, func(a *CorrectionAppendix) { a.Reason = "" }, "a correction needs a reason"},
		{"blank reason", CorrectionDifference, func(a *CorrectionAppendix) { a.Reason = " \n\t " }, "a correction needs a reason"},
		{"reason not UTF-8", CorrectionReplace, func(a *CorrectionAppendix) { a.Reason = "Ep\xe4selv\xe4" }, "not valid UTF-8"},
		{"no cycle", CorrectionReplace, func(a *CorrectionAppendix) { a.Cycle = "" }, "no cycle"},
		{"no run", CorrectionReplace, func(a *CorrectionAppendix) { a.Run = 0 }, "run number 0"},
		{"period ends before it starts", CorrectionReplace, func(a *CorrectionAppendix) { a.To = a.From.AddDays(-1) },
			"period 2021-03-01–2021-02-28"},
		{"replace: issued misses a cent", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[0].Issued-- },
			"payer Aura: before 1835.94 + documents issued 0.00 is not after 1835.95"},
		{"difference: issued misses a cent", CorrectionDifference, func(a *CorrectionAppendix) { a.Rows[1].Issued++ },
			"payer Kaarina: before 17845.38 + documents issued -434.31 is not after 17411.06"},
		{"replace: only the new invoice counted", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[1].Issued = a.Rows[1].New },
			"payer Kaarina: before 17845.38 + documents issued 17411.06"},
		{"after changed, issued not", CorrectionDifference, func(a *CorrectionAppendix) { a.Rows[0].New++ },
			"payer Aura: before 1835.94 + documents issued 0.01 is not after 1835.96"},
		{"named payer's documents do not sum to 0", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[3].Issued = -a.Rows[3].Old },
			"payer Parainen: before 4321.09 + documents issued -4321.09 is not after 4321.09"},
		{"changed without documents", CorrectionReplace, func(a *CorrectionAppendix) {
			a.Rows[0].Documents, a.Rows[0].Issued = nil, 0
		}, "payer Aura: changed from 1835.94 to 1835.95 but no document issued"},
		{"a cent's change without documents", CorrectionDifference, func(a *CorrectionAppendix) { a.Rows[2].New++ },
			"payer Turku: changed from 109330.50 to 109330.51 but no document issued"},
		{"named without documents", CorrectionDifference, func(a *CorrectionAppendix) { a.Rows[3].Documents = nil },
			"payer Parainen: named for reissue but no document issued"},
		{"unchanged turned named", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[2].Named = true },
			"payer Turku: named for reissue but no document issued"},
		{"issued without documents", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[2].Issued = compute.Cents(5) },
			"payer Turku: documents issued total 0.05 without a document number"},
		{"empty document number", CorrectionReplace, func(a *CorrectionAppendix) { a.Rows[1].Documents[1] = "" },
			"payer Kaarina: an empty document number"},
		{"same document twice", CorrectionDifference, func(a *CorrectionAppendix) {
			a.Rows[3].Documents = []string{"VSA-2021-000029", "VSA-2021-000027"}
		}, "payers Aura and Parainen: the same document number VSA-2021-000027"},
		{"unknown language", CorrectionReplace, func(a *CorrectionAppendix) { a.Lang = "de" }, `"de"`},
		{"unknown input", CorrectionReplace, func(a *CorrectionAppendix) { a.Inputs[0].Role = "ledger" }, "input_ledger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := correctionAppendix(t, tt.mode, "fi")
			for i := range a.Rows { // changes never reach the shared example
				a.Rows[i].Documents = append([]string(nil), a.Rows[i].Documents...)
			}
			tt.change(a)
			if _, err := CorrectionAppendixPDF(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PDF: error %v, want one with %q", err, tt.want)
			}
			if _, err := CorrectionAppendixXLSX(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("XLSX: error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// oneSpaced is s with every run of white space as one space.
func oneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// pdfPageSize is the first page's size in points as pdfinfo reports it,
// e.g. "595.28 x 841.89".
func pdfPageSize(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "correction.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(needTool(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if size, ok := strings.CutPrefix(line, "Page size:"); ok {
			return strings.TrimSuffix(strings.TrimSpace(size), " pts (A4)")
		}
	}
	t.Fatalf("pdfinfo gave no page size:\n%s", out)
	return ""
}

// TestCorrectionAppendixPDF checks the rendered PDFs as a reader would:
// valid (qpdf --check), fonts embedded, A4 portrait, every payer, amount to
// the cent, document number and the whole reason in the text, and the same
// bytes every time.
func TestCorrectionAppendixPDF(t *testing.T) {
	common := []string{
		"Esimerkkikaupunki · Liite", "Ikääntyneiden keskitetty asiakas- ja palveluohjaus",
		"Oikaistu laskutuskausi", "2021-03", "Ajon numero", "133 332,91 €", "132 898,60 €", "-434,31 €",
		"Maksaja", "Ennen oikaisua €", "Oikaisun jälkeen €", "Erotus €",
		"Aura", "1 835,94", "1 835,95", "0,01",
		"Kaarina", "17 845,38", "17 411,06", "-434,32",
		"Turku", "109 330,50", "Parainen*", "4 321,09",
		"Yhteensä", "133 332,91", "132 898,60", "-434,31",
		"* Laskutettu uudelleen maksajan pyynnöstä", "Oikaisun lähtötiedot", "Suoritteet (puhelin)",
		"korjattu/puhelut-2021-03.csv", strings.Repeat("ef", 32), "Laadittu 20.4.2021", "Sivu 1 (1)",
	}
	tests := []struct {
		mode string
		want []string
	}{
		{CorrectionReplace, []string{"Oikaisu 1.3.–31.3.2021", "hyvitys ja uusi lasku", "6 kpl",
			"VSA-2021-000027, VSA-2021-000028", "VSA-2021-000029, VSA-2021-000030", "VSA-2021-000031, VSA-2021-000032",
			"hyvitetään kokonaan hyvityslaskulla"}},
		{CorrectionDifference, []string{"Oikaisu 1.3.–31.3.2021", "erotuslasku", "4 kpl",
			"VSA-2021-000027", "VSA-2021-000028", "VSA-2021-000029, VSA-2021-000030",
			"vain erotuksesta"}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			a := correctionAppendix(t, tt.mode, "fi")
			pdf := renderSame(t, 3, func() ([]byte, error) { return CorrectionAppendixPDF(a) })
			s := pdfText(t, pdf)
			for _, w := range append(tt.want, common...) {
				if !strings.Contains(s, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			if !strings.Contains(oneSpaced(s), oneSpaced(correctionReason)) {
				t.Error("PDF text lacks the whole reason")
			}
			lines := strings.Split(s, "\n")
			for i, line := range lines {
				f := strings.Fields(line)
				switch {
				case len(f) == 0:
				case f[0] == "Turku" && !strings.HasSuffix(oneSpaced(line), "109 330,50 109 330,50 0,00"):
					t.Errorf("Turku's row does not end in its difference 0,00, with no documents: %q", line)
				case f[0] == "Aura" && !strings.HasSuffix(line, strings.Join(a.Rows[0].Documents, ", ")):
					t.Errorf("Aura's row does not end in its documents: %q", line)
				case strings.HasPrefix(line, "Maaliskuun suoritetiedosto") && strings.Contains(line, "ennallaan"):
					t.Errorf("the reason is not wrapped: %q", line)
				case f[0] == "Oikaisun" && len(f) > 1 && f[1] == "syy" && (i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "Maaliskuun")):
					t.Errorf("the reason does not follow its label")
				}
			}
			if got, want := pdfPageSize(t, pdf), "595.28 x 841.89"; got != want {
				t.Errorf("page size %s, want A4 portrait %s", got, want)
			}
			if t.Failed() {
				t.Logf("PDF text:\n%s", s)
			}
		})
	}
}

// TestCorrectionAppendixPDFLanguages: the Swedish and the English appendix
// print their own words and numbers.
func TestCorrectionAppendixPDFLanguages(t *testing.T) {
	tests := []struct {
		mode, lang string
		want       []string
	}{
		{CorrectionReplace, "sv", []string{"Rättelse 1.3.–31.3.2021", "Esimerkkikaupunki · Bilaga", "kreditfaktura och ny faktura",
			"Orsak till rättelse", "Betalare", "1 835,95", "-434,32", "Totalt", "6 st.",
			"* Fakturerad på nytt på betalarens begäran", "Sida 1 (1)"}},
		{CorrectionDifference, "en", []string{"Correction 1 March – 31 March 2021", "difference invoice", "Reason for correction",
			"Payer", "1,835.95", "-434.32", "109,330.50", "€133,332.91", "-€434.31",
			"* Reissued at the payer's request", "Page 1 (1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			pdf, err := CorrectionAppendixPDF(correctionAppendix(t, tt.mode, tt.lang))
			if err != nil {
				t.Fatal(err)
			}
			s := pdfText(t, pdf)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			if t.Failed() {
				t.Logf("PDF text:\n%s", s)
			}
		})
	}
}

// TestCorrectionAppendixPDFLandscape: a table too wide for a portrait page
// (a payer with a long name and three documents) turns the page.
func TestCorrectionAppendixPDFLandscape(t *testing.T) {
	a := correctionAppendix(t, CorrectionReplace, "fi")
	a.Rows[0].Payer = "Varsinais-Suomen hyvinvointialueen ikääntyneiden palvelujen tulosalue"
	a.Rows[0].Documents = []string{"VSA-2021-000027", "VSA-2021-000028", "VSA-2021-000033"}
	pdf, err := CorrectionAppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pdfPageSize(t, pdf), "841.89 x 595.28"; got != want {
		t.Errorf("page size %s, want A4 landscape %s", got, want)
	}
	s := pdfText(t, pdf)
	if !strings.Contains(s, a.Rows[0].Payer+" ") || !strings.Contains(s, "VSA-2021-000027, VSA-2021-000028, VSA-2021-000033") {
		t.Errorf("the long row is not printed whole:\n%s", s)
	}
}

// TestCorrectionAppendixLongReason: a reason of several paragraphs and any
// characters wraps over pages, whole and in order, under the header of each.
func TestCorrectionAppendixLongReason(t *testing.T) {
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "Kappale %d: ÅÄÖ åäö € “lainaus” – Kimitoön, Pargas; 1 835,94 € → 1 835,95 €. %s\n",
			i+1, strings.Repeat("Pitkä perustelu ", i%7))
	}
	b.WriteString("\tSisennetty rivi\r\nja viimeinen.")
	a := correctionAppendix(t, CorrectionDifference, "fi")
	a.Reason = b.String()
	pdf, err := CorrectionAppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	s := pdfText(t, pdf)
	var body []string // the text without the pages' headers and footers
	for _, line := range strings.Split(s, "\n") {
		if !strings.Contains(line, "Esimerkkikaupunki · Liite") && !strings.Contains(line, "Laadittu 20.4.2021") {
			body = append(body, line)
		}
	}
	if !strings.Contains(oneSpaced(strings.Join(body, "\n")), oneSpaced(a.Reason)) {
		t.Errorf("the reason is not printed whole and in order:\n%s", s)
	}
	pages := strings.Split(s, "\f")
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 2", len(pages)-1)
	}
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, "Esimerkkikaupunki · Liite") || !strings.Contains(p, fmt.Sprintf("Sivu %d (%d)", i+1, len(pages)-1)) {
			t.Errorf("page %d lacks the header or the footer", i+1)
		}
	}
	data, err := CorrectionAppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue("Lähtötiedot", "B12"); got != a.Reason {
		t.Errorf("the workbook's reason = %q", got)
	}
}

// TestCorrectionAppendixTableStartsWithRows: however long the reason, the
// table's header never ends a page without a row under it. The reasons of 34
// to 46 lines end the first page's text at every height near its bottom.
func TestCorrectionAppendixTableStartsWithRows(t *testing.T) {
	amount := regexp.MustCompile(`\d,\d\d`)
	for n := 34; n <= 46; n++ {
		a := correctionAppendix(t, CorrectionReplace, "fi")
		a.Reason = strings.TrimSuffix(strings.Repeat("Rivi.\n", n), "\n")
		pdf, err := CorrectionAppendixPDF(a)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range strings.Split(pdfText(t, pdf), "\f") {
			if _, rest, ok := strings.Cut(p, "Ennen oikaisua €"); ok && !amount.MatchString(rest) {
				t.Errorf("a reason of %d lines: page %d has the table's header without a row:\n%s", n, i+1, p)
			}
		}
	}
}

// TestCorrectionAppendixXLSX opens the workbooks as a spreadsheet program
// would: the cells hold the rows' numbers, the totals row's SUM formulas
// evaluate to the columns' sums, and the second sheet has the summary, the
// reason and the inputs.
func TestCorrectionAppendixXLSX(t *testing.T) {
	tests := []struct {
		mode       string
		rows       []string // rows 5… of the first sheet
		mode2, doc string   // the second sheet's mode and document count
	}{
		{CorrectionReplace, []string{
			"Aura|1835.94|1835.95|0.01|VSA-2021-000027, VSA-2021-000028",
			"Kaarina|17845.38|17411.06|-434.32|VSA-2021-000029, VSA-2021-000030",
			"Turku|109330.5|109330.5|0",
			"Parainen*|4321.09|4321.09|0|VSA-2021-000031, VSA-2021-000032",
		}, "hyvitys ja uusi lasku", "6"},
		{CorrectionDifference, []string{
			"Aura|1835.94|1835.95|0.01|VSA-2021-000027",
			"Kaarina|17845.38|17411.06|-434.32|VSA-2021-000028",
			"Turku|109330.5|109330.5|0",
			"Parainen*|4321.09|4321.09|0|VSA-2021-000029, VSA-2021-000030",
		}, "erotuslasku", "4"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			a := correctionAppendix(t, tt.mode, "fi")
			// excelize writes its parts in map order: render often.
			data := renderSame(t, 10, func() ([]byte, error) { return CorrectionAppendixXLSX(a) })
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := strings.Join(f.GetSheetList(), "|"); got != "Oikaisu|Lähtötiedot" {
				t.Fatalf("sheets = %s", got)
			}
			rows, total := checkSheetTable(t, f, mustCorrectionLayout(t, a).Table.Header, tt.rows,
				[]string{"133332.91", "132898.6", "-434.31"}, func(total int) []string {
					return []string{"B5", "D6", fmt.Sprintf("D%d", total)}
				})
			if got := rows[total+1]; len(got) != 1 || !strings.HasPrefix(got[0], "* Laskutettu uudelleen") {
				t.Errorf("row %d = %q, want the footnote", total+2, got)
			}

			summary, err := f.GetRows("Lähtötiedot", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Kausi|1.3.–31.3.2021", "Oikaistu laskutuskausi|2021-03", "Ajon numero|7",
				"Oikaisutapa|" + tt.mode2, "Laskutettu ennen oikaisua (sis. ALV)|133332.91",
				"Oikaisun jälkeen (sis. ALV)|132898.6", "Erotus (oikaisun jälkeen − ennen oikaisua)|-434.31",
				"Laaditut asiakirjat|" + tt.doc, "Oikaisun syy|" + correctionReason, "",
				"Oikaisun lähtötiedot|Tiedosto|SHA-256"}
			for i, w := range want {
				if got := strings.Join(summary[3+i], "|"); got != w {
					t.Errorf("summary row %d = %s\nwant %s", 4+i, got, w)
				}
			}
			if got := strings.Join(summary[3+len(want)+2], "|"); got != "Suoritteet (puhelin)|korjattu/puhelut-2021-03.csv|"+strings.Repeat("ef", 32) {
				t.Errorf("the third input = %s", got)
			}
			for ref, format := range map[string]string{"B8": "#,##0.00", "B10": "#,##0.00"} {
				style, _ := f.GetCellStyle("Lähtötiedot", ref)
				s, err := f.GetStyle(style)
				if err != nil || s.CustomNumFmt == nil || *s.CustomNumFmt != format {
					t.Errorf("summary %s's number format is not %s (%v)", ref, format, err)
				}
			}
			style, _ := f.GetCellStyle("Lähtötiedot", "A10")
			if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
				t.Errorf("the difference's label is not bold (%v)", err)
			}
			style, _ = f.GetCellStyle("Lähtötiedot", "B12")
			if s, err := f.GetStyle(style); err != nil || s.Alignment == nil || !s.Alignment.WrapText {
				t.Errorf("the reason's cell does not wrap (%v)", err)
			}
		})
	}
}

// TestCorrectionAppendixNoRows: a cycle without payers still gives valid
// documents, its totals 0 rather than a SUM over the header and itself.
func TestCorrectionAppendixNoRows(t *testing.T) {
	a := correctionAppendix(t, CorrectionReplace, "fi")
	a.Rows = nil
	if _, err := CorrectionAppendixPDF(a); err != nil {
		t.Fatal(err)
	}
	data, err := CorrectionAppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, ref := range []string{"B5", "C5", "D5"} {
		formula, _ := f.GetCellFormula("Oikaisu", ref)
		got, err := f.CalcCellValue("Oikaisu", ref, excelize.Options{RawCellValue: true})
		if formula != "0" || err != nil || got != "0" {
			t.Errorf("%s = %q (%q, %v), want the formula 0", ref, got, formula, err)
		}
	}
}
