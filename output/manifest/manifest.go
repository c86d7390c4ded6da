// Package manifest writes manifest.json, the machine-readable contract of
// every run (SPEC 4.4): what was computed, from which inputs, and which
// documents were written.
//
// Money is a string with a point and two decimals ("1835.94"); rates and
// quantities are plain decimal strings ("25.5", "70"); dates are ISO
// (2021-02-01); paths are relative to the manifest's folder. The encoding is
// deterministic: the same run gives the same bytes.
package manifest

import (
	"bytes"
	"encoding/json"

	"github.com/kuntalasku/kuntalasku/compute"
)

// The kinds of run.
const (
	KindRegular    = "regular"
	KindCorrection = "correction"
	KindEstimate   = "estimate"
	KindSettlement = "settlement"
)

// Manifest is one run's manifest.json.
type Manifest struct {
	Scheme string `json:"scheme"`
	// Cycle is the cycle id ("2021-03", "2022-Q1", "2022"), or FROM/TO for an
	// estimate or a settlement ("2021-01/2021-11").
	Cycle string `json:"cycle"`
	// Run is the ledger's run number; an estimate uses no ledger and has none.
	Run       int64   `json:"run,omitempty"`
	Kind      string  `json:"kind"`
	Created   string  `json:"created"`
	IssueDate string  `json:"issue_date,omitempty"`
	Inputs    []Input `json:"inputs"`

	// Budget down to ActivityBasis are the cost-sharing scheme's.
	Budget           compute.Money `json:"budget,omitempty"`
	ComponentBudgets *Components   `json:"component_budgets,omitempty"`
	Weights          *Weights      `json:"weights,omitempty"`
	AgeLimit         *int          `json:"age_limit,omitempty"`
	// PopulationReference is the date of the population figures (2019-12-31).
	PopulationReference string `json:"population_reference,omitempty"`
	// ActivityBasis is "activities" when the activity part was split by
	// activity counts, "population" when by population share (an estimate, or
	// a cycle with no activities at all).
	ActivityBasis string `json:"activity_basis,omitempty"`
	// Rate is the per-resident scheme's fee per resident and year ("0.058").
	Rate string `json:"rate,omitempty"`
	// Reason and Mode are a correction's ("replace" or "difference"), and
	// Corrections its payers' totals before and after.
	Reason      string          `json:"reason,omitempty"`
	Mode        string          `json:"mode,omitempty"`
	Corrections []CorrectionRow `json:"corrections,omitempty"`
	// ActualCost is a settlement's actual cost of the period, and
	// Settlement its payers' reconciliation.
	ActualCost *compute.Money  `json:"actual_cost,omitempty"`
	Settlement []SettlementRow `json:"settlement,omitempty"`
	// Allocation is one row per payer: []AllocationRow for the cost-sharing
	// scheme (at a settlement, the final shares of the actual cost),
	// []FeeRow for the per-resident one (empty at a settlement).
	Allocation any `json:"allocation"`
	// Unattributed are the cycle's activity events that bill nobody; absent
	// when no activities were read (an estimate).
	Unattributed *Unattributed `json:"unattributed,omitempty"`
	Documents    []Document    `json:"documents"`
	Appendix     *Appendix     `json:"appendix,omitempty"`
}

// Appendix names the run's summary appendix files.
type Appendix struct {
	PDF  string `json:"pdf"`
	XLSX string `json:"xlsx"`
}

// Input is one input file and its SHA-256.
type Input struct {
	Role   string `json:"role"` // "configuration", "population", "activities"
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Components are the budget's two parts.
type Components struct {
	Population compute.Money `json:"population"`
	Activity   compute.Money `json:"activity"`
}

// Weights are the components' weights in percent.
type Weights struct {
	Population string `json:"population"`
	Activity   string `json:"activity"`
}

// AllocationRow is one payer's part.
type AllocationRow struct {
	Payer      string `json:"payer"`
	Name       string `json:"name"`
	Population int64  `json:"population"`
	// Activities is absent when the split did not use activity counts.
	Activities       *int64        `json:"activities,omitempty"`
	PopulationAmount compute.Money `json:"population_amount"`
	ActivityAmount   compute.Money `json:"activity_amount"`
	Total            compute.Money `json:"total"`
}

// FeeRow is one subscriber's fee in a per-resident run (SPEC 4.4).
type FeeRow struct {
	Payer      string        `json:"payer"`
	Name       string        `json:"name"`
	Members    []string      `json:"members,omitempty"` // member municipalities' codes
	Population int64         `json:"population"`
	Months     int           `json:"months"`   // months of the year billed
	YearFee    compute.Money `json:"year_fee"` // the year's fee
	Fee        compute.Money `json:"fee"`      // this cycle's instalment
}

// SettlementRow is one payer's reconciliation in a settlement (SPEC 1.1,
// 1.2): net amounts invoiced for the period by the regular runs and by the
// corrections, its final share of the actual cost and the difference settled
// (> 0 invoiced, < 0 credited). For a surplus, the amounts are usage fees.
type SettlementRow struct {
	Payer       string        `json:"payer"`
	Name        string        `json:"name"`
	Invoiced    compute.Money `json:"invoiced"`
	Corrections compute.Money `json:"corrections"`
	Final       compute.Money `json:"final"`
	Settlement  compute.Money `json:"settlement"`
}

// CorrectionRow is one payer of a corrected cycle: its total (with VAT)
// before and after the correction. Named payers were reissued at the user's
// request although their amounts did not change.
type CorrectionRow struct {
	Payer      string        `json:"payer"`
	Name       string        `json:"name"`
	Old        compute.Money `json:"old"`
	New        compute.Money `json:"new"`
	Difference compute.Money `json:"difference"`
	Named      bool          `json:"named,omitempty"`
}

// Unattributed counts the events not billed (SPEC 2.2, 4.4): of
// municipalities that are not payers, and of unknown or empty ones, with the
// first few rows.
type Unattributed struct {
	NonParticipant int64             `json:"non_participant"`
	Unknown        int64             `json:"unknown"`
	ByType         UnattributedTypes `json:"by_type"`
	Rows           []UnattributedRow `json:"rows"`
}

// UnattributedTypes are the unattributed events by activity type.
type UnattributedTypes struct {
	NonParticipant map[string]int64 `json:"non_participant"`
	Unknown        map[string]int64 `json:"unknown"`
}

// UnattributedRow is where one unattributed event is.
type UnattributedRow struct {
	File         string `json:"file"`
	Row          int    `json:"row"`
	Municipality string `json:"municipality"`
	Reason       string `json:"reason"` // "non_participant" or "unknown"
}

// NewUnattributed builds the manifest's unattributed section from the
// counts by type; rows are as given.
func NewUnattributed(nonParticipant, unknown compute.ActivityCounts, rows []UnattributedRow) *Unattributed {
	byType := func(c compute.ActivityCounts) map[string]int64 {
		m := make(map[string]int64, compute.NumActivityTypes)
		for _, t := range compute.ActivityTypes {
			m[t.String()] = c[t]
		}
		return m
	}
	if rows == nil {
		rows = []UnattributedRow{}
	}
	return &Unattributed{
		NonParticipant: nonParticipant.Total(), Unknown: unknown.Total(),
		ByType: UnattributedTypes{NonParticipant: byType(nonParticipant), Unknown: byType(unknown)},
		Rows:   rows,
	}
}

// The types of document.
const (
	TypeInvoice    = "invoice"
	TypeCreditNote = "credit_note"
)

// Document is one invoice or credit note, with the numbers the ledger stores
// (SPEC 4.4). Estimates have none.
type Document struct {
	Number    string `json:"number"`
	Type      string `json:"type"`
	Payer     string `json:"payer"`
	PayerName string `json:"payer_name"`
	// Credits is the credited invoice's number (credit notes).
	Credits string `json:"credits,omitempty"`
	// Role is what a correction's or settlement's document does: "credit",
	// "replacement", "difference", "surplus" or "settlement"; absent on a
	// regular run's invoice. Refers is the invoice a correction's document
	// corrects.
	Role      string `json:"role,omitempty"`
	Refers    string `json:"refers,omitempty"`
	IssueDate string `json:"issue_date"`
	// DueDate is absent on credit notes.
	DueDate     string `json:"due_date,omitempty"`
	PeriodFrom  string `json:"period_from"`
	PeriodTo    string `json:"period_to"`
	Reference   string `json:"reference"`
	ReferenceRF string `json:"reference_rf"`
	// VirtualBarcode is the 54-digit bank barcode; invoices only, and absent
	// when the amount is too large for it.
	VirtualBarcode string         `json:"virtual_barcode,omitempty"`
	Net            compute.Money  `json:"net"`
	VAT            compute.Money  `json:"vat"`
	Total          compute.Money  `json:"total"`
	VATBreakdown   []VATRow       `json:"vat_breakdown"`
	PDF            string         `json:"pdf"`
	Finvoice       string         `json:"finvoice,omitempty"`
	Lines          []DocumentLine `json:"lines"`
}

// VATRow is the VAT of one rate.
type VATRow struct {
	Rate string        `json:"rate"`
	Base compute.Money `json:"base"`
	VAT  compute.Money `json:"vat"`
}

// DocumentLine is one line of a document.
type DocumentLine struct {
	Description string        `json:"description"`
	Quantity    string        `json:"quantity"`
	UnitPrice   compute.Money `json:"unit_price"`
	VATRate     string        `json:"vat_rate"`
	Net         compute.Money `json:"net"`
}

// Rows turns an allocation into manifest rows, in the allocation's order.
// Activity counts are included only when the activity part was split by them.
func Rows(a compute.Allocation) []AllocationRow {
	rows := make([]AllocationRow, len(a.Lines))
	for i, l := range a.Lines {
		rows[i] = AllocationRow{
			Payer: l.Payer.ID, Name: l.Payer.Name, Population: l.Population,
			PopulationAmount: l.PopulationAmount, ActivityAmount: l.ActivityAmount, Total: l.Total,
		}
		if !a.ActivitiesByPopulation {
			n := l.Activities
			rows[i].Activities = &n
		}
	}
	return rows
}

// Basis names how the activity part was split.
func Basis(a compute.Allocation) string {
	if a.ActivitiesByPopulation {
		return "population"
	}
	return "activities"
}

// Encode returns the manifest as indented JSON with a final newline.
func Encode(m *Manifest) ([]byte, error) {
	if m.Documents == nil {
		m.Documents = []Document{}
	}
	if m.Inputs == nil {
		m.Inputs = []Input{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
