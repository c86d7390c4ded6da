package templates

import (
	"bytes"
	"encoding/binary"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestFontsMatchGoFonts checks that the embedded fonts are the Go fonts
// without hinting (scripts/dehint-fonts.sh): no hinting tables, and for
// every character of the Basic Latin to Latin Extended-B blocks, the
// general punctuation and the euro sign, the same glyph, advance width and
// outline as the original, so the documents' layout does not change.
func TestFontsMatchGoFonts(t *testing.T) {
	for _, tt := range []struct {
		name       string
		got, orig  []byte
		wantLetter rune
	}{
		{"regular", FontRegular, goregular.TTF, 'ä'},
		{"bold", FontBold, gobold.TTF, 'Å'},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tables := tableTags(t, tt.got)
			for _, hinting := range []string{"fpgm", "prep", "cvt "} {
				if tables[hinting] {
					t.Errorf("the font still has the hinting table %q", hinting)
				}
			}
			if len(tt.got) >= len(tt.orig)*3/5 {
				t.Errorf("the font is %d bytes, the original %d: the hinting is not gone", len(tt.got), len(tt.orig))
			}
			got, err := sfnt.Parse(tt.got)
			if err != nil {
				t.Fatal(err)
			}
			orig, err := sfnt.Parse(tt.orig)
			if err != nil {
				t.Fatal(err)
			}
			if got.NumGlyphs() != orig.NumGlyphs() {
				t.Errorf("%d glyphs, the original has %d", got.NumGlyphs(), orig.NumGlyphs())
			}
			var gb, ob sfnt.Buffer
			const ppem = fixed.Int26_6(2048 << 6) // font units, unhinted
			checked := 0
			for _, block := range [][2]rune{{0x20, 0x24f}, {0x2000, 0x206f}, {0x20ac, 0x20ac}} {
				for r := block[0]; r <= block[1]; r++ {
					gi, err := got.GlyphIndex(&gb, r)
					if err != nil {
						t.Fatal(err)
					}
					oi, err := orig.GlyphIndex(&ob, r)
					if err != nil {
						t.Fatal(err)
					}
					if gi != oi {
						t.Errorf("U+%04X maps to glyph %d, the original to %d", r, gi, oi)
						continue
					}
					if gi == 0 {
						continue
					}
					ga, err := got.GlyphAdvance(&gb, gi, ppem, font.HintingNone)
					if err != nil {
						t.Fatal(err)
					}
					oa, err := orig.GlyphAdvance(&ob, oi, ppem, font.HintingNone)
					if err != nil {
						t.Fatal(err)
					}
					if ga != oa {
						t.Errorf("U+%04X is %v wide, the original %v", r, ga, oa)
					}
					gs, err := got.LoadGlyph(&gb, gi, ppem, nil)
					if err != nil {
						t.Fatal(err)
					}
					gs = append(sfnt.Segments(nil), gs...)
					og, err := orig.LoadGlyph(&ob, oi, ppem, nil)
					if err != nil {
						t.Fatal(err)
					}
					if len(gs) != len(og) {
						t.Errorf("U+%04X has %d outline segments, the original %d", r, len(gs), len(og))
						continue
					}
					for i := range gs {
						if gs[i] != og[i] {
							t.Errorf("U+%04X segment %d is %v, the original %v", r, i, gs[i], og[i])
							break
						}
					}
					checked++
				}
			}
			if checked < 350 {
				t.Errorf("only %d characters compared", checked)
			}
			if i, err := got.GlyphIndex(&gb, tt.wantLetter); err != nil || i == 0 {
				t.Errorf("%q has no glyph", tt.wantLetter)
			}
		})
	}
}

// tableTags lists the tags of a TrueType font's table directory.
func tableTags(t *testing.T, ttf []byte) map[string]bool {
	t.Helper()
	if len(ttf) < 12 || !bytes.Equal(ttf[:4], []byte{0, 1, 0, 0}) {
		t.Fatalf("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:6]))
	if len(ttf) < 12+16*n {
		t.Fatalf("a table directory of %d tables does not fit in %d bytes", n, len(ttf))
	}
	tags := make(map[string]bool, n)
	for i := range n {
		rec := ttf[12+16*i:]
		tags[string(rec[:4])] = true
	}
	return tags
}
