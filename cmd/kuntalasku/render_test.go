package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestRenderAll checks the rendering pool as a run uses it: every document
// emitted once, in order, rendered when it is emitted and dropped after; the
// first error, from emit or from rendering, stops the work and nothing after
// it is emitted.
func TestRenderAll(t *testing.T) {
	t.Run("in order", func(t *testing.T) {
		docs := exampleDrafts(t)
		var got []int
		err := renderAll(docs, func(i int, d *document) error {
			if d != docs[i] {
				t.Errorf("emit %d got another document", i)
			}
			if !bytes.HasPrefix(d.pdf, []byte("%PDF-")) || !bytes.Contains(d.xml, []byte("<Finvoice")) {
				t.Errorf("document %d emitted before it was rendered", i)
			}
			got = append(got, i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(docs) {
			t.Fatalf("%d of %d documents emitted", len(got), len(docs))
		}
		for k, i := range got {
			if i != k {
				t.Fatalf("emitted in the order %v", got)
			}
		}
		for i, d := range docs {
			if d.pdf != nil || d.xml != nil {
				t.Errorf("document %d still holds its bytes after it was written", i)
			}
		}
	})
	t.Run("emit fails", func(t *testing.T) {
		docs := exampleDrafts(t)
		full := errors.New("disk full")
		var emitted int
		err := renderAll(docs, func(i int, d *document) error {
			emitted++
			if i == 3 {
				return full
			}
			return nil
		})
		if !errors.Is(err, full) {
			t.Fatalf("renderAll = %v, want the emit's error", err)
		}
		if emitted != 4 {
			t.Errorf("%d documents emitted, want 4 (up to the failure)", emitted)
		}
	})
	t.Run("render fails", func(t *testing.T) {
		docs := exampleDrafts(t)
		bad := *docs[5]
		inv := *bad.inv
		inv.Seller.IBAN = "FI00 1234"
		bad.inv = &inv
		docs[5] = &bad
		var emitted []int
		err := renderAll(docs, func(i int, d *document) error {
			emitted = append(emitted, i)
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "IBAN") {
			t.Fatalf("renderAll = %v, want the broken IBAN's error", err)
		}
		if len(emitted) != 5 {
			t.Errorf("emitted %v, want the five documents before the broken one", emitted)
		}
	})
}
