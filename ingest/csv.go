package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// separators are the field separators a CSV file may use, in the order they are tried.
var separators = []rune{';', ',', '\t'}

const (
	maxPreamble = 20       // lines looked at before the header
	maxLineLen  = 64 << 10 // longest preamble or header line
)

// csvTable is a delimited text file positioned after its header line. Its rows come from next.
type csvTable struct {
	name      string
	header    []string // trimmed and decoded
	headerRow int      // 1-based line of the header
	comma     rune
	rd        *csv.Reader
	fields    []string // reused by next
}

// openCSV opens r as delimited text (see openText for the encodings), skips a preamble of title
// and empty lines, and finds the header: the first line that, split with one of the separators,
// check accepts. check returns "" for a header, or else why the fields are not one ("column
// 'Ikä' (age) not found"). A line that splits into several fields and is not followed by an
// empty line is taken as a wrong header and reported with check's reason.
func openCSV(r io.Reader, name string, check func(fields []string) string) (*csvTable, error) {
	text, _, err := openText(r, name)
	if err != nil {
		return nil, err
	}
	lines := &lineReader{br: bufio.NewReader(text), name: name}
	nonEmpty := 0
	for {
		line, row, err := lines.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		nonEmpty++
		if nonEmpty > maxPreamble {
			break
		}
		comma, fields, why := splitHeader(line, check)
		if why == "" {
			t := &csvTable{name: name, header: fields, headerRow: row, comma: comma}
			t.rd = csv.NewReader(lines.br)
			t.rd.Comma = comma
			t.rd.FieldsPerRecord = len(fields)
			t.rd.ReuseRecord = true
			return t, nil
		}
		if len(fields) <= 1 {
			continue // a title or a note
		}
		after, err := lines.peek()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if err == nil && strings.TrimSpace(after) == "" {
			continue // a title line that happens to hold a separator
		}
		return nil, &Error{File: name, Row: row, Msg: why}
	}
	if nonEmpty == 0 {
		return nil, &Error{File: name, Msg: "the file has no text lines; expected a CSV export with a header line"}
	}
	return nil, &Error{File: name, Msg: fmt.Sprintf("no header line found in the first %d lines: %s", lines.row, check(nil))}
}

// splitHeader splits line with each separator and returns the first split check accepts; when
// none is accepted it returns the split with the most fields and check's reason for it.
func splitHeader(line string, check func([]string) string) (comma rune, fields []string, why string) {
	for _, sep := range separators {
		f, err := splitLine(line, sep)
		if err != nil {
			continue
		}
		w := check(f)
		if w == "" {
			return sep, f, ""
		}
		if len(f) > len(fields) {
			comma, fields, why = sep, f, w
		}
	}
	if fields == nil {
		why = check(nil)
	}
	return comma, fields, why
}

// splitLine parses one line as a CSV record and cleans its fields.
func splitLine(line string, comma rune) ([]string, error) {
	rd := csv.NewReader(strings.NewReader(line))
	rd.Comma = comma
	rd.FieldsPerRecord = -1
	rec, err := rd.Read()
	if err != nil {
		return nil, err
	}
	for i := range rec {
		rec[i] = cleanField(rec[i])
	}
	return rec, nil
}

// next returns the next record with its fields trimmed and decoded, and the 1-based line it
// starts on. A malformed record (wrong number of fields, a stray quote) is an *Error; the
// caller may go on reading. It returns io.EOF at the end, and other errors from the reader
// wrapped.
func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.rd.Read()
	if err == nil {
		return t.clean(rec)
	}
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError // only now: it escapes, and costs an allocation
	if errors.As(err, &pe) {
		row := t.headerRow + pe.StartLine
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return nil, row, &Error{File: t.name, Row: row, Msg: fmt.Sprintf(
				"the row has %d fields but the header (row %d) has %d; expected one field per column separated by %s",
				len(rec), t.headerRow, len(t.header), sepName(t.comma))}
		}
		return nil, row, &Error{File: t.name, Row: t.headerRow + pe.Line, Msg: fmt.Sprintf(
			"cannot split the line into fields: %v; expected fields separated by %s, quoted with \"", pe.Err, sepName(t.comma))}
	}
	return nil, 0, fmt.Errorf("read %s: %w", t.name, err)
}

// clean trims and decodes a record's fields and returns them with the line the record starts on.
func (t *csvTable) clean(rec []string) ([]string, int, error) {
	line, _ := t.rd.FieldPos(0)
	t.fields = t.fields[:0]
	for _, f := range rec {
		t.fields = append(t.fields, cleanField(f))
	}
	return t.fields, t.headerRow + line, nil
}

func sepName(comma rune) string {
	switch comma {
	case ';':
		return "semicolons"
	case ',':
		return "commas"
	case '\t':
		return "tabs"
	}
	return fmt.Sprintf("%q", comma)
}

// lineReader reads the physical lines before the header and counts them.
type lineReader struct {
	br      *bufio.Reader
	name    string
	row     int
	pending *string
}

// next returns the next line without its line ending, and its 1-based number.
func (l *lineReader) next() (string, int, error) {
	if l.pending != nil {
		s := *l.pending
		l.pending = nil
		l.row++
		return s, l.row, nil
	}
	s, err := l.read()
	if err != nil {
		return "", 0, err
	}
	l.row++
	return s, l.row, nil
}

// peek returns the line next will return.
func (l *lineReader) peek() (string, error) {
	if l.pending != nil {
		return *l.pending, nil
	}
	s, err := l.read()
	if err != nil {
		return "", err
	}
	l.pending = &s
	return s, nil
}

func (l *lineReader) read() (string, error) {
	var line []byte
	for {
		b, err := l.br.ReadSlice('\n')
		line = append(line, b...)
		switch {
		case len(line) > maxLineLen:
			return "", &Error{File: l.name, Row: l.row + 1, Msg: fmt.Sprintf(
				"the line is longer than %d bytes before any header was found; expected a CSV export with a header line", maxLineLen)}
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) == 0:
			return "", io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return "", fmt.Errorf("read %s: %w", l.name, err)
		}
		return strings.TrimRight(string(line), "\r\n"), nil
	}
}
