package compute_test

import (
	"fmt"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

func ExampleApportion() {
	parts, _ := compute.Apportion(compute.Cents(100), []int64{1, 1, 1})
	fmt.Println(parts)
	// Output: [0.34 0.33 0.33]
}

func ExampleAllocate() {
	budget, _ := compute.SplitComponents(compute.Euros(1000), decimal.NewFromInt(70))
	a, _ := compute.Allocate(budget, []compute.Share{
		{Payer: compute.Payer{ID: "019", Name: "Aura"}, Population: 300, Activities: 40},
		{Payer: compute.Payer{ID: "853", Name: "Turku"}, Population: 17865, Activities: 420},
	})
	for _, l := range a.Lines {
		fmt.Println(l.Payer.Name, l.PopulationAmount, l.ActivityAmount, l.Total)
	}
	// Output:
	// Aura 11.56 26.09 37.65
	// Turku 688.44 273.91 962.35
}
