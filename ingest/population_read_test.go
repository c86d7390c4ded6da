package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
)

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		name, file, head string
		want             Format
		wantErr          string
	}{
		{name: "PxWeb CSV", file: "a.csv", head: pxweb, want: FormatCSV},
		{name: "CSV without quotes", file: "a.txt", head: "Region\tAge\tTotal 2019\n", want: FormatCSV},
		{name: "CSV named .px is still read as PX, to explain", file: "a.px", head: pxweb, want: FormatPX},
		{name: "PC-Axis", file: "a.csv", head: pxSmall, want: FormatPX},
		{name: "PC-Axis with a BOM and space", file: "a", head: "\uFEFF \r\nAXIS-VERSION=\"2013\";", want: FormatPX},
		{name: "PC-Axis starting with a language keyword", file: "a", head: `VALUES[sv]("Ålder")="Totalt";`, want: FormatPX},
		{name: "ZIP", file: "population.csv", head: "PK\x03\x04\x14\x00\x06\x00", want: FormatXLSX},
		{name: "empty ZIP", file: "a", head: "PK\x05\x06", want: FormatXLSX},
		{name: "text named .xlsx", file: "a.XLSX", head: "hello", want: FormatXLSX},
		{name: "old .xls", file: "a.xls", head: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", wantErr: "an old binary Excel workbook (.xls)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DetectFormat([]byte(tc.head), tc.file)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.File != tc.file || !strings.Contains(e.Msg, tc.wantErr) {
					t.Errorf("got %v, %v; want an *Error with %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestReadPopulationForms reads one table written in each form through ReadPopulation.
func TestReadPopulationForms(t *testing.T) {
	tab, err := ingesttest.FromPxWebCSV(strings.NewReader(pxweb))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadPopulationCSV(strings.NewReader(pxweb), "want.csv")
	if err != nil {
		t.Fatal(err)
	}
	var csv, px, xlsx bytes.Buffer
	if err := tab.CSV(&csv); err != nil {
		t.Fatal(err)
	}
	if err := tab.PX(&px, "iso-8859-15"); err != nil {
		t.Fatal(err)
	}
	if err := tab.XLSX(&xlsx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		data []byte
		want Format
	}{{csv.Bytes(), FormatCSV}, {px.Bytes(), FormatPX}, {xlsx.Bytes(), FormatXLSX}} {
		t.Run(tc.want.String(), func(t *testing.T) {
			got, f, err := ReadPopulation(bytes.NewReader(tc.data), "population")
			if err != nil {
				t.Fatal(err)
			}
			if f != tc.want {
				t.Errorf("format: got %v, want %v", f, tc.want)
			}
			sameAsCSV(t, got, want)
		})
	}
}
