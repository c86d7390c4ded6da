package compute

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestVATBreakdown(t *testing.T) {
	d := decimal.RequireFromString
	rows, err := VATBreakdown(
		[]Money{1001, 1001, 183594, 2, -500},
		[]decimal.Decimal{d("25.5"), d("25.5"), d("0"), d("25.5"), d("0")})
	if err != nil {
		t.Fatal(err)
	}
	// 25,5 % of 20,04 is 5,1102 → 5,11 (on the sum: per line it would be 2,55 + 2,55 + 0,01).
	want := []VATRow{{d("25.5"), 2004, 511}, {d("0"), 183094, 0}}
	if len(rows) != len(want) {
		t.Fatalf("got %v", rows)
	}
	for i, r := range rows {
		if !r.Rate.Equal(want[i].Rate) || r.Base != want[i].Base || r.VAT != want[i].VAT {
			t.Errorf("row %d: got %v %s %s, want %v %s %s", i, r.Rate, r.Base, r.VAT, want[i].Rate, want[i].Base, want[i].VAT)
		}
	}
	// Half up, away from zero on credit notes: 25,5 % of 0,10 is 0,0255 → 0,03.
	rows, _ = VATBreakdown([]Money{10, -10}, []decimal.Decimal{d("25.5"), d("24")})
	if rows[0].VAT != 3 || rows[1].VAT != -2 {
		t.Errorf("got %v", rows)
	}
	if _, err := VATBreakdown([]Money{1}, []decimal.Decimal{d("-1")}); err == nil {
		t.Error("a negative rate was accepted")
	}
}
