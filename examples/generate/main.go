// Command generate makes the example inputs that kuntalasku ships, so that
// nobody has to trust a data file nobody can reproduce.
//
//	go run ./examples/generate population > examples/varsinais-suomi/population-11re-synthetic.csv
//	go run ./examples/generate activity examples/varsinais-suomi/activity
//
// population writes a synthetic Statistics Finland 11re export in the PxWeb
// "semicolon separated with heading" form (ISO-8859-1, CRLF, ";"): the 26
// municipalities of the Varsinais-Suomi cost-sharing decision and
// Uusikaupunki, single ages 0…99 and "100 -", both sexes and each sex, for
// 2019 and 2020. The 2019 counts of residents aged 75 or over are exactly the
// decision's; every other number is invented, deterministically.
//
// activity writes synthetic activity logs of 2021 into a folder (made if
// missing): two overlapping exports of the contact centre's phone system and
// one export of the client-management system in kuntalasku's canonical
// format. See activity.go for what they hold.
//
// national writes synthetic national-scale data into a folder (made if
// missing) for benchmarks: population-11re.xlsx (a PxWeb XLSX export of table
// 11re for the invented municipalities), activities.csv (the month's events in
// the canonical format) and kuntalasku.toml (a cost-sharing configuration
// whose payers are the first municipalities). Same arguments, same bytes. See
// package national.
//
//	go run ./examples/generate national /tmp/national
//	go run ./examples/generate national /tmp/small --events 100000 --payers 50
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kuntalasku/kuntalasku/examples/generate/national"
)

const usage = `usage: go run ./examples/generate population > FILE
       go run ./examples/generate activity DIR
       go run ./examples/generate national DIR [--municipalities 309] [--events 10000000] [--payers N] [--month 2021-01]
`

var errUsage = errors.New("usage")

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, errUsage) {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "generate:", err)
		}
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 1 && args[0] == "population":
		w := bufio.NewWriter(stdout)
		if err := writePopulation(w); err != nil {
			return err
		}
		return w.Flush()
	case len(args) == 2 && args[0] == "activity":
		return writeActivity(args[1])
	case len(args) >= 2 && args[0] == "national":
		return writeNational(args[1:])
	}
	return errUsage
}

// writeNational is "national DIR [flags]": the flags may come before or
// after DIR.
func writeNational(args []string) error {
	o := national.DefaultOptions()
	fs := flag.NewFlagSet("national", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errUsage prints the usage
	fs.IntVar(&o.Municipalities, "municipalities", o.Municipalities, "municipalities in the population file")
	fs.Int64Var(&o.Events, "events", o.Events, "activity events in the month")
	payers := fs.Int("payers", 0, "payers: the first municipalities (default all)")
	month := fs.String("month", "2021-01", "the month of the events")
	var dirs []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("national: %v: %w", err, errUsage)
		}
		args = fs.Args()
		if len(args) > 0 {
			dirs, args = append(dirs, args[0]), args[1:]
		}
	}
	if len(dirs) != 1 {
		return fmt.Errorf("national: expected one folder, got %q: %w", dirs, errUsage)
	}
	o.Payers = o.Municipalities
	if *payers != 0 {
		o.Payers = *payers
	}
	m, err := time.Parse("2006-01", *month)
	if err != nil {
		return fmt.Errorf("national: --month %q: expected a month such as 2021-01", *month)
	}
	o.Year, o.Month = m.Year(), m.Month()
	return national.Write(dirs[0], o)
}
