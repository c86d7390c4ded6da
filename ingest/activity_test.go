package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/xuri/excelize/v2"
)

// readEvents reads all events of an export, copied.
func readEvents(t *testing.T, in []byte, m ActivityMapping) ([]Event, error) {
	t.Helper()
	var got []Event
	err := ReadActivities(bytes.NewReader(in), "log.csv", m, func(e *Event) error {
		got = append(got, *e)
		return nil
	})
	return got, err
}

// eventLine is an event as the tests compare it.
func eventLine(e Event) string {
	typ := e.Type.String()
	if e.Ignored {
		typ = "ignored"
	}
	return fmt.Sprintf("%d %s %q %s %q %q", e.Row, e.Date, e.Municipality, typ, e.Source, e.ID)
}

// sameEvents compares events with their lines (see eventLine).
func sameEvents(t *testing.T, got []Event, want []string) {
	t.Helper()
	lines := make([]string, len(got))
	for i, e := range got {
		lines[i] = eventLine(e)
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

const canonical = `aika;kunta;tyyppi;tunniste
31.1.2021 14:05;Turku;puhelu;a1
1.2.2021 0:00:00;KU853;Käynti;a2
2021-02-01T00:30:00+03:00;pargas;YHTEYDENOTTOPYYNTÖ;a3
2021-02-28T22:30:00Z;853 Turku;chat-yhteys;
2021-03-28 03:30;Åbo;chat;a5
`

func TestReadActivitiesCanonical(t *testing.T) {
	want := []string{
		`2 2021-01-31 "Turku" call "" "a1"`,
		`3 2021-02-01 "KU853" visit "" "a2"`,
		`4 2021-01-31 "pargas" contact_request "" "a3"`, // 00:30 at +03:00 is 23:30 in Helsinki (winter, +02:00)
		`5 2021-03-01 "853 Turku" chat "" ""`,           // 22:30 UTC is 00:30 in Helsinki
		`6 2021-03-28 "Åbo" chat "" "a5"`,
	}
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"utf-8 lf semicolons", []byte(canonical)},
		{"utf-8 bom crlf", []byte("\uFEFF" + crlf(canonical))},
		{"windows-1252 crlf", []byte(crlf(win1252(t, canonical)))},
		{"commas", []byte(strings.ReplaceAll(canonical, ";", ","))},
		{"tabs", []byte(strings.ReplaceAll(canonical, ";", "\t"))},
		{"english header", []byte(strings.Replace(canonical, "aika;kunta;tyyppi;tunniste", "Time;Municipality;Type;ID", 1))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readEvents(t, tc.in, ActivityMapping{Source: "asiakastiedot"})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, e := range got {
				if e.Source != "asiakastiedot" {
					t.Errorf("row %d: source %q, want the mapping's", e.Row, e.Source)
				}
				e.Source = ""
				lines = append(lines, eventLine(e))
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestReadActivitiesTypesAndSources(t *testing.T) {
	in := "Time,Municipality,Type,Source,Id\n" +
		"2021-05-03 10:00,Turku,samtal,phone,1\n" +
		"2021-05-03 10:00,Turku,besök,,2\n" +
		"2021-05-03 10:00,Turku,kontaktbegäran,crm,3\n" +
		"2021-05-03 10:00,Turku,Contact Request,crm,4\n" +
		"2021-05-03 10:00,Turku,contact_request,crm,5\n" +
		"2021-05-03 10:00,Turku,CALL,crm,6\n" +
		"2021-05-03 10:00,Turku,Sisäinen puhelu,phone,7\n" +
		"2021-05-03 10:00,Turku,Saapuva puhelu,phone,8\n"
	got, err := readEvents(t, []byte(in), ActivityMapping{
		Source:      "default",
		TypeValues:  map[string]compute.ActivityType{"saapuva PUHELU": compute.ActivityCall},
		IgnoreTypes: []string{"sisäinen puhelu"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`2 2021-05-03 "Turku" call "phone" "1"`,
		`3 2021-05-03 "Turku" visit "default" "2"`,
		`4 2021-05-03 "Turku" contact_request "crm" "3"`,
		`5 2021-05-03 "Turku" contact_request "crm" "4"`,
		`6 2021-05-03 "Turku" contact_request "crm" "5"`,
		`7 2021-05-03 "Turku" call "crm" "6"`,
		`8 2021-05-03 "Turku" ignored "phone" "7"`,
		`9 2021-05-03 "Turku" call "phone" "8"`,
	}
	sameEvents(t, got, want)
}

// phoneExport is a contact-centre export with its own column names and no type column.
const phoneExport = "Puhelun tunnus;Aloitusaika;Kesto (s);Asiakkaan kotikunta;Jono\r\n" +
	"P2100001;4.1.2021 8:02:11;120;Kimitoön;Palveluohjaus\r\n" +
	"P2100002;4.1.2021 klo 8.15;95;TURKU;Omaishoito\r\n" +
	"P2100003;4.1.2021;30;;Omaishoito\r\n"

func TestReadActivitiesMapping(t *testing.T) {
	call := compute.ActivityCall
	m := ActivityMapping{Source: "puhelin", Time: "aloitusaika", Municipality: "Asiakkaan kotikunta", ID: "Puhelun tunnus", FixedType: &call}
	got, err := readEvents(t, []byte(win1252(t, phoneExport)), m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`2 2021-01-04 "Kimitoön" call "puhelin" "P2100001"`,
		`3 2021-01-04 "TURKU" call "puhelin" "P2100002"`,
		`4 2021-01-04 "" call "puhelin" "P2100003"`,
	}
	sameEvents(t, got, want)

	// Without the mapping the same file lacks the canonical columns.
	_, err = readEvents(t, []byte(phoneExport), ActivityMapping{})
	var e *Error
	if !errors.As(err, &e) || e.Row != 1 || !strings.Contains(e.Msg, "no time column (aika or time), no municipality column") {
		t.Errorf("got %v, want the missing columns named on row 1", err)
	}
}

func TestParseEventTime(t *testing.T) {
	for _, tc := range []struct {
		in, date string // date "" for an error
		msg      string
	}{
		{in: "31.1.2021 14:05", date: "2021-01-31"},
		{in: "31.1.2021 14:05:09", date: "2021-01-31"},
		{in: "01.02.2021 00:00", date: "2021-02-01"},
		{in: "31.1.2021 klo 14.05", date: "2021-01-31"},
		{in: "31.1.2021", date: "2021-01-31"},
		{in: "2021-01-31", date: "2021-01-31"},
		{in: "2021-01-31T23:59:59", date: "2021-01-31"},
		{in: "2021-01-31T23:59:59.999", date: "2021-01-31"},
		{in: "2021-01-31T22:00:00Z", date: "2021-02-01"},               // midnight in Helsinki (+02:00)
		{in: "2021-01-31T21:59:59Z", date: "2021-01-31"},               // a second before
		{in: "2021-05-31T21:00:00Z", date: "2021-06-01"},               // summer time, +03:00
		{in: "2021-05-31T20:59:59+00:00", date: "2021-05-31"},          //
		{in: "2021-03-28T00:59:59Z", date: "2021-03-28"},               // 02:59:59 +02:00, the last second of winter time
		{in: "2021-03-28T01:00:00Z", date: "2021-03-28"},               // 04:00 +03:00
		{in: "2021-10-31T03:30:00+0300", date: "2021-10-31"},           // the repeated hour, first time
		{in: "2021-10-30T21:00:00Z", date: "2021-10-31"},               // midnight, summer time
		{in: "2021-12-31T23:30:00-05:00", date: "2022-01-01"},          // a far offset
		{in: "29.2.2021", msg: "impossible date"},                      // not a leap year
		{in: "29.2.2020 12:00", date: "2020-02-29"},                    //
		{in: "2000-02-29T12:00:00+02:00", date: "2000-02-29"},          // a leap year: divisible by 400
		{in: "29.2.2100", msg: "impossible date"},                      // not one: by 100
		{in: "1900-02-29T12:00:00Z", msg: "impossible date"},           //
		{in: "31.4.2021 8:00", msg: "impossible date"},                 //
		{in: "2021-13-01", msg: "impossible date"},                     //
		{in: "1.1.2021 24:00", msg: "impossible time of day"},          //
		{in: "1.1.2021 8:60", msg: "impossible time of day"},           //
		{in: "1/31/2021 14:05", msg: "is not a time"},                  //
		{in: "31.1.21 14:05", msg: "is not a time"},                    //
		{in: "2021-01-31T14", msg: "is not a time"},                    //
		{in: "2021-01-31T14:05+2", msg: "is not a time"},               //
		{in: "2021-01-31T14:05:00 extra", msg: "is not a time"},        //
		{in: "tänään", msg: `"tänään" is not a time; expected a time`}, //
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseEventTime(tc.in)
			if tc.date == "" {
				if err == nil || !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("got %v, %v; want an error with %q", got, err, tc.msg)
				}
				return
			}
			var clock helsinkiClock
			if err != nil || got.localDate(&clock).String() != tc.date {
				t.Errorf("got %v, %v; want %s", got.localDate(&clock), err, tc.date)
			}
		})
	}
}

func TestReadActivitiesErrors(t *testing.T) {
	for _, tc := range []struct {
		name        string
		in          string
		row, column int
		msg         string
		count       int
	}{
		{name: "empty", in: "", msg: "the file is empty"},
		{name: "binary garbage", in: "\x00\x01\x02\x03binary\x00\xff", msg: "not a text file"},
		{name: "no header", in: "Turku;puhelu\n", row: 1, msg: `no time column (aika or time), no municipality column (kunta or municipality), no type column (tyyppi or type); the header has: "Turku", "puhelu"`},
		{name: "missing type column", in: "aika;kunta\n1.1.2021;Turku\n", row: 1, msg: "no type column (tyyppi or type)"},
		{name: "unknown type", in: "aika;kunta;tyyppi\n1.1.2021;Turku;puhelu\n2.1.2021;Turku;kirje\n", row: 3, column: 3, msg: `"kirje" is not an activity type`},
		{name: "empty type", in: "aika;kunta;tyyppi\n1.1.2021;Turku;\n", row: 2, column: 3, msg: "the type is empty"},
		{name: "bad date", in: "aika;kunta;tyyppi\n31.2.2021 8:00;Turku;puhelu\n", row: 2, column: 1, msg: `"31.2.2021 8:00" is an impossible date`},
		{name: "empty time", in: "aika;kunta;tyyppi\n;Turku;puhelu\n", row: 2, column: 1, msg: "the time is empty"},
		{name: "a short row", in: "aika;kunta;tyyppi\n1.1.2021;Turku\n", row: 2, msg: "the row has 2 fields but the header (row 1) has 3"},
		{
			name: "every bad row",
			in:   "aika;kunta;tyyppi\n1.1.2021;Turku;kirje\n2.1.2021;Turku;puhelu\nx;Turku;puhelu\n3.1.2021;Turku;fax\n",
			row:  2, column: 3, msg: `"kirje" is not an activity type`, count: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			err := ReadActivities(strings.NewReader(tc.in), "log.csv", ActivityMapping{}, func(*Event) error { n++; return nil })
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.File != "log.csv" || e.Row != tc.row || e.Column != tc.column || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %q (row %d, column %d), want row %d, column %d, with %q", e.Error(), e.Row, e.Column, tc.row, tc.column, tc.msg)
			}
			var many *Errors
			if tc.count > 0 && (!errors.As(err, &many) || len(many.List) != tc.count) {
				t.Errorf("got %v, want %d problems", err, tc.count)
			}
			if n > 1 {
				t.Errorf("%d events reached the caller of a bad file; want at most the rows before the first problem", n)
			}
		})
	}
}

func TestReadActivitiesCallbackError(t *testing.T) {
	stop := errors.New("stop")
	err := ReadActivities(strings.NewReader(canonical), "log.csv", ActivityMapping{}, func(*Event) error { return stop })
	if err != stop {
		t.Errorf("got %v, want the callback's error", err)
	}
}

// activityWorkbook is an XLSX log: a first sheet without a header, then a sheet of events
// after a title, one with a date cell, the last of type lastType.
func activityWorkbook(t *testing.T, lastType string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Tiedot")
	f.SetSheetRow("Tiedot", "A1", &[]any{"Raportti tammikuu 2021"})
	f.NewSheet("Tapahtumat")
	rows := [][]any{
		{"Export 2021-01"},
		{},
		{"Aika", "Kunta", "Tyyppi", "Tunniste"},
		{"31.1.2021 23:59:59", "Turku", "puhelu", 1001},
		{44228.0, "Pargas", "käynti", "1002"}, // 1.2.2021 00:00 as a date cell
		{},
		{"2021-02-01T01:00:00+03:00", 853, lastType, "1003"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Tapahtumat", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm: shown as a date, stored as a number
	f.SetCellStyle("Tapahtumat", "A5", "A5", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadActivitiesXLSX(t *testing.T) {
	book := activityWorkbook(t, "chat")
	got, err := readEvents(t, book, ActivityMapping{Source: "crm"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`4 2021-01-31 "Turku" call "crm" "1001"`,
		`5 2021-02-01 "Pargas" visit "crm" "1002"`,
		`7 2021-02-01 "853" chat "crm" "1003"`, // 01:00 at +03:00 is midnight in Helsinki
	}
	sameEvents(t, got, want)

	// A bad cell names the sheet, row and column.
	_, err = readEvents(t, activityWorkbook(t, "kirje"), ActivityMapping{})
	var e *Error
	if !errors.As(err, &e) || e.Sheet != "Tapahtumat" || e.Row != 7 || e.Column != 3 || e.ColumnName != "Tyyppi" {
		t.Errorf("got %v, want sheet Tapahtumat, row 7, column 3 (Tyyppi)", err)
	}
	// Truncated: the reader says so.
	_, err = readEvents(t, book[:len(book)/2], ActivityMapping{})
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "not an XLSX workbook") {
		t.Errorf("got %v, want a damaged workbook", err)
	}
}
