package national

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/ingest"
)

// small are the sizes the tests generate: a month with a change of the
// clocks (31.10.2021 04:00 → 03:00), some municipalities that do not pay.
var small = Options{Municipalities: 40, Payers: 30, Events: 20000, Year: 2021, Month: time.October}

func generate(t *testing.T, o Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "national")
	if err := Write(dir, o); err != nil {
		t.Fatal(err)
	}
	return dir
}

var files = []string{PopulationFile, ActivitiesFile, ConfigFile}

func TestWriteIsReproducible(t *testing.T) {
	a, b := generate(t, small), generate(t, small)
	for _, name := range files {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(files) {
		t.Errorf("the folder holds %d files, want %d (no temporary files left)", len(entries), len(files))
	}
}

func TestOptionsCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		o      Options
		ok     bool
		munis  int
		reason string
	}{
		{"defaults", DefaultOptions(), true, 309, ""},
		{"payers raise the municipalities", Options{Municipalities: 10, Payers: 1000, Year: 2021, Month: 1}, true, 1000, ""},
		{"too many municipalities", Options{Municipalities: 1001, Payers: 1, Year: 2021, Month: 1}, false, 0, "three-digit code"},
		{"too many payers", Options{Payers: 100000, Year: 2021, Month: 1}, false, 0, "three-digit code"},
		{"no payers", Options{Municipalities: 10, Year: 2021, Month: 1}, false, 0, "payers"},
		{"negative events", Options{Municipalities: 10, Payers: 1, Events: -1, Year: 2021, Month: 1}, false, 0, "events"},
		{"no month", Options{Municipalities: 10, Payers: 1, Year: 2021}, false, 0, "month"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Check()
			switch {
			case tc.ok && err != nil:
				t.Fatalf("got error %v, want none", err)
			case !tc.ok && (err == nil || !strings.Contains(err.Error(), tc.reason)):
				t.Fatalf("got error %v, want one about %q", err, tc.reason)
			case tc.ok && tc.o.Municipalities != tc.munis:
				t.Errorf("got %d municipalities, want %d", tc.o.Municipalities, tc.munis)
			}
		})
	}
}

func TestMunicipalities(t *testing.T) {
	for _, n := range []int{1, 309, 999, 1000} {
		munis := Municipalities(n)
		seen := map[string]bool{}
		for i, m := range munis {
			if len(m.Code) != 3 || seen[m.Code] || i > 0 && m.Code <= munis[i-1].Code {
				t.Fatalf("%d municipalities: code %q of the %d-th is not a new three-digit code in order", n, m.Code, i)
			}
			seen[m.Code] = true
			if aged := m.Aged(75); aged < 40 || aged*100 < m.Aged(0)*8 || aged*100 > m.Aged(0)*12 {
				t.Errorf("%s: %d of %d residents aged 75 or over, want about 10 %%", m.Name, aged, m.Aged(0))
			}
		}
	}
	// The i-th municipality's population does not depend on how many there are.
	a, b := Municipalities(10), Municipalities(300)
	for i := range a {
		if a[i].Men != b[i].Men || a[i].Women != b[i].Women {
			t.Errorf("municipality %d differs between 10 and 300 municipalities", i)
		}
	}
}

// readPopulation reads the generated population file as kuntalasku does.
func readPopulation(t *testing.T, dir string) *ingest.Population {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, PopulationFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, format, err := ingest.ReadPopulation(f, PopulationFile)
	if err != nil {
		t.Fatal(err)
	}
	if format != ingest.FormatXLSX {
		t.Errorf("read as %v, want XLSX", format)
	}
	return p
}

func TestPopulationIsRead(t *testing.T) {
	dir := generate(t, small)
	p := readPopulation(t, dir)
	if !slices.Equal(p.Years, []int{2019}) {
		t.Errorf("years %v, want [2019]", p.Years)
	}
	munis := Municipalities(small.Municipalities)
	if len(p.Areas) != len(munis)+1 || p.Areas[0].Code != "SSS" {
		t.Fatalf("%d areas, the first %q; want the whole country and %d municipalities", len(p.Areas), p.Areas[0].Label, len(munis))
	}
	var total, aged int64
	for _, m := range munis {
		a := p.Find(m.Code)
		if a == nil || a.Name != m.Name {
			t.Fatalf("municipality %s is not in the file by its code, or has another name (%+v)", m.Code, a)
		}
		if b := p.Find("", m.NameSV, m.Name); b != a {
			t.Errorf("%s is not found by its name", m.Name)
		}
		n, err := a.Total(2019)
		if err != nil || n != int64(m.Aged(0)) {
			t.Errorf("%s: total %d (%v), want %d", m.Name, n, err, m.Aged(0))
		}
		old, err := a.AtLeast(2019, 75)
		if err != nil || old != int64(m.Aged(75)) {
			t.Errorf("%s: %d aged 75 or over (%v), want %d", m.Name, old, err, m.Aged(75))
		}
		total, aged = total+n, aged+old
	}
	for _, c := range []struct {
		limit int
		want  int64
	}{{0, total}, {75, aged}} {
		if got, err := p.Areas[0].AtLeast(2019, c.limit); err != nil || got != c.want {
			t.Errorf("the whole country aged %d or over: %d (%v), want the municipalities' sum %d", c.limit, got, err, c.want)
		}
	}
}

func TestActivitiesAreRead(t *testing.T) {
	for _, o := range []Options{
		small,
		{Municipalities: 12, Payers: 12, Events: 30000, Year: 2021, Month: time.March}, // clocks forward 28.3.
		{Municipalities: 5, Payers: 5, Events: 3, Year: 2024, Month: time.February},
		{Municipalities: 5, Payers: 2, Events: 0, Year: 2021, Month: time.January},
	} {
		t.Run(o.Month.String(), func(t *testing.T) {
			dir := generate(t, o)
			checkActivityText(t, dir, o)

			// kuntalasku reads them: every event of the month, of a municipality.
			pop := readPopulation(t, dir)
			munis := Municipalities(o.Municipalities)
			payers := make([]ingest.Municipality, o.Payers)
			for i, m := range munis[:o.Payers] {
				payers[i] = ingest.Municipality{Code: m.Code, Name: m.Name, NameSV: m.NameSV}
			}
			d := ingest.NewDirectory(payers, nil, pop)
			f, err := os.Open(filepath.Join(dir, ActivitiesFile))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var rows, billed, others int64
			var types [compute.NumActivityTypes]int64
			err = ingest.ReadActivities(f, ActivitiesFile, ingest.ActivityMapping{}, func(e *ingest.Event) error {
				rows++
				if e.Date.Year != o.Year || e.Date.Month != o.Month {
					t.Fatalf("row %d: %v is not in %d-%02d", e.Row, e.Date, o.Year, o.Month)
				}
				if e.ID != "" || e.Ignored {
					t.Fatalf("row %d: id %q, ignored %v", e.Row, e.ID, e.Ignored)
				}
				switch to := d.Resolve(e.Municipality); {
				case to >= 0:
					billed++
				case to == compute.NonParticipant:
					others++
				default:
					t.Fatalf("row %d: municipality %q is unknown", e.Row, e.Municipality)
				}
				types[e.Type]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows != o.Events {
				t.Errorf("read %d events, want %d", rows, o.Events)
			}
			if o.Payers == o.Municipalities && others != 0 {
				t.Errorf("%d events of non-participants, want none: every municipality pays", others)
			}
			if o.Events >= 10000 {
				if o.Payers < o.Municipalities && others == 0 {
					t.Errorf("no events of the %d non-participants", o.Municipalities-o.Payers)
				}
				for i, want := range []int64{60, 20, 12, 8} {
					if got := 100 * types[i] / rows; got < want-2 || got > want+2 {
						t.Errorf("%v is %d %% of the events, want about %d %%", compute.ActivityTypes[i], got, want)
					}
				}
			}
		})
	}
}

// checkActivityText checks the CSV's text: the header, then lines of an ISO
// time in the month with Helsinki's offset at that instant, in time order, a
// municipality and a type word.
func checkActivityText(t *testing.T, dir string, o Options) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ActivitiesFile))
	if err != nil {
		t.Fatal(err)
	}
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(o.Year, o.Month, 1, 0, 0, 0, 0, helsinki)
	to := from.AddDate(0, 1, 0)
	if !bytes.HasSuffix(data, []byte("\n")) || bytes.Contains(data, []byte("\r")) {
		t.Error("want lines ending in LF")
	}
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Scan()
	if s.Text() != "aika;kunta;tyyppi" {
		t.Fatalf("header %q, want aika;kunta;tyyppi", s.Text())
	}
	spellings := map[string]bool{}
	for _, m := range Municipalities(o.Municipalities) {
		spellings[m.Code], spellings["KU"+m.Code], spellings[m.Name] = true, true, true
	}
	var prev time.Time
	var offsets []string
	for line := 2; s.Scan(); line++ {
		f := strings.Split(s.Text(), ";")
		if len(f) != 3 {
			t.Fatalf("line %d: %q: want 3 fields", line, s.Text())
		}
		at, err := time.Parse(time.RFC3339, f[0])
		if err != nil || at.Before(from) || !at.Before(to) || at.Before(prev) || at.In(helsinki).Format(time.RFC3339) != f[0] {
			t.Fatalf("line %d: time %q (%v): want Helsinki's time in %s, not before the line above", line, f[0], err, from.Format("2006-01"))
		}
		if off := f[0][19:]; !slices.Contains(offsets, off) {
			offsets = append(offsets, off)
		}
		prev = at
		if !spellings[f[1]] || !slices.Contains([]string{"puhelu", "käynti", "yhteydenottopyyntö", "chat"}, f[2]) {
			t.Fatalf("line %d: %q", line, s.Text())
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if o.Month == time.March && o.Events > 1000 && !slices.Equal(offsets, []string{"+02:00", "+03:00"}) {
		t.Errorf("offsets %v in March, want winter and summer time", offsets)
	}
	if o.Month == time.October && o.Events > 1000 && !slices.Equal(offsets, []string{"+03:00", "+02:00"}) {
		t.Errorf("offsets %v in October, want summer and winter time", offsets)
	}
}

func TestConfig(t *testing.T) {
	dir := generate(t, small)
	var cfg struct {
		Scheme      struct{ Kind, Cycle string }
		CostSharing struct {
			PeriodStart         time.Time `toml:"period_start"`
			PeriodEnd           time.Time `toml:"period_end"`
			PopulationReference time.Time `toml:"population_reference"`
		} `toml:"cost_sharing"`
		Inputs          struct{ Population string }
		ActivitySources []struct {
			ID    string
			Files []string
		} `toml:"activity_sources"`
		Payers []struct{ ID, Name, Street, Postcode, City string }
	}
	if _, err := toml.DecodeFile(filepath.Join(dir, ConfigFile), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Scheme.Kind != "cost-sharing" || cfg.Scheme.Cycle != "monthly" {
		t.Errorf("scheme %+v, want a monthly cost-sharing scheme", cfg.Scheme)
	}
	cs := cfg.CostSharing
	day := func(d time.Time) string { return d.Format(time.DateOnly) }
	if day(cs.PeriodStart) != "2021-01-01" || day(cs.PeriodEnd) != "2021-12-31" || day(cs.PopulationReference) != "2019-12-31" {
		t.Errorf("period %s…%s, population %s; want 2021 and 31.12.2019", day(cs.PeriodStart), day(cs.PeriodEnd), day(cs.PopulationReference))
	}
	if cfg.Inputs.Population != PopulationFile || len(cfg.ActivitySources) != 1 || !slices.Equal(cfg.ActivitySources[0].Files, []string{ActivitiesFile}) {
		t.Errorf("inputs %+v, sources %+v; want the generated files", cfg.Inputs, cfg.ActivitySources)
	}
	munis := Municipalities(small.Municipalities)
	if len(cfg.Payers) != small.Payers {
		t.Fatalf("%d payers, want %d", len(cfg.Payers), small.Payers)
	}
	for i, p := range cfg.Payers {
		if p.ID != munis[i].Code || p.Name != munis[i].Name || p.Street == "" || p.Postcode == "" || p.City == "" {
			t.Errorf("payer %d: %+v, want %s %s with an address", i+1, p, munis[i].Code, munis[i].Name)
		}
	}
}
