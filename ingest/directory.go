package ingest

import (
	"github.com/kuntalasku/kuntalasku/compute"
)

// Municipality is a payer as activity logs may name it: its 3-digit code and its Finnish and
// Swedish names.
type Municipality struct {
	Code, Name, NameSV string
}

// Directory tells whom an activity log's municipality cell means: a payer, another
// municipality (one the population file has, such as Uusikaupunki: a non-participant), or
// nobody known.
type Directory struct {
	byCode map[string]int // payers, and others as compute.NonParticipant
	byName map[string]int
	pop    *Population
	cache  map[string]int
}

// NewDirectory makes a directory of payers, in the order their indexes count, of other
// municipalities known not to be payers (named in the configuration), and of the other areas
// of pop (which may be nil; a population file usually names areas without codes).
func NewDirectory(payers, others []Municipality, pop *Population) *Directory {
	d := &Directory{byCode: map[string]int{}, byName: map[string]int{}, pop: pop, cache: map[string]int{}}
	add := func(m Municipality, to int) {
		if c := trimCode(m.Code); c != "" {
			d.byCode[c] = to
		}
		for _, n := range []string{m.Name, m.NameSV} {
			if k := nameKey(n); k != "" {
				d.byName[k] = to
			}
		}
	}
	for _, m := range others {
		add(m, compute.NonParticipant)
	}
	for i, p := range payers {
		add(p, i)
	}
	return d
}

// Resolve returns the index of the payer s names — by code ("853", "KU853", "KU853 Turku") or
// by Finnish or Swedish name in any case — or compute.NonParticipant for one of the others or
// another area of the population file, or compute.Unknown for an empty cell, the whole
// country, or a name or code nobody knows.
func (d *Directory) Resolve(s string) int {
	if to, ok := d.cache[s]; ok {
		return to
	}
	to := d.resolve(s)
	if len(d.cache) < 10000 { // the cells of a log repeat a few hundred names
		d.cache[s] = to
	}
	return to
}

func (d *Directory) resolve(s string) int {
	a := newArea(cleanField(s), "", 0)
	switch {
	case a.Label == "" || a.Code == "SSS":
		return compute.Unknown
	case a.Code != "":
		if i, ok := d.byCode[a.Code]; ok {
			return i
		}
	}
	if i, ok := d.byName[a.key]; ok && a.key != "" {
		return i
	}
	if d.pop != nil {
		if area := d.pop.Find(a.Code, a.Name); area != nil && area.Code != "SSS" {
			return compute.NonParticipant
		}
	}
	return compute.Unknown
}
