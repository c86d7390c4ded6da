package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/kuntalasku/kuntalasku/compute"
)

// SeriesAudit is one number series as the audit found it.
type SeriesAudit struct {
	Scheme, Prefix string
	Year           int
	Last           int64 // the series' last number used, as recorded
	Documents      int   // documents numbered in it
}

// Audit is what Store.Audit found: every series with its documents, and
// every problem. A ledger passes when Problems is empty.
type Audit struct {
	Series     []SeriesAudit
	Documents  int
	References int // invoice references checked
	Problems   []string
}

// Audit proves the numbering (SPEC 5): every series' numbers 1…last each
// belong to exactly one document and none lies beyond; every document's
// number has its series' prefix, year and sequence; invoice references are
// unique and valid and each credit note carries the reference of the
// invoice it credits; credits and corrections refer to invoices of the
// same scheme; every document's lines sum to its net amount and net plus VAT
// is its total. It reads the ledger in one transaction and changes nothing.
func (s *Store) Audit(ctx context.Context) (*Audit, error) {
	a := &Audit{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		docs, err := queryDocuments(ctx, tx, `1 = 1`)
		if err != nil {
			return err
		}
		if err := readLines(ctx, tx, docs, `1 = 1`); err != nil {
			return err
		}
		series, err := readSeries(ctx, tx)
		if err != nil {
			return err
		}
		a.check(docs, series)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return a, nil
}

type seriesKey struct {
	scheme string
	year   int
}

// readSeries reads the series table.
func readSeries(ctx context.Context, tx *sql.Tx) (map[seriesKey]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT scheme, year, last FROM series`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[seriesKey]int64{}
	for rows.Next() {
		var k seriesKey
		var last int64
		if err := rows.Scan(&k.scheme, &k.year, &last); err != nil {
			return nil, err
		}
		out[k] = last
	}
	return out, rows.Err()
}

func (a *Audit) problem(format string, args ...any) {
	a.Problems = append(a.Problems, fmt.Sprintf(format, args...))
}

// check audits docs (by year and sequence number) against the series.
func (a *Audit) check(docs []Document, series map[seriesKey]int64) {
	a.Documents = len(docs)
	bySeries := map[seriesKey][]*Document{}
	byNumber := map[string]*Document{}
	prefixes := map[string]string{}
	for i := range docs {
		d := &docs[i]
		k := seriesKey{d.Scheme, d.Year}
		bySeries[k] = append(bySeries[k], d)
		if byNumber[d.Number] != nil {
			a.problem("%s: the number is used twice", d.Number)
		}
		byNumber[d.Number] = d
		prefix := d.Number[:max(0, len(d.Number)-len("-YYYY-NNNNNN"))]
		if want := fmt.Sprintf("%s-%04d-%06d", prefix, d.Year, d.Seq); d.Number != want || prefix == "" {
			a.problem("%s: the number does not match its year %d and sequence number %d", d.Number, d.Year, d.Seq)
		}
		if p, ok := prefixes[d.Scheme]; ok && p != prefix {
			a.problem("%s: prefix %q, the scheme %s's other documents have %q", d.Number, prefix, d.Scheme, p)
		} else if !ok {
			prefixes[d.Scheme] = prefix
		}
		if err := checkDocument(d); err != nil {
			a.problem("%s: %v", d.Number, err)
		}
	}
	keys := make([]seriesKey, 0, len(series)+len(bySeries))
	for k := range series {
		keys = append(keys, k)
	}
	for k := range bySeries {
		if _, ok := series[k]; !ok {
			keys = append(keys, k)
			a.problem("%s %d: %d documents but no series", k.scheme, k.year, len(bySeries[k]))
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].scheme != keys[j].scheme {
			return keys[i].scheme < keys[j].scheme
		}
		return keys[i].year < keys[j].year
	})
	for _, k := range keys {
		last := series[k]
		got := bySeries[k]
		a.Series = append(a.Series, SeriesAudit{Scheme: k.scheme, Prefix: prefixes[k.scheme], Year: k.year, Last: last, Documents: len(got)})
		seen := make(map[int64]bool, len(got))
		for _, d := range got {
			if d.Seq < 1 || d.Seq > last {
				a.problem("%s: beyond the last number %d recorded for %s %d", d.Number, last, k.scheme, k.year)
			}
			seen[d.Seq] = true
		}
		var missing []int64
		for seq := int64(1); seq <= last; seq++ {
			if !seen[seq] {
				missing = append(missing, seq)
			}
		}
		if len(missing) > 0 {
			a.problem("%s %d: %d numbers have no document (a gap): %s", k.scheme, k.year, len(missing), numberList(prefixes[k.scheme], k.year, missing))
		}
	}
	a.checkReferences(docs, byNumber)
}

// checkReferences checks the references and what documents refer to.
func (a *Audit) checkReferences(docs []Document, byNumber map[string]*Document) {
	refs := map[compute.Reference]string{}
	for i := range docs {
		d := &docs[i]
		if r, err := compute.ParseReference(string(d.Reference)); err != nil || r != d.Reference {
			a.problem("%s: reference %s is not a valid reference number (%v)", d.Number, d.Reference, err)
		}
		if d.Type == TypeInvoice {
			a.References++
			if other, ok := refs[d.Reference]; ok {
				a.problem("%s: reference %s is also %s's", d.Number, d.Reference, other)
			}
			refs[d.Reference] = d.Number
		}
		for _, n := range []string{d.Credits, d.Refers} {
			if n == "" {
				continue
			}
			if o := byNumber[n]; o == nil || o.Type != TypeInvoice || o.Scheme != d.Scheme {
				a.problem("%s: refers to %s, which is not an invoice of %s", d.Number, n, d.Scheme)
			}
		}
		if o := byNumber[d.Credits]; d.Credits != "" && o != nil && o.Reference != d.Reference {
			a.problem("%s: reference %s, the credited %s's is %s", d.Number, d.Reference, o.Number, o.Reference)
		}
	}
}

// numberList names the first few numbers of a list.
func numberList(prefix string, year int, seqs []int64) string {
	s := ""
	for i, seq := range seqs {
		if i == 5 {
			return s + fmt.Sprintf(" and %d more", len(seqs)-5)
		}
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s-%04d-%06d", prefix, year, seq)
	}
	return s
}
