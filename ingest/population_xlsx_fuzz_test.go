package ingest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzReadPopulationXLSX reads three views of a workbook. Mutated workbook bytes seldom get past
// the ZIP checksums, so the fuzzer also mutates a sheet's XML and the text of a table's cells
// (tab-separated rows), each packed as the sheet of a valid workbook, which reach the sheet's
// XML parser and the table rules.
func FuzzReadPopulationXLSX(f *testing.F) {
	base := pxwebXLSX(f, pxweb) // its sheet has inline strings, so any sheet XML fits in it
	baseParts := parts(f, base)
	numbers := [][]any{
		row(nil, nil, "Yhteensä"),
		row(nil, nil, "2019"),
		row("KU853 Turku", "Yhteensä", "192 962"),
		row(nil, "0-74", "1.75097E5"),
		row(nil, "75 -", ".."),
		nil,
		row("Lähde"),
		row("Raisio", "75 -", 1),
	}
	for _, rows := range [][][]any{twoYears(), oneHeader, numbers} {
		book := newWorkbook(f, testSheet{"Sheet1", rows})
		f.Add(book, sheetXML(f, streamWorkbook(f, rows)), tsvOf(rows))
	}
	f.Add(newWorkbook(f, testSheet{"Tietoja", [][]any{row(title)}}, testSheet{"Taulukko", oneHeader}), "", "")
	f.Add(base[:len(base)/2], `<worksheet><sheetData><row r="1048577"><c r="A1"/></row></sheetData></worksheet>`, "")
	f.Add(append(append([]byte{}, oleSignature...), 0, 0, 0, 0), `<worksheet><sheetData><row><c r="XFD1" t="s"><v>7</v></c></row></sheetData></worksheet>`, "\t\t2019\n\tYhteensä\t1")
	f.Add([]byte{}, "", "")

	f.Fuzz(func(t *testing.T, book []byte, sheet, cells string) {
		p, err := ReadPopulationXLSX(bytes.NewReader(book), "fuzz.xlsx")
		checkReadResult(t, p, err)
		if sheet != "" {
			p, err := ReadPopulationXLSX(bytes.NewReader(withSheet(t, baseParts, sheet)), "fuzz.xlsx")
			checkReadResult(t, p, err)
		}
		if sheet := tsvSheet(cells); sheet != "" {
			p, err := ReadPopulationXLSX(bytes.NewReader(withSheet(t, baseParts, sheet)), "fuzz.xlsx")
			checkReadResult(t, p, err)
		}
	})
}

const sheetPart = "xl/worksheets/sheet1.xml"

// sheetXML is the XML of a workbook's first sheet.
func sheetXML(t testing.TB, book []byte) string {
	all := parts(t, book)
	for i := 0; i < len(all); i += 2 {
		if all[i] == sheetPart {
			return all[i+1]
		}
	}
	t.Fatalf("no %s", sheetPart)
	return ""
}

// withSheet is a workbook of parts with its first sheet's XML replaced.
func withSheet(t testing.TB, parts []string, sheet string) []byte {
	p := append([]string{}, parts...)
	for i := 0; i < len(p); i += 2 {
		if p[i] == sheetPart {
			p[i+1] = sheet
		}
	}
	return zipOf(t, nil, p...)
}

// tsvOf writes rows as tab-separated text, a blank cell empty.
func tsvOf(rows [][]any) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte('\t')
			}
			if c != nil {
				fmt.Fprint(&b, c)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// tsvSheet is the XML of a sheet of tab-separated rows: a cell of digits is a number, other
// cells inline text. It returns "" for no text, or too much to read quickly.
func tsvSheet(text string) string {
	if text == "" || strings.Count(text, "\n") > 200 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, line := range strings.Split(text, "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) > 30 {
			return ""
		}
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for i, s := range fields {
			at, _ := excelize.CoordinatesToCellName(i+1, r+1)
			switch _, err := strconv.ParseInt(s, 10, 64); {
			case s == "":
			case err == nil:
				fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, at, s)
			default:
				fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>`, at)
				xml.EscapeText(&b, []byte(s))
				b.WriteString(`</t></is></c>`)
			}
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}
