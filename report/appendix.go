package report

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Helsinki on machines without a zone database

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/kuntalasku/kuntalasku/templates"
	"github.com/shopspring/decimal"
)

// Appendix is what a run's summary appendix proves: how the budget was split
// and from what.
type Appendix struct {
	Lang       string // "fi", "sv" or "en"
	Estimate   bool   // an estimate of the whole period, not a cycle's invoicing
	SchemeName string
	Seller     string
	From, To   compute.Date // the cycle, or the period of an estimate
	Created    time.Time    // the run's time: the PDF's creation date
	Budget     compute.Components
	// Weights of the components in percent (70 and 30).
	PopulationWeight, ActivityWeight decimal.Decimal
	AgeLimit                         int
	PopulationDate                   compute.Date
	Allocation                       compute.Allocation
	// Activities are the payers' counted activities by type, in the order of
	// the allocation's lines; nil when there are none to show (an estimate).
	Activities []compute.ActivityCounts
	// Unattributed are the events of the cycle that bill nobody; nil with
	// Activities.
	Unattributed *Unattributed
	// Documents are the run's invoices and credit notes; nil for an estimate.
	Documents []AppendixDocument
	Inputs    []Input
}

// AppendixDocument is one document of the run, as the appendix lists it.
type AppendixDocument struct {
	Payer     string // the payer's name
	Number    string
	Reference compute.Reference
	DueDate   compute.Date // zero on a credit note
	Total     compute.Money
}

// Unattributed are activity events no payer is billed for (SPEC 2.2).
type Unattributed struct {
	NonParticipant, Unknown compute.ActivityCounts
	Rows                    []UnattributedRow // the first few
}

// UnattributedRow is one such event and where it is.
type UnattributedRow struct {
	File           string
	Row            int
	Municipality   string
	NonParticipant bool // else unknown
}

// Input is an input file with its SHA-256.
type Input struct {
	Role, Path, SHA256 string
}

// appendixLayout is the appendix's layout model: every text it prints, in
// order, with no fonts or coordinates.
type appendixLayout struct {
	Header   string      `json:"header"`   // top of every page
	Title    string      `json:"title"`    // e.g. "Kustannusten jako 1.1.–30.11.2021"
	Subtitle string      `json:"subtitle"` // the service
	Summary  [][2]string `json:"summary"`  // label, value
	Basis    []string    `json:"basis"`    // how the parts were split
	Table    table       `json:"table"`
	Rounding string      `json:"rounding"`
	Chart    chart       `json:"chart"`
	// Activities are the counts by type and what was not billed; nil for an
	// estimate.
	Activities       *table `json:"activities,omitempty"`
	Unattributed     *table `json:"unattributed,omitempty"`
	UnattributedRows *table `json:"unattributed_rows,omitempty"`
	NoneUnattributed string `json:"none_unattributed,omitempty"`
	// Documents are the run's invoices; nil for an estimate.
	Documents *table `json:"documents,omitempty"`
	Inputs    table  `json:"inputs"`
	Prepared  string `json:"prepared"`
	Page      string `json:"page"` // the page number text, with {nb} for the page count
}

// table is a table of texts; Numeric marks right-aligned columns.
type table struct {
	Title   string     `json:"title,omitempty"`
	Header  []string   `json:"header"`
	Numeric []bool     `json:"numeric"`
	Rows    [][]string `json:"rows"`
	// Notes, when set, are printed under the first cell of the rows of the
	// same index, in smaller type (a subscriber's members).
	Notes []string `json:"notes,omitempty"`
	Total []string `json:"total,omitempty"`
}

// chart is a horizontal bar chart of shares.
type chart struct {
	Title string `json:"title"`
	Bars  []bar  `json:"bars"`
}

type bar struct {
	Label string `json:"label"`
	Value string `json:"value"`
	// Permille is the bar's length relative to the largest bar, 0…1000.
	Permille int64 `json:"permille"`
}

// layout computes the appendix's texts in its language.
func (a *Appendix) layout() (*appendixLayout, error) {
	loc, err := templates.Lookup(a.Lang)
	if err != nil {
		return nil, err
	}
	tx := loc.Texts()
	period := loc.Period(a.From, a.To)
	l := &appendixLayout{Subtitle: a.SchemeName}
	if a.Estimate {
		l.Title = tx.T("estimate_title", map[string]string{"Period": period})
	} else {
		l.Title = tx.T("appendix_title", map[string]string{"Period": period})
	}
	l.Header = a.Seller + " · " + tx.T("appendix", nil)
	l.Page = tx.T("page", map[string]any{"Page": "{page}", "Pages": "{nb}"})
	l.Prepared = tx.T("prepared", nil) + " " + loc.Date(compute.DateOf(a.Created.In(helsinki)))

	l.Summary = [][2]string{
		{tx.T("budget", nil), loc.Money(a.Budget.Total())},
		{tx.T("population_component", map[string]string{"Weight": loc.Percent(a.PopulationWeight, 0)}), loc.Money(a.Budget.Population)},
		{tx.T("activity_component", map[string]string{"Weight": loc.Percent(a.ActivityWeight, 0)}), loc.Money(a.Budget.Activity)},
	}
	l.Basis = []string{tx.T("population_basis", map[string]any{"Age": a.AgeLimit, "Date": loc.Date(a.PopulationDate)})}
	al := a.Allocation
	withActivities := !al.ActivitiesByPopulation
	switch {
	case a.Estimate:
		l.Basis = append(l.Basis, tx.T("basis_estimate", nil))
	case !withActivities:
		l.Basis = append(l.Basis, tx.T("basis_no_activities", nil))
	default:
		l.Basis = append(l.Basis, tx.T("basis_activities", nil))
	}

	age := map[string]int{"Age": a.AgeLimit}
	t := table{Header: []string{tx.T("col_municipality", nil), tx.T("col_population", age), tx.T("col_share", nil)}}
	if withActivities {
		t.Header = append(t.Header, tx.T("col_activities", nil), tx.T("col_activity_share", nil))
	}
	t.Header = append(t.Header, tx.T("col_population_part", nil), tx.T("col_activity_part", nil), tx.T("col_total", nil))
	t.Numeric = make([]bool, len(t.Header))
	for i := 1; i < len(t.Numeric); i++ {
		t.Numeric[i] = true
	}
	var pop, act, tot compute.Money
	var maxTotal compute.Money
	for _, line := range al.Lines {
		maxTotal = max(maxTotal, line.Total.Abs())
	}
	for _, line := range al.Lines {
		share, err := percentOf(line.Population, al.Population)
		if err != nil {
			return nil, err
		}
		row := []string{line.Payer.Name, loc.Int(line.Population), loc.Percent(share, 2)}
		if withActivities {
			ashare, err := percentOf(line.Activities, al.Activities)
			if err != nil {
				return nil, err
			}
			row = append(row, loc.Int(line.Activities), loc.Percent(ashare, 2))
		}
		row = append(row, loc.Amount(line.PopulationAmount), loc.Amount(line.ActivityAmount), loc.Amount(line.Total))
		t.Rows = append(t.Rows, row)
		pop, act, tot = pop+line.PopulationAmount, act+line.ActivityAmount, tot+line.Total

		totalShare, err := percentOfMoney(line.Total, a.Budget.Total())
		if err != nil {
			return nil, err
		}
		var permille int64
		if maxTotal != 0 {
			permille = int64(line.Total.Abs()) * 1000 / int64(maxTotal)
		}
		l.Chart.Bars = append(l.Chart.Bars, bar{Label: line.Payer.Name, Value: loc.Percent(totalShare, 2), Permille: permille})
	}
	t.Total = []string{tx.T("total", nil), loc.Int(al.Population), loc.Percent(decimal.NewFromInt(100), 2)}
	if withActivities {
		t.Total = append(t.Total, loc.Int(al.Activities), loc.Percent(decimal.NewFromInt(100), 2))
	}
	t.Total = append(t.Total, loc.Amount(pop), loc.Amount(act), loc.Amount(tot))
	l.Table = t
	l.Rounding = tx.T("rounding_rule", nil)
	l.Chart.Title = tx.T("chart_title", nil)

	if a.Activities != nil {
		if err := a.activityTables(l, loc, tx); err != nil {
			return nil, err
		}
	}
	if a.Documents != nil {
		d := &table{Title: tx.T("documents_title", nil),
			Header:  []string{tx.T("col_municipality", nil), tx.T("inv_number", nil), tx.T("inv_reference", nil), tx.T("inv_due", nil), tx.T("col_total", nil)},
			Numeric: []bool{false, false, false, false, true}}
		var total compute.Money
		for _, doc := range a.Documents {
			due := ""
			if !doc.DueDate.IsZero() {
				due = loc.Date(doc.DueDate)
			}
			d.Rows = append(d.Rows, []string{doc.Payer, doc.Number, doc.Reference.Grouped(), due, loc.Amount(doc.Total)})
			total += doc.Total
		}
		d.Total = []string{tx.T("total", nil), "", "", "", loc.Amount(total)}
		l.Documents = d
	}
	l.Inputs = table{Title: tx.T("inputs", nil), Header: []string{"", "", "SHA-256"}, Numeric: []bool{false, false, false}}
	for _, in := range a.Inputs {
		role, source, _ := strings.Cut(in.Role, ":") // "activities:puhelin"
		label := tx.T("input_"+role, nil)
		if source != "" {
			label += " (" + source + ")"
		}
		l.Inputs.Rows = append(l.Inputs.Rows, []string{label, in.Path, in.SHA256})
	}
	if err := tx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// activityTables lays out the activities by type and the events not billed.
func (a *Appendix) activityTables(l *appendixLayout, loc *templates.Locale, tx *templates.Texts) error {
	lines := a.Allocation.Lines
	if len(a.Activities) != len(lines) {
		return fmt.Errorf("activities of %d payers for %d allocation lines", len(a.Activities), len(lines))
	}
	header := []string{tx.T("col_municipality", nil), tx.T("col_calls", nil), tx.T("col_visits", nil),
		tx.T("col_contact_requests", nil), tx.T("col_chats", nil), tx.T("col_all_activities", nil)}
	numeric := []bool{false, true, true, true, true, true}
	row := func(label string, c compute.ActivityCounts) []string {
		r := []string{label}
		for _, n := range c {
			r = append(r, loc.Int(n))
		}
		return append(r, loc.Int(c.Total()))
	}
	t := &table{Title: tx.T("activities_title", nil), Header: header, Numeric: numeric}
	var total compute.ActivityCounts
	for i, line := range lines {
		t.Rows = append(t.Rows, row(line.Payer.Name, a.Activities[i]))
		total.Add(a.Activities[i])
	}
	t.Total = row(tx.T("total", nil), total)
	l.Activities = t

	u := a.Unattributed
	if u == nil || u.NonParticipant.Total()+u.Unknown.Total() == 0 {
		l.NoneUnattributed = tx.T("unattributed_none", nil)
		return nil
	}
	ut := &table{Title: tx.T("unattributed_title", nil), Header: header, Numeric: numeric}
	ut.Header = append([]string{""}, header[1:]...)
	ut.Rows = [][]string{
		row(tx.T("unattributed_non_participant", nil), u.NonParticipant),
		row(tx.T("unattributed_unknown", nil), u.Unknown),
	}
	ut.Total = row(tx.T("total", nil), func() compute.ActivityCounts { c := u.NonParticipant; c.Add(u.Unknown); return c }())
	l.Unattributed = ut
	if len(u.Rows) > 0 {
		rows := &table{Title: tx.T("unattributed_rows", nil),
			Header:  []string{tx.T("file", nil), tx.T("col_row", nil), tx.T("col_municipality", nil), tx.T("col_reason", nil)},
			Numeric: []bool{false, true, false, false}}
		for _, r := range u.Rows {
			m, reason := r.Municipality, tx.T("reason_unknown", nil)
			if m == "" {
				m = tx.T("empty_municipality", nil)
			}
			if r.NonParticipant {
				reason = tx.T("reason_non_participant", nil)
			}
			rows.Rows = append(rows.Rows, []string{filepath.Base(r.File), loc.Int(int64(r.Row)), m, reason})
		}
		l.UnattributedRows = rows
	}
	return nil
}

// percentOf is part/whole in percent for display, 0 when whole is 0.
func percentOf(part, whole int64) (decimal.Decimal, error) {
	if whole == 0 {
		return decimal.Zero, nil
	}
	return compute.Percent(part, whole, 4)
}

func percentOfMoney(part, whole compute.Money) (decimal.Decimal, error) {
	if whole == 0 {
		return decimal.Zero, nil
	}
	p, err := compute.Percent(int64(part.Abs()), int64(whole.Abs()), 4)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("share of %s in %s: %w", part, whole, err)
	}
	return p, nil
}

// helsinki is the time zone of the documents' dates. The zone database is
// embedded (time/tzdata), so loading it cannot fail on any machine.
var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic("report: embedded time zone database lacks Europe/Helsinki: " + err.Error())
	}
	return loc
}()
