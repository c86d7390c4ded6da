package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// This file reads the PC-Axis format: a list of keywords, each
//
//	KEYWORD[lang]("subkey","subkey")=value;
//
// where a value is a comma-separated list of items, an item is a quoted string (adjacent
// quoted strings on following lines are one string: "line continuation"), or a bare word such
// as 0, YES or TLIST(A1). The last keyword is DATA, whose value is the numbers, separated by
// white space, streamed by pxData rather than held in memory.

const (
	// maxPXMeta bounds the keywords before DATA; real files have some kilobytes.
	maxPXMeta = 32 << 20
	// maxPXItem bounds one quoted string or bare word.
	maxPXItem = 1 << 20
)

// pxKey is a keyword as written, with its language and subkeys.
type pxKey struct {
	Name string   // "VALUES"
	Lang string   // "sv" in VALUES[sv]; "" for the file's main language
	Sub  []string // the subkeys, decoded: ["Ikä"] in VALUES("Ikä")
}

func (k pxKey) String() string {
	var b strings.Builder
	b.WriteString(k.Name)
	if k.Lang != "" {
		fmt.Fprintf(&b, "[%s]", k.Lang)
	}
	if len(k.Sub) > 0 {
		q := make([]string, len(k.Sub))
		for i, s := range k.Sub {
			q[i] = `"` + s + `"`
		}
		fmt.Fprintf(&b, "(%s)", strings.Join(q, ","))
	}
	return b.String()
}

// pxEntry is one keyword and its value.
type pxEntry struct {
	Key    pxKey
	Items  []pxItem
	Line   int // where the keyword starts
	Column int
}

// pxItem is one item of a value list: raw bytes as in the file (not yet decoded), whether it
// was quoted, and where it starts.
type pxItem struct {
	raw          []byte
	quoted       bool
	line, column int
}

// pxMeta is the keywords of a file, in order, and how to decode their text.
type pxMeta struct {
	file    string
	entries []pxEntry
	dec     func([]byte) string
}

// pxScanner reads the bytes of a PC-Axis file and counts lines and columns.
type pxScanner struct {
	file         string
	br           *bufio.Reader
	line, column int // of the next byte, 1-based
	read         int64
	buf          []byte
}

func newPXScanner(r io.Reader, file string) *pxScanner {
	return &pxScanner{file: file, br: bufio.NewReaderSize(r, 64<<10), line: 1, column: 1}
}

// next returns the next byte, or io.EOF.
func (s *pxScanner) next() (byte, error) {
	c, err := s.br.ReadByte()
	if err != nil {
		return 0, err
	}
	s.read++
	if c == '\n' {
		s.line++
		s.column = 1
	} else if c&0xC0 != 0x80 { // not inside a UTF-8 sequence: columns count letters
		s.column++
	}
	return c, nil
}

func (s *pxScanner) peek() (byte, error) {
	b, err := s.br.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// errorf is an *Error at the scanner's place.
func (s *pxScanner) errorf(line, column int, key, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = "keyword " + key + ": " + msg
	}
	return &Error{File: s.file, Row: line, Column: column, Msg: msg}
}

// ioErr wraps a failing reader's error; io.ErrUnexpectedEOF is an input problem at here.
func (s *pxScanner) ioErr(err error, key, what string) error {
	if errors.Is(err, io.EOF) {
		return s.errorf(s.line, s.column, key, "the file ends %s; expected the rest of the keyword and a ';'", what)
	}
	return fmt.Errorf("read %s: %w", s.file, err)
}

// skipSpace skips white space and returns the next byte without reading it.
func (s *pxScanner) skipSpace() (byte, error) {
	for {
		c, err := s.peek()
		if err != nil {
			return 0, err
		}
		if !isPXSpace(c) {
			return c, nil
		}
		s.next()
	}
}

func isPXSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' }

// quoted reads a quoted string after its opening quote: everything up to the closing quote,
// line breaks removed (some writers break long strings inside the quotes).
func (s *pxScanner) quoted(key string) ([]byte, error) {
	line, column := s.line, s.column-1
	s.buf = s.buf[:0]
	for {
		c, err := s.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, s.errorf(line, column, key, "a quoted string is not closed before the end of the file; expected a closing '\"'")
			}
			return nil, s.ioErr(err, key, "")
		}
		switch c {
		case '"':
			return s.buf, nil
		case '\r', '\n':
			continue
		}
		if len(s.buf) >= maxPXItem {
			return nil, s.errorf(line, column, key, "a quoted string is longer than %d bytes; expected a closing '\"'", maxPXItem)
		}
		s.buf = append(s.buf, c)
	}
}

// readMeta reads the keywords up to and including "DATA=", leaving s at the first data value.
func readMeta(s *pxScanner) (*pxMeta, error) {
	m := &pxMeta{file: s.file}
	for {
		c, err := s.skipSpace()
		if errors.Is(err, io.EOF) {
			return nil, s.errorf(s.line, s.column, "", "the file ends without the keyword DATA; expected the keywords of a PC-Axis file, DATA last")
		}
		if err != nil {
			return nil, s.ioErr(err, "", "")
		}
		if s.read > maxPXMeta {
			return nil, s.errorf(s.line, s.column, "", "no keyword DATA in the first %d MiB; expected a PC-Axis file", maxPXMeta>>20)
		}
		if !isKeywordByte(c) {
			return nil, s.errorf(s.line, s.column, "", "%s where a keyword should start; expected a keyword such as STUB= or DATA=", describeByte(c))
		}
		e, err := readEntry(s)
		if err != nil {
			return nil, err
		}
		if e.Key.Name == "DATA" {
			if e.Key.Lang != "" || len(e.Key.Sub) > 0 {
				return nil, s.errorf(e.Line, e.Column, e.Key.String(), "DATA takes no language or subkey")
			}
			m.entries = append(m.entries, *e)
			if err := m.chooseDecoder(); err != nil {
				return nil, err
			}
			return m, nil
		}
		m.entries = append(m.entries, *e)
	}
}

func isKeywordByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func describeByte(c byte) string {
	if c >= 0x21 && c < 0x7F {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02X", c)
}

// readEntry reads one KEYWORD[lang]("sub")=value; — for DATA only up to the '='.
func readEntry(s *pxScanner) (*pxEntry, error) {
	e := &pxEntry{Line: s.line, Column: s.column}
	var name []byte
	for {
		c, err := s.peek()
		if err != nil {
			return nil, s.ioErr(err, string(name), "after a keyword's name")
		}
		if !isKeywordByte(c) {
			break
		}
		s.next()
		name = append(name, c)
		if len(name) > 64 {
			return nil, s.errorf(e.Line, e.Column, "", "a keyword longer than 64 letters; expected KEYWORD=value;")
		}
	}
	e.Key.Name = strings.ToUpper(string(name))
	c, err := s.skipSpace()
	if err != nil {
		return nil, s.ioErr(err, e.Key.Name, "after a keyword's name")
	}
	if c == '[' {
		s.next()
		var lang []byte
		for {
			c, err := s.next()
			if err != nil {
				return nil, s.ioErr(err, e.Key.Name, "inside a language [..]")
			}
			if c == ']' {
				break
			}
			if !isKeywordByte(c) || len(lang) > 16 {
				return nil, s.errorf(s.line, s.column-1, e.Key.Name, "%s in a language code; expected a code such as [sv]", describeByte(c))
			}
			lang = append(lang, c)
		}
		e.Key.Lang = strings.ToLower(string(lang))
		if c, err = s.skipSpace(); err != nil {
			return nil, s.ioErr(err, e.Key.String(), "after a language code")
		}
	}
	if c == '(' {
		s.next()
		for {
			c, err := s.skipSpace()
			if err != nil {
				return nil, s.ioErr(err, e.Key.String(), "inside the subkeys (..)")
			}
			if c != '"' {
				return nil, s.errorf(s.line, s.column, e.Key.String(), "%s in the subkeys; expected quoted names such as (\"Ikä\")", describeByte(c))
			}
			s.next()
			raw, err := s.quoted(e.Key.String())
			if err != nil {
				return nil, err
			}
			e.Key.Sub = append(e.Key.Sub, string(raw)) // decoded once the code page is known
			if c, err = s.skipSpace(); err != nil {
				return nil, s.ioErr(err, e.Key.String(), "inside the subkeys (..)")
			}
			if c != ',' && c != ')' {
				return nil, s.errorf(s.line, s.column, e.Key.String(), "%s after a subkey; expected ',' or ')'", describeByte(c))
			}
			s.next()
			if c == ')' {
				break
			}
		}
		if c, err = s.skipSpace(); err != nil {
			return nil, s.ioErr(err, e.Key.String(), "after the subkeys")
		}
	}
	if c != '=' {
		return nil, s.errorf(s.line, s.column, e.Key.String(), "%s after the keyword; expected '='", describeByte(c))
	}
	s.next()
	if e.Key.Name == "DATA" {
		return e, nil
	}
	return e, readValue(s, e)
}

// readValue reads a keyword's value list and its closing ';'.
func readValue(s *pxScanner, e *pxEntry) error {
	key := e.Key.String()
	expectItem := true
	for {
		c, err := s.skipSpace()
		if err != nil {
			return s.ioErr(err, key, "inside its value")
		}
		line, column := s.line, s.column
		switch {
		case c == ';' && !expectItem || c == ';' && len(e.Items) == 0:
			s.next()
			return nil
		case c == ',' && !expectItem:
			s.next()
			expectItem = true
		case c == '"' && !expectItem && len(e.Items) > 0 && e.Items[len(e.Items)-1].quoted:
			// A quoted string continued on the next line: "abc" "def" is "abcdef".
			s.next()
			raw, err := s.quoted(key)
			if err != nil {
				return err
			}
			last := &e.Items[len(e.Items)-1]
			last.raw = append(last.raw, raw...)
		case c == '"' && expectItem:
			s.next()
			raw, err := s.quoted(key)
			if err != nil {
				return err
			}
			e.Items = append(e.Items, pxItem{raw: bytes.Clone(raw), quoted: true, line: line, column: column})
			expectItem = false
		case expectItem && c != ',' && c != ';':
			raw, err := bareWord(s, key)
			if err != nil {
				return err
			}
			e.Items = append(e.Items, pxItem{raw: raw, line: line, column: column})
			expectItem = false
		default:
			want := "a value"
			if !expectItem {
				want = "',' or ';'"
			}
			return s.errorf(line, column, key, "%s; expected %s", describeByte(c), want)
		}
	}
}

// bareWord reads an unquoted item such as 0, YES or TLIST(A1, "1994"-"1996"): up to a ',' or
// ';' that is not inside parentheses or quotes.
func bareWord(s *pxScanner, key string) ([]byte, error) {
	line, column := s.line, s.column
	var w []byte
	depth, inQuote := 0, false
	for {
		c, err := s.peek()
		if err != nil {
			return nil, s.ioErr(err, key, "inside its value")
		}
		switch {
		case inQuote:
			inQuote = c != '"'
		case c == '"':
			inQuote = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0 && (c == ',' || c == ';'):
			return bytes.TrimRight(w, " \t\r\n"), nil
		}
		s.next()
		if len(w) >= maxPXItem {
			return nil, s.errorf(line, column, key, "a value longer than %d bytes without ';'; expected a ';' after each keyword's value", maxPXItem)
		}
		w = append(w, c)
	}
}

// chooseDecoder decides how the file's text is encoded: by CODEPAGE, else UTF-8 when the
// keywords are valid UTF-8, else ISO-8859-1, the format's default.
func (m *pxMeta) chooseDecoder() error {
	cp, ok := m.lookup("CODEPAGE")
	if ok {
		if len(cp.Items) != 1 {
			return m.errorAt(cp, "expected one code page such as \"iso-8859-15\" or \"utf-8\"")
		}
		name := strings.ToLower(strings.TrimSpace(string(cp.Items[0].raw)))
		var enc encoding.Encoding
		switch strings.ReplaceAll(strings.ReplaceAll(name, "_", "-"), " ", "") {
		case "utf-8", "utf8":
			m.dec = func(b []byte) string { return fixField(string(b)) }
			return m.decodeAll()
		case "iso-8859-15", "iso8859-15", "latin-9", "latin9":
			enc = charmap.ISO8859_15
		case "iso-8859-1", "iso8859-1", "latin-1", "latin1":
			enc = charmap.Windows1252 // its superset, as for CSV
		case "windows-1252", "cp1252", "ansi":
			enc = charmap.Windows1252
		case "windows-1257", "cp1257":
			enc = charmap.Windows1257
		case "cp850", "ibm850":
			enc = charmap.CodePage850
		default:
			return m.errorAt(cp, fmt.Sprintf("code page %q is not one this program reads; expected iso-8859-15, iso-8859-1, windows-1252 or utf-8", name))
		}
		d := enc.NewDecoder()
		m.dec = func(b []byte) string {
			if isASCII(string(b)) {
				return string(b)
			}
			s, err := d.Bytes(b)
			if err != nil {
				return strings.ToValidUTF8(string(b), "\uFFFD")
			}
			return fixField(string(s))
		}
		return m.decodeAll()
	}
	valid := true
	for _, e := range m.entries {
		for _, it := range e.Items {
			valid = valid && utf8.Valid(it.raw)
		}
		for _, sub := range e.Key.Sub {
			valid = valid && utf8.ValidString(sub)
		}
	}
	if valid {
		m.dec = func(b []byte) string { return fixField(string(b)) }
	} else {
		d := charmap.Windows1252.NewDecoder()
		m.dec = func(b []byte) string { s, _ := d.Bytes(b); return fixField(string(s)) }
	}
	return m.decodeAll()
}

// decodeAll decodes the subkeys, now that the code page is known.
func (m *pxMeta) decodeAll() error {
	for i := range m.entries {
		for j, sub := range m.entries[i].Key.Sub {
			m.entries[i].Key.Sub[j] = strings.TrimSpace(m.dec([]byte(sub)))
		}
	}
	seen := map[string]*pxEntry{}
	for i := range m.entries {
		e := &m.entries[i]
		k := e.Key.String()
		if first, ok := seen[k]; ok {
			return m.errorAt(e, fmt.Sprintf("the keyword is given twice (first on row %d); expected it once", first.Line))
		}
		seen[k] = e
	}
	return nil
}

// lookup finds a keyword in the file's main language by its name and subkeys.
func (m *pxMeta) lookup(name string, sub ...string) (*pxEntry, bool) {
	for i := range m.entries {
		e := &m.entries[i]
		if e.Key.Name == name && e.Key.Lang == "" && slicesEqualFold(e.Key.Sub, sub) {
			return e, true
		}
	}
	return nil, false
}

func slicesEqualFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// texts returns the decoded, trimmed items of a keyword.
func (m *pxMeta) texts(e *pxEntry) []string {
	out := make([]string, len(e.Items))
	for i, it := range e.Items {
		out[i] = strings.TrimSpace(m.dec(it.raw))
	}
	return out
}

// errorAt is an *Error about a keyword, at the place it starts.
func (m *pxMeta) errorAt(e *pxEntry, msg string) *Error {
	return &Error{File: m.file, Row: e.Line, Column: e.Column, Msg: "keyword " + e.Key.String() + ": " + msg}
}

// itemError is an *Error about one item of a keyword's value.
func (m *pxMeta) itemError(e *pxEntry, i int, msg string) *Error {
	it := e.Items[i]
	return &Error{File: m.file, Row: it.line, Column: it.column, Msg: "keyword " + e.Key.String() + ": " + msg}
}

// pxData streams the values of the DATA keyword.
type pxData struct {
	s *pxScanner
}

// next returns the next value's text (the inside of a quoted value, or a bare number) and its
// place. At the closing ';' it returns io.EOF.
func (d *pxData) next(dst []byte) (val []byte, line, column int, err error) {
	s := d.s
	c, err := s.skipSpace()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, s.line, s.column, s.errorf(s.line, s.column, "DATA", "the file ends before the ';' that closes DATA; the file may be cut short")
		}
		return nil, 0, 0, s.ioErr(err, "DATA", "")
	}
	line, column = s.line, s.column
	switch c {
	case ';':
		s.next()
		return nil, line, column, io.EOF
	case ',':
		// Some writers separate values with commas too.
		s.next()
		return d.next(dst)
	case '"':
		s.next()
		raw, err := s.quoted("DATA")
		if err != nil {
			return nil, line, column, err
		}
		return append(dst[:0], raw...), line, column, nil
	}
	val = dst[:0]
	for {
		c, err := s.peek()
		if errors.Is(err, io.EOF) {
			return val, line, column, nil // the missing ';' is reported by the next call
		}
		if err != nil {
			return nil, 0, 0, s.ioErr(err, "DATA", "")
		}
		if isPXSpace(c) || c == ';' || c == ',' || c == '"' {
			return val, line, column, nil
		}
		s.next()
		if len(val) >= 64 {
			return nil, line, column, s.errorf(line, column, "DATA", "a value longer than 64 characters; expected numbers separated by spaces")
		}
		val = append(val, c)
	}
}

// end checks that nothing but white space follows DATA's ';'.
func (d *pxData) end() error {
	c, err := d.s.skipSpace()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return d.s.ioErr(err, "DATA", "")
	}
	if c == 0x1A { // a DOS end-of-file mark
		return nil
	}
	return d.s.errorf(d.s.line, d.s.column, "DATA", "%s after the ';' that ends DATA; expected DATA to be the last keyword and the end of the file", describeByte(c))
}
