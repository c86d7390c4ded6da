package main

import (
	"os"
	"path/filepath"
	"regexp"
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

// TestValidateEmail: validate says how send would deliver — to the outbox,
// or through which server with which TLS mode — and warns, still exiting 0,
// when the connection would not be encrypted, for both kinds of scheme. It
// never shows the password; a KUNTALASKU_SMTP_URL that send would refuse is
// refused.
func TestValidateEmail(t *testing.T) {
	const secret = "s3cr3t-Salasana-4711"
	_, relay := editedExample(t, "\n[[payers]]\nid = \"019\"", "\n[smtp]\nhost = \"relay.example.fi\"\ntls = \"none\"\n\n[[payers]]\nid = \"019\"")
	costSharing := []string{"validate", "--config", exampleConfig, "--cycle", "2021-07"}
	perResident := []string{"validate", "--config", lasteriConfig, "--cycle", "2022"}
	warning := regexp.MustCompile(`(?m)^WARNING: mail to (\S+) would not be encrypted`)
	for _, tc := range []struct {
		about string
		env   []string
		args  []string
		want  []string
		warn  string // the address the warning names; "" for none
	}{
		{"no server", nil, costSharing,
			[]string{"No SMTP server is configured", "out/vsa-asiakasohjaus/2021-07/outbox/"}, ""},
		{"no server, per resident", nil, perResident,
			[]string{"No SMTP server is configured", "out/lasteri/2022/outbox/"}, ""},
		{"STARTTLS", []string{"KUNTALASKU_SMTP_URL=smtp://invoicer@mail.example.fi", "KUNTALASKU_SMTP_PASSWORD=" + secret}, costSharing,
			[]string{`Server mail.example.fi:587 (from KUNTALASKU_SMTP_URL), TLS mode "starttls"`, `login as "invoicer" with the password in KUNTALASKU_SMTP_PASSWORD`, "Sender Esimerkkikaupunki <laskutus@example.fi>"}, ""},
		{"implicit TLS", []string{"KUNTALASKU_SMTP_URL=smtps://invoicer@mail.example.fi"}, perResident,
			[]string{`Server mail.example.fi:465 (from KUNTALASKU_SMTP_URL), TLS mode "tls"`, "KUNTALASKU_SMTP_PASSWORD is not set"}, ""},
		{"smtp+plain URL", []string{"KUNTALASKU_SMTP_URL=smtp+plain://127.0.0.1:2525"}, costSharing,
			[]string{`Server 127.0.0.1:2525 (from KUNTALASKU_SMTP_URL), TLS mode "none": NOT ENCRYPTED`, "no login", `tls = "starttls"`, "smtps://"}, "127.0.0.1:2525"},
		{"smtp+plain URL, per resident", []string{"KUNTALASKU_SMTP_URL=smtp+plain://relay.example.fi"}, perResident,
			[]string{`TLS mode "none"`}, "relay.example.fi:25"},
		{"tls = none in the configuration", nil, []string{"validate", "--config", relay, "--cycle", "2021-07"},
			[]string{`Server relay.example.fi:25 (from [smtp] of the configuration), TLS mode "none"`}, "relay.example.fi:25"},
		{"smtp+plain URL and a password", []string{"KUNTALASKU_SMTP_URL=smtp+plain://127.0.0.1:2525", "KUNTALASKU_SMTP_PASSWORD=" + secret}, costSharing,
			[]string{"WARNING: a user name or KUNTALASKU_SMTP_PASSWORD is set: send refuses to send them without TLS"}, "127.0.0.1:2525"},
	} {
		t.Run(tc.about, func(t *testing.T) {
			r := proc(t, "", tc.env, tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
			}
			_, section, ok := strings.Cut(r.stdout, "\nEmail:\n")
			if !ok || !strings.HasSuffix(r.stdout, "\nNothing was written.\n") {
				t.Fatalf("no Email: section before the last line:\n%s", r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(section, w) {
					t.Errorf("the Email: section lacks %q:\n%s", w, section)
				}
			}
			m := warning.FindStringSubmatch(section)
			switch {
			case tc.warn == "" && (m != nil || strings.Contains(r.stdout, "WARNING")):
				t.Errorf("a warning for an encrypted connection:\n%s", section)
			case tc.warn != "" && m == nil:
				t.Errorf("no line starting with WARNING: about the unencrypted connection:\n%s", section)
			case tc.warn != "" && m[1] != tc.warn:
				t.Errorf("the warning names %s, want %s", m[1], tc.warn)
			}
			if strings.Contains(r.stdout+r.stderr, secret) {
				t.Errorf("the password is shown:\n%s%s", r.stdout, r.stderr)
			}
		})
	}

	// Settings send would refuse are refused here too, unechoed.
	for _, tc := range []struct {
		env  []string
		code int
		want string
	}{
		{[]string{"KUNTALASKU_SMTP_URL=smtp://invoicer:" + secret + "@mail.example.fi"}, exitUsage, "KUNTALASKU_SMTP_URL: mail: the SMTP URL must not contain a password"},
		{[]string{"KUNTALASKU_SMTP_URL=smtp+plain://invoicer@mail.example.fi"}, exitUsage, "AUTH is never sent without TLS"},
		{[]string{"KUNTALASKU_SMTP_URL=smtp://mail.example.fi", "KUNTALASKU_SMTP_CA=" + filepath.Join(t.TempDir(), "absent.pem")}, exitInput, "absent.pem"},
	} {
		r := proc(t, "", tc.env, costSharing...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tc.env, r.code, tc.code, tc.want, r.stdout, r.stderr)
		}
	}
}
