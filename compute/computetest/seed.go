// Package computetest holds test data shared by kuntalasku's packages: the
// cost-sharing decision's estimate table. It imports nothing of ours.
package computetest

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// SeedRow is one row of the decision's estimate table: municipality code and
// name, residents aged 75+ on 31.12.2019, and the decision's population part,
// activity part and total in euros ("1835.94").
type SeedRow struct {
	Code, Name              string
	Aged75                  int64
	PopPart, ActPart, Total string
}

// SeedTable reads testdata/seed-estimate-2021.tsv at the module root.
func SeedTable(t testing.TB) []SeedRow {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(here), "..", "..", "testdata", "seed-estimate-2021.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []SeedRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if strings.HasPrefix(c[0], "#") || c[0] == "code" {
			continue
		}
		if len(c) != 6 {
			t.Fatalf("seed table: bad line %q", sc.Text())
		}
		n, err := strconv.ParseInt(c[2], 10, 64)
		if err != nil {
			t.Fatalf("seed table: bad line %q", sc.Text())
		}
		rows = append(rows, SeedRow{c[0], c[1], n, c[3], c[4], c[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 26 {
		t.Fatalf("seed table has %d rows, want 26", len(rows))
	}
	return rows
}
