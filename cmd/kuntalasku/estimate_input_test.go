package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// examplePopulation returns the shipped example population file's lines
// (ISO-8859-1 bytes, CRLF), to derive broken files from.
func examplePopulation(t *testing.T) [][]byte {
	t.Helper()
	data, err := os.ReadFile("../../examples/varsinais-suomi/population-11re-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(data, []byte("\r\n"))
}

func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

// TestEstimateBadPopulation feeds broken population files: each must exit 3
// with a message naming the file, the row and the column where they apply,
// and must write nothing.
func TestEstimateBadPopulation(t *testing.T) {
	lines := examplePopulation(t)
	join := func(ls [][]byte) []byte { return bytes.Join(ls, nil) }
	replaceLine := func(i int, s string) []byte {
		c := append([][]byte(nil), lines...)
		c[i] = append(latin1(s), '\r', '\n')
		return join(c)
	}
	withoutAura := func() []byte {
		var c [][]byte
		for _, l := range lines {
			if !bytes.HasPrefix(l, []byte(`"Aura";`)) {
				c = append(c, l)
			}
		}
		return join(c)
	}
	tests := []struct {
		name string
		data []byte
		want []string // all must appear in the message
	}{
		{"wrong columns", replaceLine(2, `"Alue";"Age group";"Yhteensä 2019 Väestö 31.12."`), []string{"row 3", "Ikä"}},
		{"missing municipality", withoutAura(), []string{"019 Aura", "not in the file"}},
		{"missing year", bytes.ReplaceAll(join(lines), []byte(" 2019 "), []byte(" 2018 ")), []string{"31.12.2019", "2018, 2020"}},
		{"text in a number cell", replaceLine(5, `"Aura";"1";39;4x1;19;20;20;21`), []string{"row 6", "column 4", "2020", `"4x1"`}},
		{"negative number", replaceLine(5, `"Aura";"1";39;41;-19;20;20;21`), []string{"row 6", "column 5", `"-19"`}},
		{"empty file", nil, []string{"empty"}},
		{"header only", join(lines[:3]), []string{"no data rows"}},
		{"binary garbage", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 0xff, 0x13}, 200)...), []string{"not a text file"}},
		{"ages do not sum to the total", replaceLine(4, `"Aura";"0";34;34;16;17;17;17`), []string{"Aura", "row 4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pop := filepath.Join(dir, "population.csv")
			if err := os.WriteFile(pop, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			estimateFails(t, pop, filepath.Join(dir, "out"), tt.want)
		})
	}
}

// estimateFails runs the estimate of the example on the population file pop:
// it must exit 3 with a message naming pop and containing each of want, and
// write nothing to out.
func estimateFails(t *testing.T, pop, out string, want []string) {
	t.Helper()
	r := run(t, nil, "estimate", "--config", exampleConfig, "--population", pop, "--out", out)
	if r.code != exitInput {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitInput, r.stderr)
	}
	for _, w := range append(want, pop) {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("message does not contain %q:\n%s", w, r.stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output folder was created (%v): bad input must write nothing", err)
	}
}

// TestEstimateBadConfiguration breaks the example configuration one key at a
// time: exit 3, the key named, nothing written.
func TestEstimateBadConfiguration(t *testing.T) {
	orig, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	popPath, _ := filepath.Abs("../../examples/varsinais-suomi/population-11re-synthetic.csv")
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"bad business ID", `business_id = "1234567-1"`, `business_id = "1234567-8"`, []string{"seller.business_id", "check digit"}},
		{"bad IBAN", `iban = "FI21 1234 5600 0007 85"`, `iban = "FI21 1234 5600 0007 86"`, []string{"seller.iban", "mod 97"}},
		{"unknown key", `age_limit = 75`, "age_limit = 75\nage_limt = 76", []string{"cost_sharing.age_limt", "unknown key"}},
		{"float budget", `budget = "284602.00"`, `budget = 284602.00`, []string{"line", "in quotes"}},
		{"budget of 0", `budget = "284602.00"`, `budget = "0"`, []string{"cost_sharing.budget", "more than 0"}},
		{"thousands separator", `budget = "284602.00"`, `budget = "284 602,00"`, []string{"thousands separators"}},
		{"weights not 100", `activity_weight = "30"`, `activity_weight = "40"`, []string{"add up to 100"}},
		{"impossible date", `period_end = 2021-11-30`, `period_end = 2021-11-31`, []string{"line"}},
		{"duplicate payer", `id = "918"`, `id = "853"`, []string{`"853" is also payers[25]`}},
		{"bad payer code", `id = "019"`, `id = "19"`, []string{"payers[1] (Aura).id", "three-digit"}},
		{"TOML syntax", `[seller]`, `[seller`, []string{"line"}},
		{"payer without address", "street = \"PL 1\"\npostcode = \"21380\"\n", "", []string{"payers[1] (Aura).street", "payers[1] (Aura).postcode", "buyer's address"}},
		{"payer business ID", `postcode = "21380"`, "postcode = \"21380\"\nbusiness_id = \"0204819-9\"", []string{"payers[1] (Aura).business_id", "check digit"}},
		{"payer e-invoice address without operator", `postcode = "21380"`, "postcode = \"21380\"\neinvoice_address = \"003702048198\"", []string{"payers[1] (Aura).einvoice_address", "operator"}},
		{"payer payment days", `postcode = "21380"`, "postcode = \"21380\"\npayment_days = 120", []string{"payers[1] (Aura).payment_days", "0 to 90"}},
		{"VAT rate", `vat_rate = "0"`, `vat_rate = "-24"`, []string{"cost_sharing.vat_rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(orig, []byte(tt.old)) {
				t.Fatalf("the example configuration has no %q", tt.old)
			}
			dir := t.TempDir()
			cfg := filepath.Join(dir, "kuntalasku.toml")
			if err := os.WriteFile(cfg, bytes.Replace(orig, []byte(tt.old), []byte(tt.new), 1), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			r := run(t, nil, "estimate", "--config", cfg, "--population", popPath, "--out", out)
			if r.code != exitInput {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitInput, r.stderr)
			}
			for _, w := range append(tt.want, cfg) {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("message does not contain %q:\n%s", w, r.stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder was created: bad configuration must write nothing")
			}
		})
	}
}

func TestEstimateMissingFiles(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"estimate", "--config", filepath.Join(dir, "nope.toml")},
		{"estimate", "--config", exampleConfig, "--population", filepath.Join(dir, "nope.csv"), "--out", filepath.Join(dir, "out")},
	} {
		r := run(t, nil, args...)
		missing := strings.Contains(r.stderr, "no such file") || strings.Contains(r.stderr, "does not exist")
		if r.code != exitInput || !strings.Contains(r.stderr, "nope.") || !missing {
			t.Errorf("%v: exit %d, stderr %q; want exit 3 naming the file and saying it is missing", args, r.code, r.stderr)
		}
	}
}
