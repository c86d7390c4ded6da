package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on a workbook, variables so that tests can lower them. A PxWeb export of table 11re
// for all municipalities is about 0.7 MiB packed and 5 MiB unpacked.
var (
	maxXLSXSize     int64 = 64 << 20  // the most bytes read from the reader
	maxXLSXUnpacked int64 = 256 << 20 // the most all parts of the workbook may unpack to
	maxXLSXInMemory int64 = 16 << 20  // a sheet unpacking to more is read from a temporary file
)

// oleSignature starts an OLE2 compound file: an Excel 97-2003 .xls, or a password-protected
// workbook.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

const xlsxHint = "export the table as Excel (xlsx) or CSV"

// ReadPopulationXLSX reads PxWeb's "Excel (xlsx)" export of table 11re, or the same shape for
// other population tables (see the package comment): title rows, one heading row per heading
// variable, the data rows, then footnotes. It uses the first sheet that holds such a table.
// name is the file name for errors. Like ReadPopulationCSV it reports every bad row: the error
// is an *Errors listing the problems, or an *Error when the file is not such a workbook at all;
// errors.As finds the first *Error in both, with the sheet, the row and the column. Errors from
// r itself are returned wrapped.
func ReadPopulationXLSX(r io.Reader, name string) (*Population, error) {
	f, marks, err := openXLSX(r, name)
	if err != nil {
		return nil, err
	}
	p, err := readXLSXPopulation(f, name, marks)
	if cerr := f.Close(); cerr != nil && err == nil {
		return nil, fmt.Errorf("read %s: %w", name, cerr)
	}
	return p, err
}

// openXLSX reads r, checks that it is a ZIP archive that unpacks intact to at most
// maxXLSXUnpacked, and opens it as a workbook, with the marks of its sheets.
func openXLSX(r io.Reader, name string) (*excelize.File, map[string]*sheetMarks, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxXLSXSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > maxXLSXSize {
		return nil, nil, &Error{File: name, Msg: fmt.Sprintf(
			"the file is larger than %s; expected an export of a few MiB (a population table is about 1 MiB; save a larger activity log as CSV)", sizeText(maxXLSXSize))}
	}
	if why := checkXLSX(data); why != "" {
		return nil, nil, &Error{File: name, Msg: why}
	}
	marks, err := readSheetMarks(data)
	if err != nil {
		return nil, nil, &Error{File: name, Msg: fmt.Sprintf("not an XLSX workbook: cannot read its sheets (%v); %s", err, xlsxHint)}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxXLSXUnpacked,
		UnzipXMLSizeLimit: min(maxXLSXInMemory, maxXLSXUnpacked),
	})
	if err != nil {
		if f != nil {
			_ = f.Close() // only temporary files; the error that matters is err
		}
		// checkXLSX has measured the parts already; this is excelize's own check of the sizes
		// the archive declares, which has no error value of its own.
		if strings.HasPrefix(err.Error(), "unzip size exceeds") {
			return nil, nil, &Error{File: name, Msg: unpacksTooMuch()}
		}
		if errors.Is(err, io.EOF) {
			return nil, nil, &Error{File: name, Msg: "not an XLSX workbook: a part it needs, such as xl/workbook.xml, is missing or empty; " + xlsxHint}
		}
		return nil, nil, &Error{File: name, Msg: fmt.Sprintf("not an XLSX workbook: cannot read its parts (%v); %s", err, xlsxHint)}
	}
	return f, marks, nil
}

// checkXLSX explains why data is not a workbook we open, or returns "": it must be a ZIP
// archive whose parts unpack without error (excelize ignores a part that is cut short or fails
// its checksum) to at most maxXLSXUnpacked in all, and whose worksheets end as XML documents.
func checkXLSX(data []byte) string {
	switch {
	case len(data) == 0:
		return "the file is empty; expected an XLSX workbook"
	case bytes.HasPrefix(data, oleSignature):
		return "not an XLSX workbook: it is an Excel 97-2003 workbook (.xls) or a password-protected one; remove the password, or " + xlsxHint
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if !bytes.HasPrefix(data, []byte("PK")) {
			what := "not a ZIP archive"
			if notText(data[:min(len(data), sniffSize)]) == "" {
				what += " but text (a CSV file?)"
			}
			return fmt.Sprintf("not an XLSX workbook: the file is %s; %s", what, xlsxHint)
		}
		return fmt.Sprintf("not an XLSX workbook: the ZIP archive is damaged or cut short (%v); %s", err, xlsxHint)
	}
	if !slices.ContainsFunc(zr.File, func(zf *zip.File) bool { return strings.EqualFold(zf.Name, "[Content_Types].xml") }) {
		return "not an XLSX workbook: the ZIP archive has no [Content_Types].xml, so it is no Office document (an OpenDocument .ods?); " + xlsxHint
	}
	var declared uint64
	for _, zf := range zr.File {
		declared += zf.UncompressedSize64
		if declared > uint64(maxXLSXUnpacked) || zf.UncompressedSize64 > uint64(maxXLSXUnpacked) {
			return unpacksTooMuch()
		}
	}
	left := maxXLSXUnpacked
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		n, tail, err := unpack(zf, left)
		switch {
		case n > left:
			return unpacksTooMuch()
		case err != nil:
			return fmt.Sprintf("not an XLSX workbook: the ZIP archive is damaged (%s: %v); %s", zf.Name, err, xlsxHint)
		case isWorksheet(zf.Name) && !bytes.HasSuffix(bytes.TrimSpace(tail), []byte("worksheet>")):
			return fmt.Sprintf("not an XLSX workbook: the sheet %s is cut short (it does not end with </worksheet>); %s", zf.Name, xlsxHint)
		}
		left -= n
	}
	return ""
}

// unpack reads a part of the archive to its end or to more than limit bytes, and returns how
// many bytes it read, the last of them, and the error that stopped it.
func unpack(zf *zip.File, limit int64) (int64, []byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, nil, err
	}
	defer rc.Close()
	var t tailWriter
	n, err := io.Copy(&t, io.LimitReader(rc, limit+1))
	return n, t.tail, err
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct{ tail []byte }

func (w *tailWriter) Write(p []byte) (int, error) {
	const keep = 64
	w.tail = append(w.tail, p[max(0, len(p)-keep):]...)
	if len(w.tail) > keep {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-keep:]...)
	}
	return len(p), nil
}

// isWorksheet reports whether a part of the archive is a worksheet, like excelize decides.
func isWorksheet(part string) bool {
	p := strings.ToLower(strings.ReplaceAll(part, `\`, "/"))
	return strings.HasPrefix(p, "xl/worksheets/sheet") && strings.HasSuffix(p, ".xml")
}

func unpacksTooMuch() string {
	return fmt.Sprintf("the workbook unpacks to more than %s; expected an export that unpacks to a few MiB (a population table) or tens of MiB (an activity log): a damaged file, or a zip bomb", sizeText(maxXLSXUnpacked))
}

// sizeText is n bytes in MiB or KiB when it is a whole number of them.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readXLSXPopulation reads the first sheet that holds a population table. When none does, the
// error is each sheet's problem.
func readXLSXPopulation(f *excelize.File, name string, marks map[string]*sheetMarks) (*Population, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{File: name, Msg: "not an XLSX workbook: it has no sheets; " + xlsxHint}
	}
	var problems []error
	for _, sheet := range sheets {
		p, found, err := readXLSXSheet(f, name, sheet, marks[sheet])
		var e *Error
		if found || err == nil || !errors.As(err, &e) {
			return p, err
		}
		problems = append(problems, err)
	}
	if len(problems) == 1 {
		return nil, problems[0]
	}
	var all Errors
	for _, err := range problems {
		_ = all.addErr(err) // all are input problems
	}
	return nil, &all
}

// readXLSXSheet reads the table on one sheet. found reports whether the sheet has a table
// header; when it has not, err says why.
func readXLSXSheet(f *excelize.File, file, sheet string, marks *sheetMarks) (p *Population, found bool, err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, false, fmt.Errorf("read %s: sheet %q: %w", file, sheet, err)
		}
		return nil, false, &Error{File: file, Sheet: sheet, Msg: fmt.Sprintf("cannot read the sheet: %v", err)}
	}
	s := &xlsxSheet{file: file, sheet: sheet, rows: rows, marks: marks}
	t, first, err := s.findTable()
	if err == nil {
		found = true
		p, err = s.readData(t, first)
	}
	if cerr := rows.Close(); cerr != nil && rows.Error() == nil {
		return nil, found, fmt.Errorf("read %s: sheet %q: %w", file, sheet, cerr)
	}
	if err != nil {
		return nil, found, inSheet(err, sheet)
	}
	return p, found, nil
}

// inSheet sets the sheet of the input problems in err that have none.
func inSheet(err error, sheet string) error {
	var many *Errors
	if errors.As(err, &many) {
		for _, e := range many.List {
			if e.Sheet == "" {
				e.Sheet = sheet
			}
		}
		return err
	}
	var one *Error
	if errors.As(err, &one) && one.Sheet == "" {
		one.Sheet = sheet
	}
	return err
}

// xlsxSheet reads the rows of one sheet.
type xlsxSheet struct {
	file, sheet string
	rows        *excelize.Rows
	row         int         // 1-based number of the row last read
	marks       *sheetMarks // nil when the sheet has none
}

// next reads the next row: its cells cleaned like CSV fields, without empty cells at the end.
// ok is false after the last row.
func (s *xlsxSheet) next() (cells []string, ok bool, err error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, false, s.errorf(s.row+1, 0, "cannot read the row: %v", err)
		}
		return nil, false, nil
	}
	s.row++
	cells, err = s.rows.Columns() // raw values ("3941", not "3 941"): the file is opened with RawCellValue
	if err != nil {
		return nil, false, s.errorf(s.row, 0, "cannot read the row: %v", err)
	}
	for i, c := range cells {
		cells[i] = cleanField(c)
	}
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells, true, nil
}

func (s *xlsxSheet) errorf(row, column int, format string, args ...any) *Error {
	return &Error{File: s.file, Sheet: s.sheet, Row: row, Column: column, Msg: fmt.Sprintf(format, args...)}
}

// xlsxTable is the header of a table found on a sheet.
type xlsxTable struct {
	cols    *popColumns
	header  []string // every column's name: the stub names, then the flattened heading labels
	lastRow int      // the last header row, where problems with the value columns are reported
	carry   []int    // the stub columns whose blank cells repeat the cell above
}

// firstValue is the 1-based column of the table's first column of counts.
func (t *xlsxTable) firstValue() int {
	first := len(t.header)
	for _, v := range t.cols.values {
		first = min(first, v.index)
	}
	return first + 1
}

// headerRow is a row above the data.
type headerRow struct {
	row   int
	cells []string
}

// findTable reads the rows above the data: title rows (text in column A only), heading rows
// (blank stub cells at the left, labels over the value columns) and maybe, last, a row naming
// the stub columns. It returns the table and the cells of its first data row, nil when the
// sheet ends before any.
func (s *xlsxSheet) findTable() (*xlsxTable, []string, error) {
	var (
		headings []headerRow
		names    *headerRow
		stubs    *popColumns // from names
		nonEmpty int
		first    []string
	)
scan:
	for {
		cells, ok, err := s.next()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			break
		}
		if len(cells) == 0 {
			continue
		}
		if nonEmpty++; nonEmpty > maxPreamble {
			return nil, nil, s.errorf(s.row, 0, "no table found in the first %d rows that are not empty; %s", maxPreamble, expectedHeadings)
		}
		filled := countFilled(cells)
		if names == nil && filled >= 2 {
			cols, why := findStubs(cells)
			if cols != nil {
				names, stubs = &headerRow{s.row, cells}, cols
				continue
			}
			if namesStub(cells) {
				return nil, nil, s.errorf(s.row, 0, "%s", why)
			}
		}
		lead := firstFilled(cells)
		switch {
		case stubs != nil:
			// The row naming the columns is the last header row.
			first = cells
			break scan
		case lead > 0 && (len(headings) == 0 || lead >= firstFilled(headings[0].cells)):
			// Every heading row has a label in the first value column. A row that starts
			// left of it is data whose area label is blank.
			headings = append(headings, headerRow{s.row, cells})
		case len(headings) == 0 && filled == 1:
			// a title or a note
		case len(headings) == 0:
			_, why := findStubs(cells)
			return nil, nil, s.errorf(s.row, 0, "%s; %s", why, expectedHeadings)
		default:
			first = cells
			break scan
		}
	}
	if names == nil && len(headings) == 0 {
		if nonEmpty == 0 {
			return nil, nil, s.errorf(0, 0, "the sheet is empty; %s", expectedHeadings)
		}
		return nil, nil, s.errorf(0, 0, "no table: the sheet has text in column A only (titles or notes); %s", expectedHeadings)
	}
	t, err := s.newTable(headings, names, stubs)
	if err != nil {
		return nil, nil, err
	}
	return t, first, nil
}

const expectedHeadings = "expected a table with heading rows over the value columns (such as 'Yhteensä', '2019', " +
	"'Väestö 31.12.') and the area and age columns at the left, or a row naming the columns, e.g. 'Alue' and 'Ikä'"

// newTable flattens the heading labels of each value column, top to bottom, into a header the
// CSV rules read. Without a row naming the stub columns they are the columns left of the first
// heading label, and there must be two: the area and the age.
func (s *xlsxSheet) newTable(headings []headerRow, names *headerRow, stubs *popColumns) (*xlsxTable, error) {
	rows := headings
	if names != nil {
		rows = append(rows, *names) // the names row may hold the last heading labels
	}
	width, last := 0, 0
	for _, r := range rows {
		width, last = max(width, len(r.cells)), max(last, r.row)
	}
	header := make([]string, width)
	isStub := make([]bool, width)
	cols := stubs
	if names != nil {
		for i, c := range names.cells {
			if i == cols.area || i == cols.age || i == cols.sex || i == cols.year || infoStub.matches(c) {
				isStub[i], header[i] = true, c
			}
		}
	} else {
		lead := width
		for _, r := range headings {
			lead = min(lead, firstFilled(r.cells))
		}
		if lead != 2 {
			h := headings[0]
			return nil, s.errorf(h.row, firstFilled(h.cells)+1,
				"the heading labels start in column %d, so the table would have %d columns at the left for the row variables; "+
					"expected two, the area and the age, or a row naming the columns, e.g. 'Alue' and 'Ikä'", lead+1, lead)
		}
		cols = &popColumns{area: 0, age: 1, sex: -1, year: -1}
		isStub[0], isStub[1] = true, true
		header[0], header[1] = areaStub.names[0], ageStub.names[0]
	}

	// A blank label repeats the one to its left, as in a merged cell, but not where a row above
	// starts a new group.
	labels := make([][]string, len(rows))
	for r, hr := range rows {
		labels[r] = make([]string, width)
		for c := range width {
			if isStub[c] {
				continue
			}
			v := headingLabel(hr.cells, c)
			if v == "" && c > 0 && !isStub[c-1] && !startsAbove(rows[:r], c) {
				v = labels[r][c-1]
			}
			labels[r][c] = v
		}
	}
	parts := make([]string, 0, len(rows))
	for c := range width {
		if isStub[c] {
			continue
		}
		parts = parts[:0]
		for r := range rows {
			if l := labels[r][c]; l != "" {
				parts = append(parts, l)
			}
		}
		header[c] = strings.Join(parts, " ")
	}
	cols = &popColumns{area: cols.area, age: cols.age, sex: cols.sex, year: cols.year}
	if err := cols.readValueColumns(header, s.file, last); err != nil {
		return nil, err
	}
	t := &xlsxTable{cols: cols, header: header, lastRow: last}
	innermost := max(cols.area, cols.age, cols.sex, cols.year)
	for _, c := range []int{cols.area, cols.age, cols.sex, cols.year} {
		if c >= 0 && c != innermost {
			t.carry = append(t.carry, c)
		}
	}
	return t, nil
}

// headingLabel is the label of column c in a heading row; a year stored as a number in float
// form ("2019.0") is written as a year.
func headingLabel(cells []string, c int) string {
	v := cell(cells, c)
	if n, ok := floatInt(v); ok {
		return n
	}
	return v
}

// startsAbove reports whether one of rows has a label in column c.
func startsAbove(rows []headerRow, c int) bool {
	for _, r := range rows {
		if cell(r.cells, c) != "" {
			return true
		}
	}
	return false
}

// readData reads the data rows from first on. The table ends at the first row without values
// in the value columns; a row after it that looks like data is an error, so that nothing is
// dropped silently.
func (s *xlsxSheet) readData(t *xlsxTable, first []string) (*Population, error) {
	b := newPopBuilder(s.file, t.lastRow)
	b.sheet = s.sheet
	width := len(t.header)
	above := make([]string, width) // the stub cells carried down
	end, endWhy := 0, ""
	row := func(cells []string) {
		if end > 0 {
			if looksLikeData(t.cols, cells) {
				b.errs.add(s.errorf(s.row, 0, "data after the end of the table at row %d (%s): the row has an age and counts; "+
					"expected the rows of the table together, with only notes after them", end, endWhy))
			}
			return
		}
		if e := s.marks.problem(s, s.row, width, t.firstValue()); e != nil {
			b.errs.add(e)
			return
		}
		if !hasValues(t.cols, cells) {
			end, endWhy = s.row, "a row without values"
			if len(cells) == 0 {
				endWhy = "an empty row"
			}
			return
		}
		if len(cells) > width {
			b.errs.add(s.errorf(s.row, width+1+firstFilled(cells[width:]),
				"a value outside the table, whose header has %d columns; expected nothing right of the table", width))
		}
		rec := make([]string, width)
		copy(rec, cells)
		for _, c := range t.carry {
			if rec[c] == "" {
				rec[c] = above[c]
			} else {
				above[c] = rec[c]
			}
		}
		for _, c := range []int{t.cols.age, t.cols.sex, t.cols.year} {
			if n, ok := floatInt(cell(rec, c)); ok {
				rec[c] = n
			}
		}
		for _, v := range t.cols.values {
			rec[v.index] = countText(rec[v.index])
		}
		t.cols.addRow(b, t.header, rec, s.row)
	}
	if first != nil {
		row(first)
		for {
			cells, ok, err := s.next()
			if err != nil {
				if err := b.errs.addErr(err); err != nil {
					return nil, err
				}
				break
			}
			if !ok {
				break
			}
			row(cells)
		}
	}
	return b.finish()
}

// hasValues reports whether a row has a value in one of the value columns.
func hasValues(cols *popColumns, cells []string) bool {
	for _, v := range cols.values {
		if cell(cells, v.index) != "" {
			return true
		}
	}
	return false
}

// looksLikeData reports whether a row after the table has an age and, in the value columns,
// only counts.
func looksLikeData(cols *popColumns, cells []string) bool {
	age := cell(cells, cols.age)
	if n, ok := floatInt(age); ok {
		age = n
	}
	if age == "" || !hasValues(cols, cells) {
		return false
	}
	if _, err := parseAge(age); err != nil {
		return false
	}
	for _, v := range cols.values {
		if c := cell(cells, v.index); c != "" {
			if _, err := parseCount(countText(c)); err != nil {
				return false
			}
		}
	}
	return true
}

var (
	// floatForm is a number as a program may store it in a cell: "3941", "3941.0", "3.941E3".
	floatForm = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$`)
	// digitGroups is a whole number written with its thousands apart: "3 941", "5 525 292".
	digitGroups = regexp.MustCompile(`^[0-9]{1,3}(?:[ \x{00A0}\x{202F}][0-9]{3})+$`)
)

// floatInt returns s, a number in float form, as the whole number it is ("3.941E3" is "3941",
// "-2.0" is "-2"); ok is false when s is not in float form or not whole.
func floatInt(s string) (string, bool) {
	if s == "" || isDigits(s) || !floatForm.MatchString(s) {
		return "", false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) {
		return "", false
	}
	if x == 0 {
		return "0", true
	}
	return strconv.FormatFloat(x, 'f', -1, 64), true
}

// countText writes a count cell the way parseCount reads it: digit groups joined, a whole
// number in float form as digits. Anything else is left for parseCount to explain.
func countText(s string) string {
	switch {
	case isDigits(s):
		return s
	case digitGroups.MatchString(s):
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	if n, ok := floatInt(s); ok {
		return n
	}
	return s
}

// namesStub reports whether a cell names a stub column, as a header row would.
func namesStub(cells []string) bool {
	for _, c := range cells {
		for _, s := range []stub{areaStub, ageStub, sexStub, yearStub} {
			if s.matches(c) {
				return true
			}
		}
	}
	return false
}

// cell is cells[i], "" when the row is shorter or i < 0.
func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

func countFilled(cells []string) int {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	return n
}

// firstFilled is the index of the first cell that is not empty, len(cells) when none is.
func firstFilled(cells []string) int {
	for i, c := range cells {
		if c != "" {
			return i
		}
	}
	return len(cells)
}
