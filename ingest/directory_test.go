package ingest

import (
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
)

func TestDirectory(t *testing.T) {
	pop, err := ReadPopulationCSV(strings.NewReader(`"Alue";"Ikä";"Yhteensä 2019"
"KOKO MAA";"Yhteensä";100
"Turku";"Yhteensä";50
"Parainen";"Yhteensä";30
"Uusikaupunki";"Yhteensä";20
`), "pop.csv")
	if err != nil {
		t.Fatal(err)
	}
	d := NewDirectory([]Municipality{{Code: "853", Name: "Turku", NameSV: "Åbo"}, {Code: "445", Name: "Parainen", NameSV: "Pargas"}},
		[]Municipality{{Code: "895", Name: "Uusikaupunki", NameSV: "Nystad"}}, pop)
	for in, want := range map[string]int{
		"Turku": 0, "TURKU": 0, " turku ": 0, "Åbo": 0, "ÅBO": 0, "853": 0, "KU853": 0, "ku853": 0, "853 Turku": 0, "KU853 Turku": 0,
		"Pargas": 1, "parainen": 1, "445": 1,
		"Uusikaupunki": compute.NonParticipant, "UUSIKAUPUNKI": compute.NonParticipant,
		"": compute.Unknown, "  ": compute.Unknown, "Turkku": compute.Unknown, "KOKO MAA": compute.Unknown, "SSS": compute.Unknown,
		"895": compute.NonParticipant, "KU895": compute.NonParticipant, "nystad": compute.NonParticipant, // from the configuration
		"Raisio":     compute.Unknown, // not in the population file, not configured
		"680":        compute.Unknown,
		"Ahvenanmaa": compute.Unknown,
	} {
		for range 2 { // the second time from the cache
			if got := d.Resolve(in); got != want {
				t.Errorf("Resolve(%q): got %d, want %d", in, got, want)
			}
		}
	}
}
