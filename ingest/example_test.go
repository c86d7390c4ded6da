package ingest_test

import (
	"fmt"
	"strings"

	"github.com/kuntalasku/kuntalasku/ingest"
)

func ExampleReadPopulationCSV() {
	const export = `"11re -- Väestö iän ja sukupuolen mukaan alueittain, 2019"

"Alue";"Ikä";"Yhteensä 2019 Väestö 31.12.";"Miehet 2019 Väestö 31.12.";"Naiset 2019 Väestö 31.12."
"Aura";"Yhteensä";100;48;52
"Aura";"0-74";80;40;40
"Aura";"75-84";15;6;9
"Aura";"85 -";5;2;3
`
	p, err := ingest.ReadPopulationCSV(strings.NewReader(export), "11re.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	aura := p.Find("", "Aura")
	total, err := aura.Total(2019)
	if err != nil {
		fmt.Println(err)
		return
	}
	old, err := aura.AtLeast(2019, 75)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s 2019: %d residents, %d aged 75 or over\n", aura.Name, total, old)

	_, err = aura.AtLeast(2019, 80)
	fmt.Println(err)
	// Output:
	// Aura 2019: 100 residents, 20 aged 75 or over
	// 11re.csv: row 6: area "Aura": 2019: age group 75-84 straddles the limit 80; ages 80 and over need groups that start at 80 or above
}
