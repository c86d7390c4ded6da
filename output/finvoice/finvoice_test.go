package finvoice

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// schemaPath is the Finvoice 3.0 schema, relative to this package.
const schemaPath = "../../../shared/reference/finvoice/Finvoice3.0.xsd"

// Business IDs from reference/finnish-payments.md's valid list.
var testSeller = Party{
	Name: "Esimerkkikaupunki", Unit: "Hyvinvointitoimiala / Ikääntyneiden palveluohjaus",
	Street: "Esimerkkikatu 1", Postcode: "20100", City: "Turku",
	BusinessID: "2617416-4", VATNumber: "FI26174164",
	EInvoiceAddress: "003726174164", Operator: "003721291126",
	ContactName: "Laskutus", Email: "laskutus@example.fi", Phone: "+358 2 123 4567",
}

var testBuyers = map[string]Party{
	"fi": {Name: "Turun kaupunki", Unit: "Hyvinvointitoimiala", Street: "PL 355", Postcode: "20101", City: "Turku",
		BusinessID: "1572860-0", VATNumber: "FI15728600", EInvoiceAddress: "003715728600", Operator: "003721291126"},
	"sv": {Name: "Pargas stad", Street: "Strandvägen 28", Postcode: "21600", City: "Pargas", BusinessID: "0112038-9"},
	"en": {Name: "Auran kunta", Street: "Aurantie 1", Postcode: "21380", City: "Aura", BusinessID: "1643256-1",
		EInvoiceAddress: "003716432561", Operator: "NDEAFIHH", ContactName: "Ostot", Email: "ostot@aura.example"},
}

func d(s string) compute.Date {
	v, err := compute.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// finish fills an invoice's totals, VAT rows and virtual barcode from its
// lines, as the pipeline stores them.
func finish(t *testing.T, inv *Invoice) *Invoice {
	t.Helper()
	var nets []compute.Money
	var rates []decimal.Decimal
	inv.Net = 0
	for _, l := range inv.Lines {
		nets, rates = append(nets, l.Net), append(rates, l.VATRate)
		inv.Net += l.Net
	}
	rows, err := compute.VATBreakdown(nets, rates)
	if err != nil {
		t.Fatal(err)
	}
	inv.VATRows, inv.VAT = rows, 0
	for _, r := range rows {
		inv.VAT += r.VAT
	}
	inv.Total = inv.Net + inv.VAT
	inv.VirtualBarcode = ""
	if !inv.Credit {
		code, err := compute.VirtualBarcode(inv.IBAN, inv.Total, inv.Reference, false, inv.DueDate)
		if err != nil {
			t.Fatal(err)
		}
		inv.VirtualBarcode = code
	}
	return inv
}

func reference(t *testing.T, seq int64) compute.Reference {
	t.Helper()
	r, err := compute.SchemeReference(1, 2021, seq)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// costSharingLines are the two lines of the cost-sharing scheme, VAT 0.
func costSharingLines(lang string, q int64) []Line {
	desc := map[string][2]string{
		"fi": {"Väestömäärään perustuva osuus 1.1.–31.1.2021", "Suoritteisiin perustuva osuus 1.1.–31.1.2021"},
		"sv": {"Befolkningsbaserad andel 1.1.–31.1.2021", "Prestationsbaserad andel 1.1.–31.1.2021"},
		"en": {"Population-based part 1 – 31 January 2021", "Activity-based part 1 – 31 January 2021"},
	}[lang]
	basis := map[string][2]string{
		"fi": {"75 vuotta täyttäneet 17\u00a0865 (38,4155\u00a0%)", "Suoritteet 420 (37,9000\u00a0%)"},
		"sv": {"Personer som fyllt 75 år 3\u00a0307 (7,1107\u00a0%)", "Prestationer 80 (7,2202\u00a0%)"},
		"en": {"Residents aged 75+ 1,000 (2.1500%)", "Activities 20 (1.8000%)"},
	}[lang]
	return []Line{
		{Description: desc[0], Basis: basis[0], Quantity: decimal.NewFromInt(q), Unit: UnitLot,
			UnitPrice: 695740, VATRate: decimal.Zero, Net: compute.Money(q) * 695740},
		{Description: desc[1], Basis: basis[1], Quantity: decimal.NewFromInt(q), Unit: UnitLot,
			UnitPrice: 289643, VATRate: decimal.Zero, Net: compute.Money(q) * 289643},
	}
}

// testInvoice is a cost-sharing invoice of January 2021.
func testInvoice(t *testing.T, lang string) *Invoice {
	t.Helper()
	return finish(t, &Invoice{
		Lang: lang, Number: "VSA-2021-000025",
		IssueDate: d("2021-02-01"), DueDate: d("2021-02-15"), PaymentDays: 14,
		From: d("2021-01-01"), To: d("2021-01-31"),
		Service: "Ikääntyneiden keskitetty asiakas- ja palveluohjaus",
		Seller:  testSeller, Buyer: testBuyers[lang],
		BuyerReference: "Hyvinvointi / 4410",
		Reference:      reference(t, 25),
		IBAN:           "FI2112345600000785", BIC: "NDEAFIHH",
		Lines:   costSharingLines(lang, 1),
		Created: time.Date(2021, 2, 1, 6, 30, 0, 0, time.UTC),
	})
}

// testCredit credits testInvoice in full.
func testCredit(t *testing.T, lang string) *Invoice {
	t.Helper()
	inv := testInvoice(t, lang)
	inv.Number = "VSA-2021-000040"
	inv.Credit = true
	inv.OriginalNumber, inv.OriginalDate = "VSA-2021-000025", d("2021-02-01")
	inv.CreditReason = "Korrigerade prestationsloggar"
	inv.IssueDate, inv.DueDate, inv.PaymentDays = d("2021-02-20"), compute.Date{}, 0
	inv.Lines = costSharingLines(lang, -1)
	inv.Created = time.Date(2021, 2, 20, 7, 0, 0, 0, time.UTC)
	return finish(t, inv)
}

// testVATInvoice has a line at 25,5 % and one at 0 %: two VAT rows.
func testVATInvoice(t *testing.T, lang string) *Invoice {
	t.Helper()
	inv := testInvoice(t, lang)
	inv.Number = "VSA-2025-000003"
	inv.Reference = reference(t, 3)
	inv.IssueDate, inv.DueDate, inv.PaymentDays = d("2025-03-03"), d("2025-04-02"), 30
	inv.From, inv.To = d("2025-02-01"), d("2025-02-28")
	inv.Service = "Centralised client and service guidance for older people"
	inv.Lines = []Line{
		{Description: "Consultation hours February 2025", Basis: "Hours log 2025-02", Quantity: decimal.RequireFromString("7.5"),
			Unit: UnitHour, UnitPrice: 6000, VATRate: decimal.RequireFromString("25.5"), Net: 45000},
		{Description: "Population-based part 1 – 28 February 2025", Basis: "Residents aged 75+ 1,000 (2.1500%)", Quantity: decimal.NewFromInt(1),
			Unit: UnitLot, UnitPrice: 123456, VATRate: decimal.Zero, Net: 123456},
	}
	inv.Created = time.Date(2025, 3, 3, 5, 0, 0, 0, time.UTC)
	return finish(t, inv)
}

// needTool finds an outside program; it skips the test when the program is
// missing, except on CI (CI set), where that is a failure.
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

// needSchema is the Finvoice schema's path, with needTool's rules.
func needSchema(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(schemaPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Finvoice schema missing on CI: %v", err)
		}
		t.Skipf("Finvoice schema missing: %v", err)
	}
	return schemaPath
}

// validate checks a message against the Finvoice 3.0 schema with xmllint.
func validate(t *testing.T, name string, data []byte) {
	t.Helper()
	xmllint := needTool(t, "xmllint")
	schema := needSchema(t)
	path := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, data)
	}
}

func marshal(t *testing.T, inv *Invoice) []byte {
	t.Helper()
	data, err := Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestMarshalGolden(t *testing.T) {
	tests := []struct {
		name string
		inv  func(*testing.T, string) *Invoice
		lang string
	}{
		{"invoice-fi", testInvoice, "fi"},
		{"credit-sv", testCredit, "sv"},
		{"vat-en", testVATInvoice, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := marshal(t, tt.inv(t, tt.lang))
			validate(t, tt.name, got)
			golden := filepath.Join("testdata", tt.name+".golden.xml")
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
				t.Errorf("message differs from %s (run with -update after checking the change):\n%s", golden, got)
			}
		})
	}
}

// parsed is what TestMarshalRoundTrip reads back from a message.
type parsed struct {
	XMLName xml.Name `xml:"Finvoice"`
	Version string   `xml:"Version,attr"`
	Details struct {
		TypeCode       string `xml:"InvoiceTypeCode"`
		Number         string `xml:"InvoiceNumber"`
		Date           string `xml:"InvoiceDate"`
		OriginalNumber string `xml:"OriginalInvoiceNumber"`
		OriginalDate   string `xml:"OriginalInvoiceDate"`
		Net            string `xml:"InvoiceTotalVatExcludedAmount"`
		VAT            string `xml:"InvoiceTotalVatAmount"`
		Total          string `xml:"InvoiceTotalVatIncludedAmount"`
		VATRows        []struct {
			Base string `xml:"VatBaseAmount"`
			Rate string `xml:"VatRatePercent"`
			Code string `xml:"VatCode"`
			VAT  string `xml:"VatRateAmount"`
		} `xml:"VatSpecificationDetails"`
		DueDate string `xml:"PaymentTermsDetails>InvoiceDueDate"`
	} `xml:"InvoiceDetails"`
	Barcode string `xml:"VirtualBankBarcode"`
	Rows    []struct {
		Quantity string `xml:"InvoicedQuantity"`
		Net      string `xml:"RowVatExcludedAmount"`
	} `xml:"InvoiceRow"`
	Remittance struct {
		Scheme string `xml:"IdentificationSchemeName,attr"`
		Value  string `xml:",chardata"`
	} `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiRemittanceInfoIdentifier"`
	Instructed string `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiInstructedAmount"`
}

func parseMoney(t *testing.T, s string) compute.Money {
	t.Helper()
	m, err := compute.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMarshalRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		inv  *Invoice
	}{
		{"invoice fi", testInvoice(t, "fi")},
		{"invoice sv", testInvoice(t, "sv")},
		{"credit sv", testCredit(t, "sv")},
		{"credit fi", testCredit(t, "fi")},
		{"vat en", testVATInvoice(t, "en")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := tt.inv
			data := marshal(t, inv)
			validate(t, strings.ReplaceAll(tt.name, " ", "-"), data)
			var got parsed
			if err := xml.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			det := got.Details
			wantType, wantDue := "INV01", date(inv.DueDate)
			if inv.Credit {
				wantType, wantDue = "INV02", ""
			}
			checks := []struct{ what, got, want string }{
				{"version", got.Version, "3.0"},
				{"type code", det.TypeCode, wantType},
				{"number", det.Number, inv.Number},
				{"date", det.Date, date(inv.IssueDate)},
				{"original number", det.OriginalNumber, inv.OriginalNumber},
				{"due date", det.DueDate, wantDue},
				{"barcode", got.Barcode, inv.VirtualBarcode},
				{"remittance scheme", got.Remittance.Scheme, "SPY"},
				{"reference", got.Remittance.Value, string(inv.Reference)},
				{"net", parseMoney(t, det.Net).String(), inv.Net.String()},
				{"VAT", parseMoney(t, det.VAT).String(), inv.VAT.String()},
				{"total", parseMoney(t, det.Total).String(), inv.Total.String()},
				{"instructed amount", parseMoney(t, got.Instructed).String(), inv.Total.String()},
			}
			if inv.Credit {
				checks = append(checks, struct{ what, got, want string }{"original date", det.OriginalDate, date(inv.OriginalDate)})
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if len(det.VATRows) != len(inv.VATRows) {
				t.Fatalf("%d VAT rows, want %d", len(det.VATRows), len(inv.VATRows))
			}
			for i, r := range det.VATRows {
				w := inv.VATRows[i]
				rate, err := compute.ParseDecimal(r.Rate)
				if err != nil {
					t.Fatal(err)
				}
				wantCode := "S"
				if w.Rate.IsZero() {
					wantCode = "O"
				}
				if parseMoney(t, r.Base) != w.Base || parseMoney(t, r.VAT) != w.VAT || !rate.Equal(w.Rate) || r.Code != wantCode {
					t.Errorf("VAT row %d = %+v, want %+v (code %s)", i+1, r, w, wantCode)
				}
			}
			if len(got.Rows) != len(inv.Lines) {
				t.Fatalf("%d rows, want %d", len(got.Rows), len(inv.Lines))
			}
			for i, r := range got.Rows {
				q, err := compute.ParseDecimal(r.Quantity)
				if err != nil {
					t.Fatal(err)
				}
				if l := inv.Lines[i]; !q.Equal(l.Quantity) || parseMoney(t, r.Net) != l.Net {
					t.Errorf("row %d = %+v, want quantity %s net %s", i+1, r, l.Quantity, l.Net)
				}
			}
		})
	}
}

func TestMarshalEscapes(t *testing.T) {
	inv := testInvoice(t, "fi")
	inv.Buyer.Name = `Kunta & "Ky" <Oy>`
	inv.Service = `Palvelu <b>& 'muut'`
	inv.Lines[0].Basis = `a < b & c > d`
	data := marshal(t, inv)
	validate(t, "escape", data)
	for _, want := range []string{
		"<BuyerOrganisationName>Kunta &amp; &#34;Ky&#34; &lt;Oy&gt;</BuyerOrganisationName>",
		"<RowFreeText>a &lt; b &amp; c &gt; d</RowFreeText>",
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("message lacks %s", want)
		}
	}
	var got struct {
		Name string   `xml:"BuyerPartyDetails>BuyerOrganisationName"`
		Free []string `xml:"InvoiceDetails>InvoiceFreeText"`
	}
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != inv.Buyer.Name || len(got.Free) == 0 || got.Free[0] != inv.Service {
		t.Errorf("read back name %q, free text %q", got.Name, got.Free)
	}
}

func TestMarshalIsDeterministic(t *testing.T) {
	for _, inv := range []*Invoice{testInvoice(t, "fi"), testCredit(t, "sv"), testVATInvoice(t, "en")} {
		a, b := marshal(t, inv), marshal(t, inv)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", inv.Number)
		}
		if !bytes.HasPrefix(a, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<Finvoice Version=\"3.0\">")) || !bytes.HasSuffix(a, []byte("</Finvoice>\n")) {
			t.Errorf("%s: unexpected start or end:\n%s", inv.Number, a)
		}
	}
}

// TestMarshalWithoutEInvoiceAddress writes no MessageTransmissionDetails for
// a buyer without an e-invoice address, and the message is still valid.
func TestMarshalWithoutEInvoiceAddress(t *testing.T) {
	inv := testInvoice(t, "sv")
	data := marshal(t, inv)
	validate(t, "no-address", data)
	if bytes.Contains(data, []byte("MessageTransmissionDetails")) {
		t.Error("MessageTransmissionDetails written for a buyer without an e-invoice address")
	}
	if data := marshal(t, testInvoice(t, "fi")); !bytes.Contains(data, []byte(`<ToIdentifier SchemeID="0216">003715728600</ToIdentifier>`)) {
		t.Errorf("receiver missing:\n%s", data)
	}
}

// TestTextsFitEveryLanguage checks that the fixed texts of every language
// fit their elements.
func TestTextsFitEveryLanguage(t *testing.T) {
	for _, lang := range []string{"fi", "sv", "en"} {
		for _, inv := range []*Invoice{testInvoice(t, lang), testCredit(t, lang), testVATInvoice(t, lang)} {
			if err := Check(inv); err != nil {
				t.Errorf("%s %s: %v", lang, inv.Number, err)
			}
		}
	}
}
