package compute

import (
	"crypto/sha256"
	"fmt"
)

// ActivityType is a kind of documented activity ("suorite") of SPEC 2.2.
type ActivityType uint8

const (
	ActivityCall           ActivityType = iota // puhelu
	ActivityVisit                              // käynti
	ActivityContactRequest                     // yhteydenottopyyntö
	ActivityChat                               // chat-yhteys
	NumActivityTypes       = 4
)

// ActivityTypes are the activity types in the order documents show them.
var ActivityTypes = [NumActivityTypes]ActivityType{ActivityCall, ActivityVisit, ActivityContactRequest, ActivityChat}

// String is the type's name in manifests and configuration: call, visit, contact_request, chat.
func (a ActivityType) String() string {
	switch a {
	case ActivityCall:
		return "call"
	case ActivityVisit:
		return "visit"
	case ActivityContactRequest:
		return "contact_request"
	case ActivityChat:
		return "chat"
	}
	return fmt.Sprintf("ActivityType(%d)", int(a))
}

// ActivityCounts are counts of events by type.
type ActivityCounts [NumActivityTypes]int64

// Total is the sum over the types.
func (c ActivityCounts) Total() int64 {
	var n int64
	for _, x := range c {
		n += x
	}
	return n
}

// Add adds d's counts to c.
func (c *ActivityCounts) Add(d ActivityCounts) {
	for i := range c {
		c[i] += d[i]
	}
}

// EventKey identifies an event by its source and id, in 16 bytes whatever their length: the
// first half of their SHA-256. Two different events share a key with a probability of about
// n²/2¹²⁹ — never, for any log.
type EventKey [16]byte

// NewEventKey is the key of the event id of source.
func NewEventKey(source, id string) EventKey {
	h := sha256.New()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(id))
	var sum [sha256.Size]byte
	var k EventKey
	copy(k[:], h.Sum(sum[:0]))
	return k
}

// Whom an event is attributed to when it is no payer's; a payer is attributed by its index,
// 0 or more.
const (
	// Unknown: the municipality is empty or not one the inputs know.
	Unknown = -2
	// NonParticipant: a real municipality that is not a payer (Uusikaupunki).
	NonParticipant = -1
)

// Outcome is what counting did with one event.
type Outcome int8

const (
	Counted      Outcome = iota // billed to a payer
	Duplicate                   // the same source and id was seen before
	OutOfPeriod                 // its date is outside the period counted
	Unattributed                // not billed: a non-participant's or an unknown municipality's
	numOutcomes
)

func (o Outcome) String() string {
	switch o {
	case Counted:
		return "counted"
	case Duplicate:
		return "duplicate"
	case OutOfPeriod:
		return "out of period"
	case Unattributed:
		return "unattributed"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Tally counts a period's activity events per payer and type (SPEC 2.2): an event outside the
// period is ignored, an event whose source and id were seen before is counted once, and an
// event of a non-participant or an unknown municipality is counted as unattributed. Only the
// keys of the events inside the period are kept, in 12 to 24 bytes each (see keySet).
type Tally struct {
	from, to int // the period as yyyymmdd
	// Payers are the counts of each payer, by the index events are attributed with.
	Payers []ActivityCounts
	// NonParticipant and Unknown are the unattributed events by type.
	NonParticipant, Unknown ActivityCounts
	seen                    keySet
}

// NewTally counts events of period for payers payers.
func NewTally(period Period, payers int) *Tally {
	return &Tally{
		from:   dateKey(period.From),
		to:     dateKey(period.To),
		Payers: make([]ActivityCounts, payers),
	}
}

func dateKey(d Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// Add counts one event: its local date, whom it is attributed to (a payer index, or
// NonParticipant or Unknown), its type, and its key when it has an id (nil when not: then it
// cannot be told from a duplicate and is always counted). It panics on a payer index or type
// out of range, which is a programming error.
func (t *Tally) Add(date Date, to int, typ ActivityType, key *EventKey) Outcome {
	if d := dateKey(date); d < t.from || d > t.to {
		return OutOfPeriod
	}
	if key != nil && !t.seen.add(key) {
		return Duplicate
	}
	switch to {
	case NonParticipant:
		t.NonParticipant[typ]++
		return Unattributed
	case Unknown:
		t.Unknown[typ]++
		return Unattributed
	}
	t.Payers[to][typ]++
	return Counted
}

// Keys is how many distinct event keys the tally holds.
func (t *Tally) Keys() int { return t.seen.len() }

// OutcomeCounts are how many events had each outcome.
type OutcomeCounts [numOutcomes]int64

// Record counts one outcome.
func (c *OutcomeCounts) Record(o Outcome) { c[o]++ }

// Of is how many events had outcome o.
func (c OutcomeCounts) Of(o Outcome) int64 { return c[o] }

// Total is how many events were recorded.
func (c OutcomeCounts) Total() int64 {
	var n int64
	for _, x := range c {
		n += x
	}
	return n
}
