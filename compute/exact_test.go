package compute

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// anyInt64 returns a non-negative int64 of a random bit length up to bitLen,
// so that small, realistic and huge values all come up.
func anyInt64(rng *rand.Rand, bitLen int) int64 {
	n := rng.IntN(bitLen + 1)
	if n == 0 {
		return 0
	}
	return rng.Int64N(1<<(n-1)) + 1<<(n-1) - 1 + rng.Int64N(2)
}

// anyBudget returns a budget of cents, mostly of everyday size, sometimes at
// the edges of int64 (including math.MinInt64, whose magnitude overflows).
func anyBudget(rng *rand.Rand) int64 {
	switch rng.IntN(10) {
	case 0:
		return []int64{0, 1, 2, 99, math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1, -1}[rng.IntN(9)]
	case 1:
		return anyInt64(rng, 63)
	case 2:
		return -anyInt64(rng, 63)
	default:
		return rng.Int64N(1_000_000_000_00) - rng.Int64N(2)*rng.Int64N(1_000_000_00)
	}
}

// sameResult fails unless two results, errors included, are identical.
func sameResult(t *testing.T, what string, got, want any, gotErr, wantErr error) {
	t.Helper()
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("%s: error %v, want %v", what, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
}

// randomAllocationInput returns shares and a budget from one of several
// regimes: everyday, many ties, huge counts, overflowing sums, errors.
func randomAllocationInput(rng *rand.Rand, n int) (Components, []Share) {
	shares := make([]Share, n)
	ids := rng.Perm(max(n, 1000))
	regime := rng.IntN(6)
	noActivities := rng.IntN(4) == 0
	idStyle := rng.IntN(4)
	for i := range shares {
		s := &shares[i]
		switch idStyle {
		case 0, 1: // municipality codes
			s.Payer.ID = fmt.Sprintf("%03d", ids[i])
		case 2: // long ids that share their first eight bytes
			s.Payer.ID = fmt.Sprintf("subscriber-%d", ids[i])
		case 3: // ids of zero bytes and a's, equal or not in their first bytes
			b := make([]byte, rng.IntN(11))
			for j := range b {
				b[j] = "\x00a"[rng.IntN(2)]
			}
			s.Payer.ID = string(b)
		}
		switch regime {
		case 0, 1: // everyday counts
			s.Population, s.Activities = rng.Int64N(50_000), rng.Int64N(10_000)
			if rng.IntN(8) == 0 {
				s.Population = 0
			}
		case 2: // ties: few distinct small counts
			s.Population, s.Activities = rng.Int64N(4), rng.Int64N(3)
		case 3: // huge counts whose sums still fit: D = P·A beyond 64 bits
			s.Population, s.Activities = anyInt64(rng, 62)/int64(n), anyInt64(rng, 62)/int64(n)
		case 4: // any counts, sums may wrap around
			s.Population, s.Activities = anyInt64(rng, 63), anyInt64(rng, 63)
		case 5: // errors: duplicates and negative counts
			s.Population, s.Activities = rng.Int64N(100), rng.Int64N(100)
			if rng.IntN(n+3) == 0 {
				s.Population = -1
			}
			if rng.IntN(n+3) == 0 {
				s.Activities = -rng.Int64N(3)
			}
			if i > 0 && rng.IntN(n+3) == 0 {
				s.Payer.ID = shares[rng.IntN(i)].Payer.ID
			}
		}
		if noActivities {
			s.Activities = 0
		}
	}
	var b Components
	switch rng.IntN(4) {
	case 0: // either component may be zero
		b = Components{Money(anyBudget(rng)), 0}
		if rng.IntN(2) == 0 {
			b.Population, b.Activity = 0, b.Population
		}
	case 1: // any signs, even mixed
		b = Components{Money(anyBudget(rng)), Money(anyBudget(rng))}
	default: // same signs
		b = Components{Money(anyBudget(rng)), Money(anyBudget(rng))}
		if (b.Population < 0) != (b.Activity < 0) {
			b.Activity = -b.Activity
		}
	}
	return b, shares
}

// TestExactSplitsAgree checks that Allocate and Apportion, on their 128-bit
// path and on their math/big fallback, return exactly what the code before
// the 128-bit path returned (oracle_test.go), errors included.
func TestExactSplitsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	iters := 20000
	if testing.Short() {
		iters = 2000
	}
	var fast, fallback, failed int
	for iter := range iters {
		n := []int{0, 1, 1 + rng.IntN(5), 1 + rng.IntN(60), 1 + rng.IntN(60)}[rng.IntN(5)]
		budget, shares := randomAllocationInput(rng, n)
		want, wantErr := refAllocate(budget, shares)
		got, err := Allocate(budget, shares)
		what := fmt.Sprintf("#%d Allocate(%v, %v)", iter, budget, shares)
		sameResult(t, what, got, want, err, wantErr)
		got, err = allocate(budget, shares, false)
		sameResult(t, what+" on math/big", got, want, err, wantErr)
		if wantErr != nil {
			failed++
		} else if allocationIs128(budget, shares) {
			fast++
		} else {
			fallback++
		}

		// Apportion by the same counts, and by arbitrary ones.
		w := make([]int64, len(shares))
		for i, s := range shares {
			w[i] = s.Population
		}
		total := Money(anyBudget(rng))
		wantParts, wantErr := refApportion(total, w)
		parts, err := Apportion(total, w)
		what = fmt.Sprintf("#%d Apportion(%d, %v)", iter, total, w)
		sameResult(t, what, parts, wantParts, err, wantErr)
		parts, err = apportion(total, w, false)
		sameResult(t, what+" on math/big", parts, wantParts, err, wantErr)
	}
	t.Logf("Allocate: %d on 128 bits, %d on math/big, %d errors", fast, fallback, failed)
	if fast < iters/4 || fallback < iters/50 || failed < iters/50 {
		t.Errorf("the inputs do not exercise every path: %d on 128 bits, %d on math/big, %d errors", fast, fallback, failed)
	}
}

// allocationIs128 reports whether Allocate takes the 128-bit path for a
// valid input.
func allocationIs128(budget Components, shares []Share) bool {
	var P, A int64
	for _, s := range shares {
		P += s.Population
		A += s.Activities
	}
	f := allocationFactors{pa: int64(budget.Population.Abs()), ab: int64(budget.Activity.Abs()), P: max(P, 1), A: max(A, 1)}
	if A == 0 {
		f.A, f.byPopulation = max(P, 1), true
	}
	_, _, _, ok := f.exact128(shares)
	return ok
}

// TestExactSplitsAgree100k is TestExactSplitsAgree at national scale and
// beyond: 100 000 payers, with everyday and with huge counts.
func TestExactSplitsAgree100k(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, huge := range []bool{false, true} {
		shares := make([]Share, 100_000)
		for i, p := range rng.Perm(len(shares)) {
			shares[i] = Share{Payer: Payer{ID: fmt.Sprintf("P%06d", p)}, Population: rng.Int64N(50_000), Activities: rng.Int64N(100)}
			if huge {
				shares[i].Population <<= 30
			}
		}
		budget := Components{Population: 199221_40, Activity: 85380_60}
		if huge {
			budget = Components{Population: -MaxMoney, Activity: -3}
		}
		if got := allocationIs128(budget, shares); got == huge {
			t.Fatalf("huge %v: on the 128-bit path: %v", huge, got)
		}
		want, wantErr := refAllocate(budget, shares)
		got, err := Allocate(budget, shares)
		sameResult(t, fmt.Sprintf("huge %v: Allocate", huge), got, want, err, wantErr)
		got, err = allocate(budget, shares, false)
		sameResult(t, fmt.Sprintf("huge %v: Allocate on math/big", huge), got, want, err, wantErr)

		w := make([]int64, len(shares))
		for i, s := range shares {
			w[i] = s.Population
		}
		wantParts, wantErr := refApportion(budget.Population, w)
		parts, err := Apportion(budget.Population, w)
		sameResult(t, fmt.Sprintf("huge %v: Apportion", huge), parts, wantParts, err, wantErr)
	}
}

func TestApportionAgreesAtTheEdges(t *testing.T) {
	const M = math.MaxInt64
	for _, tt := range []struct {
		total   Money
		weights []int64
	}{
		{math.MinInt64, []int64{1}},
		{math.MinInt64, []int64{1, 1}},
		{math.MinInt64, []int64{1, 1, 1}},
		{math.MaxInt64, []int64{M, M, M}}, // Σw beyond 64 bits
		{math.MaxInt64, []int64{M, 1}},    // Σw beyond 63 bits
		{math.MaxInt64, []int64{M / 3, M / 3, M / 3}},
		{-7, []int64{M, M, 1}},
		{5, []int64{0, 0, M}},
		{0, []int64{M, M}},
		{0, nil},
		{1, nil},
		{3, []int64{1, 0, -1}},
	} {
		want, wantErr := refApportion(tt.total, tt.weights)
		got, err := Apportion(tt.total, tt.weights)
		what := fmt.Sprintf("Apportion(%d, %v)", tt.total, tt.weights)
		sameResult(t, what, got, want, err, wantErr)
		got, err = apportion(tt.total, tt.weights, false)
		sameResult(t, what+" on math/big", got, want, err, wantErr)
	}
}

func TestU128(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	toBig := func(x u128) *big.Int {
		b := new(big.Int).SetUint64(x.hi)
		return b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(x.lo))
	}
	max128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	word := func() uint64 {
		if n := rng.IntN(65); n < 64 {
			return rng.Uint64() >> n
		}
		return math.MaxUint64
	}
	for range 100_000 {
		a, b, c := word(), word(), word()
		x := mul64(a, b)
		if want := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b)); toBig(x).Cmp(want) != 0 {
			t.Fatalf("mul64(%d, %d) = %v, want %v", a, b, toBig(x), want)
		}
		y, ok := x.mul(c)
		want := new(big.Int).Mul(toBig(x), new(big.Int).SetUint64(c))
		if ok != (want.Cmp(max128) <= 0) || ok && toBig(y).Cmp(want) != 0 {
			t.Fatalf("%v·%d = %v, %v; want %v", toBig(x), c, toBig(y), ok, want)
		}
		z := u128{word(), word()}
		s, ok := z.add(x)
		want = new(big.Int).Add(toBig(z), toBig(x))
		if ok != (want.Cmp(max128) <= 0) || ok && toBig(s).Cmp(want) != 0 {
			t.Fatalf("%v + %v = %v, %v; want %v", toBig(z), toBig(x), toBig(s), ok, want)
		}
		d := max(word(), 1)
		q, r, ok := z.divmod(d)
		wq, wr := new(big.Int).QuoRem(toBig(z), new(big.Int).SetUint64(d), new(big.Int))
		if ok != wq.IsUint64() || ok && (q != wq.Uint64() || r != wr.Uint64()) {
			t.Fatalf("%v / %d = %d rem %d, %v; want %v rem %v", toBig(z), d, q, r, ok, wq, wr)
		}
	}
}

func TestRemainderKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for iter := range 2000 {
		n := rng.IntN(30)
		rem := make([]*big.Int, n)
		for i := range rem {
			r := new(big.Int).SetUint64(rng.Uint64())
			r.Rsh(r.Lsh(r, 64).Or(r, new(big.Int).SetUint64(rng.Uint64())), uint(rng.IntN(128)))
			switch rng.IntN(4) {
			case 0:
				r.Neg(r)
			case 1:
				r.SetInt64(int64(rng.IntN(3) - 1))
			}
			if i > 0 && rng.IntN(4) == 0 {
				r.Set(rem[rng.IntN(i)])
			}
			rem[i] = r
		}
		keys := remainderKeys(rem)
		for i := range rem {
			if keys[i] < 0 != (rem[i].Sign() < 0) || keys[i] > 0 != (rem[i].Sign() > 0) {
				t.Fatalf("#%d: key %d of %v has another sign", iter, keys[i], rem[i])
			}
			for j := range rem {
				if c := rem[i].Cmp(rem[j]); c != cmpInt64(keys[i], keys[j]) {
					t.Fatalf("#%d: %v vs %v is %d, keys %d vs %d", iter, rem[i], rem[j], c, keys[i], keys[j])
				}
			}
		}
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestSelectFirst checks the quickselect, with its sorting fallback forced by
// too few rounds, against a full sort.
func TestSelectFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for iter := range 5000 {
		n := rng.IntN(200)
		r := make([]ranked, n)
		distinct := 1 + rng.IntN(n+1)
		for i := range r {
			r[i] = ranked{rng.Int64N(int64(distinct)) - int64(distinct)/3, i}
		}
		switch rng.IntN(4) { // patterns that are hard on pivots
		case 0:
			slices.SortFunc(r, func(a, b ranked) int { return cmpInt64(a.rem, b.rem) })
		case 1:
			slices.SortFunc(r, func(a, b ranked) int { return cmpInt64(b.rem, a.rem) })
		}
		for i := range r {
			r[i].pos = rng.IntN(2) * i
		}
		for i := range r { // positions must be distinct
			r[i].pos = r[i].pos*n + i
		}
		want := slices.Clone(r)
		slices.SortFunc(want, func(a, b ranked) int {
			if a.before(b) {
				return -1
			}
			return 1
		})
		k, rounds := rng.IntN(n+1), rng.IntN(4)
		if iter%2 == 0 {
			rounds = 2 * 64
		}
		got := slices.Clone(r)
		selectFirst(got, k, rounds)
		slices.SortFunc(got[:k], func(a, b ranked) int {
			if a.before(b) {
				return -1
			}
			return 1
		})
		if !slices.Equal(got[:k], want[:k]) {
			t.Fatalf("#%d: first %d of %v in %d rounds: %v, want %v", iter, k, r, rounds, got[:k], want[:k])
		}
		slices.SortFunc(got, func(a, b ranked) int { return cmpInt64(int64(a.pos), int64(b.pos)) })
		slices.SortFunc(want, func(a, b ranked) int { return cmpInt64(int64(a.pos), int64(b.pos)) })
		if !slices.Equal(got, want) {
			t.Fatalf("#%d: selectFirst lost or duplicated elements", iter)
		}
	}
}

// BenchmarkAllocate100kUnsorted is BenchmarkAllocate100k with the payers in
// no particular order.
func BenchmarkAllocate100kUnsorted(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	shares := make([]Share, 100_000)
	for i, p := range rng.Perm(len(shares)) {
		shares[i] = Share{Payer: Payer{ID: fmt.Sprintf("P%06d", p)}, Population: 1 + rng.Int64N(50_000), Activities: rng.Int64N(10_000)}
	}
	budget := Components{Population: 199221_40, Activity: 85380_60}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Allocate(budget, shares); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApportion100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	w := make([]int64, 100_000)
	for i := range w {
		w[i] = 1 + rng.Int64N(50_000)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Apportion(199221_40, w); err != nil {
			b.Fatal(err)
		}
	}
}
