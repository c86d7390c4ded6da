package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// testSheet is a worksheet a test builds: its name and rows from row 1; a nil cell or an empty
// row is left blank.
type testSheet struct {
	name string
	rows [][]any
}

// row is the cells of one row, for short fixtures.
func row(cells ...any) []any { return cells }

// newWorkbook builds an XLSX workbook of sheets, its text in shared strings as Excel writes it.
func newWorkbook(t testing.TB, sheets ...testSheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, cells := range sh.rows {
			if len(cells) == 0 {
				continue
			}
			at, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow(sh.name, at, &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pxwebXLSX is a CSV export in PxWeb's Excel shape (see ingesttest.Table.XLSX): the title,
// an empty row, the heading rows sex, year and information, the data with a repeated area
// label left blank, then footnotes.
func pxwebXLSX(t testing.TB, export string) []byte {
	t.Helper()
	tab, err := ingesttest.FromPxWebCSV(strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tab.XLSX(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// streamWorkbook builds a one-sheet workbook with excelize's StreamWriter, as a large table
// needs; its text is in inline strings.
func streamWorkbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for r, cells := range rows {
		if len(cells) == 0 {
			continue
		}
		at, err := excelize.CoordinatesToCellName(1, r+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow(at, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readXLSX reads a workbook as a test does.
func readXLSX(t testing.TB, book []byte) *Population {
	t.Helper()
	p, err := ReadPopulationXLSX(bytes.NewReader(book), "test.xlsx")
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	return p
}

const (
	tot2019 = "Yhteensä 2019 Väestö 31.12."
	men2019 = "Miehet 2019 Väestö 31.12."
	wom2019 = "Naiset 2019 Väestö 31.12."
	title   = "Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 2018-2019"
)

// twoYears is shape (a): a title, three heading rows with the sex written once for its two
// years, the data with each area label on its first row only, then footnotes.
func twoYears() [][]any {
	// data is one area and age: both sexes and males in 2018 and 2019; females are the rest.
	data := func(area any, age string, t18, m18, t19, m19 int) []any {
		return row(area, age, t18, t19, m18, m19, t18-m18, t19-m19)
	}
	return [][]any{
		row(title),
		nil,
		row(nil, nil, "Yhteensä", nil, "Miehet", nil, "Naiset"),
		row(nil, nil, 2018, 2019, 2018, 2019, 2018, 2019),
		row(nil, nil, "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12."),
		data("KOKO MAA", "Yhteensä", 290, 145, 300, 150),
		data(nil, "0-74", 245, 128, 250, 130),
		data(nil, "75-79", 19, 7, 20, 8),
		data(nil, "80 -", 26, 10, 30, 12),
		data("Pöytyä", "Yhteensä", 118, 59, 120, 60),
		data(nil, "0-74", 99, 51, 100, 52),
		data(nil, "75-79", 8, 3, 8, 3),
		data(nil, "80 -", 11, 5, 12, 5),
		data("Kemiönsaari", "Yhteensä", 182, 91, 180, 90),
		data(nil, "0-74", 152, 80, 150, 78),
		data(nil, "75-79", 12, 5, 12, 5),
		data(nil, "80 -", 18, 6, 18, 7),
		nil,
		row("Lähde: Tilastokeskus, väestörakenne"),
		row("Tiedot 31.12."),
	}
}

// oneHeader is shape (b): a single header row like the CSV export's.
var oneHeader = [][]any{
	row("Alue", "Ikä", tot2019, men2019, wom2019),
	row("KOKO MAA", "Yhteensä", 300, 150, 150),
	row("KOKO MAA", "0-74", 250, 130, 120),
	row("KOKO MAA", "75-79", 20, 8, 12),
	row("KOKO MAA", "80 -", 30, 12, 18),
	row("Pöytyä", "Yhteensä", 120, 60, 60),
	row("Pöytyä", "0-74", 100, 52, 48),
	row("Pöytyä", "75-79", 8, 3, 5),
	row("Pöytyä", "80 -", 12, 5, 7),
	row("Kemiönsaari", "Yhteensä", 180, 90, 90),
	row("Kemiönsaari", "0-74", 150, 78, 72),
	row("Kemiönsaari", "75-79", 12, 5, 7),
	row("Kemiönsaari", "80 -", 18, 7, 11),
}

const nbsp = "\u00a0"

func TestReadPopulationXLSX(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sheets []testSheet
		years  []int
		labels []string // every area's label, in order
		rows   []int    // every area's first row
		checks []check
	}{
		{
			name:   "title, heading rows, blank area labels, footnotes",
			sheets: []testSheet{{"11re", twoYears()}},
			years:  []int{2018, 2019},
			labels: []string{"KOKO MAA", "Pöytyä", "Kemiönsaari"},
			rows:   []int{6, 10, 14},
			checks: []check{
				{code: "SSS", year: 2018, want: 290},
				{code: "SSS", year: 2019, want: 300},
				{code: "SSS", year: 2018, limit: 75, want: 45},
				{code: "SSS", year: 2019, limit: 75, want: 50},
				{names: []string{"PÖYTYÄ"}, year: 2019, want: 120},
				{names: []string{"pöytyä"}, year: 2019, limit: 75, want: 20},
				{names: []string{"Kemiönsaari"}, year: 2018, want: 182},
				{names: []string{"Kemiönsaari"}, year: 2019, limit: 80, want: 18},
				{names: []string{"Kemiönsaari"}, year: 2017, wantErr: "row 14: area \"Kemiönsaari\": no population for 2017"},
			},
		},
		{
			name:   "one header row",
			sheets: []testSheet{{"Taulukko", oneHeader}},
			years:  []int{2019},
			labels: []string{"KOKO MAA", "Pöytyä", "Kemiönsaari"},
			rows:   []int{2, 6, 10},
			checks: pxwebChecks,
		},
		{
			name: "heading rows, the last naming the columns",
			sheets: []testSheet{{"Sheet1", [][]any{
				row(title),
				row(nil, nil, "Yhteensä", "Miehet", "Naiset"),
				row(nil, nil, 2019, 2019, 2019),
				row("Alue", "Ikä", "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12."),
				row("KOKO MAA", "Yhteensä", 300, 150, 150),
				row(nil, "0-74", 250, 130, 120),
				row(nil, "75-79", 20, 8, 12),
				row(nil, "80 -", 30, 12, 18),
				row("Pöytyä", "Yhteensä", 120, 60, 60),
				row(nil, "0-74", 100, 52, 48),
				row(nil, "75-79", 8, 3, 5),
				row(nil, "80 -", 12, 5, 7),
				row("Kemiönsaari", "Yhteensä", 180, 90, 90),
				row(nil, "0-74", 150, 78, 72),
				row(nil, "75-79", 12, 5, 7),
				row(nil, "80 -", 18, 7, 11),
			}}},
			years:  []int{2019},
			labels: []string{"KOKO MAA", "Pöytyä", "Kemiönsaari"},
			rows:   []int{5, 9, 13},
			checks: pxwebChecks,
		},
		{
			name: "numbers as text, codes, missing markers",
			sheets: []testSheet{{"Sheet1", [][]any{
				row(nil, nil, "Yhteensä"),
				row(nil, nil, "2019"),
				row("KU853 Turku", "Yhteensä", "192 962"),
				row(nil, "0-74", "175"+nbsp+"097"),
				row(nil, "75 -", "17865"),
				row("680 Raisio", "Yhteensä", "2.4613E4"),
				row(nil, "0-74", "22237.0"),
				row(nil, "75 -", " 2376 "),
				row("KU202", "Yhteensä", ".."),
				row(nil, "0-74", "30000"),
				row(nil, "75 -", "-"),
			}}},
			years:  []int{2019},
			labels: []string{"KU853 Turku", "680 Raisio", "KU202"},
			rows:   []int{3, 6, 9},
			checks: []check{
				{code: "853", year: 2019, want: 192962},
				{code: "KU853", year: 2019, limit: 75, want: 17865},
				{names: []string{"turku"}, year: 2019, want: 192962},
				{code: "680", year: 2019, want: 24613},
				{names: []string{"Raisio"}, year: 2019, limit: 75, want: 2376},
				{code: "202", year: 2019, want: 30000},
				{code: "202", year: 2019, limit: 75, want: 0},
			},
		},
		{
			name: "males and females only",
			sheets: []testSheet{{"Sheet1", [][]any{
				row(title),
				row(nil, nil, "Miehet", "Naiset"),
				row(nil, nil, 2019, 2019),
				row(nil, nil, "Väestö 31.12."),
				row("Turku", "Yhteensä", 93000, 99962),
				row(nil, "0-74", 85600, 89497),
				row(nil, "75 -", 7400, 10465),
			}}},
			years:  []int{2019},
			labels: []string{"Turku"},
			rows:   []int{5},
			checks: []check{
				{names: []string{"Turku"}, year: 2019, want: 192962},
				{names: []string{"Turku"}, year: 2019, limit: 75, want: 17865},
			},
		},
		{
			name: "a sheet of notes first",
			sheets: []testSheet{
				{"Tietoja", [][]any{row("Väestörakenne"), nil, row("Lähde: Tilastokeskus"), row("Päivitetty 28.4.2020")}},
				{"11re", oneHeader},
			},
			years:  []int{2019},
			labels: []string{"KOKO MAA", "Pöytyä", "Kemiönsaari"},
			rows:   []int{2, 6, 10},
			checks: pxwebChecks,
		},
		{
			name: "swedish, a sex column, blank age and area labels",
			sheets: []testSheet{{"Blad1", [][]any{
				row("Område", "Ålder", "Kön", "Befolkning 31.12. 2019"),
				row("Åbo", "Totalt", "Totalt", 100),
				row(nil, nil, "Män", 45),
				row(nil, nil, "Kvinnor", 55),
				row(nil, "0-74", "Totalt", 90),
				row(nil, nil, "Män", 40),
				row(nil, nil, "Kvinnor", 50),
				row(nil, "75 -", "Totalt", 10),
				row(nil, nil, "Män", 5),
				row(nil, nil, "Kvinnor", 5),
			}}},
			years:  []int{2019},
			labels: []string{"Åbo"},
			rows:   []int{2},
			checks: []check{
				{names: []string{"ÅBO"}, year: 2019, want: 100},
				{names: []string{"Åbo"}, year: 2019, limit: 75, want: 10},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := readXLSX(t, newWorkbook(t, tc.sheets...))
			if p.File != "test.xlsx" {
				t.Errorf("File: got %q, want test.xlsx", p.File)
			}
			if !slices.Equal(p.Years, tc.years) {
				t.Errorf("years: got %v, want %v", p.Years, tc.years)
			}
			var labels []string
			var rows []int
			for _, a := range p.Areas {
				labels, rows = append(labels, a.Label), append(rows, a.Row)
			}
			if !slices.Equal(labels, tc.labels) || !slices.Equal(rows, tc.rows) {
				t.Errorf("areas: got %q at rows %v, want %q at %v", labels, rows, tc.labels, tc.rows)
			}
			for _, c := range tc.checks {
				runFileCheck(t, p, c, "test.xlsx")
			}
		})
	}
}

func TestReadPopulationXLSXFormattedNumbers(t *testing.T) {
	// The counts are shown as "300 hlö": the reader takes the stored values, not the shown ones.
	f, err := excelize.OpenReader(bytes.NewReader(newWorkbook(t, testSheet{"11re", oneHeader})))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	format := `0" hlö"`
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("11re", "C2", "E13", style); err != nil {
		t.Fatal(err)
	}
	if shown, _ := f.GetCellValue("11re", "C2"); shown != "300 hlö" {
		t.Fatalf("C2 is shown as %q, want 300 hlö", shown)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	p := readXLSX(t, buf.Bytes())
	for _, c := range pxwebChecks {
		runFileCheck(t, p, c, "test.xlsx")
	}
}

// sameAsCSV checks that a workbook read gives what the CSV read of the same table gives:
// the same areas in the same order (the same codes where the CSV has them), and for each year the same total and population aged 75
// and over, or both an error.
func sameAsCSV(t *testing.T, got, want *Population) {
	t.Helper()
	if !slices.Equal(got.Years, want.Years) {
		t.Errorf("years: got %v, want %v", got.Years, want.Years)
	}
	if len(got.Areas) != len(want.Areas) {
		t.Fatalf("areas: got %d, want %d", len(got.Areas), len(want.Areas))
	}
	for i, w := range want.Areas {
		g := got.Areas[i]
		if g.Label != w.Label || (w.Code != "" && g.Code != w.Code) || g.Name != w.Name {
			t.Errorf("area %d: got %q (code %q, name %q), want %q (%q, %q)", i, g.Label, g.Code, g.Name, w.Label, w.Code, w.Name)
			continue
		}
		for _, y := range want.Years {
			for _, limit := range []int{0, 75} {
				gn, gerr := g.AtLeast(y, limit)
				wn, werr := w.AtLeast(y, limit)
				if gn != wn || (gerr == nil) != (werr == nil) {
					t.Errorf("%s AtLeast(%d, %d): got %d, %v; the CSV gives %d, %v", w.Label, y, limit, gn, gerr, wn, werr)
				}
			}
		}
	}
}

func TestReadPopulationXLSXMatchesCSV(t *testing.T) {
	want, err := ReadPopulationCSV(strings.NewReader(pxweb), "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := readXLSX(t, pxwebXLSX(t, pxweb))
	sameAsCSV(t, got, want)
	for _, c := range pxwebChecks {
		runFileCheck(t, got, c, "test.xlsx")
	}
	// The CSV's data starts on line 4, the workbook's on row 6 after the three heading rows.
	for i, a := range got.Areas {
		if a.Row != want.Areas[i].Row+2 {
			t.Errorf("%s: got row %d, want %d", a.Label, a.Row, want.Areas[i].Row+2)
		}
	}
}

// realXLSX is the real 11re export converted to PxWeb's XLSX shape, and the CSV it came from.
func realXLSX(t testing.TB) (book, export []byte) {
	t.Helper()
	export, err := io.ReadAll(openReal(t, realPopulation))
	if err != nil {
		t.Fatal(err)
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(export)
	if err != nil {
		t.Fatal(err)
	}
	return pxwebXLSX(t, string(text)), export
}

func TestReadPopulationXLSXReal(t *testing.T) {
	book, export := realXLSX(t)
	want, err := ReadPopulationCSV(bytes.NewReader(export), "005_11re_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadPopulationXLSX(bytes.NewReader(book), "005_11re_2019.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Areas) != 311 {
		t.Errorf("areas: got %d, want 311", len(got.Areas))
	}
	sameAsCSV(t, got, want)
	for _, tc := range []struct {
		name       string
		row        int
		total, old int64
	}{
		{name: "KOKO MAA", row: 6, total: 5525292, old: 524583},
		{name: "Aura", row: 720, total: 3941, old: 300},
		{name: "Koski Tl", row: 10920, total: 2308, old: 399},
		{name: "Turku", row: 28260, total: 192962, old: 17865},
	} {
		a := got.Find("", tc.name)
		if a == nil {
			t.Errorf("Find(%q): got nil, want an area", tc.name)
			continue
		}
		total, err := a.Total(2019)
		if err != nil || total != tc.total {
			t.Errorf("%s Total(2019): got %d, %v; want %d", tc.name, total, err, tc.total)
		}
		old, err := a.AtLeast(2019, 75)
		if err != nil || old != tc.old {
			t.Errorf("%s AtLeast(2019, 75): got %d, %v; want %d", tc.name, old, err, tc.old)
		}
		if a.Row != tc.row {
			t.Errorf("%s: got row %d, want %d", tc.name, a.Row, tc.row)
		}
	}
}

func BenchmarkReadPopulationXLSX(b *testing.B) {
	for _, bc := range []struct {
		name string
		book func(b *testing.B) []byte
	}{
		{name: "real 11re 2019", book: func(b *testing.B) []byte { book, _ := realXLSX(b); return book }},
		{name: "small", book: func(b *testing.B) []byte { return pxwebXLSX(b, pxweb) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			book := bc.book(b)
			b.SetBytes(int64(len(book)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadPopulationXLSX(bytes.NewReader(book), "bench.xlsx"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestCountText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"3941", "3941"},
		{"3941.0", "3941"},
		{"3941.", "3941"},
		{"3.941E3", "3941"},
		{"3.941e+3", "3941"},
		{"0.0", "0"},
		{"3 941", "3941"},
		{"3" + nbsp + "941", "3941"},
		{"5\u202f525" + nbsp + "292", "5525292"},
		{"-3.0", "-3"},
		{"1e30", "1000000000000000000000000000000"},
		// Left for parseCount to explain.
		{"1.5", "1.5"},
		{"3,941", "3,941"},
		{"3 94", "3 94"},
		{"39 41", "39 41"},
		{"12a", "12a"},
		{"1e400", "1e400"},
		{"NaN", "NaN"},
		{"Inf", "Inf"},
		{"0x10", "0x10"},
		{"-", "-"},
		{"..", ".."},
		{"", ""},
	} {
		if got := countText(tc.in); got != tc.want {
			t.Errorf("countText(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// rezip rewrites a workbook part by part: edit returns a part's new contents.
func rezip(t testing.TB, book []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(edit(zf.Name, body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf is a ZIP archive of the given parts, stored as they are, with the checksum of each
// part given by crc when it is not nil.
func zipOf(t testing.TB, crc func(name string) (uint32, bool), parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		name, body := parts[i], parts[i+1]
		h := &zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(body)),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))}
		if crc != nil {
			if c, ok := crc(name); ok {
				h.CRC32 = c
			}
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parts are the parts of a workbook, name then contents.
func parts(t testing.TB, book []byte) []string {
	t.Helper()
	var all []string
	rezip(t, book, func(name string, body []byte) []byte {
		all = append(all, name, string(body))
		return body
	})
	return all
}

func TestReadPopulationXLSXErrors(t *testing.T) {
	type wantErr struct {
		sheet      string
		row        int
		column     int
		columnName string
		msg        string // a part of Msg
	}
	valid := newWorkbook(t, testSheet{"11re", twoYears()})
	// withRows is a one-sheet workbook: oneHeader's header and data, then more rows.
	withRows := func(more ...[]any) []byte {
		return newWorkbook(t, testSheet{"11re", append(slices.Clone(oneHeader[:5]), more...)})
	}
	// headed is a one-sheet workbook with a title and the three heading rows of 2019, then rows.
	headed := func(rows ...[]any) []byte {
		return newWorkbook(t, testSheet{"11re", append([][]any{
			row(title),
			row(nil, nil, "Yhteensä", "Miehet", "Naiset"),
			row(nil, nil, 2019, 2019, 2019),
			row(nil, nil, "Väestö 31.12.", "Väestö 31.12.", "Väestö 31.12."),
		}, rows...)})
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		want  wantErr // the first problem
		count int     // problems in an *Errors; 0 when the error is a single *Error
	}{
		{
			name: "empty file",
			in:   nil,
			want: wantErr{msg: "the file is empty; expected an XLSX workbook"},
		},
		{
			name: "truncated",
			in:   valid[:len(valid)/2],
			want: wantErr{msg: "not an XLSX workbook: the ZIP archive is damaged or cut short (zip: not a valid zip file); export the table as Excel (xlsx) or CSV"},
		},
		{
			name: "excel 97-2003",
			in:   append(slices.Clone(oleSignature), make([]byte, 504)...),
			want: wantErr{msg: "not an XLSX workbook: it is an Excel 97-2003 workbook (.xls) or a password-protected one; remove the password, or export the table as Excel (xlsx) or CSV"},
		},
		{
			name: "a CSV file",
			in:   []byte(pxweb),
			want: wantErr{msg: "not an XLSX workbook: the file is not a ZIP archive but text (a CSV file?); export the table as Excel (xlsx) or CSV"},
		},
		{
			name: "binary garbage",
			in:   []byte(garbage()),
			want: wantErr{msg: "not an XLSX workbook: the file is not a ZIP archive; export"},
		},
		{
			name: "a ZIP archive without a workbook",
			in:   zipOf(t, nil, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<office:document-content/>"),
			want: wantErr{msg: "not an XLSX workbook: the ZIP archive has no [Content_Types].xml, so it is no Office document (an OpenDocument .ods?); export the table as Excel (xlsx) or CSV"},
		},
		{
			name: "an Office document without sheets",
			in:   zipOf(t, nil, "[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
			want: wantErr{msg: "not an XLSX workbook: a part it needs, such as xl/workbook.xml, is missing or empty; export the table as Excel (xlsx) or CSV"},
		},
		{
			name: "a part fails its checksum",
			in: zipOf(t, func(name string) (uint32, bool) { return 1, name == "xl/worksheets/sheet1.xml" },
				parts(t, valid)...),
			want: wantErr{msg: "not an XLSX workbook: the ZIP archive is damaged (xl/worksheets/sheet1.xml: zip: checksum error)"},
		},
		{
			name: "a sheet cut short",
			in: rezip(t, valid, func(name string, body []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return body[:len(body)*2/3]
				}
				return body
			}),
			want: wantErr{msg: "not an XLSX workbook: the sheet xl/worksheets/sheet1.xml is cut short (it does not end with </worksheet>)"},
		},
		{
			name: "an empty sheet",
			in:   newWorkbook(t, testSheet{"Sheet1", nil}),
			want: wantErr{sheet: "Sheet1", msg: "the sheet is empty; expected a table with heading rows"},
		},
		{
			name: "titles only",
			in:   newWorkbook(t, testSheet{"Tiedot", [][]any{row(title), nil, row("Lähde: Tilastokeskus")}}),
			want: wantErr{sheet: "Tiedot", msg: "no table: the sheet has text in column A only (titles or notes); expected a table with heading rows over the value columns (such as 'Yhteensä', '2019', 'Väestö 31.12.') and the area and age columns at the left, or a row naming the columns, e.g. 'Alue' and 'Ikä'"},
		},
		{
			name: "no sheet holds a table",
			in: newWorkbook(t,
				testSheet{"Tiedot", [][]any{row(title)}},
				testSheet{"Kaavio", nil},
				testSheet{"Taulukko", [][]any{row("Kunta", "Ikäluokka", "2019"), row("Aura", "0-74", 3641)}}),
			want:  wantErr{sheet: "Tiedot", msg: "no table: the sheet has text in column A only"},
			count: 3,
		},
		{
			name: "one column left of the headings",
			in: newWorkbook(t, testSheet{"11re", [][]any{
				row(title),
				row(nil, "Yhteensä 2019"),
				row("Aura", 3941),
			}}),
			want: wantErr{sheet: "11re", row: 2, column: 2, msg: "the heading labels start in column 2, so the table would have 1 columns at the left for the row variables; expected two, the area and the age, or a row naming the columns, e.g. 'Alue' and 'Ikä'"},
		},
		{
			name: "three columns left of the headings",
			in: newWorkbook(t, testSheet{"11re", [][]any{
				row(nil, nil, nil, 2019),
				row(nil, nil, nil, "Väestö 31.12."),
				row("Aura", "Yhteensä", "Yhteensä", 3941),
			}}),
			want: wantErr{sheet: "11re", row: 1, column: 4, msg: "the heading labels start in column 4, so the table would have 3 columns at the left"},
		},
		{
			name: "a header without the age",
			in:   newWorkbook(t, testSheet{"11re", [][]any{row(title), row("Alue", "Vuosi", "Väestö 31.12."), row("Aura", 2019, 3941)}}),
			want: wantErr{sheet: "11re", row: 2, msg: `column 'Ikä' (age; or Ålder, Age) not found; the header has: "Alue", "Vuosi", "Väestö 31.12."`},
		},
		{
			name: "a header naming no columns",
			in:   newWorkbook(t, testSheet{"11re", [][]any{row("Kunta", "Ikäluokka", "2019"), row("Aura", "0-74", 3641)}}),
			want: wantErr{sheet: "11re", row: 1, msg: "column 'Alue' (area; or Område, Area, Region) and column 'Ikä' (age; or Ålder, Age) not found; the header has: \"Kunta\", \"Ikäluokka\", \"2019\"; expected a table with heading rows"},
		},
		{
			name: "a blank heading label is not carried over a group boundary",
			in: newWorkbook(t, testSheet{"11re", [][]any{
				row(nil, nil, "Yhteensä", "Miehet", "Naiset"),
				row(nil, nil, 2019),
				row("Aura", "Yhteensä", 3941, 1910, 2031),
			}}),
			want:  wantErr{sheet: "11re", row: 2, column: 4, columnName: "Miehet", msg: "no year in the column name"},
			count: 2,
		},
		{
			name:  "text in a number cell",
			in:    headed(row("KOKO MAA", "Yhteensä", "12a", 1, 1)),
			want:  wantErr{sheet: "11re", row: 5, column: 3, columnName: tot2019, msg: `"12a" is not a whole number; expected a whole number ≥ 0, "-" for zero or ".." for a missing value`},
			count: 1,
		},
		{
			name:  "a fraction",
			in:    headed(row("KOKO MAA", "Yhteensä", 2, 1.5, 0.5)),
			want:  wantErr{sheet: "11re", row: 5, column: 4, columnName: men2019, msg: `"1.5" is not a whole number`},
			count: 2,
		},
		{
			name:  "a negative number",
			in:    headed(row("KOKO MAA", "Yhteensä", 2, 3, -1)),
			want:  wantErr{sheet: "11re", row: 5, column: 5, columnName: wom2019, msg: `"-1" is negative`},
			count: 1,
		},
		{
			name:  "an empty cell",
			in:    headed(row("KOKO MAA", "Yhteensä", 2, nil, 1)),
			want:  wantErr{sheet: "11re", row: 5, column: 4, columnName: men2019, msg: "the cell is empty"},
			count: 1,
		},
		{
			name:  "no area on the first data row",
			in:    headed(row(nil, "Yhteensä", 2, 1, 1)),
			want:  wantErr{sheet: "11re", row: 5, column: 1, columnName: "Alue", msg: "the area is empty"},
			count: 1,
		},
		{
			name:  "blank stub cells after the row naming the columns",
			in:    newWorkbook(t, testSheet{"11re", [][]any{oneHeader[0], row(nil, nil, 5, 3, 2)}}),
			want:  wantErr{sheet: "11re", row: 2, column: 1, columnName: "Alue", msg: "the area is empty"},
			count: 2,
		},
		{
			name:  "a bad age",
			in:    headed(row("Aura", "vanhat", 2, 1, 1)),
			want:  wantErr{sheet: "11re", row: 5, column: 2, columnName: "Ikä", msg: `age "vanhat" is not an age class`},
			count: 1,
		},
		{
			name:  "a value right of the table",
			in:    headed(row("Aura", "Yhteensä", 2, 1, 1, nil, "x")),
			want:  wantErr{sheet: "11re", row: 5, column: 7, msg: "a value outside the table, whose header has 5 columns"},
			count: 1,
		},
		{
			name: "data after the footnotes",
			in: headed(
				row("Aura", "Yhteensä", 2, 1, 1),
				nil,
				row("Lähde: Tilastokeskus"),
				row("Lieto", "Yhteensä", 2, 1, 1),
			),
			want:  wantErr{sheet: "11re", row: 8, msg: "data after the end of the table at row 6 (an empty row): the row has an age and counts; expected the rows of the table together, with only notes after them"},
			count: 1,
		},
		{
			name: "data after a row without values",
			in: headed(
				row("Aura", "Yhteensä", 2, 1, 1),
				row("Aura", "0"),
				row(nil, "1", 1, 1, 0),
			),
			want:  wantErr{sheet: "11re", row: 7, msg: "data after the end of the table at row 6 (a row without values)"},
			count: 1,
		},
		{
			name: "ages do not add up to the total",
			in: headed(
				row("Aura", "Yhteensä", 100, 50, 50), row(nil, "0-74", 90, 45, 45), row(nil, "75 -", 9, 5, 4),
				row("Lieto", "Yhteensä", 10, 5, 5), row(nil, "0-74", 5, 2, 3), row(nil, "75 -", 5, 3, 2),
			),
			want:  wantErr{sheet: "11re", row: 5, msg: `area "Aura", 2019: the ages add up to 99 but the total (Yhteensä) is 100; expected them to be equal`},
			count: 1,
		},
		{
			name:  "two areas with the same name",
			in:    withRows(row("KU853 Turku", "Yhteensä", 2, 1, 1), row("TURKU", "Yhteensä", 2, 1, 1)),
			want:  wantErr{sheet: "11re", row: 7, msg: `area "TURKU" has the same name as area "KU853 Turku" (row 6)`},
			count: 1,
		},
		{
			name:  "the same area and age twice",
			in:    headed(row("Aura", "Yhteensä", 2, 1, 1), row(nil, "Yhteensä", 2, 1, 1)),
			want:  wantErr{sheet: "11re", row: 6, msg: `area "Aura", 2019, age total: the same area, age and year as row 5`},
			count: 1,
		},
		{
			name: "no data rows",
			in:   headed(nil, row("Lähde: Tilastokeskus")),
			want: wantErr{sheet: "11re", row: 4, msg: "no data rows after the header"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadPopulationXLSX(bytes.NewReader(tc.in), "test.xlsx")
			e := firstProblem(t, p, err, tc.count)
			got := wantErr{sheet: e.Sheet, row: e.Row, column: e.Column, columnName: e.ColumnName, msg: e.Msg}
			if got.sheet != tc.want.sheet || got.row != tc.want.row || got.column != tc.want.column ||
				got.columnName != tc.want.columnName || !strings.Contains(got.msg, tc.want.msg) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if e.File != "test.xlsx" || !strings.HasPrefix(err.Error(), "test.xlsx: ") {
				t.Errorf("got file %q in %q, want test.xlsx", e.File, err)
			}
			for _, p := range allProblems(err) {
				if p.File != "test.xlsx" || (tc.want.sheet != "" && p.Sheet == "") {
					t.Errorf("problem %q: got file %q sheet %q, want test.xlsx and a sheet", p.Msg, p.File, p.Sheet)
				}
			}
		})
	}
}

// allProblems is every *Error in err.
func allProblems(err error) []*Error {
	var many *Errors
	if errors.As(err, &many) {
		return many.List
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}

func TestReadPopulationXLSXReportsEverySheet(t *testing.T) {
	book := newWorkbook(t,
		testSheet{"Tiedot", [][]any{row(title)}},
		testSheet{"Kaavio", nil},
		testSheet{"Taulukko", [][]any{row("Kunta", "Ikäluokka", "2019"), row("Aura", "0-74", 3641)}})
	_, err := ReadPopulationXLSX(bytes.NewReader(book), "test.xlsx")
	var got []string
	for _, p := range allProblems(err) {
		got = append(got, fmt.Sprintf("%s row %d", p.Sheet, p.Row))
	}
	if want := []string{"Tiedot row 0", "Kaavio row 0", "Taulukko row 1"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q:\n%v", got, want, err)
	}
}

// bomb is a workbook whose sheet unpacks to size bytes of rows, packed a row at a time so that
// the unpacked sheet is never whole in memory. declare, when not 0, is the size the archive
// declares for the sheet instead of its own, as a forged archive would.
func bomb(t testing.TB, size int64, declare uint64) []byte {
	t.Helper()
	valid := newWorkbook(t, testSheet{"11re", oneHeader})
	const sheet = "xl/worksheets/sheet1.xml"
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	const tail = `</sheetData></worksheet>`
	line := []byte(`<row><c t="inlineStr"><is><t>Aura</t></is></c><c t="inlineStr"><is><t>0</t></is></c><c><v>1</v></c></row>`)

	// The sheet packed once, to forge its header.
	var packed bytes.Buffer
	crc := crc32.NewIEEE()
	fw, err := flate.NewWriter(&packed, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	both := io.MultiWriter(fw, crc)
	io.WriteString(both, head)
	n := int64(len(head) + len(tail))
	for ; n < size; n += int64(len(line)) {
		both.Write(line)
	}
	io.WriteString(both, tail)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if declare == 0 {
		declare = uint64(n)
	}

	zr, err := zip.NewReader(bytes.NewReader(valid), int64(len(valid)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if zf.Name == sheet {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: sheet, Method: zip.Deflate, CRC32: crc.Sum32(),
				CompressedSize64: uint64(packed.Len()), UncompressedSize64: declare})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(packed.Bytes()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lowerLimits sets the workbook limits for one test.
func lowerLimits(t *testing.T, size, unpacked, inMemory int64) {
	oldSize, oldUnpacked, oldInMemory := maxXLSXSize, maxXLSXUnpacked, maxXLSXInMemory
	maxXLSXSize, maxXLSXUnpacked, maxXLSXInMemory = size, unpacked, inMemory
	t.Cleanup(func() { maxXLSXSize, maxXLSXUnpacked, maxXLSXInMemory = oldSize, oldUnpacked, oldInMemory })
}

func TestReadPopulationXLSXLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   func(t *testing.T) []byte
		msg  string
	}{
		{
			name: "a sheet unpacking beyond the limit",
			in:   func(t *testing.T) []byte { return bomb(t, 3<<20, 0) },
			msg:  "the workbook unpacks to more than 1 MiB; expected an export that unpacks to a few MiB (a population table)",
		},
		{
			name: "a sheet unpacking beyond the size it declares",
			in:   func(t *testing.T) []byte { return bomb(t, 3<<20, 1000) },
			msg:  "not an XLSX workbook: the ZIP archive is damaged (xl/worksheets/sheet1.xml: zip: not a valid zip file)",
		},
		{
			name: "a file larger than the limit",
			in:   func(t *testing.T) []byte { return bytes.Repeat([]byte("PK"), 300<<10) },
			msg:  "the file is larger than 512 KiB",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			lowerLimits(t, 512<<10, 1<<20, 256<<10)
			_, err := ReadPopulationXLSX(bytes.NewReader(in), "test.xlsx")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want an *Error", err, err)
			}
			if e.File != "test.xlsx" || e.Sheet != "" || e.Row != 0 || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %#v, want file test.xlsx and a message with %q", e, tc.msg)
			}
		})
	}

	t.Run("a sheet read from a temporary file", func(t *testing.T) {
		// Above maxXLSXInMemory excelize unpacks a sheet to a temporary file; the table reads
		// the same and the file is removed.
		book := pxwebXLSX(t, pxweb)
		want := readXLSX(t, book)
		lowerLimits(t, 512<<10, 1<<20, 100)
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		sameAsCSV(t, readXLSX(t, book), want)
		if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
			t.Errorf("temporary files left: %v, %v", left, err)
		}
	})
}

func TestReadPopulationXLSXReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	book := newWorkbook(t, testSheet{"11re", oneHeader})
	for _, data := range []string{"", string(book[:100])} {
		_, err := ReadPopulationXLSX(&failingReader{data: data, err: boom}, "test.xlsx")
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want an error wrapping %v", err, boom)
		}
		var e *Error
		if errors.As(err, &e) {
			t.Errorf("got input problem %v, want a read error", e)
		}
		if !strings.Contains(err.Error(), "test.xlsx") {
			t.Errorf("got %q, want the file name in it", err)
		}
	}
}
