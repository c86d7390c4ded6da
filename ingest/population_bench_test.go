package ingest

import (
	"bytes"
	"io"
	"testing"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
)

func BenchmarkReadPopulationCSV(b *testing.B) {
	for _, bc := range []struct {
		name string
		data func(b *testing.B) []byte
	}{
		{name: "real 11re 2019", data: func(b *testing.B) []byte {
			data, err := io.ReadAll(openReal(b, realPopulation))
			if err != nil {
				b.Fatal(err)
			}
			return data
		}},
		{name: "small", data: func(*testing.B) []byte { return []byte(pxweb) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data := bc.data(b)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadPopulationCSV(bytes.NewReader(data), "bench.csv"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadPopulationPX reads the real 11re export written as PC-Axis, and the real 11rc
// file as StatFin publishes it.
func BenchmarkReadPopulationPX(b *testing.B) {
	for _, bc := range []struct {
		name string
		data func(b *testing.B) []byte
	}{
		{name: "real 11re 2019 as PX", data: func(b *testing.B) []byte {
			tab, err := ingesttest.FromPxWebCSV(openReal(b, realPopulation))
			if err != nil {
				b.Fatal(err)
			}
			var px bytes.Buffer
			if err := tab.PX(&px, "iso-8859-15"); err != nil {
				b.Fatal(err)
			}
			return px.Bytes()
		}},
		{name: "real 11rc", data: func(b *testing.B) []byte {
			data, err := io.ReadAll(openReal(b, real11rc))
			if err != nil {
				b.Fatal(err)
			}
			return data
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data := bc.data(b)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadPopulationPX(bytes.NewReader(data), "bench.px"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
