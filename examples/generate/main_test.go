package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kuntalasku/kuntalasku/examples/generate/national"
	"golang.org/x/text/encoding/charmap"
)

// TestShippedPopulationIsGenerated keeps the shipped example file and its
// generator in step: the file must be exactly what the generator writes.
func TestShippedPopulationIsGenerated(t *testing.T) {
	var got bytes.Buffer
	if err := writePopulation(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../varsinais-suomi/population-11re-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("examples/varsinais-suomi/population-11re-synthetic.csv differs from the generator's output; run: go run ./examples/generate population > examples/varsinais-suomi/population-11re-synthetic.csv")
	}
}

func TestSpread(t *testing.T) {
	for _, n := range []int{0, 1, 7, 300, 17865} {
		parts := spread(n, []int{5, 1, 0, 3})
		sum := 0
		for _, p := range parts {
			if p < 0 {
				t.Fatalf("spread(%d) has a negative part: %v", n, parts)
			}
			sum += p
		}
		if sum != n || parts[2] != 0 {
			t.Errorf("spread(%d) = %v", n, parts)
		}
	}
}

func TestPopulationOfKeepsTheDecisionsFigures(t *testing.T) {
	for _, m := range municipalities {
		a := populationOf(m, 2019)
		old := 0
		for age := 75; age <= 100; age++ {
			old += a.men[age] + a.women[age]
		}
		if old != m.aged75 {
			t.Errorf("%s: %d aged 75+, want %d", m.name, old, m.aged75)
		}
	}
}

const shippedActivity = "../varsinais-suomi/activity"

// TestShippedActivityIsGenerated keeps the shipped activity logs and their
// generator in step: the folder must hold exactly what the generator writes.
func TestShippedActivityIsGenerated(t *testing.T) {
	dir := t.TempDir()
	if err := writeActivity(dir); err != nil {
		t.Fatal(err)
	}
	fix := "; run: go run ./examples/generate activity examples/varsinais-suomi/activity"
	for _, name := range []string{phoneH1File, phoneH2File, canonicalLog} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(shippedActivity, name))
		if err != nil {
			t.Fatal(err.Error() + fix)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("examples/varsinais-suomi/activity/%s differs from the generator's output%s", name, fix)
		}
	}
	for _, d := range []string{dir, shippedActivity} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Errorf("%s holds %d files, want the 3 logs", d, len(entries))
		}
	}
}

// loggedEvent is a row of a generated log, read back.
type loggedEvent struct {
	file, id, muni, typ string
	at                  time.Time // in Helsinki
	row                 []string
}

var (
	callID   = regexp.MustCompile(`^P\d{7}$`)
	recordID = regexp.MustCompile(`^A-2021-\d{6}$`)
)

// readLog parses a generated log with encoding/csv, checking its dialect.
func readLog(t *testing.T, f activityFile) []loggedEvent {
	t.Helper()
	phone := f.name != canonicalLog
	text := f.data
	if phone {
		if bytes.Count(text, []byte("\n")) != bytes.Count(text, []byte("\r\n")) || !bytes.HasSuffix(text, []byte("\r\n")) {
			t.Errorf("%s: lines do not all end in CRLF", f.name)
		}
		if utf8.Valid(text) {
			t.Errorf("%s: is UTF-8, want Windows-1252", f.name)
		}
		var err error
		if text, err = charmap.Windows1252.NewDecoder().Bytes(f.data); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if again, err := charmap.Windows1252.NewEncoder().Bytes(text); err != nil || !bytes.Equal(again, f.data) {
			t.Errorf("%s: does not round-trip through Windows-1252 (%v)", f.name, err)
		}
	} else {
		if !utf8.Valid(text) || bytes.HasPrefix(text, []byte("\uFEFF")) || bytes.Contains(text, []byte("\r")) || !bytes.HasSuffix(text, []byte("\n")) {
			t.Errorf("%s: want UTF-8 without a BOM, lines ending in LF", f.name)
		}
	}
	r := csv.NewReader(bytes.NewReader(text))
	wantHeader := canonicalHeader
	if phone {
		r.Comma = ';'
		wantHeader = phoneHeader
	}
	records, err := r.ReadAll() // every record must have the header's fields
	if err != nil {
		t.Fatalf("%s: %v", f.name, err)
	}
	if !slices.Equal(records[0], wantHeader) {
		t.Fatalf("%s: header %q, want %q", f.name, records[0], wantHeader)
	}
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	var events []loggedEvent
	for i, rec := range records[1:] {
		e := loggedEvent{file: f.name, row: rec}
		var err error
		if phone {
			e.id, e.muni, e.typ = rec[0], rec[3], "call"
			e.at, err = time.ParseInLocation("2.1.2006 15:04:05", rec[1], helsinki)
			secs, serr := strconv.Atoi(rec[2])
			if serr != nil || secs < 30 || secs > 1800 || !callID.MatchString(e.id) || (rec[4] != "Palveluohjaus" && rec[4] != "Omaishoito") {
				t.Errorf("%s row %d: %q", f.name, i+2, rec)
			}
		} else {
			e.id, e.muni, e.typ = rec[3], rec[1], rec[2]
			e.at, err = time.Parse(time.RFC3339, rec[0])
			e.at = e.at.In(helsinki)
			if !slices.Contains([]string{"käynti", "yhteydenottopyyntö", "chat"}, e.typ) || !recordID.MatchString(e.id) {
				t.Errorf("%s row %d: %q", f.name, i+2, rec)
			}
		}
		if err != nil {
			t.Fatalf("%s row %d: %v", f.name, i+2, err)
		}
		if n := len(events); n > 0 && e.at.Before(events[n-1].at) {
			t.Errorf("%s row %d: %s is before the row above", f.name, i+2, e.at)
		}
		events = append(events, e)
	}
	return events
}

// municipalityCode reads a municipality as the logs write it: a code, "KU"
// and a code, or a name in Finnish or Swedish in any case; "" when unknown.
func municipalityCode(s string) string {
	for _, m := range municipalities {
		sv, bilingual := swedishNames[m.name]
		if s == m.code || s == "KU"+m.code || strings.EqualFold(s, m.name) || bilingual && strings.EqualFold(s, sv) {
			return m.code
		}
	}
	return ""
}

func TestActivityFiles(t *testing.T) {
	files, err := activityFiles()
	if err != nil {
		t.Fatal(err)
	}
	var h1, h2, other []loggedEvent
	for _, f := range files {
		events := readLog(t, f)
		switch f.name {
		case phoneH1File:
			h1 = events
		case phoneH2File:
			h2 = events
		case canonicalLog:
			other = events
		default:
			t.Errorf("unexpected file %s", f.name)
		}
	}

	// The phone exports overlap on 1.–7.7. with identical rows; no other id repeats.
	byID := map[string]loggedEvent{}
	var distinct []loggedEvent
	duplicates := 0
	for _, e := range slices.Concat(h1, h2, other) {
		prev, seen := byID[e.id]
		if !seen {
			byID[e.id] = e
			distinct = append(distinct, e)
			continue
		}
		duplicates++
		inOverlap := e.at.Month() == time.July && e.at.Day() <= 7
		if prev.file != phoneH1File || e.file != phoneH2File || !inOverlap || !slices.Equal(prev.row, e.row) {
			t.Errorf("id %s repeats: %q in %s, %q in %s", e.id, prev.row, prev.file, e.row, e.file)
		}
	}
	overlap := 0
	for _, e := range distinct {
		if e.typ == "call" && e.at.Month() == time.July && e.at.Day() <= 7 {
			overlap++
		}
	}
	if duplicates != overlap || overlap < 100 {
		t.Errorf("%d calls on 1.–7.7., %d of them in both exports", overlap, duplicates)
	}
	if h1[len(h1)-1].at.After(time.Date(2021, 7, 7, 23, 59, 59, 0, h1[0].at.Location())) || h2[0].at.Month() != time.July || h2[0].at.Day() != 1 {
		t.Errorf("H1 ends %s, H2 starts %s; want 7.7. and 1.7.", h1[len(h1)-1].at, h2[0].at)
	}

	// Counts by month, type and municipality.
	var perMonth [13]int
	perType := map[string]int{}
	perMuni := map[string]int{}
	unknown := map[string]int{}
	for _, e := range distinct {
		if e.at.Year() != 2021 {
			t.Errorf("%s %s: not in 2021", e.file, e.id)
		}
		perMonth[e.at.Month()]++
		perType[e.typ]++
		if code := municipalityCode(e.muni); code != "" {
			perMuni[code]++
		} else {
			unknown[e.muni]++
		}
	}
	for m := 1; m <= 12; m++ {
		if perMonth[m] < 2500 || perMonth[m] > 3500 {
			t.Errorf("month %d has %d events, want 2 500–3 500", m, perMonth[m])
		}
	}
	for typ, want := range map[string]int{"call": 60, "käynti": 20, "yhteydenottopyyntö": 12, "chat": 8} {
		if got := 100 * perType[typ] / len(distinct); got < want-2 || got > want+2 {
			t.Errorf("%s is %d %% of the events, want about %d %%", typ, got, want)
		}
	}
	for _, m := range municipalities {
		if m.code != "853" && perMuni[m.code] >= perMuni["853"] {
			t.Errorf("%s has %d events, Turku %d: want Turku the most", m.name, perMuni[m.code], perMuni["853"])
		}
		if perMuni[m.code] == 0 {
			t.Errorf("%s has no events", m.name)
		}
	}
	if n := perMuni[nonParticipant]; n < 24 || n > 100 {
		t.Errorf("Uusikaupunki has %d events, want some dozens", n)
	}
	for _, name := range unknownNames {
		if n := unknown[name]; n < 3 || n > 10 {
			t.Errorf("%q has %d events, want a handful", name, n)
		}
	}
	if len(unknown) != len(unknownNames) {
		t.Errorf("unknown municipalities %v, want only %q", unknown, unknownNames)
	}

	// The spellings of municipalities.
	written := map[string]bool{}
	for _, e := range distinct {
		written[e.muni] = true
	}
	for _, s := range []string{"Pargas", "Kimitoön", "TURKU", "Koski Tl", "853", "KU853", "Turku", "895", "KU895", "Uusikaupunki"} {
		if !written[s] {
			t.Errorf("no event is of %q", s)
		}
	}

	// The edges of the cycles are there; the other events are on weekdays at office hours.
	edgeTimes := map[string][]string{
		phoneH1File: {"31.1.2021 23:59:59", "1.2.2021 0:00:00", "28.3.2021 2:59:00", "28.3.2021 4:00:00"},
		phoneH2File: {"31.10.2021 3:30:00", "31.10.2021 3:30:00", "31.10.2021 23:59:59", "1.11.2021 0:00:00", "30.11.2021 23:59:59", "1.12.2021 0:00:00"},
		canonicalLog: {
			"2021-01-31T23:59:59+02:00", "2021-02-01T00:00:00+02:00", "2021-03-28T02:59:00+02:00",
			"2021-03-28T04:00:00+03:00", "2021-03-31T23:59:59+03:00", "2021-04-01T00:00:00+03:00",
			"2021-10-31T03:30:00+03:00", "2021-10-31T03:30:00+02:00", "2021-10-31T23:59:59+02:00",
			"2021-11-01T00:00:00+02:00", "2021-11-30T23:59:59+02:00", "2021-12-01T00:00:00+02:00",
		},
	}
	for _, events := range [][]loggedEvent{h1, h2, other} {
		var edges []string
		for _, e := range events {
			wd, h := e.at.Weekday(), e.at.Hour()
			if wd == time.Saturday || wd == time.Sunday || h < 8 || h >= 16 {
				written := e.row[0] // aika
				if e.typ == "call" {
					written = e.row[1] // Aloitusaika
				}
				edges = append(edges, written)
			}
		}
		if want := edgeTimes[events[0].file]; !slices.Equal(edges, want) {
			t.Errorf("%s: events outside office hours at %q, want %q", events[0].file, edges, want)
		}
	}
}

// TestNational runs the national subcommand: it writes what national.Write
// writes with the same options, the flags before or after the folder.
func TestNational(t *testing.T) {
	want := filepath.Join(t.TempDir(), "want")
	if err := national.Write(want, national.Options{Municipalities: 20, Payers: 7, Events: 500, Year: 2021, Month: time.March}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"flags after the folder", []string{"DIR", "--municipalities", "20", "--events", "500", "--payers", "7", "--month", "2021-03"}},
		{"flags around the folder", []string{"-events=500", "-month", "2021-03", "DIR", "--payers=7", "--municipalities=20"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "national")
			args := slices.Clone(tc.args)
			args[slices.Index(args, "DIR")] = dir
			if err := run(append([]string{"national"}, args...), &bytes.Buffer{}); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{national.PopulationFile, national.ActivitiesFile, national.ConfigFile} {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				w, err := os.ReadFile(filepath.Join(want, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, w) {
					t.Errorf("%s differs from national.Write's", name)
				}
			}
		})
	}
	for _, args := range [][]string{
		{"national"},
		{"national", "a", "b"},
		{"national", "--bogus", "a"},
		{"national", "--events", "many", "a"},
	} {
		if err := run(args, &bytes.Buffer{}); !errors.Is(err, errUsage) {
			t.Errorf("%q: got %v, want the usage", args, err)
		}
	}
	for _, args := range [][]string{
		{"national", t.TempDir(), "--month", "2021-13"},
		{"national", t.TempDir(), "--payers", "1001"},
	} {
		if err := run(args, &bytes.Buffer{}); err == nil || errors.Is(err, errUsage) {
			t.Errorf("%q: got %v, want an error", args, err)
		}
	}
}
