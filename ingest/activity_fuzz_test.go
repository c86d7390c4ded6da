package ingest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
)

// FuzzReadActivities reads any bytes as a canonical log and as a mapped one: an input problem
// or events that make sense, never a panic.
func FuzzReadActivities(f *testing.F) {
	for _, seed := range []string{
		canonical,
		crlf(win1252(f, canonical)),
		"\uFEFF" + "Time,Municipality,Type,Source,Id\n2021-05-03 10:00,Turku,samtal,phone,1\n2021-05-03T10:00:00.5Z,KU853,Contact Request,,2\n",
		win1252(f, phoneExport),
		"aika\tkunta\ttyyppi\n31.1.2021 klo 23.59;Turku;chat\n29.2.2021\tTurku\tkirje\n",
		"aika;kunta;tyyppi\n\"1.1.2021\n8:00\";\"Tur\"\"ku\";puhelu\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	call := compute.ActivityCall
	mapped := ActivityMapping{Source: "puhelin", Time: "Aloitusaika", Municipality: "Asiakkaan kotikunta", ID: "Puhelun tunnus", FixedType: &call, IgnoreTypes: []string{"sisäinen"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []ActivityMapping{{}, mapped} {
			last := 0
			err := ReadActivities(bytes.NewReader(data), "fuzz.csv", m, func(e *Event) error {
				if e.Row <= last {
					t.Fatalf("row %d after row %d", e.Row, last)
				}
				last = e.Row
				if e.Date.Year < 1899 || e.Date.Year > 3000 || e.Date.Month < 1 || e.Date.Month > 12 || e.Date.Day < 1 || e.Date.Day > 31 {
					t.Fatalf("row %d: date %v", e.Row, e.Date)
				}
				if e.Type >= compute.NumActivityTypes {
					t.Fatalf("row %d: type %d", e.Row, e.Type)
				}
				return nil
			})
			var pe *Error
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("got %T %v, want an input problem", err, err)
			}
		}
	})
}
