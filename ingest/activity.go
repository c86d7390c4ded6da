package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kuntalasku/kuntalasku/compute"
)

// ActivityMapping says where an activity export keeps an event's fields (SPEC 2.2). The zero
// value reads the canonical format: the columns found by their names in Finnish, Swedish or
// English (aika|time, kunta|municipality, tyyppi|type, optional tunniste|id and lähde|source).
type ActivityMapping struct {
	// Source is the source of events when the file has no source column ("puhelin").
	Source string
	// The header names of the columns, any case; "" for the canonical names.
	Time, Municipality, Type, ID, SourceColumn string
	// FixedType, when set, is the type of every event, and the file has no type column.
	FixedType *compute.ActivityType
	// TypeValues are more spellings of the types, such as "Saapuva puhelu" for a call.
	TypeValues map[string]compute.ActivityType
	// IgnoreTypes are type values whose events are not counted (internal calls, say); other
	// unknown types are input errors.
	IgnoreTypes []string
}

// Event is one row of an activity export.
type Event struct {
	Row          int          // the 1-based row (line of a CSV, row of a sheet)
	Date         compute.Date // the day it happened in Helsinki
	Municipality string       // as written, trimmed; "" when empty
	Type         compute.ActivityType
	Ignored      bool   // its type is one of the mapping's IgnoreTypes (Type is then meaningless)
	Source       string // the source column's value, else the mapping's Source
	ID           string // "" when the export has no id column or the cell is empty
}

// activityColumn is one field of an event and the names its column may have.
type activityColumn struct {
	what  string
	names []string
}

var (
	timeColumn   = activityColumn{"time", []string{"aika", "time", "tid", "aikaleima", "timestamp"}}
	muniColumn   = activityColumn{"municipality", []string{"kunta", "municipality", "kommun", "kotikunta"}}
	typeColumn   = activityColumn{"type", []string{"tyyppi", "type", "typ", "laji"}}
	idColumn     = activityColumn{"id", []string{"tunniste", "id", "tunnus"}}
	sourceColumn = activityColumn{"source", []string{"lähde", "source", "källa"}}
)

// activityTypes are the type words of SPEC 2.2 in Finnish, Swedish and English, folded.
var activityTypes = map[string]compute.ActivityType{
	"puhelu": compute.ActivityCall, "samtal": compute.ActivityCall, "call": compute.ActivityCall,
	"käynti": compute.ActivityVisit, "besök": compute.ActivityVisit, "visit": compute.ActivityVisit,
	"yhteydenottopyyntö": compute.ActivityContactRequest, "kontaktbegäran": compute.ActivityContactRequest,
	"contact request": compute.ActivityContactRequest, "contact_request": compute.ActivityContactRequest,
	"contact-request": compute.ActivityContactRequest,
	"chat":            compute.ActivityChat, "chat-yhteys": compute.ActivityChat, "chatt": compute.ActivityChat,
}

// ParseActivityType reads an activity type as SPEC 2.2 writes it, in any case: puhelu, samtal,
// call; käynti, besök, visit; yhteydenottopyyntö, kontaktbegäran, contact request or
// contact_request; chat or chat-yhteys.
func ParseActivityType(s string) (compute.ActivityType, bool) {
	t, ok := activityTypes[nameKey(s)]
	return t, ok
}

// activityLayout is where the fields are in a file, 0-based, -1 when absent.
type activityLayout struct {
	time, muni, typ, id, source int
	header                      []string
}

// layout finds the columns of m in header, or explains which are missing.
func (m *ActivityMapping) layout(header []string) (*activityLayout, string) {
	l := &activityLayout{time: -1, muni: -1, typ: -1, id: -1, source: -1, header: header}
	var missing []string
	find := func(col activityColumn, configured string, required bool) int {
		names := col.names
		if configured != "" {
			names = []string{configured}
		}
		for i, h := range header {
			for _, n := range names {
				if nameKey(h) == nameKey(n) {
					return i
				}
			}
		}
		if required {
			if configured != "" {
				missing = append(missing, fmt.Sprintf("%s column %q (from the configuration)", col.what, configured))
			} else {
				missing = append(missing, fmt.Sprintf("%s column (%s)", col.what, strings.Join(col.names[:2], " or ")))
			}
		}
		return -1
	}
	l.time = find(timeColumn, m.Time, true)
	l.muni = find(muniColumn, m.Municipality, true)
	if m.FixedType == nil {
		l.typ = find(typeColumn, m.Type, true)
	}
	l.id = find(idColumn, m.ID, m.ID != "")
	l.source = find(sourceColumn, m.SourceColumn, m.SourceColumn != "")
	if len(missing) == 0 {
		return l, ""
	}
	msg := "no " + strings.Join(missing, ", no ")
	if len(header) == 0 {
		return nil, msg + "; expected a header row naming the columns, such as aika;kunta;tyyppi;tunniste"
	}
	quoted := make([]string, len(header))
	for i, h := range header {
		quoted[i] = strconv.Quote(h)
	}
	return nil, msg + "; the header has: " + strings.Join(quoted, ", ")
}

// ReadActivities reads an activity export — CSV (";", "," or tab; UTF-8 or Windows-1252) or
// XLSX, told apart by content — row by row, calling fn with each event in file order; the
// Event is reused, so fn copies what it keeps. The file is never held in memory whole (an
// XLSX is, compressed: the ZIP format needs it). Every bad row is reported, not only the first:
// the error is an *Errors, or an *Error when the file is not such an export at all (not text,
// no header, missing columns). An error from fn stops the reading and is returned as it is.
//
// A CSV file is read by a fast path (activity_fast.go) as far as its lines are plain, and by
// the general reader below from the first line that is not; the events and errors are the same.
func ReadActivities(r io.Reader, name string, m ActivityMapping, fn func(*Event) error) error {
	return readActivities(r, name, m, fn, &defaultFast)
}

// readActivities is ReadActivities with the fast path tuned by fast, or without it when fast
// is nil (for tests).
func readActivities(r io.Reader, name string, m ActivityMapping, fn func(*Event) error, fast *fastOptions) error {
	br := bufio.NewReaderSize(r, sniffSize) // the fast path needs the first sniffSize bytes at once
	head, err := br.Peek(8)
	if err != nil && err != io.EOF {
		return fmt.Errorf("read %s: %w", name, err)
	}
	check := func(header []string) string {
		_, why := m.layout(header)
		return why
	}
	var rows rowSource
	switch {
	case bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, oleSignature):
		x, err := openXLSXRows(br, name, check)
		if err != nil {
			return err
		}
		defer x.close()
		rows = x
	default:
		if fast != nil {
			if done, err := readCSVFast(br, name, &m, fn, fast); done {
				return err
			}
		}
		t, err := openCSV(br, name, check)
		if err != nil {
			return err
		}
		rows = t
	}
	l, _ := m.layout(rows.head())
	return newEventReader(&m, l, name, rows.sheetName(), fn).readRows(rows)
}

// rowSource is the rows after a header, from a CSV file or a sheet.
type rowSource interface {
	head() []string
	// next returns the next row's cells and its 1-based row number, io.EOF at the end, an
	// *Error for a malformed row (reading may go on), or another error to stop on.
	next() ([]string, int, error)
	sheetName() string
}

func (t *csvTable) head() []string    { return t.header }
func (t *csvTable) sheetName() string { return "" }

// eventMaker turns the cells of a row into its event, or its problems. The general reader
// (readRows, any rowSource) and the CSV fast path both use it, so a row means the same
// whichever reads it. It keeps caches: each goroutine has its own (see fork).
type eventMaker struct {
	m           *ActivityMapping
	l           *activityLayout
	name, sheet string
	ignore      map[string]bool                 // the mapping's IgnoreTypes, folded; read only
	extra       map[string]compute.ActivityType // the mapping's TypeValues, folded; read only
	types       map[string]typeValue            // a cache: the cells of a log repeat a few spellings
	clock       helsinkiClock
}

// typeValue is what a type cell means: a type, ignored, or (ok false) neither.
type typeValue struct {
	typ         compute.ActivityType
	ignored, ok bool
}

// eventCells are the cells of one row that make its event, as read (trimmed and decoded).
type eventCells struct {
	row      int
	timeText string    // the time cell; the fast path sets it only when the time is bad
	time     eventTime // the time, when timeErr is nil
	timeErr  error
	muni     string
	typeText string    // the type cell; unused with a FixedType
	typ      typeValue // what typeText means (see typeOf)
	id       string    // "" without an id column
	source   string    // "" without a source column
}

func newEventMaker(m *ActivityMapping, l *activityLayout, name, sheet string) *eventMaker {
	mk := &eventMaker{m: m, l: l, name: name, sheet: sheet,
		ignore: map[string]bool{}, extra: map[string]compute.ActivityType{}, types: map[string]typeValue{}}
	for _, v := range m.IgnoreTypes {
		mk.ignore[nameKey(v)] = true
	}
	for k, v := range m.TypeValues {
		mk.extra[nameKey(k)] = v
	}
	return mk
}

// fork is an eventMaker like mk for another goroutine: it shares what is read only.
func (mk *eventMaker) fork() *eventMaker {
	return &eventMaker{m: mk.m, l: mk.l, name: mk.name, sheet: mk.sheet,
		ignore: mk.ignore, extra: mk.extra, types: map[string]typeValue{}}
}

// typeOf is what the type cell v means.
func (mk *eventMaker) typeOf(v string) typeValue {
	tv, cached := mk.types[v]
	if !cached {
		k := nameKey(v)
		if typ, found := activityTypes[k]; found {
			tv = typeValue{typ: typ, ok: true}
		} else if typ, found := mk.extra[k]; found {
			tv = typeValue{typ: typ, ok: true}
		} else if mk.ignore[k] {
			tv = typeValue{ignored: true, ok: true}
		}
		if len(mk.types) < 1000 {
			mk.types[v] = tv
		}
	}
	return tv
}

// make fills e with the event of the row c, adds the row's problems to errs, and says whether
// the row is good.
func (mk *eventMaker) make(c *eventCells, e *Event, errs *Errors) bool {
	ok := true
	*e = Event{Row: c.row, Source: mk.m.Source}
	if c.timeErr != nil {
		err := c.timeErr
		if c.timeText == "" {
			err = fmt.Errorf("the time is empty; %s", timeForms)
		}
		mk.bad(errs, c.row, mk.l.time, "%v", err)
		ok = false
	} else {
		e.Date = c.time.localDate(&mk.clock)
	}
	e.Municipality = c.muni
	if mk.m.FixedType != nil {
		e.Type = *mk.m.FixedType
	} else if c.typ.ok {
		e.Type, e.Ignored = c.typ.typ, c.typ.ignored
	} else {
		if c.typeText == "" {
			mk.bad(errs, c.row, mk.l.typ, "the type is empty; expected puhelu, käynti, yhteydenottopyyntö or chat (or call, visit, contact request, chat)")
		} else {
			mk.bad(errs, c.row, mk.l.typ, "%q is not an activity type; expected puhelu, käynti, yhteydenottopyyntö or chat (or call, visit, contact request, chat), or list it in the source's ignore_types", c.typeText)
		}
		ok = false
	}
	e.ID = c.id
	if c.source != "" {
		e.Source = c.source
	}
	return ok
}

// bad adds to errs a problem with the cell of row in column col (0-based).
func (mk *eventMaker) bad(errs *Errors, row, col int, format string, args ...any) {
	errs.add(&Error{File: mk.name, Sheet: mk.sheet, Row: row, Column: col + 1, ColumnName: mk.l.header[col], Msg: fmt.Sprintf(format, args...)})
}

// eventReader passes the events of rows to fn in file order and gathers the problems of bad
// rows: once a row was bad no more events are passed, only the problems are gathered.
type eventReader struct {
	*eventMaker
	fn   func(*Event) error
	errs Errors

	// e is passed to fn, reused. It is written for every row, by the caller's goroutine while
	// the fast path's helper reads its own data: it keeps off their cache lines (cacheLinePad).
	_ cacheLinePad
	e Event
	_ cacheLinePad
}

func newEventReader(m *ActivityMapping, l *activityLayout, name, sheet string, fn func(*Event) error) *eventReader {
	return &eventReader{eventMaker: newEventMaker(m, l, name, sheet), fn: fn}
}

// readRows turns rows into events, to the end of rows.
func (r *eventReader) readRows(rows rowSource) error {
	_, isXLSX := rows.(*xlsxRows)
	var c eventCells
	for {
		rec, row, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := r.errs.addErr(err); err != nil {
				return err
			}
			continue
		}
		c = eventCells{row: row, timeText: cellAt(rec, r.l.time)}
		isSerial := false
		if isXLSX {
			c.time, isSerial = excelTime(c.timeText) // a date cell
		}
		if !isSerial {
			c.time, c.timeErr = parseEventTime(c.timeText)
		}
		c.muni = cellAt(rec, r.l.muni)
		if r.m.FixedType == nil {
			c.typeText = cellAt(rec, r.l.typ)
			c.typ = r.typeOf(c.typeText)
		}
		c.id = cellAt(rec, r.l.id)
		c.source = cellAt(rec, r.l.source)
		if err := r.event(&c); err != nil {
			return err
		}
	}
	return r.errs.err()
}

// event passes the event of the row c to fn, or gathers its problems.
func (r *eventReader) event(c *eventCells) error {
	if !r.make(c, &r.e, &r.errs) || r.errs.len() > 0 {
		return nil // once a row is bad, nothing is counted: only the problems are gathered
	}
	return r.fn(&r.e)
}

// deliver passes to fn the events of rows read elsewhere (a batch of the fast path), then
// gathers their problems: events holds the good rows before the first bad one, errs the
// problems of all, in order. It is event applied to each row.
func (r *eventReader) deliver(events []Event, errs *Errors) error {
	if r.errs.len() == 0 {
		for i := range events {
			if err := r.fn(&events[i]); err != nil {
				return err
			}
		}
	}
	return r.errs.addErr(errs) // nil: they are input problems
}

// cellAt is the cell of column i, "" when the row is shorter or i is -1 (no such column).
func cellAt(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}
