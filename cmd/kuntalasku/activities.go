package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/ingest"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/kuntalasku/kuntalasku/report"
)

// activityFile is one activity export to read and how.
type activityFile struct {
	source  string // the configured source, "" for a canonical file given alone
	path    string
	mapping ingest.ActivityMapping
}

// activityFiles lists the files to read: those of the --activities flags
// (FILE in the canonical format, SOURCE=FILE with that source's mapping) when
// any are given, else the configured sources' files, patterns expanded in
// name order.
func activityFiles(flags []string, cfg *Config) ([]activityFile, error) {
	var out []activityFile
	if len(flags) > 0 {
		for _, f := range flags {
			src, path, hasSource := strings.Cut(f, "=")
			if !hasSource {
				out = append(out, activityFile{path: f})
				continue
			}
			s := cfg.Source(src)
			if s == nil {
				return nil, &usageError{fmt.Sprintf("--activities %s: no activity source %q in the configuration (%s); give FILE alone for the canonical format", f, src, cfg.sourceIDs())}
			}
			out = append(out, activityFile{source: src, path: path, mapping: s.Mapping()})
		}
		return out, nil
	}
	for _, s := range cfg.ActivitySources {
		n := len(out)
		for _, pattern := range s.Files {
			paths, err := filepath.Glob(cfg.Path(pattern))
			if err != nil {
				return nil, &inputError{fmt.Errorf("configuration %s: activity_sources (%s).files: %q: %w", cfg.path, s.ID, pattern, err)}
			}
			sort.Strings(paths)
			for _, p := range paths {
				out = append(out, activityFile{source: s.ID, path: p, mapping: s.Mapping()})
			}
		}
		if len(out) == n {
			return nil, &inputError{fmt.Errorf("activity source %s: no file matches %s (relative to %s); export the source's events there or correct activity_sources.files in %s",
				s.ID, strings.Join(s.Files, ", "), cfg.dir, cfg.path)}
		}
	}
	return out, nil
}

// sourceCount is what the files of one source held.
type sourceCount struct {
	Source   string // "" for canonical files given alone
	Files    int
	Rows     int64 // events read
	Ignored  int64 // events of a type the source's mapping ignores
	Outcomes compute.OutcomeCounts
}

// unattributedRow is an event that bills nobody, for the report.
type unattributedRow struct {
	File         string
	Row          int
	Municipality string
	Reason       string // "non_participant" or "unknown"
}

// maxUnattributedRows is how many unattributed rows are listed.
const maxUnattributedRows = 20

// activityCount is the activities of a period, ready for the allocation.
type activityCount struct {
	Tally        *compute.Tally
	Sources      []*sourceCount
	Inputs       []manifest.Input
	Unattributed []unattributedRow // the first maxUnattributedRows
}

// countActivities reads every file and counts the events of period for
// payers. Input problems of every file are reported together.
func countActivities(files []activityFile, cfg *Config, pop *ingest.Population, period compute.Period, progress progressFunc) (*activityCount, error) {
	munis := make([]ingest.Municipality, len(cfg.Payers))
	for i, p := range cfg.Payers {
		munis[i] = ingest.Municipality{Code: p.ID, Name: p.Name, NameSV: p.NameSV}
	}
	others := make([]ingest.Municipality, len(cfg.NonParticipants))
	for i, p := range cfg.NonParticipants {
		others[i] = ingest.Municipality{Code: p.ID, Name: p.Name, NameSV: p.NameSV}
	}
	dir := ingest.NewDirectory(munis, others, pop)
	c := &activityCount{Tally: compute.NewTally(period, len(cfg.Payers))}
	bySource := map[string]*sourceCount{}
	var problems []error
	for _, f := range files {
		sc := bySource[f.source]
		if sc == nil {
			sc = &sourceCount{Source: f.source}
			bySource[f.source] = sc
			c.Sources = append(c.Sources, sc)
		}
		sc.Files++
		in, err := c.readFile(f, sc, dir, progress)
		if err != nil {
			if exitCode(err) != exitInput {
				return nil, err
			}
			problems = append(problems, err)
			continue
		}
		c.Inputs = append(c.Inputs, in)
	}
	if len(problems) > 0 {
		return nil, &inputError{errors.Join(problems...)}
	}
	return c, nil
}

// readFile reads one file into the tally and hashes it.
func (c *activityCount) readFile(f activityFile, sc *sourceCount, dir *ingest.Directory, progress progressFunc) (manifest.Input, error) {
	in := manifest.Input{Role: "activities", Path: f.path}
	if f.source != "" {
		in.Role = "activities:" + f.source
	}
	file, err := os.Open(f.path)
	if err != nil {
		return in, &inputError{fmt.Errorf("read activities: %w", err)}
	}
	defer file.Close()
	var size int64
	if fi, err := file.Stat(); err == nil {
		size = fi.Size()
	}
	h := sha256.New()
	counted := &countingReader{r: file}
	var key compute.EventKey
	rows := int64(0)
	err = ingest.ReadActivities(io.TeeReader(counted, h), f.path, f.mapping, func(e *ingest.Event) error {
		sc.Rows++
		rows++
		if progress != nil && rows%100000 == 0 {
			progress(f.path, rows, counted.n.Load(), size, false)
		}
		if e.Ignored {
			sc.Ignored++
			return nil
		}
		to := dir.Resolve(e.Municipality)
		var k *compute.EventKey
		if e.ID != "" {
			key = compute.NewEventKey(e.Source, e.ID)
			k = &key
		}
		o := c.Tally.Add(e.Date, to, e.Type, k)
		sc.Outcomes.Record(o)
		if o == compute.Unattributed && len(c.Unattributed) < maxUnattributedRows {
			reason := "unknown"
			if to == compute.NonParticipant {
				reason = "non_participant"
			}
			c.Unattributed = append(c.Unattributed, unattributedRow{File: f.path, Row: e.Row, Municipality: e.Municipality, Reason: reason})
		}
		return nil
	})
	if err != nil {
		return in, err
	}
	if _, err := io.Copy(h, file); err != nil {
		return in, fmt.Errorf("read %s: %w", f.path, err)
	}
	if progress != nil {
		progress(f.path, rows, size, size, true)
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	return in, nil
}

// manifestRows are the first unattributed rows as the manifest lists them.
func (c *activityCount) manifestRows() []manifest.UnattributedRow {
	rows := make([]manifest.UnattributedRow, len(c.Unattributed))
	for i, r := range c.Unattributed {
		rows[i] = manifest.UnattributedRow{File: r.File, Row: r.Row, Municipality: r.Municipality, Reason: r.Reason}
	}
	return rows
}

// reportUnattributed is the appendix's view of the events that bill nobody.
func (c *activityCount) reportUnattributed() *report.Unattributed {
	u := &report.Unattributed{NonParticipant: c.Tally.NonParticipant, Unknown: c.Tally.Unknown}
	for _, r := range c.Unattributed {
		u.Rows = append(u.Rows, report.UnattributedRow{File: r.File, Row: r.Row, Municipality: r.Municipality, NonParticipant: r.Reason == "non_participant"})
	}
	return u
}

// countingReader counts the bytes read through it; the count may be read
// from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
