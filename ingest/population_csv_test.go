package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// pxweb is a small export as PxWeb writes it, in UTF-8 with LF; the tests re-encode it.
const pxweb = `"11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 1972-2019"

"Alue";"Ikä";"Yhteensä 2019 Väestö 31.12.";"Miehet 2019 Väestö 31.12.";"Naiset 2019 Väestö 31.12."
"KOKO MAA";"Yhteensä";300;150;150
"KOKO MAA";"0-74";250;130;120
"KOKO MAA";"75-79";20;8;12
"KOKO MAA";"80 -";30;12;18
"Pöytyä";"Yhteensä";120;60;60
"Pöytyä";"0-74";100;52;48
"Pöytyä";"75-79";8;3;5
"Pöytyä";"80 -";12;5;7
"Kemiönsaari";"Yhteensä";180;90;90
"Kemiönsaari";"0-74";150;78;72
"Kemiönsaari";"75-79";12;5;7
"Kemiönsaari";"80 -";18;7;11
`

// pxwebChecks are what pxweb holds, whatever its encoding and separator.
var pxwebChecks = []check{
	{names: []string{"KOKO MAA"}, year: 2019, want: 300},
	{code: "SSS", year: 2019, limit: 75, want: 50},
	{names: []string{"PÖYTYÄ"}, year: 2019, want: 120},
	{names: []string{"pöytyä"}, year: 2019, limit: 75, want: 20},
	{names: []string{"Kemiönsaari"}, year: 2019, limit: 80, want: 18},
}

// check is one figure a fixture must give: Total when limit is 0, else AtLeast.
type check struct {
	code    string
	names   []string
	year    int
	limit   int
	want    int64
	wantErr string // a part of the error message; "" for no error
}

func win1252(t testing.TB, s string) string {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// singleAges is an export with a row for each age 0 … 99 and "100 -", each of count 1 but
// age 75 with 5, as code labels "000" … when codes is set.
func singleAges(codes bool) string {
	var b strings.Builder
	b.WriteString("\"Alue\";\"Ikä\";\"Yhteensä 2019 Väestö 31.12.\"\n\"KU853 Turku\";\"Yhteensä\";105\n")
	for age := 0; age < 100; age++ {
		n, label := 1, fmt.Sprint(age)
		if age == 75 {
			n = 5
		}
		if codes {
			label = fmt.Sprintf("%03d", age)
		}
		fmt.Fprintf(&b, "\"KU853 Turku\";\"%s\";%d\n", label, n)
	}
	b.WriteString("\"KU853 Turku\";\"100 -\";1\n")
	return b.String()
}

// asciiThen1252 is an export whose first 64 KiB are ASCII and whose last area is a
// Windows-1252 name.
func asciiThen1252(t testing.TB) string {
	var b strings.Builder
	b.WriteString("\"Area\";\"Age\";\"Total 2019\"\n")
	for i := 0; b.Len() < sniffSize+100; i++ {
		fmt.Fprintf(&b, "\"Area %d\";\"Total\";%d\n", i, i)
	}
	b.WriteString(win1252(t, "\"Pöytyä\";\"Yhteensä\";120\n"))
	return b.String()
}

func TestReadPopulationCSV(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		areas     int
		years     []int
		checks    []check
		wantLabel string // the label of the second area
	}{
		{name: "windows-1252 crlf as downloaded", in: crlf(win1252(t, pxweb)), areas: 3, years: []int{2019}, checks: pxwebChecks, wantLabel: "Pöytyä"},
		{name: "utf-8 lf", in: pxweb, areas: 3, years: []int{2019}, checks: pxwebChecks, wantLabel: "Pöytyä"},
		{name: "utf-8 bom crlf", in: "\uFEFF" + crlf(pxweb), areas: 3, years: []int{2019}, checks: pxwebChecks, wantLabel: "Pöytyä"},
		{name: "comma separated", in: strings.ReplaceAll(pxweb, ";", ","), areas: 3, years: []int{2019}, checks: pxwebChecks},
		{name: "tab separated", in: strings.ReplaceAll(pxweb, ";", "\t"), areas: 3, years: []int{2019}, checks: pxwebChecks},
		{name: "no title line", in: pxweb[strings.Index(pxweb, "\"Alue\""):], areas: 3, years: []int{2019}, checks: pxwebChecks},
		{name: "decomposed letters", in: strings.ReplaceAll(pxweb, "ö", "o\u0308"), areas: 3, years: []int{2019}, checks: pxwebChecks, wantLabel: "Pöytyä"},
		{
			name: "ascii start, windows-1252 later", in: asciiThen1252(t), years: []int{2019},
			checks: []check{{names: []string{"Pöytyä"}, year: 2019, want: 120}},
		},
		{
			name: "swedish", years: []int{2019},
			in: win1252(t, "\"Område\";\"Ålder\";\"Totalt 2019 Befolkning 31.12.\"\r\n"+
				"\"HELA LANDET\";\"Totalt\";30\r\n\"Åbo\";\"Totalt\";20\r\n\"Pargas\";\"Totalt\";10\r\n"),
			areas: 3, wantLabel: "Åbo",
			checks: []check{{code: "SSS", year: 2019, want: 30}, {names: []string{"ÅBO"}, year: 2019, want: 20}, {names: []string{"Turku", "pargas"}, year: 2019, want: 10}},
		},
		{
			name: "english, tabs", years: []int{2019},
			in:    "Region\tAge\tTotal 2019 Population 31 Dec\tMales 2019 Population 31 Dec\tFemales 2019 Population 31 Dec\nWHOLE COUNTRY\tTotal\t5\t2\t3\nTurku\tTotal\t2\t1\t1\n",
			areas: 2, wantLabel: "Turku",
			checks: []check{{code: "SSS", year: 2019, want: 5}, {names: []string{"turku"}, year: 2019, want: 2}},
		},
		{
			name: "codes in labels", years: []int{2019},
			in: "\"Alue\";\"Ikä\";\"2019\"\n\"SSS\";\"SSS\";100\n\"KU853 Turku\";\"SSS\";50\n\"680 Raisio\";\"SSS\";30\n" +
				"\"KU202\";\"SSS\";15\n\"019\";\"SSS\";5\n",
			areas: 5, wantLabel: "KU853 Turku",
			checks: []check{
				{code: "SSS", year: 2019, want: 100},
				{code: "853", year: 2019, want: 50},
				{code: "KU853", year: 2019, want: 50},
				{names: []string{"TURKU"}, year: 2019, want: 50},
				{code: "680", names: []string{"Turku"}, year: 2019, want: 30},
				{code: "KU202", year: 2019, want: 15},
				{code: "019", year: 2019, want: 5},
			},
		},
		{
			name: "two years", years: []int{2018, 2019},
			in: "\"Alue\";\"Ikä\";\"Yhteensä 2018 Väestö 31.12.\";\"Yhteensä 2019 Väestö 31.12.\";\"Miehet 2019 Väestö 31.12.\"\n" +
				"\"Turku\";\"Yhteensä\";90;100;40\n\"Turku\";\"0-74\";81;90;35\n\"Turku\";\"75 -\";9;10;5\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2018, want: 90},
				{names: []string{"Turku"}, year: 2019, want: 100},
				{names: []string{"Turku"}, year: 2018, limit: 75, want: 9},
				{names: []string{"Turku"}, year: 2019, limit: 75, want: 10},
				{names: []string{"Turku"}, year: 2017, wantErr: "no population for 2017"},
			},
		},
		{
			name: "year stub column", years: []int{2018, 2019},
			in: "\"Alue\";\"Vuosi\";\"Ikä\";\"Tiedot\";\"Yhteensä Väestö 31.12.\"\n" +
				"\"Turku\";\"2018\";\"Yhteensä\";\"Väestö 31.12.\";90\n\"Turku\";\"2019\";\"Yhteensä\";\"Väestö 31.12.\";100\n" +
				"\"Turku\";\"2019\";\"0-74\";\"Väestö 31.12.\";90\n\"Turku\";\"2019\";\"75 -\";\"Väestö 31.12.\";10\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2018, want: 90},
				{names: []string{"Turku"}, year: 2019, limit: 75, want: 10},
				{names: []string{"Turku"}, year: 2018, limit: 75, wantErr: "no age rows"},
			},
		},
		{
			name: "males and females only", years: []int{2019},
			in: "\"Alue\";\"Ikä\";\"Miehet 2019 Väestö 31.12.\";\"Naiset 2019 Väestö 31.12.\"\n" +
				"\"Turku\";\"Yhteensä\";45;55\n\"Turku\";\"0-74\";40;50\n\"Turku\";\"75 -\";5;5\n",
			areas:  1,
			checks: []check{{names: []string{"Turku"}, year: 2019, want: 100}, {names: []string{"Turku"}, year: 2019, limit: 75, want: 10}},
		},
		{
			name: "sex stub column", years: []int{2019},
			in: "\"Alue\";\"Ikä\";\"Sukupuoli\";\"2019\"\n" +
				"\"Turku\";\"Yhteensä\";\"Miehet\";45\n\"Turku\";\"Yhteensä\";\"Naiset\";55\n\"Turku\";\"Yhteensä\";\"Yhteensä\";100\n" +
				"\"Turku\";\"0-74\";\"Miehet\";40\n\"Turku\";\"0-74\";\"Naiset\";50\n\"Turku\";\"75 -\";\"1\";5\n\"Turku\";\"75 -\";\"2\";5\n",
			areas:  1,
			checks: []check{{names: []string{"Turku"}, year: 2019, want: 100}, {names: []string{"Turku"}, year: 2019, limit: 75, want: 10}},
		},
		{
			name: "groups", years: []int{2019},
			in: "\"Alue\";\"Ikä\";\"Yhteensä 2019\"\n\"Turku\";\"0 - 69\";60\n\"Turku\";\"70-74\";10\n\"Turku\";\"75-79\";8\n" +
				"\"Turku\";\"80–84\";6\n\"Turku\";\"85-99\";5\n\"Turku\";\"100+\";1\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, want: 90},
				{names: []string{"Turku"}, year: 2019, limit: 70, want: 30},
				{names: []string{"Turku"}, year: 2019, limit: 75, want: 20},
				{names: []string{"Turku"}, year: 2019, limit: 85, want: 6},
				{names: []string{"Turku"}, year: 2019, limit: 100, want: 1},
				{names: []string{"Turku"}, year: 2019, limit: 77, wantErr: "age group 75-79 straddles the limit 77"},
				{names: []string{"Turku"}, year: 2019, limit: 101, wantErr: "group 100- straddles"},
				{names: []string{"Turku"}, year: 2019, limit: -1, wantErr: "negative"},
			},
		},
		{
			name: "straddling group", years: []int{2019},
			in:    "\"Alue\";\"Ikä\";\"Yhteensä 2019\"\n\"Turku\";\"Yhteensä\";100\n\"Turku\";\"0-69\";70\n\"Turku\";\"70-79\";20\n\"Turku\";\"80-\";10\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, limit: 80, want: 10},
				{names: []string{"Turku"}, year: 2019, limit: 75, wantErr: "row 4: area \"Turku\": 2019: age group 70-79 straddles the limit 75; ages 75 and over need groups that start at 75 or above"},
			},
		},
		{
			name: "gap in the ages", years: []int{2019},
			in:    "\"Alue\";\"Ikä\";\"Yhteensä 2019\"\n\"Turku\";\"75-79\";20\n\"Turku\";\"85-\";10\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, limit: 75, wantErr: "no row for age 80"},
				{names: []string{"Turku"}, year: 2019, wantErr: "no row for age 0"},
			},
		},
		{
			name: "singles and groups overlap", years: []int{2019},
			in:    "\"Alue\";\"Ikä\";\"Yhteensä 2019\"\n\"Turku\";\"Yhteensä\";20\n\"Turku\";\"0-74\";10\n\"Turku\";\"75-\";10\n\"Turku\";\"75\";4\n",
			areas: 1,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, want: 20},
				{names: []string{"Turku"}, year: 2019, limit: 75, wantErr: "overlaps"},
			},
		},
		{
			name: "total only", years: []int{2019},
			in:    crlf(win1252(t, "\"Alue\";\"Ikä\";\"Yhteensä 2019 Väestö 31.12.\"\n\"KOKO MAA\";\"Yhteensä\";5525292\n\"Aura\";\"Yhteensä\";3941\n")),
			areas: 2, wantLabel: "Aura",
			checks: []check{
				{names: []string{"Aura"}, year: 2019, want: 3941},
				{names: []string{"Aura"}, year: 2019, limit: 75, wantErr: "row 3: area \"Aura\": 2019: no age rows, only the total"},
			},
		},
		{
			name: "missing markers and dashes", years: []int{2019},
			in: "\"Alue\";\"Ikä\";\"Yhteensä 2019\"\n\"Turku\";\"Yhteensä\";..\n\"Turku\";\"0-74\";90\n\"Turku\";\"75-79\";-\n\"Turku\";\"80 -\";10\n" +
				"\"Raisio\";\"Yhteensä\";50\n\"Raisio\";\"0-74\";.\n\"Raisio\";\"75-\";......\n" +
				"\"Rusko\";\"Yhteensä\";....\n\"Lieto\";\"Yhteensä\";..\n\"Lieto\";\"0-74\";5\n",
			areas: 4,
			checks: []check{
				{names: []string{"Turku"}, year: 2019, want: 100},
				{names: []string{"Turku"}, year: 2019, limit: 75, want: 10},
				{names: []string{"Raisio"}, year: 2019, want: 50},
				{names: []string{"Raisio"}, year: 2019, limit: 75, wantErr: "row 8: area \"Raisio\": 2019: the value for age 75- is missing"},
				{names: []string{"Rusko"}, year: 2019, wantErr: "the total is missing"},
				{names: []string{"Lieto"}, year: 2019, wantErr: "row 10: area \"Lieto\": 2019: the ages stop at 74; expected ages up to an open-ended class such as \"100 -\"; the total (row 10) is missing too"},
			},
		},
		{
			name: "single ages", in: singleAges(false), areas: 1, years: []int{2019},
			checks: []check{
				{names: []string{"Turku"}, year: 2019, want: 105},
				{code: "853", year: 2019, limit: 75, want: 30},
				{code: "853", year: 2019, limit: 99, want: 2},
				{code: "853", year: 2019, limit: 100, want: 1},
			},
		},
		{
			name: "age codes", in: singleAges(true), areas: 1, years: []int{2019},
			checks: []check{{code: "853", year: 2019, limit: 75, want: 30}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadPopulationCSV(strings.NewReader(tc.in), "test.csv")
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if p.File != "test.csv" {
				t.Errorf("File: got %q, want %q", p.File, "test.csv")
			}
			if tc.areas > 0 && len(p.Areas) != tc.areas {
				t.Errorf("areas: got %d, want %d", len(p.Areas), tc.areas)
			}
			if !slices.Equal(p.Years, tc.years) {
				t.Errorf("years: got %v, want %v", p.Years, tc.years)
			}
			if tc.wantLabel != "" && (len(p.Areas) < 2 || p.Areas[1].Label != tc.wantLabel) {
				t.Errorf("second area: got %v, want label %q", p.Areas, tc.wantLabel)
			}
			for _, c := range tc.checks {
				runCheck(t, p, c)
			}
		})
	}
}

func runCheck(t *testing.T, p *Population, c check) {
	t.Helper()
	runFileCheck(t, p, c, "test.csv")
}

// runFileCheck checks one figure of p, read from file: an error must be an *Error naming
// file and a row.
func runFileCheck(t *testing.T, p *Population, c check, file string) {
	t.Helper()
	a := p.Find(c.code, c.names...)
	if a == nil {
		t.Errorf("Find(%q, %q): got nil, want an area", c.code, c.names)
		return
	}
	var got int64
	var err error
	what := fmt.Sprintf("%s Total(%d)", a.Label, c.year)
	if c.limit == 0 {
		got, err = a.Total(c.year)
	} else {
		got, err = a.AtLeast(c.year, c.limit)
		what = fmt.Sprintf("%s AtLeast(%d, %d)", a.Label, c.year, c.limit)
	}
	switch {
	case c.wantErr == "" && err != nil:
		t.Errorf("%s: got error %v, want %d", what, err, c.want)
	case c.wantErr == "" && got != c.want:
		t.Errorf("%s: got %d, want %d", what, got, c.want)
	case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
		t.Errorf("%s: got %d, %v; want an error with %q", what, got, err, c.wantErr)
	case c.wantErr != "":
		if e, ok := err.(*Error); !ok || e.File != file || e.Row == 0 {
			t.Errorf("%s: got error %#v, want an *Error with the file and a row", what, err)
		}
	}
}

func TestAreaLabels(t *testing.T) {
	for _, tc := range []struct {
		label, code, name string
	}{
		{"KOKO MAA", "SSS", "KOKO MAA"},
		{"Koko maa", "SSS", "Koko maa"},
		{"SSS", "SSS", ""},
		{"SSS KOKO MAA", "SSS", "KOKO MAA"},
		{"KU853 Turku", "853", "Turku"},
		{"ku853 Turku", "853", "Turku"},
		{"853 Turku", "853", "Turku"},
		{"KU853", "853", ""},
		{"853", "853", ""},
		{"KU019 Aura", "019", "Aura"},
		{"Koski Tl", "", "Koski Tl"},
		{"Maarianhamina - Mariehamn", "", "Maarianhamina - Mariehamn"},
		{"MK02 Varsinais-Suomi", "", "MK02 Varsinais-Suomi"},
		{"KU85 Turku", "", "KU85 Turku"},
	} {
		t.Run(tc.label, func(t *testing.T) {
			a := newArea(tc.label, "test.csv", 1)
			if a.Code != tc.code || a.Name != tc.name {
				t.Errorf("got code %q name %q, want %q %q", a.Code, a.Name, tc.code, tc.name)
			}
		})
	}
}
