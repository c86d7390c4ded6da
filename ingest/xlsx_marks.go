package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetMarks is what a worksheet says about its cells besides their values, and a reader of
// values does not see: formulas, hidden rows and columns, merged cells. A table's data must
// have none of them. A formula's value is whatever the program that saved the file last
// computed, maybe nothing; a hidden row is billed although the office reviewing the sheet does
// not see it; a merged cell's value belongs to its first cell only.
type sheetMarks struct {
	formulas   map[int]string // a row's first cell holding a formula, such as "C7"
	hiddenRows map[int]bool
	hiddenCols [][2]int // 1-based, first and last column of each hidden run
	merged     []mergedRange
}

type mergedRange struct {
	ref               string // "C7:C8"
	top, bottom       int
	firstCol, lastCol int
}

// problem explains what is wrong with data row row of the sheet, or returns nil. width is how
// many columns the table has, 0 for any number. Cells merged within the columns left of
// firstValue (1-based) are let be: a population table's area label may span its rows, and a
// blank label repeats the one above anyway.
func (m *sheetMarks) problem(s *xlsxSheet, row, width, firstValue int) *Error {
	if m == nil {
		return nil
	}
	if m.hiddenRows[row] {
		return s.errorf(row, 0, "the row is hidden; expected every row of the table visible, "+
			"since hidden rows count all the same: unhide it, or delete it if it is not data")
	}
	for _, c := range m.hiddenCols {
		if width == 0 || c[0] <= width {
			return s.errorf(row, c[0], "column %s is hidden; expected every column of the table visible, "+
				"since hidden columns count all the same: unhide it, or delete it if it is not data", columnName(c[0]))
		}
	}
	if cell, ok := m.formulas[row]; ok {
		col, _, _ := excelize.CellNameToCoordinates(cell)
		return s.errorf(row, col, "cell %s holds a formula; expected values: copy the sheet and paste it as values only", cell)
	}
	for _, r := range m.merged {
		if row >= r.top && row <= r.bottom && r.lastCol >= firstValue {
			return s.errorf(row, r.firstCol, "cells %s are merged; expected one value in each cell: unmerge them", r.ref)
		}
	}
	return nil
}

func columnName(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return strconv.Itoa(col)
	}
	return name
}

// markers are the bytes without which a worksheet has no marks: most have none, and are not
// parsed a second time.
var markers = [][]byte{[]byte("<f"), []byte("<x:f"), []byte("hidden="), []byte("mergeCell")}

// readSheetMarks finds the marks of every worksheet of a workbook (checkXLSX has checked the
// archive), by sheet name. A sheet without marks has no entry.
func readSheetMarks(data []byte) (map[string]*sheetMarks, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	parts := map[string]*zip.File{}
	for _, zf := range zr.File {
		parts[strings.ToLower(strings.TrimPrefix(zf.Name, "/"))] = zf
	}
	sheets, err := sheetParts(parts)
	if err != nil {
		return nil, err
	}
	all := map[string]*sheetMarks{}
	for name, part := range sheets {
		zf := parts[strings.ToLower(part)]
		if zf == nil {
			continue // excelize reports a missing sheet when it is read
		}
		raw, err := readPart(zf)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(markers, func(m []byte) bool { return bytes.Contains(raw, m) }) {
			continue
		}
		m, err := scanMarks(raw)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
		all[name] = m
	}
	return all, nil
}

func readPart(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// sheetParts maps each sheet's name to its part, from xl/workbook.xml and its relationships.
func sheetParts(parts map[string]*zip.File) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for _, p := range []struct {
		name string
		v    any
	}{{"xl/workbook.xml", &wb}, {"xl/_rels/workbook.xml.rels", &rels}} {
		zf := parts[p.name]
		if zf == nil {
			return nil, nil // not a workbook excelize opens either
		}
		raw, err := readPart(zf)
		if err != nil {
			return nil, err
		}
		if err := xml.Unmarshal(raw, p.v); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	sheets := map[string]string{}
	for _, s := range wb.Sheets {
		if t, ok := targets[s.RID]; ok {
			sheets[s.Name] = t
		}
	}
	return sheets, nil
}

// scanMarks reads a worksheet's XML for its marks.
func scanMarks(raw []byte) (*sheetMarks, error) {
	m := &sheetMarks{formulas: map[int]string{}, hiddenRows: map[int]bool{}}
	d := xml.NewDecoder(bytes.NewReader(raw))
	row, cell := 0, ""
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "row":
			row++
			if r, err := strconv.Atoi(attr(el, "r")); err == nil {
				row = r
			}
			if isTrue(attr(el, "hidden")) {
				m.hiddenRows[row] = true
			}
		case "c":
			cell = attr(el, "r")
		case "f":
			if _, ok := m.formulas[row]; !ok && cell != "" {
				m.formulas[row] = cell
			}
		case "col":
			if isTrue(attr(el, "hidden")) {
				lo, err1 := strconv.Atoi(attr(el, "min"))
				hi, err2 := strconv.Atoi(attr(el, "max"))
				if err1 == nil && err2 == nil && lo <= hi {
					m.hiddenCols = append(m.hiddenCols, [2]int{lo, hi})
				}
			}
		case "mergeCell":
			ref := attr(el, "ref")
			from, to, ok := strings.Cut(ref, ":")
			if !ok {
				continue
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(from)
			c2, r2, err2 := excelize.CellNameToCoordinates(to)
			if err1 == nil && err2 == nil {
				m.merged = append(m.merged, mergedRange{ref: ref, top: min(r1, r2), bottom: max(r1, r2), firstCol: min(c1, c2), lastCol: max(c1, c2)})
			}
		}
	}
	return m, nil
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func isTrue(s string) bool { return s == "1" || s == "true" }
