package compute

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// seedRow is one row of the cost-sharing decision's estimate table.
type seedRow struct {
	code, name              string
	pop75                   int64
	popPart, actPart, total string
}

// readSeedTable reads testdata/seed-estimate-2021.tsv, the decision's table
// shared by the tests of compute and of the command.
func readSeedTable(t *testing.T) []seedRow {
	t.Helper()
	f, err := os.Open("../testdata/seed-estimate-2021.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []seedRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "code\t") {
			continue
		}
		c := strings.Split(line, "\t")
		n, err := strconv.ParseInt(c[2], 10, 64)
		if len(c) != 6 || err != nil {
			t.Fatalf("seed table: bad line %q", line)
		}
		rows = append(rows, seedRow{c[0], c[1], n, c[3], c[4], c[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 26 {
		t.Fatalf("seed table has %d rows, want 26", len(rows))
	}
	return rows
}
