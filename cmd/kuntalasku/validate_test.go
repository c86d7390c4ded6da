package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sourceLine is the validate report's line of one source, white space collapsed.
func sourceLine(t *testing.T, out, source string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == source {
			return strings.Join(f, " ")
		}
	}
	t.Fatalf("no line for %s in:\n%s", source, out)
	return ""
}

// TestValidateExample counts the example's activity logs, whose generator
// (examples/generate) made them with known numbers: per cycle the events of
// participants, the 347 calls of 1.–7.7. that both phone exports hold, and 4
// events of Uusikaupunki and 1–3 unknown municipalities a month.
func TestValidateExample(t *testing.T) {
	exampleDir := filepath.Dir(exampleConfig)
	before := listFiles(t, exampleDir)
	cwd, _ := os.Getwd()
	beforeHere := listFiles(t, cwd)
	for _, tc := range []struct {
		cycle   string
		sources map[string]string // source: files rows counted duplicates out-of-period unattributed ignored
		total   string
		notes   []string
	}{
		{
			cycle: "", // the contract period 1.1.–30.11.2021: December's events are outside
			sources: map[string]string{
				"puhelin":       "puhelin 2 21,487 19,381 347 1,725 34 0",
				"asiakastiedot": "asiakastiedot 1 14,154 13,009 0 1,115 30 0",
			},
			total: "Total 3 35,641 32,390 347 2,840 64 0",
			notes: []string{"44 events of non-participating municipalities, 20 of unknown or empty", "The first 20:"},
		},
		{
			cycle: "2021-07", // the phone exports overlap on 1.–7.7.
			total: "Total 3 35,641 2,681 347 32,607 6 0",
			notes: []string{"4 events of non-participating municipalities, 2 of unknown or empty", `row 1452: "" (unknown)`, `(non-participant)`},
		},
		{
			cycle: "2021-02", // 1.2.2021 00:00:00 is February's, 31.1. 23:59:59 January's
			total: "Total 3 35,641 2,939 0 32,697 5 0",
		},
		{
			cycle: "2021-03", // the DST change on 28.3. and 31.3. 23:59:59 +03:00
			total: "Total 3 35,641 3,240 0 32,395 6 0",
		},
	} {
		t.Run("cycle "+tc.cycle, func(t *testing.T) {
			args := []string{"validate", "--config", exampleConfig}
			if tc.cycle != "" {
				args = append(args, "--cycle", tc.cycle)
			}
			r := run(t, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			for src, want := range tc.sources {
				if got := sourceLine(t, r.stdout, src); got != want {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}
			if got := sourceLine(t, r.stdout, "Total"); got != tc.total {
				t.Errorf("got  %s\nwant %s\n%s", got, tc.total, r.stdout)
			}
			for _, n := range append(tc.notes, "46,505 residents aged 75 or over", "Nothing was written.") {
				if !strings.Contains(r.stdout, n) {
					t.Errorf("the report lacks %q:\n%s", n, r.stdout)
				}
			}
		})
	}
	if after := listFiles(t, exampleDir); !slices.Equal(before, after) {
		t.Errorf("validate changed the example folder: %v → %v", before, after)
	}
	if after := listFiles(t, cwd); !slices.Equal(beforeHere, after) {
		t.Errorf("validate wrote into the working folder: %v → %v", beforeHere, after)
	}
}

// TestValidateBadActivities feeds broken activity exports through
// --activities: exit 3, the file, row and column named.
func TestValidateBadActivities(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := "aika;kunta;tyyppi;tunniste\n2.7.2021 9:00;Turku;puhelu;x1\n"
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown type", []string{write("type.csv", good+"2.7.2021 9:05;Turku;kirje;x2\n")}, exitInput,
			[]string{"type.csv", "row 3, column 3", `"kirje" is not an activity type`}},
		{"impossible date", []string{write("date.csv", good+"31.6.2021 9:05;Turku;puhelu;x2\n")}, exitInput,
			[]string{"date.csv", "row 3, column 1", "impossible date"}},
		{"missing header", []string{write("header.csv", "2.7.2021 9:00;Turku;puhelu\n")}, exitInput,
			[]string{"header.csv", "row 1", "no time column (aika or time)"}},
		{"binary garbage", []string{write("garbage.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"+strings.Repeat("\x00\xff\x13", 100))}, exitInput,
			[]string{"garbage.csv", "not a text file"}},
		{"every file's problems", []string{write("a.csv", good+"x;Turku;puhelu;x2\n"), "puhelin=" + write("b.csv", good)}, exitInput,
			[]string{"a.csv: row 3, column 1", "b.csv: row 1", `no time column "Aloitusaika" (from the configuration)`}},
		{"unknown source", []string{"nope=" + write("c.csv", good)}, exitUsage,
			[]string{`no activity source "nope"`, "puhelin, asiakastiedot"}},
		{"missing file", []string{filepath.Join(dir, "absent.csv")}, exitInput,
			[]string{"absent.csv", "no such file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"validate", "--config", exampleConfig, "--cycle", "2021-07"}
			for _, a := range tc.args {
				args = append(args, "--activities", a)
			}
			r := run(t, nil, args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("message lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}

	// A good canonical file alone, read with no mapping.
	r := run(t, nil, "validate", "--config", exampleConfig, "--cycle", "2021-07", "--activities", write("ok.csv", good+good[len("aika;kunta;tyyppi;tunniste\n"):]))
	if r.code != 0 || sourceLine(t, r.stdout, "(canonical)") != "(canonical) 1 2 1 1 0 0 0" {
		t.Errorf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
}

// TestValidateBadSourceConfiguration breaks the example's activity sources.
func TestValidateBadSourceConfiguration(t *testing.T) {
	orig, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		{"bad fixed type", `fixed_type = "call"`, `fixed_type = "fax"`, `activity_sources[1] (puhelin).fixed_type: "fax": expected call, visit`},
		{"fixed type and a type column", `fixed_type = "call"`, "fixed_type = \"call\"\ntype_column = \"Laji\"", `given with type_column "Laji"`},
		{"the same source twice", `id = "asiakastiedot"`, `id = "puhelin"`, `"puhelin" is given twice`},
		{"no files", `files = ["activity/asiakastiedot-2021.csv"]`, `files = []`, `activity_sources[2] (asiakastiedot).files: missing`},
		{"no file matches", `files = ["activity/asiakastiedot-2021.csv"]`, `files = ["activity/nothing-*.csv"]`, `activity source asiakastiedot: no file matches activity/nothing-*.csv`},
		{"a non-participant that pays", `id = "895"`, `id = "853"`, `non_participants[1].id: "853" is also a payer (Turku)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(orig), tc.old) {
				t.Fatalf("the example has no %q", tc.old)
			}
			cfg := filepath.Join(copyExample(t), "kuntalasku.toml")
			if err := os.WriteFile(cfg, []byte(strings.Replace(string(orig), tc.old, tc.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, nil, "validate", "--config", cfg)
			if r.code != exitInput || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 3 with %q:\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

// copyExample copies the example folder (configuration, population, activity
// logs) to a temporary folder and returns it.
func copyExample(t *testing.T) string {
	t.Helper()
	src, dst := filepath.Dir(exampleConfig), t.TempDir()
	for _, rel := range listFiles(t, src) {
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
