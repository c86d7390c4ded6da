package compute

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// lasteriRate is the decision's usage fee, 0,058 € per resident.
var lasteriRate = decimal.RequireFromString("0.058")

func TestYearFee(t *testing.T) {
	// Made-up member populations of a six-member joint authority.
	members := []int64{46_897, 44_681, 20_934, 44_139, 5_120, 39_408}
	var joint int64
	for _, p := range members {
		joint += p
	}
	tests := []struct {
		name       string
		rate       string
		population int64
		months     int
		want       string
	}{
		{"round number", "0.058", 100_000, 12, "5800.00"},
		{"Helsinki-sized municipality", "0.058", 656_920, 12, "38101.36"},
		{"joint authority: members summed", "0.058", joint, 12, "11668.38"}, // 201 179 × 0,058 = 11 668,382
		{"pro rata 7/12 rounded once, not per month", "0.058", 12_345, 7, "417.67"},
		{"pro rata 1/12", "0.058", 100_000, 1, "483.33"},
		{"exactly half a cent rounds up", "0.058", 12_345, 6, "358.01"}, // 358,005
		{"just below half a cent rounds down", "0.058", 1, 1, "0.00"},   // 0,004833…
		{"above half a cent rounds up", "0.058", 31, 1, "0.15"},         // 0,149833…
		{"half a cent alone", "0.058", 5, 6, "0.15"},                    // 0,145
		{"zero population", "0.058", 0, 12, "0.00"},
		{"zero rate", "0", 656_920, 12, "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := YearFee(decimal.RequireFromString(tt.rate), tt.population, tt.months)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("YearFee(%s, %d, %d) = %s, want %s", tt.rate, tt.population, tt.months, got, tt.want)
			}
		})
	}
	if joint != 201_179 {
		t.Errorf("members sum to %d, want 201179", joint)
	}
}

func TestYearFeeErrors(t *testing.T) {
	tests := []struct {
		name       string
		rate       string
		population int64
		months     int
	}{
		{"no months", "0.058", 1000, 0},
		{"13 months", "0.058", 1000, 13},
		{"negative months", "0.058", 1000, -1},
		{"negative population", "0.058", -1, 12},
		{"negative rate", "-0.058", 1000, 12},
		{"out of range", "1000000", 1 << 50, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := YearFee(decimal.RequireFromString(tt.rate), tt.population, tt.months); err == nil {
				t.Errorf("YearFee(%s, %d, %d) = %s, want an error", tt.rate, tt.population, tt.months, got)
			}
		})
	}
}

// monthRange returns the months from first to last of one year, "2023-06".."2023-12".
func monthRange(t *testing.T, first, last string) []Month {
	t.Helper()
	f, err := ParseMonth(first)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseMonth(last)
	if err != nil {
		t.Fatal(err)
	}
	var out []Month
	for m := f; m.Index() <= l.Index(); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

func TestBilledMonths(t *testing.T) {
	tests := []struct {
		name        string
		year        int
		start, end  string
		first, last string // "" for no months
	}{
		{"whole year, open-ended", 2023, "2022-01-01", "", "2023-01", "2023-12"},
		{"starts in the year", 2023, "2023-01-01", "", "2023-01", "2023-12"},
		{"starts mid-year", 2023, "2023-06-01", "", "2023-06", "2023-12"},
		{"starts mid-month: billed from that month", 2023, "2023-06-15", "", "2023-06", "2023-12"},
		{"starts on the last day of the year", 2023, "2023-12-31", "", "2023-12", "2023-12"},
		{"ends in the year", 2023, "2021-05-01", "2023-03-31", "2023-01", "2023-03"},
		{"ends mid-month: billed to that month", 2023, "2021-05-01", "2023-03-01", "2023-01", "2023-03"},
		{"starts and ends in the year", 2023, "2023-04-20", "2023-09-10", "2023-04", "2023-09"},
		{"one day", 2023, "2023-04-20", "2023-04-20", "2023-04", "2023-04"},
		{"a calendar-year contract, its year", 2022, "2022-01-01", "2022-12-31", "2022-01", "2022-12"},
		{"a calendar-year contract, the next year", 2023, "2022-01-01", "2022-12-31", "", ""},
		{"starts after the year", 2023, "2024-01-01", "", "", ""},
		{"ends before the year", 2023, "2020-01-01", "2021-06-30", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, _ := ParseDate(tt.start)
			var end Date
			if tt.end != "" {
				end, _ = ParseDate(tt.end)
			}
			got, err := BilledMonths(tt.year, start, end)
			if err != nil {
				t.Fatal(err)
			}
			var want []Month
			if tt.first != "" {
				want = monthRange(t, tt.first, tt.last)
			}
			if !slices.Equal(got, want) {
				t.Errorf("BilledMonths(%d, %s, %s) = %v, want %v", tt.year, tt.start, tt.end, got, want)
			}
		})
	}
}

func TestBilledMonthsErrors(t *testing.T) {
	tests := []struct {
		name       string
		year       int
		start, end Date
	}{
		{"ends before it starts", 2023, Date{2023, 6, 1}, Date{2023, 5, 31}},
		{"ends the day before it starts, another year", 2023, Date{2024, 1, 1}, Date{2023, 12, 31}},
		{"no start", 2023, Date{}, Date{2023, 12, 31}},
		{"year 0", 0, Date{2023, 6, 1}, Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := BilledMonths(tt.year, tt.start, tt.end); err == nil {
				t.Errorf("BilledMonths(%d, %s, %s) = %v, want an error", tt.year, tt.start, tt.end, got)
			}
		})
	}
}

// instalmentStrings renders instalments as "ID first..last fee".
func instalmentStrings(ins []Instalment) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Cycle.ID+" "+in.Months[0].String()+".."+in.Months[len(in.Months)-1].String()+" "+in.Fee.String())
	}
	return out
}

func TestInstalments(t *testing.T) {
	tests := []struct {
		name   string
		fee    Money
		billed []Month
		f      Frequency
		want   []string
	}{
		{"annual: one instalment", 580000, monthRange(t, "2023-01", "2023-12"), Annual,
			[]string{"2023 2023-01..2023-12 5800.00"}},
		{"annual pro rata", 41767, monthRange(t, "2023-06", "2023-12"), Annual,
			[]string{"2023 2023-06..2023-12 417.67"}},
		// 417,67 / 7 = 59,667…: June to October 59,67, November and December 59,66.
		{"quarterly from June", 41767, monthRange(t, "2023-06", "2023-12"), Quarterly,
			[]string{"2023-Q2 2023-06..2023-06 59.67", "2023-Q3 2023-07..2023-09 179.01", "2023-Q4 2023-10..2023-12 178.99"}},
		{"quarterly to March", 1000, monthRange(t, "2023-01", "2023-03"), Quarterly,
			[]string{"2023-Q1 2023-01..2023-03 10.00"}},
		// 38 101,36 / 12 = 3 175,1133…: four leftover cents, January to April.
		{"monthly: leftover cents to the earliest months", 3810136, monthRange(t, "2023-01", "2023-12"), Monthly, []string{
			"2023-01 2023-01..2023-01 3175.12", "2023-02 2023-02..2023-02 3175.12", "2023-03 2023-03..2023-03 3175.12",
			"2023-04 2023-04..2023-04 3175.12", "2023-05 2023-05..2023-05 3175.11", "2023-06 2023-06..2023-06 3175.11",
			"2023-07 2023-07..2023-07 3175.11", "2023-08 2023-08..2023-08 3175.11", "2023-09 2023-09..2023-09 3175.11",
			"2023-10 2023-10..2023-10 3175.11", "2023-11 2023-11..2023-11 3175.11", "2023-12 2023-12..2023-12 3175.11"}},
		{"monthly, months not contiguous", 101, []Month{{2023, 2}, {2023, 11}}, Monthly,
			[]string{"2023-02 2023-02..2023-02 0.51", "2023-11 2023-11..2023-11 0.50"}},
		// 10,01 / 12: January to May 0,84, June to December 0,83.
		{"credit: the positive split negated", -1001, monthRange(t, "2023-01", "2023-12"), Quarterly,
			[]string{"2023-Q1 2023-01..2023-03 -2.52", "2023-Q2 2023-04..2023-06 -2.51", "2023-Q3 2023-07..2023-09 -2.49", "2023-Q4 2023-10..2023-12 -2.49"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Instalments(tt.fee, tt.billed, tt.f, 2023)
			if err != nil {
				t.Fatal(err)
			}
			if s := instalmentStrings(got); !slices.Equal(s, tt.want) {
				t.Errorf("Instalments(%s, %v, %s) = %q, want %q", tt.fee, tt.billed, tt.f, s, tt.want)
			}
		})
	}
}

// TestInstalmentCycles checks that an instalment's cycle is the whole calendar
// cycle that a run looks up by its id, even when only part of it is billed.
func TestInstalmentCycles(t *testing.T) {
	got, err := Instalments(41767, monthRange(t, "2023-06", "2023-12"), Quarterly, 2023)
	if err != nil {
		t.Fatal(err)
	}
	year := Period{From: Date{2023, 1, 1}, To: Date{2023, 12, 31}}
	want, err := year.Cycle("2023-Q2", Quarterly)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Cycle != want {
		t.Errorf("first cycle = %+v, want %+v", got[0].Cycle, want)
	}
	if got[0].Cycle.Months() != 3 || len(got[0].Months) != 1 {
		t.Errorf("first instalment has %d of %d months, want 1 of 3", len(got[0].Months), got[0].Cycle.Months())
	}
}

func TestInstalmentsEmpty(t *testing.T) {
	got, err := Instalments(0, nil, Annual, 2023)
	if err != nil || len(got) != 0 {
		t.Errorf("Instalments(0, none) = %v, %v; want none", got, err)
	}
}

func TestInstalmentsErrors(t *testing.T) {
	tests := []struct {
		name   string
		fee    Money
		billed []Month
		f      Frequency
	}{
		{"a fee but no months", 100, nil, Annual},
		{"a month of another year", 100, []Month{{2022, 12}, {2023, 1}}, Monthly},
		{"months out of order", 100, []Month{{2023, 3}, {2023, 2}}, Monthly},
		{"a month twice", 100, []Month{{2023, 3}, {2023, 3}}, Quarterly},
		{"not a month", 100, []Month{{2023, 13}}, Annual},
		{"unknown frequency", 100, []Month{{2023, 3}}, Frequency(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Instalments(tt.fee, tt.billed, tt.f, 2023); err == nil {
				t.Errorf("Instalments(%s, %v, %s) = %v, want an error", tt.fee, tt.billed, tt.f, got)
			}
		})
	}
}

func TestInstalmentsProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 5000; iter++ {
		year := 2022 + rng.IntN(5)
		var billed []Month
		if iter%2 == 0 { // a contract: a run of months
			first := 1 + rng.IntN(12)
			last := first + rng.IntN(13-first)
			for m := first; m <= last; m++ {
				billed = append(billed, Month{year, time.Month(m)})
			}
		} else { // any set of months
			for m := 1; m <= 12; m++ {
				if rng.IntN(2) == 0 {
					billed = append(billed, Month{year, time.Month(m)})
				}
			}
			if len(billed) == 0 {
				billed = []Month{{year, time.Month(1 + rng.IntN(12))}}
			}
		}
		fee := Money(rng.Int64N([]int64{13, 10_000, 100_000_000_00}[iter%3]))
		f := []Frequency{Monthly, Quarterly, Annual}[rng.IntN(3)]
		got, err := Instalments(fee, billed, f, year)
		if err != nil {
			t.Fatalf("Instalments(%s, %v, %s): %v", fee, billed, f, err)
		}
		var sum Money
		var months []Month
		n := int64(len(billed))
		lo, hi := int64(fee)/n, (int64(fee)+n-1)/n
		for i, in := range got {
			sum += in.Fee
			months = append(months, in.Months...)
			k := int64(len(in.Months))
			if int64(in.Fee) < k*lo || int64(in.Fee) > k*hi {
				t.Fatalf("Instalments(%s, %v, %s): %s for %d months is not within a cent a month of %s/%d",
					fee, billed, f, in.Fee, k, fee, n)
			}
			for _, m := range in.Months {
				if m.Index() < in.Cycle.First.Index() || m.Index() > in.Cycle.Last.Index() {
					t.Fatalf("Instalments(%s, %v, %s): month %s is outside cycle %s", fee, billed, f, m, in.Cycle.ID)
				}
			}
			if i > 0 && in.Cycle.First.Index() <= got[i-1].Cycle.Last.Index() {
				t.Fatalf("Instalments(%s, %v, %s): cycles out of order", fee, billed, f)
			}
		}
		if sum != fee {
			t.Fatalf("Instalments(%s, %v, %s) sum to %s", fee, billed, f, sum)
		}
		if !slices.Equal(months, billed) {
			t.Fatalf("Instalments(%s, %v, %s) cover months %v", fee, billed, f, months)
		}
		// Splitting an instalment again over its months gives back the year's
		// month amounts (the way a fee line is split at a VAT rate change).
		ones := make([]int64, len(billed))
		for i := range ones {
			ones[i] = 1
		}
		perMonth, _ := Apportion(fee, ones)
		j := 0
		for _, in := range got {
			again, err := Apportion(in.Fee, ones[:len(in.Months)])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(again, perMonth[j:j+len(in.Months)]) {
				t.Fatalf("Instalments(%s, %v, %s): %s over its months is %v, the year's split %v",
					fee, billed, f, in.Cycle.ID, again, perMonth[j:j+len(in.Months)])
			}
			j += len(in.Months)
		}
	}
}

func TestTrainingIncluded(t *testing.T) {
	tests := []struct {
		name       string
		start, day string
		months     int
		want       bool
	}{
		{"the start day", "2023-06-01", "2023-06-01", 2, true},
		{"the last day of the window", "2023-06-01", "2023-07-31", 2, true},
		{"the day after the window", "2023-06-01", "2023-08-01", 2, false},
		{"before the start", "2023-06-01", "2023-05-31", 2, false},
		{"mid-month start, last day", "2023-06-15", "2023-08-14", 2, true},
		{"mid-month start, day after", "2023-06-15", "2023-08-15", 2, false},
		{"month-end start, last day", "2023-01-31", "2023-03-30", 2, true},
		{"month-end start, day after", "2023-01-31", "2023-03-31", 2, false},
		{"into a short February, last day", "2023-12-31", "2024-02-28", 2, true},
		{"into a short February, day after", "2023-12-31", "2024-02-29", 2, false},
		{"one month from the 31st, last day", "2023-01-31", "2023-02-27", 1, true},
		{"one month from the 31st, day after", "2023-01-31", "2023-02-28", 1, false},
		{"across a year", "2023-11-10", "2024-01-09", 2, true},
		{"no window", "2023-06-01", "2023-06-01", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, _ := ParseDate(tt.start)
			day, _ := ParseDate(tt.day)
			if got := TrainingIncluded(start, day, tt.months); got != tt.want {
				t.Errorf("TrainingIncluded(%s, %s, %d) = %v, want %v", tt.start, tt.day, tt.months, got, tt.want)
			}
		})
	}
}

func TestParseHourKind(t *testing.T) {
	tests := []struct {
		in   string
		want HourKind
	}{
		{"työ", HourWork}, {"TYÖ", HourWork}, {" Työ ", HourWork}, {"work", HourWork}, {"Work", HourWork},
		{"koulutus", HourTraining}, {"KOULUTUS", HourTraining}, {"training", HourTraining}, {"\tTraining\n", HourTraining},
	}
	for _, tt := range tests {
		got, err := ParseHourKind(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseHourKind(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "tyo", "works", "koulutus työ", "matka"} {
		if got, err := ParseHourKind(in); err == nil {
			t.Errorf("ParseHourKind(%q) = %v, want an error", in, got)
		}
	}
	if HourWork.String() != "work" || HourTraining.String() != "training" {
		t.Errorf("String() = %s, %s", HourWork, HourTraining)
	}
}

func TestHourLine(t *testing.T) {
	tests := []struct {
		name  string
		hours string
		price Money
		want  string
	}{
		{"half hours", "7.5", 6000, "450.00"},
		{"a quarter", "0.25", 6000, "15.00"},
		{"whole hours", "3", 6000, "180.00"},
		{"rounds half up", "0.25", 6002, "15.01"}, // 15,005
		{"rounds down", "0.01", 6049, "0.60"},     // 0,6049
		{"free", "2", 0, "0.00"},
		{"trailing zeros", "1.500", 6000, "90.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HourLine(decimal.RequireFromString(tt.hours), tt.price)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("HourLine(%s, %s) = %s, want %s", tt.hours, tt.price, got, tt.want)
			}
		})
	}
	for _, c := range []struct {
		hours string
		price Money
	}{{"1.333", 6000}, {"0", 6000}, {"-1", 6000}, {"1", -6000}, {"100000000000", 6000}} {
		if got, err := HourLine(decimal.RequireFromString(c.hours), c.price); err == nil {
			t.Errorf("HourLine(%s, %s) = %s, want an error", c.hours, c.price, got)
		}
	}
}

func TestSplitSurplus(t *testing.T) {
	tests := []struct {
		name    string
		surplus Money
		fees    []Money
		want    []Money
	}{
		{"in proportion", 6000, []Money{10000, 20000, 30000}, []Money{1000, 2000, 3000}},
		{"largest remainder", 100, []Money{100, 200, 300}, []Money{17, 33, 50}},
		{"ties to the earlier payer", 200, []Money{500, 500, 500}, []Money{67, 67, 66}},
		{"a payer with no fees gets nothing", 101, []Money{0, 700, 700}, []Money{0, 51, 50}},
		{"no surplus", 0, []Money{100, 200}, []Money{0, 0}},
		{"one payer takes all", 12345, []Money{3810136}, []Money{12345}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitSurplus(tt.surplus, tt.fees)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitSurplus(%s, %v) = %v, want %v", tt.surplus, tt.fees, got, tt.want)
			}
		})
	}
	for _, c := range []struct {
		name    string
		surplus Money
		fees    []Money
	}{
		{"a deficit", -100, []Money{100}},
		{"a negative fee", 100, []Money{200, -100}},
		{"all fees zero", 100, []Money{0, 0}},
		{"no payers", 100, nil},
		{"no surplus and no fees", 0, []Money{0}},
	} {
		if got, err := SplitSurplus(c.surplus, c.fees); err == nil {
			t.Errorf("%s: SplitSurplus(%s, %v) = %v, want an error", c.name, c.surplus, c.fees, got)
		}
	}
}

func TestSplitSurplusProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for iter := 0; iter < 3000; iter++ {
		fees := make([]Money, 1+rng.IntN(30))
		var total Money
		for i := range fees {
			fees[i] = Money(rng.Int64N([]int64{3, 10_000, 1_000_000_00}[iter%3]))
			total += fees[i]
		}
		if total == 0 {
			fees[0], total = 1, 1
		}
		surplus := Money(rng.Int64N(int64(total) + 1)) // a surplus is at most the fees
		got, err := SplitSurplus(surplus, fees)
		if err != nil {
			t.Fatalf("SplitSurplus(%s, %v): %v", surplus, fees, err)
		}
		if s := Sum(got...); s != surplus {
			t.Fatalf("SplitSurplus(%s, %v) parts sum to %s", surplus, fees, s)
		}
		for i := range fees {
			if !withinCent(got[i], exact(int64(surplus)*int64(fees[i]), int64(total))) {
				t.Fatalf("SplitSurplus(%s, %v): part %d = %s is a cent or more from exact", surplus, fees, i, got[i])
			}
			if got[i] < 0 || got[i] > fees[i] {
				t.Fatalf("SplitSurplus(%s, %v): part %d = %s is not between 0 and its fees", surplus, fees, i, got[i])
			}
		}
	}
}
