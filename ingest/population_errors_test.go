package ingest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// header is the header of the real export, on row 3 after the title and an empty line.
const header = `"11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 1972-2019"

"Alue";"Ikä";"Yhteensä 2019 Väestö 31.12.";"Miehet 2019 Väestö 31.12.";"Naiset 2019 Väestö 31.12."
`

const total2019 = "Yhteensä 2019 Väestö 31.12."

// garbage is a PNG signature and header chunk followed by random bytes.
func garbage() string {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
	r := rand.New(rand.NewPCG(1, 2))
	for range 4096 {
		b = append(b, byte(r.UintN(256)))
	}
	return string(b)
}

// randomNoNUL is random bytes without NUL, as a binary file might start.
func randomNoNUL() string {
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 2048)
	for i := range b {
		b[i] = byte(1 + r.UintN(255))
	}
	return string(b)
}

func TestReadPopulationCSVErrors(t *testing.T) {
	type wantErr struct {
		row        int
		column     int
		columnName string
		msg        string // a part of Msg
	}
	for _, tc := range []struct {
		name  string
		in    string
		want  wantErr // the first problem
		count int     // problems in an *Errors; 0 when the error is a single *Error
	}{
		{
			name: "no age column",
			in:   "\"11re\"\n\n\"Alue\";\"Kunta\";\"Yhteensä 2019\"\n\"Aura\";\"Aura\";1\n",
			want: wantErr{row: 3, msg: `column 'Ikä' (age; or Ålder, Age) not found; the header has: "Alue", "Kunta", "Yhteensä 2019"`},
		},
		{
			name: "no area and no age column",
			in:   "\"Kunta\",\"Vuosi\",\"Väestö\"\n",
			want: wantErr{row: 1, msg: "column 'Alue' (area; or Område, Area, Region) and column 'Ikä' (age; or Ålder, Age) not found"},
		},
		{
			name: "no header at all",
			in:   "\"just a title\"\n\n\"another line\"\n",
			want: wantErr{msg: "no header line found in the first 3 lines: column 'Alue'"},
		},
		{
			name:  "text in a number cell",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";12a;1;1\n",
			want:  wantErr{row: 4, column: 3, columnName: total2019, msg: `"12a" is not a whole number; expected a whole number ≥ 0, "-" for zero or ".." for a missing value`},
			count: 1,
		},
		{
			name:  "negative number",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";5;6;-1\n",
			want:  wantErr{row: 4, column: 5, columnName: "Naiset 2019 Väestö 31.12.", msg: `"-1" is negative; expected a whole number ≥ 0`},
			count: 1,
		},
		{
			name:  "decimal",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";\"1,5\";1;1\n",
			want:  wantErr{row: 4, column: 3, columnName: total2019, msg: `"1,5" is not a whole number`},
			count: 1,
		},
		{
			name:  "empty cell",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";;1;1\n",
			want:  wantErr{row: 4, column: 3, columnName: total2019, msg: "the cell is empty; expected a whole number"},
			count: 1,
		},
		{
			name:  "too large",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";99999999999999999999;1;1\n",
			want:  wantErr{row: 4, column: 3, columnName: total2019, msg: "too large"},
			count: 1,
		},
		{
			name:  "missing field",
			in:    crlf(header + "\"KOKO MAA\";\"Yhteensä\";2;1;1\n\"Aura\";\"Yhteensä\";2;1\n"),
			want:  wantErr{row: 5, msg: "the row has 4 fields but the header (row 3) has 5; expected one field per column separated by semicolons"},
			count: 1,
		},
		{
			name:  "stray quote",
			in:    header + "\"KOKO MAA\";\"Yhteensä\";2;1;1\n\"Aura\"x;\"Yhteensä\";2;1;1\n",
			want:  wantErr{row: 5, msg: "cannot split the line into fields"},
			count: 1,
		},
		{
			name:  "empty area",
			in:    header + "\"\";\"Yhteensä\";2;1;1\n",
			want:  wantErr{row: 4, column: 1, columnName: "Alue", msg: "the area is empty"},
			count: 1,
		},
		{
			name:  "bad age",
			in:    header + "\"Aura\";\"vanhat\";2;1;1\n",
			want:  wantErr{row: 4, column: 2, columnName: "Ikä", msg: `age "vanhat" is not an age class; expected Yhteensä, a single age 0 … 99, "100 -", or a group`},
			count: 1,
		},
		{
			name: "ages do not add up to the total",
			in: header + "\"Aura\";\"Yhteensä\";100;50;50\n\"Aura\";\"0-74\";90;45;45\n\"Aura\";\"75 -\";9;5;4\n" +
				"\"Lieto\";\"Yhteensä\";10;5;5\n\"Lieto\";\"0-74\";5;2;3\n\"Lieto\";\"75 -\";5;3;2\n",
			want:  wantErr{row: 4, msg: `area "Aura", 2019: the ages add up to 99 but the total (Yhteensä) is 100; expected them to be equal`},
			count: 1,
		},
		{
			name:  "duplicate row",
			in:    header + "\"Aura\";\"Yhteensä\";100;50;50\n\"Aura\";\"0\";1;1;0\n\"Aura\";\"Yhteensä\";100;50;50\n",
			want:  wantErr{row: 6, msg: `area "Aura", 2019, age total: the same area, age and year as row 4; expected each once`},
			count: 1,
		},
		{
			name:  "duplicate name",
			in:    header + "\"KU853 Turku\";\"Yhteensä\";2;1;1\n\"TURKU\";\"Yhteensä\";2;1;1\n",
			want:  wantErr{row: 5, msg: `area "TURKU" has the same name as area "KU853 Turku" (row 4)`},
			count: 1,
		},
		{
			name:  "duplicate code",
			in:    header + "\"KU853 Turku\";\"Yhteensä\";2;1;1\n\"853 Åbo\";\"Yhteensä\";2;1;1\n",
			want:  wantErr{row: 5, msg: `area "853 Åbo" has the same code 853 as area "KU853 Turku" (row 4)`},
			count: 1,
		},
		{
			name:  "no year in a column",
			in:    "\"Alue\";\"Ikä\";\"Väestö 31.12.\"\n\"Aura\";\"Yhteensä\";1\n",
			want:  wantErr{row: 1, column: 3, columnName: "Väestö 31.12.", msg: "no year in the column name; expected a year such as"},
			count: 1,
		},
		{
			name:  "males only",
			in:    "\"Alue\";\"Ikä\";\"Miehet 2019\"\n\"Aura\";\"Yhteensä\";1\n",
			want:  wantErr{row: 1, column: 3, columnName: "Miehet 2019", msg: "the column holds males only; expected a column for both sexes (Yhteensä) or columns for both males and females"},
			count: 1,
		},
		{
			name:  "same year twice",
			in:    "\"Alue\";\"Ikä\";\"Yhteensä 2019\";\"2019\"\n\"Aura\";\"Yhteensä\";1;1\n",
			want:  wantErr{row: 1, column: 4, columnName: "2019", msg: `the column holds the same year and sex as column 3 ("Yhteensä 2019")`},
			count: 1,
		},
		{
			name:  "bad year in the year column",
			in:    "\"Alue\";\"Vuosi\";\"Ikä\";\"Yhteensä\"\n\"Aura\";\"vuosi 2019\";\"Yhteensä\";1\n",
			want:  wantErr{row: 2, column: 2, columnName: "Vuosi", msg: `"vuosi 2019" is not a year; expected a 4-digit year`},
			count: 1,
		},
		{
			name:  "only males in the sex column",
			in:    "\"Alue\";\"Ikä\";\"Sukupuoli\";\"2019\"\n\"Aura\";\"Yhteensä\";\"Miehet\";1\n",
			want:  wantErr{row: 2, msg: `area "Aura", 2019, age total: only males; expected a both-sexes (Yhteensä) figure or both males and females`},
			count: 1,
		},
		{
			name: "empty file",
			in:   "",
			want: wantErr{msg: "the file is empty; expected a CSV export with a header line"},
		},
		{
			name: "empty lines only",
			in:   "\r\n\r\n  \r\n",
			want: wantErr{msg: "the file has no text lines"},
		},
		{
			name: "header only",
			in:   header,
			want: wantErr{row: 3, msg: "no data rows after the header; expected rows of area, age and counts"},
		},
		{
			name: "binary garbage",
			in:   garbage(),
			want: wantErr{msg: "not a text file: it contains NUL bytes; expected a CSV export (UTF-8 or ISO-8859-1)"},
		},
		{
			name: "random bytes without NUL",
			in:   randomNoNUL(),
			want: wantErr{msg: "not a text file"},
		},
		{
			name: "utf-16",
			in:   "\xff\xfe\"\x00A\x00",
			want: wantErr{msg: "the file is UTF-16 text; save it as UTF-8 or ISO-8859-1"},
		},
		{
			name: "several bad cells",
			in: header + "\"Aura\";\"Yhteensä\";12a;1;1\n\"Aura\";\"0\";1;-1;1\n\"Aura\";\"1\";1;1\n" +
				"\"Aura\";\"kaksi\";1;1;1\n\"Lieto\";\"3\";1;1;x\n",
			want:  wantErr{row: 4, column: 3, columnName: total2019, msg: `"12a" is not a whole number`},
			count: 5,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadPopulationCSV(strings.NewReader(tc.in), "test.csv")
			e := firstProblem(t, p, err, tc.count)
			got := wantErr{row: e.Row, column: e.Column, columnName: e.ColumnName, msg: e.Msg}
			if got.row != tc.want.row || got.column != tc.want.column || got.columnName != tc.want.columnName || !strings.Contains(got.msg, tc.want.msg) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if e.File != "test.csv" || !strings.HasPrefix(err.Error(), "test.csv: ") {
				t.Errorf("got file %q in %q, want test.csv", e.File, err)
			}
		})
	}
}

func TestReadPopulationCSVReportsAllBadRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 60 {
		fmt.Fprintf(&b, "\"Aura\";\"%d\";x;1;1\n", i)
	}
	_, err := ReadPopulationCSV(strings.NewReader(b.String()), "test.csv")
	var many *Errors
	if !errors.As(err, &many) {
		t.Fatalf("got %v, want *Errors", err)
	}
	if got, want := len(many.List), maxErrors; got != want {
		t.Errorf("listed: got %d, want %d", got, want)
	}
	if got, want := many.More, 60-maxErrors; got != want {
		t.Errorf("more: got %d, want %d", got, want)
	}
	for i, e := range many.List {
		if got, want := e.Row, 4+i; got != want {
			t.Errorf("problem %d: got row %d, want %d", i, got, want)
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if got, want := lines[len(lines)-1], "… and 10 more problems"; got != want {
		t.Errorf("last line: got %q, want %q", got, want)
	}
	if got, want := len(lines), maxErrors+1; got != want {
		t.Errorf("lines: got %d, want %d", got, want)
	}
}

// failingReader returns its data, then an error that is not an input problem.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadPopulationCSVReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, tc := range []struct {
		name string
		data string
	}{
		{name: "before any byte", data: ""},
		{name: "in the preamble", data: "\"11re\"\n"},
		{name: "in the rows", data: header + "\"Aura\";\"Yhteensä\";1;1;0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPopulationCSV(&failingReader{data: tc.data, err: boom}, "test.csv")
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want an error wrapping %v", err, boom)
			}
			var e *Error
			if errors.As(err, &e) {
				t.Errorf("got input problem %v, want a read error", e)
			}
			if !strings.Contains(err.Error(), "test.csv") {
				t.Errorf("got %q, want the file name in it", err)
			}
		})
	}
}

// firstProblem checks that a reader failed with input problems and no population: an *Errors
// of count problems, or a single *Error when count is 0. It returns the first problem.
func firstProblem(t *testing.T, p *Population, err error, count int) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got %d areas and no error, want an error", len(p.Areas))
	}
	if p != nil {
		t.Errorf("got a population with the error %v, want nil", err)
	}
	var many *Errors
	if got := errors.As(err, &many); got != (count > 0) {
		t.Errorf("error is *Errors: got %v, want %v (%v)", got, count > 0, err)
	} else if many != nil && len(many.List) != count {
		t.Errorf("problems: got %d, want %d:\n%v", len(many.List), count, err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want an *Error", err, err)
	}
	return e
}
