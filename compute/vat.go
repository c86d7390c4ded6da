package compute

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// VATRow is the VAT of one rate on an invoice: the sum of the net amounts at
// that rate and the tax on it.
type VATRow struct {
	Rate decimal.Decimal // percent: 0, 10, 13.5, 25.5
	Base Money
	VAT  Money
}

// VATBreakdown computes the VAT of an invoice per rate (SPEC 4.4): the net
// amounts of the lines at each rate are summed and the tax on the sum is
// rounded half up to the cent, so that the rows add up to the invoice's VAT.
// Rows are in descending order of rate. rates[i] is the rate of nets[i].
func VATBreakdown(nets []Money, rates []decimal.Decimal) ([]VATRow, error) {
	if len(nets) != len(rates) {
		return nil, fmt.Errorf("VAT breakdown: %d amounts for %d rates", len(nets), len(rates))
	}
	byRate := map[string]*VATRow{}
	var rows []*VATRow
	for i, n := range nets {
		r := rates[i]
		if r.IsNegative() || r.GreaterThan(decimal.NewFromInt(100)) {
			return nil, fmt.Errorf("VAT rate %s %%: expected 0 to 100", r)
		}
		k := r.String()
		row := byRate[k]
		if row == nil {
			row = &VATRow{Rate: r}
			byRate[k] = row
			rows = append(rows, row)
		}
		row.Base += n
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Rate.GreaterThan(rows[j].Rate) })
	out := make([]VATRow, len(rows))
	for i, r := range rows {
		vat, err := RoundHalfUp(r.Base.Decimal().Mul(r.Rate).Div(decimal.NewFromInt(100)))
		if err != nil {
			return nil, fmt.Errorf("VAT at %s %%: %w", r.Rate, err)
		}
		r.VAT = vat
		out[i] = *r
	}
	return out, nil
}
