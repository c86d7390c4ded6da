package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/output/manifest"
	"github.com/shopspring/decimal"
)

// Config is one billing scheme's configuration file, parsed and validated
// once. Packages below cmd never see it: they get plain values.
type Config struct {
	path   string // the file it was read from
	sha256 string // of the file's bytes as read
	dir    string // relative paths in the file are relative to this folder
	// defined reports whether a key is in the file.
	defined func(key ...string) bool

	Scheme      SchemeConfig      `toml:"scheme"`
	Seller      SellerConfig      `toml:"seller"`
	CostSharing CostSharingConfig `toml:"cost_sharing"`
	PerResident PerResidentConfig `toml:"per_resident"`
	Inputs      InputsConfig      `toml:"inputs"`
	Output      OutputConfig      `toml:"output"`
	SMTP        SMTPConfig        `toml:"smtp"`
	Schedule    ScheduleConfig    `toml:"schedule"`
	Payers      []PayerConfig     `toml:"payers"`

	ActivitySources []ActivitySourceConfig `toml:"activity_sources"`
	// NonParticipants are municipalities that pay nothing but whose residents'
	// events may appear in the logs: reported as non-participants, not unknown.
	NonParticipants []PayerConfig `toml:"non_participants"`
}

// SchemeConfig names the billing scheme and its numbering.
type SchemeConfig struct {
	ID            string `toml:"id"`
	Kind          string `toml:"kind"`
	Name          string `toml:"name"`
	NameSV        string `toml:"name_sv"`
	NameEN        string `toml:"name_en"`
	Prefix        string `toml:"prefix"`
	ReferenceCode int    `toml:"reference_code"`
	PaymentDays   int    `toml:"payment_days"`
	Cycle         string `toml:"cycle"`
	Language      string `toml:"language"`
}

// SellerConfig is the organisation that issues the invoices.
type SellerConfig struct {
	Name            string `toml:"name"`
	Unit            string `toml:"unit"`
	Street          string `toml:"street"`
	Postcode        string `toml:"postcode"`
	City            string `toml:"city"`
	BusinessID      string `toml:"business_id"`
	VATNumber       string `toml:"vat_number"`
	IBAN            string `toml:"iban"`
	BIC             string `toml:"bic"`
	EInvoiceAddress string `toml:"einvoice_address"`
	EInvoiceOp      string `toml:"einvoice_operator"`
	ContactName     string `toml:"contact_name"`
	ContactEmail    string `toml:"contact_email"`
	ContactPhone    string `toml:"contact_phone"`
}

// CostSharingConfig holds the rules of the cost-sharing scheme (SPEC 1.1).
type CostSharingConfig struct {
	Budget              moneyValue   `toml:"budget"`
	PeriodStart         dateValue    `toml:"period_start"`
	PeriodEnd           dateValue    `toml:"period_end"`
	PopulationWeight    decimalValue `toml:"population_weight"`
	ActivityWeight      decimalValue `toml:"activity_weight"`
	AgeLimit            int          `toml:"age_limit"`
	PopulationReference dateValue    `toml:"population_reference"`
	// VATRate is the lines' VAT rate in percent; "0" (outside VAT) when absent.
	VATRate decimalValue `toml:"vat_rate"`
}

// InputsConfig locates the input files.
type InputsConfig struct {
	Population string `toml:"population"`
	// Hours and ManualLines are the per-resident scheme's hours logs and
	// manual lines (SPEC 2.3): paths or patterns.
	Hours       []string `toml:"hours"`
	ManualLines []string `toml:"manual_lines"`
}

// OutputConfig locates the output folder and the ledger.
type OutputConfig struct {
	Dir    string `toml:"dir"`
	Ledger string `toml:"ledger"`
}

// PayerConfig is one payer: a participating municipality, with its billing
// details.
type PayerConfig struct {
	ID       string `toml:"id"`
	Name     string `toml:"name"`
	NameSV   string `toml:"name_sv"`
	Language string `toml:"language"`

	// LegalName is the organisation's name on documents ("Turun kaupunki",
	// LegalNameSV on Swedish ones); name (name_sv) when empty.
	LegalName        string `toml:"legal_name"`
	LegalNameSV      string `toml:"legal_name_sv"`
	Unit             string `toml:"unit"`
	Street           string `toml:"street"`
	Postcode         string `toml:"postcode"`
	City             string `toml:"city"`
	BusinessID       string `toml:"business_id"`
	EInvoiceAddress  string `toml:"einvoice_address"`
	EInvoiceOperator string `toml:"einvoice_operator"`
	BuyerReference   string `toml:"buyer_reference"`
	// PaymentDays replaces the scheme's payment_days for this payer.
	PaymentDays *int `toml:"payment_days"`
	// Kind, Members and the contract are the per-resident scheme's: a
	// municipality, or an organisation of member municipalities (codes).
	Kind          string    `toml:"kind"`
	Members       []string  `toml:"members"`
	ContractStart dateValue `toml:"contract_start"`
	ContractEnd   dateValue `toml:"contract_end"`
	// Delivery is how the payer receives its documents: "both" (the
	// default: the PDF by email with the Finvoice attached), "einvoice"
	// (through its e-invoice operator only) or "pdf" (the PDF by email).
	Delivery string `toml:"delivery"`
	// Email are the addresses that receive the payer's documents by email
	// (delivery "both" or "pdf").
	Email []string `toml:"email"`
}

// The ways a payer receives its documents.
const (
	DeliveryBoth     = "both"
	DeliveryEInvoice = "einvoice"
	DeliveryPDF      = "pdf"
)

// billing reports whether any billing detail is set.
func (p *PayerConfig) billing() bool {
	return p.Kind != "" || len(p.Members) > 0 || p.ContractStart.set || p.ContractEnd.set || p.LegalName != "" || p.LegalNameSV != "" || p.Unit != "" || p.Street != "" || p.Postcode != "" || p.City != "" || p.BusinessID != "" ||
		p.EInvoiceAddress != "" || p.EInvoiceOperator != "" || p.BuyerReference != "" || p.PaymentDays != nil || p.Delivery != ""
}

// configError is every problem found in a configuration file, one per line.
type configError struct {
	path     string
	problems []string
}

func (e *configError) Error() string {
	if len(e.problems) == 1 {
		return fmt.Sprintf("configuration %s: %s", e.path, e.problems[0])
	}
	return fmt.Sprintf("configuration %s has %d problems:\n  %s", e.path, len(e.problems), strings.Join(e.problems, "\n  "))
}

func (e *configError) add(field, format string, args ...any) {
	e.problems = append(e.problems, field+": "+fmt.Sprintf(format, args...))
}

// LoadConfig reads and validates a configuration file. Every problem is
// reported at once, each with the key it is about.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &inputError{fmt.Errorf("read configuration: %w", err)}
	}
	return parseConfig(path, data)
}

// parseConfig reads and validates the configuration data of the file path.
func parseConfig(path string, data []byte) (*Config, error) {
	// A starter configuration of kuntalasku init still holding placeholders
	// is reported by its placeholders alone: they are what to fix first.
	if problems := placeholderProblems(string(data)); len(problems) > 0 {
		return nil, &inputError{&configError{path, problems}}
	}
	sum := sha256.Sum256(data)
	cfg := &Config{path: path, dir: filepath.Dir(path), sha256: hex.EncodeToString(sum[:])}
	md, err := toml.NewDecoder(strings.NewReader(string(data))).Decode(cfg)
	cfg.defined = md.IsDefined
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			at := fmt.Sprintf("line %d, column %d", pe.Position.Line, pe.Position.Col)
			if pe.LastKey != "" {
				at += " (" + pe.LastKey + ")"
			}
			return nil, &inputError{&configError{path, []string{at + ": " + pe.Message}}}
		}
		return nil, &inputError{&configError{path, []string{err.Error()}}}
	}
	ce := &configError{path: path}
	for _, k := range md.Undecoded() {
		ce.add(k.String(), "unknown key (check its spelling; the example configuration lists every key)")
	}
	cfg.validate(ce)
	if len(ce.problems) > 0 {
		return nil, &inputError{ce}
	}
	return cfg, nil
}

// placeholderMark starts the placeholders of the starter configurations
// that kuntalasku init writes: "<fill in: what to write, e.g. an example>".
const placeholderMark = "<fill in"

// placeholderProblems lists every placeholder left in configuration text,
// one problem per placeholder: its line, its key (with the table the line is
// in) and the placeholder. It reads the text as TOML closely enough to skip
// comments (the starter configurations' comments mention the placeholders)
// and to know the tables; a placeholder anywhere else counts, even where the
// TOML is broken.
func placeholderProblems(text string) []string {
	if !strings.Contains(text, placeholderMark) {
		return nil
	}
	const (
		normal = iota
		comment
		basic     // "..."
		literal   // '...'
		mlBasic   // """..."""
		mlLiteral // '''...'''
	)
	var (
		problems  []string
		state     = normal
		line      = 1
		lineStart = true // nothing but blanks yet on this line
		depth     int    // open [ and { of a value
		table     string // "seller", "payers[2]"
		key       string // the key of the statement the line is in
		arrays    = map[string]int{}
	)
	for i := 0; i < len(text); {
		c := text[i]
		if c == '\n' {
			line++
			lineStart = true
			if state != mlBasic && state != mlLiteral {
				state = normal // a comment ends; so does a broken one-line string
			}
			i++
			continue
		}
		if state != comment && strings.HasPrefix(text[i:], placeholderMark) {
			rest := text[i:]
			if end := strings.IndexAny(rest, ">\n"); end >= 0 && rest[end] == '>' {
				rest = rest[:end+1]
			} else if end := strings.IndexAny(rest, "\"'\r\n"); end >= 0 {
				rest = rest[:end]
			}
			at := key
			if at != "" && table != "" {
				at = table + "." + key
			}
			if at != "" {
				problems = append(problems, fmt.Sprintf("line %d: %s still holds the placeholder %q; replace it with your value", line, at, rest))
			} else {
				problems = append(problems, fmt.Sprintf("line %d: the placeholder %q is still there; replace it with your value", line, rest))
			}
			i += len(placeholderMark)
			lineStart = false
			continue
		}
		switch state {
		case comment:
		case basic, mlBasic:
			if c == '\\' && i+1 < len(text) && text[i+1] != '\n' {
				i += 2
				continue
			}
			if state == basic && c == '"' {
				state = normal
			} else if state == mlBasic && strings.HasPrefix(text[i:], `"""`) {
				state = normal
				i += 3
				continue
			}
		case literal:
			if c == '\'' {
				state = normal
			}
		case mlLiteral:
			if strings.HasPrefix(text[i:], "'''") {
				state = normal
				i += 3
				continue
			}
		case normal:
			if lineStart && (c == ' ' || c == '\t' || c == '\r') {
				i++
				continue
			}
			if lineStart && depth == 0 {
				// The line starts a table or a statement.
				end := strings.IndexByte(text[i:], '\n')
				if end < 0 {
					end = len(text) - i
				}
				l := text[i : i+end]
				if c == '[' {
					name := strings.Trim(strings.TrimSpace(strings.SplitN(l, "#", 2)[0]), "[]")
					name = strings.TrimSpace(name)
					table = name
					if strings.HasPrefix(l, "[[") {
						arrays[name]++
						table = fmt.Sprintf("%s[%d]", name, arrays[name])
					}
					key = ""
					lineStart = false
					i += end
					continue
				}
				if c != '#' {
					key = ""
					if k, _, ok := strings.Cut(l, "="); ok {
						key = strings.TrimSpace(k)
					}
				}
			}
			switch c {
			case '#':
				state = comment
			case '"':
				if strings.HasPrefix(text[i:], `"""`) {
					state = mlBasic
					i += 3
					lineStart = false
					continue
				}
				state = basic
			case '\'':
				if strings.HasPrefix(text[i:], "'''") {
					state = mlLiteral
					i += 3
					lineStart = false
					continue
				}
				state = literal
			case '[', '{':
				depth++
			case ']', '}':
				if depth > 0 {
					depth--
				}
			}
		}
		lineStart = false
		i++
	}
	return problems
}

var (
	schemeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	prefixPattern   = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}$`)
	codePattern     = regexp.MustCompile(`^[0-9]{3}$`)
)

func (c *Config) validate(ce *configError) {
	checkText(ce, "", reflect.ValueOf(c).Elem())
	s := &c.Scheme
	if !schemeIDPattern.MatchString(s.ID) {
		ce.add("scheme.id", "%q: expected lower-case letters, digits and hyphens, such as \"vsa-asiakasohjaus\" (it names output folders)", s.ID)
	}
	switch s.Kind {
	case KindCostSharing:
		if c.defined("per_resident") {
			ce.add("per_resident", "not used by a cost-sharing scheme (scheme.kind = \"per-resident\" uses it)")
		}
	case KindPerResident:
		if c.defined("cost_sharing") {
			ce.add("cost_sharing", "not used by a per-resident scheme (scheme.kind = \"cost-sharing\" uses it)")
		}
	default:
		ce.add("scheme.kind", "%q: expected \"cost-sharing\" or \"per-resident\"", s.Kind)
	}
	if strings.TrimSpace(s.Name) == "" {
		ce.add("scheme.name", "missing: the name of the shared service, printed on every document")
	}
	if !prefixPattern.MatchString(s.Prefix) {
		ce.add("scheme.prefix", "%q: expected 1 to 10 upper-case letters or digits, such as \"VSA\" (invoice numbers VSA-2021-000123)", s.Prefix)
	}
	if s.ReferenceCode < 1 || s.ReferenceCode > 999 {
		ce.add("scheme.reference_code", "%d: expected a number from 1 to 999, unique to this scheme (it starts every reference number)", s.ReferenceCode)
	}
	if s.PaymentDays < 0 || s.PaymentDays > 90 {
		ce.add("scheme.payment_days", "%d: expected 0 to 90 days (14 is usual; public buyers' terms are at most 30)", s.PaymentDays)
	}
	if s.Cycle == "" {
		s.Cycle = "monthly"
		if s.Kind == KindPerResident {
			s.Cycle = "annual"
		}
	}
	if _, err := compute.ParseFrequency(s.Cycle); err != nil {
		ce.add("scheme.cycle", "%v", err)
	}
	switch s.Language {
	case "":
		s.Language = "fi"
	case "fi", "sv", "en":
	default:
		ce.add("scheme.language", "%q: expected fi, sv or en (the language of the appendix)", s.Language)
	}

	sel := &c.Seller
	for _, f := range []struct{ key, v string }{{"seller.name", sel.Name}, {"seller.street", sel.Street}, {"seller.postcode", sel.Postcode}, {"seller.city", sel.City}} {
		if strings.TrimSpace(f.v) == "" {
			ce.add(f.key, "missing: a Finnish invoice must carry the seller's name and address")
		}
	}
	if err := compute.CheckBusinessID(sel.BusinessID); err != nil {
		ce.add("seller.business_id", "%v", err)
	} else if sel.VATNumber == "" {
		sel.VATNumber = compute.VATNumber(sel.BusinessID)
	} else if sel.VATNumber != compute.VATNumber(sel.BusinessID) {
		ce.add("seller.vat_number", "%q does not match the Business ID %s (expected %s)", sel.VATNumber, sel.BusinessID, compute.VATNumber(sel.BusinessID))
	}
	if err := compute.CheckIBAN(sel.IBAN); err != nil {
		ce.add("seller.iban", "%v", err)
	} else if !strings.HasPrefix(compute.NormalizeIBAN(sel.IBAN), "FI") {
		ce.add("seller.iban", "%q: expected a Finnish IBAN (FI…): the bank barcode carries only Finnish accounts", sel.IBAN)
	}
	if bic := sel.BIC; len(bic) != 8 && len(bic) != 11 {
		ce.add("seller.bic", "%q: expected a BIC of 8 or 11 characters, such as NDEAFIHH", bic)
	}

	if s.Kind == KindPerResident {
		c.validatePerResident(ce)
	} else {
		c.validateCostSharing(ce)
	}
	c.validatePayers(ce)
	c.validateMail(ce)
	c.validateSchedule(ce)
	c.validateActivitySources(ce)
	for i, p := range c.NonParticipants {
		key := fmt.Sprintf("non_participants[%d]", i+1)
		if !codePattern.MatchString(p.ID) {
			ce.add(key+".id", "%q: expected the municipality's three-digit code, such as \"895\" for Uusikaupunki", p.ID)
		}
		for _, q := range c.Payers {
			if q.ID == p.ID {
				ce.add(key+".id", "%q is also a payer (%s); a municipality is either", p.ID, q.Name)
			}
		}
		if p.Language != "" || p.billing() {
			ce.add(key, "only id, name and name_sv are used: non-participants get no documents")
		}
	}
}

func (c *Config) validateCostSharing(ce *configError) {
	cs := &c.CostSharing
	if !cs.Budget.set {
		ce.add("cost_sharing.budget", "missing: the period's budget in euros, such as \"284602.00\"")
	} else if cs.Budget.m <= 0 {
		ce.add("cost_sharing.budget", "%s: the budget must be more than 0", cs.Budget.m)
	}
	if !cs.PeriodStart.set || !cs.PeriodEnd.set {
		ce.add("cost_sharing.period_start", "missing: the contract period, such as period_start = 2021-01-01 and period_end = 2021-11-30")
	} else if _, err := compute.NewPeriod(cs.PeriodStart.d, cs.PeriodEnd.d); err != nil {
		ce.add("cost_sharing.period_start", "%v", err)
	}
	pw, aw := cs.PopulationWeight.d, cs.ActivityWeight.d
	switch {
	case !cs.PopulationWeight.set || !cs.ActivityWeight.set:
		ce.add("cost_sharing.population_weight", "missing: the component weights in percent, such as population_weight = \"70\" and activity_weight = \"30\"")
	case pw.IsNegative() || aw.IsNegative() || !pw.Add(aw).Equal(decimal.NewFromInt(100)):
		ce.add("cost_sharing.population_weight", "%s %% and activity_weight %s %% must be non-negative and add up to 100", pw, aw)
	}
	if cs.AgeLimit < 0 || cs.AgeLimit > 100 {
		ce.add("cost_sharing.age_limit", "%d: expected an age from 0 to 100 (75 counts residents aged 75 or over)", cs.AgeLimit)
	}
	if !cs.PopulationReference.set {
		ce.add("cost_sharing.population_reference", "missing: the date of the population figures, such as 2019-12-31")
	} else if d := cs.PopulationReference.d; d.Month != time.December || d.Day != 31 {
		ce.add("cost_sharing.population_reference", "%s: Statistics Finland's population is on 31 December; expected YYYY-12-31", d)
	}
	if r := cs.VATRate.d; r.IsNegative() || r.GreaterThanOrEqual(decimal.NewFromInt(100)) {
		ce.add("cost_sharing.vat_rate", "%s: expected a VAT rate in percent from 0 to under 100, such as \"0\" (outside VAT) or \"25.5\"", r)
	}
}

func (c *Config) validatePayers(ce *configError) {
	if len(c.Payers) == 0 {
		ce.add("payers", "none: list every participating municipality as a [[payers]] table")
	}
	seen := map[string]int{}
	for i, p := range c.Payers {
		key := fmt.Sprintf("payers[%d]", i+1)
		if p.Name != "" {
			key = fmt.Sprintf("payers[%d] (%s)", i+1, p.Name)
		}
		if c.Scheme.Kind == KindPerResident {
			c.validateSubscriber(ce, key, i)
		} else {
			if !codePattern.MatchString(p.ID) {
				ce.add(key+".id", "%q: expected the municipality's three-digit code, such as \"019\" for Aura", p.ID)
			}
			if p.Kind != "" || len(p.Members) > 0 || p.ContractStart.set || p.ContractEnd.set {
				ce.add(key, "kind, members and contract dates are the per-resident scheme's; a cost-sharing payer is a municipality")
			}
		}
		if j, ok := seen[p.ID]; ok {
			ce.add(key+".id", "%q is also payers[%d]", p.ID, j)
		}
		seen[p.ID] = i + 1
		if strings.TrimSpace(p.Name) == "" {
			ce.add(key+".name", "missing: the municipality's Finnish name as Statistics Finland writes it")
		}
		switch p.Language {
		case "":
			c.Payers[i].Language = "fi"
		case "fi", "sv", "en":
		default:
			ce.add(key+".language", "%q: expected fi, sv or en", p.Language)
		}
		p.validateBilling(ce, key)
		switch p.Delivery {
		case "":
			c.Payers[i].Delivery = DeliveryBoth
		case DeliveryBoth, DeliveryPDF:
		case DeliveryEInvoice:
			if p.EInvoiceAddress == "" {
				ce.add(key+".delivery", "\"einvoice\" needs the payer's einvoice_address and einvoice_operator")
			}
			if c.Seller.EInvoiceAddress == "" || c.Seller.EInvoiceOp == "" {
				ce.add(key+".delivery", "\"einvoice\" needs the seller's einvoice_address and einvoice_operator (the message's sender)")
			}
		default:
			ce.add(key+".delivery", "%q: expected \"both\" (PDF by email with the e-invoice attached), \"einvoice\" (through the e-invoice operator only) or \"pdf\"", p.Delivery)
		}
	}
}

// validateBilling checks a payer's billing details.
func (p *PayerConfig) validateBilling(ce *configError, key string) {
	for _, f := range []struct{ key, v string }{{"street", p.Street}, {"postcode", p.Postcode}, {"city", p.City}} {
		if strings.TrimSpace(f.v) == "" {
			ce.add(key+"."+f.key, "missing: a Finnish invoice must carry the buyer's address (street, postcode and city)")
		}
	}
	if p.BusinessID != "" {
		if err := compute.CheckBusinessID(p.BusinessID); err != nil {
			ce.add(key+".business_id", "%v", err)
		}
	}
	if a := p.EInvoiceAddress; strings.HasPrefix(a, "0037") {
		if err := compute.CheckOVT(a); err != nil {
			ce.add(key+".einvoice_address", "%v", err)
		}
	}
	if a := p.EInvoiceAddress; a != "" && !strings.HasPrefix(a, "0037") {
		if err := compute.CheckIBAN(a); err != nil {
			ce.add(key+".einvoice_address", "%q: expected an OVT code (0037 and the Business ID's digits, such as 003702048198) or an IBAN", a)
		}
	}
	if (p.EInvoiceAddress == "") != (p.EInvoiceOperator == "") {
		ce.add(key+".einvoice_address", "an e-invoice address needs its operator (einvoice_operator, such as \"003721291126\" or a BIC) and the other way round")
	}
	if d := p.PaymentDays; d != nil && (*d < 0 || *d > 90) {
		ce.add(key+".payment_days", "%d: expected 0 to 90 days", *d)
	}
}

// Input is the configuration file's manifest entry.
func (c *Config) Input() manifest.Input {
	return manifest.Input{Role: "configuration", Path: c.path, SHA256: c.sha256}
}

// Path resolves a path from the configuration file: relative paths are
// relative to the configuration file's folder.
func (c *Config) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}

// Period is the cost-sharing contract period (valid after LoadConfig).
func (c *Config) Period() compute.Period {
	p, _ := compute.NewPeriod(c.CostSharing.PeriodStart.d, c.CostSharing.PeriodEnd.d)
	return p
}

// LedgerPath is the ledger's file: output.ledger, else ledger.sqlite in the
// output folder out.
func (c *Config) LedgerPath(out string) string {
	if c.Output.Ledger != "" {
		return c.Path(c.Output.Ledger)
	}
	return filepath.Join(out, "ledger.sqlite")
}

// PaymentDays is a payer's payment terms in days.
func (c *Config) PaymentDays(p *PayerConfig) int {
	if p.PaymentDays != nil {
		return *p.PaymentDays
	}
	return c.Scheme.PaymentDays
}

// Frequency is the billing frequency (valid after LoadConfig).
func (c *Config) Frequency() compute.Frequency {
	f, _ := compute.ParseFrequency(c.Scheme.Cycle)
	return f
}

// moneyValue is an amount in the configuration. It must be written as a
// string ("284602.00") or a whole number: TOML floats are binary fractions
// and cannot hold money exactly.
type moneyValue struct {
	m   compute.Money
	set bool
}

func (v *moneyValue) UnmarshalTOML(x any) error {
	var err error
	switch x := x.(type) {
	case string:
		v.m, err = compute.ParseMoney(x)
	case int64:
		v.m, err = compute.ParseMoney(fmt.Sprint(x))
	default:
		return fmt.Errorf("write the amount in quotes, such as \"284602.00\" (a TOML float cannot hold money exactly)")
	}
	v.set = err == nil
	return err
}

// decimalValue is a rate or a percentage, written as a string or an integer.
type decimalValue struct {
	d   decimal.Decimal
	set bool
}

func (v *decimalValue) UnmarshalTOML(x any) error {
	var err error
	switch x := x.(type) {
	case string:
		v.d, err = compute.ParseDecimal(x)
	case int64:
		v.d = decimal.NewFromInt(x)
	default:
		return fmt.Errorf("write the number in quotes, such as \"25.5\" (a TOML float is not exact)")
	}
	v.set = err == nil
	return err
}

// dateValue is a calendar date, written as a TOML date (2021-01-01) or a
// string ("2021-01-01").
type dateValue struct {
	d   compute.Date
	set bool
}

func (v *dateValue) UnmarshalTOML(x any) error {
	var err error
	switch x := x.(type) {
	case time.Time:
		if h, m, s := x.Clock(); h != 0 || m != 0 || s != 0 || x.Nanosecond() != 0 {
			return fmt.Errorf("expected a date without a time, such as 2021-01-01")
		}
		v.d = compute.DateOf(x)
	case string:
		v.d, err = compute.ParseDate(x)
	default:
		return fmt.Errorf("expected a date, such as 2021-01-01")
	}
	v.set = err == nil
	return err
}

// checkText refuses control characters (a line break, a tab, NUL, an escape
// sequence) in every text of the configuration, naming its key: they would
// be written into invoices, e-invoices, file names and mail headers, or
// reach the terminal in messages. v is a struct whose fields carry toml
// tags; key is its own key.
func checkText(ce *configError, key string, v reflect.Value) {
	join := func(k string) string {
		if key == "" {
			return k
		}
		return key + "." + k
	}
	for i := range v.NumField() {
		f, field := v.Type().Field(i), v.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		switch field.Kind() {
		case reflect.String:
			checkTextValue(ce, join(name), field.String())
		case reflect.Struct:
			checkText(ce, join(name), field)
		case reflect.Pointer:
			if !field.IsNil() && field.Elem().Kind() == reflect.Struct {
				checkText(ce, join(name), field.Elem())
			}
		case reflect.Slice:
			for j := range field.Len() {
				el := field.Index(j)
				k := fmt.Sprintf("%s[%d]", join(name), j+1)
				switch el.Kind() {
				case reflect.String:
					checkTextValue(ce, k, el.String())
				case reflect.Struct:
					if id := el.FieldByName("ID"); id.IsValid() && id.Kind() == reflect.String && id.String() != "" {
						k += fmt.Sprintf(" (id %q)", id.String()) // payers[6] (id "400").name
					}
					checkText(ce, k, el)
				}
			}
		}
	}
}

func checkTextValue(ce *configError, key, s string) {
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		ce.add(key, "%q has a control character (%U) at position %d; expected text on one line", s, []rune(s[i:])[0], utf8.RuneCountInString(s[:i])+1)
	}
}
