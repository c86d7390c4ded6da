package ingest

import (
	"bytes"
	"io"
	"testing"
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
