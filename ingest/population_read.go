package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// Format is the form a population table comes in.
type Format int

const (
	FormatCSV  Format = iota // PxWeb "semicolon separated with heading" and its variants
	FormatXLSX               // PxWeb's Excel export
	FormatPX                 // PC-Axis
)

func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "CSV"
	case FormatXLSX:
		return "XLSX"
	case FormatPX:
		return "PC-Axis"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

var (
	zipMagic = []byte("PK\x03\x04")
	zipEmpty = []byte("PK\x05\x06")
	// pxStart is the start of a PC-Axis file: a keyword, an optional [language] and
	// ("subkeys"), then '='. A CSV header starts with a quote or a name and a separator.
	pxStart = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}[ \t]*(\[[A-Za-z_-]{1,16}\])?[ \t]*(\("[^"\r\n]*"(,[ \t]*"[^"\r\n]*")*\))?[ \t]*=`)
)

// DetectFormat decides a population file's form from its first bytes, and from its name when
// the bytes do not decide: a ZIP is XLSX, a file starting with a PC-Axis keyword is PX, and
// other text is CSV unless the name ends in .px or .xlsx, whose readers then explain what is
// wrong. An old binary Excel workbook (.xls) is an *Error.
func DetectFormat(head []byte, name string) (Format, error) {
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmpty):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, oleSignature):
		return 0, &Error{File: name, Msg: "an old binary Excel workbook (.xls); save it as Excel (xlsx) or export the table as CSV or PC-Axis"}
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n")
	if pxStart.Match(text) {
		return FormatPX, nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".px":
		return FormatPX, nil
	case ".xlsx":
		return FormatXLSX, nil
	}
	return FormatCSV, nil
}

// ReadPopulation reads a population table in any of the forms Statistics Finland exports it
// — PxWeb CSV, PxWeb XLSX or PC-Axis — deciding the form with DetectFormat. It returns the
// form with the table; errors are as the form's reader gives them.
func ReadPopulation(r io.Reader, name string) (*Population, Format, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, 0, fmt.Errorf("read %s: %w", name, err)
	}
	f, err := DetectFormat(head, name)
	if err != nil {
		return nil, 0, err
	}
	var p *Population
	switch f {
	case FormatXLSX:
		p, err = ReadPopulationXLSX(br, name)
	case FormatPX:
		p, err = ReadPopulationPX(br, name)
	default:
		p, err = ReadPopulationCSV(br, name)
	}
	return p, f, err
}
