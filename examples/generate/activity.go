package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Helsinki wherever the generator runs
)

// The activity logs of 2021 (SPEC 2.2), invented deterministically.
//
// Every working day (Monday to Friday but the public holidays) has about
// perDay[month] events at times from 8:00 to 16:00 in Helsinki, of the 26
// participants drawn in proportion to their residents aged 75 or over, of the
// types call 60 %, visit 20 %, contact request 12 % and chat 8 %. Calls go to
// the phone system's exports, the rest to the client-management system's.
// On purpose, some rows exercise the rules: events of Uusikaupunki (no longer
// a participant), of unknown municipalities, and events on the edges of the
// monthly cycles in Helsinki time, including the changes to and from summer
// time. The phone exports overlap on 1.–7.7.2021: those calls are in both
// files with the same ids.

// activity is the type of an event.
type activity int

const (
	call activity = iota
	visit
	contactRequest
	chat
)

// canonicalTypes are the types the client-management system records, as the
// canonical format writes them.
var canonicalTypes = map[activity]string{
	visit: "käynti", contactRequest: "yhteydenottopyyntö", chat: "chat",
}

// event is one activity as its file writes it.
type event struct {
	at       time.Time // in Helsinki
	kind     activity
	muni     string // the municipality as written
	id       string // set once the events are in time order
	duration int    // a call's length in seconds
	queue    string // a call's queue
}

const activityYear = 2021

// perDay is the usual number of events on a working day, by month: fewer in
// the summer.
var perDay = [12]int{145, 145, 140, 140, 140, 130, 122, 135, 140, 145, 145, 135}

// holidays are the weekdays of 2021 the contact centre is closed.
var holidays = []string{
	"2021-01-01", "2021-01-06", "2021-04-02", "2021-04-05", "2021-05-13",
	"2021-06-25", "2021-12-06", "2021-12-24",
}

// Each month has this many events of Uusikaupunki, and each unknown name this
// many calls and this many other events over the year.
const (
	nonParticipantPerMonth = 4
	unknownCalls           = 3
	unknownOthers          = 2
)

// unknownNames are municipalities nobody can bill: an empty cell, "unknown",
// a typo of Turku and Åland (not in Varsinais-Suomi).
var unknownNames = []string{"", "Tuntematon", "Turkku", "Ahvenanmaa"}

// edges are events on the boundaries of cycles, written as in the files (the
// phone exports write the same times without the offset). The pairs are the
// last second (or minute) of one cycle and the first of the next, the changes
// to summer time (28.3. 03:00 → 04:00) and from it (31.10. 04:00 → 03:00, so
// 03:30 happens twice) and the end of the contract period (30.11.).
var edges = []struct {
	at   string
	kind activity
	muni string
}{
	{"2021-01-31T23:59:59+02:00", call, "Turku"},
	{"2021-02-01T00:00:00+02:00", call, "Salo"},
	{"2021-01-31T23:59:59+02:00", visit, "853"},
	{"2021-02-01T00:00:00+02:00", chat, "KU734"},
	{"2021-03-28T02:59:00+02:00", call, "Raisio"},
	{"2021-03-28T04:00:00+03:00", call, "Kaarina"},
	{"2021-03-28T02:59:00+02:00", contactRequest, "Lieto"},
	{"2021-03-28T04:00:00+03:00", visit, "680"},
	{"2021-03-31T23:59:59+03:00", chat, "Naantali"},
	{"2021-04-01T00:00:00+03:00", contactRequest, "KU853"},
	{"2021-10-31T03:30:00+03:00", call, "Salo"},
	{"2021-10-31T03:30:00+02:00", call, "Turku"},
	{"2021-10-31T03:30:00+03:00", visit, "Turku"},
	{"2021-10-31T03:30:00+02:00", chat, "KU202"},
	{"2021-10-31T23:59:59+02:00", call, "Loimaa"},
	{"2021-11-01T00:00:00+02:00", call, "Paimio"},
	{"2021-10-31T23:59:59+02:00", contactRequest, "KU430"},
	{"2021-11-01T00:00:00+02:00", visit, "577"},
	{"2021-11-30T23:59:59+02:00", call, "Turku"},
	{"2021-12-01T00:00:00+02:00", call, "Salo"},
	{"2021-11-30T23:59:59+02:00", contactRequest, "Turku"},
	{"2021-12-01T00:00:00+02:00", chat, "734"},
}

// swedishNames are the names of the bilingual participants in Swedish, which
// the phone system sometimes records instead.
var swedishNames = map[string]string{"Parainen": "Pargas", "Kemiönsaari": "Kimitoön"}

const nonParticipant = "895" // Uusikaupunki

// activityLog invents the events of the year, in time order, with their ids:
// calls P2100001, P2100002, ..., the others A-2021-000001, ...
func activityLog() ([]event, error) {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		return nil, err
	}
	g := logGenerator{rng: rand.New(rand.NewPCG(2021, 11)), loc: loc}
	var participants []municipality
	for _, m := range municipalities {
		if m.code == nonParticipant {
			g.uusikaupunki = m
			continue
		}
		participants = append(participants, m)
		g.weights = append(g.weights, m.aged75)
	}
	var days [12][]int // the working days of each month
	for d := time.Date(activityYear, 1, 1, 12, 0, 0, 0, loc); d.Year() == activityYear; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !slices.Contains(holidays, d.Format(time.DateOnly)) {
			days[d.Month()-1] = append(days[d.Month()-1], d.Day())
		}
	}
	var events []event
	for month := range 12 {
		for _, day := range days[month] {
			n := perDay[month] - 20 + g.rng.IntN(41)
			for range n {
				m := participants[g.pick()]
				events = append(events, g.event(month+1, day, g.kind(), m.code, m.name))
			}
		}
		u := g.uusikaupunki
		for range nonParticipantPerMonth {
			day := days[month][g.rng.IntN(len(days[month]))]
			events = append(events, g.event(month+1, day, g.kind(), u.code, u.name))
		}
	}
	for _, name := range unknownNames {
		for i := range unknownCalls + unknownOthers {
			kind := call
			if i >= unknownCalls {
				kind = visit + activity(g.rng.IntN(3))
			}
			month := 1 + g.rng.IntN(12)
			day := days[month-1][g.rng.IntN(len(days[month-1]))]
			e := g.event(month, day, kind, "", name)
			e.muni = name // as written, whatever the type
			events = append(events, e)
		}
	}
	for _, x := range edges {
		at, err := time.Parse(time.RFC3339, x.at)
		if err != nil {
			return nil, fmt.Errorf("edge %s: %w", x.at, err)
		}
		e := event{at: at.In(loc), kind: x.kind, muni: x.muni}
		if x.kind == call {
			e.duration, e.queue = g.callDetails()
		}
		events = append(events, e)
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.at.Compare(b.at) })
	calls, others := 0, 0
	for i := range events {
		if events[i].kind == call {
			calls++
			events[i].id = fmt.Sprintf("P%07d", 2100000+calls)
		} else {
			others++
			events[i].id = fmt.Sprintf("A-%d-%06d", activityYear, others)
		}
	}
	return events, nil
}

// logGenerator draws the events' details from one seeded source.
type logGenerator struct {
	rng          *rand.Rand
	loc          *time.Location
	weights      []int // the participants' residents aged 75 or over
	uusikaupunki municipality
}

// pick draws a participant in proportion to its residents aged 75 or over.
func (g *logGenerator) pick() int {
	total := 0
	for _, w := range g.weights {
		total += w
	}
	r := g.rng.IntN(total)
	for i, w := range g.weights {
		if r < w {
			return i
		}
		r -= w
	}
	panic("unreachable")
}

// kind draws a type: call 60 %, visit 20 %, contact request 12 %, chat 8 %.
func (g *logGenerator) kind() activity {
	switch r := g.rng.IntN(100); {
	case r < 60:
		return call
	case r < 80:
		return visit
	case r < 92:
		return contactRequest
	}
	return chat
}

// event makes an event of the municipality on the day at an office-hours
// time, written as its file would: a call by the Finnish name (sometimes the
// Swedish one, rarely in capitals), other events by code, "KU" and code, or
// name, a third each. Visits are booked on the quarter hour.
func (g *logGenerator) event(month, day int, kind activity, code, name string) event {
	sec := g.rng.IntN(8 * 3600)
	if kind == visit {
		sec -= sec % (15 * 60)
	}
	e := event{at: time.Date(activityYear, time.Month(month), day, 8, 0, sec, 0, g.loc), kind: kind}
	if kind == call {
		e.muni = name
		if sv, ok := swedishNames[name]; ok && g.rng.IntN(3) == 0 {
			e.muni = sv
		}
		if g.rng.IntN(200) == 0 {
			e.muni = strings.ToUpper(e.muni)
		}
		e.duration, e.queue = g.callDetails()
		return e
	}
	switch g.rng.IntN(3) {
	case 0:
		e.muni = code
	case 1:
		e.muni = "KU" + code
	default:
		e.muni = name
	}
	return e
}

// callDetails draws a call's length, 30 s to 30 min and mostly short, and
// its queue.
func (g *logGenerator) callDetails() (int, string) {
	secs := 30 + min(g.rng.IntN(1771), g.rng.IntN(1771))
	queue := "Palveluohjaus"
	if g.rng.IntN(4) == 0 {
		queue = "Omaishoito"
	}
	return secs, queue
}
