package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func FuzzReadPopulationCSV(f *testing.F) {
	for _, seed := range []string{
		pxweb,
		crlf(win1252(f, pxweb)),
		"\uFEFF" + crlf(pxweb),
		"Region\tAge\tTotal 2019\tMales 2019\tFemales 2019\nWHOLE COUNTRY\tTotal\t5\t2\t3\nKU853 Turku\t100+\t2\t1\t1\n",
		"\"Alue\",\"Vuosi\",\"Ikä\",\"Sukupuoli\",\"Väestö\"\n\"853\",\"2019\",\"75-79\",\"1\",3\n\"853\",\"2019\",\"75-79\",\"2\",.\n",
		"\"Alue\";\"Ikä\";\"Miehet 2018\";\"Naiset 2018\";\"Yhteensä 2019\"\n\"Aura\";\"Yhteensä\";1;-;..\n\"Aura\";\"0-\";1;0;2\n",
		header + "\"Aura\";\"Yhteensä\";12a;1;1\n\"Aura\";\"0\";1;1\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPopulationCSV(bytes.NewReader(data), "fuzz.csv")
		checkReadResult(t, p, err)
	})
}

// checkReadResult is what every population reader promises on any input: an input problem
// (*Error, possibly in *Errors) and no population, or a population whose every area can be
// found and counted without a panic, a negative number or an error of another kind.
func checkReadResult(t *testing.T, p *Population, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want an input problem", err, err)
		}
		if p != nil || err.Error() == "" {
			t.Fatalf("got population %v and error %q", p, err)
		}
		return
	}
	if len(p.Areas) == 0 || len(p.Years) == 0 {
		t.Fatalf("got %d areas and years %v without an error", len(p.Areas), p.Years)
	}
	for _, a := range p.Areas {
		if p.Find(a.Code, a.Name) == nil {
			t.Errorf("Find(%q, %q): got nil, want an area", a.Code, a.Name)
		}
		for _, y := range p.Years {
			for _, limit := range []int{0, 75} {
				n, err := a.AtLeast(y, limit)
				if err == nil && n < 0 {
					t.Errorf("%s AtLeast(%d, %d): got %d", a.Label, y, limit, n)
				}
				var e *Error
				if err != nil && !errors.As(err, &e) {
					t.Errorf("%s AtLeast(%d, %d): got %T %v, want an *Error", a.Label, y, limit, err, err)
				}
			}
		}
	}
}

func FuzzReadPopulationPX(f *testing.F) {
	for _, seed := range []string{
		pxSmall,
		crlf(strings.Replace(win1252(f, pxSmall), "utf-8", "iso-8859-15", 1)),
		"STUB=\"Vuosi\";HEADING=\"Ikä\";\nVALUES(\"Vuosi\")=\"2019\";\nVALUES(\"Ikä\")=\"Total\",\"0 - 74\",\"75 - 84\",\"85 -\";\nCODES(\"Ikä\")=\"SSS\",\"0-74\",\"75-84\",\"85-\";\nDATA=100 80 15 5;",
		"STUB=\"Område\",\"Ålder\";HEADING=\"År\",\"Kön\",\"Uppgifter\";\nVALUES(\"Område\")=\"Åbo\";CODES(\"Område\")=\"853\";\nVALUES(\"Ålder\")=\"Totalt\",\"0-79\",\"80+\";\nVALUES(\"År\")=\"2019\";\nVALUES(\"Kön\")=\"Män\",\"Kvinnor\";\nVALUES(\"Uppgifter\")=\"Befolkning 31.12.\",\"x\";\nCODES(\"Uppgifter\")=\"vaesto\",\"muutos\";\nDATA=\n10,99,12,99,\n8,99,9,99\n2,0,3,0;",
		"KEYS(\"Alue\")=VALUES;DATA=\"Aura\" 1;",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPopulationPX(bytes.NewReader(data), "fuzz.px")
		checkReadResult(t, p, err)
	})
}
