package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// sniffSize is how much of a file is looked at to decide whether it is text and how it is
// encoded.
const sniffSize = 64 << 10

// textEncoding is how the bytes of a text file are read.
type textEncoding int

const (
	encASCII       textEncoding = iota // only ASCII seen in the first chunk: read as UTF-8
	encUTF8                            // valid UTF-8 with non-ASCII letters, no BOM
	encUTF8BOM                         // UTF-8 after a byte order mark
	encWindows1252                     // not UTF-8: ISO-8859-1 read as its superset Windows-1252
)

func (e textEncoding) String() string {
	switch e {
	case encASCII:
		return "ASCII"
	case encUTF8:
		return "UTF-8"
	case encUTF8BOM:
		return "UTF-8 with BOM"
	case encWindows1252:
		return "Windows-1252"
	}
	return fmt.Sprintf("textEncoding(%d)", int(e))
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// openText checks that r holds text and returns it as a stream of UTF-8 (BOM removed,
// Windows-1252 decoded). When the first chunk was pure ASCII, later bytes are passed through
// as they are: fixField repairs a field that is not valid UTF-8. Problems with the file are
// *Error naming name.
func openText(r io.Reader, name string) (io.Reader, textEncoding, error) {
	head, err := io.ReadAll(io.LimitReader(r, sniffSize)) // the first chunk only
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", name, err)
	}
	if msg := notText(head); msg != "" {
		return nil, 0, &Error{File: name, Msg: msg}
	}
	enc := detectEncoding(head, len(head) < sniffSize)
	text := io.MultiReader(bytes.NewReader(head), r)
	switch enc {
	case encUTF8BOM:
		text = io.MultiReader(bytes.NewReader(head[len(bomUTF8):]), r)
	case encWindows1252:
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	return text, enc, nil
}

// notText explains why head, the start of a file, is not a text file we read, or returns "".
func notText(head []byte) string {
	switch {
	case len(head) == 0:
		return "the file is empty; expected a CSV export with a header line"
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return "the file is UTF-16 text; save it as UTF-8 or ISO-8859-1 (Windows-1252) CSV"
	case bytes.IndexByte(head, 0) >= 0:
		return "not a text file: it contains NUL bytes; expected a CSV export (UTF-8 or ISO-8859-1)"
	}
	ctrl := 0
	for _, c := range head {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F {
			ctrl++
		}
	}
	// Text has next to no control characters; random or compressed bytes have about one in nine.
	if ctrl*50 > len(head) {
		return fmt.Sprintf("not a text file: %d of its first %d bytes are control characters; expected a CSV export (UTF-8 or ISO-8859-1)", ctrl, len(head))
	}
	return ""
}

// detectEncoding decides from the first bytes of a file how to read it: a BOM says UTF-8;
// otherwise valid UTF-8 with non-ASCII letters is UTF-8, invalid UTF-8 is Windows-1252, and
// pure ASCII stays undecided (encASCII, read as UTF-8). atEOF says head is the whole file; when
// it is not, a character cut at the end of head is not held against UTF-8.
func detectEncoding(head []byte, atEOF bool) textEncoding {
	if bytes.HasPrefix(head, bomUTF8) {
		return encUTF8BOM
	}
	if !atEOF {
		head = trimPartialRune(head)
	}
	ascii := true
	for _, c := range head {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	switch {
	case ascii:
		return encASCII
	case utf8.Valid(head):
		return encUTF8
	}
	return encWindows1252
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// fixField returns s as valid UTF-8 in NFC: a field that is not valid UTF-8 (a Windows-1252
// byte in a file whose start was ASCII) is decoded as Windows-1252, and decomposed letters
// (a Mac's "a" + combining diaeresis) are composed so names compare equal.
func fixField(s string) string {
	if !utf8.ValidString(s) {
		if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
			s = d
		} else {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	if isASCII(s) {
		return s
	}
	return norm.NFC.String(s)
}

// cleanField is fixField with surrounding white space removed.
func cleanField(s string) string {
	return strings.TrimSpace(fixField(s))
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
