package ingest

// The CSV fast path (activity_fast.go) is checked against the general reader: for any input,
// both must pass the same events to fn and fail the same way.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// readResult is what a reader passed to fn and returned.
type readResult struct {
	events []Event
	err    error
}

var errStopReading = errors.New("stop")

// readWith reads data with the fast path tuned by fast, or with the general reader alone when
// fast is nil. fn fails at event stopAfter (never when 0).
func readWith(r io.Reader, m ActivityMapping, fast *fastOptions, stopAfter int) readResult {
	var res readResult
	res.err = readActivities(r, "log.csv", m, func(e *Event) error {
		res.events = append(res.events, *e)
		if len(res.events) == stopAfter {
			return errStopReading
		}
		return nil
	}, fast)
	return res
}

// diff describes how got (the fast path) differs from want (the general reader), or is "".
func (got readResult) diff(want readResult) string {
	var b strings.Builder
	if !reflect.DeepEqual(got.events, want.events) {
		fmt.Fprintf(&b, "events differ: %d, want %d\n", len(got.events), len(want.events))
		for i := 0; i < len(got.events) || i < len(want.events); i++ {
			var g, w string
			if i < len(got.events) {
				g = fmt.Sprintf("%+v", got.events[i])
			}
			if i < len(want.events) {
				w = fmt.Sprintf("%+v", want.events[i])
			}
			if g != w {
				fmt.Fprintf(&b, "  event %d: got  %s\n            want %s\n", i, g, w)
				break
			}
		}
	}
	if !reflect.DeepEqual(got.err, want.err) {
		fmt.Fprintf(&b, "errors differ:\ngot  %T %v\nwant %T %v\n", got.err, got.err, want.err, want.err)
	}
	return b.String()
}

// checkSame reads data with the general reader and with the fast path tuned by each of opts,
// and fails the test when they differ.
func checkSame(t testing.TB, data []byte, m ActivityMapping, stopAfter int, opts ...fastOptions) {
	t.Helper()
	want := readWith(bytes.NewReader(data), m, nil, stopAfter)
	for _, o := range opts {
		if d := readWith(bytes.NewReader(data), m, &o, stopAfter).diff(want); d != "" {
			t.Fatalf("fast path (buffer %d, helper from %d) and general reader differ on %q:\n%s", o.bufferSize, o.helperMin, clip(data), d)
		}
	}
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:1000]) + " … " + string(b[len(b)-1000:])
	}
	return string(b)
}

// tinyBuffers are fast path tunings that bring a file's edges into its first rounds: lines
// cut by the buffer, lines longer than it, blocks on the helper.
var tinyBuffers = []fastOptions{
	defaultFast,
	{bufferSize: 1, helperMin: 0},
	{bufferSize: 5, helperMin: 0},
	{bufferSize: 37, helperMin: 0},
	{bufferSize: 100, helperMin: 1},
	{bufferSize: 301, helperMin: 50},
	{bufferSize: 4096, helperMin: 0},
}

// mappedActivity is a mapping with other column names, a fixed type and ignored types.
func mappedActivity() ActivityMapping {
	call := compute.ActivityCall
	return ActivityMapping{Source: "puhelin", Time: "Aloitusaika", Municipality: "Asiakkaan kotikunta",
		ID: "Puhelun tunnus", FixedType: &call, IgnoreTypes: []string{"sisäinen"}}
}

// oneColumnActivity reads the time and the municipality from one column, the only one a file
// needs: a row of one field is then a row.
func oneColumnActivity() ActivityMapping {
	visit := compute.ActivityVisit
	return ActivityMapping{Time: "aika", Municipality: "aika", FixedType: &visit}
}

// typedActivity is a mapping of the canonical columns with more type spellings and a source column.
func typedActivity() ActivityMapping {
	return ActivityMapping{Source: "crm", SourceColumn: "lähde",
		TypeValues:  map[string]compute.ActivityType{"Saapuva puhelu": compute.ActivityCall},
		IgnoreTypes: []string{"sisäinen", "Sisäinen puhelu"}}
}

// FuzzReadActivitiesFast reads any bytes with the general reader and with the fast path, with
// the buffer cut anywhere, and wants the same events and the same errors.
func FuzzReadActivitiesFast(f *testing.F) {
	for _, seed := range []string{
		canonical,
		crlf(win1252(f, canonical)),
		"\uFEFF" + "Time,Municipality,Type,Source,Id\n2021-05-03 10:00,Turku,samtal,phone,1\n2021-05-03T10:00:00.5Z,KU853,Contact Request,,2\n",
		win1252(f, phoneExport),
		"aika\tkunta\ttyyppi\n31.1.2021 klo 23.59;Turku;chat\n29.2.2021\tTurku\tkirje\n",
		"aika;kunta;tyyppi\n\"1.1.2021\n8:00\";\"Tur\"\"ku\";puhelu\n2021-01-02T08:00:00+02:00;Turku;puhelu\n",
		"Raportti\n\naika;kunta;tyyppi;lähde\r\n2021-01-01T08:00:00+02:00; Turku ;Puhelu;crm\r\n\r\n2021-01-01 08:00:00Z;Pargas;sisäinen;\r\n\u00a02021-01-01T08:00\u00a0;Åbo;visit;x\r",
		"aika;kunta;tyyppi\n2021-03-28T01:00:00Z;Turku;puhelu\n2021-10-31T00:59:59Z;Turku;chat\n1900-01-01T00:00:00+14:59;Turku;chat\n2999-12-31T23:59:59-14:59;Turku;chat\n",
		"aika;kunta;tyyppi\n2021-01-01T08:00:00+02:00;Turku;puhelu;extra\n2021-01-01T08:00:00+02:00;Turku\n2021-02-29T08:00:00+02:00;Turku;fax\n",
		"aika;kunta;tyyppi\n2021-01-01T08:00:00+02:00;Turku;puhelu\nKoski Tl;\"x\";2021-01-01\n",
		"Aloitusaika;Asiakkaan kotikunta;Puhelun tunnus\n4.1.2021 8:02:11;Kimito\xf6n;P1\n4.1.2021;Mynama\u0308ki;P2\n",
		"aika\n2021-01-01\n\r\nx\n\r\r\n2021-01-02T08:00Z\n\n\r",
		"",
	} {
		f.Add([]byte(seed), uint16(0), false)
		f.Add([]byte(seed), uint16(7), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint16, stop bool) {
		o := defaultFast
		if size > 0 {
			o = fastOptions{bufferSize: int(size % 2048), helperMin: int(size / 2048)}
			if o.bufferSize == 0 {
				o.bufferSize = 1
			}
		}
		stopAfter := 0
		if stop {
			stopAfter = 1 + len(data)%5
		}
		for _, m := range []ActivityMapping{{}, mappedActivity(), typedActivity(), oneColumnActivity()} {
			checkSame(t, data, m, stopAfter, o)
		}
	})
}

// TestFastPathMatchesGeneral reads generated logs — every dialect, encoding and flaw a log may
// have, in long runs of plain lines — with the general reader and with the fast path.
func TestFastPathMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 400
	if testing.Short() {
		n = 50
	}
	for i := range n {
		g := newLogGen(rng)
		data, m := g.log(t, rng)
		stopAfter := 0
		if rng.IntN(8) == 0 {
			stopAfter = 1 + rng.IntN(50)
		}
		opts := []fastOptions{defaultFast, tinyBuffers[1+rng.IntN(len(tinyBuffers)-1)],
			{bufferSize: 1 + rng.IntN(len(data)+1), helperMin: rng.IntN(64)}}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkSame(t, data, m, stopAfter, opts...)
			if i%4 == 0 {
				checkSame(t, data, oneColumnActivity(), stopAfter, opts...)
			}
		})
	}
}

// logGen writes a random log.
type logGen struct {
	sep        string
	crlf       bool
	columns    []string // header names, in file order: some of time, muni, type, id, source, other
	flawRate   int      // one line in flawRate has a flaw (0: none)
	badRate    int      // one value in badRate is bad
	encoding   int      // 0 UTF-8, 1 UTF-8 with BOM, 2 Windows-1252
	asciiFirst bool     // 70 kB of ASCII lines first, so that the encoding is decided late
	clean      bool     // no bad rows: flaws only of the kinds that are still good rows
	types      []string // the type spellings the mapping knows
}

func newLogGen(rng *rand.Rand) *logGen {
	g := &logGen{sep: []string{";", ",", "\t"}[rng.IntN(3)], crlf: rng.IntN(3) == 0, encoding: rng.IntN(3)}
	if rng.IntN(3) > 0 {
		g.flawRate = 2 + rng.IntN(300)
	}
	if rng.IntN(3) > 0 {
		g.badRate = 2 + rng.IntN(500)
	}
	g.asciiFirst = rng.IntN(10) == 0
	if g.clean = rng.IntN(2) == 0; g.clean {
		g.badRate = 0
	}
	g.columns = []string{"time", "muni", "type"}
	if rng.IntN(2) == 0 {
		g.columns = append(g.columns, "id")
	}
	if rng.IntN(3) == 0 {
		g.columns = append(g.columns, "source")
	}
	if rng.IntN(4) == 0 {
		g.columns = append(g.columns, "other")
	}
	rng.Shuffle(len(g.columns), func(i, j int) { g.columns[i], g.columns[j] = g.columns[j], g.columns[i] })
	return g
}

var (
	genTimes = []string{
		"2021-01-31T14:05:09+02:00", "2021-06-30T23:30:00+03:00", "2021-03-28T03:30:00+03:00",
		"2021-10-31T03:30:00+02:00", "2021-12-31T23:30:00-05:00", "2021-05-31T21:00:00Z",
		"2021-05-31 21:00:00z", "2021-01-31T14:05", "2021-01-31 14:05:09", "2021-01-31",
		"2021-01-31T14:05:09.123+02:00", "2021-01-31T14:05:09+0200", "31.1.2021 14:05",
		"1.2.2021 0:00:00", "31.1.2021 klo 14.05", "31.1.2021", "01.02.2021 00:00",
		"1900-01-01T00:00:00+14:00", "2999-12-31T23:59:59-14:59", "1920-06-01T12:00:00Z",
		"2038-07-01T12:00:00+03:00", "2400-02-29T00:00:00Z",
	}
	genBadTimes = []string{
		"", "2021-02-29T08:00:00+02:00", "2021-13-01T08:00:00Z", "2021-01-01T24:00:00Z",
		"2021-01-01T08:60", "2021-01-01T08:00:00+15:00", "2021-01-01T08:00:00+02:60",
		"31.2.2021 8:00", "1/31/2021", "2021-01-31T14", "tänään", "1899-12-31T23:59:59Z",
		"3000-01-01", "2021-01-01T08:00:00 +02:00", "2021-1-1T8:00", "２０２１-01-01",
		"2021-01-01T08:00:00+02:00x", "2021-01-01T08:00:00.+02:00",
	}
	genMunis = []string{
		"Turku", "Åbo", "KU853", "853 Turku", "Pargas", "Kemiönsaari", "Mynämäki", "Mynama\u0308ki",
		"Pöytyä", "Koski Tl", "", "Uusikaupunki", "Nystad", "Sauvo", "Salo",
	}
	genTypes = []string{
		"puhelu", "PUHELU", "samtal", "call", "käynti", "besök", "Visit", "yhteydenottopyyntö",
		"YHTEYDENOTTOPYYNTÖ", "kontaktbegäran", "contact request", "Contact_Request", "contact-request",
		"chat", "chat-yhteys", "chatt",
	}
	genTypedTypes = append([]string{"Saapuva puhelu", "sisäinen", "Sisäinen puhelu"}, genTypes...) // typedActivity's
	genBadTypes   = []string{"", "kirje", "fax", "puhelu!"}
)

// pick is one of vs, sometimes padded with white space as exports do (a tab unless tabs
// separate the fields).
func (g *logGen) pick(rng *rand.Rand, vs []string) string {
	v := vs[rng.IntN(len(vs))]
	switch rng.IntN(40) {
	case 0:
		v = " " + v + " "
	case 1:
		if g.sep != "\t" {
			v = "\t" + v
		}
	case 2:
		v = "\u00a0" + v + "\u00a0" // trimmed by strings.TrimSpace, not by an ASCII trim
	case 3:
		v += "\r"
	}
	return v
}

// log is a generated log and the mapping to read it with.
func (g *logGen) log(t *testing.T, rng *rand.Rand) ([]byte, ActivityMapping) {
	m := ActivityMapping{}
	names := map[string]string{"time": "aika", "muni": "kunta", "type": "tyyppi", "id": "tunniste", "source": "lähde", "other": "Jono"}
	g.types = genTypes
	switch rng.IntN(4) {
	case 0:
		names = map[string]string{"time": "Time", "muni": "MUNICIPALITY", "type": "type", "id": "Id", "source": "Source", "other": "Queue"}
	case 1:
		m = typedActivity()
		names["source"] = "Lähde"
		g.types = genTypedTypes
	}
	if !strings.Contains(strings.Join(g.columns, " "), "source") {
		m.SourceColumn = ""
	}
	var b strings.Builder
	nl := "\n"
	if g.crlf {
		nl = "\r\n"
	}
	if rng.IntN(4) == 0 {
		b.WriteString("Raportti 2021" + nl + nl)
	}
	header := make([]string, len(g.columns))
	for i, c := range g.columns {
		header[i] = names[c]
	}
	b.WriteString(strings.Join(header, g.sep) + nl)
	if g.asciiFirst {
		for b.Len() < 70<<10 {
			b.WriteString(g.line(rng, false, true) + nl)
		}
	}
	rows := rng.IntN(3000)
	for range rows {
		flaw := g.flawRate > 0 && rng.IntN(g.flawRate) == 0
		b.WriteString(g.line(rng, flaw, false))
		if flaw && !g.clean && rng.IntN(3) == 0 {
			continue // no line end: the next line joins this one
		}
		b.WriteString(nl)
	}
	if rng.IntN(3) == 0 {
		b.WriteString(g.line(rng, false, false)) // no final line end
	}
	text := b.String()
	switch g.encoding {
	case 1:
		text = "\uFEFF" + text
	case 2:
		if enc, err := charmap.Windows1252.NewEncoder().String(text); err == nil {
			text = enc
		}
	}
	return []byte(text), m
}

// line is a row, with a flaw when flaw is set; ascii keeps it to ASCII.
func (g *logGen) line(rng *rand.Rand, flaw, ascii bool) string {
	cells := make([]string, len(g.columns))
	for i, c := range g.columns {
		bad := g.badRate > 0 && rng.IntN(g.badRate) == 0
		switch c {
		case "time":
			if bad {
				cells[i] = g.pick(rng, genBadTimes)
			} else {
				cells[i] = g.pick(rng, genTimes)
			}
		case "muni":
			cells[i] = g.pick(rng, genMunis)
		case "type":
			if bad {
				cells[i] = g.pick(rng, genBadTypes)
			} else {
				cells[i] = g.pick(rng, g.types)
			}
		case "id":
			cells[i] = fmt.Sprintf("A-%d", rng.IntN(1e6))
			if rng.IntN(20) == 0 {
				cells[i] = ""
			}
		case "source":
			cells[i] = []string{"", "crm", "puhelin", "chat"}[rng.IntN(4)]
		case "other":
			cells[i] = "Palveluohjaus"
		}
		if ascii && !isASCII(cells[i]) {
			cells[i] = map[string]string{"time": "2021-01-01", "muni": "Turku", "type": "call"}[c]
		}
	}
	if flaw && g.clean {
		switch rng.IntN(5) {
		case 0: // a quoted field
			i := rng.IntN(len(cells))
			cells[i] = `"` + strings.ReplaceAll(cells[i], `"`, `""`) + `"`
		case 1: // a quoted municipality over two lines
			cells[slices.Index(g.columns, "muni")] = "\"Tur\nku\""
		case 2: // an empty line
			return ""
		case 3: // a lone carriage return: an empty line, where lines end in "\n" alone
			if !g.crlf {
				return "\r"
			}
		case 4: // a bad byte in a name, after the start that decided the encoding
			if g.asciiFirst {
				cells[slices.Index(g.columns, "muni")] += "\xff\x81"
			}
		}
	} else if flaw {
		switch rng.IntN(10) {
		case 0: // a quoted field
			i := rng.IntN(len(cells))
			cells[i] = `"` + strings.ReplaceAll(cells[i], `"`, `""`) + `"`
		case 1: // a quoted field over two lines
			cells[rng.IntN(len(cells))] = "\"Tur\nku\""
		case 2: // a stray quote
			cells[rng.IntN(len(cells))] += `"`
		case 3: // a field too few
			cells = cells[1:]
		case 4: // a field too many
			cells = append(cells, "x")
		case 5: // an empty line
			return ""
		case 6: // white space only
			return "  "
		case 7: // a lone carriage return
			return "\r"
		case 8: // one character
			return "x"
		case 9: // a bad byte
			cells[rng.IntN(len(cells))] += "\xff\x81"
		}
	}
	return strings.Join(cells, g.sep)
}

// TestFastPathBigLogs reads long logs, many rounds of the helper, with a flaw near the end.
func TestFastPathBigLogs(t *testing.T) {
	log := canonicalLog(100_000, true)
	checkSame(t, log, ActivityMapping{}, 0, defaultFast, fastOptions{bufferSize: 64 << 10, helperMin: 0})
	checkSame(t, log, ActivityMapping{}, 77_777, defaultFast)
	for _, flaw := range []string{
		"\"2021-01-01T08:00:00+02:00\";Turku;puhelu;x\n",     // quoted: the general reader takes over
		"2021-01-01T08:00:00+02:00;Turku;kirje;x\n",          // a bad row
		"2021-01-01T08:00:00+02:00;Turku;puhelu\n",           // a short row
		strings.Repeat("x", 2<<20) + ";Turku;puhelu;x\n",     // longer than the buffer
		"2021-01-01T08:00:00+02:00;\"Tur\nku\";puhelu;x\r\n", // a quoted line end
	} {
		for _, at := range []int{len(log) / 3, len(log) - 100} {
			at = bytes.IndexByte(log[at:], '\n') + at + 1
			data := append(append(append([]byte{}, log[:at]...), flaw...), log[at:]...)
			checkSame(t, data, ActivityMapping{}, 0, defaultFast, fastOptions{bufferSize: 100 << 10, helperMin: 0})
		}
	}
}

// chunkedFailingReader returns its data, then fails.
type chunkedFailingReader struct {
	data  []byte
	chunk int
}

var errDisk = errors.New("disk on fire")

func (r *chunkedFailingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errDisk
	}
	n := min(len(p), len(r.data), r.chunk)
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// TestFastPathReadError fails the reading anywhere: the fast path reports the failure where the
// general reader does, after the same events.
func TestFastPathReadError(t *testing.T) {
	log := canonicalLog(20_000, false)
	for _, at := range []int{3, 20, 100, 64 << 10, 64<<10 + 7, 300 << 10, len(log) - 1} {
		for _, chunk := range []int{1 << 20, 4096, 777} {
			want := readWith(&chunkedFailingReader{log[:at], chunk}, ActivityMapping{}, nil, 0)
			if !errors.Is(want.err, errDisk) {
				t.Fatalf("at %d: got %v, want the read error", at, want.err)
			}
			for _, o := range []fastOptions{defaultFast, {bufferSize: 10 << 10, helperMin: 0}} {
				got := readWith(&chunkedFailingReader{log[:at], chunk}, ActivityMapping{}, &o, 0)
				if d := got.diff(want); d != "" {
					t.Errorf("failing at %d, chunks of %d, buffer %d:\n%s", at, chunk, o.bufferSize, d)
				}
			}
		}
	}
}

// TestFastPathReadsPlainLinesOnly checks that the fast path does the work where it should: no
// allocation for a row of the canonical log without ids.
func TestFastPathReadsPlainLinesOnly(t *testing.T) {
	small, big := canonicalLog(1_000, false), canonicalLog(50_000, false)
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			if err := ReadActivities(bytes.NewReader(data), "log.csv", ActivityMapping{}, func(*Event) error { return nil }); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a, b := allocs(small), allocs(big); b > a+100 {
		t.Errorf("%.0f allocations for 1 000 rows, %.0f for 50 000: want about as many", a, b)
	}
}

// FuzzISOTime checks the shortcut isoTime against parseEventTime: where it reads a time, the
// same time.
func FuzzISOTime(f *testing.F) {
	for _, s := range append(append([]string{}, genTimes...), genBadTimes...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got eventTime
		if !isoTime([]byte(s), &got) {
			return
		}
		want, err := parseEventTime(s)
		if err != nil || got != want {
			t.Fatalf("isoTime(%q) = %+v; parseEventTime: %+v, %v", s, got, want, err)
		}
	})
}

// TestParseEventTimeBytes reads times from bytes as from strings, without allocating.
func TestParseEventTimeBytes(t *testing.T) {
	for _, s := range append(append([]string{}, genTimes...), genBadTimes...) {
		ts, serr := parseEventTime(s)
		tb, berr := parseEventTime([]byte(s))
		if ts != tb || fmt.Sprint(serr) != fmt.Sprint(berr) {
			t.Errorf("%q: string %+v %v, bytes %+v %v", s, ts, serr, tb, berr)
		}
	}
	b := []byte("31.1.2021 klo 14.05")
	if n := testing.AllocsPerRun(100, func() { parseEventTime(b) }); n != 0 {
		t.Errorf("%v allocations for a valid time", n)
	}
}

// referenceLocalDate is the date in Helsinki as the time package says it.
func referenceLocalDate(t eventTime) compute.Date {
	if !t.hasOffset {
		return compute.Date{Year: t.year, Month: time.Month(t.month), Day: t.day}
	}
	utc := time.Date(t.year, time.Month(t.month), t.day, t.hour, t.minute, t.second, 0, time.UTC).
		Add(-time.Duration(t.offset) * time.Second)
	return compute.DateOf(utc.In(Helsinki))
}

// TestLocalDate checks the day arithmetic and the remembered offsets of localDate against the
// time package, around every change of Helsinki's offset and at times all over 1900–2999, in
// order and out of it.
func TestLocalDate(t *testing.T) {
	var times []eventTime
	add := func(u time.Time, offset int) {
		w := u.Add(time.Duration(offset) * time.Second)
		tm := eventTime{year: w.Year(), month: int(w.Month()), day: w.Day(), hour: w.Hour(), minute: w.Minute(), second: w.Second(),
			offset: offset, hasOffset: true}
		if tm.impossible() == "" {
			times = append(times, tm)
		}
	}
	offsets := []int{0, 7200, 10800, -18000, 14*3600 + 59*60, -(14*3600 + 59*60), 5989}
	// Around each change: Helsinki's zone bounds, found by walking the years.
	for u := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); u.Year() < 3000; {
		_, end := u.In(Helsinki).ZoneBounds()
		if end.IsZero() {
			break
		}
		if !end.After(u) { // at the end of a leap year after 2037
			end = u.Add(time.Hour)
		}
		for _, d := range []time.Duration{-time.Hour - time.Second, -time.Second, 0, time.Second, 23 * time.Hour} {
			for _, o := range offsets {
				add(end.Add(d), o)
			}
		}
		u = end
	}
	rng := rand.New(rand.NewPCG(3, 4))
	lo, hi := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for range 200_000 {
		add(time.Unix(lo+rng.Int64N(hi-lo), 0).UTC(), offsets[rng.IntN(len(offsets))])
	}
	var c helsinkiClock // one clock for all, as a reader has: it must not remember wrongly
	for _, tm := range times {
		if got, want := tm.localDate(&c), referenceLocalDate(tm); got != want {
			t.Fatalf("%+v: got %v, want %v", tm, got, want)
		}
	}
	for y := 1; y <= 3000; y += 7 {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 1}, {12, 31}} {
			d := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC)
			days := daysSinceEpoch(d.Year(), int(d.Month()), d.Day())
			if days*86400 != d.Unix() || dateOfDays(days) != compute.DateOf(d) {
				t.Fatalf("%v: day %d, back %v", d.Format("2006-01-02"), days, dateOfDays(days))
			}
		}
	}
}

// TestFastPathText checks that fields are decoded and cleaned as cleanField does.
func TestFastPathText(t *testing.T) {
	p := &blockParser{}
	w := &blockParser{win1252: true}
	for _, s := range []string{"", " Turku ", "Åbo", "\u00a0Åbo\u00a0", "Myna\u0308ma\u0308ki", "\xe5bo", "x\xffy", "\t\v\f\r\n", "\u0085a\u0085"} {
		if got, want := p.text([]byte(s)), cleanField(s); got != want {
			t.Errorf("text(%q) = %q, want %q", s, got, want)
		}
		dec, _ := charmap.Windows1252.NewDecoder().String(s)
		if got, want := w.text([]byte(s)), cleanField(dec); got != want {
			t.Errorf("Windows-1252 text(%q) = %q, want %q", s, got, want)
		}
	}
	if !norm.NFC.IsNormalString(p.text([]byte("Myna\u0308ma\u0308ki"))) {
		t.Error("not composed")
	}
}
