package templates

import _ "embed"

// The documents' fonts: the Go fonts (a BSD-licensed humanist sans-serif that
// covers Latin-1, the euro sign and the Nordic letters), embedded in every PDF.
//
// They are golang.org/x/image/font/gofont's Go Regular and Go Bold without
// their TrueType hinting (scripts/dehint-fonts.sh): PDF viewers and printers
// do not run the hinting programs, which were half of every font subset's
// bytes and of the time fpdf spends reading and subsetting the fonts for
// each document. The outlines, advance widths and character map are the
// originals' (TestFontsMatchGoFonts), so the layout is the same.
var (
	//go:embed fonts/Go-Regular.ttf
	FontRegular []byte
	//go:embed fonts/Go-Bold.ttf
	FontBold []byte
)
