package templates

import (
	"embed"
	"fmt"
	"strings"
)

// The starter files of "kuntalasku init": a commented configuration for each
// kind of scheme, whose organisation-specific values are placeholders
// ("<fill in: what to write, e.g. an example>"), the next steps, and empty
// input files that hold only their header row. The CSV files are UTF-8 with a
// byte order mark and CRLF line ends, so that a spreadsheet program opens
// their Finnish headers ("päivä") as they are written.
//
//go:embed init/*.toml init/*.txt init/*.csv
var initFiles embed.FS

// StarterFile is one file "kuntalasku init" writes.
type StarterFile struct {
	Path string // slash-separated, relative to the folder init writes
	What string // what it is, for the listing init prints
	Data []byte
}

// StarterSchemes are the schemes init has starter files for.
var StarterSchemes = []string{"cost-sharing", "per-resident"}

// starterLayout is where each embedded file goes, by scheme.
var starterLayout = map[string][]struct{ path, src, what string }{
	"cost-sharing": {
		{"kuntalasku.toml", "init/cost-sharing.toml", `the configuration: replace every "<fill in: ...>" value`},
		{"activity/tapahtumat.csv", "init/activity.csv", "an empty activity log (header only: aika;kunta;tyyppi;tunniste)"},
		{"README.txt", "init/README-cost-sharing.txt", "the next steps"},
	},
	"per-resident": {
		{"kuntalasku.toml", "init/per-resident.toml", `the configuration: replace every "<fill in: ...>" value`},
		{"hours/tunnit.csv", "init/hours.csv", "an empty hours log (header only: päivä;tilaaja;tunnit;laji;kuvaus)"},
		{"manual/muut-rivit.csv", "init/manual-lines.csv", "empty manual lines (header only: päivä;tilaaja;kuvaus;summa;alv)"},
		{"README.txt", "init/README-per-resident.txt", "the next steps"},
	},
}

// Starter returns the files "kuntalasku init --scheme scheme" writes, the
// configuration first.
func Starter(scheme string) ([]StarterFile, error) {
	layout, ok := starterLayout[scheme]
	if !ok {
		return nil, fmt.Errorf("no starter files for the scheme %q: expected %s", scheme, strings.Join(StarterSchemes, " or "))
	}
	out := make([]StarterFile, len(layout))
	for i, f := range layout {
		data, err := initFiles.ReadFile(f.src)
		if err != nil {
			return nil, err
		}
		out[i] = StarterFile{Path: f.path, What: f.what, Data: data}
	}
	return out, nil
}
