package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// feeRow makes a subscriber's row of an annual run: the year fee from the
// rate, the hours at 60 € and the VAT of the hours and the other lines at
// 24 % (the fee is outside VAT).
func feeRow(t *testing.T, name string, members []string, population int64, months int, hours string, other compute.Money, invoice string) FeeRow {
	t.Helper()
	fee, err := compute.YearFee(decimal.RequireFromString("0.058"), population, months)
	if err != nil {
		t.Fatal(err)
	}
	h := decimal.RequireFromString(hours)
	hoursNet, err := compute.MoneyFromDecimal(h.Mul(decimal.NewFromInt(60)))
	if err != nil {
		t.Fatal(err)
	}
	vat := (hoursNet + other) * 24 / 100 // whole euros in these tests: exact
	net := fee + hoursNet + other
	return FeeRow{Subscriber: name, Members: members, Population: population, Months: months,
		YearFee: fee, Fee: fee, Hours: h, HoursNet: hoursNet, Other: other,
		Net: net, VAT: vat, Total: net + vat, Invoice: invoice}
}

var (
	keusoteMembers   = []string{"Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula"}
	satakuntaMembers = []string{"Eura", "Eurajoki", "Harjavalta", "Huittinen", "Jämijärvi", "Kankaanpää", "Karvia",
		"Kokemäki", "Merikarvia", "Nakkila", "Pomarkku", "Pori", "Rauma", "Siikainen", "Säkylä", "Ulvila"}
	// Varsinais-Suomi's municipalities, 24 of them: a county's long list.
	countyMembers = []string{"Aura", "Kaarina", "Kemiönsaari", "Koski Tl", "Kustavi", "Laitila", "Lieto", "Loimaa",
		"Marttila", "Masku", "Mynämäki", "Naantali", "Nousiainen", "Oripää", "Paimio", "Parainen", "Pyhäranta",
		"Pöytyä", "Raisio", "Rusko", "Salo", "Sauvo", "Somero", "Taivassalo"}
)

// feeAppendix is the appendix of an annual run of 2023 for the project's
// three partners: hours on one row, a manual line on another, and a county
// that joined in June (7 months).
func feeAppendix(t *testing.T, lang string) *FeeAppendix {
	t.Helper()
	d := func(s string) compute.Date { v, _ := compute.ParseDate(s); return v }
	return &FeeAppendix{
		Lang: lang, SchemeName: "Lasteri-palvelun käyttömaksu", Seller: "Keski-Uudenmaan sote-kuntayhtymä",
		From: d("2023-01-01"), To: d("2023-12-31"),
		Created:        time.Date(2023, 12, 31, 22, 30, 0, 0, time.UTC), // 1.1.2024 in Helsinki
		Rate:           decimal.RequireFromString("0.058"),
		PopulationDate: d("2022-12-31"),
		Rows: []FeeRow{
			feeRow(t, "Keski-Uudenmaan sote-kuntayhtymä", keusoteMembers, 201940, 12, "12.5", 0, "LST-2023-000101"),
			feeRow(t, "Helsingin kaupunki", nil, 658457, 12, "0", compute.Euros(1240), "LST-2023-000102"),
			feeRow(t, "Satakunnan hyvinvointialue", satakuntaMembers, 212123, 7, "0", 0, "LST-2023-000103"),
		},
		Inputs: []Input{
			{"configuration", "examples/lasteri/kuntalasku.toml", strings.Repeat("ab", 32)},
			{"population", "examples/lasteri/population-11re-2022.csv", strings.Repeat("cd", 32)},
			{"hours", "examples/lasteri/tunnit-2023.csv", strings.Repeat("ef", 32)},
			{"manual_lines", "examples/lasteri/muut-rivit-2023.csv", strings.Repeat("01", 32)},
		},
	}
}

// manyFeeAppendix adds a county of 24 municipalities and enough subscribers
// to run over a page.
func manyFeeAppendix(t *testing.T) *FeeAppendix {
	t.Helper()
	a := feeAppendix(t, "fi")
	a.Rows = append(a.Rows, feeRow(t, "Varsinais-Suomen hyvinvointialue", countyMembers, 487155, 12, "3.25", compute.Cents(99999), "LST-2023-000104"))
	for i := range 36 {
		a.Rows = append(a.Rows, feeRow(t, fmt.Sprintf("Esimerkkikunta %02d", i+1), nil, int64(1000+i*997), 12-i%12, "0", 0, fmt.Sprintf("LST-2023-%06d", 105+i)))
	}
	return a
}

// TestFeeAppendixLayoutGolden pins every text of the fee appendix in each
// language. Refresh with go test ./report -run Golden -update and read the
// diff.
func TestFeeAppendixLayoutGolden(t *testing.T) {
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			l, err := feeAppendix(t, lang).layout()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "fee-appendix-"+lang+".golden.json"), l)
		})
	}
}

// parseShown reads back a number as the Finnish layout shows it.
func parseShown(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), ",", "."))
	if err != nil {
		t.Fatalf("shown number %q: %v", s, err)
	}
	return d
}

// TestFeeAppendixTotals: every number of the totals row is the exact sum of
// its column, and the summary's amounts are those of the totals row.
func TestFeeAppendixTotals(t *testing.T) {
	tests := []struct {
		name string
		a    *FeeAppendix
	}{
		{"three partners", feeAppendix(t, "fi")},
		{"forty subscribers", manyFeeAppendix(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := tt.a.layout()
			if err != nil {
				t.Fatal(err)
			}
			tab := l.Table
			if got, want := len(tab.Rows), len(tt.a.Rows); got != want {
				t.Fatalf("%d rows, want %d", got, want)
			}
			for c := 1; c <= feeColumns; c++ {
				if c == 2 { // months: not summed
					if tab.Total[c] != "" {
						t.Errorf("months total = %q, want empty", tab.Total[c])
					}
					continue
				}
				sum := decimal.Zero
				for _, row := range tab.Rows {
					sum = sum.Add(parseShown(t, row[c]))
				}
				if got := parseShown(t, tab.Total[c]); !got.Equal(sum) {
					t.Errorf("column %s: total %s, the rows sum to %s", tab.Header[c], got, sum)
				}
			}
			var fee, total compute.Money
			for _, r := range tt.a.Rows {
				fee, total = fee+r.Fee, total+r.Total
			}
			if got, want := l.Summary[3][1], strings.ReplaceAll(tab.Total[4], "\u00a0", "")+"€"; strings.ReplaceAll(got, "\u00a0", "") != want {
				t.Errorf("summary fees %q, totals row %q", got, want)
			}
			if got, want := strings.ReplaceAll(l.Summary[4][1], "\u00a0", " "), strings.ReplaceAll(tab.Total[10], "\u00a0", " ")+" €"; got != want {
				t.Errorf("summary invoiced %q, totals row %q", got, want)
			}
			if got, want := parseShown(t, tab.Total[10]), total.Decimal(); !got.Equal(want) {
				t.Errorf("total %s, want %s", got, want)
			}
		})
	}
}

// TestFeeAppendixMembers: a joint authority's and a county's municipalities
// are listed under their names; a municipality has no such line.
func TestFeeAppendixMembers(t *testing.T) {
	l, err := manyFeeAppendix(t).layout()
	if err != nil {
		t.Fatal(err)
	}
	notes := l.Table.Notes
	if got, want := notes[0], "Kunnat (6): Hyvinkää, Järvenpää, Mäntsälä, Nurmijärvi, Pornainen, Tuusula"; got != want {
		t.Errorf("Keusote's members = %q, want %q", got, want)
	}
	if notes[1] != "" {
		t.Errorf("Helsinki has members %q", notes[1])
	}
	if got := notes[3]; !strings.HasPrefix(got, "Kunnat (24): Aura, Kaarina,") || !strings.HasSuffix(got, ", Taivassalo") {
		t.Errorf("the county's members = %q", got)
	}
	helsinki := feeAppendix(t, "fi")
	helsinki.Rows = helsinki.Rows[1:2]
	l, err = helsinki.layout()
	if err != nil {
		t.Fatal(err)
	}
	if l.Table.Notes != nil {
		t.Errorf("notes without members: %q", l.Table.Notes)
	}
}

// TestFeeAppendixRejects: an appendix whose numbers do not add up, or that
// cannot be written in its language, is an error, not a document.
func TestFeeAppendixRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *FeeAppendix)
		want   string
	}{
		{"net is not the sum of the lines", func(a *FeeAppendix) { a.Rows[0].Other++ }, "Keski-Uudenmaan sote-kuntayhtymä: net"},
		{"total is not net plus VAT", func(a *FeeAppendix) { a.Rows[1].VAT++ }, "Helsingin kaupunki: total"},
		{"thirteen months", func(a *FeeAppendix) { a.Rows[2].Months = 13 }, "13 billed months"},
		{"negative rate", func(a *FeeAppendix) { a.Rate = a.Rate.Neg() }, "negative"},
		{"unknown language", func(a *FeeAppendix) { a.Lang = "de" }, `"de"`},
		{"unknown input", func(a *FeeAppendix) { a.Inputs[0].Role = "budget" }, "input_budget"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := feeAppendix(t, "fi")
			tt.change(a)
			if _, err := FeeAppendixPDF(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PDF: error %v, want one with %q", err, tt.want)
			}
			if _, err := FeeAppendixXLSX(a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("XLSX: error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// pdfText checks a PDF with qpdf and pdffonts and returns its text.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rendered.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(needTool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	fonts, err := exec.Command(needTool(t, "pdffonts"), path).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")
	if len(lines) < 4 { // two header lines, regular and bold
		t.Errorf("pdffonts lists too few fonts:\n%s", fonts)
	}
	for _, l := range lines[2:] {
		if f := strings.Fields(l); len(f) < 5 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
	text, err := exec.Command(needTool(t, "pdftotext"), "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(text), "\u00a0", " ")
}

// TestFeeAppendixPDF checks the rendered PDF as a reader would: valid, fonts
// embedded, every subscriber, amount and invoice number in its text, and the
// same bytes every time.
func TestFeeAppendixPDF(t *testing.T) {
	a := feeAppendix(t, "fi")
	pdf, err := FeeAppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		again, err := FeeAppendixPDF(a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pdf, again) {
			t.Fatalf("rendering %d of the same appendix differs from the first", i+2)
		}
	}
	s := pdfText(t, pdf)
	want := []string{
		"Käyttömaksut 1.1.–31.12.2023", "Keski-Uudenmaan sote-kuntayhtymä · Liite",
		"0,058 € / asukas / vuosi", "31.12.2022",
		"Keski-Uudenmaan sote-kuntayhtymä", "Helsingin kaupunki", "Satakunnan hyvinvointialue",
		"Kunnat (6): Hyvinkää", "Tuusula", "Kunnat (16): Eura", "Ulvila",
		"11 712,52", "38 190,51", "7 176,83", "12,50", "750,00", "1 240,00", "297,60",
		"Yhteensä", "1 072 520", "57 079,86", "59 547,46",
		"Laadittu 1.1.2024", "Sivu 1 (", "SHA-256 " + strings.Repeat("ef", 32), "Tuntikirjaukset",
	}
	for _, r := range a.Rows {
		want = append(want, r.Invoice)
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", s)
	}
}

// TestFeeAppendixPDFPages: a long table runs over pages with its header on
// each, and a county's 24 municipalities are all printed.
func TestFeeAppendixPDFPages(t *testing.T) {
	a := manyFeeAppendix(t)
	pdf, err := FeeAppendixPDF(a)
	if err != nil {
		t.Fatal(err)
	}
	s := pdfText(t, pdf)
	pages := strings.Split(s, "\f")
	if len(pages) < 3 { // two pages and the empty text after the last form feed
		t.Fatalf("%d pages of text, want at least 2", len(pages)-1)
	}
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, fmt.Sprintf("Sivu %d (%d)", i+1, len(pages)-1)) {
			t.Errorf("page %d lacks its number", i+1)
		}
	}
	if !strings.Contains(pages[1], "Tilaaja") {
		t.Error("the second page does not repeat the table's header")
	}
	for _, m := range countyMembers {
		if !strings.Contains(s, m) {
			t.Errorf("the county's %s is not printed", m)
		}
	}
	for _, w := range []string{"Esimerkkikunta 36", "LST-2023-000140", "Yhteensä"} {
		if !strings.Contains(s, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

// TestFeeAppendixXLSX opens the workbook as a spreadsheet program would: the
// cells hold the rows' numbers and the totals row's SUM formulas evaluate to
// their sums.
func TestFeeAppendixXLSX(t *testing.T) {
	a := feeAppendix(t, "fi")
	data, err := FeeAppendixXLSX(a)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 { // excelize writes its parts in map order
		again, err := FeeAppendixXLSX(a)
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
	if got := strings.Join(f.GetSheetList(), "|"); got != "Käyttömaksut|Lähtötiedot" {
		t.Fatalf("sheets = %s", got)
	}
	sheet := "Käyttömaksut"
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[3], "|"); got != "Tilaaja|Kunnat|Asukkaat|Kk|Vuosimaksu €|Kauden maksu €|Tunnit|Tuntityö €|Muut rivit €|Veroton €|ALV €|Yhteensä €|Laskun numero" {
		t.Errorf("header = %s", got)
	}
	for _, c := range []struct {
		row  int
		want string
	}{
		{4, "Keski-Uudenmaan sote-kuntayhtymä|Hyvinkää, Järvenpää, Mäntsälä, Nurmijärvi, Pornainen, Tuusula|201940|12|11712.52|11712.52|12.5|750|0|12462.52|180|12642.52|LST-2023-000101"},
		{5, "Helsingin kaupunki||658457|12|38190.51|38190.51|0|0|1240|39430.51|297.6|39728.11|LST-2023-000102"},
		{6, "Satakunnan hyvinvointialue|" + strings.Join(satakuntaMembers, ", ") + "|212123|7|7176.83|7176.83|0|0|0|7176.83|0|7176.83|LST-2023-000103"},
	} {
		if got := strings.Join(rows[c.row], "|"); got != c.want {
			t.Errorf("row %d = %s\nwant %s", c.row+1, got, c.want)
		}
	}
	for _, c := range []struct{ ref, formula, want string }{
		{"C8", "SUM(C5:C7)", "1072520"},
		{"E8", "SUM(E5:E7)", "57079.86"},
		{"F8", "SUM(F5:F7)", "57079.86"},
		{"G8", "SUM(G5:G7)", "12.5"},
		{"H8", "SUM(H5:H7)", "750"},
		{"I8", "SUM(I5:I7)", "1240"},
		{"J8", "SUM(J5:J7)", "59069.86"},
		{"K8", "SUM(K5:K7)", "477.6"},
		{"L8", "SUM(L5:L7)", "59547.46"},
	} {
		formula, err := f.GetCellFormula(sheet, c.ref)
		if err != nil || formula != c.formula {
			t.Errorf("%s formula = %q, %v; want %s", c.ref, formula, err, c.formula)
		}
		got, err := f.CalcCellValue(sheet, c.ref, excelize.Options{RawCellValue: true})
		if err != nil || got != c.want {
			t.Errorf("%s = %q, %v; want %s", c.ref, got, err, c.want)
		}
	}
	if got, _ := f.GetCellValue(sheet, "A8"); got != "Yhteensä" {
		t.Errorf("A8 = %q", got)
	}
	for ref, want := range map[string]string{"E5": "#,##0.00", "C5": "#,##0", "G5": "0.00"} {
		style, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(style)
		if err != nil || s.CustomNumFmt == nil || *s.CustomNumFmt != want {
			t.Errorf("%s's number format is not %s (%v)", ref, want, err)
		}
	}

	inputs, err := f.GetRows("Lähtötiedot", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(inputs[3], "|"); got != "Käyttömaksu|0.058|0,058 € / asukas / vuosi" {
		t.Errorf("rate row = %s", got)
	}
	var found bool
	for _, r := range inputs {
		if len(r) == 3 && r[0] == "Tuntikirjaukset" && r[2] == strings.Repeat("ef", 32) {
			found = true
		}
	}
	if !found {
		t.Errorf("the inputs sheet lacks the hours log: %q", inputs)
	}
}
