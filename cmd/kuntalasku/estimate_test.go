package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/compute/computetest"
)

type estimateManifest struct {
	Scheme, Cycle, Kind, Created string
	Budget                       string
	ComponentBudgets             struct{ Population, Activity string } `json:"component_budgets"`
	ActivityBasis                string                                `json:"activity_basis"`
	Inputs                       []struct{ Role, Path, SHA256 string }
	Allocation                   []struct {
		Payer, Name      string
		Population       int64
		PopulationAmount string `json:"population_amount"`
		ActivityAmount   string `json:"activity_amount"`
		Total            string
	}
}

func readManifest(t *testing.T, path string) estimateManifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m estimateManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

const estimateFolder = "vsa-asiakasohjaus/estimate-2021-01_2021-11"

// TestEstimateMatchesTheDecision is the acceptance check of SPEC 3.3, on the
// shipped example and on the real Statistics Finland export: every
// municipality's total exactly the decision's, each component within a cent,
// the columns 199 221,40 + 85 380,60 = 284 602,00.
func TestEstimateMatchesTheDecision(t *testing.T) {
	seed := computetest.SeedTable(t)
	for _, tc := range []struct{ name, population string }{
		{"example", ""},
		{"real 11re export", realCSV},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"estimate", "--config", exampleConfig, "--out", t.TempDir()}
			if tc.population != "" {
				needShared(t, tc.population)
				args = append(args, "--population", tc.population)
			}
			r := run(t, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			m := readManifest(t, filepath.Join(args[4], estimateFolder, "manifest.json"))
			if m.Kind != "estimate" || m.Cycle != "2021-01/2021-11" || m.Scheme != "vsa-asiakasohjaus" || m.ActivityBasis != "population" {
				t.Errorf("kind %q, cycle %q, scheme %q, basis %q", m.Kind, m.Cycle, m.Scheme, m.ActivityBasis)
			}
			if m.Budget != "284602.00" || m.ComponentBudgets.Population != "199221.40" || m.ComponentBudgets.Activity != "85380.60" {
				t.Errorf("budget %s = %s + %s", m.Budget, m.ComponentBudgets.Population, m.ComponentBudgets.Activity)
			}
			if len(m.Allocation) != len(seed) {
				t.Fatalf("%d allocation rows, want %d", len(m.Allocation), len(seed))
			}
			var pop, act, tot compute.Money
			for i, s := range seed {
				a := m.Allocation[i]
				if a.Payer != s.Code || a.Name != s.Name {
					t.Errorf("row %d is %s %s, want %s %s", i, a.Payer, a.Name, s.Code, s.Name)
				}
				if a.Total != s.Total {
					t.Errorf("%s: total %s, want the decision's %s", s.Name, a.Total, s.Total)
				}
				for _, c := range [][2]string{{a.PopulationAmount, s.PopPart}, {a.ActivityAmount, s.ActPart}} {
					got, want := mustMoney(t, c[0]), mustMoney(t, c[1])
					if (got - want).Abs() > 1 {
						t.Errorf("%s: component %s, more than a cent from the decision's %s", s.Name, c[0], c[1])
					}
				}
				if mustMoney(t, a.PopulationAmount)+mustMoney(t, a.ActivityAmount) != mustMoney(t, a.Total) {
					t.Errorf("%s: %s + %s != %s", s.Name, a.PopulationAmount, a.ActivityAmount, a.Total)
				}
				pop += mustMoney(t, a.PopulationAmount)
				act += mustMoney(t, a.ActivityAmount)
				tot += mustMoney(t, a.Total)
			}
			if pop.String() != "199221.40" || act.String() != "85380.60" || tot.String() != "284602.00" {
				t.Errorf("columns sum to %s + %s = %s", pop, act, tot)
			}
			if !strings.Contains(r.stdout, "Turku") || !strings.Contains(r.stdout, "109330.50") || !strings.Contains(r.stdout, "284602.00") {
				t.Errorf("the table on stdout lacks Turku's total or the sum:\n%s", r.stdout)
			}
			if !strings.Contains(r.stdout, "Output: "+filepath.Join(args[4], estimateFolder)) {
				t.Errorf("stdout does not say where the output went:\n%s", r.stdout)
			}
		})
	}
}

func mustMoney(t *testing.T, s string) compute.Money {
	t.Helper()
	m, err := compute.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEstimateManifestGolden pins the manifest's bytes: the contract other
// systems read. Refresh with go test ./cmd/kuntalasku -run Golden -update.
func TestEstimateManifestGolden(t *testing.T) {
	out := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1606815000"}
	if r := run(t, env, "estimate", "--config", exampleConfig, "--out", out); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, estimateFolder, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/estimate-manifest.golden.json", got)
}

// TestEstimateIsReproducible runs the estimate twice into the same folder:
// the second run replaces the first with identical bytes (manifest, PDF and
// workbook) and leaves no temporary folders behind.
func TestEstimateIsReproducible(t *testing.T) {
	out := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1606815000"}
	names := []string{"appendix.pdf", "appendix.xlsx", "manifest.json"}
	var runs [2]map[string][]byte
	for i := range runs {
		if r := run(t, env, "estimate", "--config", exampleConfig, "--out", out); r.code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, r.code, r.stderr)
		}
		runs[i] = map[string][]byte{}
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(out, estimateFolder, n))
			if err != nil {
				t.Fatal(err)
			}
			runs[i][n] = b
		}
	}
	for _, n := range names {
		if string(runs[0][n]) != string(runs[1][n]) {
			t.Errorf("two runs with the same inputs wrote different %s", n)
		}
	}
	if got := listFiles(t, out); len(got) != len(names) {
		t.Errorf("output holds %v, want %v", got, names)
	}
	entries, _ := os.ReadDir(filepath.Join(out, "vsa-asiakasohjaus"))
	if len(entries) != 1 {
		t.Errorf("scheme folder holds %d entries, want 1 (no temporary folders left)", len(entries))
	}
}
