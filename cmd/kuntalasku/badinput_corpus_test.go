package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/kuntalasku/kuntalasku/ingest/ingesttest"
)

// corpusCase is one case as writeBadInputCorpus writes it: case.toml and
// its files.
type corpusCase struct {
	name  string
	c     badCase
	files map[string][]byte // path in the example folder → content
}

// writeBadInputCorpus rewrites the corpus in dir from the examples.
func writeBadInputCorpus(dir string) error {
	cases, err := badInputCases()
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, k := range cases {
		d := filepath.Join(dir, k.name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		var b bytes.Buffer
		if err := toml.NewEncoder(&b).Encode(k.c); err != nil {
			return fmt.Errorf("%s: %w", k.name, err)
		}
		if err := os.WriteFile(filepath.Join(d, "case.toml"), b.Bytes(), 0o644); err != nil {
			return err
		}
		for rel, data := range k.files {
			p := filepath.Join(d, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

const (
	vsPopulation = "population-11re-synthetic.csv"
	vsVisits     = "activity/asiakastiedot-2021.csv"
	vsCalls      = "activity/puhelin-2021-h1.csv"
	lsHours      = "hours/tunnit-2022-2023.csv"
	lsPopulation = "population-11re-2021-2022-synthetic.csv"
)

func exampleFile(example, rel string) []byte {
	data, err := os.ReadFile(filepath.Join("../../examples", example, filepath.FromSlash(rel)))
	if err != nil {
		panic(err) // the examples are part of the repository
	}
	return data
}

// sub replaces old with new in data once, and panics when old is not there:
// a case must break what it says it breaks.
func sub(data []byte, old, new string) []byte {
	if !bytes.Contains(data, []byte(old)) {
		panic(fmt.Sprintf("%q is not in the file", old))
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// subLine replaces the first line that matches re.
func subLine(data []byte, re, new string) []byte {
	m := regexp.MustCompile("(?m)" + re).FindIndex(data)
	if m == nil {
		panic(fmt.Sprintf("no line matches %q", re))
	}
	return append(append(append([]byte{}, data[:m[0]]...), new...), data[m[1]:]...)
}

// dropLines removes every line that matches re.
func dropLines(data []byte, re string) []byte {
	return regexp.MustCompile("(?m)^"+re+".*\r?\n").ReplaceAll(data, nil)
}

// garbage is n bytes of deterministic noise.
func garbage(n int) []byte {
	r := rand.New(rand.NewPCG(15, 15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func utf16LE(data []byte) []byte {
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(data)
	if err != nil {
		panic(err)
	}
	return out
}

// populationXLSX is the Varsinais-Suomi example's population as an 11re
// XLSX export, changed by edit.
func populationXLSX(edit func(f *excelize.File, aura int) error) []byte {
	tab, err := ingesttest.FromPxWebCSV(bytes.NewReader(exampleFile("varsinais-suomi", vsPopulation)))
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := tab.XLSX(&b); err != nil {
		panic(err)
	}
	if edit == nil {
		return b.Bytes()
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		panic(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		panic(err)
	}
	aura := 0 // the row of Aura's total
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Aura" {
			aura = i + 1
			break
		}
	}
	if aura == 0 {
		panic("no Aura in the workbook")
	}
	if err := edit(f, aura); err != nil {
		panic(err)
	}
	out, err := f.WriteToBuffer()
	if err != nil {
		panic(err)
	}
	return out.Bytes()
}

// visitsXLSX is February's first 200 visits of the example as an XLSX
// activity log, the times as text; edit changes it (row 2 is the first
// event).
func visitsXLSX(edit func(f *excelize.File) error) []byte {
	f := excelize.NewFile()
	defer f.Close()
	lines := strings.Split(string(exampleFile("varsinais-suomi", vsVisits)), "\n")
	row := 1
	put := func(fields []string) {
		cells := make([]any, len(fields))
		for i, s := range fields {
			cells[i] = s
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			panic(err)
		}
		row++
	}
	put(strings.Split(strings.TrimSpace(lines[0]), ","))
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "2021-02-") && row <= 201 {
			put(strings.Split(strings.TrimSpace(l), ","))
		}
	}
	if edit != nil {
		if err := edit(f); err != nil {
			panic(err)
		}
	}
	out, err := f.WriteToBuffer()
	if err != nil {
		panic(err)
	}
	return out.Bytes()
}

// patchZip rewrites one part of a zip archive (an XLSX) with edit.
func patchZip(data []byte, part string, edit func(string) string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	found := false
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			panic(err)
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			panic(err)
		}
		if f.Name == part {
			content, found = []byte(edit(string(content))), true
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write(content); err != nil {
			panic(err)
		}
	}
	if !found {
		panic("no part " + part)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// zipBomb is an XLSX whose sheet unpacks to 300 MiB of blanks, more than a
// workbook may (256 MiB): 300 KB on disk.
func zipBomb() []byte {
	good := populationXLSX(nil)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			panic(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
			io.WriteString(w, head)
			blanks := bytes.Repeat([]byte(" "), 1<<20)
			for range 300 {
				w.Write(blanks)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
			continue
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	zw.Close()
	return b.Bytes()
}

// febOnly keeps the header and the first 40 February lines of an activity
// log: the cases break a February event, and the rest would only make the
// corpus large.
func febOnly(data []byte, feb string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	out := lines[0]
	n := 0
	re := regexp.MustCompile(feb)
	for _, l := range lines[1:] {
		if re.MatchString(l) && n < 40 {
			out += l
			n++
		}
	}
	return []byte(out)
}

func badInputCases() ([]corpusCase, error) {
	vs := func(rel string) []byte {
		data := exampleFile("varsinais-suomi", rel)
		switch rel {
		case vsVisits:
			return febOnly(data, `^2021-02-`)
		case vsCalls:
			return febOnly(data, `^P\d+;\d+\.2\.2021 `)
		}
		return data
	}
	ls := func(rel string) []byte { return exampleFile("lasteri", rel) }
	xlsxPopulation := []string{`population = "population-11re-synthetic.csv"`, `population = "population.xlsx"`}
	xlsxVisits := []string{`files = ["activity/asiakastiedot-2021.csv"]`, `files = ["activity/asiakastiedot-2021.xlsx"]`}
	manual := []string{`hours = ["hours/*.csv"]`, "hours = [\"hours/*.csv\"]\nmanual_lines = [\"manual.csv\"]"}
	manualCSV := "päivä;tilaaja;kuvaus;summa;alv\n31.12.2023;keusote;Lisenssi, lisäkäyttäjät;150,00;25,5\n"
	cost := func(old, new string) []string { return []string{old, new} }

	cases := []corpusCase{
		// The population, CSV (the example's format).
		{name: "population-csv-empty", c: badCase{About: "the population file is empty (0 bytes)",
			Want: []string{vsPopulation, "empty"}}, files: map[string][]byte{vsPopulation: {}}},
		{name: "population-csv-header-only", c: badCase{About: "the population CSV has its title and header but no rows",
			Want: []string{vsPopulation}}, files: map[string][]byte{vsPopulation: vs(vsPopulation)[:bytes.Index(vs(vsPopulation), []byte("\"Aura\""))]}},
		{name: "population-csv-utf16", c: badCase{About: "the population CSV saved as UTF-16 (Excel's 'Unicode text')",
			Want: []string{vsPopulation, "UTF-16"}}, files: map[string][]byte{vsPopulation: utf16LE(vs(vsPopulation))}},
		{name: "population-csv-binary", c: badCase{About: "the population file is binary noise",
			Want: []string{vsPopulation}}, files: map[string][]byte{vsPopulation: garbage(4096)}},
		{name: "population-csv-long-line", c: badCase{About: "the population file is one 10 MB line",
			Generate: map[string]string{vsPopulation: "long-line"}, Want: []string{vsPopulation}}},
		{name: "population-csv-text-count", c: badCase{About: "a count is text",
			Want: []string{vsPopulation, "row 5", "kolme"}}, files: map[string][]byte{vsPopulation: sub(vs(vsPopulation), `"Aura";"0";33;`, `"Aura";"0";kolme;`)}},
		{name: "population-csv-negative-count", c: badCase{About: "a count is negative",
			Want: []string{vsPopulation, "row 5", "-33"}}, files: map[string][]byte{vsPopulation: sub(vs(vsPopulation), `"Aura";"0";33;`, `"Aura";"0";-33;`)}},
		{name: "population-csv-fractional-count", c: badCase{About: "a count has decimals",
			Want: []string{vsPopulation, "row 5", "33,5"}}, files: map[string][]byte{vsPopulation: sub(vs(vsPopulation), `"Aura";"0";33;`, `"Aura";"0";"33,5";`)}},
		{name: "population-csv-total-mismatch", c: badCase{About: "Aura's total does not match the sum of its ages",
			Want: []string{vsPopulation, "Aura", "3001"}}, files: map[string][]byte{vsPopulation: sub(vs(vsPopulation), `;3000;3090;`, `;3001;3090;`)}},
		{name: "population-csv-duplicate-municipality", c: badCase{About: "Aura appears twice",
			Want: []string{vsPopulation, "Aura"}}, files: map[string][]byte{vsPopulation: sub(vs(vsPopulation), `"Kaarina";`, `"Aura";`)}},
		{name: "population-csv-missing-municipality", c: badCase{About: "a participating municipality (Aura) is not in the population",
			Want: []string{"Aura", "019"}}, files: map[string][]byte{vsPopulation: dropLines(vs(vsPopulation), `"Aura";`)}},
		{name: "population-csv-missing-year", c: badCase{About: "the reference year 2018 is not in the population table",
			Edit: [][]string{cost("population_reference = 2019-12-31", "population_reference = 2018-12-31")}, Want: []string{vsPopulation, "2018"}}},
		{name: "population-csv-missing-age-column", c: badCase{About: "the age column is missing",
			Want: []string{vsPopulation}}, files: map[string][]byte{vsPopulation: bytes.ReplaceAll(vs(vsPopulation), []byte("\"Ik\xe4\";"), nil)}},

		// The population, XLSX.
		{name: "population-xlsx-truncated", c: badCase{About: "the population workbook is cut off halfway (an interrupted download)",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx"}}, files: map[string][]byte{"population.xlsx": func() []byte { b := populationXLSX(nil); return b[:len(b)/2] }()}},
		{name: "population-xlsx-zip-bomb", c: badCase{About: "a workbook whose sheet unpacks to 300 MiB (a zip bomb)",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx"}}, files: map[string][]byte{"population.xlsx": zipBomb()}},
		{name: "population-xlsx-binary", c: badCase{About: "a file named .xlsx that is binary noise",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx"}}, files: map[string][]byte{"population.xlsx": garbage(8192)}},
		{name: "population-xlsx-empty", c: badCase{About: "an XLSX of 0 bytes",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "empty"}}, files: map[string][]byte{"population.xlsx": {}}},
		{name: "population-xlsx-csv-inside", c: badCase{About: "a CSV renamed .xlsx",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx"}}, files: map[string][]byte{"population.xlsx": vs(vsPopulation)}},
		{name: "population-xlsx-error-cell", c: badCase{About: "a count cell holds the error #DIV/0!",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "#DIV/0!"}},
			files: map[string][]byte{"population.xlsx": patchZip(populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellValue("Sheet1", fmt.Sprintf("C%d", aura+1), "ERRORCELL")
			}), "xl/worksheets/sheet1.xml", func(s string) string {
				return regexp.MustCompile(`<c r="(C\d+)"( s="\d+")? t="s"><v>\d+</v></c>`).ReplaceAllString(s, `<c r="$1" t="e"><v>#DIV/0!</v></c>`)
			})}},
		{name: "population-xlsx-formula", c: badCase{About: "a count cell is a formula",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "formula"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellFormula("Sheet1", fmt.Sprintf("C%d", aura+1), "=30+3")
			})}},
		{name: "population-xlsx-text-count", c: badCase{About: "a count cell is text",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "kolmekymmentä"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellValue("Sheet1", fmt.Sprintf("C%d", aura+1), "kolmekymmentä")
			})}},
		{name: "population-xlsx-negative-count", c: badCase{About: "a count cell is negative",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "-33"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellValue("Sheet1", fmt.Sprintf("C%d", aura+1), -33)
			})}},
		{name: "population-xlsx-fractional-count", c: badCase{About: "a count cell has decimals",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "33.5"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellValue("Sheet1", fmt.Sprintf("C%d", aura+1), 33.5)
			})}},
		{name: "population-xlsx-merged-cells", c: badCase{About: "two count cells are merged into one",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "merged"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.MergeCell("Sheet1", fmt.Sprintf("C%d", aura+1), fmt.Sprintf("C%d", aura+2))
			})}},
		{name: "population-xlsx-hidden-row", c: badCase{About: "a row of counts is hidden: what the office sees is not what would be billed",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Sheet1", "hidden"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetRowVisible("Sheet1", aura+80, false)
			})}},
		{name: "population-xlsx-total-mismatch", c: badCase{About: "Aura's total does not match the sum of its ages",
			Edit: [][]string{xlsxPopulation}, Want: []string{"population.xlsx", "Aura", "3001"}},
			files: map[string][]byte{"population.xlsx": populationXLSX(func(f *excelize.File, aura int) error {
				return f.SetCellValue("Sheet1", fmt.Sprintf("C%d", aura), 3001)
			})}},

		// The activity logs, CSV.
		{name: "activity-csv-empty", c: badCase{About: "an activity log of 0 bytes",
			Want: []string{vsVisits, "empty"}}, files: map[string][]byte{vsVisits: {}}},
		{name: "activity-csv-binary", c: badCase{About: "an activity log that is binary noise",
			Want: []string{vsVisits}}, files: map[string][]byte{vsVisits: garbage(4096)}},
		{name: "activity-csv-long-line", c: badCase{About: "an activity log of one 10 MB line",
			Generate: map[string]string{vsVisits: "long-line"}, Want: []string{vsVisits}}},
		{name: "activity-csv-utf16", c: badCase{About: "an activity log saved as UTF-16",
			Want: []string{vsVisits, "UTF-16"}}, files: map[string][]byte{vsVisits: utf16LE(vs(vsVisits))}},
		{name: "activity-csv-no-header", c: badCase{About: "an activity log without its header line",
			Want: []string{vsVisits, "header"}}, files: map[string][]byte{vsVisits: vs(vsVisits)[bytes.IndexByte(vs(vsVisits), '\n')+1:]}},
		{name: "activity-csv-missing-column", c: badCase{About: "the municipality column is missing",
			Want: []string{vsVisits, "kunta"}}, files: map[string][]byte{vsVisits: sub(vs(vsVisits), "aika,kunta,tyyppi,tunniste", "aika,paikka,tyyppi,tunniste")}},
		{name: "activity-csv-impossible-date", c: badCase{About: "an event on 30 February",
			Want: []string{vsVisits, "2021-02-30"}}, files: map[string][]byte{vsVisits: sub(vs(vsVisits), "2021-02-01T08:00:00+02:00,Kaarina", "2021-02-30T08:00:00+02:00,Kaarina")}},
		{name: "activity-csv-serial-date", c: badCase{About: "a time written as an Excel serial number in a CSV",
			Want: []string{vsVisits, "44228"}}, files: map[string][]byte{vsVisits: sub(vs(vsVisits), "2021-02-01T08:00:00+02:00,Kaarina", "44228,Kaarina")}},
		{name: "activity-csv-unknown-type", c: badCase{About: "an activity type the configuration does not know",
			Want: []string{vsVisits, "lounas"}}, files: map[string][]byte{vsVisits: sub(vs(vsVisits), "2021-02-01T08:00:00+02:00,Kaarina,käynti", "2021-02-01T08:00:00+02:00,Kaarina,lounas")}},
		{name: "activity-csv-calls-bad-time", c: badCase{About: "a call log's start time is not a time",
			Want: []string{vsCalls, "Aloitusaika"}}, files: map[string][]byte{vsCalls: subLine(vs(vsCalls), `^P21\d+;1\.2\.2021 [0-9:]+;`, "P2199999;huomenna;")}},

		// The activity logs, XLSX.
		{name: "activity-xlsx-error-cell", c: badCase{About: "an event's time cell holds #DIV/0!",
			Edit: [][]string{xlsxVisits}, Want: []string{"asiakastiedot-2021.xlsx", "Sheet1", "#DIV/0!"}},
			files: map[string][]byte{"activity/asiakastiedot-2021.xlsx": patchZip(visitsXLSX(func(f *excelize.File) error {
				return f.SetCellValue("Sheet1", "A5", "ERRORCELL")
			}), "xl/worksheets/sheet1.xml", func(s string) string {
				return regexp.MustCompile(`<c r="A5"( s="\d+")? t="s"><v>\d+</v></c>`).ReplaceAllString(s, `<c r="A5" t="e"><v>#DIV/0!</v></c>`)
			})}},
		{name: "activity-xlsx-impossible-text-date", c: badCase{About: "an event's time is the text 30.2.2021",
			Edit: [][]string{xlsxVisits}, Want: []string{"asiakastiedot-2021.xlsx", "Sheet1", "30.2.2021"}},
			files: map[string][]byte{"activity/asiakastiedot-2021.xlsx": visitsXLSX(func(f *excelize.File) error {
				return f.SetCellValue("Sheet1", "A5", "30.2.2021")
			})}},
		{name: "activity-xlsx-serial-out-of-range", c: badCase{About: "an event's time is a number no date can be",
			Edit: [][]string{xlsxVisits}, Want: []string{"asiakastiedot-2021.xlsx", "Sheet1", "row 5", "9999999"}},
			files: map[string][]byte{"activity/asiakastiedot-2021.xlsx": visitsXLSX(func(f *excelize.File) error {
				return f.SetCellValue("Sheet1", "A5", 9999999)
			})}},
		{name: "activity-xlsx-truncated", c: badCase{About: "an activity workbook cut off halfway",
			Edit: [][]string{xlsxVisits}, Want: []string{"asiakastiedot-2021.xlsx"}},
			files: map[string][]byte{"activity/asiakastiedot-2021.xlsx": func() []byte { b := visitsXLSX(nil); return b[:len(b)/2] }()}},

		// The hours log and the manual lines (the per-resident example).
		{name: "hours-negative", c: badCase{Example: "lasteri", About: "negative hours",
			Want: []string{lsHours, "row 6", "-1,5"}}, files: map[string][]byte{lsHours: sub(ls(lsHours), "keusote-hva;1,5;", "keusote-hva;-1,5;")}},
		{name: "hours-text", c: badCase{Example: "lasteri", About: "hours written in words",
			Want: []string{lsHours, "row 6", "puolitoista"}}, files: map[string][]byte{lsHours: sub(ls(lsHours), "keusote-hva;1,5;", "keusote-hva;puolitoista;")}},
		{name: "hours-impossible-date", c: badCase{Example: "lasteri", About: "hours on 29 February 2023",
			Want: []string{lsHours, "row 6", "29.2.2023"}}, files: map[string][]byte{lsHours: sub(ls(lsHours), "12.1.2023;", "29.2.2023;")}},
		{name: "hours-unknown-subscriber", c: badCase{Example: "lasteri", About: "hours for a subscriber the configuration does not have",
			Want: []string{lsHours, "row 6", "tuntematon"}}, files: map[string][]byte{lsHours: sub(ls(lsHours), "keusote-hva;1,5;", "tuntematon;1,5;")}},
		{name: "hours-missing-column", c: badCase{Example: "lasteri", About: "the hours column is missing",
			Want: []string{lsHours, "tunnit"}}, files: map[string][]byte{lsHours: sub(ls(lsHours), "päivä;tilaaja;tunnit;", "päivä;tilaaja;aika;")}},
		{name: "hours-empty", c: badCase{Example: "lasteri", About: "an hours log of 0 bytes",
			Want: []string{lsHours, "empty"}}, files: map[string][]byte{lsHours: {}}},
		{name: "manual-amount-text", c: badCase{Example: "lasteri", About: "a manual line's amount is text",
			Edit: [][]string{manual}, Want: []string{"manual.csv", "row 2", "sataviisikymmentä"}},
			files: map[string][]byte{"manual.csv": []byte(strings.Replace(manualCSV, "150,00", "sataviisikymmentä", 1))}},
		{name: "manual-bad-vat-rate", c: badCase{Example: "lasteri", About: "a manual line's VAT rate is not a rate",
			Edit: [][]string{manual}, Want: []string{"manual.csv", "row 2", "25,5,1"}},
			files: map[string][]byte{"manual.csv": []byte(strings.Replace(manualCSV, ";25,5", ";25,5,1", 1))}},
		{name: "manual-missing-column", c: badCase{Example: "lasteri", About: "the manual lines have no amount column",
			Edit: [][]string{manual}, Want: []string{"manual.csv", "summa"}},
			files: map[string][]byte{"manual.csv": []byte(strings.Replace(manualCSV, "summa", "hinta", 1))}},

		// The configuration.
		{name: "config-unknown-key", c: badCase{About: "a misspelt key (budjet) in the configuration",
			Edit: [][]string{cost(`budget = "284602.00"`, "budget = \"284602.00\"\nbudjet = \"284602.00\"")}, Want: []string{"kuntalasku.toml", "budjet"}}},
		{name: "config-budget-zero", c: badCase{About: "a budget of 0",
			Edit: [][]string{cost(`budget = "284602.00"`, `budget = "0"`)}, Want: []string{"kuntalasku.toml", "budget"}}},
		{name: "config-budget-thousands-separator", c: badCase{About: "a budget written with a thousands separator",
			Edit: [][]string{cost(`budget = "284602.00"`, `budget = "284,602.00"`)}, Want: []string{"kuntalasku.toml", "budget", "284,602.00"}}},
		{name: "config-rate-thousands-separator", c: badCase{Example: "lasteri", About: "an hourly price written with a thousands separator",
			Edit: [][]string{cost(`hourly_price = "60.00"`, `hourly_price = "1 060.00"`)}, Want: []string{"kuntalasku.toml", "hourly_price", "1 060.00"}}},
		{name: "config-rate-negative", c: badCase{Example: "lasteri", About: "a negative per-resident rate",
			Edit: [][]string{cost(`rate = "0.058"`, `rate = "-0.058"`)}, Want: []string{"kuntalasku.toml", "rate"}}},
		{name: "config-business-id-check-digit", c: badCase{About: "the seller's Business ID has a wrong check digit",
			Edit: [][]string{cost(`business_id = "1234567-1"`, `business_id = "1234567-2"`)}, Want: []string{"kuntalasku.toml", "1234567-2"}}},
		{name: "config-iban-check-digits", c: badCase{About: "the seller's IBAN has wrong check digits",
			Edit: [][]string{cost(`iban = "FI21 1234 5600 0007 85"`, `iban = "FI22 1234 5600 0007 85"`)}, Want: []string{"kuntalasku.toml", "FI22"}}},
		{name: "config-weights-not-100", c: badCase{About: "the weights add up to 90 %",
			Edit: [][]string{cost(`population_weight = "70"`, `population_weight = "60"`)}, Want: []string{"kuntalasku.toml", "100"}}},
		{name: "config-population-missing", c: badCase{About: "the population file named does not exist",
			Edit: [][]string{cost(`population = "population-11re-synthetic.csv"`, `population = "vaesto-2019.csv"`)}, Want: []string{"vaesto-2019.csv", "does not exist", "inputs.population"}}},
		{name: "config-activity-files-missing", c: badCase{About: "an activity source's pattern matches no file",
			Edit: [][]string{cost(`files = ["activity/asiakastiedot-2021.csv"]`, `files = ["activity/asiakastiedot-2022*.csv"]`)}, Want: []string{"asiakastiedot-2022*.csv"}}},
		{name: "config-syntax-error", c: badCase{About: "the configuration is not valid TOML",
			Edit: [][]string{cost(`budget = "284602.00"`, `budget = "284602.00`)}, Want: []string{"kuntalasku.toml", "line"}}},
		{name: "config-payer-id-two-digits", c: badCase{About: "a payer's code lost its leading zero (Excel's doing): 19 for 019",
			Edit: [][]string{cost(`id = "019"`, `id = "19"`)}, Want: []string{"kuntalasku.toml", "19"}}},
		{name: "population-csv-code-mismatch", c: badCase{About: "the population file codes Aura 019 but the configuration says 091",
			Edit: [][]string{cost(`id = "019"`, `id = "091"`)}, Want: []string{vsPopulation, "091", "019"}},
			files: map[string][]byte{vsPopulation: bytes.ReplaceAll(vs(vsPopulation), []byte(`"Aura";`), []byte(`"KU019 Aura";`))}},
		{name: "config-duplicate-payer", c: badCase{About: "the same payer twice",
			Edit: [][]string{cost(`id = "202"`, `id = "019"`)}, Want: []string{"kuntalasku.toml", "019"}}},
		{name: "config-period-backwards", c: badCase{About: "the period ends before it starts",
			Edit: [][]string{cost("period_end = 2021-11-30", "period_end = 2020-11-30")}, Want: []string{"kuntalasku.toml", "period"}}},
		{name: "config-missing-file", c: badCase{About: "--config names a file that does not exist",
			Args: []string{"run", "--config", "{dir}/ei-ole.toml", "--out", "{out}", "--cycle", "2021-02"}, Want: []string{"ei-ole.toml"}}},
		{name: "config-bic-invalid", c: badCase{About: "the seller's BIC is not a BIC",
			Edit: [][]string{cost(`bic = "NDEAFIHH"`, `bic = "NORDEA"`)}, Want: []string{"kuntalasku.toml", "NORDEA"}}},
	}
	return cases, nil
}
