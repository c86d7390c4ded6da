package compute

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The vectors are those of reference/finnish-payments.md.

func TestParseReference(t *testing.T) {
	tests := []struct {
		name, in string
		want     Reference
		wantErr  string
	}{
		{"7 digits", "1234561", "1234561", ""},
		{"grouped", "12 34561", "1234561", ""},
		{"10 digits", "1511890656", "1511890656", ""},
		{"15 digits", "559582243294671", "559582243294671", ""},
		{"15 digits grouped", "86851 62596 19897", "868516259619897", ""},
		{"16 digits", "3222190631525115", "3222190631525115", ""},
		{"20 digits", "77584747906474893225", "77584747906474893225", ""},
		{"6 digits", "868624", "868624", ""},
		{"7 digits again", "1357914", "1357914", ""},
		{"9 digits", "590738390", "590738390", ""},
		{"7 digits, check 6", "7777776", "7777776", ""},
		{"5 digits", "11112", "11112", ""},
		{"17 digits grouped", "69 87567 20834 35364", "69875672083435364", ""},
		{"tabs and non-breaking spaces", "12\u00a034561\t", "1234561", ""},
		{"leading zeros dropped", "01030100067175800018", "1030100067175800018", ""},
		{"zero-padded as in the barcode", "00000868516259619897", "868516259619897", ""},

		{"wrong check 1071110", "1071110", "", "wrong check digit"},
		{"wrong check 1055110", "1055110", "", "wrong check digit"},
		{"wrong check 1026110", "1026110", "", "wrong check digit"},
		{"wrong check 1039110", "1039110", "", "wrong check digit"},
		{"wrong check 1084110", "1084110", "", "wrong check digit"},
		{"too short", "123", "", "4 to 20 digits"},
		{"too short after zeros", "0000123", "", "4 to 20 digits"},
		{"too long", "775847479064748932250", "", "4 to 20 digits"},
		{"only zeros", "0000", "", "4 to 20 digits"},
		{"letters", "12345a1", "", "only digits"},
		{"hyphen", "12-34561", "", "only digits"},
		{"RF reference", "RF34 1234561", "", "RF creditor reference"},
		{"empty", "", "", "empty"},
		{"blank", "   ", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseReference(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseReference(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseReference(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseReference(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewReference(t *testing.T) {
	tests := []struct {
		name, base string
		want       Reference
		wantErr    string
	}{
		{"7 digits", "123456", "1234561", ""},
		{"shortest", "111", "1119", ""},
		{"check 2", "1111", "11112", ""},
		{"20 digits", "7758474790647489322", "77584747906474893225", ""},
		{"leading zeros", "000123456", "1234561", ""},
		{"two digits", "12", "", "3 to 19 digits"},
		{"two digits after zeros", "0012", "", "3 to 19 digits"},
		{"20 digit base", "77584747906474893225", "", "3 to 19 digits"},
		{"space", "123 456", "", "only digits"},
		{"empty", "", "", "only digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewReference(tt.base)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewReference(%q) = %q, %v; want an error containing %q", tt.base, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewReference(%q): %v", tt.base, err)
			}
			if got != tt.want {
				t.Errorf("NewReference(%q) = %q, want %q", tt.base, got, tt.want)
			}
		})
	}
}

func TestSchemeReference(t *testing.T) {
	tests := []struct {
		name      string
		code      int
		year      int
		seq       int64
		want      Reference
		wantErr   string
		wantGroup string
	}{
		// SPEC 5: code 1, 2021, 123 → 1 2021 000123 + check; the 7-3-1 sum
		// of 12021000123 is 58, so the check digit is 2.
		{"SPEC example", 1, 2021, 123, "120210001232", "", "12 02100 01232"},
		{"largest", 999, 2021, 999999, "9992021999999" + Reference(fmt.Sprint(checkDigit731("9992021999999"))), "", ""},
		{"code 0", 0, 2021, 1, "", "series code", ""},
		{"code 1000", 1000, 2021, 1, "", "series code", ""},
		{"two-digit year", 1, 21, 1, "", "four-digit year", ""},
		{"seq 0", 1, 2021, 0, "", "sequence number", ""},
		{"seq too large", 1, 2021, 1000000, "", "sequence number", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SchemeReference(tt.code, tt.year, tt.seq)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SchemeReference = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("SchemeReference: %v", err)
			}
			if got != tt.want {
				t.Errorf("SchemeReference(%d, %d, %d) = %q, want %q", tt.code, tt.year, tt.seq, got, tt.want)
			}
			if _, err := ParseReference(string(got)); err != nil {
				t.Errorf("ParseReference(%q): %v", got, err)
			}
			if tt.wantGroup != "" && got.Grouped() != tt.wantGroup {
				t.Errorf("Grouped() = %q, want %q", got.Grouped(), tt.wantGroup)
			}
		})
	}
}

func TestReferenceGrouped(t *testing.T) {
	tests := []struct {
		ref  Reference
		want string
	}{
		{"1234561", "12 34561"},
		{"868516259619897", "86851 62596 19897"},
		{"590738390", "5907 38390"},
		{"559582243294671", "55958 22432 94671"},
		{"69875672083435364", "69 87567 20834 35364"},
		{"11112", "11112"},
		{"868624", "8 68624"},
		{"77584747906474893225", "77584 74790 64748 93225"},
	}
	for _, tt := range tests {
		if got := tt.ref.Grouped(); got != tt.want {
			t.Errorf("Reference(%q).Grouped() = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestReferenceRF(t *testing.T) {
	tests := []struct {
		name      string
		ref       Reference
		want      string
		formatted string
	}{
		// 539007547034 is the ISO 11649 example body; it is not a valid
		// national reference, but RF does not need one.
		{"ISO example", "539007547034", "RF18539007547034", "RF18 5390 0754 7034"},
		{"15 digits", "868516259619897", "RF09868516259619897", "RF09 8685 1625 9619 897"},
		{"7 digits", "1234561", "RF341234561", "RF34 1234 561"},
		{"5 digits", "11112", "RF9811112", "RF98 1111 2"},
		{"8 digits", "12342345", "RF9212342345", "RF92 1234 2345"},
		{"barcode guide v5 row 2", "559582243294671", "RF06559582243294671", "RF06 5595 8224 3294 671"},
		{"barcode guide v5 row 3", "698756720839", "RF61698756720839", "RF61 6987 5672 0839"},
		{"not digits", "12a4", "", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.ref.RF()
			if got != tt.want {
				t.Fatalf("Reference(%q).RF() = %q, want %q", tt.ref, got, tt.want)
			}
			if got == "" {
				return
			}
			if err := CheckRF(got); err != nil {
				t.Errorf("CheckRF(%q): %v", got, err)
			}
			if f := FormatRF(got); f != tt.formatted {
				t.Errorf("FormatRF(%q) = %q, want %q", got, f, tt.formatted)
			}
			if err := CheckRF(tt.formatted); err != nil {
				t.Errorf("CheckRF(%q): %v", tt.formatted, err)
			}
		})
	}
}

// TestReferenceRFLeadingZeros: a national reference written with leading
// zeros is read without them, and its RF is that of the shorter number
// (reference/finnish-payments.md: leading zeros change neither check).
func TestReferenceRFLeadingZeros(t *testing.T) {
	r, err := ParseReference("01030100067175800018")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.RF(), "RF031030100067175800018"; got != want {
		t.Errorf("RF() = %q, want %q", got, want)
	}
	if got, want := Reference("01030100067175800018").RF(), "RF031030100067175800018"; got != want {
		t.Errorf("RF() of the unnormalised reference = %q, want %q", got, want)
	}
}

func TestCheckRF(t *testing.T) {
	for _, s := range []string{"RF18539007547034", "RF18 5390 0754 7034", "rf18 5390 0754 7034", "RF09 8685 1625 9619 897",
		"RF341234561", "RF9811112", "RF9212342345", "RF031030100067175800018", "RF021006", "RF981024",
		"RF39 ABCD 1234", // letters in the body
	} {
		if err := CheckRF(s); err != nil {
			t.Errorf("CheckRF(%q): %v", s, err)
		}
	}
	tests := []struct{ name, in, wantErr string }{
		{"wrong check", "RF19539007547034", "wrong check"},
		{"mistyped body", "RF18539007547035", "wrong check"},
		{"swapped digits", "RF18530907547034", "wrong check"},
		{"no body", "RF18", "expected RF"},
		{"body of 22", "RF00" + strings.Repeat("1", 22), "expected RF"},
		{"no RF", "XX18539007547034", "expected RF"},
		{"national reference", "1234561", "expected RF"},
		{"letter in check digits", "RF1A539007547034", "expected RF"},
		{"hyphen", "RF18-5390-0754-7034", "unexpected"},
		// RF99 1006 passes mod 97 (99 = 02 + 97), but ISO 11649 only issues 02–98.
		{"check digits 99", "RF991006", "02 to 98"},
		{"check digits 00", "RF001006", "02 to 98"},
		{"empty", "", "expected RF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRF(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CheckRF(%q) = %v, want an error containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

// TestReferenceProperties: for random bases, NewReference and ParseReference
// round-trip; changing any one digit is caught (the weights 7, 3 and 1 are
// all prime to 10, so every single-digit error changes the sum mod 10); and
// the RF form always passes CheckRF.
func TestReferenceProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	for range 2000 {
		n := 3 + rng.IntN(17) // base of 3–19 digits
		b := []byte{byte('1' + rng.IntN(9))}
		for len(b) < n {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		base := string(b)
		ref, err := NewReference(base)
		if err != nil {
			t.Fatalf("NewReference(%q): %v", base, err)
		}
		if len(ref) != n+1 || !strings.HasPrefix(string(ref), base) {
			t.Fatalf("NewReference(%q) = %q", base, ref)
		}
		for _, written := range []string{string(ref), ref.Grouped(), "000" + string(ref)} {
			got, err := ParseReference(written)
			if err != nil || got != ref {
				t.Fatalf("ParseReference(%q) = %q, %v; want %q", written, got, err, ref)
			}
		}
		for i := range len(ref) {
			for d := byte('0'); d <= '9'; d++ {
				if d == ref[i] {
					continue
				}
				mistyped := string(ref[:i]) + string(d) + string(ref[i+1:])
				if got, err := ParseReference(mistyped); err == nil {
					t.Fatalf("ParseReference(%q) = %q, accepted a mistyped %q", mistyped, got, ref)
				}
			}
		}
		rf := ref.RF()
		if err := CheckRF(rf); err != nil {
			t.Fatalf("CheckRF(%q) of %q: %v", rf, ref, err)
		}
		if err := CheckRF(FormatRF(rf)); err != nil {
			t.Fatalf("CheckRF(%q) of %q: %v", FormatRF(rf), ref, err)
		}
	}
}

func ExampleSchemeReference() {
	ref, _ := SchemeReference(1, 2021, 123)
	fmt.Println(ref.Grouped())
	fmt.Println(FormatRF(ref.RF()))
	// Output:
	// 12 02100 01232
	// RF19 1202 1000 1232
}
