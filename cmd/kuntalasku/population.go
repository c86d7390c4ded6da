package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/ingest"
	"github.com/kuntalasku/kuntalasku/output/manifest"
)

// populationPath is the population file to read: --population as given
// (relative to the working folder), else the configuration's
// inputs.population (relative to the configuration file).
func populationPath(flagPath string, cfg *Config) (string, error) {
	if flagPath != "" {
		return flagPath, nil
	}
	if cfg.Inputs.Population != "" {
		return cfg.Path(cfg.Inputs.Population), nil
	}
	return "", &usageError{"no population file: give --population FILE or set inputs.population in the configuration"}
}

// readPopulation reads a Statistics Finland population export (PxWeb CSV,
// PxWeb XLSX or PC-Axis, told apart by their content) and hashes it.
func readPopulation(path string) (*ingest.Population, manifest.Input, error) {
	in := manifest.Input{Role: "population", Path: path}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, in, &inputError{fmt.Errorf("read population: %s does not exist; correct inputs.population in the configuration or name the file with --population", path)}
	}
	if err != nil {
		return nil, in, &inputError{fmt.Errorf("read population: %w", err)}
	}
	defer f.Close()
	h := sha256.New()
	r := io.TeeReader(f, h)
	pop, _, err := ingest.ReadPopulation(r, path)
	if err != nil {
		return nil, in, err
	}
	// Hash the whole file even if the reader stopped before its end.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, in, fmt.Errorf("read population %s: %w", path, err)
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	return pop, in, nil
}

// payerPopulations reads the population file (--population, else the
// configured one) and finds each payer's reference population.
func payerPopulations(flagPath string, cfg *Config) (*ingest.Population, manifest.Input, []compute.Share, error) {
	path, err := populationPath(flagPath, cfg)
	if err != nil {
		return nil, manifest.Input{}, nil, err
	}
	pop, in, err := readPopulation(path)
	if err != nil {
		return nil, in, nil, err
	}
	cs := cfg.CostSharing
	shares, err := referencePopulations(pop, cfg.Payers, cs.PopulationReference.d.Year, cs.AgeLimit)
	if err != nil {
		return nil, in, nil, err
	}
	return pop, in, shares, nil
}

// referencePopulations finds each payer's residents aged ageLimit or over in
// year. Every payer that cannot be found or counted is reported at once.
func referencePopulations(pop *ingest.Population, payers []PayerConfig, year, ageLimit int) ([]compute.Share, error) {
	if !pop.HasYear(year) {
		return nil, &inputError{fmt.Errorf("population file %s has no figures for 31.12.%d (it has %s); export that year or correct cost_sharing.population_reference", pop.File, year, yearList(pop.Years))}
	}
	var problems []error
	shares := make([]compute.Share, 0, len(payers))
	for _, p := range payers {
		area := pop.Find(p.ID, p.Name, p.NameSV)
		if area == nil {
			problems = append(problems, &ingest.Error{File: pop.File, Msg: fmt.Sprintf("participating municipality %s %s is not in the file (looked for code %s and the names %q, %q)", p.ID, p.Name, p.ID, p.Name, p.NameSV)})
			continue
		}
		if area.Code != "" && area.Code != p.ID {
			// Found by name in a file that has codes: the configuration's code is wrong, and
			// activity logs naming the municipality by code would not reach this payer.
			problems = append(problems, &ingest.Error{File: pop.File, Msg: fmt.Sprintf("participating municipality %s %s: the file gives %s the code %s; correct the payer's id in the configuration", p.ID, p.Name, area.Name, area.Code)})
			continue
		}
		n, err := area.AtLeast(year, ageLimit)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		shares = append(shares, compute.Share{Payer: compute.Payer{ID: p.ID, Name: p.Name}, Population: n})
	}
	if len(problems) > 0 {
		return nil, &inputError{errors.Join(problems...)}
	}
	return shares, nil
}

func yearList(years []int) string {
	if len(years) == 0 {
		return "no years"
	}
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = fmt.Sprint(y)
	}
	return strings.Join(s, ", ")
}
