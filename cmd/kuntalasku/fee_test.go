package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

const lasteriConfig = "../../examples/lasteri/kuntalasku.toml"

// feeManifest is what the tests read of a per-resident run's manifest.
type feeManifest struct {
	Cycle, Rate         string
	PopulationReference string `json:"population_reference"`
	Allocation          []struct {
		Payer      string
		Members    []string
		Population int64
		Months     int
		YearFee    compute.Money `json:"year_fee"`
		Fee        compute.Money
	}
	Documents []struct {
		Number, Payer   string
		Net, VAT, Total compute.Money
		Finvoice        string
		Lines           []struct {
			Description, Quantity string
			VATRate               string        `json:"vat_rate"`
			UnitPrice             compute.Money `json:"unit_price"`
			Net                   compute.Money
		}
	}
}

func readFeeManifest(t *testing.T, path string) feeManifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m feeManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFeeExample invoices the Lasteri example's 2022 and 2023: the fee of a
// joint authority and of a municipality for the whole year, a wellbeing
// services county pro rata from June, onboarding training within two months
// of the start at 0 €, other work at 60 €/h + the VAT of its day.
func TestFeeExample(t *testing.T) {
	out := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1673856000"}
	for _, c := range []struct{ cycle, issue string }{{"2022", "2023-01-16"}, {"2023", "2024-01-15"}} {
		r := run(t, env, "run", "--config", lasteriConfig, "--cycle", c.cycle, "--issue-date", c.issue, "--out", out)
		if r.code != 0 {
			t.Fatalf("run %s: exit %d\n%s%s", c.cycle, r.code, r.stdout, r.stderr)
		}
	}
	m22 := readFeeManifest(t, filepath.Join(out, "lasteri", "2022", "manifest.json"))
	m23 := readFeeManifest(t, filepath.Join(out, "lasteri", "2023", "manifest.json"))
	if m22.Rate != "0.058" || m22.PopulationReference != "2021-12-31" || m23.PopulationReference != "2022-12-31" {
		t.Errorf("rate %q, population dates %s and %s", m22.Rate, m22.PopulationReference, m23.PopulationReference)
	}
	// The example's populations (synthetic): Keusote's six members in 2021
	// sum to 198 319, Helsinki 656 450; in 2022 198 911, 658 412; Satakunta's
	// sixteen 216 637.
	type want struct {
		payer      string
		population int64
		months     int
		fee, total string
	}
	check := func(m feeManifest, wants []want) {
		t.Helper()
		if len(m.Allocation) != len(wants) || len(m.Documents) != len(wants) {
			t.Fatalf("%s: %d rows and %d documents, want %d", m.Cycle, len(m.Allocation), len(m.Documents), len(wants))
		}
		for i, w := range wants {
			a, d := m.Allocation[i], m.Documents[i]
			fee := mustMoney(t, w.fee)
			exact, err := compute.YearFee(decimal.RequireFromString("0.058"), w.population, w.months)
			if err != nil {
				t.Fatal(err)
			}
			if a.Payer != w.payer || a.Population != w.population || a.Months != w.months || a.YearFee != fee || a.Fee != fee || exact != fee {
				t.Errorf("%s %s: population %d months %d year fee %s fee %s; want %d, %d, %s", m.Cycle, a.Payer, a.Population, a.Months, a.YearFee, a.Fee, w.population, w.months, w.fee)
			}
			var lines compute.Money
			for _, l := range d.Lines {
				lines += l.Net
			}
			if d.Payer != w.payer || d.Total != mustMoney(t, w.total) || lines != d.Net || d.Net+d.VAT != d.Total {
				t.Errorf("%s %s: net %s (lines %s) + VAT %s = %s, want total %s", m.Cycle, d.Payer, d.Net, lines, d.VAT, d.Total, w.total)
			}
		}
	}
	// 2022: Keusote 0,058 × 198 319 = 11 502,50; 6 h training on 15.1. is
	// included, 2,25 h of work on 14.9. is 135,00 + 24 % = 167,40. Helsinki
	// 38 074,10; 4,5 h training on 20.2. included, 3 h on 10.5. (after two
	// months) 180,00 + 24 %.
	check(m22, []want{
		{"keusote", 198319, 12, "11502.50", "11669.90"},
		{"091", 656450, 12, "38074.10", "38297.30"},
	})
	// 2023: Satakunta from June: 0,058 × 216 637 × 7/12 = 7 329,55; its
	// training in June is included, 4 h of work 240,00 + 24 %.
	check(m23, []want{
		{"keusote-hva", 198911, 12, "11536.84", "11648.44"},
		{"091", 658412, 12, "38187.90", "38187.90"},
		{"satakunta-hva", 216637, 7, "7329.55", "7627.15"},
	})
	training := m22.Documents[0].Lines[1]
	if training.Quantity != "6" || training.UnitPrice != 0 || training.Net != 0 {
		t.Errorf("included training line: %+v", training)
	}
	if got := m22.Allocation[0].Members; strings.Join(got, " ") != "106 186 505 543 611 858" {
		t.Errorf("Keusote's members %v", got)
	}
}

// TestFeeRealPopulation: contracts from 2020-01-01 billed for 2020 from the
// real Statistics Finland export of 31.12.2019 (names only, no codes): the
// joint authority pays 0,058 × the sum of its six members' totals, Helsinki
// 0,058 × its total.
func TestFeeRealPopulation(t *testing.T) {
	needShared(t, realCSV)
	data, err := os.ReadFile(lasteriConfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(data)
	cfg = strings.Replace(cfg, "hours = [\"hours/*.csv\"]", "", 1)
	for _, s := range []string{"2022-01-01", "2023-01-01", "2023-06-01"} {
		cfg = strings.ReplaceAll(cfg, "contract_start = "+s, "contract_start = 2020-01-01")
	}
	cfg = strings.Replace(cfg, "contract_end = 2022-12-31", "contract_end = 2020-12-31", 1)
	// The county of the same members would overlap the joint authority: it
	// starts after it.
	cfg = strings.Replace(cfg, "id = \"keusote-hva\"\nkind = \"wellbeing-county\"\nname = \"Keski-Uudenmaan hyvinvointialue\"\nmembers = [\"106 Hyvinkää\", \"186 Järvenpää\", \"505 Mäntsälä\", \"543 Nurmijärvi\", \"611 Pornainen\", \"858 Tuusula\"]\ncontract_start = 2020-01-01",
		"id = \"keusote-hva\"\nkind = \"wellbeing-county\"\nname = \"Keski-Uudenmaan hyvinvointialue\"\nmembers = [\"106 Hyvinkää\", \"186 Järvenpää\", \"505 Mäntsälä\", \"543 Nurmijärvi\", \"611 Pornainen\", \"858 Tuusula\"]\ncontract_start = 2023-01-01", 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "kuntalasku.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := run(t, nil, "run", "--config", path, "--cycle", "2020", "--issue-date", "2021-01-15", "--population", realCSV, "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := readFeeManifest(t, filepath.Join(out, "lasteri", "2020", "manifest.json"))
	// 005_11re_2019.csv, "Yhteensä" on 31.12.2019.
	totals := map[string]int64{}
	for _, name := range []string{"Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula", "Helsinki"} {
		totals[name] = realTotal(t, name)
	}
	keusote := totals["Hyvinkää"] + totals["Järvenpää"] + totals["Mäntsälä"] + totals["Nurmijärvi"] + totals["Pornainen"] + totals["Tuusula"]
	want := map[string]int64{"keusote": keusote, "091": totals["Helsinki"]}
	seen := 0
	for _, a := range m.Allocation {
		n, ok := want[a.Payer]
		if !ok {
			continue
		}
		seen++
		fee, err := compute.RoundHalfUp(decimal.RequireFromString("0.058").Mul(decimal.NewFromInt(n)))
		if err != nil {
			t.Fatal(err)
		}
		if a.Population != n || a.Fee != fee || a.Months != 12 {
			t.Errorf("%s: population %d, fee %s; want %d and %s", a.Payer, a.Population, a.Fee, n, fee)
		}
	}
	if seen != 2 {
		t.Errorf("found %d of the two subscribers in %+v", seen, m.Allocation)
	}
}

// realTotal is a municipality's total population on 31.12.2019 in the real
// export, read here independently of ingest.
func realTotal(t *testing.T, name string) int64 {
	t.Helper()
	data, err := os.ReadFile(realCSV)
	if err != nil {
		t.Fatal(err)
	}
	text := latin1ToUTF8(data)
	for _, line := range strings.Split(text, "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), ";")
		if len(f) > 2 && f[0] == `"`+name+`"` && f[1] == `"Yhteensä"` {
			var n int64
			for _, c := range f[2] {
				n = n*10 + int64(c-'0')
			}
			return n
		}
	}
	t.Fatalf("%s not in %s", name, realCSV)
	return 0
}

func latin1ToUTF8(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// TestFeeConfiguration: a municipality in two subscribers whose contracts
// overlap is refused, as are members that are not codes.
func TestFeeConfiguration(t *testing.T) {
	data, err := os.ReadFile(lasteriConfig)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"overlapping contracts", "contract_end = 2022-12-31", "contract_end = 2023-01-31", "municipality 106 is also in payers[1]"},
		{"member not a code", `"611 Pornainen"`, `"Pornainen"`, "three-digit code"},
		{"no rate", `rate = "0.058"`, ``, "per_resident.rate"},
		{"cost-sharing key", `[inputs]`, "[cost_sharing]\nbudget = \"1\"\n[inputs]", "not used by a per-resident scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := strings.Replace(string(data), tt.old, tt.new, 1)
			if cfg == string(data) {
				t.Fatalf("the example has no %q", tt.old)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "kuntalasku.toml")
			if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, nil, "run", "--config", path, "--cycle", "2022", "--issue-date", "2023-01-16", "--out", filepath.Join(dir, "out"))
			if r.code != exitInput || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, want 3 saying %q:\n%s", r.code, tt.want, r.stderr)
			}
		})
	}
}
