package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// testSeller is the example's placeholder seller.
var testSeller = Party{
	Name: "Esimerkkikaupunki", Unit: "Hyvinvointitoimiala / Ikääntyneiden palveluohjaus",
	Street: "Esimerkkikatu 1", Postcode: "20100", City: "Turku",
	BusinessID: "1234567-1", VATNumber: "FI12345671",
	EInvoiceAddress: "003712345671", EInvoiceOperator: "NDEAFIHH",
	IBAN: "FI2112345600000785", BIC: "NDEAFIHH",
	ContactName: "Laskutus", ContactEmail: "laskutus@example.fi", ContactPhone: "+358 2 123 4567",
}

// buyers are the test invoices' payers: Turku in Finnish, Pargas in
// Swedish, Aura in English.
var services = map[string]string{
	"fi": "Ikääntyneiden keskitetty asiakas- ja palveluohjaus",
	"sv": "Centraliserad klient- och servicehandledning för äldre",
	"en": "Centralised client and service guidance for older people",
}

var buyers = map[string]Party{
	"fi": {Name: "Turun kaupunki", Unit: "Hyvinvointitoimiala", Street: "PL 355", Postcode: "20101", City: "Turku", BusinessID: "0204819-8", EInvoiceAddress: "003702048198", EInvoiceOperator: "003721291126"},
	"sv": {Name: "Pargas stad", Street: "Strandvägen 28", Postcode: "21600", City: "Pargas", BusinessID: "0136751-4"},
	"en": {Name: "Auran kunta", Street: "Aurantie 1", Postcode: "21380", City: "Aura", BusinessID: "0135202-4"},
}

// payerOf are the allocation lines of the test buyers.
var payerOf = map[string]int{"fi": 24, "sv": 15, "en": 0}

// testInvoice is Turku's (or, in Swedish, Pargas's) invoice of a cycle of the
// seed: the lines of its allocation line, the reference of invoice 123.
func testInvoice(t *testing.T, lang string) *Invoice {
	t.Helper()
	a := cycleAppendix(t, lang)
	line := a.Allocation.Lines[payerOf[lang]]
	from, to := compute.Date{Year: 2021, Month: 3, Day: 1}, compute.Date{Year: 2021, Month: 3, Day: 31}
	lines, err := CostSharingLines(lang, line, a.Allocation, 75, from, to, decimal.Zero)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := compute.SchemeReference(1, 2021, 123)
	if err != nil {
		t.Fatal(err)
	}
	return &Invoice{
		Lang: lang, Number: "VSA-2021-000123",
		IssueDate: compute.Date{Year: 2021, Month: 4, Day: 1}, DueDate: compute.Date{Year: 2021, Month: 4, Day: 15}, PaymentDays: 14,
		From: from, To: to, Seller: testSeller,
		Service:   services[lang],
		Buyer:     buyers[lang],
		Reference: ref, Lines: lines,
		Created: time.Date(2021, 4, 1, 6, 0, 0, 0, time.UTC),
	}
}

// testCredit is the credit note of a test invoice.
func testCredit(t *testing.T, lang string) *Invoice {
	t.Helper()
	inv := testInvoice(t, lang)
	inv.Number = "VSA-2021-000150"
	inv.IssueDate = compute.Date{Year: 2021, Month: 4, Day: 20}
	inv.DueDate, inv.PaymentDays = compute.Date{}, 0
	inv.Credit = &Credit{Number: "VSA-2021-000123", Date: compute.Date{Year: 2021, Month: 4, Day: 1}, Reason: "Korjattu suoriteloki"}
	for i := range inv.Lines {
		inv.Lines[i].Quantity = decimal.NewFromInt(-1)
		inv.Lines[i].Net = -inv.Lines[i].Net
	}
	return inv
}

// invoiceCases are the documents the tests render.
func invoiceCases(t *testing.T) map[string]*Invoice {
	return map[string]*Invoice{
		"invoice-fi": testInvoice(t, "fi"), "invoice-sv": testInvoice(t, "sv"),
		"invoice-en": testInvoice(t, "en"), "credit-fi": testCredit(t, "fi"),
		"credit-sv": testCredit(t, "sv"), "credit-en": testCredit(t, "en"),
	}
}

func TestInvoiceLayoutGolden(t *testing.T) {
	for name, inv := range invoiceCases(t) {
		t.Run(name, func(t *testing.T) {
			l, err := inv.layout()
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(l, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(append(got, '\n')) != string(want) {
				t.Errorf("layout differs from %s (run with -update after checking the change):\n%s", golden, got)
			}
		})
	}
}

// TestInvoiceAmounts checks the sums a payer sees: the lines add up to the
// allocation line's total, and the barcode carries that amount.
func TestInvoiceAmounts(t *testing.T) {
	for lang, payer := range payerOf {
		inv := testInvoice(t, lang)
		a := cycleAppendix(t, lang)
		net, vat, _, err := inv.Totals()
		if err != nil {
			t.Fatal(err)
		}
		if want := a.Allocation.Lines[payer].Total; net != want || vat != 0 {
			t.Errorf("%s: net %s, VAT %s; want %s and 0", lang, net, vat, want)
		}
		l, err := inv.layout()
		if err != nil {
			t.Fatal(err)
		}
		cents := fmt.Sprintf("%08d", int64(net))
		if b := l.Slip.Barcode; len(b) != 54 || b[0] != '4' || b[17:25] != cents || b[48:] != "210415" {
			t.Errorf("%s: barcode %s, want version 4 with %s and due 210415", lang, b, cents)
		}
	}
	credit, err := testCredit(t, "fi").layout()
	if err != nil {
		t.Fatal(err)
	}
	if credit.Slip != nil {
		t.Error("a credit note has a payment slip")
	}
	// An amount the barcode cannot carry: the slip says so and has no bars.
	big := testInvoice(t, "fi")
	big.Lines[0].UnitPrice, big.Lines[0].Net = compute.MaxBarcodeAmount, compute.MaxBarcodeAmount
	l, err := big.layout()
	if err != nil {
		t.Fatal(err)
	}
	if l.Slip.Barcode != "" || !strings.Contains(l.Slip.NoBarcode, "999 999,99") {
		t.Errorf("slip of %s: %+v", l.Totals[2][1], l.Slip)
	}
}

// TestInvoicePDF renders each document and checks what a reader of the PDF
// sees. With KUNTALASKU_LOOK=DIR the PDFs are also written there.
func TestInvoicePDF(t *testing.T) {
	look := os.Getenv("KUNTALASKU_LOOK")
	for name, inv := range invoiceCases(t) {
		t.Run(name, func(t *testing.T) {
			data, err := InvoicePDF(inv)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := InvoicePDF(inv)
			if !bytes.Equal(data, again) {
				t.Error("two renderings differ")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, name+".pdf")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if look != "" {
				os.WriteFile(filepath.Join(look, name+".pdf"), data, 0o644)
			}
			if out, err := exec.Command(needTool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
				t.Fatalf("qpdf --check: %v\n%s", err, out)
			}
			fonts, err := exec.Command(needTool(t, "pdffonts"), path).Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(fonts), "\n")[2:] {
				if f := strings.Fields(line); len(f) >= 5 && f[len(f)-5] != "yes" {
					t.Errorf("font not embedded: %s", line)
				}
			}
			text, err := exec.Command(needTool(t, "pdftotext"), "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			l, err := inv.layout()
			if err != nil {
				t.Fatal(err)
			}
			want := []string{inv.Buyer.Name, l.Totals[2][1], inv.Reference.Grouped(), inv.Number, l.Title}
			if inv.IsCredit() {
				want = append(want, l.Data[len(l.Data)-1][1], "Korjattu suoriteloki", l.Notes[len(l.Notes)-1])
			} else {
				want = append(want, l.Slip.Barcode, l.Slip.Amount, "Saajan tilinumero / Mottagarens kontonummer", "FI21 1234 5600 0007 85")
			}
			for _, w := range want {
				if !strings.Contains(string(text), strings.ReplaceAll(w, "\u00a0", " ")) {
					t.Errorf("the PDF's text lacks %q", w)
				}
			}
			if inv.IsCredit() && (strings.Contains(string(text), "Eräpäivä") || strings.Contains(string(text), inv.DueDate.String())) {
				t.Error("a credit note shows a due date or a payment slip")
			}
		})
	}
}

// TestInvoiceBarcodeDecodes renders page 1 at 300 dpi and reads the bank
// barcode back with zbarimg: it must be the 54 digits, in Code 128. The QR
// code must read back field by field; the Swedish invoice's beneficiary has
// letters outside ASCII, which the EPC QR code carries as UTF-8.
func TestInvoiceBarcodeDecodes(t *testing.T) {
	for _, lang := range []string{"fi", "sv"} {
		inv := testInvoice(t, lang)
		if lang == "sv" {
			inv.Seller.Name = "Åbo stad – Äldreomsorgens tjänster"
		}
		l, err := inv.layout()
		if err != nil {
			t.Fatal(err)
		}
		data, err := InvoicePDF(inv)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "invoice.pdf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(needTool(t, "pdftoppm"), "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		page := filepath.Join(dir, "page-1.png")
		out, err := exec.Command(needTool(t, "zbarimg"), "--quiet", "-Sdisable", "-Scode128.enable", page).Output()
		if err != nil {
			t.Fatalf("zbarimg found no barcode: %v", err)
		}
		if got, want := strings.TrimSpace(string(out)), "CODE-128:"+l.Slip.Barcode; got != want {
			t.Errorf("%s: decoded %q, want %q", lang, got, want)
		}

		// The EPC QR code beside it, field by field.
		out, err = exec.Command(needTool(t, "zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", page).Output()
		if err != nil {
			t.Fatalf("zbarimg found no QR code: %v", err)
		}
		fields := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		net, vat, _, err := inv.Totals()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"BCD", "001", "1", "SCT", "NDEAFIHH", inv.Seller.Name, "FI2112345600000785",
			"EUR" + (net + vat).String(), "", inv.Reference.RF(), "", "ReqdExctnDt/2021-04-15"}
		if len(fields) != len(want) {
			t.Fatalf("%s: QR code holds %d fields, want %d: %q", lang, len(fields), len(want), fields)
		}
		for i := range want {
			if fields[i] != want[i] {
				t.Errorf("%s: QR field %d = %q, want %q", lang, i+1, fields[i], want[i])
			}
		}
	}
}

// TestStatedVAT: a difference document states its VAT per rate — the
// difference of two documents' VAT — instead of computing it on the
// difference, which can miss by a cent: 24 % of 100,02 is 24,00 and of
// 100,04 is 24,01, but 24 % of the difference 0,02 is 0,00.
func TestStatedVAT(t *testing.T) {
	rate := decimal.NewFromInt(24)
	line := InvoiceLine{Kind: LineWork, Description: "Työ", Quantity: decimal.NewFromInt(1), Unit: UnitLot, UnitPrice: 2, VATRate: rate, Net: 2}
	inv := &Invoice{Lines: []InvoiceLine{line}}
	if _, vat, _, err := inv.Totals(); err != nil || vat != 0 {
		t.Fatalf("computed: VAT %s, %v; want 0.00", vat, err)
	}
	inv.StatedVAT = map[string]compute.Money{"24": 1}
	net, vat, rows, err := inv.Totals()
	if err != nil || net != 2 || vat != 1 || len(rows) != 1 || rows[0].VAT != 1 || rows[0].Base != 2 {
		t.Errorf("stated: net %s VAT %s rows %+v, %v; want 0.02, 0.01", net, vat, rows, err)
	}
	inv.StatedVAT = map[string]compute.Money{"25.5": 1}
	if _, _, _, err := inv.Totals(); err == nil {
		t.Error("VAT stated for another rate than the lines': no error")
	}
	inv.StatedVAT = map[string]compute.Money{"24": 1, "10": 0}
	if _, _, _, err := inv.Totals(); err == nil {
		t.Error("VAT stated for a rate without lines: no error")
	}
}

// TestSplitTextKeepsNumbers: a line's basis wraps at spaces but never inside
// an amount, whose thousands are grouped with no-break spaces.
func TestSplitTextKeepsNumbers(t *testing.T) {
	pdf := newPDF(time.Date(2022, 2, 15, 0, 0, 0, 0, time.UTC), "test", "test")
	pdf.AddPage()
	pdf.SetFont(fontFamily, "", 7.5)
	amounts := []string{"1\u00a0826,91\u00a0€", "1\u00a0928,27\u00a0€"}
	s := "Lopullinen osuus " + amounts[0] + " − laskutettu " + amounts[1]
	for w := 25.0; w <= 120; w += 0.5 {
		lines := splitText(pdf, s, w)
		joined := strings.Join(lines, " ")
		if joined != s {
			t.Fatalf("width %v: the lines %q do not rejoin to the text", w, lines)
		}
		for _, a := range amounts {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, a)
			}
			if !found {
				t.Errorf("width %v: %q is split across %q", w, a, lines)
			}
		}
		for _, l := range lines {
			if pdf.GetStringWidth(l) > w-2*pdf.GetCellMargin() && strings.Contains(l, " ") {
				t.Errorf("width %v: %q is wider than the column", w, l)
			}
		}
	}
}
