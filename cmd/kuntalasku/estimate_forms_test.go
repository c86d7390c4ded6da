package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
)

// TestEstimatePopulationForms writes the same population as PxWeb CSV,
// PC-Axis and PxWeb XLSX, under names that do not tell the form, and checks
// that the estimate is the same to the cent from each: the form is found
// from the content.
func TestEstimatePopulationForms(t *testing.T) {
	for _, tc := range []struct{ name, csv string }{
		{"example", "../../examples/varsinais-suomi/population-11re-synthetic.csv"},
		{"real 11re export", realCSV},
	} {
		t.Run(tc.name, func(t *testing.T) {
			needShared(t, tc.csv)
			raw, err := os.ReadFile(tc.csv)
			if err != nil {
				t.Fatal(err)
			}
			px, xlsx := otherForms(t, raw)
			dir := t.TempDir()
			var want *estimateManifest
			for _, form := range []struct {
				name string
				data []byte
			}{{"csv", raw}, {"px", px}, {"xlsx", xlsx}} {
				pop := filepath.Join(dir, "population-"+form.name+".dat")
				if err := os.WriteFile(pop, form.data, 0o644); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "out-"+form.name)
				r := run(t, nil, "estimate", "--config", exampleConfig, "--population", pop, "--out", out)
				if r.code != 0 {
					t.Fatalf("%s: exit %d: %s", form.name, r.code, r.stderr)
				}
				m := readManifest(t, filepath.Join(out, estimateFolder, "manifest.json"))
				if len(m.Inputs) != 2 || m.Inputs[1].Role != "population" || m.Inputs[1].Path != pop {
					t.Errorf("%s: inputs %+v, want the configuration and %s", form.name, m.Inputs, pop)
				}
				m.Inputs, m.Created = nil, ""
				if want == nil {
					want = &m
					continue
				}
				if !reflect.DeepEqual(m, *want) {
					t.Errorf("%s: the estimate differs from the CSV's:\n got %+v\nwant %+v", form.name, m, *want)
				}
			}
		})
	}
}

// TestEstimateBadPopulationForms feeds broken XLSX and PC-Axis files: exit 3,
// the file and the place named, nothing written.
func TestEstimateBadPopulationForms(t *testing.T) {
	raw, err := os.ReadFile("../../examples/varsinais-suomi/population-11re-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	px, xlsx := otherForms(t, raw)
	pxText := string(px)
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       []string
	}{
		{"truncated XLSX", "population.xlsx", xlsx[:len(xlsx)/2], []string{"XLSX"}},
		{"old .xls", "population.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), []string{".xls", "xlsx"}},
		{"PX DATA cut short", "population.px", []byte(pxText[:len(pxText)-200]), []string{"keyword DATA", "the file ends before the ';'"}},
		{"PX with a bad value", "population.px", []byte(strings.Replace(pxText, "DATA=\r\n3000 ", "DATA=\r\n3000x ", 1)), []string{"row ", "column 1", "keyword DATA", `Alue="Aura"`, `"3000x" is not a whole number`}},
		{"PX without the age", "population.px", []byte(strings.Replace(pxText, "VALUES(\"Ik\xe4\")", `VALUES("Ika")`, 1)), []string{"keyword STUB", `no VALUES("Ikä")`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pop := filepath.Join(dir, tc.file)
			if err := os.WriteFile(pop, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			estimateFails(t, pop, filepath.Join(dir, "out"), tc.want)
		})
	}
}

// otherForms writes a PxWeb CSV export as PC-Axis (ISO-8859-15, as StatFin)
// and as PxWeb XLSX.
func otherForms(t *testing.T, csv []byte) (px, xlsx []byte) {
	t.Helper()
	table, err := ingesttest.FromPxWebCSV(bytes.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var p, x bytes.Buffer
	if err := table.PX(&p, "iso-8859-15"); err != nil {
		t.Fatal(err)
	}
	if err := table.XLSX(&x); err != nil {
		t.Fatal(err)
	}
	return p.Bytes(), x.Bytes()
}
