package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// finvoiceSchema is the Finvoice 3.0 schema beside the project.
const finvoiceSchema = "../../../shared/reference/finvoice/Finvoice3.0.xsd"

// finvoiceFields is what the test reads back of a message.
type finvoiceFields struct {
	Receiver string `xml:"MessageTransmissionDetails>MessageReceiverDetails>ToIdentifier"`
	Details  struct {
		TypeCode string `xml:"InvoiceTypeCode"`
		Number   string `xml:"InvoiceNumber"`
		Date     string `xml:"InvoiceDate"`
		Net      string `xml:"InvoiceTotalVatExcludedAmount"`
		VAT      string `xml:"InvoiceTotalVatAmount"`
		Total    string `xml:"InvoiceTotalVatIncludedAmount"`
		Due      string `xml:"PaymentTermsDetails>InvoiceDueDate"`
	} `xml:"InvoiceDetails"`
	Barcode string `xml:"VirtualBankBarcode"`
	Rows    []struct {
		Amount string `xml:"RowAmount"`
	} `xml:"InvoiceRow"`
	Reference struct {
		Scheme string `xml:"IdentificationSchemeName,attr"`
		Value  string `xml:",chardata"`
	} `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiRemittanceInfoIdentifier"`
	Amount string `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiInstructedAmount"`
}

// comma writes a manifest amount ("1835.94") as Finvoice does ("1835,94").
func comma(s string) string { return strings.Replace(s, ".", ",", 1) }

// compact writes an ISO date as Finvoice does (CCYYMMDD).
func compact(d string) string { return strings.ReplaceAll(d, "-", "") }

// TestRunEInvoices: every invoice of a cycle has a Finvoice 3.0 message
// beside its PDF that the schema accepts and that carries the manifest's
// numbers; the e-invoice-only payer's is also in einvoices/.
func TestRunEInvoices(t *testing.T) {
	needShared(t, finvoiceSchema)
	xmllint := needTool(t, "xmllint")
	out := t.TempDir()
	runCycle(t, exampleConfig, out, 1)
	folder := filepath.Join(out, schemeFolder, "2021-01")
	m := readRunManifest(t, filepath.Join(folder, "manifest.json"))

	raw, err := os.ReadFile(filepath.Join(folder, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var paths struct {
		Documents []struct{ PDF, Finvoice string }
	}
	if err := json.Unmarshal(raw, &paths); err != nil {
		t.Fatal(err)
	}
	args := []string{"--noout", "--schema", finvoiceSchema}
	for i, d := range m.Documents {
		p := paths.Documents[i]
		if p.Finvoice != strings.TrimSuffix(p.PDF, ".pdf")+".xml" {
			t.Errorf("%s: Finvoice %q does not mirror the PDF %q", d.Number, p.Finvoice, p.PDF)
		}
		file := filepath.Join(folder, p.Finvoice)
		args = append(args, file)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f finvoiceFields
		if err := xml.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got := []string{f.Details.TypeCode, f.Details.Number, f.Details.Date, f.Details.Net, f.Details.VAT, f.Details.Total,
			f.Details.Due, f.Barcode, f.Reference.Scheme, f.Reference.Value, f.Amount}
		want := []string{"INV01", d.Number, compact(d.IssueDate), comma(d.Net.String()), comma(d.VAT.String()), comma(d.Total.String()),
			compact(d.DueDate), d.VirtualBarcode, "SPY", d.Reference, comma(d.Total.String())}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s: Finvoice field %d = %q, the manifest's %q", d.Number, k, got[k], want[k])
			}
		}
		if len(f.Rows) != len(d.Lines) {
			t.Errorf("%s: %d rows, %d lines", d.Number, len(f.Rows), len(d.Lines))
		}
		receiver := ""
		if d.Payer == "853" {
			receiver = "003702048198"
			collected, err := os.ReadFile(filepath.Join(folder, "einvoices", filepath.Base(p.Finvoice)))
			if err != nil || !bytes.Equal(collected, data) {
				t.Errorf("Turku (e-invoice only): einvoices/ copy: %v, equal %v", err, bytes.Equal(collected, data))
			}
		}
		if f.Receiver != receiver {
			t.Errorf("%s: receiver %q, want %q", d.Number, f.Receiver, receiver)
		}
	}
	if out, err := exec.Command(xmllint, args...).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(folder, "einvoices")); len(entries) != 1 {
		t.Errorf("einvoices/ holds %d files, want Turku's only", len(entries))
	}
}

// TestRunRefusesUnwritableEInvoices: a configuration whose invoices cannot
// be written as valid e-invoices is refused by validate and by run, with the
// payer and the field named, before anything is numbered or written.
func TestRunRefusesUnwritableEInvoices(t *testing.T) {
	orig, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Pitkä ", 12) + "kunta" // 77 characters
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"unit too long", `name = "Vehmaa"`, `name = "Vehmaa"` + "\nunit = \"" + long + " " + long + `"`, []string{"918", "buyer", "35"}},
		{"street too long", `street = "PL 1"` + "\npostcode = \"23200\"", `street = "` + long + `"` + "\npostcode = \"23200\"", []string{"918", "street", "35"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyExample(t)
			config := filepath.Join(dir, "kuntalasku.toml")
			if !bytes.Contains(orig, []byte(tt.old)) {
				t.Fatalf("the example has no %q", tt.old)
			}
			if err := os.WriteFile(config, bytes.Replace(orig, []byte(tt.old), []byte(tt.new), 1), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			for _, args := range [][]string{
				{"validate", "--config", config},
				{"run", "--config", config, "--cycle", "2021-01", "--issue-date", "2021-02-01", "--out", out},
			} {
				r := run(t, nil, args...)
				if r.code != exitInput {
					t.Fatalf("%s: exit %d, want 3\n%s", args[0], r.code, r.stderr)
				}
				for _, w := range tt.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: the message does not say %q:\n%s", args[0], w, r.stderr)
					}
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused run wrote %s", out)
			}
		})
	}
}
