package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzParseConfig reads configuration text: the examples, and each configuration the bad-input
// corpus edits, are the seeds. A configuration is either accepted — and then it is one the
// commands can work with — or refused as invalid input (exit 3) with a message that names the
// file; never a panic.
func FuzzParseConfig(f *testing.F) {
	for _, ex := range []string{"varsinais-suomi", "lasteri"} {
		data, err := os.ReadFile(filepath.Join("../../examples", ex, "kuntalasku.toml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	// The configurations of the bad-input corpus: the examples' with its edits.
	cases, err := filepath.Glob(filepath.Join(badInputDir, "*", "case.toml"))
	if err != nil || len(cases) == 0 {
		f.Fatalf("no bad-input cases: %v", err)
	}
	for _, file := range cases {
		var c badCase
		if _, err := toml.DecodeFile(file, &c); err != nil {
			f.Fatal(err)
		}
		if len(c.Edit) == 0 {
			continue
		}
		if c.Example == "" {
			c.Example = "varsinais-suomi"
		}
		data, err := os.ReadFile(filepath.Join("../../examples", c.Example, "kuntalasku.toml"))
		if err != nil {
			f.Fatal(err)
		}
		text := string(data)
		for _, e := range c.Edit {
			text = strings.Replace(text, e[0], e[1], 1)
		}
		f.Add(text)
	}
	f.Add("[scheme]\nid = \"x\"\nkind = \"cost-sharing\"\n[[payers]]\nid = \"019\"\n[[payers]]\nid = \"019\"\n")
	f.Add("[cost_sharing]\nbudget = \"1e400\"\nperiod_start = 2021-02-30\n")
	f.Add("payers = 3\n[seller]\niban = \"FI00 0000\"\nbusiness_id = \"0000000-0\"\n")
	f.Add("")

	const path = "/srv/kuntalasku/kuntalasku.toml"
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := parseConfig(path, []byte(text))
		if err != nil {
			if exitCode(err) != exitInput {
				t.Fatalf("exit %d for %v, want %d (invalid input)", exitCode(err), err, exitInput)
			}
			if !strings.Contains(err.Error(), "kuntalasku.toml") {
				t.Fatalf("the message does not name the file: %v", err)
			}
			return
		}
		if len(cfg.Payers) == 0 {
			t.Fatal("a configuration without payers was accepted")
		}
		seen := map[string]bool{}
		for _, p := range cfg.Payers {
			if p.ID == "" || seen[p.ID] {
				t.Fatalf("payer id %q accepted empty or twice", p.ID)
			}
			seen[p.ID] = true
		}
		if cfg.Scheme.ID == "" || cfg.Scheme.Prefix == "" {
			t.Fatalf("accepted without a scheme id or prefix: %+v", cfg.Scheme)
		}
	})
}
