package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kuntalasku/kuntalasku/compute"
)

// date is d, which the test knows to be valid.
func date(t testing.TB, s string) compute.Date {
	t.Helper()
	d, err := compute.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// newLedger opens a new ledger in a temporary folder, closed when the test
// ends.
func newLedger(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ledger.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// vsa is the plan of a run of the scheme vsa (prefix VSA, reference code 1).
func vsa(t testing.TB, kind, cycle, issue string, count int) Plan {
	return Plan{Scheme: "vsa", Prefix: "VSA", ReferenceCode: 1, Cycle: cycle, Kind: kind, IssueDate: date(t, issue), Count: count}
}

// created is the creation time of the test runs, in Helsinki time and with
// a fraction of a second the ledger drops.
var created = time.Date(2021, 2, 1, 10, 30, 15, 123456789, time.FixedZone("EET", 2*60*60))

// hash is a fake SHA-256 of name.
func hash(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// makeRun builds what a run of p numbered n issues: p.Count invoices of two
// lines each.
func makeRun(p Plan, n Numbers) (*Run, []Document, error) {
	run := &Run{
		ID: n.Run, Scheme: p.Scheme, Cycle: p.Cycle, Kind: p.Kind, IssueDate: p.IssueDate,
		Created: created, Folder: p.Scheme + "/" + p.Cycle,
		Inputs: []Input{
			{Role: "configuration", Path: "kuntalasku.toml", SHA256: hash("config")},
			{Role: "population", Path: "väestö " + p.Cycle + ".csv", SHA256: hash(p.Cycle)},
		},
	}
	var docs []Document
	for i := 0; i < p.Count; i++ {
		ref, err := n.Reference(i)
		if err != nil {
			return nil, nil, err
		}
		a := compute.Money(100000 + 137*int64(n.Seq(i)))
		b := compute.Money(2550 + int64(i))
		docs = append(docs, Document{
			Number: n.Number(i), Scheme: p.Scheme, Year: n.Year, Seq: n.Seq(i), Run: n.Run, Cycle: p.Cycle, RunKind: p.Kind,
			Type: TypeInvoice, Payer: fmt.Sprintf("KU%03d", 853+i), PayerName: "Kemiönsaari", Lang: "sv",
			IssueDate: p.IssueDate, DueDate: p.IssueDate.AddDays(14),
			From: p.IssueDate.AddDays(-31), To: p.IssueDate.AddDays(-1),
			Reference: ref, Net: a + b, VAT: 651, Total: a + b + 651,
			PDF: "invoices/" + n.Number(i) + ".pdf",
			Lines: []Line{
				{Kind: "population", Description: "Väestöosuus", Basis: "192 211 asukasta", Quantity: decimal.RequireFromString("1.00"),
					Unit: "kpl", UnitPrice: a, VATRate: decimal.Zero, Net: a},
				{Kind: "work", Description: "Tuntityö", Quantity: decimal.RequireFromString("0.5"),
					Unit: "h", UnitPrice: 2*b + 1, VATRate: decimal.RequireFromString("25.50"), Net: b},
			},
		})
	}
	return run, docs, nil
}

// issued is a run Issue committed and the documents its build returned.
type issued struct {
	run  *Run
	docs []Document
}

// mustIssue issues a run of p built by makeRun, changed by change when not nil.
func mustIssue(t testing.TB, s *Store, p Plan, change func(*Run, []Document)) issued {
	t.Helper()
	var built []Document
	run, err := s.Issue(context.Background(), p, func(n Numbers) (*Run, []Document, error) {
		run, docs, err := makeRun(p, n)
		if err == nil && change != nil {
			change(run, docs)
		}
		built = docs
		return run, docs, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return issued{run, built}
}

// wantRun is how the ledger records run.
func wantRun(run *Run) Run {
	r := *run
	r.Created = run.Created.UTC().Truncate(time.Second)
	return r
}

// sameDocuments reports how got differs from want: decimals are compared
// with Equal, the rest with reflect.DeepEqual.
func sameDocuments(t testing.TB, got, want []Document) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d documents, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if len(g.Lines) != len(w.Lines) {
			t.Errorf("%s: got %d lines, want %d", w.Number, len(g.Lines), len(w.Lines))
			continue
		}
		g.Lines, w.Lines = stripDecimals(t, w.Number, g.Lines, w.Lines)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("document %d:\ngot  %+v\nwant %+v", i, g, w)
		}
	}
}

// stripDecimals checks the decimals of got and want are equal and returns
// copies without them.
func stripDecimals(t testing.TB, number string, got, want []Line) ([]Line, []Line) {
	t.Helper()
	var g, w []Line
	for i := range got {
		a, b := got[i], want[i]
		if !a.Quantity.Equal(b.Quantity) || !a.VATRate.Equal(b.VATRate) {
			t.Errorf("%s line %d: got quantity %s, VAT %s; want %s, %s", number, i+1, a.Quantity, a.VATRate, b.Quantity, b.VATRate)
		}
		a.Quantity, a.VATRate, b.Quantity, b.VATRate = decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}
		g, w = append(g, a), append(w, b)
	}
	return g, w
}

// withoutLines is docs without their lines.
func withoutLines(docs []Document) []Document {
	out := make([]Document, len(docs))
	for i, d := range docs {
		d.Lines = nil
		out[i] = d
	}
	return out
}

// fileHash is the SHA-256 of the file at path.
func fileHash(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// folderNames are the names in the folder dir.
func folderNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
