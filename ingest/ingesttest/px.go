package ingesttest

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// swedish are the Swedish names of the 11re variables, for the [sv] keywords a StatFin file
// carries beside the Finnish ones.
var swedish = map[string]string{"Alue": "Område", "Ikä": "Ålder", "Sukupuoli": "Kön", "Vuosi": "År", "Tiedot": "Uppgifter"}

// PX writes the table as a PC-Axis file the way StatFin does: CRLF lines, the keywords in the
// main language and again with [sv], long lists broken over lines, a long string continued on
// the next line, TIMEVAL for the year, and DATA with one line per row. codepage is
// "iso-8859-15" (StatFin's) or "utf-8"; the text is encoded accordingly.
func (t *Table) PX(w io.Writer, codepage string) error {
	var enc func(string) (string, error)
	switch codepage {
	case "iso-8859-15":
		enc = charmap.ISO8859_15.NewEncoder().String
	case "utf-8":
		enc = func(s string) (string, error) { return s, nil }
	default:
		return fmt.Errorf("code page %q: expected iso-8859-15 or utf-8", codepage)
	}
	var b strings.Builder
	kw := func(key, value string) { fmt.Fprintf(&b, "%s=%s;\r\n", key, value) }
	kw("CHARSET", `"ANSI"`)
	kw("AXIS-VERSION", `"2013"`)
	kw("CODEPAGE", quote(codepage))
	kw("LANGUAGE", `"fi"`)
	kw("LANGUAGES", `"fi","sv"`)
	kw("DECIMALS", "0")
	kw("MATRIX", `"11re"`)
	// A long string continued on the next line, as StatFin writes NOTE.
	half := len(t.Title) / 2
	for half > 0 && !isStart(t.Title[half]) {
		half--
	}
	kw("DESCRIPTION", quote(t.Title[:half])+"\r\n"+quote(t.Title[half:]))
	kw("TITLE", quote(t.Title))
	kw("CONTENTS", `"Väestö 31.12."`)
	kw("UNITS", `"henkilöä"`)
	names := func(vs []Variable, sv bool) string {
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = quote(name(v.Name, sv))
		}
		return strings.Join(q, ",")
	}
	for _, sv := range []bool{false, true} {
		lang := ""
		if sv {
			lang = "[sv]"
		}
		kw("STUB"+lang, names(t.Stub, sv))
		kw("HEADING"+lang, names(t.Heading, sv))
	}
	all := append(append([]Variable{}, t.Stub...), t.Heading...)
	for _, v := range all {
		kw(fmt.Sprintf("VALUES(%s)", quote(v.Name)), list(v.Values))
		kw(fmt.Sprintf("VALUES[sv](%s)", quote(name(v.Name, true))), list(v.Values))
	}
	for _, v := range all {
		if v.Name == "Vuosi" {
			kw(fmt.Sprintf("TIMEVAL(%s)", quote(v.Name)), "TLIST(A1),"+list(v.Values))
		}
		if v.Codes != nil {
			kw(fmt.Sprintf("CODES(%s)", quote(v.Name)), list(v.Codes))
		}
	}
	kw("SOURCE", `"Tilastokeskus, väestörakenne"`)
	head, err := enc(b.String())
	if err != nil {
		return fmt.Errorf("encode the keywords as %s: %w", codepage, err)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(head)
	bw.WriteString("DATA=\r\n")
	for r := 0; r < t.Rows(); r++ {
		for c := 0; c < t.Columns(); c++ {
			v := t.Value(r, c)
			if strings.Trim(v, "-.") == "" {
				v = quote(v) // PC-Axis quotes the "-" and dots
			}
			if c > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(v)
		}
		if r == t.Rows()-1 {
			bw.WriteByte(';')
		}
		bw.WriteString("\r\n")
	}
	return bw.Flush()
}

func isStart(c byte) bool { return c < 0x80 || c >= 0xC0 }

func name(n string, sv bool) string {
	if s, ok := swedish[n]; ok && sv {
		return s
	}
	return n
}

// list quotes values and breaks the line after every eighth, as StatFin does.
func list(values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
			if i%8 == 0 {
				b.WriteString("\r\n")
			}
		}
		b.WriteString(quote(v))
	}
	return b.String()
}
