package main

import (
	"context"
	"testing"
	"time"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/ledger"
	"github.com/kuntalasku/kuntalasku/output/manifest"
)

// exampleDrafts are the example's January invoices, numbered from 1 and not
// yet rendered.
func exampleDrafts(tb testing.TB) []*document {
	tb.Helper()
	cfg, err := LoadConfig(exampleConfig)
	if err != nil {
		tb.Fatal(err)
	}
	issue := compute.Date{Year: 2021, Month: 2, Day: 1}
	created := time.Unix(1612166400, 0).UTC()
	m := &Main{Getenv: func(string) string { return "" }, Now: time.Now}
	res, err := m.computeInvoicing(cfg, "2021-01", "", nil, issue, created)
	if err != nil {
		tb.Fatal(err)
	}
	n := ledger.Numbers{Year: 2021, First: 1, Prefix: cfg.Scheme.Prefix, ReferenceCode: cfg.Scheme.ReferenceCode, Count: res.count()}
	drafts, err := res.drafts(context.Background(), n)
	if err != nil {
		tb.Fatal(err)
	}
	return drafts
}

// BenchmarkRenderInvoices renders 100 invoices of the example's January
// (its 26 payers' invoices, in turn) as a run does, on its pool of workers:
// the PDF, the Finvoice message and the manifest entry each. It reports
// invoices per second and the PDFs' mean size.
func BenchmarkRenderInvoices(b *testing.B) {
	drafts := exampleDrafts(b)
	const perOp = 100
	docs := make([]*document, perOp)
	for i := range docs {
		docs[i] = drafts[i%len(drafts)]
	}
	b.ReportAllocs()
	var bytes int
	for b.Loop() {
		man := &manifest.Manifest{}
		bytes = 0
		err := renderAll(docs, func(_ int, d *document) error {
			bytes += len(d.pdf)
			man.Documents = append(man.Documents, d.manifestDocument())
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := manifest.Encode(man); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(perOp*b.N)/b.Elapsed().Seconds(), "invoices/s")
	b.ReportMetric(float64(bytes)/perOp, "pdf-bytes")
}
