package ingest

import (
	"errors"
	"testing"
)

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "all parts",
			err:  &Error{File: "005_11re_2019.csv", Row: 57, Column: 3, ColumnName: "Yhteensä 2019 Väestö 31.12.", Msg: `"12a" is not a whole number`},
			want: `005_11re_2019.csv: row 57, column 3 ("Yhteensä 2019 Väestö 31.12."): "12a" is not a whole number`,
		},
		{name: "sheet", err: &Error{File: "a.xlsx", Sheet: "Taulukko", Row: 2, Msg: "m"}, want: `a.xlsx: sheet "Taulukko", row 2: m`},
		{name: "row only", err: &Error{File: "a.csv", Row: 5, Msg: "m"}, want: "a.csv: row 5: m"},
		{name: "column without name", err: &Error{File: "a.csv", Row: 5, Column: 2, Msg: "m"}, want: "a.csv: row 5, column 2: m"},
		{name: "column name only", err: &Error{File: "a.csv", ColumnName: "Ikä", Msg: "m"}, want: `a.csv: column "Ikä": m`},
		{name: "file only", err: &Error{File: "a.csv", Msg: "empty"}, want: "a.csv: empty"},
		{name: "message only", err: &Error{Msg: "empty"}, want: "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	var errs Errors
	if errs.err() != nil {
		t.Fatalf("empty: got %v, want nil", errs.err())
	}
	first := &Error{File: "a.csv", Row: 1, Msg: "one"}
	errs.add(first)
	errs.add(&Error{File: "a.csv", Row: 2, Msg: "two"})
	if got, want := errs.Error(), "a.csv: row 1: one\na.csv: row 2: two"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var e *Error
	if !errors.As(errs.err(), &e) || e != first {
		t.Errorf("errors.As: got %v, want the first problem", e)
	}
	for range maxErrors + 3 {
		errs.add(&Error{Msg: "more"})
	}
	if len(errs.List) != maxErrors || errs.More != 5 || errs.len() != maxErrors+5 {
		t.Errorf("got %d listed and %d more, want %d and 5", len(errs.List), errs.More, maxErrors)
	}
	if got := len(errs.Unwrap()); got != maxErrors {
		t.Errorf("Unwrap: got %d, want %d", got, maxErrors)
	}
}
