package ingest

import (
	"fmt"
	"math"
	"strconv"
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
// "+02:00", "+0200"). It reads a cell's string or, for the CSV fast path, a field's bytes, the
// same way, and does not allocate for a valid time.
func parseEventTime[T string | []byte](s T) (eventTime, error) {
	var t eventTime
	p := textScanner[T]{s: s}
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
			return t, checkTime(t, s)
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
			return t, checkTime(t, s)
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
	return t, checkTime(t, s)
}

// badTime is the error for text that is not a time. The text is copied only here, so that a
// valid time read from bytes costs no allocation.
func badTime[T string | []byte](s T) error {
	return fmt.Errorf("%q is not a time; %s", string(s), timeForms)
}

// checkTime reports an impossible date or time of day in t, read from s.
func checkTime[T string | []byte](t eventTime, s T) error {
	if what := t.impossible(); what != "" {
		return fmt.Errorf("%q is %s; %s", string(s), what, timeForms)
	}
	return nil
}

// impossible says what is wrong with t's date or time of day, or returns "" when both exist.
func (t *eventTime) impossible() string {
	switch {
	case !dateExists(t.year, t.month, t.day):
		return "an impossible date"
	case !clockExists(t.hour, t.minute, t.second):
		return "an impossible time of day"
	}
	return ""
}

// dateExists says whether the date is one of the years 1900–2999 we read.
func dateExists(year, month, day int) bool {
	return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && year >= 1900 && year <= 2999
}

// clockExists says whether a clock shows the time of day (hour, minute and second are ≥ 0).
func clockExists(hour, minute, second int) bool {
	return hour <= 23 && minute <= 59 && second <= 59
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
// else the date of that instant on Helsinki's clock. t is a valid time (impossible is "").
func (t *eventTime) localDate(c *helsinkiClock) compute.Date {
	written := compute.Date{Year: t.year, Month: time.Month(t.month), Day: t.day}
	if !t.hasOffset {
		return written
	}
	days := c.daysSinceEpoch(t.year, t.month, t.day)
	secs := int64(t.hour*3600 + t.minute*60 + t.second) // since the written midnight
	unix := days*86400 + secs - int64(t.offset)
	local := secs - int64(t.offset) + c.offsetAt(unix) // since the written midnight, in Helsinki
	if 0 <= local && local < 86400 {
		return written // the usual case: Helsinki is on the same day
	}
	for local < 0 { // a day off at most: the offsets are less than 15 hours
		local += 86400
		days--
	}
	for local >= 86400 {
		local -= 86400
		days++
	}
	return dateOfDays(days)
}

// helsinkiClock finds Helsinki's offset from UTC at an instant. It remembers the span of time
// the last offset it found holds for (between two changes of summer time, or before 1921 the
// mean solar time) and answers from it when it can: the events of a log come in time order,
// and time.Time.In costs more than the rest of reading a row. It also remembers the day number
// of the last date (see daysSinceEpoch). The zero value is ready to use; it is not safe for
// concurrent use (each reader has its own).
type helsinkiClock struct {
	from, until int64 // the span [from, until), in Unix seconds, where offset holds
	offset      int64 // seconds east of UTC
	known       bool

	year, month, day int   // the last date looked up, 0 for none
	days             int64 // its day number
}

// daysSinceEpoch is daysSinceEpoch(year, month, day), remembered for the next row's date.
func (c *helsinkiClock) daysSinceEpoch(year, month, day int) int64 {
	if year != c.year || month != c.month || day != c.day {
		c.year, c.month, c.day = year, month, day
		c.days = daysSinceEpoch(year, month, day)
	}
	return c.days
}

// offsetAt is Helsinki's offset from UTC, in seconds, at the Unix time unix.
func (c *helsinkiClock) offsetAt(unix int64) int64 {
	if c.known && c.from <= unix && unix < c.until {
		return c.offset
	}
	t := time.Unix(unix, 0).In(Helsinki)
	_, offset := t.Zone()
	start, end := t.ZoneBounds() // zero when the span has no start or no end
	c.from, c.until, c.offset, c.known = math.MinInt64, math.MaxInt64, int64(offset), true
	if !start.IsZero() {
		c.from = start.Unix()
	}
	if !end.IsZero() {
		c.until = end.Unix()
	}
	if unix < c.from || unix >= c.until {
		// ZoneBounds can be off by a day at the end of a leap year after the last change
		// the time zone database lists (2037): remember this second alone.
		c.from, c.until = unix, unix+1
	}
	return c.offset
}

// daysSinceEpoch is the number of days from 1.1.1970 to the date, in the proleptic Gregorian
// calendar, for years from 1 on (H. Hinnant's days_from_civil, with years starting in March).
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400                                    // [0, 399]
	doy := (153*int64((month+9)%12)+2)/5 + int64(day) - 1 // [0, 365], from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy                // [0, 146096]
	return era*146097 + doe - 719468
}

// dateOfDays is the date days after 1.1.1970, the inverse of daysSinceEpoch.
func dateOfDays(days int64) compute.Date {
	z := days + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153 // 0 for March … 11 for February
	day := doy - (153*mp+2)/5 + 1
	month, year := mp+3, yoe+era*400
	if month > 12 {
		month -= 12
		year++
	}
	return compute.Date{Year: int(year), Month: time.Month(month), Day: int(day)}
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

// parseSerial reads a plain decimal number such as "44227.5868055556", and nothing else: the
// text "31.1.2021" is a date in words, not the number 31.1 (strconv reads the whole string,
// where fmt.Sscanf stopped at the second dot and made it 30 January 1900).
func parseSerial(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// textScanner reads a string, or bytes, left to right.
type textScanner[T string | []byte] struct {
	s T
	i int
}

// scanner reads a string left to right.
type scanner = textScanner[string]

// number reads up to 4 digits and returns their value and how many there were.
func (p *textScanner[T]) number() (int, int) {
	n, start := 0, p.i
	for p.i < len(p.s) && p.i-start < 4 && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return n, p.i - start
}

func (p *textScanner[T]) take(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *textScanner[T]) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *textScanner[T]) spaces() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// word reads w in any case.
func (p *textScanner[T]) word(w string) bool {
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

func (p *textScanner[T]) done() bool { return p.i == len(p.s) }
