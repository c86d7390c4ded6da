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
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

const usage = `usage: go run ./examples/generate population > FILE
       go run ./examples/generate activity DIR
`

var errUsage = errors.New("usage")

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, errUsage) {
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
	}
	return errUsage
}
