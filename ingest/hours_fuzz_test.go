package ingest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// checkListResult fails unless err is nil or an input problem.
func checkListResult(t *testing.T, err error) {
	t.Helper()
	var pe *Error
	if err != nil && !errors.As(err, &pe) {
		t.Fatalf("got %T %v, want an input problem", err, err)
	}
}

// checkListRow fails unless the row comes after last and the date exists.
func checkListRow(t *testing.T, row, last int, d compute.Date) {
	t.Helper()
	if row <= last {
		t.Fatalf("row %d after row %d", row, last)
	}
	if _, err := compute.NewDate(d.Year, d.Month, d.Day); err != nil || d.Year < 1900 || d.Year > 2999 {
		t.Fatalf("row %d: date %v", row, d)
	}
}

// FuzzReadHours reads any bytes as an hours log: an input problem or entries that keep the
// format's promises, never a panic.
func FuzzReadHours(f *testing.F) {
	for _, seed := range []string{
		hoursFi,
		crlf(win1252(f, hoursFi)),
		"\uFEFFDate,Subscriber,Hours,Kind,Description\n2022-03-15,hus,7.5,WORK,x\n16.3.2022,keusote,\"0,25\",training,\"a\nb\"\n",
		"KUVAUS\tLaji\tTUNNIT\tTilaaja\tPÄIVÄ\n\tkoulutus\t1,333\thus\t31.2.2022\n;;;;\n",
		"päivä;tilaaja;tunnit;laji;kuvaus\n15.3.2022 8:00;;-1;muu;\n15.3.2022;hus;1;työ\n",
		"päivä;tilaaja;tunnit;laji;kuvaus\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadHours(bytes.NewReader(data), "fuzz.csv", func(e *HourEntry) error {
			checkListRow(t, e.Row, last, e.Date)
			last = e.Row
			if !e.Hours.IsPositive() || !twoDecimals(e.Hours) {
				t.Fatalf("row %d: hours %v", e.Row, e.Hours)
			}
			if e.Kind != KindWork && e.Kind != KindTraining {
				t.Fatalf("row %d: kind %q", e.Row, e.Kind)
			}
			if e.Subscriber == "" {
				t.Fatalf("row %d: no subscriber", e.Row)
			}
			return nil
		})
		checkListResult(t, err)
	})
}

// FuzzReadManualLines reads any bytes as manual lines: an input problem or lines that keep the
// format's promises, never a panic.
func FuzzReadManualLines(f *testing.F) {
	for _, seed := range []string{
		manualFi,
		crlf(win1252(f, manualFi)),
		"\uFEFFdate,subscriber,description,amount,vat_rate\n2022-03-31,hus,x,250.00,25.5\n31.3.2022,hus,y,\"-50,00\",24 %\n",
		"ALV\tSumma\tKuvaus\tTILAAJA\tPäivä\n100\t1 234,00\t\thus\t31.4.2022\n\t\t\t\t\n",
		"päivä;tilaaja;kuvaus;summa;alv\n2022-03-31T12:00;hus;x;0;-1\n2022-03-31;hus;x;12,345;25,555\n",
		"päivä;tilaaja;kuvaus;summa;alv\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	hundred := decimal.NewFromInt(100)
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadManualLines(bytes.NewReader(data), "fuzz.csv", func(m *ManualLine) error {
			checkListRow(t, m.Row, last, m.Date)
			last = m.Row
			if m.Amount == 0 || m.Amount.Abs() > compute.MaxMoney {
				t.Fatalf("row %d: amount %v", m.Row, m.Amount)
			}
			if m.VATRate.IsNegative() || m.VATRate.GreaterThanOrEqual(hundred) || !twoDecimals(m.VATRate) {
				t.Fatalf("row %d: VAT rate %v", m.Row, m.VATRate)
			}
			if m.Subscriber == "" || m.Description == "" {
				t.Fatalf("row %d: subscriber %q, description %q", m.Row, m.Subscriber, m.Description)
			}
			return nil
		})
		checkListResult(t, err)
	})
}
