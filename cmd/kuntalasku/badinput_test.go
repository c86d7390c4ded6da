package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
)

// The bad-input corpus (issue 15, SPEC 9): testdata/bad-input holds one
// folder per case, each a case.toml and the files that replace or join an
// example's. TestBadInputCorpus runs every case through the real binary on
// top of an example whose first cycle is invoiced, and checks what a finance
// office must be able to count on: exit code 3, a message naming the file
// (and the sheet, row and column where there are such) and what was
// expected, no panic, no new output folder, and the ledger and every file
// of the earlier run byte for byte as they were.
//
// The corpus is written by writeBadInputCorpus (badinput_corpus_test.go)
// from the examples: go test ./cmd/kuntalasku -run TestBadInputCorpus
// -update-corpus rewrites it; read the diff before committing.

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/bad-input from the examples")

const badInputDir = "../../testdata/bad-input"

// badCase is a case.toml.
type badCase struct {
	About string `toml:"about"`
	// Example is the example folder the case starts from: "varsinais-suomi"
	// (the default) or "lasteri".
	Example string `toml:"example,omitempty"`
	// Edit are replacements in the example's kuntalasku.toml, [old, new],
	// each of which must match.
	Edit [][]string `toml:"edit,omitempty"`
	// Generate are files made when the test runs, too big to keep: path in
	// the example folder → kind ("long-line": 10 MB without a line break).
	Generate map[string]string `toml:"generate,omitempty"`
	// Args replace the command's arguments after "run"; "{config}" is the
	// case's configuration. Default: the example's second cycle.
	Args []string `toml:"args,omitempty"`
	// Want are the parts the error message must contain.
	Want []string `toml:"want"`
}

// badExample is an example with its first cycle invoiced, shared by the
// cases that start from it.
type badExample struct {
	once sync.Once
	dir  string // holds ex/ (the example's files) and out/ (its output and ledger)
	err  error
}

var badExamples = map[string]*badExample{"varsinais-suomi": {}, "lasteri": {}}

// cycles of each example: the one invoiced before the cases, the one the
// cases try.
var badCycles = map[string][2][]string{
	"varsinais-suomi": {{"--cycle", "2021-01", "--issue-date", "2021-02-01"}, {"--cycle", "2021-02", "--issue-date", "2021-03-01"}},
	"lasteri":         {{"--cycle", "2022", "--issue-date", "2023-01-16"}, {"--cycle", "2023", "--issue-date", "2024-01-15"}},
}

func (e *badExample) prepare(t *testing.T, name, root string) string {
	e.once.Do(func() {
		e.dir = filepath.Join(root, name)
		if e.err = os.CopyFS(filepath.Join(e.dir, "ex"), os.DirFS(filepath.Join("../../examples", name))); e.err != nil {
			return
		}
		args := append([]string{"run", "--config", filepath.Join(e.dir, "ex", "kuntalasku.toml"), "--out", filepath.Join(e.dir, "out")}, badCycles[name][0]...)
		cmd := child(t, nil, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			e.err = fmt.Errorf("the first cycle of %s: %v\n%s", name, err, out)
		}
	})
	if e.err != nil {
		t.Fatal(e.err)
	}
	return e.dir
}

func TestBadInputCorpus(t *testing.T) {
	if *updateCorpus {
		if err := writeBadInputCorpus(badInputDir); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(badInputDir)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	cases := 0
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		cases++
		name := entry.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runBadCase(t, root, filepath.Join(badInputDir, name))
		})
	}
	if cases < 40 {
		t.Errorf("the corpus has %d cases, want at least 40", cases)
	}
}

func runBadCase(t *testing.T, root, caseDir string) {
	var c badCase
	md, err := toml.DecodeFile(filepath.Join(caseDir, "case.toml"), &c)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("case.toml: unknown keys %v", u)
	}
	if c.About == "" || len(c.Want) == 0 {
		t.Fatal("case.toml: about and want are required")
	}
	if c.Example == "" {
		c.Example = "varsinais-suomi"
	}
	ex, ok := badExamples[c.Example]
	if !ok {
		t.Fatalf("case.toml: no example %q", c.Example)
	}
	base := ex.prepare(t, c.Example, root)

	// The case's own copy of the example and of its output.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
		t.Fatal(err)
	}
	exDir, out := filepath.Join(dir, "ex"), filepath.Join(dir, "out")
	err = filepath.WalkDir(caseDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == filepath.Join(caseDir, "case.toml") {
			return err
		}
		rel, _ := filepath.Rel(caseDir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(exDir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel, kind := range c.Generate {
		data, err := generateBadFile(kind)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(exDir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(exDir, "kuntalasku.toml")
	if len(c.Edit) > 0 {
		text, err := os.ReadFile(config)
		if err != nil {
			t.Fatal(err)
		}
		s := string(text)
		for _, e := range c.Edit {
			if len(e) != 2 || !strings.Contains(s, e[0]) {
				t.Fatalf("case.toml: edit %q does not match the example's configuration", e)
			}
			s = strings.Replace(s, e[0], e[1], 1)
		}
		if err := os.WriteFile(config, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	before := treeDigest(t, out)
	args := append([]string{"run", "--config", config, "--out", out}, badCycles[c.Example][1]...)
	if c.Args != nil {
		args = []string{}
		for _, a := range c.Args {
			args = append(args, strings.NewReplacer("{config}", config, "{out}", out, "{dir}", exDir).Replace(a))
		}
	}
	r := proc(t, exDir, nil, args...)
	code, stderr := r.code, r.stderr
	msg := errorMessage(stderr)
	if code != exitInput {
		t.Errorf("exit %d, want %d (invalid input)\nstderr:\n%s", code, exitInput, clip(stderr))
	}
	for _, bad := range []string{"panic:", "goroutine ", "runtime error"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr has %q:\n%s", bad, clip(stderr))
		}
	}
	if msg == "" {
		t.Errorf("no error message on stderr:\n%s", clip(stderr))
	}
	for _, w := range c.Want {
		if !strings.Contains(msg, w) {
			t.Errorf("the message does not say %q:\n%s", w, clip(msg))
		}
	}
	t.Logf("%s: %s", c.About, strings.ReplaceAll(msg, dir, "…"))
	if changed := diffDigests(before, treeDigest(t, out)); len(changed) > 0 {
		t.Errorf("the output folder changed: %s", strings.Join(changed, ", "))
	}
}

// errorMessage is what kuntalasku said on stderr about the failure: the
// lines from the first "kuntalasku: " on, without progress lines.
func errorMessage(stderr string) string {
	i := strings.Index(stderr, "kuntalasku: ")
	if i < 0 {
		return ""
	}
	return stderr[i:]
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// treeDigest is every file under dir (the output folder, the ledger with
// it) by path, with its SHA-256; a missing dir has none.
func treeDigest(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[rel] = fmt.Sprintf("%x", sha256.Sum256(data))[:12]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// diffDigests lists what differs between two treeDigests.
func diffDigests(before, after map[string]string) []string {
	var changed []string
	for k, v := range before {
		if w, ok := after[k]; !ok {
			changed = append(changed, k+" removed")
		} else if w != v {
			changed = append(changed, k+" changed")
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			changed = append(changed, k+" added")
		}
	}
	slices.Sort(changed)
	return changed
}

// generateBadFile makes a file of a kind named in a case.toml.
func generateBadFile(kind string) ([]byte, error) {
	switch kind {
	case "long-line":
		// 10 MB of text without a line break, starting like the header.
		b := bytes.Repeat([]byte("aika,kunta,tyyppi,tunniste"), 10<<20/26+1)
		return b[:10<<20], nil
	}
	return nil, fmt.Errorf("no generated file of kind %q", kind)
}
