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
func ReadActivities(r io.Reader, name string, m ActivityMapping, fn func(*Event) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
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
		t, err := openCSV(br, name, check)
		if err != nil {
			return err
		}
		rows = t
	}
	l, _ := m.layout(rows.head())
	return m.read(rows, l, name, fn)
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

// read turns rows into events.
func (m *ActivityMapping) read(rows rowSource, l *activityLayout, name string, fn func(*Event) error) error {
	var errs Errors
	sheet := rows.sheetName()
	ignore := map[string]bool{}
	for _, v := range m.IgnoreTypes {
		ignore[nameKey(v)] = true
	}
	extra := map[string]compute.ActivityType{}
	for k, v := range m.TypeValues {
		extra[nameKey(k)] = v
	}
	bad := func(row, col int, format string, args ...any) {
		errs.add(&Error{File: name, Sheet: sheet, Row: row, Column: col + 1, ColumnName: l.header[col], Msg: fmt.Sprintf(format, args...)})
	}
	type typeValue struct {
		typ         compute.ActivityType
		ignored, ok bool
	}
	typeCache := map[string]typeValue{} // the cells of a log repeat a few spellings
	var e Event
	_, isXLSX := rows.(*xlsxRows)
	for {
		rec, row, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := errs.addErr(err); err != nil {
				return err
			}
			continue
		}
		e = Event{Row: row, Source: m.Source}
		ok := true
		ts := cellAt(rec, l.time)
		var t eventTime
		var terr error
		if isXLSX {
			if x, isSerial := excelTime(ts); isSerial {
				t = x
			} else {
				t, terr = parseEventTime(ts)
			}
		} else {
			t, terr = parseEventTime(ts)
		}
		if terr != nil {
			if ts == "" {
				terr = fmt.Errorf("the time is empty; %s", timeForms)
			}
			bad(row, l.time, "%v", terr)
			ok = false
		} else {
			e.Date = t.localDate()
		}
		e.Municipality = cellAt(rec, l.muni)
		if m.FixedType != nil {
			e.Type = *m.FixedType
		} else {
			v := cellAt(rec, l.typ)
			tv, cached := typeCache[v]
			if !cached {
				k := nameKey(v)
				if typ, found := activityTypes[k]; found {
					tv = typeValue{typ: typ, ok: true}
				} else if typ, found := extra[k]; found {
					tv = typeValue{typ: typ, ok: true}
				} else if ignore[k] {
					tv = typeValue{ignored: true, ok: true}
				}
				if len(typeCache) < 1000 {
					typeCache[v] = tv
				}
			}
			if tv.ok {
				e.Type, e.Ignored = tv.typ, tv.ignored
			} else {
				if v == "" {
					bad(row, l.typ, "the type is empty; expected puhelu, käynti, yhteydenottopyyntö or chat (or call, visit, contact request, chat)")
				} else {
					bad(row, l.typ, "%q is not an activity type; expected puhelu, käynti, yhteydenottopyyntö or chat (or call, visit, contact request, chat), or list it in the source's ignore_types", v)
				}
				ok = false
			}
		}
		if l.id >= 0 {
			e.ID = cellAt(rec, l.id)
		}
		if l.source >= 0 {
			if s := cellAt(rec, l.source); s != "" {
				e.Source = s
			}
		}
		if !ok || errs.len() > 0 {
			continue // once a row is bad, nothing is counted: only the problems are gathered
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return errs.err()
}

// cellAt is the cell of column i, "" when the row is shorter.
func cellAt(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}
