#!/usr/bin/env bash
# Makes templates/fonts/Go-Regular.ttf and Go-Bold.ttf: the Go fonts from
# golang.org/x/image/font/gofont/ttfs (the module version go.mod names) with
# their TrueType hinting removed. Every glyph, advance width and character
# map entry stays; only the hinting programs (fpgm, prep, cvt, the glyphs'
# instructions) and the PostScript glyph names go. PDF viewers and printers
# do not run TrueType hinting, and without it the per-document font subsets
# are half the size and fpdf reads them faster (templates/fonts.go).
#
# Needs fonttools: apt-get install python3-fonttools. Run from the project
# root; templates.TestFontsMatchGoFonts checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$(go list -m -f '{{.Dir}}' golang.org/x/image)/font/gofont/ttfs"
for face in Regular Bold; do
	/usr/bin/python3 -m fontTools.subset "$src/Go-$face.ttf" \
		--unicodes='*' --glyphs='*' --notdef-outline \
		--no-hinting --layout-features='' \
		--name-IDs='*' --name-languages='*' \
		--recalc-bounds \
		--output-file="templates/fonts/Go-$face.ttf"
done
