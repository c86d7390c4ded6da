package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// The files of the activity logs.
const (
	phoneH1File  = "puhelin-2021-h1.csv"
	phoneH2File  = "puhelin-2021-h2.csv"
	canonicalLog = "asiakastiedot-2021.csv"
)

var (
	phoneHeader     = []string{"Puhelun tunnus", "Aloitusaika", "Kesto (s)", "Asiakkaan kotikunta", "Jono"}
	canonicalHeader = []string{"aika", "kunta", "tyyppi", "tunniste"}
)

// The phone exports: the first half of the year up to 7.7., the second from
// 1.7., by the call's date in Helsinki.
var (
	h1Last  = time.Date(activityYear, 7, 7, 0, 0, 0, 0, time.UTC)
	h2First = time.Date(activityYear, 7, 1, 0, 0, 0, 0, time.UTC)
)

// activityFile is one file of the logs: its name and its bytes.
type activityFile struct {
	name string
	data []byte
}

// activityFiles renders the year's logs: the phone system's two exports
// (Windows-1252, CRLF, ";", Finnish times without an offset) and the
// client-management system's canonical file (UTF-8, LF, ",", ISO 8601 times
// with the offset).
func activityFiles() ([]activityFile, error) {
	events, err := activityLog()
	if err != nil {
		return nil, err
	}
	var h1, h2, canonical [][]string
	for _, e := range events {
		if e.kind != call {
			canonical = append(canonical, []string{e.at.Format(time.RFC3339), e.muni, canonicalTypes[e.kind], e.id})
			continue
		}
		row := []string{e.id, finnishTime(e.at), strconv.Itoa(e.duration), e.muni, e.queue}
		day := time.Date(e.at.Year(), e.at.Month(), e.at.Day(), 0, 0, 0, 0, time.UTC)
		if !day.After(h1Last) {
			h1 = append(h1, row)
		}
		if !day.Before(h2First) {
			h2 = append(h2, row)
		}
	}
	var files []activityFile
	for _, f := range []struct {
		name   string
		header []string
		rows   [][]string
		phone  bool
	}{
		{phoneH1File, phoneHeader, h1, true},
		{phoneH2File, phoneHeader, h2, true},
		{canonicalLog, canonicalHeader, canonical, false},
	} {
		data, err := renderCSV(f.header, f.rows, f.phone)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		files = append(files, activityFile{f.name, data})
	}
	return files, nil
}

// finnishTime writes a time as Finnish exports do: 31.1.2021 8:05:09.
func finnishTime(t time.Time) string {
	return fmt.Sprintf("%d.%d.%d %d:%02d:%02d", t.Day(), t.Month(), t.Year(), t.Hour(), t.Minute(), t.Second())
}

// renderCSV writes a header and rows as the phone system exports them
// (Windows-1252, CRLF, ";") or in the canonical form (UTF-8, LF, ",").
func renderCSV(header []string, rows [][]string, phone bool) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if phone {
		w.Comma, w.UseCRLF = ';', true
	}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	if !phone {
		return buf.Bytes(), nil
	}
	return charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
}

// writeActivity writes the logs into dir, making it if missing. Each file is
// written whole to a temporary file and renamed into place.
func writeActivity(dir string) error {
	files, err := activityFiles()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// writeFile replaces the file at path with data: temporary file, fsync, rename.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
