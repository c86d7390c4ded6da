package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// The kinds of billing scheme.
const (
	KindCostSharing = "cost-sharing"
	KindPerResident = "per-resident"
)

// The kinds of per-resident subscriber.
const (
	SubscriberMunicipality    = "municipality"
	SubscriberJointAuthority  = "joint-authority"
	SubscriberWellbeingCounty = "wellbeing-county"
	SubscriberOther           = "other"
)

// PerResidentConfig holds the rules of the per-resident fee scheme (SPEC 1.2).
type PerResidentConfig struct {
	// Rate is the usage fee in euros per resident and year ("0.058").
	Rate decimalValue `toml:"rate"`
	// FeeVATRate is the usage fee's VAT rate in percent ("0" when absent),
	// and FeeVATGround the ground printed when it is 0.
	FeeVATRate   decimalValue `toml:"fee_vat_rate"`
	FeeVATGround string       `toml:"fee_vat_ground"`
	// FeeVATGeneral makes the usage fee take the general rate of VATRates
	// month by month instead of FeeVATRate: a fee whose months span a
	// change is split into one line per rate.
	FeeVATGeneral bool `toml:"fee_vat_general"`
	// HourlyPrice is the price of an hour of work without VAT ("60.00").
	HourlyPrice moneyValue `toml:"hourly_price"`
	// TrainingMonths is how long after the contract's start onboarding
	// training is included in the fee (2).
	TrainingMonths *int `toml:"training_months"`
	// VATRates is the dated table of the general VAT rate that hourly work
	// takes on the day of the work; default 24 % from 2013-01-01 and 25.5 %
	// from 2024-09-01.
	VATRates []VATRateConfig `toml:"vat_rates"`
}

// VATRateConfig is one row of the VAT table.
type VATRateConfig struct {
	From dateValue    `toml:"from"`
	Rate decimalValue `toml:"rate"`
}

var subscriberIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

func (c *Config) validatePerResident(ce *configError) {
	pr := &c.PerResident
	if !pr.Rate.set {
		ce.add("per_resident.rate", "missing: the usage fee in euros per resident and year, such as \"0.058\"")
	} else if !pr.Rate.d.IsPositive() {
		ce.add("per_resident.rate", "%s: the fee must be more than 0", pr.Rate.d)
	}
	if r := pr.FeeVATRate.d; r.IsNegative() || r.GreaterThanOrEqual(decimal.NewFromInt(100)) {
		ce.add("per_resident.fee_vat_rate", "%s: expected a VAT rate in percent from 0 to under 100", r)
	}
	if pr.FeeVATGeneral && pr.FeeVATRate.set {
		ce.add("per_resident.fee_vat_general", "the fee takes either the general rate (fee_vat_general = true) or fee_vat_rate, not both")
	}
	if !pr.FeeVATGeneral && pr.FeeVATRate.d.IsZero() && strings.TrimSpace(pr.FeeVATGround) == "" {
		ce.add("per_resident.fee_vat_ground", "missing: a fee without VAT must print its ground, such as \"Ei arvonlisäveroa: ...\"")
	}
	if !pr.HourlyPrice.set {
		pr.HourlyPrice = moneyValue{m: compute.Euros(60), set: true}
	} else if pr.HourlyPrice.m <= 0 {
		ce.add("per_resident.hourly_price", "%s: the price of an hour must be more than 0", pr.HourlyPrice.m)
	}
	if pr.TrainingMonths == nil {
		two := 2
		pr.TrainingMonths = &two
	} else if n := *pr.TrainingMonths; n < 0 || n > 24 {
		ce.add("per_resident.training_months", "%d: expected 0 to 24 months", n)
	}
	if err := c.VATTable().Check(); err != nil {
		ce.add("per_resident.vat_rates", "%v", err)
	}
	if c.defined("non_participants") || len(c.ActivitySources) > 0 {
		ce.add("activity_sources", "activity logs and non-participants are the cost-sharing scheme's")
	}
}

// VATTable is the general VAT rate by date (valid after LoadConfig).
func (c *Config) VATTable() compute.VATTable {
	if len(c.PerResident.VATRates) == 0 {
		return compute.DefaultGeneralVAT()
	}
	t := make(compute.VATTable, len(c.PerResident.VATRates))
	for i, r := range c.PerResident.VATRates {
		t[i] = compute.VATRate{From: r.From.d, Rate: r.Rate.d}
	}
	return t
}

// validateSubscriber checks a per-resident payer: its id and kind, its
// members, its contract.
func (c *Config) validateSubscriber(ce *configError, key string, i int) {
	p := &c.Payers[i]
	if p.Kind == "" {
		p.Kind = SubscriberMunicipality
	}
	switch p.Kind {
	case SubscriberMunicipality:
		if !codePattern.MatchString(p.ID) {
			ce.add(key+".id", "%q: a municipality's id is its three-digit code, such as \"091\" for Helsinki", p.ID)
		}
		if len(p.Members) > 0 {
			ce.add(key+".members", "a municipality has no members; its own residents count")
		}
	case SubscriberJointAuthority, SubscriberWellbeingCounty, SubscriberOther:
		if !subscriberIDPattern.MatchString(p.ID) || codePattern.MatchString(p.ID) {
			ce.add(key+".id", "%q: expected lower-case letters, digits and hyphens, such as \"keusote\" (three digits are a municipality's code)", p.ID)
		}
		if len(p.Members) == 0 {
			ce.add(key+".members", "missing: the member municipalities' codes, such as [\"106\", \"186\"]; their residents are the subscriber's")
		}
		seen := map[string]bool{}
		for _, m := range p.Members {
			mm := memberPattern.FindStringSubmatch(m)
			if mm == nil {
				ce.add(key+".members", "%q: expected a municipality's three-digit code, optionally followed by its name (\"106 Hyvinkää\")", m)
				continue
			}
			if seen[mm[1]] {
				ce.add(key+".members", "%q is listed twice", mm[1])
			}
			seen[mm[1]] = true
		}
	default:
		ce.add(key+".kind", "%q: expected \"municipality\", \"joint-authority\", \"wellbeing-county\" or \"other\"", p.Kind)
	}
	if !p.ContractStart.set {
		ce.add(key+".contract_start", "missing: the date the contract starts, such as 2022-01-01")
	} else if p.ContractEnd.set && p.ContractEnd.d.Before(p.ContractStart.d) {
		ce.add(key+".contract_end", "%s is before contract_start %s", p.ContractEnd.d, p.ContractStart.d)
	}
	// A municipality paid for by two subscribers at once would pay twice.
	for j := range i {
		q := &c.Payers[j]
		if !overlaps(p, q) {
			continue
		}
		for _, m := range p.municipalities() {
			for _, n := range q.municipalities() {
				if m == n {
					ce.add(key+".members", "municipality %s is also in payers[%d] (%s) and their contracts overlap; a municipality's residents are billed once", m, j+1, q.Name)
				}
			}
		}
	}
}

// municipalities are the codes whose residents a subscriber pays for.
func (p *PayerConfig) municipalities() []string {
	if p.Kind == SubscriberMunicipality || p.Kind == "" {
		return []string{p.ID}
	}
	var out []string
	for _, m := range p.Members {
		if mm := memberPattern.FindStringSubmatch(m); mm != nil {
			out = append(out, mm[1])
		}
	}
	return out
}

// overlaps reports whether two subscribers' contracts share a day.
func overlaps(p, q *PayerConfig) bool {
	if !p.ContractStart.set || !q.ContractStart.set {
		return false
	}
	ends := func(x *PayerConfig, d compute.Date) bool { return x.ContractEnd.set && x.ContractEnd.d.Before(d) }
	return !ends(p, q.ContractStart.d) && !ends(q, p.ContractStart.d)
}

// feeYearPeriod is the calendar year of a per-resident cycle id ("2022",
// "2022-Q3", "2022-07").
func feeYearPeriod(id string) (compute.Period, error) {
	var year int
	if _, err := fmt.Sscanf(id, "%4d", &year); err != nil || len(id) < 4 {
		return compute.Period{}, fmt.Errorf("%q: expected a cycle such as 2022, 2022-Q1 or 2022-01", id)
	}
	return compute.NewPeriod(compute.Date{Year: year, Month: 1, Day: 1}, compute.Date{Year: year, Month: 12, Day: 31})
}
