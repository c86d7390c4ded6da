package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
)

// real11rc is a real, unmodified StatFin PC-Axis file: the whole country by 5-year age groups
// and sex, 1865–2023, ISO-8859-15 with CRLF.
const real11rc = "../../shared/data/statfin_vaerak_pxt_11rc.px"

// pxSmall is a hand-written 11re-shaped PC-Axis file in UTF-8: area and age in the stub, sex
// and year in the heading, with the syntax a reader meets in StatFin files.
const pxSmall = `CHARSET="ANSI";
AXIS-VERSION="2013";
CODEPAGE="utf-8";
LANGUAGE="fi";
LANGUAGES="fi","sv";
DECIMALS=0;
DESCRIPTION="11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, "
"1972-2019";
STUB="Alue","Ikä";
STUB[sv]="Område","Ålder";
HEADING="Vuosi","Sukupuoli","Tiedot";
HEADING[sv]="År","Kön","Uppgifter";
VALUES("Alue")="KOKO MAA","Pöytyä",
"Kemiönsaari";
VALUES[sv]("Område")="HELA LANDET","Pöytis","Kimitoön";
VALUES("Ikä")="Yhteensä","0-74","75-79","80 -";
VALUES[sv]("Ålder")="Totalt","0-74","75-79","80 -";
VALUES("Sukupuoli")="Yhteensä","Miehet","Naiset";
VALUES("Vuosi")="2018","2019";
VALUES("Tiedot")="Väestö 31.12.";
TIMEVAL("Vuosi")=TLIST(A1, "2018"-"2019");
CODES("Alue")="SSS","KU769","KU322";
CODES("Ikä")="SSS","0-74","75-79","80-";
CODES("Sukupuoli")="SSS","1","2";
NOTE="Line one;"
"line two, still the note";
DATA=
290 150 140 300 150 150
240 125 115 250 130 120
20 10 10 20 8 12
30 15 15 30 12 18
"..." "." ".." 120 60 60
100 52 48 100 52 48
8 3 5 8 3 5
12 5 7 12 5 7
176 88 88 180 90 90
148 77 71 150 78 72
"-" "-" "-" 12 5 7
28 11 17 18 7 11;
`

func readPX(t *testing.T, in string) (*Population, error) {
	t.Helper()
	return ReadPopulationPX(strings.NewReader(in), "test.px")
}

func TestReadPopulationPX(t *testing.T) {
	latin1 := strings.Replace(win1252(t, pxSmall), `CODEPAGE="utf-8";`+"\n", "", 1)
	for _, tc := range []struct {
		name   string
		in     string
		years  []int
		checks []check
	}{
		{
			name: "utf-8", in: pxSmall, years: []int{2018, 2019},
			checks: append([]check{
				{code: "769", year: 2019, want: 120},
				{code: "KU322", year: 2019, limit: 75, want: 30},
				{names: []string{"kemiönsaari"}, year: 2018, limit: 75, want: 28}, // "-" is zero
				{names: []string{"Pöytyä"}, year: 2018, want: 120},                // the total is missing: the ages are summed
			}, pxwebChecks...),
		},
		{name: "iso-8859-15 crlf", in: crlf(strings.Replace(win1252(t, pxSmall), "utf-8", "iso-8859-15", 1)), years: []int{2018, 2019}, checks: pxwebChecks},
		{name: "no CODEPAGE, latin-1 bytes", in: latin1, years: []int{2018, 2019}, checks: pxwebChecks},
		{
			name: "whole country without an area variable, ages as codes, year in the stub", years: []int{2019},
			in: `STUB="Vuosi";HEADING="Ikä";
VALUES("Vuosi")="2019";
VALUES("Ikä")="Total","0 - 74","75 - 84","85 -";
CODES("Ikä")="SSS","0-74","75-84","85-";
DATA=100 80 15 5;`,
			checks: []check{{code: "SSS", year: 2019, want: 100}, {names: []string{"koko maa"}, year: 2019, limit: 75, want: 20}},
		},
		{
			name: "5-year groups", years: []int{2019},
			in: `STUB="Alue","Ikä";HEADING="Vuosi";
VALUES("Alue")="Turku";VALUES("Ikä")="Yhteensä","0 - 69","70 - 79","80 -";VALUES("Vuosi")="2019";
DATA=100 70 20 10;`,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, limit: 70, want: 30},
				{names: []string{"Turku"}, year: 2019, limit: 75, wantErr: "age group 70-79 straddles the limit 75"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := readPX(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(p.Years) != fmt.Sprint(tc.years) {
				t.Errorf("years: got %v, want %v", p.Years, tc.years)
			}
			for _, c := range tc.checks {
				runFileCheck(t, p, c, "test.px")
			}
		})
	}
	t.Run("males and females summed", func(t *testing.T) {
		p, err := readPX(t, `STUB="Område","Ålder";HEADING="År","Kön","Uppgifter";
VALUES("Område")="Åbo";CODES("Område")="853";
VALUES("Ålder")="Totalt","0-79","80+";
VALUES("År")="2019";
VALUES("Kön")="Män","Kvinnor";
VALUES("Uppgifter")="Befolkning 31.12.","Befolkningsförändring";
CODES("Uppgifter")="vaesto","muutos";
DATA=
10,99,12,99,
8,99,9,99
2,0,3,0;`)
		if err != nil {
			t.Fatal(err)
		}
		runFileCheck(t, p, check{code: "853", year: 2019, want: 22}, "test.px")
		runFileCheck(t, p, check{names: []string{"ÅBO"}, year: 2019, limit: 80, want: 5}, "test.px")
	})
}

// TestReadPopulationPXSameAsCSV writes the CSV fixtures as PC-Axis files and checks that every
// area has the same figures in both.
func TestReadPopulationPXSameAsCSV(t *testing.T) {
	real, err := os.ReadFile(realPopulation)
	if err != nil && os.Getenv("CI") != "" {
		t.Fatalf("%v and CI is set: the real data is required", err)
	}
	for _, tc := range []struct {
		name  string
		csv   []byte
		codes []string // area codes to give the PC-Axis file
	}{
		{name: "fixture", csv: []byte(pxweb), codes: []string{"SSS", "KU769", "KU322"}},
		{name: "real 11re 2019", csv: real},
	} {
		for _, cp := range []string{"iso-8859-15", "utf-8"} {
			t.Run(tc.name+" "+cp, func(t *testing.T) {
				if tc.csv == nil {
					t.Skip("the real data is absent (CI is unset)")
				}
				want, err := ReadPopulationCSV(bytes.NewReader(tc.csv), "test.csv")
				if err != nil {
					t.Fatal(err)
				}
				tab, err := ingesttest.FromPxWebCSV(bytes.NewReader(tc.csv))
				if err != nil {
					t.Fatal(err)
				}
				tab.Stub[0].Codes = tc.codes
				var px bytes.Buffer
				if err := tab.PX(&px, cp); err != nil {
					t.Fatal(err)
				}
				got, err := ReadPopulationPX(&px, "test.px")
				if err != nil {
					t.Fatal(err)
				}
				sameAsCSV(t, got, want)
				if tc.codes != nil {
					if a := got.Find("769"); a == nil || a.Name != "Pöytyä" {
						t.Errorf("Find(769): got %+v, want Pöytyä", a)
					}
				}
			})
		}
	}
}

func TestReadPopulationPXReal11rc(t *testing.T) {
	raw, err := io.ReadAll(openReal(t, real11rc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadPopulationPX(bytes.NewReader(raw), "statfin_vaerak_pxt_11rc.px")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Areas) != 1 || p.Areas[0].Code != "SSS" || p.Areas[0].Label != "KOKO MAA" {
		t.Fatalf("got areas %+v, want the whole country only", p.Areas)
	}
	if first, last := p.Years[0], p.Years[len(p.Years)-1]; len(p.Years) != 159 || first != 1865 || last != 2023 {
		t.Errorf("years: got %d from %d to %d, want 159 from 1865 to 2023", len(p.Years), first, last)
	}
	country := p.Areas[0]
	for _, tc := range []struct {
		year, limit int
		want        int64
	}{
		{1865, 0, 1843245}, // the first value of DATA
		{2019, 0, 5525292},
		{2023, 0, 5603851},
		{2023, 85, 162976},
	} {
		if got, err := country.AtLeast(tc.year, tc.limit); err != nil || got != tc.want {
			t.Errorf("AtLeast(%d, %d): got %d, %v; want %d", tc.year, tc.limit, got, err, tc.want)
		}
	}
	// The 5-year groups from 75 up give the same figure as the single ages of 11re.
	if csv, err := ReadPopulationCSV(openReal(t, realPopulation), "005_11re_2019.csv"); err != nil {
		t.Error(err)
	} else {
		want, _ := csv.Find("SSS").AtLeast(2019, 75)
		if got, err := country.AtLeast(2019, 75); err != nil || got != want {
			t.Errorf("AtLeast(2019, 75): got %d, %v; want %d as in 11re", got, err, want)
		}
	}
	if _, err := country.AtLeast(2019, 77); err == nil || !strings.Contains(err.Error(), "age group 75-79 straddles the limit 77") {
		t.Errorf("AtLeast(2019, 77): got %v, want an error about the group 75-79", err)
	}

	// Every year's groups add up to its total: change one group and the reader says so.
	broken := bytes.Replace(raw, []byte("DATA=\r\n1843245 264002 "), []byte("DATA=\r\n1843245 264003 "), 1)
	if bytes.Equal(broken, raw) {
		t.Fatal("the DATA block does not start as expected")
	}
	_, err = ReadPopulationPX(bytes.NewReader(broken), "11rc.px")
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, `area "KOKO MAA", 1865: the ages add up to 1843246 but the total (Yhteensä) is 1843245`) || e.Row != 221 {
		t.Errorf("got %v, want the ages of 1865 not adding up, on row 221", err)
	}
}

func TestReadPopulationPXErrors(t *testing.T) {
	head := `STUB="Alue","Ikä";
HEADING="Vuosi";
VALUES("Alue")="Aura","Turku";
VALUES("Ikä")="Yhteensä","0-74","75-";
VALUES("Vuosi")="2019";
`
	for _, tc := range []struct {
		name        string
		in          string
		row, column int
		msg         string
	}{
		{name: "empty", in: "", row: 1, column: 1, msg: "the file ends without the keyword DATA"},
		{name: "a CSV file", in: pxweb, row: 1, column: 1, msg: `'"' where a keyword should start`},
		{name: "binary", in: "PK\x03\x04\x14\x00", row: 1, column: 3, msg: `byte 0x03 after the keyword; expected '='`},
		{name: "no DATA", in: head, row: 6, column: 1, msg: "the file ends without the keyword DATA"},
		{name: "keyword without ';'", in: `STUB="Alue" HEADING="Vuosi";`, row: 1, column: 13, msg: `keyword STUB: 'H'; expected ',' or ';'`},
		{name: "quote not closed", in: `STUB="Alue;` + "\nDATA=1;", row: 1, column: 6, msg: `keyword STUB: a quoted string is not closed`},
		{name: "unknown code page", in: `CODEPAGE="ebcdic";` + head + "DATA=1;", row: 1, column: 1, msg: `keyword CODEPAGE: code page "ebcdic" is not one this program reads`},
		{name: "keyword twice", in: head + `VALUES("Vuosi")="2018";DATA=1;`, row: 6, column: 1, msg: `keyword VALUES("Vuosi"): the keyword is given twice (first on row 5)`},
		{name: "no values of a variable", in: strings.Replace(head, `VALUES("Ikä")`, `VALUES("Ika")`, 1) + "DATA=1;", row: 1, column: 1, msg: `keyword STUB: no VALUES("Ikä")`},
		{name: "codes do not match the values", in: head + `CODES("Alue")="KU019";DATA=1;`, row: 6, column: 1, msg: `keyword CODES("Alue"): 1 codes for 2 values`},
		{name: "a bad age", in: strings.Replace(head, `"75-"`, `"75-x"`, 1) + "DATA=1;", row: 4, column: 33, msg: `keyword VALUES("Ikä"): age "75-x" is not an age class`},
		{name: "no year", in: strings.Replace(head, `"Vuosi"`, `"Kuukausi"`, 2) + "DATA=1;", row: 1, column: 1, msg: "keyword STUB: no year variable"},
		{name: "an unknown variable with several values", in: strings.Replace(strings.Replace(head, `HEADING="Vuosi"`, `HEADING="Vuosi","Kieli"`, 1), "DATA", "", 1) + `VALUES("Kieli")="suomi","ruotsi";DATA=1;`, row: 6, column: 1, msg: `"Kieli" is a variable this program does not know and has 2 values (suomi, ruotsi)`},
		{name: "the same area twice", in: strings.Replace(head, `"Aura","Turku"`, `"Aura","AURA"`, 1) + "DATA=1;", row: 3, column: 23, msg: `value "AURA" is given twice (values 1 and 2)`},
		{name: "sparse KEYS", in: head + `KEYS("Alue")=VALUES;DATA="Aura" 1 2 3;`, row: 6, column: 1, msg: "the sparse KEYS form"},
		{name: "DATA cut short", in: head + "DATA=\n10 8 2\n20 15", row: 8, column: 6, msg: "keyword DATA: the file ends before the ';' that closes DATA"},
		{name: "DATA with too few values", in: head + "DATA=\n10 8 2\n20 15;", row: 8, column: 6, msg: "keyword DATA: 5 values, but the variables make 6 (2 Alue × 3 Ikä × 1 Vuosi)"},
		{name: "DATA with too many values", in: head + "DATA=\n10 8 2\n20 15 5 1;", row: 8, column: 9, msg: "keyword DATA: more values than the 6"},
		{name: "text in DATA", in: head + "DATA=\n10 8 2\n20 1x5 5;", row: 8, column: 4, msg: `keyword DATA: Alue="Turku", Ikä="0-74", Vuosi="2019": "1x5" is not a whole number`},
		{name: "something after DATA", in: head + "DATA=\n10 8 2\n20 15 5;\nNOTE=\"x\";", row: 9, column: 1, msg: "'N' after the ';' that ends DATA"},
		{name: "ages do not sum to the total", in: head + "DATA=\n10 8 2\n20 15 6;", row: 8, msg: `area "Turku", 2019: the ages add up to 21 but the total (Yhteensä) is 20`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := readPX(t, tc.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, %v; want an *Error", p, err)
			}
			if e.File != "test.px" || e.Row != tc.row || (tc.column != 0 && e.Column != tc.column) || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %q (row %d, column %d)\nwant row %d, column %d, with %q", e.Error(), e.Row, e.Column, tc.row, tc.column, tc.msg)
			}
		})
	}
}

func TestReadPopulationPXReadError(t *testing.T) {
	_, err := ReadPopulationPX(&failingReader{data: pxSmall[:200]}, "test.px")
	var e *Error
	if err == nil || errors.As(err, &e) || !strings.Contains(err.Error(), "read test.px") {
		t.Errorf("got %v, want the reader's error wrapped, not an input problem", err)
	}
}
