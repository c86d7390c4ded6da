package manifest

import (
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
)

// TestUnattributedJSON pins the unattributed section's shape (SPEC 4.4): totals
// per reason, counts by type under their manifest names, the first rows.
func TestUnattributedJSON(t *testing.T) {
	m := &Manifest{Scheme: "vsa", Cycle: "2021-07", Kind: KindRegular,
		Unattributed: NewUnattributed(compute.ActivityCounts{3, 1, 0, 0}, compute.ActivityCounts{1, 0, 1, 0},
			[]UnattributedRow{{File: "activity/puhelin-2021-h2.csv", Row: 920, Municipality: "Uusikaupunki", Reason: "non_participant"}})}
	data, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `  "unattributed": {
    "non_participant": 4,
    "unknown": 2,
    "by_type": {
      "non_participant": {
        "call": 3,
        "chat": 0,
        "contact_request": 0,
        "visit": 1
      },
      "unknown": {
        "call": 1,
        "chat": 0,
        "contact_request": 1,
        "visit": 0
      }
    },
    "rows": [
      {
        "file": "activity/puhelin-2021-h2.csv",
        "row": 920,
        "municipality": "Uusikaupunki",
        "reason": "non_participant"
      }
    ]
  },`
	if !strings.Contains(string(data), want) {
		t.Errorf("got\n%s\nwant it to contain\n%s", data, want)
	}
	m.Unattributed = nil
	if data, _ := Encode(m); strings.Contains(string(data), "unattributed") {
		t.Errorf("an estimate's manifest has an unattributed section:\n%s", data)
	}
}
