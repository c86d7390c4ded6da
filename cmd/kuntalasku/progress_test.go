package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressReporter: on a terminal one line is redrawn in place, at most
// every 100 ms, with a bar; in a log, a line at the start, one every five
// seconds and one at the end, however many updates come.
func TestProgressReporter(t *testing.T) {
	clock := time.Date(2021, 2, 1, 8, 0, 0, 0, time.UTC)
	tick := func(d time.Duration) { clock = clock.Add(d) }
	for _, terminal := range []bool{true, false} {
		var b bytes.Buffer
		p := &progressReporter{w: &b, terminal: terminal, now: func() time.Time { return clock }}
		for i := int64(1); i <= 1000; i++ {
			p.update("rows", i, 1000, i == 1000)
			tick(10 * time.Millisecond) // ten seconds in all
		}
		out := b.String()
		if terminal {
			if draws := strings.Count(out, "\r\033[K"); draws < 90 || draws > 110 {
				t.Errorf("terminal: %d draws in 10 s, want about 100", draws)
			}
			if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "[==============================] 100 % rows\n") {
				t.Errorf("terminal: the last draw is not the full bar on its own line: %q", out[max(0, len(out)-80):])
			}
			continue
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || strings.Contains(out, "\r") {
			t.Errorf("log: %d lines, want 3 (at 0 s, at 5 s, at the end):\n%s", len(lines), out)
		}
		if lines[0] != "[>                             ]   0 % rows" || lines[len(lines)-1] != "[==============================] 100 % rows" {
			t.Errorf("log lines:\n%s", out)
		}
	}
	if got := barLine("x", 5, 0); got != "x" {
		t.Errorf("without a total: %q", got)
	}
}
