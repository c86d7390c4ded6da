package ingest

import (
	"fmt"
	"math"
	"time"
	_ "time/tzdata" // Europe/Helsinki wherever the program runs

	"github.com/kuntalasku/kuntalasku/compute"
)

// Helsinki is the time zone of times written without an offset, and of the dates events are
// counted on.
var Helsinki = mustZone("Europe/Helsinki")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in: cannot happen
	}
	return loc
}

// eventTime is a parsed timestamp: the wall clock as written and, when the text had one, its
// offset from UTC.
type eventTime struct {
	year, month, day, hour, minute, second int
	offset                                 int // seconds east of UTC
	hasOffset                              bool
}

const timeForms = `expected a time such as "31.1.2021 14:05", "2021-01-31T14:05:00+02:00" or "2021-01-31 14:05"`

// parseEventTime reads the time of an event: Finnish "31.1.2021 14:05", "31.1.2021 14:05:09",
// "31.1.2021 klo 14.05" or a date alone "31.1.2021", or ISO 8601 "2021-01-31T14:05:09",
// "2021-01-31 14:05", with an optional fraction of a second and an optional offset ("Z",
// "+02:00", "+0200"). It does not allocate for a valid time.
func parseEventTime(s string) (eventTime, error) {
	var t eventTime
	p := scanner{s: s}
	a, na := p.number()
	switch {
	case na == 4 && p.take('-'): // ISO
		t.year = a
		t.month, _ = p.number()
		if !p.take('-') {
			return t, badTime(s)
		}
		t.day, _ = p.number()
		if p.done() {
			return t, t.check(s)
		}
		if !p.take('T') && !p.take(' ') {
			return t, badTime(s)
		}
	case na >= 1 && na <= 2 && p.take('.'): // Finnish
		t.day = a
		t.month, _ = p.number()
		if !p.take('.') {
			return t, badTime(s)
		}
		var ny int
		t.year, ny = p.number()
		if ny != 4 {
			return t, badTime(s)
		}
		if p.done() {
			return t, t.check(s)
		}
		if !p.take(' ') {
			return t, badTime(s)
		}
		p.spaces()
		if p.word("klo") {
			p.spaces()
		}
	default:
		return t, badTime(s)
	}
	var n int
	if t.hour, n = p.number(); n < 1 || n > 2 {
		return t, badTime(s)
	}
	sep := p.peek()
	if sep != ':' && sep != '.' {
		return t, badTime(s)
	}
	p.i++
	if t.minute, n = p.number(); n != 2 {
		return t, badTime(s)
	}
	if p.take(sep) {
		if t.second, n = p.number(); n != 2 {
			return t, badTime(s)
		}
		if p.take('.') || p.take(',') { // a fraction of a second, dropped
			if _, n = p.number(); n == 0 {
				return t, badTime(s)
			}
		}
	}
	switch c := p.peek(); {
	case c == 'Z' || c == 'z':
		p.i++
		t.hasOffset = true
	case c == '+' || c == '-':
		p.i++
		h, nh := p.number()
		m := 0
		switch {
		case nh == 4:
			h, m = h/100, h%100
		case nh == 2 && p.take(':'):
			var nm int
			if m, nm = p.number(); nm != 2 {
				return t, badTime(s)
			}
		case nh != 2:
			return t, badTime(s)
		}
		if h > 14 || m > 59 {
			return t, badTime(s)
		}
		t.offset = h*3600 + m*60
		if c == '-' {
			t.offset = -t.offset
		}
		t.hasOffset = true
	}
	if !p.done() {
		return t, badTime(s)
	}
	return t, t.check(s)
}

func badTime(s string) error {
	return fmt.Errorf("%q is not a time; %s", s, timeForms)
}

// check reports an impossible date or time of day.
func (t eventTime) check(s string) error {
	switch {
	case t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysIn(t.year, t.month) || t.year < 1900 || t.year > 2999:
		return fmt.Errorf("%q is an impossible date; %s", s, timeForms)
	case t.hour > 23 || t.minute > 59 || t.second > 59:
		return fmt.Errorf("%q is an impossible time of day; %s", s, timeForms)
	}
	return nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// localDate is the date of t in Helsinki: the date as written when the text had no offset,
// else the date of that instant on Helsinki's clock.
func (t eventTime) localDate() compute.Date {
	if !t.hasOffset {
		return compute.Date{Year: t.year, Month: time.Month(t.month), Day: t.day}
	}
	utc := time.Date(t.year, time.Month(t.month), t.day, t.hour, t.minute, t.second, 0, time.UTC).
		Add(-time.Duration(t.offset) * time.Second)
	return compute.DateOf(utc.In(Helsinki))
}

// excelTime reads an Excel date-time serial number (days since 30.12.1899, the 1900 date
// system) as a wall-clock time in Helsinki, to the nearest second.
func excelTime(s string) (eventTime, bool) {
	f, ok := parseSerial(s)
	if !ok || f < 1 || f > 401768 { // 1.1.1900 … 31.12.2999
		return eventTime{}, false
	}
	secs := int64(math.Round(f * 86400))
	tm := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(secs) * time.Second)
	return eventTime{
		year: tm.Year(), month: int(tm.Month()), day: tm.Day(),
		hour: tm.Hour(), minute: tm.Minute(), second: tm.Second(),
	}, true
}

// parseSerial reads a plain decimal number such as "44227.5868055556".
func parseSerial(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	var f float64
	if _, err := fmt.Sscanf(s, "%g", &f); err != nil {
		return 0, false
	}
	return f, true
}

// scanner reads a string left to right.
type scanner struct {
	s string
	i int
}

// number reads up to 4 digits and returns their value and how many there were.
func (p *scanner) number() (int, int) {
	n, start := 0, p.i
	for p.i < len(p.s) && p.i-start < 4 && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return n, p.i - start
}

func (p *scanner) take(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scanner) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *scanner) spaces() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// word reads w in any case.
func (p *scanner) word(w string) bool {
	if len(p.s)-p.i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if p.s[p.i+j]|0x20 != w[j] {
			return false
		}
	}
	p.i += len(w)
	return true
}

func (p *scanner) done() bool { return p.i == len(p.s) }
