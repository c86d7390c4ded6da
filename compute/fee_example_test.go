package compute_test

import (
	"fmt"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

func ExampleInstalments() {
	// A contract from 15.6.2023, billed quarterly: 7 months of 0,058 € × 12 345.
	start := compute.Date{Year: 2023, Month: 6, Day: 15}
	months, _ := compute.BilledMonths(2023, start, compute.Date{})
	fee, _ := compute.YearFee(decimal.RequireFromString("0.058"), 12345, len(months))
	ins, _ := compute.Instalments(fee, months, compute.Quarterly, 2023)
	fmt.Println("year fee", fee)
	for _, in := range ins {
		fmt.Println(in.Cycle.ID, len(in.Months), "months", in.Fee)
	}
	// Output:
	// year fee 417.67
	// 2023-Q2 1 months 59.67
	// 2023-Q3 3 months 179.01
	// 2023-Q4 3 months 178.99
}

func ExampleSplitSurplus() {
	parts, _ := compute.SplitSurplus(compute.Euros(1000), []compute.Money{3810136, 1166838, 41767})
	fmt.Println(parts)
	// Output: [759.18 232.50 8.32]
}
