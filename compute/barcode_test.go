package compute

import (
	"strings"
	"testing"
	"time"
)

// The six examples of the official guide (Pankkiviivakoodi-opas, corrected
// 21.10.2019) as given in reference/finnish-payments.md. The version-5 rows
// are built from a national reference through Reference.RF, and rfWant is
// the RF reference the guide prints.
var barcodeGuide = []struct {
	name    string
	iban    string
	amount  Money
	ref     string // as printed: grouped national reference
	rf      bool
	rfWant  string
	due     Date
	want    string
	check   int // Code 128 check symbol, given for the version-4 rows
	hasSymb bool
}{
	{"v4 row 1", "FI79 4405 2020 0360 82", 488315, "86851 62596 19897", false, "", Date{2010, time.June, 12},
		"479440520200360820048831500000000868516259619897100612", 40, true},
	{"v4 row 2", "FI58 1017 1000 0001 22", 48299, "55958 22432 94671", false, "", Date{2012, time.January, 31},
		"458101710000001220004829900000000559582243294671120131", 55, true},
	{"v4 row 3", "FI02 5000 4640 0013 02", 69380, "69 87567 20834 35364", false, "", Date{2011, time.July, 24},
		"402500046400013020006938000000069875672083435364110724", 14, true},
	{"v5 row 1", "FI79 4405 2020 0360 82", 488315, "86851 62596 19897", true, "RF09 8685 1625 9619 897", Date{2010, time.June, 12},
		"579440520200360820048831509000000868516259619897100612", 0, false},
	{"v5 row 2", "FI58 1017 1000 0001 22", 48299, "55958 22432 94671", true, "RF06 5595 8224 3294 671", Date{2010, time.January, 31},
		"558101710000001220004829906000000559582243294671100131", 0, false},
	// The guide's third RF example is not the RF form of the third national
	// reference but of 6987 56720 839, itself a valid national reference.
	{"v5 row 3", "FI02 5000 4640 0013 02", 69380, "69875 67208 39", true, "RF61 6987 5672 0839", Date{2011, time.July, 24},
		"502500046400013020006938061000000000698756720839110724", 0, false},
}

func TestVirtualBarcodeGuide(t *testing.T) {
	for _, tt := range barcodeGuide {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := ParseReference(tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			if tt.rf {
				if got := FormatRF(ref.RF()); got != tt.rfWant {
					t.Fatalf("RF of %s = %q, want %q", tt.ref, got, tt.rfWant)
				}
			}
			got, err := VirtualBarcode(tt.iban, tt.amount, ref, tt.rf, tt.due)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("VirtualBarcode =\n%s, want\n%s", got, tt.want)
			}
			vals, err := Code128C(got)
			if err != nil {
				t.Fatal(err)
			}
			if len(vals) != 30 || vals[0] != 105 || vals[29] != 106 {
				t.Fatalf("Code128C: %d values, start %d, stop %d; want 30, 105, 106", len(vals), vals[0], vals[len(vals)-1])
			}
			// Read the digit pairs back rather than trusting the encoder.
			var back strings.Builder
			for _, v := range vals[1:28] {
				back.WriteByte(byte('0' + v/10))
				back.WriteByte(byte('0' + v%10))
			}
			if back.String() != got {
				t.Errorf("Code128C data symbols read back as %s, want %s", back.String(), got)
			}
			if tt.hasSymb && vals[28] != tt.check {
				t.Errorf("Code128C check symbol = %d, want %d", vals[28], tt.check)
			}
		})
	}
}

func TestVirtualBarcode(t *testing.T) {
	const iban = "FI79 4405 2020 0360 82"
	ref := Reference("868516259619897")
	due := Date{2010, time.June, 12}
	tests := []struct {
		name    string
		iban    string
		amount  Money
		ref     Reference
		rf      bool
		due     Date
		want    string
		wantErr string
	}{
		{"largest amount", iban, MaxBarcodeAmount, ref, false, due,
			"479440520200360829999999900000000868516259619897100612", ""},
		{"no amount: the payer enters it", iban, 0, ref, false, due,
			"479440520200360820000000000000000868516259619897100612", ""},
		{"no due date", iban, 488315, ref, false, Date{},
			"479440520200360820048831500000000868516259619897000000", ""},
		{"no due date, version 5", iban, 488315, ref, true, Date{},
			"579440520200360820048831509000000868516259619897000000", ""},
		{"IBAN without spaces, lower case", "fi7944052020036082", 488315, ref, false, due,
			"479440520200360820048831500000000868516259619897100612", ""},
		{"shortest reference", iban, 100, "11112", false, Date{2021, time.March, 1},
			"479440520200360820000010000000000000000000011112210301", ""},
		{"longest reference", iban, 100, "77584747906474893225", false, Date{2021, time.March, 1},
			"479440520200360820000010000077584747906474893225210301", ""},
		{"longest reference, version 5", iban, 100, "77584747906474893225", true, Date{2021, time.March, 1},
			"579440520200360820000010076077584747906474893225210301", ""},
		{"reference with leading zeros", iban, 488315, "000868516259619897", false, due,
			"479440520200360820048831500000000868516259619897100612", ""},

		{"one million euros", iban, MaxBarcodeAmount + 1, ref, false, due, "", "the most a bank barcode can carry"},
		{"negative amount", iban, -1, ref, false, due, "", "negative"},
		{"German IBAN", "DE89 3704 0044 0532 0130 00", 100, ref, false, due, "", "not a Finnish account"},
		{"Swedish IBAN", "SE45 5000 0000 0583 9825 7466", 100, ref, false, due, "", "not a Finnish account"},
		{"Åland IBAN", "AX79 4405 2020 0360 82", 100, ref, false, due, "", "not a Finnish account"},
		{"mistyped IBAN", "FI79 4405 2020 0360 83", 100, ref, false, due, "", "wrong check"},
		{"short IBAN", "FI79 4405 2020 0360 8", 100, ref, false, due, "", "IBAN"},
		{"no reference", iban, 100, "", false, due, "", "reference number is empty"},
		{"reference with a wrong check digit", iban, 100, "1071110", false, due, "", "wrong check digit"},
		{"reference too long", iban, 100, "775847479064748932250", false, due, "", "4 to 20 digits"},
		{"reference too long, version 5", iban, 100, "775847479064748932250", true, due, "", "4 to 20 digits"},
		{"reference with letters", iban, 100, "ABC123", true, due, "", "only digits"},
		{"due date that does not exist", iban, 100, ref, false, Date{2021, time.February, 30}, "", "not a date"},
		{"due date before 2000", iban, 100, ref, false, Date{1999, time.December, 31}, "", "2000 to 2099"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VirtualBarcode(tt.iban, tt.amount, tt.ref, tt.rf, tt.due)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("VirtualBarcode = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("VirtualBarcode =\n%s, want\n%s", got, tt.want)
			}
			if len(got) != 54 {
				t.Errorf("VirtualBarcode has %d digits, want 54", len(got))
			}
		})
	}
}

func TestCode128C(t *testing.T) {
	got, err := Code128C("0102")
	if err != nil {
		t.Fatal(err)
	}
	// (105 + 1·1 + 2·2) mod 103 = 7
	want := []int{105, 1, 2, 7, 106}
	if len(got) != len(want) {
		t.Fatalf("Code128C(0102) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Code128C(0102) = %v, want %v", got, want)
		}
	}
	for _, s := range []string{"", "123", "12a4", "12 34"} {
		if v, err := Code128C(s); err == nil {
			t.Errorf("Code128C(%q) = %v, want an error", s, v)
		}
	}
}
