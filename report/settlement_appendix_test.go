package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// surplusFees are the usage fees the three subscribers were invoiced for
// 2022 net of corrections; Helsinki's include a correction.
var surplusFees = []struct {
	name                  string
	invoiced, corrections compute.Money
	document              string
}{
	{"Keski-Uudenmaan sote-kuntayhtymä", compute.Cents(1150250), 0, "LST-2023-000201"},
	{"Helsingin kaupunki", compute.Cents(3819051), compute.Cents(-11641), "LST-2023-000202"}, // 38 074,10 net
	{"Satakunnan hyvinvointialue", compute.Cents(732955), 0, "LST-2023-000203"},
}

// surplusActualCost is 2022's actual cost: the fees exceed it by 6 906,15 €.
var surplusActualCost = compute.Euros(50000)

// surplusAppendix returns 2022's surplus to the three subscribers, split by
// compute.SplitSurplus as the run does.
func surplusAppendix(t *testing.T, lang string) *SettlementAppendix {
	t.Helper()
	fees := make([]compute.Money, len(surplusFees))
	var total compute.Money
	for i, s := range surplusFees {
		fees[i] = s.invoiced + s.corrections
		total += fees[i]
	}
	parts, err := compute.SplitSurplus(total-surplusActualCost, fees)
	if err != nil {
		t.Fatal(err)
	}
	a := &SettlementAppendix{
		Lang: lang, SchemeName: "Lasteri-palvelun käyttömaksu", Seller: "Keski-Uudenmaan sote-kuntayhtymä",
		Kind: SettlementSurplus, From: date(t, "2022-01-01"), To: date(t, "2022-12-31"),
		Created:    time.Date(2023, 3, 15, 8, 0, 0, 0, time.UTC),
		ActualCost: surplusActualCost,
		Inputs: []Input{
			{"configuration", "examples/lasteri/kuntalasku.toml", strings.Repeat("ab", 32)},
			{"population", "examples/lasteri/population-11re-2021.csv", strings.Repeat("cd", 32)},
		},
	}
	for i, s := range surplusFees {
		a.Rows = append(a.Rows, SettlementRow{Payer: s.name, Invoiced: s.invoiced, Corrections: s.corrections,
			Final: fees[i] - parts[i], Settlement: -parts[i], Document: s.document})
	}
	return a
}

// costShareAppendix settles 1.1.–30.11.2021 for three municipalities: Aura
// pays 66,43 €, Kaarina (whose invoices a credit note corrected) is refunded
// 309,32 €, and Turku's final share is what it was invoiced after a
// correction invoice: no document.
func costShareAppendix(t *testing.T, lang string) *SettlementAppendix {
	t.Helper()
	row := func(payer string, invoiced, corrections, final int64, document string) SettlementRow {
		return SettlementRow{Payer: payer, Invoiced: compute.Cents(invoiced), Corrections: compute.Cents(corrections),
			Final: compute.Cents(final), Settlement: compute.Cents(final - invoiced - corrections), Document: document}
	}
	return &SettlementAppendix{
		Lang: lang, SchemeName: "Ikääntyneiden keskitetty asiakas- ja palveluohjaus", Seller: "Esimerkkikaupunki",
		Kind: SettlementCostShare, From: date(t, "2021-01-01"), To: date(t, "2021-11-30"),
		Created:    time.Date(2022, 1, 20, 10, 0, 0, 0, time.UTC),
		ActualCost: compute.Cents(12905609),
		Rows: []SettlementRow{
			row("Aura", 183594, 0, 190237, "VSA-2021-000301"),
			row("Kaarina", 1784538, -12500, 1741106, "VSA-2021-000302"),
			row("Turku", 10933050, 41216, 10974266, ""),
		},
		Inputs: []Input{
			{"configuration", "examples/varsinais-suomi/kuntalasku.toml", strings.Repeat("ab", 32)},
			{"population", "examples/varsinais-suomi/population-11re-synthetic.csv", strings.Repeat("cd", 32)},
			{"activities:puhelin", "examples/varsinais-suomi/puhelut-2021.csv", strings.Repeat("ef", 32)},
		},
	}
}

func date(t *testing.T, s string) compute.Date {
	t.Helper()
	d, err := compute.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// settlementAppendix is the example of a kind.
func settlementAppendix(t *testing.T, kind, lang string) *SettlementAppendix {
	if kind == SettlementSurplus {
		return surplusAppendix(t, lang)
	}
	return costShareAppendix(t, lang)
}

// TestSettlementSurplusSplit pins the example's split: the exact shares of
// 6 906,15 € are 1 395,947…, 4 620,685… and 889,516…; floored they leave two
// cents, which go to the largest remainders (0,737 and 0,672), not to
// Helsinki's 0,591 (rounding each share half up would return 6 906,16).
func TestSettlementSurplusSplit(t *testing.T) {
	a := surplusAppendix(t, "fi")
	want := []compute.Money{compute.Cents(-139595), compute.Cents(-462068), compute.Cents(-88952)}
	for i, r := range a.Rows {
		if r.Settlement != want[i] {
			t.Errorf("%s: returned %s, want %s", r.Payer, r.Settlement, want[i])
		}
	}
}

// TestSettlementAppendixLayoutGolden pins every text of the settlement
// appendix of both kinds in each language. Refresh with
// go test ./report -run Golden -update and read the diff.
func TestSettlementAppendixLayoutGolden(t *testing.T) {
	for _, kind := range []string{SettlementCostShare, SettlementSurplus} {
		for _, lang := range []string{"fi", "sv", "en"} {
			t.Run(kind+"-"+lang, func(t *testing.T) {
				l, err := settlementAppendix(t, kind, lang).layout()
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "settlement-appendix-"+kind+"-"+lang+".golden.json"), l)
			})
		}
	}
}

// checkGolden compares v as indented JSON with the golden file, which
// -update rewrites.
func checkGolden(t *testing.T, golden string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("layout differs from %s:\n%s", golden, got)
	}
}

// TestSettlementAppendixTotals: every money column's total is the exact sum
// of its rows, the final shares total the actual cost, and the summary's
// amounts are those of the table.
func TestSettlementAppendixTotals(t *testing.T) {
	tests := []struct {
		kind string
		// summary rows, with the table's column whose total each shows
		// (-1: the actual cost; a negative column: negated)
		columns []int
	}{
		{SettlementCostShare, []int{-1, 3, 5}},
		{SettlementSurplus, []int{-1, 3, -5}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			a := settlementAppendix(t, tt.kind, "fi")
			l, err := a.layout()
			if err != nil {
				t.Fatal(err)
			}
			tab := l.Table
			for c := 1; c <= 5; c++ {
				sum := decimal.Zero
				for _, row := range tab.Rows {
					sum = sum.Add(parseShown(t, row[c]))
				}
				if got := parseShown(t, tab.Total[c]); !got.Equal(sum) {
					t.Errorf("column %s: total %s, the rows sum to %s", tab.Header[c], got, sum)
				}
			}
			for _, row := range tab.Rows { // net = invoiced + corrections; settlement = final − net
				if !parseShown(t, row[3]).Equal(parseShown(t, row[1]).Add(parseShown(t, row[2]))) ||
					!parseShown(t, row[5]).Equal(parseShown(t, row[4]).Sub(parseShown(t, row[3]))) {
					t.Errorf("row %q does not add up", row)
				}
			}
			if got, want := parseShown(t, tab.Total[4]), a.ActualCost.Decimal(); !got.Equal(want) {
				t.Errorf("final shares total %s, want the actual cost %s", got, want)
			}
			for i, c := range tt.columns {
				want := a.ActualCost.Decimal()
				switch {
				case c > 0:
					want = parseShown(t, tab.Total[c])
				case c < -1:
					want = parseShown(t, tab.Total[-c]).Neg()
				}
				if got := parseShown(t, strings.TrimSuffix(l.Summary[i][1], "\u00a0€")); !got.Equal(want) {
					t.Errorf("summary %q = %s, want %s", l.Summary[i][0], got, want)
				}
			}
		})
	}
}

// TestSettlementAppendixSummary: the documents issued are counted by type,
// with their sums.
func TestSettlementAppendixSummary(t *testing.T) {
	tests := []struct {
		kind string
		want [][2]string
	}{
		{SettlementCostShare, [][2]string{
			{"Toteutuneet kustannukset", "129 056,09 €"},
			{"Kaudella laskutettu oikaisujen jälkeen (veroton)", "129 298,98 €"},
			{"Erotus (toteutuneet kustannukset − laskutettu)", "-242,89 €"},
			{"Tasauslaskut (1 kpl)", "66,43 €"},
			{"Hyvityslaskut (1 kpl)", "-309,32 €"},
		}},
		{SettlementSurplus, [][2]string{
			{"Toteutuneet kustannukset", "50 000,00 €"},
			{"Käyttömaksut oikaisujen jälkeen (veroton)", "56 906,15 €"},
			{"Ylijäämä (käyttömaksut − toteutuneet kustannukset)", "6 906,15 €"},
			{"Hyvityslaskut (3 kpl)", "-6 906,15 €"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			l, err := settlementAppendix(t, tt.kind, "fi").layout()
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%q", l.Summary)
			if want := fmt.Sprintf("%q", tt.want); strings.ReplaceAll(got, `\u00a0`, " ") != want {
				t.Errorf("summary = %s\nwant %s", got, want)
			}
		})
	}
}

// TestSettlementAppendixRejects: figures that do not reconcile are an error,
// never a document.
func TestSettlementAppendixRejects(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		change func(a *SettlementAppendix)
		want   string
	}{
		{"unknown kind", SettlementCostShare, func(a *SettlementAppendix) { a.Kind = "estimate" }, `unknown settlement kind "estimate"`},
		{"no kind", SettlementSurplus, func(a *SettlementAppendix) { a.Kind = "" }, `unknown settlement kind ""`},
		{"settlement is not final minus invoiced", SettlementCostShare, func(a *SettlementAppendix) { a.Rows[0].Settlement++ },
			"Aura: settlement 66.44 is not final share 1902.37 − invoiced 1835.94 − corrections 0.00"},
		{"corrections left out", SettlementCostShare, func(a *SettlementAppendix) { a.Rows[1].Settlement = a.Rows[1].Final - a.Rows[1].Invoiced },
			"Kaarina: settlement"},
		{"final shares miss the actual cost", SettlementCostShare, func(a *SettlementAppendix) { a.ActualCost++ },
			"the final shares sum to 129056.09, not to the actual cost 129056.10"},
		{"a row moved to another payer", SettlementSurplus, func(a *SettlementAppendix) {
			a.Rows[0].Final++
			a.Rows[0].Settlement++
		}, "the final shares sum to 50000.01"},
		{"settlement without a document", SettlementCostShare, func(a *SettlementAppendix) { a.Rows[1].Document = "" },
			"Kaarina: settlement -309.32 has no document number"},
		{"document for nothing", SettlementCostShare, func(a *SettlementAppendix) { a.Rows[2].Document = "VSA-2021-000303" },
			"Turku: document VSA-2021-000303 for a settlement of 0"},
		{"same document twice", SettlementSurplus, func(a *SettlementAppendix) { a.Rows[2].Document = a.Rows[0].Document },
			"the same document number LST-2023-000201"},
		{"positive surplus return", SettlementSurplus, func(a *SettlementAppendix) {
			// 5 000 € of Helsinki's final share moved to Satakunta: the
			// final shares still sum to the actual cost.
			a.Rows[1].Final -= compute.Euros(5000)
			a.Rows[1].Settlement -= compute.Euros(5000)
			a.Rows[2].Final += compute.Euros(5000)
			a.Rows[2].Settlement += compute.Euros(5000)
		}, "Satakunnan hyvinvointialue: surplus return 4110.48 is positive"},
		{"period ends before it starts", SettlementSurplus, func(a *SettlementAppendix) { a.To = a.From.AddDays(-1) }, "period 2022-01-01–2021-12-31"},
		{"unknown language", SettlementSurplus, func(a *SettlementAppendix) { a.Lang = "de" }, `"de"`},
		{"unknown input", SettlementCostShare, func(a *SettlementAppendix) { a.Inputs[0].Role = "ledger" }, "input_ledger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := settlementAppendix(t, tt.kind, "fi")
			tt.change(a)
			if _, err := SettlementAppendixPDF(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PDF: error %v, want one with %q", err, tt.want)
			}
			if _, err := SettlementAppendixXLSX(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("XLSX: error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// TestSettlementAppendixPDF checks the rendered PDFs as a reader would: valid,
// fonts embedded, every payer, amount to the cent and document number in the
// text, and the same bytes every time.
func TestSettlementAppendixPDF(t *testing.T) {
	tests := []struct {
		kind string
		want []string
	}{
		{SettlementCostShare, []string{
			"Tasaus 1.1.–30.11.2021", "Esimerkkikaupunki · Liite", "Ikääntyneiden keskitetty asiakas- ja palveluohjaus",
			"Toteutuneet kustannukset", "129 056,09 €", "129 298,98 €", "-242,89 €", "Tasauslaskut (1 kpl)", "Hyvityslaskut (1 kpl)",
			"Kunta", "Laskutettu €", "Oikaisut €", "Lopullinen osuus €", "Tasaus €", "Asiakirjan numero",
			"Aura", "1 835,94", "1 902,37", "66,43", "VSA-2021-000301",
			"Kaarina", "17 845,38", "-125,00", "17 720,38", "17 411,06", "-309,32", "VSA-2021-000302",
			"Turku", "109 330,50", "412,16", "109 742,66",
			"Yhteensä", "129 011,82", "287,16", "129 298,98", "129 056,09", "-242,89",
			"jaetaan 75 vuotta", "Suoritteet (puhelin)", "Laadittu 20.1.2022", "Sivu 1 (1)",
		}},
		{SettlementSurplus, []string{
			"Ylijäämän palautus 1.1.–31.12.2022", "Keski-Uudenmaan sote-kuntayhtymä · Liite",
			"50 000,00 €", "56 906,15 €", "6 906,15 €", "-6 906,15 €", "Hyvityslaskut (3 kpl)",
			"Tilaaja", "Käyttömaksut €", "Palautus €",
			"11 502,50", "10 106,55", "-1 395,95", "LST-2023-000201",
			"38 190,51", "-116,41", "38 074,10", "33 453,42", "-4 620,68", "LST-2023-000202",
			"7 329,55", "6 440,03", "-889,52", "LST-2023-000203",
			"57 022,56", "56 906,15", "50 000,00",
			"suurimmille jäännöksille", "Laadittu 15.3.2023",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			a := settlementAppendix(t, tt.kind, "fi")
			s := pdfText(t, renderSame(t, 3, func() ([]byte, error) { return SettlementAppendixPDF(a) }))
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			for _, line := range strings.Split(s, "\n") { // Turku's row: 0,00 and no document
				if f := strings.Fields(line); len(f) > 0 && f[0] == "Turku" && !strings.HasSuffix(line, "0,00") {
					t.Errorf("Turku's row does not end in its settlement 0,00: %q", line)
				}
			}
			if t.Failed() {
				t.Logf("PDF text:\n%s", s)
			}
		})
	}
}

// TestSettlementAppendixPDFPages: a settlement of many payers runs over pages
// with the table's header on each.
func TestSettlementAppendixPDFPages(t *testing.T) {
	a := costShareAppendix(t, "fi")
	for i := range 40 {
		r := SettlementRow{Payer: fmt.Sprintf("Esimerkkikunta %02d", i+1), Invoiced: compute.Euros(1000),
			Final: compute.Euros(int64(1000 + i*37)), Settlement: compute.Euros(int64(i * 37))}
		if r.Settlement != 0 {
			r.Document = fmt.Sprintf("VSA-2021-%06d", 400+i)
		}
		a.Rows = append(a.Rows, r)
		a.ActualCost += r.Final
	}
	pdf, err := SettlementAppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdfText(t, pdf), "\f")
	if len(pages) < 3 {
		t.Fatalf("%d pages of text, want at least 2", len(pages)-1)
	}
	if !strings.Contains(pages[1], "Lopullinen osuus €") {
		t.Error("the second page does not repeat the table's header")
	}
	if s := strings.Join(pages, ""); !strings.Contains(s, "Esimerkkikunta 40") || !strings.Contains(s, "VSA-2021-000439") {
		t.Error("the last payer is not printed")
	}
}

// TestSettlementAppendixXLSX opens the workbooks as a spreadsheet program
// would: the cells hold the rows' numbers, the totals row's SUM formulas
// evaluate to the columns' sums, and the second sheet has the summary and
// the inputs.
func TestSettlementAppendixXLSX(t *testing.T) {
	tests := []struct {
		kind, sheets string
		rows         []string // rows 5… of the first sheet
		totals       []string // B…F of the totals row
		summary      []string // the second sheet's rows 4…
	}{
		{SettlementCostShare, "Tasaus|Lähtötiedot",
			[]string{
				"Aura|1835.94|0|1835.94|1902.37|66.43|VSA-2021-000301",
				"Kaarina|17845.38|-125|17720.38|17411.06|-309.32|VSA-2021-000302",
				"Turku|109330.5|412.16|109742.66|109742.66|0",
			},
			[]string{"129011.82", "287.16", "129298.98", "129056.09", "-242.89"},
			[]string{"Kausi|1.1.–30.11.2021", "Toteutuneet kustannukset|129056.09",
				"Kaudella laskutettu oikaisujen jälkeen (veroton)|129298.98",
				"Erotus (toteutuneet kustannukset − laskutettu)|-242.89",
				"Tasauslaskut (1 kpl)|66.43", "Hyvityslaskut (1 kpl)|-309.32"},
		},
		{SettlementSurplus, "Ylijäämän palautus|Lähtötiedot",
			[]string{
				"Keski-Uudenmaan sote-kuntayhtymä|11502.5|0|11502.5|10106.55|-1395.95|LST-2023-000201",
				"Helsingin kaupunki|38190.51|-116.41|38074.1|33453.42|-4620.68|LST-2023-000202",
				"Satakunnan hyvinvointialue|7329.55|0|7329.55|6440.03|-889.52|LST-2023-000203",
			},
			[]string{"57022.56", "-116.41", "56906.15", "50000", "-6906.15"},
			[]string{"Kausi|1.1.–31.12.2022", "Toteutuneet kustannukset|50000",
				"Käyttömaksut oikaisujen jälkeen (veroton)|56906.15",
				"Ylijäämä (käyttömaksut − toteutuneet kustannukset)|6906.15", "Hyvityslaskut (3 kpl)|-6906.15"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			a := settlementAppendix(t, tt.kind, "fi")
			// excelize writes its parts in map order: render often.
			data := renderSame(t, 10, func() ([]byte, error) { return SettlementAppendixXLSX(a) })
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := strings.Join(f.GetSheetList(), "|"); got != tt.sheets {
				t.Fatalf("sheets = %s, want %s", got, tt.sheets)
			}
			checkSheetTable(t, f, mustLayout(t, a).Table.Header, tt.rows, tt.totals, func(total int) []string {
				return []string{"B5", "F5", fmt.Sprintf("F%d", total)}
			})

			summary, err := f.GetRows("Lähtötiedot", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.summary {
				if got := strings.Join(summary[3+i], "|"); got != want {
					t.Errorf("summary row %d = %s\nwant %s", 4+i, got, want)
				}
			}
			var found bool
			for _, r := range summary {
				if len(r) == 3 && r[0] == "Väestö" && r[2] == strings.Repeat("cd", 32) {
					found = true
				}
			}
			if !found {
				t.Errorf("the second sheet lacks the population input: %q", summary)
			}
		})
	}
}

// renderSame renders n times and returns the bytes; it fails unless every
// rendering gives the first's bytes.
func renderSame(t *testing.T, n int, render func() ([]byte, error)) []byte {
	t.Helper()
	var first []byte
	for i := range n {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("rendering %d of the same appendix differs from the first", i+1)
		}
	}
	return first
}

func mustLayout(t *testing.T, a *SettlementAppendix) *settlementAppendixLayout {
	t.Helper()
	l, err := a.layout()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// checkSheetTable checks the first sheet of an appendix workbook: the header
// in row 4, the rows from row 5, then a totals row labelled "Yhteensä" whose
// columns B… are SUM formulas of the rows evaluating to totals, and the
// money number format in the cells moneyCells names. It returns the sheet's
// rows and the totals row's number.
func checkSheetTable(t *testing.T, f *excelize.File, header, want, totals []string, moneyCells func(total int) []string) ([][]string, int) {
	t.Helper()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5+len(want) {
		t.Fatalf("%s has %d rows, want at least %d", sheet, len(rows), 5+len(want))
	}
	if got, want := strings.Join(rows[3], "|"), strings.Join(header, "|"); got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	for i, w := range want {
		if got := strings.Join(rows[4+i], "|"); got != w {
			t.Errorf("row %d = %s\nwant %s", 5+i, got, w)
		}
	}
	total := 5 + len(want)
	if got, _ := f.GetCellValue(sheet, fmt.Sprintf("A%d", total)); got != "Yhteensä" {
		t.Errorf("A%d = %q", total, got)
	}
	for i, w := range totals {
		col := string(rune('B' + i))
		ref := fmt.Sprintf("%s%d", col, total)
		formula, err := f.GetCellFormula(sheet, ref)
		if wantF := fmt.Sprintf("SUM(%s5:%s%d)", col, col, total-1); err != nil || formula != wantF {
			t.Errorf("%s formula = %q, %v; want %s", ref, formula, err, wantF)
		}
		got, err := f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil || got != w {
			t.Errorf("%s = %q, %v; want %s", ref, got, err, w)
		}
	}
	for _, ref := range moneyCells(total) {
		style, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(style)
		if err != nil || s.CustomNumFmt == nil || *s.CustomNumFmt != "#,##0.00" {
			t.Errorf("%s's number format is not #,##0.00 (%v)", ref, err)
		}
	}
	return rows, total
}
