package compute

import "testing"

func TestTally(t *testing.T) {
	jan, err := NewPeriod(Date{2021, 1, 1}, Date{2021, 1, 31})
	if err != nil {
		t.Fatal(err)
	}
	tl := NewTally(jan, 2)
	key := func(src, id string) *EventKey { k := NewEventKey(src, id); return &k }
	for _, tc := range []struct {
		date Date
		to   int
		typ  ActivityType
		key  *EventKey
		want Outcome
	}{
		{Date{2020, 12, 31}, 0, ActivityCall, key("puhelin", "1"), OutOfPeriod},
		{Date{2021, 1, 1}, 0, ActivityCall, key("puhelin", "2"), Counted},
		{Date{2021, 1, 31}, 1, ActivityChat, key("puhelin", "3"), Counted},
		{Date{2021, 2, 1}, 1, ActivityChat, key("puhelin", "4"), OutOfPeriod},
		{Date{2021, 1, 1}, 0, ActivityCall, key("puhelin", "2"), Duplicate},
		{Date{2021, 1, 1}, 0, ActivityCall, key("crm", "2"), Counted}, // the same id in another source
		{Date{2021, 1, 5}, 0, ActivityVisit, nil, Counted},            // no id: always counted
		{Date{2021, 1, 5}, 0, ActivityVisit, nil, Counted},
		{Date{2021, 1, 6}, NonParticipant, ActivityVisit, key("crm", "9"), Unattributed},
		{Date{2021, 1, 6}, NonParticipant, ActivityVisit, key("crm", "9"), Duplicate},
		{Date{2021, 1, 7}, Unknown, ActivityContactRequest, nil, Unattributed},
		{Date{2020, 12, 31}, 0, ActivityCall, key("puhelin", "1"), OutOfPeriod}, // not remembered
	} {
		if got := tl.Add(tc.date, tc.to, tc.typ, tc.key); got != tc.want {
			t.Errorf("Add(%v, %d, %v): got %v, want %v", tc.date, tc.to, tc.typ, got, tc.want)
		}
	}
	if want := (ActivityCounts{2, 2, 0, 0}); tl.Payers[0] != want {
		t.Errorf("payer 0: got %v, want %v", tl.Payers[0], want)
	}
	if want := (ActivityCounts{0, 0, 0, 1}); tl.Payers[1] != want || tl.Payers[1].Total() != 1 {
		t.Errorf("payer 1: got %v, want %v", tl.Payers[1], want)
	}
	if tl.NonParticipant.Total() != 1 || tl.Unknown[ActivityContactRequest] != 1 {
		t.Errorf("unattributed: %v and %v", tl.NonParticipant, tl.Unknown)
	}
	if tl.Keys() != 4 {
		t.Errorf("keys: got %d, want 4 (only the events inside the period)", tl.Keys())
	}
}

func TestEventKey(t *testing.T) {
	if NewEventKey("a", "bc") == NewEventKey("ab", "c") {
		t.Error("the source and the id are not kept apart")
	}
	if NewEventKey("puhelin", "P1") != NewEventKey("puhelin", "P1") {
		t.Error("the key is not a function of source and id")
	}
}

// BenchmarkTallyAdd measures counting with de-duplication; the bytes per key show the
// memory the set of ids takes.
func BenchmarkTallyAdd(b *testing.B) {
	year, _ := NewPeriod(Date{2021, 1, 1}, Date{2021, 12, 31})
	tl := NewTally(year, 26)
	keys := make([]EventKey, b.N)
	for i := range keys {
		keys[i] = NewEventKey("crm", string(rune(i)))
		keys[i][0], keys[i][1], keys[i][2], keys[i][3] = byte(i), byte(i>>8), byte(i>>16), byte(i>>24)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl.Add(Date{2021, 3, 1 + i%28}, i%26, ActivityType(i%NumActivityTypes), &keys[i])
	}
}

// TestKeySet adds many keys, each twice, across several growths.
func TestKeySet(t *testing.T) {
	var s keySet
	const n = 50_000
	for round := 0; round < 2; round++ {
		for i := 0; i < n; i++ {
			k := NewEventKey("crm", string(rune(i+1)))
			if got := s.add(&k); got != (round == 0) {
				t.Fatalf("round %d, key %d: add = %v", round, i, got)
			}
		}
	}
	if s.len() != n || len(s.slots) < n || len(s.slots)*maxLoad < n*16 {
		t.Errorf("len %d in %d slots", s.len(), len(s.slots))
	}
	var zero EventKey // a key whose first bits are 0 is not taken for an empty slot
	if !s.add(&zero) || s.add(&zero) {
		t.Error("the zero key is not kept")
	}
}
