// Package report renders kuntalasku's documents: the summary appendix of a run
// as a PDF and as an XLSX workbook (and, later, the invoices).
//
// Every document is built in two steps: a layout model (the texts and numbers
// to print, in the payer's or the office's language, with no fonts or
// coordinates) made by a pure function and pinned by golden files, and a
// renderer that draws the model. github.com/go-pdf/fpdf is used only in this
// package. Output is reproducible byte for byte: the creation date comes from
// the run, never from the clock.
package report
