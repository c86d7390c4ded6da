package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// Age is an age class: a single year {75, 75}, a group {75, 79}, or open-ended
// {100, OpenEnded}. The population of all ages ("Yhteensä") is TotalAge.
type Age struct{ Lo, Hi int }

// OpenEnded is the Hi of an age class with no upper bound, such as "100 -".
const OpenEnded = -1

// TotalAge is the age class of all ages: "Yhteensä", "Totalt", "Total" or code "SSS".
var TotalAge = Age{-1, -1}

// maxAge bounds the ages a label may name.
const maxAge = 199

// String returns "total", "75", "75-79" or "100-".
func (a Age) String() string {
	switch {
	case a == TotalAge:
		return "total"
	case a.Hi == OpenEnded:
		return fmt.Sprintf("%d-", a.Lo)
	case a.Lo == a.Hi:
		return strconv.Itoa(a.Lo)
	}
	return fmt.Sprintf("%d-%d", a.Lo, a.Hi)
}

// includes reports whether age n falls in the class a (not TotalAge).
func (a Age) includes(n int) bool {
	return a.Lo <= n && (a.Hi == OpenEnded || n <= a.Hi)
}

// totalLabels are the labels of the all-ages row in Finnish, Swedish and English, and its code.
var totalLabels = []string{"yhteensä", "totalt", "total", "sss"}

// ageSpelling writes the dashes and spaces of age labels one way: "75 – 79" as "75-79".
var ageSpelling = strings.NewReplacer("–", "-", "—", "-", " ", "")

// parseAge reads an age label: "Yhteensä" (total), "0" … "99", codes "000" … "099", open-ended
// "100 -", "100-", "100+", and groups "75-79" or "75 - 79".
func parseAge(s string) (Age, error) {
	t := strings.TrimSpace(s)
	for _, l := range totalLabels {
		if strings.EqualFold(t, l) {
			return TotalAge, nil
		}
	}
	t = ageSpelling.Replace(t)
	if t == "" {
		return Age{}, fmt.Errorf("the age is empty; expected Yhteensä, a single age 0 … 99, \"100 -\", or a group such as \"75-79\"")
	}
	if open, ok := strings.CutSuffix(t, "+"); ok {
		t = open + "-"
	}
	lo, hi, group := strings.Cut(t, "-")
	a := Age{Lo: -1, Hi: OpenEnded}
	var ok bool
	if a.Lo, ok = ageNumber(lo); !ok {
		return Age{}, notAge(s)
	}
	switch {
	case !group:
		a.Hi = a.Lo
	case hi == "":
		// open-ended
	default:
		if a.Hi, ok = ageNumber(hi); !ok {
			return Age{}, notAge(s)
		}
		if a.Hi < a.Lo {
			return Age{}, fmt.Errorf("age group %q ends before it starts; expected a group such as \"75-79\"", s)
		}
	}
	return a, nil
}

func notAge(s string) error {
	return fmt.Errorf("age %q is not an age class; expected Yhteensä, a single age 0 … 99, \"100 -\", or a group such as \"75-79\"", s)
}

// ageNumber reads 1 to 3 digits as an age of at most maxAge.
func ageNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= maxAge
}
