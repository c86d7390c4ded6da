package compute

import (
	"fmt"
	"math/big"
	"math/rand/v2"

	"github.com/kuntalasku/kuntalasku/compute/computetest"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAllocateSeedEstimate is SPEC 3.3's acceptance check: the seed's estimate
// of the whole contract period, activities assumed to follow population.
func TestAllocateSeedEstimate(t *testing.T) {
	budget, err := SplitComponents(Euros(284602), decimal.NewFromInt(70))
	if err != nil {
		t.Fatal(err)
	}
	if budget.Population.String() != "199221.40" || budget.Activity.String() != "85380.60" {
		t.Fatalf("components = %s + %s, want 199221.40 + 85380.60", budget.Population, budget.Activity)
	}
	seedTable := computetest.SeedTable(t)
	var shares []Share
	for _, r := range seedTable {
		shares = append(shares, Share{Payer: Payer{ID: r.Code, Name: r.Name}, Population: r.Aged75})
	}
	a, err := Allocate(budget, shares)
	if err != nil {
		t.Fatal(err)
	}
	if !a.ActivitiesByPopulation || a.Population != 46505 {
		t.Errorf("ActivitiesByPopulation = %v, Population = %d; want true, 46505", a.ActivitiesByPopulation, a.Population)
	}
	var sumPop, sumAct, sumTotal Money
	for i, r := range seedTable {
		l := a.Lines[i]
		t.Run(r.Name, func(t *testing.T) {
			if l.Payer.ID != r.Code {
				t.Fatalf("line %d is payer %s, want %s", i, l.Payer.ID, r.Code)
			}
			if got := l.Total.String(); got != r.Total {
				t.Errorf("total = %s, want the seed's %s", got, r.Total)
			}
			for _, c := range []struct {
				what string
				got  Money
				seed string
			}{{"population part", l.PopulationAmount, r.PopPart}, {"activity part", l.ActivityAmount, r.ActPart}} {
				seed, _ := ParseMoney(c.seed)
				if d := (c.got - seed).Abs(); d > 1 {
					t.Errorf("%s = %s, more than a cent from the seed's %s", c.what, c.got, c.seed)
				}
			}
			if l.PopulationAmount+l.ActivityAmount != l.Total {
				t.Errorf("lines %s + %s do not sum to the total %s", l.PopulationAmount, l.ActivityAmount, l.Total)
			}
		})
		sumPop += l.PopulationAmount
		sumAct += l.ActivityAmount
		sumTotal += l.Total
	}
	if sumPop.String() != "199221.40" || sumAct.String() != "85380.60" || sumTotal.String() != "284602.00" {
		t.Errorf("columns sum to %s, %s, %s; want 199221.40, 85380.60, 284602.00", sumPop, sumAct, sumTotal)
	}
}

func TestCycleBudgets2021(t *testing.T) {
	period, err := SplitComponents(Euros(284602), decimal.NewFromInt(70))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := NewPeriod(Date{2021, 1, 1}, Date{2021, 11, 30})
	cycles := p.Cycles(Monthly)
	got, err := CycleBudgets(period, cycles)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 11 {
		t.Fatalf("%d cycles, want 11", len(got))
	}
	var pop, act Money
	for i, c := range got {
		wantPop, wantAct := "18111.04", "7761.88"
		if i >= 7 {
			wantPop = "18111.03"
		}
		if i >= 3 {
			wantAct = "7761.87"
		}
		if c.Population.String() != wantPop || c.Activity.String() != wantAct {
			t.Errorf("%s: %s + %s, want %s + %s", cycles[i].ID, c.Population, c.Activity, wantPop, wantAct)
		}
		pop += c.Population
		act += c.Activity
	}
	if got[0].Total().String() != "25872.92" {
		t.Errorf("January budget = %s, want 25872.92", got[0].Total())
	}
	if pop != period.Population || act != period.Activity {
		t.Errorf("cycle columns sum to %s + %s, want %s + %s", pop, act, period.Population, period.Activity)
	}
	// A quarterly scheme over the same period weighs each quarter by its months.
	q, err := CycleBudgets(period, p.Cycles(Quarterly))
	if err != nil {
		t.Fatal(err)
	}
	if q[0].Population.String() != "54333.11" || q[3].Population.String() != "36222.07" {
		t.Errorf("quarterly population budgets = %v", q)
	}
}

func TestSplitComponents(t *testing.T) {
	tests := []struct {
		budget, pct, pop, act string
	}{
		{"284602.00", "70", "199221.40", "85380.60"},
		{"0.01", "70", "0.01", "0.00"}, // 0.007 rounds half up to 0.01
		{"0.05", "70", "0.04", "0.01"}, // 0.035 → 0.04
		{"100.00", "100", "100.00", "0.00"},
		{"100.00", "0", "0.00", "100.00"},
		{"10.00", "33.335", "3.33", "6.67"}, // 3.3335 → 3.33
		{"-284602.00", "70", "-199221.40", "-85380.60"},
	}
	for _, tt := range tests {
		b, _ := ParseMoney(tt.budget)
		got, err := SplitComponents(b, decimal.RequireFromString(tt.pct))
		if err != nil || got.Population.String() != tt.pop || got.Activity.String() != tt.act {
			t.Errorf("SplitComponents(%s, %s%%) = %s + %s, %v; want %s + %s", tt.budget, tt.pct, got.Population, got.Activity, err, tt.pop, tt.act)
		}
	}
	if _, err := SplitComponents(100, decimal.NewFromInt(101)); err == nil {
		t.Error("a 101 % weight was accepted")
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		name    string
		total   Money
		weights []int64
		want    []Money
	}{
		{"even", 300, []int64{1, 1, 1}, []Money{100, 100, 100}},
		{"leftover to earliest on ties", 100, []int64{1, 1, 1}, []Money{34, 33, 33}},
		{"largest remainder wins", 100, []int64{1, 2, 3}, []Money{17, 33, 50}},
		{"zero weight gets nothing", 101, []int64{0, 1, 1}, []Money{0, 51, 50}},
		{"negative is the positive negated", -100, []int64{1, 1, 1}, []Money{-34, -33, -33}},
		{"zero total", 0, []int64{0, 0}, []Money{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apportion(tt.total, tt.weights)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Apportion(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
			}
		})
	}
	if _, err := Apportion(100, []int64{0, 0}); err == nil {
		t.Error("splitting 1.00 by zero weights: no error")
	}
	if _, err := Apportion(100, []int64{1, -1}); err == nil {
		t.Error("negative weight: no error")
	}
}

// exact returns num/den as a rational number of cents.
func exact(num, den int64) *big.Rat { return new(big.Rat).SetFrac64(num, den) }

// withinCent reports whether |got − want| < 1 cent.
func withinCent(got Money, want *big.Rat) bool {
	d := new(big.Rat).Sub(new(big.Rat).SetInt64(int64(got)), want)
	return d.Abs(d).Cmp(big.NewRat(1, 1)) < 0
}

func TestApportionProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 3000; iter++ {
		n := 1 + rng.IntN(40)
		w := make([]int64, n)
		var sum int64
		for i := range w {
			w[i] = rng.Int64N([]int64{3, 100, 1_000_000}[iter%3])
			sum += w[i]
		}
		if sum == 0 {
			w[0], sum = 1, 1
		}
		total := Money(rng.Int64N(100_000_000_00)) - Money(iter%2)*Money(rng.Int64N(100_00))
		got, err := Apportion(total, w)
		if err != nil {
			t.Fatalf("Apportion(%d, %v): %v", total, w, err)
		}
		if s := Sum(got...); s != total {
			t.Fatalf("Apportion(%d, %v) parts sum to %d", total, w, s)
		}
		for i := range w {
			if !withinCent(got[i], exact(int64(total)*w[i], sum)) {
				t.Fatalf("Apportion(%d, %v): part %d = %d is a cent or more from exact", total, w, i, got[i])
			}
		}
	}
}

// checkAllocation asserts every invariant of SPEC 3 on one allocation.
func checkAllocation(t *testing.T, budget Components, shares []Share, a Allocation) {
	t.Helper()
	var pop, act, tot Money
	var P, A int64
	for _, s := range shares {
		P += s.Population
		A += s.Activities
	}
	byPop := A == 0
	if byPop {
		A = P
	}
	for i, l := range a.Lines {
		s := shares[i]
		if l.Payer != s.Payer {
			t.Fatalf("line %d is payer %v, want %v", i, l.Payer, s.Payer)
		}
		x := s.Activities
		if byPop {
			x = s.Population
		}
		qa := exact(int64(budget.Population)*s.Population, P)
		qb := exact(int64(budget.Activity)*x, A)
		qt := new(big.Rat).Add(qa, qb)
		if !withinCent(l.PopulationAmount, qa) || !withinCent(l.ActivityAmount, qb) || !withinCent(l.Total, qt) {
			t.Fatalf("payer %s: %d + %d = %d is not within a cent of %s + %s = %s (budget %v, shares %v)",
				s.Payer.ID, l.PopulationAmount, l.ActivityAmount, l.Total, qa.FloatString(3), qb.FloatString(3), qt.FloatString(3), budget, shares)
		}
		if l.PopulationAmount+l.ActivityAmount != l.Total {
			t.Fatalf("payer %s: lines do not sum to its total", s.Payer.ID)
		}
		pop += l.PopulationAmount
		act += l.ActivityAmount
		tot += l.Total
	}
	if pop != budget.Population || act != budget.Activity || tot != budget.Total() {
		t.Fatalf("columns sum to %d, %d, %d; want %d, %d, %d", pop, act, tot, budget.Population, budget.Activity, budget.Total())
	}
}

func randomShares(rng *rand.Rand, n int, withActivities bool) []Share {
	shares := make([]Share, n)
	ids := rng.Perm(1000)
	for i := range shares {
		shares[i] = Share{Payer: Payer{ID: fmt.Sprintf("%03d", ids[i])}, Population: rng.Int64N(20000)}
		if rng.IntN(10) == 0 {
			shares[i].Population = 0
		}
		if withActivities {
			shares[i].Activities = rng.Int64N(500)
		}
	}
	shares[rng.IntN(n)].Population++ // never all zero
	return shares
}

func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 2000; iter++ {
		n := 1 + rng.IntN(60)
		shares := randomShares(rng, n, iter%4 != 0)
		total := Money(1 + rng.Int64N(1_000_000_00))
		budget, err := SplitComponents(total, decimal.NewFromInt(rng.Int64N(101)))
		if err != nil {
			t.Fatal(err)
		}
		if iter%7 == 0 {
			budget = Components{-budget.Population, -budget.Activity}
		}
		a, err := Allocate(budget, shares)
		if err != nil {
			t.Fatalf("Allocate(%v, %v): %v", budget, shares, err)
		}
		checkAllocation(t, budget, shares, a)

		// The same shares in another order give every payer the same lines.
		shuffled := slices.Clone(shares)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b, err := Allocate(budget, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]AllocationLine{}
		for _, l := range a.Lines {
			byID[l.Payer.ID] = l
		}
		for _, l := range b.Lines {
			if byID[l.Payer.ID] != l {
				t.Fatalf("payer %s: %+v in one order, %+v in another", l.Payer.ID, byID[l.Payer.ID], l)
			}
		}
	}
}

// TestAllocateTies checks the tie-breaks: identical payers get the leftover
// cents by payer id, whatever order they come in.
func TestAllocateTies(t *testing.T) {
	shares := []Share{
		{Payer: Payer{ID: "853"}, Population: 1},
		{Payer: Payer{ID: "019"}, Population: 1},
		{Payer: Payer{ID: "202"}, Population: 1},
	}
	a, err := Allocate(Components{Population: 70, Activity: 30}, shares)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range a.Lines {
		got[l.Payer.ID] = fmt.Sprintf("%d+%d=%d", l.PopulationAmount, l.ActivityAmount, l.Total)
	}
	// Totals 100/3: 34, 33, 33 (019 first). Population 70/3 = 23.33: one leftover
	// cent to 019; activity 10 each.
	want := map[string]string{"019": "24+10=34", "202": "23+10=33", "853": "23+10=33"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("payer %s: %s, want %s", id, got[id], w)
		}
	}
}

func TestAllocateErrors(t *testing.T) {
	p := func(id string, pop int64) Share { return Share{Payer: Payer{ID: id}, Population: pop} }
	tests := []struct {
		name   string
		budget Components
		shares []Share
	}{
		{"duplicate payer", Components{100, 0}, []Share{p("019", 1), p("019", 2)}},
		{"no population", Components{100, 0}, []Share{p("019", 0)}},
		{"negative count", Components{100, 0}, []Share{p("019", -1)}},
		{"no payers", Components{100, 0}, nil},
		{"mixed signs", Components{100, -5}, []Share{p("019", 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Allocate(tt.budget, tt.shares); err == nil {
				t.Error("no error")
			}
		})
	}
}

func BenchmarkAllocate100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	shares := make([]Share, 100_000)
	for i := range shares {
		shares[i] = Share{Payer: Payer{ID: fmt.Sprintf("P%06d", i)}, Population: 1 + rng.Int64N(50_000), Activities: rng.Int64N(10_000)}
	}
	budget := Components{Population: 199221_40, Activity: 85380_60}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Allocate(budget, shares); err != nil {
			b.Fatal(err)
		}
	}
}
