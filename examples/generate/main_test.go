package main

import (
	"bytes"
	"os"
	"testing"
)

// TestShippedPopulationIsGenerated keeps the shipped example file and its
// generator in step: the file must be exactly what the generator writes.
func TestShippedPopulationIsGenerated(t *testing.T) {
	var got bytes.Buffer
	if err := writePopulation(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../varsinais-suomi/population-11re-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("examples/varsinais-suomi/population-11re-synthetic.csv differs from the generator's output; run: go run ./examples/generate population > examples/varsinais-suomi/population-11re-synthetic.csv")
	}
}

func TestSpread(t *testing.T) {
	for _, n := range []int{0, 1, 7, 300, 17865} {
		parts := spread(n, []int{5, 1, 0, 3})
		sum := 0
		for _, p := range parts {
			if p < 0 {
				t.Fatalf("spread(%d) has a negative part: %v", n, parts)
			}
			sum += p
		}
		if sum != n || parts[2] != 0 {
			t.Errorf("spread(%d) = %v", n, parts)
		}
	}
}

func TestPopulationOfKeepsTheDecisionsFigures(t *testing.T) {
	for _, m := range municipalities {
		a := populationOf(m, 2019)
		old := 0
		for age := 75; age <= 100; age++ {
			old += a.men[age] + a.women[age]
		}
		if old != m.aged75 {
			t.Errorf("%s: %d aged 75+, want %d", m.name, old, m.aged75)
		}
	}
}
