package main

import (
	"fmt"
	"io"

	"golang.org/x/text/encoding/charmap"
)

// municipality is one area: its Finnish name as Statistics Finland writes it
// and its residents aged 75 or over on 31.12.2019.
type municipality struct {
	code, name string
	aged75     int
}

// The decision's table (Uusikaupunki's figure is invented: it left the
// arrangement and is in the file only as a non-participant).
var municipalities = []municipality{
	{"019", "Aura", 300}, {"202", "Kaarina", 2916}, {"322", "Kemiönsaari", 984},
	{"284", "Koski Tl", 399}, {"304", "Kustavi", 144}, {"400", "Laitila", 947},
	{"423", "Lieto", 1571}, {"430", "Loimaa", 2147}, {"480", "Marttila", 234},
	{"481", "Masku", 691}, {"503", "Mynämäki", 883}, {"529", "Naantali", 1952},
	{"538", "Nousiainen", 381}, {"561", "Oripää", 172}, {"577", "Paimio", 966},
	{"445", "Parainen", 1743}, {"631", "Pyhäranta", 233}, {"636", "Pöytyä", 900},
	{"680", "Raisio", 2376}, {"704", "Rusko", 475}, {"734", "Salo", 6058},
	{"738", "Sauvo", 291}, {"761", "Somero", 1341}, {"833", "Taivassalo", 246},
	{"853", "Turku", 17865}, {"895", "Uusikaupunki", 1811}, {"918", "Vehmaa", 290},
}

var years = []int{2019, 2020}

// ages is one area's population by single age 0…100 (100 = "100 -") and sex.
type ages struct{ men, women [101]int }

// spread splits n into len(w) whole parts proportional to the weights w by
// cumulative rounding, so that the parts sum to n exactly.
func spread(n int, w []int) []int {
	total := 0
	for _, x := range w {
		total += x
	}
	out := make([]int, len(w))
	cum, prev := 0, 0
	for i, x := range w {
		cum += x
		next := n * cum / total
		out[i] = next - prev
		prev = next
	}
	return out
}

// populationOf invents an area's ages for a year: the old (75+) follow a
// declining curve and sum to aged75; the young are about nine times as many,
// nearly flat with a little variation from the code and the age.
func populationOf(m municipality, year int) ages {
	aged := m.aged75
	if year == 2020 {
		aged += aged * 3 / 100 // the old grow by about 3 % a year
	}
	old := make([]int, 26) // 75…100
	for i := range old {
		old[i] = 1000 * (26 - i) * (26 - i) / 26
	}
	young := make([]int, 75)
	code := 0
	fmt.Sscan(m.code, &code)
	for a := range young {
		young[a] = 100 + (code*31+a*17+year)%23
	}
	var out ages
	counts := append(spread(aged*9, young), spread(aged, old)...)
	for a, n := range counts {
		// Women outnumber men more the older the age group.
		menPct := 51
		if a >= 60 {
			menPct = 51 - (a-60)*2/3
		}
		out.men[a] = n * menPct / 100
		out.women[a] = n - out.men[a]
	}
	return out
}

func writePopulation(w io.Writer) error {
	enc := charmap.ISO8859_1.NewEncoder().Writer(w)
	var err error
	line := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(enc, format+"\r\n", args...)
		}
	}
	line(`"11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 2019-2020 (SYNTEETTINEN ESIMERKKI: 75 vuotta täyttäneet 2019 kuten päätöksessä, muut luvut keksittyjä)"`)
	line("")
	header := `"Alue";"Ikä"`
	for _, sex := range []string{"Yhteensä", "Miehet", "Naiset"} {
		for _, y := range years {
			header += fmt.Sprintf(`;"%s %d Väestö 31.12."`, sex, y)
		}
	}
	line("%s", header)
	for _, m := range municipalities {
		byYear := make([]ages, len(years))
		for i, y := range years {
			byYear[i] = populationOf(m, y)
		}
		row := func(label string, men, women func(ages) int) {
			s := fmt.Sprintf(`"%s";"%s"`, m.name, label)
			for _, a := range byYear {
				s += fmt.Sprintf(";%d", men(a)+women(a))
			}
			for _, a := range byYear {
				s += fmt.Sprintf(";%d", men(a))
			}
			for _, a := range byYear {
				s += fmt.Sprintf(";%d", women(a))
			}
			line("%s", s)
		}
		sum := func(v [101]int) int {
			t := 0
			for _, n := range v {
				t += n
			}
			return t
		}
		row("Yhteensä", func(a ages) int { return sum(a.men) }, func(a ages) int { return sum(a.women) })
		for age := 0; age <= 100; age++ {
			label := fmt.Sprint(age)
			if age == 100 {
				label = "100 -"
			}
			row(label, func(a ages) int { return a.men[age] }, func(a ages) int { return a.women[age] })
		}
	}
	return err
}
