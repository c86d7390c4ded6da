package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// initCase is one scheme's starter: what init writes, and the values that
// fill in its placeholders so that validate (and a dry run) accepts it.
type initCase struct {
	scheme     string
	files      []string          // the files init writes, relative to the folder
	headers    map[string]string // the header-only CSV files and their header
	population string            // the example's population file to copy
	fill       map[string]string // qualified key (as validate names it) → TOML value
	validate   []string          // validate's flags besides --config
	dryRun     []string          // run's flags besides --config, --out and --dry-run
}

var initCases = []initCase{
	{
		scheme: "cost-sharing",
		files:  []string{"README.txt", "activity/tapahtumat.csv", "kuntalasku.toml"},
		headers: map[string]string{
			"activity/tapahtumat.csv": "aika;kunta;tyyppi;tunniste",
		},
		population: "../../examples/varsinais-suomi/population-11re-synthetic.csv",
		fill: map[string]string{
			"scheme.id":                         `"palveluohjaus-testi"`,
			"scheme.name":                       `"Ikääntyneiden palveluohjaus"`,
			"scheme.name_sv":                    `"Servicehandledning för äldre"`,
			"scheme.name_en":                    `"Service guidance for older people"`,
			"scheme.prefix":                     `"POT"`,
			"scheme.reference_code":             `7`,
			"seller.name":                       `"Esimerkkikaupunki"`,
			"seller.unit":                       `"Ikääntyneiden palveluohjaus"`,
			"seller.street":                     `"Esimerkkikatu 1"`,
			"seller.postcode":                   `"20100"`,
			"seller.city":                       `"Turku"`,
			"seller.business_id":                `"1234567-1"`,
			"seller.iban":                       `"FI21 1234 5600 0007 85"`,
			"seller.bic":                        `"NDEAFIHH"`,
			"seller.einvoice_address":           `"003712345671"`,
			"seller.einvoice_operator":          `"NDEAFIHH"`,
			"seller.contact_name":               `"Laskutus"`,
			"seller.contact_email":              `"laskutus@example.fi"`,
			"seller.contact_phone":              `"+358 2 123 4567"`,
			"cost_sharing.budget":               `"284602.00"`,
			"cost_sharing.period_start":         `2021-01-01`,
			"cost_sharing.period_end":           `2021-11-30`,
			"cost_sharing.population_reference": `2019-12-31`,
			"inputs.population":                 `"vaesto-11re-2019.csv"`,
			"payers[1].id":                      `"019"`,
			"payers[1].name":                    `"Aura"`,
			"payers[1].name_sv":                 `"Aura"`,
			"payers[1].street":                  `"PL 1"`,
			"payers[1].postcode":                `"21380"`,
			"payers[1].city":                    `"Aura"`,
			"payers[1].email":                   `"laskut@aura.example.fi"`,
			"payers[2].id":                      `"202"`,
			"payers[2].name":                    `"Kaarina"`,
			"payers[2].name_sv":                 `"S:t Karins"`,
			"payers[2].street":                  `"PL 1"`,
			"payers[2].postcode":                `"20780"`,
			"payers[2].city":                    `"Kaarina"`,
			"payers[2].email":                   `"laskut@kaarina.example.fi"`,
		},
		dryRun: []string{"--cycle", "2021-01", "--issue-date", "2021-02-01"},
	},
	{
		scheme: "per-resident",
		files:  []string{"README.txt", "hours/tunnit.csv", "kuntalasku.toml", "manual/muut-rivit.csv"},
		headers: map[string]string{
			"hours/tunnit.csv":      "päivä;tilaaja;tunnit;laji;kuvaus",
			"manual/muut-rivit.csv": "päivä;tilaaja;kuvaus;summa;alv",
		},
		population: "../../examples/lasteri/population-11re-2021-2022-synthetic.csv",
		fill: map[string]string{
			"scheme.id":                `"lasteri-testi"`,
			"scheme.name":              `"Lasteri-palvelu"`,
			"scheme.name_sv":           `"Lasteri-tjänsten"`,
			"scheme.name_en":           `"The Lasteri service"`,
			"scheme.prefix":            `"LTS"`,
			"scheme.reference_code":    `2`,
			"seller.name":              `"Esimerkin hyvinvointialue"`,
			"seller.unit":              `"Lasteri-palvelu"`,
			"seller.street":            `"Esimerkkitie 2"`,
			"seller.postcode":          `"04400"`,
			"seller.city":              `"Järvenpää"`,
			"seller.business_id":       `"1234567-1"`,
			"seller.iban":              `"FI21 1234 5600 0007 85"`,
			"seller.bic":               `"NDEAFIHH"`,
			"seller.einvoice_address":  `"003712345671"`,
			"seller.einvoice_operator": `"NDEAFIHH"`,
			"seller.contact_name":      `"Lasteri-laskutus"`,
			"seller.contact_email":     `"lasteri@example.fi"`,
			"seller.contact_phone":     `"+358 9 123 4567"`,
			"inputs.population":        `"vaesto-11re-2021.csv"`,
			"payers[1].id":             `"091"`,
			"payers[1].name":           `"Helsinki"`,
			"payers[1].name_sv":        `"Helsingfors"`,
			"payers[1].contract_start": `2022-01-01`,
			"payers[1].street":         `"PL 1"`,
			"payers[1].postcode":       `"00099"`,
			"payers[1].city":           `"Helsingin kaupunki"`,
			"payers[1].email":          `"laskut@hel.example.fi"`,
		},
		validate: []string{"--cycle", "2022"},
		dryRun:   []string{"--cycle", "2022", "--issue-date", "2023-01-16"},
	},
}

// placeholderLine is one placeholder as validate lists it.
var placeholderLine = regexp.MustCompile(`line (\d+): (\S+) still holds the placeholder "(<fill in: [^"]*>)"; replace it with your value`)

// TestInit writes each scheme's starter into a new folder, refuses to write
// it again, lists the placeholders with their lines through validate (exit
// 3), and after every placeholder is filled in (with the example's
// population) validates and dry-runs a cycle (exit 0).
func TestInit(t *testing.T) {
	for _, tc := range initCases {
		t.Run(tc.scheme, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "uusi", "kaava")
			r := run(t, nil, "init", "--scheme", tc.scheme, dir)
			if r.code != exitOK {
				t.Fatalf("init: exit %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			config := filepath.Join(dir, "kuntalasku.toml")
			if !strings.Contains(r.stdout, "kuntalasku validate --config "+config) {
				t.Errorf("init does not print the next command:\n%s", r.stdout)
			}
			if got := strings.Join(listFiles(t, dir), " "); got != strings.Join(tc.files, " ") {
				t.Fatalf("init wrote %s, want %s", got, strings.Join(tc.files, " "))
			}
			before := map[string][]byte{}
			for _, f := range tc.files {
				path := filepath.Join(dir, f)
				if !strings.Contains(r.stdout, path) {
					t.Errorf("init does not list %s:\n%s", path, r.stdout)
				}
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if perm := fi.Mode().Perm(); perm&^0o644 != 0 {
					t.Errorf("%s has mode %v, want at most 0644", f, perm)
				}
				before[f], _ = os.ReadFile(path)
			}
			for f, header := range tc.headers {
				// Header only: a row would be billed.
				if got, want := string(before[f]), "\ufeff"+header+"\r\n"; got != want {
					t.Errorf("%s holds %q, want only the header %q", f, got, want)
				}
			}

			// Never overwrites: the same folder is refused, nothing changes.
			r = run(t, nil, "init", "--scheme", tc.scheme, dir)
			if r.code != exitUsage || !strings.Contains(r.stderr, "never overwrites") || !strings.Contains(r.stderr, config) {
				t.Errorf("init into the same folder: exit %d, want %d naming %s; stderr:\n%s", r.code, exitUsage, config, r.stderr)
			}
			for f, data := range before {
				if now, err := os.ReadFile(filepath.Join(dir, f)); err != nil || !bytes.Equal(now, data) {
					t.Errorf("%s changed by the refused init (%v)", f, err)
				}
			}
			if got := strings.Join(listFiles(t, dir), " "); got != strings.Join(tc.files, " ") {
				t.Errorf("after the refused init the folder holds %s", got)
			}

			// Placeholders are reported, every one with its line and key.
			text := string(before["kuntalasku.toml"])
			r = run(t, nil, append([]string{"validate", "--config", config}, tc.validate...)...)
			if r.code != exitInput {
				t.Fatalf("validate of the starter: exit %d, want %d; stderr:\n%s", r.code, exitInput, r.stderr)
			}
			listed := placeholderLine.FindAllStringSubmatch(r.stderr, -1)
			lines := strings.Split(text, "\n")
			var want int
			for _, l := range lines {
				if strings.Contains(l, `"<fill in: `) && !strings.HasPrefix(strings.TrimSpace(l), "#") {
					want++
				}
			}
			if want < 20 || len(listed) != want {
				t.Fatalf("validate lists %d placeholders, the file holds %d:\n%s", len(listed), want, r.stderr)
			}
			if strings.Count(r.stderr, "\n  ") != want {
				t.Errorf("validate reports more than the placeholders:\n%s", r.stderr)
			}

			// Fill them in where validate says they are.
			for _, m := range listed {
				n, _ := strconv.Atoi(m[1])
				key, placeholder := m[2], m[3]
				value, ok := tc.fill[key]
				if !ok {
					t.Errorf("line %d: no value in the test for %s (%s)", n, key, placeholder)
					continue
				}
				l := lines[n-1]
				if !strings.Contains(l, `"`+placeholder+`"`) || !strings.HasPrefix(l, key[strings.LastIndex(key, ".")+1:]+" = ") {
					t.Errorf("line %d is %q, validate says %s holds %s", n, l, key, placeholder)
					continue
				}
				lines[n-1] = strings.Replace(l, `"`+placeholder+`"`, value, 1)
			}
			if t.Failed() {
				t.FailNow()
			}
			for i, l := range lines {
				if strings.Contains(l, `"<fill in`) && !strings.HasPrefix(strings.TrimSpace(l), "#") {
					t.Fatalf("line %d: a placeholder is left after filling in every one validate listed: %s", i+1, l)
				}
			}
			filled := strings.Join(lines, "\n")
			if err := os.WriteFile(config, []byte(filled), 0o644); err != nil {
				t.Fatal(err)
			}
			pop, err := os.ReadFile(tc.population)
			if err != nil {
				t.Fatal(err)
			}
			name, _ := strconv.Unquote(tc.fill["inputs.population"])
			if err := os.WriteFile(filepath.Join(dir, name), pop, 0o644); err != nil {
				t.Fatal(err)
			}
			r = run(t, nil, append([]string{"validate", "--config", config}, tc.validate...)...)
			if r.code != exitOK || !strings.Contains(r.stdout, "Nothing was written") {
				t.Fatalf("validate of the filled-in starter: exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			out := filepath.Join(t.TempDir(), "out")
			r = run(t, nil, append([]string{"run", "--config", config, "--out", out, "--dry-run"}, tc.dryRun...)...)
			if r.code != exitOK {
				t.Fatalf("a dry run of the filled-in starter: exit %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the dry run wrote %s (%v)", out, err)
			}
		})
	}
}

// TestInitRefusesAnyExistingFile: a folder holding one of init's files (here
// someone's own configuration) is refused and nothing is added to it.
func TestInitRefusesAnyExistingFile(t *testing.T) {
	for _, tc := range initCases {
		t.Run(tc.scheme, func(t *testing.T) {
			for _, f := range tc.files {
				dir := t.TempDir()
				path := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				r := run(t, nil, "init", "--scheme", tc.scheme, dir)
				if r.code != exitUsage || !strings.Contains(r.stderr, path) {
					t.Errorf("init into a folder with %s: exit %d, want %d naming it; stderr:\n%s", f, r.code, exitUsage, r.stderr)
				}
				if got := listFiles(t, dir); len(got) != 1 || got[0] != f {
					t.Errorf("the refused init left %v, want only %s", got, f)
				}
				if data, _ := os.ReadFile(path); string(data) != "mine\n" {
					t.Errorf("%s was changed: %q", f, data)
				}
			}
		})
	}
	// A file where init would make a folder is refused as well.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "activity"), []byte("x"), 0o644)
	if r := run(t, nil, "init", "--scheme", "cost-sharing", dir); r.code != exitUsage || len(listFiles(t, dir)) != 1 {
		t.Errorf("init over a file named activity: exit %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
	}
}

// TestInitCommentsEveryKey checks that the starter configurations explain
// every setting: each key line carries a comment, or a comment line stands
// at most three lines above it in the same table.
func TestInitCommentsEveryKey(t *testing.T) {
	keyLine := regexp.MustCompile(`^[A-Za-z0-9_.-]+\s*=`)
	for _, tc := range initCases {
		t.Run(tc.scheme, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "k")
			if r := run(t, nil, "init", "--scheme", tc.scheme, dir); r.code != exitOK {
				t.Fatalf("init: exit %d; stderr:\n%s", r.code, r.stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, "kuntalasku.toml"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(data), "\n")
			keys := 0
			for i, l := range lines {
				if !keyLine.MatchString(l) {
					continue
				}
				keys++
				explained := strings.Contains(l, " # ")
				for j := i - 1; j >= 0 && j >= i-3 && !explained; j-- {
					p := strings.TrimSpace(lines[j])
					if strings.HasPrefix(p, "[") {
						break // the table starts: a comment above it is not about this key
					}
					explained = strings.HasPrefix(p, "#")
				}
				if !explained {
					t.Errorf("line %d %q: no comment explains it", i+1, l)
				}
			}
			if keys < 25 {
				t.Errorf("only %d key lines found", keys)
			}
		})
	}
}

func TestInitUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args    []string
		want    int
		wantErr string
	}{
		{[]string{"init", filepath.Join(dir, "a")}, exitUsage, "--scheme is required"},
		{[]string{"init", "--scheme", "kustannusjako", filepath.Join(dir, "b")}, exitUsage, "cost-sharing or per-resident"},
		{[]string{"init", "--scheme", "cost-sharing"}, exitUsage, "give the folder"},
		{[]string{"init", "--scheme", "cost-sharing", filepath.Join(dir, "c"), filepath.Join(dir, "d")}, exitUsage, "unexpected argument"},
		{[]string{"init", "--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{"init", "-h"}, exitOK, "Example:\n  kuntalasku init --scheme cost-sharing"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, nil, tt.args...)
			if r.code != tt.want || !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("exit %d, want %d with %q; stderr:\n%s", r.code, tt.want, tt.wantErr, r.stderr)
			}
		})
	}
	if got := listFiles(t, dir); len(got) != 0 {
		t.Errorf("a refused init wrote %v", got)
	}
	// The folder may also come before the flag.
	if r := run(t, nil, "init", filepath.Join(dir, "e"), "--scheme", "per-resident"); r.code != exitOK {
		t.Errorf("init DIR --scheme: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if r := run(t, nil, "help"); !strings.Contains(r.stdout, "  init ") {
		t.Errorf("help does not list init:\n%s", r.stdout)
	}
}

// TestInitPlaceholderScan checks the placeholder check of the configuration
// on its own: comments are skipped, keys are named with their table, and a
// placeholder on a continued line is the statement's.
func TestInitPlaceholderScan(t *testing.T) {
	text := strings.Join([]string{
		`# Replace every "<fill in: ...>" value.`,
		`[scheme]`,
		`id = "<fill in: an id, e.g. x>" # not "<fill in: this>"`,
		`[[payers]]`,
		`id = "019"`,
		`[[payers]]`,
		`email = [`,
		`  "<fill in: an address, e.g. a@example.fi>",`,
		`]`,
		`[per_resident]`,
		`fee_vat_ground = '<fill in: the ground>'`,
	}, "\n")
	_, err := parseConfig("/x/kuntalasku.toml", []byte(text))
	if exitCode(err) != exitInput {
		t.Fatalf("exit %d for %v, want %d", exitCode(err), err, exitInput)
	}
	msg := err.Error()
	for _, want := range []string{
		`configuration /x/kuntalasku.toml has 3 problems:`,
		`line 3: scheme.id still holds the placeholder "<fill in: an id, e.g. x>"; replace it with your value`,
		`line 8: payers[2].email still holds the placeholder "<fill in: an address, e.g. a@example.fi>"; replace it with your value`,
		`line 11: per_resident.fee_vat_ground still holds the placeholder "<fill in: the ground>"; replace it with your value`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "placeholder") != 3 {
		t.Errorf("want exactly 3 placeholders reported:\n%s", msg)
	}
	// The examples hold none.
	for _, ex := range []string{"varsinais-suomi", "lasteri"} {
		data, err := os.ReadFile(filepath.Join("../../examples", ex, "kuntalasku.toml"))
		if err != nil {
			t.Fatal(err)
		}
		if p := placeholderProblems(string(data)); len(p) > 0 {
			t.Errorf("%s: %s", ex, fmt.Sprint(p))
		}
	}
}
