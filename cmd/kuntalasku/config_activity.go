package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/ingest"
)

// ActivitySourceConfig is one system whose exports list activity events
// (SPEC 2.2): its files and, when they are not in the canonical format, where
// its columns are.
type ActivitySourceConfig struct {
	ID                 string            `toml:"id"`
	Files              []string          `toml:"files"`
	TimeColumn         string            `toml:"time_column"`
	MunicipalityColumn string            `toml:"municipality_column"`
	TypeColumn         string            `toml:"type_column"`
	FixedType          string            `toml:"fixed_type"`
	IDColumn           string            `toml:"id_column"`
	SourceColumn       string            `toml:"source_column"`
	TypeValues         map[string]string `toml:"type_values"`
	IgnoreTypes        []string          `toml:"ignore_types"`

	mapping ingest.ActivityMapping
}

var sourceIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

func (c *Config) validateActivitySources(ce *configError) {
	seen := map[string]bool{}
	for i := range c.ActivitySources {
		s := &c.ActivitySources[i]
		key := fmt.Sprintf("activity_sources[%d]", i+1)
		if s.ID != "" {
			key = fmt.Sprintf("activity_sources[%d] (%s)", i+1, s.ID)
		}
		if !sourceIDPattern.MatchString(s.ID) {
			ce.add(key+".id", "%q: expected lower-case letters, digits, '-' and '_', such as \"puhelin\" (duplicate events are recognised by source and id)", s.ID)
		}
		if seen[s.ID] {
			ce.add(key+".id", "%q is given twice; expected each source once", s.ID)
		}
		seen[s.ID] = true
		if len(s.Files) == 0 {
			ce.add(key+".files", "missing: the source's export files, such as files = [\"activity/puhelin-*.csv\"]")
		}
		for _, f := range s.Files {
			if _, err := filepath.Match(f, ""); err != nil {
				ce.add(key+".files", "%q: %v", f, err)
			}
		}
		m := ingest.ActivityMapping{
			Source: s.ID, Time: s.TimeColumn, Municipality: s.MunicipalityColumn, Type: s.TypeColumn,
			ID: s.IDColumn, SourceColumn: s.SourceColumn, IgnoreTypes: s.IgnoreTypes,
		}
		if s.FixedType != "" {
			t, ok := ingest.ParseActivityType(s.FixedType)
			if !ok {
				ce.add(key+".fixed_type", "%q: expected call, visit, contact_request or chat (or puhelu, käynti, yhteydenottopyyntö, chat)", s.FixedType)
			}
			if s.TypeColumn != "" {
				ce.add(key+".fixed_type", "given with type_column %q: expected one or the other", s.TypeColumn)
			}
			m.FixedType = &t
		}
		if len(s.TypeValues) > 0 {
			m.TypeValues = map[string]compute.ActivityType{}
			values := make([]string, 0, len(s.TypeValues))
			for v := range s.TypeValues {
				values = append(values, v)
			}
			sort.Strings(values)
			for _, v := range values {
				t, ok := ingest.ParseActivityType(s.TypeValues[v])
				if !ok {
					ce.add(fmt.Sprintf("%s.type_values.%q", key, v), "%q: expected call, visit, contact_request or chat", s.TypeValues[v])
				}
				m.TypeValues[v] = t
			}
		}
		for _, v := range s.IgnoreTypes {
			if _, ok := ingest.ParseActivityType(v); ok {
				ce.add(key+".ignore_types", "%q is an activity type that is billed; expected only values the export uses for other things", v)
			}
		}
		s.mapping = m
	}
}

// Mapping is how the source's files are read (valid after LoadConfig).
func (s *ActivitySourceConfig) Mapping() ingest.ActivityMapping { return s.mapping }

// Source returns the configured activity source id, or nil.
func (c *Config) Source(id string) *ActivitySourceConfig {
	for i := range c.ActivitySources {
		if c.ActivitySources[i].ID == id {
			return &c.ActivitySources[i]
		}
	}
	return nil
}

// sourceIDs lists the configured source ids for messages.
func (c *Config) sourceIDs() string {
	ids := make([]string, len(c.ActivitySources))
	for i, s := range c.ActivitySources {
		ids[i] = s.ID
	}
	if len(ids) == 0 {
		return "none are configured"
	}
	return "the configured ones are " + strings.Join(ids, ", ")
}
