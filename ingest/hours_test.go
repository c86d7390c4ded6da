package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// hourLine is an entry as the tests compare it.
func hourLine(e *HourEntry) string {
	return fmt.Sprintf("%d %s %q %s %s %q", e.Row, e.Date, e.Subscriber, e.Hours, e.Kind, e.Description)
}

// manualLineText is a manual line as the tests compare it.
func manualLineText(m *ManualLine) string {
	return fmt.Sprintf("%d %s %q %q %s %s", m.Row, m.Date, m.Subscriber, m.Description, m.Amount, m.VATRate)
}

// readHourLines reads an hours log and returns its entries as hourLine writes them.
func readHourLines(in string) ([]string, error) {
	var got []string
	err := ReadHours(strings.NewReader(in), "tunnit.csv", func(e *HourEntry) error {
		got = append(got, hourLine(e))
		return nil
	})
	return got, err
}

// readManualLines reads manual lines and returns them as manualLineText writes them.
func readManualLines(in string) ([]string, error) {
	var got []string
	err := ReadManualLines(strings.NewReader(in), "rivit.csv", func(m *ManualLine) error {
		got = append(got, manualLineText(m))
		return nil
	})
	return got, err
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const hoursFi = "päivä;tilaaja;tunnit;laji;kuvaus\n" +
	"15.3.2022;hus;7,5;työ;Tietojen siirtö\n" +
	"2022-03-16;keusote;0,25;Koulutus;Käyttöönotto\n"

func TestReadHours(t *testing.T) {
	want := []string{
		`2 2022-03-15 "hus" 7.5 work "Tietojen siirtö"`,
		`3 2022-03-16 "keusote" 0.25 training "Käyttöönotto"`,
	}
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{name: "finnish semicolons windows-1252 crlf", in: crlf(win1252(t, hoursFi)), want: want},
		{name: "utf-8 lf", in: hoursFi, want: want},
		{
			name: "english commas utf-8 bom",
			in: "\uFEFFDate,Subscriber,Hours,Kind,Description\r\n" +
				"2022-03-15,hus,7.5,WORK,Tietojen siirtö\r\n" +
				"16.3.2022,keusote,\"0,25\",training,Käyttöönotto\r\n",
			want: want,
		},
		{name: "tabs", in: strings.ReplaceAll(hoursFi, ";", "\t"), want: want},
		{
			name: "shuffled, extra columns, any case",
			in: "KUVAUS;Laji;Kustannuspaikka;TUNNIT;Tilaaja;PÄIVÄ\n" +
				"Tietojen siirtö;TYÖ;1200;7,5;hus;15.3.2022\n" +
				" Käyttöönotto ;koulutus;1200; 0.25 ; keusote ;16.03.2022\n",
			want: want,
		},
		{
			name: "empty rows skipped",
			in:   "päivä;tilaaja;tunnit;laji;kuvaus\n15.3.2022;hus;7,5;työ;Tietojen siirtö\n;;;;\n\n 2022-03-16;keusote;0,25;Koulutus;Käyttöönotto\n;; ;;\n",
			want: []string{want[0], `5 2022-03-16 "keusote" 0.25 training "Käyttöönotto"`},
		},
		{
			name: "title before the header",
			in:   "\"Tuntikirjanpito 2022\"\n\n" + hoursFi,
			want: []string{`4 2022-03-15 "hus" 7.5 work "Tietojen siirtö"`, `5 2022-03-16 "keusote" 0.25 training "Käyttöönotto"`},
		},
		{
			name: "a quoted description over two lines",
			in:   "päivä;tilaaja;tunnit;laji;kuvaus\n15.3.2022;hus;7,5;työ;\"Tietojen\nsiirtö\"\n16.3.2022;hus;1;työ;\n",
			want: []string{`2 2022-03-15 "hus" 7.5 work "Tietojen\nsiirtö"`, `4 2022-03-16 "hus" 1 work ""`},
		},
		{name: "header only", in: "päivä;tilaaja;tunnit;laji;kuvaus\r\n", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readHourLines(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, got, tc.want)
		})
	}
}

const manualFi = "päivä;tilaaja;kuvaus;summa;alv\n" +
	"31.3.2022;hus;Alihankinta: tietojen tarkistus;250,00;25,5\n" +
	"2022-03-31;keusote;Hyvitys;-50;24\n"

func TestReadManualLines(t *testing.T) {
	want := []string{
		`2 2022-03-31 "hus" "Alihankinta: tietojen tarkistus" 250.00 25.5`,
		`3 2022-03-31 "keusote" "Hyvitys" -50.00 24`,
	}
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{name: "finnish semicolons windows-1252 crlf", in: crlf(win1252(t, manualFi)), want: want},
		{
			name: "english commas utf-8 bom",
			in: "\uFEFFdate,subscriber,description,amount,vat_rate\n" +
				"2022-03-31,hus,Alihankinta: tietojen tarkistus,250.00,25.5\n" +
				"31.3.2022,keusote,Hyvitys,\"-50,00\",24 %\n",
			want: want,
		},
		{name: "tabs", in: strings.ReplaceAll(manualFi, ";", "\t"), want: want},
		{
			name: "shuffled, extra columns, any case",
			in: "ALV;Summa;Huomautus;Kuvaus;TILAAJA;Päivä\n" +
				"25,5;250,00;tarkistettu;Alihankinta: tietojen tarkistus;hus;31.3.2022\n" +
				";;;;;\n" +
				"24;-50;;Hyvitys;keusote;2022-03-31\n",
			want: []string{want[0], `4 2022-03-31 "keusote" "Hyvitys" -50.00 24`},
		},
		{name: "header only", in: "päivä;tilaaja;kuvaus;summa;alv\n", want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readManualLines(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, got, tc.want)
		})
	}
}

// valueCase is one value put in one column of an otherwise good row: want is the value read
// (as valueOf shows it), or msg a part of the problem reported in that column.
type valueCase struct {
	name  string
	field int // index of the column in the header
	value string
	want  string
	msg   string
}

// checkValue reads header + row (with the case's value in its column) with read, which
// returns the field as text, and compares.
func checkValue(t *testing.T, tc valueCase, header string, row []string, read func(string) (string, error)) {
	t.Helper()
	cells := append([]string(nil), row...)
	cells[tc.field] = tc.value
	got, err := read(header + "\n" + strings.Join(cells, ";") + "\n")
	if tc.msg == "" {
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.value, got, err, tc.want)
		}
		return
	}
	var many *Errors
	if !errors.As(err, &many) || len(many.List) != 1 {
		t.Fatalf("%q: got %q, %v; want one problem with %q", tc.value, got, err, tc.msg)
	}
	e := many.List[0]
	if e.File == "" || e.Row != 2 || e.Column != tc.field+1 || e.ColumnName != strings.Split(header, ";")[tc.field] || !strings.Contains(e.Msg, tc.msg) {
		t.Errorf("%q: got %q (row %d, column %d %q), want row 2, column %d, with %q", tc.value, e.Error(), e.Row, e.Column, e.ColumnName, tc.field+1, tc.msg)
	}
	if got != "" {
		t.Errorf("%q: the bad row reached the caller as %q", tc.value, got)
	}
}

func TestReadHoursValues(t *testing.T) {
	const header = "päivä;tilaaja;tunnit;laji;kuvaus"
	row := []string{"15.3.2022", "hus", "7,5", "työ", "Tietojen siirtö"}
	for _, tc := range []valueCase{
		{name: "hours decimal comma", field: hHours, value: "7,5", want: "7.5"},
		{name: "hours decimal point", field: hHours, value: "0.25", want: "0.25"},
		{name: "hours whole", field: hHours, value: "12", want: "12"},
		{name: "hours trailing zero", field: hHours, value: "1,500", want: "1.5"},
		{name: "hours three decimals", field: hHours, value: "1,333", msg: `hours "1,333": expected at most two decimals, such as 7,5`},
		{name: "hours zero", field: hHours, value: "0", msg: `hours "0": expected more than 0`},
		{name: "hours negative", field: hHours, value: "-1", msg: `hours "-1": expected more than 0`},
		{name: "hours text", field: hHours, value: "abc", msg: `hours "abc": expected a number`},
		{name: "hours thousands", field: hHours, value: "1.000,5", msg: `hours "1.000,5": expected a number with a decimal comma or point and no thousands separators`},
		{name: "hours empty", field: hHours, value: "", msg: "the hours are empty"},
		{name: "kind työ", field: hKind, value: "työ", want: KindWork},
		{name: "kind TYÖ", field: hKind, value: "TYÖ", want: KindWork},
		{name: "kind Koulutus", field: hKind, value: "Koulutus", want: KindTraining},
		{name: "kind WORK", field: hKind, value: "WORK", want: KindWork},
		{name: "kind training", field: hKind, value: "training", want: KindTraining},
		{name: "kind other", field: hKind, value: "other", msg: `kind "other": expected työ or koulutus (work or training)`},
		{name: "kind empty", field: hKind, value: "", msg: "the kind is empty"},
		{name: "date iso", field: hDate, value: "2022-03-15", want: "2022-03-15"},
		{name: "date finnish", field: hDate, value: "15.3.2022", want: "2022-03-15"},
		{name: "date finnish padded", field: hDate, value: "05.03.2022", want: "2022-03-05"},
		{name: "date leap day", field: hDate, value: "29.2.2024", want: "2024-02-29"},
		{name: "date impossible", field: hDate, value: "31.2.2022", msg: `date "31.2.2022" does not exist`},
		{name: "date impossible iso", field: hDate, value: "2022-02-30", msg: `date "2022-02-30" does not exist`},
		{name: "date with a time", field: hDate, value: "15.3.2022 8:00", msg: `date "15.3.2022 8:00" has a time of day; expected a date only`},
		{name: "date iso with a time", field: hDate, value: "2022-03-15T08:00:00", msg: "has a time of day"},
		{name: "date two-digit year", field: hDate, value: "15.3.22", msg: `date "15.3.22": expected a date such as 15.3.2022 or 2022-03-15`},
		{name: "date slashes", field: hDate, value: "2022/03/15", msg: "expected a date such as"},
		{name: "date empty", field: hDate, value: "", msg: "the date is empty"},
		{name: "subscriber", field: hSubscriber, value: "Keski-Uusimaa", want: "Keski-Uusimaa"},
		{name: "subscriber empty", field: hSubscriber, value: "", msg: "the subscriber is empty"},
		{name: "description empty", field: hDescription, value: "", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkValue(t, tc, header, row, func(in string) (string, error) {
				var got string
				err := ReadHours(strings.NewReader(in), "tunnit.csv", func(e *HourEntry) error {
					got = [...]string{e.Date.String(), e.Subscriber, e.Hours.String(), e.Kind, e.Description}[tc.field]
					return nil
				})
				return got, err
			})
		})
	}
}

func TestReadManualLinesValues(t *testing.T) {
	const header = "päivä;tilaaja;kuvaus;summa;alv"
	row := []string{"31.3.2022", "hus", "Alihankinta", "250,00", "25,5"}
	for _, tc := range []valueCase{
		{name: "amount", field: mAmount, value: "250,00", want: "250.00"},
		{name: "amount point", field: mAmount, value: "1234.5", want: "1234.50"},
		{name: "amount negative", field: mAmount, value: "-50,00", want: "-50.00"},
		{name: "amount thousands space", field: mAmount, value: "1 234,00", msg: `amount "1 234,00": contains a space; write it without thousands separators`},
		{name: "amount thousands point", field: mAmount, value: "1.234,00", msg: "has more than one separator"},
		{name: "amount three decimals", field: mAmount, value: "12,345", msg: "more than two decimals"},
		{name: "amount zero", field: mAmount, value: "0,00", msg: `amount "0,00": expected an amount other than 0`},
		{name: "amount text", field: mAmount, value: "abc", msg: `amount "abc"`},
		{name: "amount empty", field: mAmount, value: "", msg: "amount is empty"},
		{name: "vat 25,5", field: mVATRate, value: "25,5", want: "25.5"},
		{name: "vat 24", field: mVATRate, value: "24", want: "24"},
		{name: "vat 0", field: mVATRate, value: "0", want: "0"},
		{name: "vat with percent sign", field: mVATRate, value: "25,5 %", want: "25.5"},
		{name: "vat 99,99", field: mVATRate, value: "99,99", want: "99.99"},
		{name: "vat 100", field: mVATRate, value: "100", msg: `VAT rate "100": expected a percentage from 0 to under 100`},
		{name: "vat negative", field: mVATRate, value: "-1", msg: "from 0 to under 100"},
		{name: "vat three decimals", field: mVATRate, value: "25,555", msg: "at most two decimals"},
		{name: "vat text", field: mVATRate, value: "alv", msg: `VAT rate "alv": expected a percentage`},
		{name: "vat empty", field: mVATRate, value: "", msg: "the VAT rate is empty"},
		{name: "description empty", field: mDescription, value: "", msg: "the description is empty"},
		{name: "subscriber empty", field: mSubscriber, value: "", msg: "the subscriber is empty"},
		{name: "date finnish", field: mDate, value: "1.4.2022", want: "2022-04-01"},
		{name: "date with a time", field: mDate, value: "2022-03-31 12:00", msg: "has a time of day"},
		{name: "date impossible", field: mDate, value: "31.4.2022", msg: "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkValue(t, tc, header, row, func(in string) (string, error) {
				var got string
				err := ReadManualLines(strings.NewReader(in), "rivit.csv", func(m *ManualLine) error {
					got = [...]string{m.Date.String(), m.Subscriber, m.Description, m.Amount.String(), m.VATRate.String()}[tc.field]
					return nil
				})
				return got, err
			})
		})
	}
}

// problems lists the places and messages of err's problems, one line each.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var many *Errors
	if !errors.As(err, &many) {
		t.Fatalf("got %v, want *Errors", err)
	}
	var got []string
	for _, e := range many.List {
		got = append(got, fmt.Sprintf("%s %d:%d %s", e.File, e.Row, e.Column, e.Msg))
	}
	return got
}

func TestReadHoursReportsAllBadRows(t *testing.T) {
	in := "päivä;tilaaja;tunnit;laji;kuvaus\n" +
		"15.3.2022;hus;7,5;työ;ok\n" +
		"16.3.2022;hus;1,333;työ;\n" +
		"17.3.2022;hus;2;työ;ok\n" +
		"31.2.2022;hus;2;muu;\n" +
		"18.3.2022;hus;2;työ\n" +
		"19.3.2022;;0;työ;\n" +
		"20.3.2022;hus;2;työ;ok\n"
	n := 0
	err := ReadHours(strings.NewReader(in), "tunnit.csv", func(*HourEntry) error { n++; return nil })
	sameLines(t, problems(t, err), []string{
		`tunnit.csv 3:3 hours "1,333": expected at most two decimals, such as 7,5`,
		`tunnit.csv 5:1 date "31.2.2022" does not exist; expected a date such as 15.3.2022 or 2022-03-15`,
		`tunnit.csv 5:4 kind "muu": expected työ or koulutus (work or training)`,
		`tunnit.csv 6:0 the row has 4 fields but the header (row 1) has 5; expected one field per column separated by semicolons`,
		`tunnit.csv 7:2 the subscriber is empty; expected the subscriber's id as in the configuration`,
		`tunnit.csv 7:3 hours "0": expected more than 0, such as 7,5`,
	})
	if n != 1 {
		t.Errorf("%d entries reached the caller; want 1, the row before the first problem", n)
	}
	var e *Error
	if !errors.As(err, &e) || e.ColumnName != "tunnit" {
		t.Errorf("got %#v, want the first problem with its column's name", e)
	}
}

func TestReadManualLinesReportsAllBadRows(t *testing.T) {
	in := "date,subscriber,description,amount,vat_rate\n" +
		"2022-03-31,hus,,250,25.5\n" +
		"2022-03-31,hus,ok,1 234.00,24\n" +
		"2022-03-31,hus,ok,0,100\n" +
		"2022-03-31,hus,ok,-50,24\n"
	n := 0
	err := ReadManualLines(strings.NewReader(in), "rivit.csv", func(*ManualLine) error { n++; return nil })
	sameLines(t, problems(t, err), []string{
		`rivit.csv 2:3 the description is empty; expected the text of the invoice line, such as "Alihankinta: tietojen tarkistus"`,
		`rivit.csv 3:4 amount "1 234.00": contains a space; write it without thousands separators, such as 284602.00`,
		`rivit.csv 4:4 amount "0": expected an amount other than 0, such as 250,00 (or -50,00 for a discount)`,
		`rivit.csv 4:5 VAT rate "100": expected a percentage from 0 to under 100, such as 25,5 or 24`,
	})
	if n != 0 {
		t.Errorf("%d lines reached the caller; want none after the first problem", n)
	}
}

func TestReadHoursNotALog(t *testing.T) {
	for _, tc := range []struct {
		name, in, msg string
		row           int
		manual        bool
	}{
		{name: "empty", in: "", msg: "the file is empty; expected a CSV export with a header line"},
		{name: "blank lines", in: "\n \r\n", msg: "the file has no text lines"},
		{name: "binary", in: "\x00\x01\x02binary\xff", msg: "not a text file"},
		{
			name: "missing column", row: 1, in: "päivä;tilaaja;laji;kuvaus\n15.3.2022;hus;työ;\n",
			msg: `column 'tunnit' (hours) not found; the header has: "päivä", "tilaaja", "laji", "kuvaus"`,
		},
		{
			name: "manual lines read as hours", row: 1, in: manualFi,
			msg: `column 'tunnit' (hours) and column 'laji' (kind) not found; the header has: "päivä", "tilaaja", "kuvaus", "summa", "alv"`,
		},
		{
			name: "hours read as manual lines", row: 1, in: hoursFi, manual: true,
			msg: `column 'summa' (amount) and column 'alv' (vat_rate) not found; the header has: "päivä", "tilaaja", "tunnit", "laji", "kuvaus"`,
		},
		{
			name: "no header", in: "muistiinpanoja\nlisää\n",
			msg: "no header line found in the first 2 lines: column 'päivä' (date) and column 'tilaaja' (subscriber) and column 'tunnit' (hours) and column 'laji' (kind) and column 'kuvaus' (description) not found; expected a header line naming the columns, such as päivä;tilaaja;tunnit;laji;kuvaus",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.manual {
				_, err = readManualLines(tc.in)
			} else {
				_, err = readHourLines(tc.in)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.Row != tc.row || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %q (row %d), want row %d with %q", e.Error(), e.Row, tc.row, tc.msg)
			}
		})
	}
}

func TestReadHoursStops(t *testing.T) {
	stop := errors.New("stop")
	if err := ReadHours(strings.NewReader(hoursFi), "tunnit.csv", func(*HourEntry) error { return stop }); err != stop {
		t.Errorf("hours: got %v, want the callback's error", err)
	}
	if err := ReadManualLines(strings.NewReader(manualFi), "rivit.csv", func(*ManualLine) error { return stop }); err != stop {
		t.Errorf("manual lines: got %v, want the callback's error", err)
	}

	boom := errors.New("disk on fire")
	in := hoursFi + strings.Repeat("17.3.2022;hus;1;työ;x\n", 5000) // past the first chunk
	err := ReadHours(&failingReader{data: in, err: boom}, "tunnit.csv", func(*HourEntry) error { return nil })
	var e *Error
	if !errors.Is(err, boom) || errors.As(err, &e) {
		t.Errorf("got %v, want the reader's error, not an input problem", err)
	}
}

func ExampleReadHours() {
	const log = "päivä;tilaaja;tunnit;laji;kuvaus\n" +
		"15.3.2022;hus;7,5;työ;Tietojen siirto\n" +
		"2022-03-16;keusote;1,25;Koulutus;Käyttöönotto\n"
	err := ReadHours(strings.NewReader(log), "tunnit.csv", func(e *HourEntry) error {
		fmt.Println(e.Row, e.Date, e.Subscriber, e.Hours, e.Kind, e.Description)
		return nil
	})
	fmt.Println(err)
	// Output:
	// 2 2022-03-15 hus 7.5 work Tietojen siirto
	// 3 2022-03-16 keusote 1.25 training Käyttöönotto
	// <nil>
}
