package national

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// configHead is the configuration up to the payers; the verbs are the
// municipality count, the year (four times), the reference year and the
// population and activities files. Every setting is explained in
// examples/varsinais-suomi/kuntalasku.toml.
const configHead = `# kuntalasku configuration: SYNTHETIC national data for benchmarks, written
# by "go run ./examples/generate national". Nothing in it is real: %d invented
# municipalities, their population and a month of invented activity events.
# See examples/varsinais-suomi/kuntalasku.toml for what each key means.

[scheme]
id = "kansallinen-testi"
kind = "cost-sharing"
name = "Synteettinen kansallinen asiakasohjaus (suorituskykytesti)"
name_sv = "Syntetisk nationell klienthandledning (prestandatest)"
name_en = "Synthetic national client guidance (performance test)"
prefix = "KT"
reference_code = 1
payment_days = 14
cycle = "monthly"
language = "fi"

[seller]
# A placeholder organisation.
name = "Esimerkkikaupunki"
unit = "Hyvinvointitoimiala / Palveluohjaus"
street = "Esimerkkikatu 1"
postcode = "20100"
city = "Turku"
business_id = "1234567-1"
iban = "FI21 1234 5600 0007 85"
bic = "NDEAFIHH"
einvoice_address = "003712345671"
einvoice_operator = "NDEAFIHH"
contact_name = "Laskutus"
contact_email = "laskutus@example.fi"
contact_phone = "+358 2 123 4567"

[cost_sharing]
# The calendar year, billed monthly: 1 000 000,00 EUR a month.
budget = "12000000.00"
period_start = %d-01-01
period_end = %d-12-31
population_weight = "70"
activity_weight = "30"
age_limit = 75
population_reference = %d-12-31
vat_rate = "0"

[inputs]
population = %s

# The month's events in the canonical format (aika;kunta;tyyppi), no ids.
[[activity_sources]]
id = "kansallinen"
files = [%s]

# The payers: the first municipalities in code order. The other
# municipalities of the population file are non-participants: their events
# are reported, not billed. Addresses and emails are placeholders.
`

// writeConfig writes the cost-sharing configuration of o's year with payers.
func writeConfig(w io.Writer, payers []Municipality, o Options) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, configHead, o.Municipalities, o.Year, o.Year, o.ReferenceYear(),
		strconv.Quote(PopulationFile), strconv.Quote(ActivitiesFile))
	for _, p := range payers {
		fmt.Fprintf(bw, `
[[payers]]
id = %q
name = %q
name_sv = %q
language = "fi"
street = "PL %s"
postcode = "%s00"
city = %q
email = ["laskut@kunta%s.example.fi"]
`, p.Code, p.Name, p.NameSV, p.Code, p.Code, p.Name, p.Code)
	}
	return bw.Flush()
}
