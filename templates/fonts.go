package templates

import (
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// The documents' fonts: the Go fonts (a BSD-licensed humanist sans-serif that
// covers Latin-1, the euro sign and the Nordic letters), embedded in every PDF.
var (
	FontRegular = goregular.TTF
	FontBold    = gobold.TTF
)
