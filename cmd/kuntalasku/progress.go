package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// progressFunc is told how far the reading of a file has come: rows read
// so far, bytes read of its size (0 when unknown), and done at its end.
type progressFunc func(file string, rows, read, size int64, done bool)

// progressReporter shows how far long work has come (SPEC 8): on a terminal
// one line redrawn in place, with a bar when the total is known; otherwise
// plain log lines, at most one every logEvery per piece of work and one at
// its end, so that a log file gets a few lines, not thousands.
type progressReporter struct {
	w        io.Writer
	terminal bool
	now      func() time.Time
	last     time.Time
	open     bool // a terminal line is drawn without its line break
}

const (
	drawEvery = 100 * time.Millisecond
	logEvery  = 5 * time.Second
	barWidth  = 30
)

// reporter is m's progress reporter: a terminal one when standard error is
// a terminal.
func (m *Main) reporter() *progressReporter {
	if m.shown == nil {
		p := &progressReporter{w: m.Stderr, now: time.Now}
		if p.w == nil {
			p.w = io.Discard
		}
		if f, ok := m.Stderr.(*os.File); ok {
			p.terminal = isatty.IsTerminal(f.Fd()) && m.Getenv("TERM") != "dumb"
		}
		m.shown = p
	}
	return m.shown
}

// progress reports reading an activity file.
func (m *Main) progress(file string, rows, read, size int64, done bool) {
	text := fmt.Sprintf("%s: %d rows read", filepath.Base(file), rows)
	m.reporter().update(text, read, size, done)
}

// update shows text, with done of total (total 0: unknown), and ends the
// line when finished.
func (p *progressReporter) update(text string, done, total int64, finished bool) {
	now := p.now()
	if p.terminal {
		if !finished && p.open && now.Sub(p.last) < drawEvery {
			return
		}
		fmt.Fprintf(p.w, "\r\033[K%s", barLine(text, done, total))
		p.open = !finished
		if finished {
			fmt.Fprintln(p.w)
		}
		p.last = now
		return
	}
	if !finished && !p.last.IsZero() && now.Sub(p.last) < logEvery {
		return
	}
	fmt.Fprintln(p.w, barLine(text, done, total))
	p.last = now
	if finished {
		p.last = time.Time{} // the next piece of work logs its first step
	}
}

// end breaks a terminal line left open, before other output.
func (p *progressReporter) end() {
	if p != nil && p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}

// barLine is "[=====>     ]  42 % text", or just text without a total.
func barLine(text string, done, total int64) string {
	if total <= 0 {
		return text
	}
	done = min(max(done, 0), total)
	fill := int(done * barWidth / total)
	bar := strings.Repeat("=", fill)
	if fill < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	return fmt.Sprintf("[%s] %3d %% %s", bar, done*100/total, text)
}
