package finvoice

import (
	"errors"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		credit bool
		edit   func(*Invoice)
		want   []string // substrings of the error
	}{
		{"buyer name 71 characters", false, func(inv *Invoice) { inv.Buyer.Name = strings.Repeat("Ä", 71) },
			[]string{`buyer name "ÄÄÄ`, "is 71 characters; Finvoice allows at most 70"}},
		{"buyer name 1 character", false, func(inv *Invoice) { inv.Buyer.Name = "A" },
			[]string{`buyer name "A" is 1 character; Finvoice requires at least 2`}},
		{"seller name empty", false, func(inv *Invoice) { inv.Seller.Name = "" },
			[]string{"seller name is empty; Finvoice requires at least 2 characters"}},
		{"buyer street 36 characters", false, func(inv *Invoice) { inv.Buyer.Street = strings.Repeat("k", 36) },
			[]string{"buyer street", "is 36 characters; Finvoice allows at most 35"}},
		{"unit too long", false, func(inv *Invoice) { inv.Buyer.Unit = strings.Repeat("yksikkö ", 10) },
			[]string{"buyer unit", "Finvoice allows at most 2 × 35"}},
		{"bad buyer business ID", false, func(inv *Invoice) { inv.Buyer.BusinessID = "1234567-8" },
			[]string{"buyer business ID", `"1234567-8"`, "wrong check digit"}},
		{"seller business ID missing", false, func(inv *Invoice) { inv.Seller.BusinessID, inv.Seller.VATNumber = "", "" },
			[]string{"seller business ID is empty"}},
		{"VAT number of another ID", false, func(inv *Invoice) { inv.Seller.VATNumber = "FI15728600" },
			[]string{`seller VAT number "FI15728600" does not match the business ID 2617416-4 (expected FI26174164)`}},
		{"bad OVT", false, func(inv *Invoice) { inv.Buyer.EInvoiceAddress = "003715728601" },
			[]string{"buyer e-invoice address", `"003715728601"`, "not a valid business ID"}},
		{"address without operator", false, func(inv *Invoice) { inv.Buyer.Operator = "" },
			[]string{"buyer e-invoice operator is empty"}},
		{"bad IBAN", false, func(inv *Invoice) { inv.IBAN = "FI2112345600000786" },
			[]string{"seller IBAN", `"FI2112345600000786"`, "wrong check"}},
		{"bad BIC", false, func(inv *Invoice) { inv.BIC = "NDEA" },
			[]string{`seller BIC "NDEA": expected 8 or 11`}},
		{"bad reference", false, func(inv *Invoice) { inv.Reference = "1234567" },
			[]string{"reference:", "wrong check digit"}},
		{"number 21 characters", false, func(inv *Invoice) { inv.Number = "VSA-2021-000000000001" },
			[]string{`invoice number "VSA-2021-000000000001" is 21 characters; Finvoice allows at most 20`}},
		{"quantity × price ≠ net", false, func(inv *Invoice) { inv.Lines[1].Net++ },
			[]string{"line 2: quantity 1 × unit price 2896.43 is 2896.43, not the net 2896.44"}},
		{"net not the lines' sum", false, func(inv *Invoice) { inv.Net++; inv.Total++ },
			[]string{"net 9853.84 is not the sum of the lines' nets 9853.83"}},
		{"total ≠ net + VAT", false, func(inv *Invoice) { inv.Total = 100 },
			[]string{"total 1.00 is not net 9853.83 + VAT 0.00 = 9853.83"}},
		{"VAT row base", false, func(inv *Invoice) { inv.VATRows[0].Base = 100 },
			[]string{"VAT row 1 (0 %): base 1.00 is not the sum 9853.83 of the lines at that rate", "VAT rows' bases sum to 1.00, not the net 9853.83"}},
		{"VAT row missing", false, func(inv *Invoice) { inv.VATRows = nil },
			[]string{"line 1: no VAT row for its rate 0 %", "VAT rows' bases sum to 0.00"}},
		{"VAT row's VAT", false, func(inv *Invoice) {
			inv.Lines[0].VATRate = decimal.RequireFromString("25.5")
			inv.VATRows = []compute.VATRow{{Rate: decimal.RequireFromString("25.5"), Base: 695740, VAT: 177413}, {Rate: decimal.Zero, Base: 289643}}
			inv.VAT = 177413
			inv.Total = inv.Net + inv.VAT
		}, []string{"VAT row 1 (25.5 %): VAT 1774.13 is not 25.5 % of 6957.40 rounded half up, 1774.14"}},
		{"negative unit price", false, func(inv *Invoice) {
			inv.Lines[0].UnitPrice, inv.Lines[0].Quantity = -695740, decimal.NewFromInt(-1)
		}, []string{"line 1 unit price -6957.40 is negative"}},
		{"unknown unit", false, func(inv *Invoice) { inv.Lines[0].Unit = "kpl" },
			[]string{`line 1 unit "kpl": expected "lot" or "hour"`}},
		{"description 101 characters", false, func(inv *Invoice) { inv.Lines[0].Description = strings.Repeat("x", 101) },
			[]string{"line 1 description", "is 101 characters; Finvoice allows at most 100"}},
		{"no lines", false, func(inv *Invoice) { inv.Lines = nil },
			[]string{"no lines; Finvoice requires at least one InvoiceRow"}},
		{"wrong barcode", false, func(inv *Invoice) { inv.VirtualBarcode = "4" + inv.VirtualBarcode[1:53] + "9" },
			[]string{"virtual barcode", "does not match the IBAN, total 9853.83"}},
		{"short barcode", false, func(inv *Invoice) { inv.VirtualBarcode = "4211" },
			[]string{`virtual barcode "4211": expected 54 digits`}},
		{"no due date", false, func(inv *Invoice) { inv.DueDate = compute.Date{} },
			[]string{"due date is not set"}},
		{"unknown language", false, func(inv *Invoice) { inv.Lang = "de" },
			[]string{`no texts for language "de"`}},
		{"credit without original", true, func(inv *Invoice) { inv.OriginalNumber, inv.OriginalDate = "", compute.Date{} },
			[]string{"original invoice number is empty", "original invoice date is not set"}},
		{"credit with due date", true, func(inv *Invoice) { inv.DueDate = inv.IssueDate },
			[]string{"due date 2021-02-20 is set on a credit note"}},
		{"credit with positive total", true, func(inv *Invoice) {
			for i := range inv.Lines {
				inv.Lines[i].Quantity, inv.Lines[i].Net = decimal.NewFromInt(1), -inv.Lines[i].Net
			}
			inv.Net, inv.Total, inv.VATRows[0].Base = -inv.Net, -inv.Total, -inv.VATRows[0].Base
		}, []string{"total 9853.83 is positive on a credit note"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := testInvoice(t, "fi")
			if tt.credit {
				inv = testCredit(t, "fi")
			}
			if err := Check(inv); err != nil {
				t.Fatalf("before the edit: %v", err)
			}
			tt.edit(inv)
			err := Check(inv)
			if err == nil {
				t.Fatal("Check found nothing")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if _, merr := Marshal(inv); merr == nil {
				t.Error("Marshal wrote a message that Check refuses")
			}
		})
	}
}

// TestCheckReportsAll reports several problems at once, one per line.
func TestCheckReportsAll(t *testing.T) {
	inv := testInvoice(t, "fi")
	inv.Buyer.Name = strings.Repeat("n", 71)
	inv.Buyer.BusinessID = "0100007-1"
	inv.Seller.EInvoiceAddress = "0037123"
	inv.IBAN = "FI00"
	inv.Lines[0].Net = 1
	inv.Total = 7
	err := Check(inv)
	if err == nil {
		t.Fatal("Check found nothing")
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatalf("error is not joined: %T", err)
	}
	for _, w := range []string{"buyer name", "buyer business ID", "seller e-invoice address", "seller IBAN", "line 1: quantity", "total 0.07 is not net"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q", w)
		}
	}
	if n := len(joined.Unwrap()); n < 6 {
		t.Errorf("%d problems reported, want at least 6:\n%v", n, err)
	}
}

// TestCheckPlaceholderNumber lets a caller check an invoice before its
// number is assigned.
func TestCheckPlaceholderNumber(t *testing.T) {
	inv := testInvoice(t, "sv")
	inv.Number = "VSA-2021-??????"
	if err := Check(inv); err != nil {
		t.Error(err)
	}
}
