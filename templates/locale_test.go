package templates

import (
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

func TestLocalesAreComplete(t *testing.T) {
	for _, lang := range Languages {
		l, err := Lookup(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.texts) < 20 {
			t.Errorf("%s has only %d texts", lang, len(l.texts))
		}
	}
	if _, err := Lookup("de"); err == nil {
		t.Error("Lookup(de) gave no error")
	}
}

func TestTextIsStrict(t *testing.T) {
	l, err := Lookup("fi")
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Text("page", map[string]int{"Page": 1, "Pages": 2})
	if err != nil || got != "Sivu 1 (2)" {
		t.Errorf("page = %q, %v", got, err)
	}
	if _, err := l.Text("page", map[string]int{"Page": 1}); err == nil {
		t.Error("a missing value rendered without an error")
	}
	if _, err := l.Text("no_such_key", nil); err == nil {
		t.Error("a missing key rendered without an error")
	}
	tx := l.Texts()
	_ = tx.T("appendix", nil)
	_ = tx.T("nope", nil)
	if tx.T("appendix", nil) != "" || tx.Err() == nil || !strings.Contains(tx.Err().Error(), "nope") {
		t.Errorf("Texts did not keep the first error: %v", tx.Err())
	}
}

func TestFormats(t *testing.T) {
	fi, _ := Lookup("fi")
	sv, _ := Lookup("sv")
	en, _ := Lookup("en")
	d := func(s string) compute.Date { v, _ := compute.ParseDate(s); return v }
	tests := []struct{ name, got, want string }{
		{"fi money", fi.Money(10933050), "109\u00a0330,50\u00a0€"},
		{"fi small money", fi.Money(5), "0,05\u00a0€"},
		{"fi negative money", fi.Money(-183594), "-1\u00a0835,94\u00a0€"},
		{"fi million", fi.Amount(123456789), "1\u00a0234\u00a0567,89"},
		{"sv money", sv.Money(183594), "1\u00a0835,94\u00a0€"},
		{"en money", en.Money(183594), "€1,835.94"},
		{"en negative money", en.Money(-183594), "-€1,835.94"},
		{"fi int", fi.Int(46505), "46\u00a0505"},
		{"en int", en.Int(1234567), "1,234,567"},
		{"fi int small", fi.Int(300), "300"},
		{"fi date", fi.Date(d("2021-02-01")), "1.2.2021"},
		{"en date", en.Date(d("2021-02-01")), "1 February 2021"},
		{"fi period", fi.Period(d("2021-01-01"), d("2021-11-30")), "1.1.–30.11.2021"},
		{"fi period across years", fi.Period(d("2021-12-01"), d("2022-01-31")), "1.12.2021–31.1.2022"},
		{"en period", en.Period(d("2021-01-01"), d("2021-11-30")), "1 January – 30 November 2021"},
		{"fi percent", fi.Percent(decimal.RequireFromString("38.4152"), 4), "38,4152\u00a0%"},
		{"en percent", en.Percent(decimal.RequireFromString("38.4152"), 2), "38.42%"},
		{"fi decimal", fi.Decimal(decimal.RequireFromString("1234.5"), 2), "1\u00a0234,50"},
		{"fi month", fi.MonthName(3), "maaliskuu"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFontsAreEmbedded(t *testing.T) {
	for name, f := range map[string][]byte{"regular": FontRegular, "bold": FontBold} {
		if len(f) < 10000 || string(f[:4]) != "\x00\x01\x00\x00" {
			t.Errorf("font %s is not a TrueType font (%d bytes)", name, len(f))
		}
	}
}
