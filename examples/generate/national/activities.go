package national

import (
	"bufio"
	"io"
	"math/rand/v2"
	"time"
	_ "time/tzdata" // Europe/Helsinki wherever the generator runs
)

// activityTypes are the canonical type words, each with its share of the
// events in percent: calls 60 %, visits 20 %, contact requests 12 %, chats 8 %.
var activityTypes = []struct {
	word    string
	percent uint64
}{{"puhelu", 60}, {"käynti", 20}, {"yhteydenottopyyntö", 12}, {"chat", 8}}

// writeActivities writes o.Events events of the month o.Year-o.Month in
// kuntalasku's canonical CSV format: UTF-8, LF, ";", the header
// aika;kunta;tyyppi, no ids. The events are in time order, spread evenly
// over the month in Helsinki (its first second to its last; several share a
// second when there are more events than seconds), each written in ISO 8601
// with the offset in force ("2021-01-31T23:59:59+02:00"). The municipality
// of each is drawn in proportion to its residents aged 75 or over and
// written as its code ("001"), "KU" and its code or its name ("Kunta 001"),
// a third each.
func writeActivities(w io.Writer, munis []Municipality, o Options) error {
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		return err
	}
	start := time.Date(o.Year, o.Month, 1, 0, 0, 0, 0, helsinki).Unix()
	span := time.Date(o.Year, o.Month+1, 1, 0, 0, 0, 0, helsinki).Unix() - start

	// cum[i] is the weight of municipalities 0…i; spellings their three ways.
	cum := make([]uint64, len(munis))
	spellings := make([][3]string, len(munis))
	var total uint64
	for i := range munis {
		m := &munis[i]
		total += uint64(max(1, m.Aged(75)))
		cum[i] = total
		spellings[i] = [3]string{m.Code, "KU" + m.Code, m.Name}
	}
	rng := rand.New(rand.NewPCG(uint64(o.Year)*100+uint64(o.Month), 14))

	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString("aika;kunta;tyyppi\n"); err != nil {
		return err
	}
	var (
		line           []byte
		prefix, suffix []byte // "2021-01-31T23:" and "+02:00" of the current hour
		hour           = int64(-1)
		sec, frac      int64 // event k is at start + ⌊k·span/Events⌋ = start + sec + frac/Events
	)
	for range o.Events {
		at := start + sec
		// Helsinki's offset is whole hours and changes on the hour, so
		// minutes and seconds are the same in UTC.
		if h := at / 3600; h != hour {
			hour = h
			t := time.Unix(h*3600, 0).In(helsinki)
			prefix = t.AppendFormat(prefix[:0], "2006-01-02T15:")
			suffix = t.AppendFormat(suffix[:0], "-07:00")
		}
		mm, ss := at%3600/60, at%60
		line = append(line[:0], prefix...)
		line = append(line, byte('0'+mm/10), byte('0'+mm%10), ':', byte('0'+ss/10), byte('0'+ss%10))
		line = append(line, suffix...)
		line = append(line, ';')
		r := rng.Uint64N(total)
		lo, hi := 0, len(cum)-1 // the first municipality whose cum exceeds r
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] > r {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		x := rng.Uint64()
		line = append(line, spellings[lo][x>>32%3]...)
		line = append(line, ';')
		p := x % 100
		for _, t := range activityTypes {
			if p < t.percent {
				line = append(line, t.word...)
				break
			}
			p -= t.percent
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}

		sec += span / o.Events
		if frac += span % o.Events; frac >= o.Events {
			sec, frac = sec+1, frac-o.Events
		}
	}
	return bw.Flush()
}
