package files

import "strings"

// Name makes a file name from parts, whatever they hold: each part is folded
// to lower-case ASCII letters, digits and hyphens ("Kemiönsaari" →
// "kemionsaari", "../S:t Karins" → "s-t-karins"), and the parts are joined
// with hyphens. The result never contains a path separator or starts with a
// dot, so it cannot leave the folder it is written in. Empty parts are left
// out; if nothing is left the name is "document".
func Name(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		part := fold(p)
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(part)
	}
	if b.Len() == 0 {
		return "document"
	}
	s := b.String()
	if len(s) > 120 {
		s = strings.TrimRight(s[:120], "-")
	}
	return s
}

// folds maps the letters of Finnish and Swedish names to ASCII.
var folds = map[rune]string{
	'å': "a", 'ä': "a", 'ö': "o", 'ü': "u", 'é': "e", 'è': "e", 'á': "a", 'à': "a",
	'š': "s", 'ž': "z", 'õ': "o", 'ø': "o", 'æ': "ae", 'ß': "ss",
}

// fold lower-cases s, maps letters to ASCII, and turns every run of other
// characters into one hyphen, trimmed at both ends.
func fold(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		var out string
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = string(r)
		case folds[r] != "":
			out = folds[r]
		default:
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(out)
	}
	return b.String()
}
