package ingest

import (
	"os"
	"testing"
)

// realPopulation is the real PxWeb export of table 11re for 2019, kept outside the project.
const realPopulation = "../../shared/data/005_11re_2019.csv"

// openReal opens a file of real data, skipping the test when it is absent outside CI.
func openReal(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is absent (CI is unset)", path)
		}
		t.Fatalf("%s is absent and CI=%s: the real data is required", path, os.Getenv("CI"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadPopulationCSVReal(t *testing.T) {
	p, err := ReadPopulationCSV(openReal(t, realPopulation), "005_11re_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(p.Areas), 311; got != want {
		t.Errorf("areas: got %d, want %d", got, want)
	}
	if got, want := p.Years, []int{2019}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("years: got %v, want %v", got, want)
	}

	t.Run("totals", func(t *testing.T) {
		for _, tc := range []struct {
			name, code, label string
			row               int
			total             int64
		}{
			{name: "KOKO MAA", code: "SSS", label: "KOKO MAA", row: 4, total: 5525292},
			{name: "Aura", label: "Aura", row: 718, total: 3941},
			{name: "Koski Tl", label: "Koski Tl", row: 10918, total: 2308},
			{name: "Turku", label: "Turku", row: 28258, total: 192962},
		} {
			a := p.Find("", tc.name)
			if a == nil {
				t.Errorf("Find(%q): got nil, want an area", tc.name)
				continue
			}
			if a.Label != tc.label || a.Code != tc.code || a.Row != tc.row {
				t.Errorf("Find(%q): got label %q code %q row %d, want %q %q %d", tc.name, a.Label, a.Code, a.Row, tc.label, tc.code, tc.row)
			}
			got, err := a.Total(2019)
			if err != nil || got != tc.total {
				t.Errorf("%s Total(2019): got %d, %v; want %d", tc.name, got, err, tc.total)
			}
		}
	})

	t.Run("75 and over in the 26 municipalities", func(t *testing.T) {
		// The participants of seeds/varsinais-suomi-cost-sharing-2021.txt and their residents
		// aged 75+ at 31.12.2019, which the seed says sum to 46 505.
		participants := []struct {
			name string
			want int64
		}{
			{"Aura", 300}, {"Kaarina", 2916}, {"Kemiönsaari", 984}, {"Koski Tl", 399},
			{"Kustavi", 144}, {"Laitila", 947}, {"Lieto", 1571}, {"Loimaa", 2147},
			{"Marttila", 234}, {"Masku", 691}, {"Mynämäki", 883}, {"Naantali", 1952},
			{"Nousiainen", 381}, {"Oripää", 172}, {"Paimio", 966}, {"Parainen", 1743},
			{"Pyhäranta", 233}, {"Pöytyä", 900}, {"Raisio", 2376}, {"Rusko", 475},
			{"Salo", 6058}, {"Sauvo", 291}, {"Somero", 1341}, {"Taivassalo", 246},
			{"Turku", 17865}, {"Vehmaa", 290},
		}
		var sum int64
		for _, m := range participants {
			a := p.Find("", m.name)
			if a == nil {
				t.Errorf("Find(%q): got nil, want an area", m.name)
				continue
			}
			got, err := a.AtLeast(2019, 75)
			if err != nil || got != m.want {
				t.Errorf("%s AtLeast(2019, 75): got %d, %v; want %d", m.name, got, err, m.want)
			}
			sum += got
		}
		if got, want := sum, int64(46505); got != want {
			t.Errorf("sum: got %d, want %d", got, want)
		}
	})

	t.Run("find", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			code  string
			names []string
			want  string // label, "" for nil
		}{
			{name: "upper case", names: []string{"TURKU"}, want: "Turku"},
			{name: "spaces", names: []string{" turku "}, want: "Turku"},
			{name: "inner spaces", names: []string{"koski   tl"}, want: "Koski Tl"},
			{name: "swedish name only", names: []string{"Åbo"}, want: ""},
			{name: "swedish then finnish", names: []string{"Pargas", "Parainen"}, want: "Parainen"},
			{name: "code not in a names-only file", code: "853", want: ""},
			{name: "code falls back to name", code: "KU853", names: []string{"Turku", "Åbo"}, want: "Turku"},
			{name: "whole country by code", code: "SSS", want: "KOKO MAA"},
			{name: "nothing", want: ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := ""
				if a := p.Find(tc.code, tc.names...); a != nil {
					got = a.Label
				}
				if got != tc.want {
					t.Errorf("Find(%q, %q): got %q, want %q", tc.code, tc.names, got, tc.want)
				}
			})
		}
	})

	if p.HasYear(2018) || !p.HasYear(2019) {
		t.Errorf("HasYear: got 2018 %v, 2019 %v; want false, true", p.HasYear(2018), p.HasYear(2019))
	}
}
