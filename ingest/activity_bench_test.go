package ingest

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// canonicalLog is a canonical CSV log of n events over 2021 in 27 municipalities, with ids
// when ids is set.
func canonicalLog(n int, ids bool) []byte {
	names := []string{"Aura", "Kaarina", "Kemiönsaari", "Koski Tl", "Kustavi", "Laitila", "Lieto", "Loimaa", "Marttila",
		"Masku", "Mynämäki", "Naantali", "Nousiainen", "Oripää", "Paimio", "Parainen", "Pyhäranta", "Pöytyä", "Raisio",
		"Rusko", "Salo", "Sauvo", "Somero", "Taivassalo", "Turku", "Uusikaupunki", "Vehmaa"}
	types := []string{"puhelu", "käynti", "yhteydenottopyyntö", "chat"}
	var b bytes.Buffer
	if ids {
		b.WriteString("aika;kunta;tyyppi;tunniste\n")
	} else {
		b.WriteString("aika;kunta;tyyppi\n")
	}
	for i := 0; i < n; i++ {
		day := i * 365 / n
		fmt.Fprintf(&b, "2021-%02d-%02dT%02d:%02d:00+02:00;%s;%s", 1+day/31%12, 1+day%28, 8+i%8, i%60, names[i%len(names)], types[i%len(types)])
		if ids {
			fmt.Fprintf(&b, ";A-%08d", i)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkReadActivities reads a 1M-row canonical log; ns/op is for the whole file.
func BenchmarkReadActivities(b *testing.B) {
	for _, ids := range []bool{false, true} {
		b.Run(fmt.Sprintf("1M rows ids=%v", ids), func(b *testing.B) {
			data := canonicalLog(1_000_000, ids)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				err := ReadActivities(bytes.NewReader(data), "bench.csv", ActivityMapping{}, func(*Event) error { n++; return nil })
				if err != nil || n != 1_000_000 {
					b.Fatalf("%d events, %v", n, err)
				}
			}
		})
	}
}

var _ = io.EOF
