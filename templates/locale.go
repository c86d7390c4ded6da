package templates

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/BurntSushi/toml"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Languages are the languages documents can be written in.
var Languages = []string{"fi", "sv", "en"}

// Locale is one language's texts and number formats.
type Locale struct {
	Lang  string
	texts map[string]*template.Template
}

var loadLocales = sync.OnceValues(func() (map[string]*Locale, error) {
	out := map[string]*Locale{}
	var keys []string
	for _, lang := range Languages {
		l, err := parseLocale(lang)
		if err != nil {
			return nil, err
		}
		ks := slices.Sorted(func(yield func(string) bool) {
			for k := range l.texts {
				if !yield(k) {
					return
				}
			}
		})
		if keys == nil {
			keys = ks
		} else if missing := diff(keys, ks); len(missing) > 0 {
			return nil, fmt.Errorf("locale %s lacks %s", lang, strings.Join(missing, ", "))
		} else if extra := diff(ks, keys); len(extra) > 0 {
			return nil, fmt.Errorf("locale %s has %s, which %s lacks", lang, strings.Join(extra, ", "), Languages[0])
		}
		out[lang] = l
	}
	return out, nil
})

func parseLocale(lang string) (*Locale, error) {
	file := path.Join("locales", lang+".toml")
	data, err := localeFiles.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var raw map[string]string
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	l := &Locale{Lang: lang, texts: map[string]*template.Template{}}
	for k, v := range raw {
		t, err := template.New(k).Option("missingkey=error").Parse(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", file, k, err)
		}
		l.texts[k] = t
	}
	return l, nil
}

// diff returns the keys of a that are not in b (both sorted).
func diff(a, b []string) []string {
	var out []string
	for _, k := range a {
		if _, ok := slices.BinarySearch(b, k); !ok {
			out = append(out, k)
		}
	}
	return out
}

// Lookup returns the locale of a language: "fi", "sv" or "en".
func Lookup(lang string) (*Locale, error) {
	all, err := loadLocales()
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	l, ok := all[lang]
	if !ok {
		return nil, fmt.Errorf("templates: no texts for language %q (have fi, sv, en)", lang)
	}
	return l, nil
}

// Text renders the text key with data (a map or a struct; nil for texts
// without values). A missing key or value is an error, never an empty text.
func (l *Locale) Text(key string, data any) (string, error) {
	t, ok := l.texts[key]
	if !ok {
		return "", fmt.Errorf("templates: %s has no text %q", l.Lang, key)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("templates: %s: %w", l.Lang, err)
	}
	return b.String(), nil
}

// Texts renders many texts and remembers the first error, so that a layout
// can ask for its texts one after another and check once.
type Texts struct {
	l   *Locale
	err error
}

// Texts starts a batch of lookups in l.
func (l *Locale) Texts() *Texts { return &Texts{l: l} }

// T renders key with data; after an error it returns "" and keeps the error.
func (t *Texts) T(key string, data any) string {
	if t.err != nil {
		return ""
	}
	s, err := t.l.Text(key, data)
	if err != nil {
		t.err = err
	}
	return s
}

// Err is the first error of the batch.
func (t *Texts) Err() error { return t.err }
