// Package national writes synthetic national-scale inputs for kuntalasku's
// cost-sharing scheme, so that anyone can reproduce its performance figures:
//
//	population-11re.xlsx  a Statistics Finland 11re export in PxWeb's XLSX
//	                      layout: the whole country and every municipality,
//	                      single ages 0…99 and "100 -" with the "Yhteensä"
//	                      total, both sexes and each sex, on 31.12. two years
//	                      before the billed month's year
//	activities.csv        activity events of one month in kuntalasku's
//	                      canonical CSV format (aika;kunta;tyyppi, no ids)
//	kuntalasku.toml       a cost-sharing configuration of the month's calendar
//	                      year, billed monthly, whose payers are the first
//	                      municipalities
//
// Everything is invented from fixed seeds: the same Options give the same
// bytes. The municipalities are "Kunta 001" (code KU001, Swedish name
// "Kommun 001") and so on; their codes are spread over 000…999, because
// kuntalasku knows a municipality by its three-digit code, so there are at
// most 1 000 of them.
//
// The examples/generate command writes them ("go run ./examples/generate
// national DIR"); cmd/kuntalasku's national benchmarks call Write.
package national

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The files Write makes in its folder.
const (
	PopulationFile = "population-11re.xlsx"
	ActivitiesFile = "activities.csv"
	ConfigFile     = "kuntalasku.toml"
)

// MaxMunicipalities is the most municipalities there can be: kuntalasku
// knows a municipality by its three-digit code (000…999), in the population
// file, the activity logs and a cost-sharing payer's id.
const MaxMunicipalities = 1000

// Options says what to generate.
type Options struct {
	// Municipalities is the number of municipalities in the population file
	// (Finland has 309). It is raised to Payers when that is more.
	Municipalities int
	// Payers is the number of payers in the configuration: the first
	// municipalities in code order. The others are non-participants whose
	// events are not billed.
	Payers int
	// Events is the number of activity events in the month.
	Events int64
	// Year and Month are the month the events happen in, in Helsinki time.
	Year  int
	Month time.Month
}

// DefaultOptions is the national stress test: all 309 municipalities of
// Finland paying, 10 million events in January 2021.
func DefaultOptions() Options {
	return Options{Municipalities: 309, Payers: 309, Events: 10_000_000, Year: 2021, Month: time.January}
}

// Check reports the first problem with the options, after raising
// Municipalities to Payers.
func (o *Options) Check() error {
	o.Municipalities = max(o.Municipalities, o.Payers)
	switch {
	case o.Payers < 1:
		return fmt.Errorf("payers %d: expected at least 1", o.Payers)
	case o.Municipalities > MaxMunicipalities:
		return fmt.Errorf("%d municipalities: kuntalasku knows a municipality by its three-digit code, so there can be at most %d", o.Municipalities, MaxMunicipalities)
	case o.Events < 0:
		return fmt.Errorf("events %d: expected 0 or more", o.Events)
	case o.Year < 2000 || o.Year > 2099:
		return fmt.Errorf("year %d: expected a year from 2000 to 2099, such as 2021", o.Year)
	case o.Month < time.January || o.Month > time.December:
		return fmt.Errorf("month %d: expected 1 to 12", o.Month)
	}
	return nil
}

// ReferenceYear is the year of the population figures: 31.12. two years
// before the billed year, as the Varsinais-Suomi decision of 2021 used those
// of 31.12.2019.
func (o Options) ReferenceYear() int { return o.Year - 2 }

// Write generates the files into dir, making it if missing. Each file is
// written to a temporary file and renamed into place.
func Write(dir string, o Options) error {
	if err := o.Check(); err != nil {
		return err
	}
	munis := Municipalities(o.Municipalities)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	steps := []struct {
		name  string
		write func(f *os.File) error
	}{
		{PopulationFile, func(f *os.File) error { return writePopulation(f, munis, o.ReferenceYear()) }},
		{ActivitiesFile, func(f *os.File) error { return writeActivities(f, munis, o) }},
		{ConfigFile, func(f *os.File) error { return writeConfig(f, munis[:o.Payers], o) }},
	}
	for _, s := range steps {
		if err := writeFile(filepath.Join(dir, s.name), s.write); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, s.name), err)
		}
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// writeFile replaces the file at path with what write writes: temporary
// file, fsync, rename.
func writeFile(path string, write func(*os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Municipality is one synthetic municipality.
type Municipality struct {
	Code   string // three digits, "001"
	Name   string // "Kunta 001"
	NameSV string // "Kommun 001"
	// Ages are its residents by single age 0…100 (100 = "100 -") and sex.
	Men, Women [101]int
}

// Aged is its residents aged limit or over.
func (m *Municipality) Aged(limit int) int {
	n := 0
	for a := limit; a <= 100; a++ {
		n += m.Men[a] + m.Women[a]
	}
	return n
}

// Municipalities invents n municipalities (at most MaxMunicipalities), in
// code order. Their codes are spread over 001…999 (000…999 for 1 000); the
// i-th one's population does not depend on n.
func Municipalities(n int) []Municipality {
	if n > MaxMunicipalities {
		panic(errors.New("national: too many municipalities"))
	}
	out := make([]Municipality, n)
	sizes := newSizes()
	for i := range out {
		code := i
		if n < MaxMunicipalities {
			code = 1 + i*(MaxMunicipalities-1)/n
		}
		m := &out[i]
		m.Code = fmt.Sprintf("%03d", code)
		m.Name = "Kunta " + m.Code
		m.NameSV = "Kommun " + m.Code
		m.Men, m.Women = ages(sizes.next(), i)
	}
	return out
}
