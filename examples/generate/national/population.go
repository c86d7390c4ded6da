package national

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/xuri/excelize/v2"
)

// sizes draws the municipalities' populations, log-uniformly from 512 to
// 131 071: most are small, a few are towns.
type sizes struct{ rng *rand.Rand }

func newSizes() sizes { return sizes{rand.New(rand.NewPCG(2019, 11))} }

func (s sizes) next() int {
	e := 9 + s.rng.IntN(8)
	return 1<<e + s.rng.IntN(1<<e)
}

// ages splits a population of n by single age and sex: about 10 % aged 75
// or over on a declining curve, the young nearly flat with a little
// variation from the seed and the age, women outnumbering men more the
// older the age. It uses integers only, so every machine gets the same.
func ages(n, seed int) (men, women [101]int) {
	weights := make([]int, 101)
	for a := range 75 {
		weights[a] = 10000 + (seed*31+a*17)%23*100
	}
	for i := range 26 { // 75…100: their weights sum to about 92 500
		weights[75+i] = 92500 * (26 - i) * (26 - i) / 6201
	}
	for a, k := range spread(n, weights) {
		menPct := 51
		if a >= 60 {
			menPct = 51 - (a-60)*2/3
		}
		men[a] = k * menPct / 100
		women[a] = k - men[a]
	}
	return men, women
}

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

// ageLabel is an age as table 11re labels it.
func ageLabel(a int) string {
	if a == 100 {
		return "100 -"
	}
	return fmt.Sprint(a)
}

// writePopulation writes the municipalities' population on 31.12. of year
// as PxWeb's "Excel (xlsx)" export of table 11re: the title in A1, an empty
// row, the heading rows sex, year and information over the value columns,
// then for the whole country ("KOKO MAA") and each municipality ("KU001
// Kunta 001") the total row "Yhteensä" and the single ages 0…99 and
// "100 -", the area label on its first row only, then an empty row and
// footnotes. It streams the sheet, so a thousand municipalities take
// moments.
func writePopulation(w io.Writer, munis []Municipality, year int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := 0
	put := func(cells ...any) error {
		row++
		if len(cells) == 0 {
			return nil
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	}
	info := "Väestö 31.12."
	for _, cells := range [][]any{
		{fmt.Sprintf("11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, %d (SYNTEETTINEN: %d keksittyä kuntaa)", year, len(munis))},
		{},
		{nil, nil, "Yhteensä", "Miehet", "Naiset"},
		{nil, nil, year, year, year},
		{nil, nil, info, info, info},
	} {
		if err := put(cells...); err != nil {
			return err
		}
	}
	var country Municipality
	for _, m := range munis {
		for a := range 101 {
			country.Men[a] += m.Men[a]
			country.Women[a] += m.Women[a]
		}
	}
	area := func(label string, m *Municipality) error {
		men, women := 0, 0
		for a := range 101 {
			men += m.Men[a]
			women += m.Women[a]
		}
		if err := put(label, "Yhteensä", men+women, men, women); err != nil {
			return err
		}
		for a := range 101 {
			if err := put(nil, ageLabel(a), m.Men[a]+m.Women[a], m.Men[a], m.Women[a]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := area("KOKO MAA", &country); err != nil {
		return err
	}
	for i := range munis {
		m := &munis[i]
		if err := area("KU"+m.Code+" "+m.Name, m); err != nil {
			return err
		}
	}
	row++ // an empty row
	for _, note := range []string{
		"Lähde: SYNTEETTINEN AINEISTO, kuntalasku examples/generate national; ei Tilastokeskuksen lukuja",
		fmt.Sprintf("Väestö 31.12.%d", year),
	} {
		if err := put(note); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
