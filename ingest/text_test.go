package ingest

import (
	"io"
	"strings"
	"testing"
)

func TestDetectEncoding(t *testing.T) {
	for _, tc := range []struct {
		name  string
		head  string
		atEOF bool
		want  textEncoding
	}{
		{name: "ascii", head: "\"Alue\";\"Age\"\r\n", atEOF: true, want: encASCII},
		{name: "utf-8", head: "\"Alue\";\"Ikä\"\n", atEOF: true, want: encUTF8},
		{name: "utf-8 bom", head: "\xef\xbb\xbf\"Alue\"", atEOF: true, want: encUTF8BOM},
		{name: "latin-1 ä", head: "\"Alue\";\"Ik\xe4\"\n", atEOF: true, want: encWindows1252},
		{name: "windows-1252 euro", head: "\x80 100", atEOF: true, want: encWindows1252},
		{name: "utf-8 cut at the end of the chunk", head: "\"Ikä\";\"Pöyty\xc3", atEOF: false, want: encUTF8},
		{name: "utf-8 cut at the end of the file", head: "\"Ikä\";\"Pöyty\xc3", atEOF: true, want: encWindows1252},
		{name: "latin-1 at the end of the chunk", head: "\"Ik\xe4", atEOF: false, want: encASCII},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := detectEncoding([]byte(tc.head), tc.atEOF); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNotText(t *testing.T) {
	for _, tc := range []struct {
		name string
		head string
		want string // a part of the reason; "" for text
	}{
		{name: "csv", head: "\"Alue\";\"Ikä\"\r\n\"Aura\";1\r\n", want: ""},
		{name: "tabs and form feed", head: "a\tb\fc\r\n", want: ""},
		{name: "latin-1", head: "\"Ik\xe4\"", want: ""},
		{name: "empty", head: "", want: "empty"},
		{name: "nul", head: "abc\x00def", want: "NUL bytes"},
		{name: "utf-16 le", head: "\xff\xfeA\x00", want: "UTF-16"},
		{name: "utf-16 be", head: "\xfe\xff\x00A", want: "UTF-16"},
		{name: "control characters", head: strings.Repeat("\x01\x02abcdefgh", 10), want: "control characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := notText([]byte(tc.head))
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFixField(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{name: "ascii", in: "Aura", want: "Aura"},
		{name: "utf-8", in: "Pöytyä", want: "Pöytyä"},
		{name: "windows-1252", in: "P\xf6yty\xe4", want: "Pöytyä"},
		{name: "decomposed", in: "Po\u0308ytya\u0308", want: "Pöytyä"},
		{name: "undefined windows-1252 byte", in: "a\x81b", want: "a\ufffdb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fixField(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOpenText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    string
		wantEnc textEncoding
	}{
		{name: "bom removed", in: "\xef\xbb\xbfIkä", want: "Ikä", wantEnc: encUTF8BOM},
		{name: "latin-1 decoded", in: "Ik\xe4 \x80", want: "Ikä €", wantEnc: encWindows1252},
		{name: "utf-8 as is", in: "Ikä", want: "Ikä", wantEnc: encUTF8},
		{name: "longer than the sniffed chunk", in: strings.Repeat("a", sniffSize) + "\xe4", want: strings.Repeat("a", sniffSize) + "\xe4", wantEnc: encASCII},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, enc, err := openText(strings.NewReader(tc.in), "test.csv")
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want || enc != tc.wantEnc {
				t.Errorf("got %q as %v, want %q as %v", b, enc, tc.want, tc.wantEnc)
			}
		})
	}
}
