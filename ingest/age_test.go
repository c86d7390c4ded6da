package ingest

import (
	"strings"
	"testing"
)

func TestParseAge(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Age
		wantErr string
	}{
		{in: "Yhteensä", want: TotalAge},
		{in: "YHTEENSÄ", want: TotalAge},
		{in: "Totalt", want: TotalAge},
		{in: "Total", want: TotalAge},
		{in: "SSS", want: TotalAge},
		{in: "0", want: Age{0, 0}},
		{in: "75", want: Age{75, 75}},
		{in: "000", want: Age{0, 0}},
		{in: "099", want: Age{99, 99}},
		{in: "100 -", want: Age{100, OpenEnded}},
		{in: "100-", want: Age{100, OpenEnded}},
		{in: "100+", want: Age{100, OpenEnded}},
		{in: " 100 + ", want: Age{100, OpenEnded}},
		{in: "75-79", want: Age{75, 79}},
		{in: "75 - 79", want: Age{75, 79}},
		{in: "75–79", want: Age{75, 79}},
		{in: "", wantErr: "the age is empty"},
		{in: "vanhat", wantErr: `age "vanhat" is not an age class`},
		{in: "-5", wantErr: "not an age class"},
		{in: "79-75", wantErr: "ends before it starts"},
		{in: "75-79-", wantErr: "not an age class"},
		{in: "1000", wantErr: "not an age class"},
		{in: "200", wantErr: "not an age class"},
		{in: "7.5", wantErr: "not an age class"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseAge(tc.in)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %v, %v; want an error with %q", got, err, tc.wantErr)
			case tc.wantErr == "" && (err != nil || got != tc.want):
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestAgeString(t *testing.T) {
	for _, tc := range []struct {
		age  Age
		want string
	}{
		{TotalAge, "total"},
		{Age{75, 75}, "75"},
		{Age{75, 79}, "75-79"},
		{Age{100, OpenEnded}, "100-"},
	} {
		if got := tc.age.String(); got != tc.want {
			t.Errorf("%#v: got %q, want %q", tc.age, got, tc.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in          string
		want        int64
		wantMissing bool
		wantErr     string
	}{
		{in: "0", want: 0},
		{in: "5525292", want: 5525292},
		{in: "-", want: 0},
		{in: ".", wantMissing: true},
		{in: "..", wantMissing: true},
		{in: "......", wantMissing: true},
		{in: ".......", wantErr: "not a whole number"},
		{in: "", wantErr: "empty"},
		{in: "12a", wantErr: `"12a" is not a whole number`},
		{in: "1,5", wantErr: "not a whole number"},
		{in: "1.5", wantErr: "not a whole number"},
		{in: "-3", wantErr: `"-3" is negative`},
		{in: "--", wantErr: "not a whole number"},
		{in: "+3", wantErr: "not a whole number"},
		{in: "1 000", wantErr: "not a whole number"},
		{in: "9223372036854775808", wantErr: "too large"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseCount(tc.in)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %+v, %v; want an error with %q", got, err, tc.wantErr)
			case tc.wantErr == "" && (err != nil || got.n != tc.want || got.missing != tc.wantMissing):
				t.Errorf("got %+v, %v; want %d missing %v", got, err, tc.want, tc.wantMissing)
			}
		})
	}
}
