package ingest

// The fast path for CSV activity logs.
//
// A log of millions of rows is mostly lines like
//
//	2021-03-01T08:15:00+02:00;Turku;puhelu
//
// which encoding/csv, field cleaning (cleanField) and a string per row make slow. The fast path
// reads such lines straight from bytes: it splits a line on the separator, parses the time
// from the field's bytes, and looks the municipality, type and source up by their bytes in
// small tables of the values seen, so that a row costs no allocation. What it makes of a row
// it hands to the same eventMaker as the general reader, so events and problems are the same.
//
// It reads a line only when it knows what encoding/csv would make of it: no quote character
// and as many fields as the header. At the first line that is not so (quoted fields, a short
// row, a line longer than the buffer) it hands the rest of the file, from that line on, to the
// general reader, telling it the row it starts on: correctness never depends on the fast path.
// The same goes for the start of the file: the header is found by openCSV itself, run on the
// first bytes, and when anything about it is unusual the general reader reads the whole file.
//
// It uses two cores. The file is read into a buffer a megabyte at a time, cut into two blocks
// of whole lines; a helper goroutine parses the second block into a batch of events and
// problems while the caller's goroutine reads the first, then the caller delivers the batch.
// fn is only ever called on the caller's goroutine, in file order, and problems are gathered
// in file order: the result is the same as reading row by row.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"

	"golang.org/x/text/encoding/charmap"
)

// fastOptions tune the fast path; tests make its buffer small to try its edges.
type fastOptions struct {
	// bufferSize is how much of a file is read at a time, in two blocks. Each round wakes the
	// helper, which costs some tens of microseconds: a round is to be much longer than that.
	bufferSize int
	helperMin  int // the least number of bytes worth parsing on the helper goroutine
}

// defaultFast reads about 25 000 rows (2 ms) a round.
var defaultFast = fastOptions{bufferSize: 1 << 20, helperMin: 16 << 10}

// fastCSV reads the lines of a CSV file after its header.
type fastCSV struct {
	r         *eventReader // delivers the events, on the caller's goroutine
	br        *bufio.Reader
	comma     byte
	header    []string
	headerRow int
	win1252   bool   // the bytes are Windows-1252, not UTF-8
	buf       []byte // the bytes read and not yet parsed start the buffer
	helperMin int    // blocks shorter than this are not given to the helper

	parsers [2]*blockParser // the caller's and the helper's
	helper  *fastHelper     // nil when not started
}

// readCSVFast reads a CSV log on the fast path. When it cannot start — the file is not a
// CSV log it understands at a glance — it says done false, having consumed nothing of br,
// and the general reader reads the file. Otherwise it says done true and what ReadActivities
// returns.
func readCSVFast(br *bufio.Reader, name string, m *ActivityMapping, fn func(*Event) error, opts *fastOptions) (done bool, err error) {
	f, err := startCSVFast(br, name, m, fn, opts)
	if f == nil || err != nil {
		return err != nil, err
	}
	return true, f.read()
}

// startCSVFast finds the header and positions br after it, or returns nil when the fast path
// cannot start.
func startCSVFast(br *bufio.Reader, name string, m *ActivityMapping, fn func(*Event) error, opts *fastOptions) (*fastCSV, error) {
	head, err := br.Peek(sniffSize)
	atEOF := errors.Is(err, io.EOF) // a short file: head is all of it
	if err != nil && !atEOF {
		return nil, fmt.Errorf("read %s: %w", name, err) // as openText fails on these bytes
	}
	// Find the header as openCSV does on the whole file: on the lines up to the header the
	// two see the same bytes.
	t, err := openCSV(bytes.NewReader(head), name, func(header []string) string {
		_, why := m.layout(header)
		return why
	})
	if err != nil {
		return nil, nil // let the general reader say what is wrong
	}
	text, skip := head, 0
	enc := detectEncoding(head, len(head) < sniffSize) // what openText decided
	if enc == encUTF8BOM {
		text, skip = head[len(bomUTF8):], len(bomUTF8)
	}
	end := 0 // the end of the header line in text, after its '\n'
	for range t.headerRow {
		i := bytes.IndexByte(text[end:], '\n')
		if i < 0 {
			return nil, nil // the header is the last line, or the header line is cut off in head
		}
		end += i + 1
	}
	if _, err := br.Discard(skip + end); err != nil {
		return nil, nil // cannot happen: the bytes are buffered
	}
	size := opts.bufferSize
	if left := len(head) - skip - end; atEOF && left < size {
		size = left + 1 // all that is left, and room to see the end
	}
	layout, _ := m.layout(t.header)
	f := &fastCSV{
		r:         newEventReader(m, layout, name, "", fn),
		br:        br,
		comma:     byte(t.comma), // one of separators, all ASCII
		header:    t.header,
		headerRow: t.headerRow,
		win1252:   enc == encWindows1252,
		buf:       make([]byte, size),
		helperMin: opts.helperMin,
	}
	f.parsers[0] = newBlockParser(f, f.r, f.r.eventMaker)
	if runtime.GOMAXPROCS(0) > 1 {
		f.parsers[1] = newBlockParser(f, nil, f.r.fork()) // with its own caches
	}
	return f, nil
}

// read reads the lines to the end of the file, or hands them to the general reader.
func (f *fastCSV) read() error {
	defer f.stopHelper()
	row := f.headerRow + 1 // the row of the first line in buf
	filled := 0            // buf[:filled] is read and not yet parsed
	for {
		n, err := io.ReadFull(f.br, f.buf[filled:])
		filled += n
		atEOF := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !atEOF {
			// The general reader is to meet the error where it is: after these bytes.
			return f.handOver(f.buf[:filled], errReader{err}, row)
		}
		whole := filled // the end of the last whole line
		if !atEOF {
			whole = bytes.LastIndexByte(f.buf[:filled], '\n') + 1
			if whole == 0 {
				return f.handOver(f.buf[:filled], f.br, row) // a line longer than the buffer
			}
		}
		// Two blocks, a and b, cut at a line's end near the middle.
		lines := f.buf[:whole]
		cut := len(lines)
		if i := bytes.IndexByte(lines[len(lines)/2:], '\n'); i >= 0 {
			cut = len(lines)/2 + i + 1
		}
		a, b := lines[:cut], lines[cut:]
		rowB := row + bytes.Count(a, []byte{'\n'}) // a ends with '\n' when b is not empty
		onHelper := len(b) >= f.helperMin && f.parsers[1] != nil
		if onHelper {
			f.startHelper().parse(b, rowB)
		}
		pa := f.parsers[0]
		if err := pa.parse(a, row); err != nil {
			return err
		}
		if pa.stop >= 0 {
			return f.handOver(f.buf[pa.stop:filled], f.br, pa.stopRow)
		}
		pb := pa
		if onHelper {
			pb = f.helper.wait()
			if err := f.r.deliver(pb.events, &pb.errs); err != nil {
				return err
			}
		} else if err := pb.parse(b, rowB); err != nil {
			return err
		}
		if pb.stop >= 0 {
			return f.handOver(f.buf[cut+pb.stop:filled], f.br, pb.stopRow)
		}
		if atEOF {
			return f.r.errs.err()
		}
		row = rowB + bytes.Count(b, []byte{'\n'})
		filled = copy(f.buf, f.buf[whole:filled])
	}
}

// handOver ends the fast path: the general reader reads rest, which starts on row row, then
// the rest of the file from more, and adds what it finds to what the fast path found.
func (f *fastCSV) handOver(rest []byte, more io.Reader, row int) error {
	f.stopHelper() // it may still read the buffer
	var text io.Reader = io.MultiReader(bytes.NewReader(rest), more)
	if f.win1252 {
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	// As openCSV sets up the reader after the header.
	rd := csv.NewReader(text)
	rd.Comma = rune(f.comma)
	rd.FieldsPerRecord = len(f.header)
	rd.ReuseRecord = true
	t := &csvTable{name: f.r.name, header: f.header, headerRow: f.headerRow, comma: rune(f.comma), rd: rd}
	return f.r.readRows(&shiftedRows{csvTable: t, lines: row - f.headerRow - 1})
}

// shiftedRows are the rows of a CSV file read from a line after its header on: its csvTable
// counts lines from there, and the rows are shifted by the lines before.
type shiftedRows struct {
	*csvTable
	lines int
}

func (s *shiftedRows) next() ([]string, int, error) {
	rec, row, err := s.csvTable.next()
	var e *Error
	switch {
	case err == nil:
		row += s.lines
	case errors.As(err, &e) && e.Row > 0: // a malformed row, the error made for it
		row += s.lines
		e.Row += s.lines
	}
	return rec, row, err
}

// errReader is a reader that fails with its error.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// fastHelper is the goroutine that parses every other block.
type fastHelper struct {
	p    *blockParser
	jobs chan fastJob
	done chan struct{}
	busy bool
}

type fastJob struct {
	block []byte
	row   int
}

func (f *fastCSV) startHelper() *fastHelper {
	if f.helper == nil {
		h := &fastHelper{p: f.parsers[1], jobs: make(chan fastJob, 1), done: make(chan struct{}, 1)}
		go func() {
			for j := range h.jobs {
				h.p.parse(j.block, j.row)
				h.done <- struct{}{}
			}
		}()
		f.helper = h
	}
	return f.helper
}

// parse has the helper parse block, whose first line is row row.
func (h *fastHelper) parse(block []byte, row int) {
	h.jobs <- fastJob{block, row}
	h.busy = true
}

// wait waits for the block to be parsed and returns the helper's parser, with the batch.
func (h *fastHelper) wait() *blockParser {
	<-h.done
	h.busy = false
	return h.p
}

// stopHelper waits for the helper to finish its block, if any, and ends it.
func (f *fastCSV) stopHelper() {
	if h := f.helper; h != nil {
		if h.busy {
			h.wait()
		}
		close(h.jobs)
		f.helper = nil
	}
}

// blockParser parses blocks of lines. The caller's hands the rows straight to the
// eventReader; the helper's keeps them in a batch: the events of the good rows before the
// first bad one, and the problems of all rows. Each goroutine has its own: the tables and the
// eventMaker's caches are not shared.
type blockParser struct {
	_       cacheLinePad
	comma   byte
	win1252 bool         // the bytes are Windows-1252, not UTF-8
	r       *eventReader // the caller's: the rows go to it; nil for the helper's
	mk      *eventMaker
	cells   [][]byte // the fields of the current line, one per column of the header
	c       eventCells

	// The values seen and what they mean: the text of a municipality or source, and the text
	// and meaning of a type.
	munis, sources *fieldTable[string]
	types          *fieldTable[fastType]

	stop    int // the offset in the block of the line the general reader is to read, or -1
	stopRow int // its row

	// The helper's batch of the last block.
	events []Event
	errs   Errors

	cellStore [16][]byte // cells, for a header of up to 16 columns
	_         cacheLinePad
}

// cacheLinePad keeps data written for every row off the cache lines of other data. When the
// caller's goroutine writes to a cache line that the helper reads or writes, or the other way
// round, each write takes the line from the other core: sharing the lines of their parsers, or
// of the caller's eventReader.e and the helper's data, made the parsing twice as slow.
type cacheLinePad [128]byte // two lines: a core may fetch them in pairs

// fastType is a type cell as read (trimmed and decoded) and what it means.
type fastType struct {
	text string
	typ  typeValue
}

func newBlockParser(f *fastCSV, r *eventReader, mk *eventMaker) *blockParser {
	p := &blockParser{comma: f.comma, win1252: f.win1252, r: r, mk: mk}
	if n := len(f.header); n <= len(p.cellStore) {
		p.cells = p.cellStore[:n]
	} else {
		p.cells = make([][]byte, n+16)[8 : 8+n] // with a pad on either side
	}
	p.munis, p.sources = newFieldTable(p.text), newFieldTable(p.text)
	p.types = newFieldTable(func(b []byte) fastType {
		text := p.text(b)
		return fastType{text: text, typ: mk.typeOf(text)}
	})
	return p
}

// parse reads block, whole lines the first of which is row row (only the last line of the
// file may lack its '\n'). It stops at the first line that is not plain, and sets stop and
// stopRow to where it is; or at an error from fn, which it returns.
func (p *blockParser) parse(block []byte, row int) error {
	p.stop = -1
	if p.r == nil {
		p.events = slices.Grow(p.events[:0], bytes.Count(block, []byte{'\n'})+1) // once
		p.errs = Errors{}
	}
	quote := bytes.IndexByte(block, '"') // the first quote: the lines before it have none
	if quote < 0 {
		quote = len(block)
	}
	for start := 0; start < len(block); row++ {
		line, next := block[start:], len(block)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], start+i+1
		}
		// encoding/csv drops a '\r' before a line's '\n' or the end of the file, and skips
		// empty lines.
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) > 0 {
			if quote < next || !p.split(line) {
				p.stop, p.stopRow = start, row
				return nil
			}
			if err := p.event(row); err != nil {
				return err
			}
		}
		start = next
	}
	return nil
}

// split splits a line without quotes into cells, and says false when it has not one field per
// column of the header.
func (p *blockParser) split(line []byte) bool {
	last := len(p.cells) - 1
	for i := range last {
		j := bytes.IndexByte(line, p.comma)
		if j < 0 {
			return false
		}
		p.cells[i], line = line[:j], line[j+1:]
	}
	if bytes.IndexByte(line, p.comma) >= 0 {
		return false
	}
	p.cells[last] = line
	return true
}

// event hands the row in cells to the eventReader, or adds it to the batch.
func (p *blockParser) event(row int) error {
	l, c := p.mk.l, &p.c
	c.row = row
	p.time(p.cells[l.time], c)
	c.muni = p.munis.get(p.cells[l.muni])
	if p.mk.m.FixedType == nil {
		t := p.types.get(p.cells[l.typ])
		c.typeText, c.typ = t.text, t.typ
	}
	if l.id >= 0 {
		c.id = p.text(p.cells[l.id]) // an id is new on every row
	}
	if l.source >= 0 {
		c.source = p.sources.get(p.cells[l.source])
	}
	if p.r != nil {
		return p.r.event(c)
	}
	n := len(p.events)
	p.events = append(p.events, Event{})
	if !p.mk.make(c, &p.events[n], &p.errs) || p.errs.len() > 0 {
		p.events = p.events[:n] // a bad row, or after one: only the problems count
	}
	return nil
}

// time parses the time field b into c. It sets c.timeText only when the time is bad, for the
// message.
func (p *blockParser) time(b []byte, c *eventCells) {
	c.timeText, c.timeErr = "", nil
	trimmed := trimASCIISpace(b)
	if isoTime(trimmed, &c.time) {
		return
	}
	// A valid time is ASCII: then trimmed is the field as cleanField makes it.
	var err error
	if c.time, err = parseEventTime(trimmed); err == nil {
		return
	}
	// Bad, or white space other than ASCII around it: read the cell as the general reader.
	c.timeText = p.text(b)
	c.time, c.timeErr = parseEventTime(c.timeText)
}

// text is field b as the general reader makes it: decoded from Windows-1252 when the file is,
// then cleaned (cleanField).
func (p *blockParser) text(b []byte) string {
	if isASCIIBytes(b) {
		return string(trimASCIISpace(b))
	}
	s := string(b)
	if p.win1252 {
		s, _ = charmap.Windows1252.NewDecoder().String(s) // byte by byte: never fails
	}
	return cleanField(s)
}

// maxInterned is how many spellings of a column's values a fieldTable remembers. A log has a
// few hundred municipalities and a few types; more distinct values are read all the same,
// only with an allocation each.
const maxInterned = 4096

// fieldTable is what the values of a column mean, by their bytes as in the file, each worked
// out once (by meaning) and remembered. A lookup first tries one slot of a direct-mapped
// cache, chosen by a hash of the field's bytes, and costs a few nanoseconds there; a map
// lookup, hashing and probing, costs several times that, and only happens when the slot holds
// another value. With 4096 slots, the ~600 spellings of a national log (309 names and their
// codes) mostly have a slot of their own.
type fieldTable[V any] struct {
	slots   [1 << slotBits]fieldEntry[V]
	all     map[string]fieldEntry[V]
	meaning func([]byte) V
}

type fieldEntry[V any] struct {
	key  string // the field's bytes; also the key in all
	val  V
	used bool
}

func newFieldTable[V any](meaning func([]byte) V) *fieldTable[V] {
	return &fieldTable[V]{all: map[string]fieldEntry[V]{}, meaning: meaning}
}

// get is the meaning of field b.
func (t *fieldTable[V]) get(b []byte) V {
	slot := &t.slots[slotOf(b)]
	if slot.used && slot.key == string(b) { // no allocation for the comparison
		return slot.val
	}
	e, ok := t.all[string(b)] // nor for the lookup
	if !ok {
		if len(t.all) >= maxInterned {
			return t.meaning(b)
		}
		e = fieldEntry[V]{key: string(b), val: t.meaning(b), used: true}
		t.all[e.key] = e
	}
	*slot = e
	return e.val
}

// slotBits is the size of a fieldTable's cache: 1 << slotBits slots.
const slotBits = 12

// slotOf is the cache slot of a field: a multiplicative hash of its length, its first and
// middle bytes and its last three, which tell numbered names and codes apart ("Kunta 903",
// "Kunta 913", "KU903").
func slotOf(b []byte) uint32 {
	n := len(b)
	if n == 0 {
		return 0
	}
	h := uint32(n) | uint32(b[0])<<8 | uint32(b[n/2])<<16 | uint32(b[n-1])<<24
	if n >= 3 {
		h ^= (uint32(b[n-2]) | uint32(b[n-3])<<8) * 0x01000193
	}
	return (h * 0x9E3779B1) >> (32 - slotBits)
}

// isoTime reads the commonest time of machine exports, "2021-01-31T14:05:09+02:00" — ISO 8601
// with 'T' or ' ', the seconds optional, the offset "Z", "+hh:mm", "-hh:mm" or none — from the
// fixed places of its digits, into t. It says false for anything else, valid or not: it is a
// shortcut, and where it says true parseEventTime returns the same time (FuzzISOTime checks it).
func isoTime(b []byte, t *eventTime) bool {
	if len(b) < 16 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' {
		return false
	}
	century, ok1 := twoDigits(b[0:])
	year, ok2 := twoDigits(b[2:])
	month, ok3 := twoDigits(b[5:])
	day, ok4 := twoDigits(b[8:])
	hour, ok5 := twoDigits(b[11:])
	minute, ok6 := twoDigits(b[14:])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return false
	}
	year += century * 100
	second, rest := 0, b[16:]
	if len(rest) >= 3 && rest[0] == ':' {
		var ok bool
		if second, ok = twoDigits(rest[1:]); !ok {
			return false
		}
		rest = rest[3:]
	}
	offset, hasOffset := 0, true
	switch {
	case len(rest) == 0:
		hasOffset = false
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := twoDigits(rest[1:])
		om, ok2 := twoDigits(rest[4:])
		if !ok1 || !ok2 || oh > 14 || om > 59 {
			return false
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return false
	}
	if !dateExists(year, month, day) || !clockExists(hour, minute, second) {
		return false
	}
	*t = eventTime{year: year, month: month, day: day, hour: hour, minute: minute, second: second,
		offset: offset, hasOffset: hasOffset}
	return true
}

// twoDigits is the number written by the two digits at the start of b (which has them).
func twoDigits(b []byte) (int, bool) {
	hi, lo := b[0]-'0', b[1]-'0' // a byte other than a digit wraps around to more than 9
	return int(hi)*10 + int(lo), hi <= 9 && lo <= 9
}

// trimASCIISpace is b without the ASCII white space around it, which is what strings.TrimSpace
// removes from an ASCII string.
func trimASCIISpace(b []byte) []byte {
	for len(b) > 0 && isASCIISpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isASCIISpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isASCIIBytes reports whether b is all ASCII.
func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
