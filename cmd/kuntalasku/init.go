package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/kuntalasku/kuntalasku/templates"
)

// runInit is "kuntalasku init": it writes a commented starter configuration
// for a scheme into a folder, with empty input files (header rows only) and
// a README of the next steps. Organisation-specific values are placeholders
// ("<fill in: ...>") that LoadConfig refuses until they are replaced. It never
// overwrites a file: a folder that already holds any of them is refused and
// nothing is written.
func (m *Main) runInit(_ context.Context, args []string) error {
	fset := m.flagSet("init", "--scheme cost-sharing|per-resident DIR",
		"kuntalasku init --scheme cost-sharing palveluohjaus")
	scheme := fset.String("scheme", "", "the kind of billing `scheme` (required): cost-sharing (a budget split by residents aged 75+ and activities) or per-resident (a fee per resident and year, plus hours); DIR is the folder to write into, created if missing")
	dir, err := parseInitArgs(fset, args)
	if err != nil {
		return err
	}
	if *scheme == "" {
		fset.Usage()
		return &usageError{fmt.Sprintf("init: --scheme is required: %s", strings.Join(templates.StarterSchemes, " or "))}
	}
	files, err := templates.Starter(*scheme)
	if err != nil {
		return &usageError{fmt.Sprintf("init: --scheme %q: expected %s", *scheme, strings.Join(templates.StarterSchemes, " or "))}
	}
	if dir == "" {
		fset.Usage()
		return &usageError{"init: give the folder to write into, such as: kuntalasku init --scheme " + *scheme + " palveluohjaus"}
	}
	if err := checkInitTarget(dir, files); err != nil {
		return err
	}
	if err := writeStarter(dir, files); err != nil {
		return err
	}

	w := m.Stdout
	fmt.Fprintf(w, "Wrote a starter configuration of the %s scheme:\n", *scheme)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range files {
		fmt.Fprintf(tw, "  %s\t%s\n", filepath.Join(dir, filepath.FromSlash(f.Path)), f.What)
	}
	tw.Flush()
	config := filepath.Join(dir, "kuntalasku.toml")
	cycle := ""
	if *scheme == KindPerResident {
		cycle = " --cycle YYYY"
	}
	fmt.Fprintf(w, "\nNext: replace every \"<fill in: ...>\" in %s and follow %s, then run\n  kuntalasku validate --config %s%s\n",
		config, filepath.Join(dir, "README.txt"), shellQuote(config), cycle)
	return nil
}

// parseInitArgs parses init's flags and its one argument, the folder; the
// flags may come before or after it.
func parseInitArgs(fset *flag.FlagSet, args []string) (string, error) {
	parse := func(args []string) error {
		if err := fset.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return err
			}
			return &usageError{fmt.Sprintf("init: %v", err)}
		}
		return nil
	}
	if err := parse(args); err != nil {
		return "", err
	}
	if fset.NArg() == 0 {
		return "", nil
	}
	dir := fset.Arg(0)
	if err := parse(fset.Args()[1:]); err != nil {
		return "", err
	}
	if fset.NArg() > 0 {
		fset.Usage()
		return "", &usageError{fmt.Sprintf("init: unexpected argument %q: give one folder", fset.Arg(0))}
	}
	return dir, nil
}

// checkInitTarget refuses a folder that already holds any file init would
// write (or something else where a file or its folder would go).
func checkInitTarget(dir string, files []templates.StarterFile) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return &usageError{fmt.Sprintf("init: %s exists and is not a folder; give a new or empty folder", dir)}
	}
	var there []string
	seen := map[string]bool{}
	for _, f := range files {
		// The file's own folders below dir must be folders, the file new.
		parts := strings.Split(f.Path, "/")
		for i := 1; i <= len(parts); i++ {
			p := filepath.Join(dir, filepath.Join(parts[:i]...))
			fi, err := os.Lstat(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue
			case err != nil:
				return fmt.Errorf("init: %w", err)
			case i < len(parts) && fi.IsDir():
				continue
			}
			if !seen[p] {
				seen[p] = true
				there = append(there, p)
			}
			break
		}
	}
	if len(there) > 0 {
		return &usageError{fmt.Sprintf("init: %s already holds %s; init never overwrites anything, so nothing was written: give a new or empty folder, or move them away",
			dir, strings.Join(there, ", "))}
	}
	return nil
}

// writeStarter writes the files into dir (folders 0755, files 0644), each
// created new. When one cannot be written, the files and folders written
// so far are removed again.
func writeStarter(dir string, files []templates.StarterFile) (err error) {
	var made []string // files and folders created, in order
	defer func() {
		if err != nil {
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i])
			}
		}
	}()
	var mkdir func(d string) error
	mkdir = func(d string) error {
		if _, err := os.Stat(d); err == nil {
			return nil
		}
		if parent := filepath.Dir(d); parent != d {
			if err := mkdir(parent); err != nil {
				return err
			}
		}
		if err := os.Mkdir(d, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return nil
			}
			return fmt.Errorf("init: %w", err)
		}
		made = append(made, d)
		return nil
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := mkdir(filepath.Dir(path)); err != nil {
			return err
		}
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return &usageError{fmt.Sprintf("init: %s appeared while init was writing; init never overwrites anything", path)}
			}
			return fmt.Errorf("init: %w", err)
		}
		made = append(made, path)
		_, err = out.Write(f.Data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("init: write %s: %w", path, err)
		}
	}
	return nil
}

// shellQuote quotes a path for a command line to copy, when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
