package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuntalasku/kuntalasku/compute"
	"github.com/shopspring/decimal"
)

// settleManifest is what the tests read of a settlement's manifest.
type settleManifest struct {
	Kind, Cycle string
	Run         int64
	ActualCost  compute.Money `json:"actual_cost"`
	Settlement  []struct {
		Payer                                    string
		Invoiced, Corrections, Final, Settlement compute.Money
	}
	Documents []struct {
		Number, Type, Payer, Credits, Reference, PDF, Finvoice string
		DueDate                                                string `json:"due_date"`
		Net, VAT, Total                                        compute.Money
	}
}

// TestSettleSurplus: the Lasteri example's 2022 fees were 49 576,60 €; with
// an actual cost of 45 000,00 € the surplus 4 576,60 € is returned as credit
// notes in proportion to the fees, by largest remainder, summing exactly to
// the surplus. A dry run changes nothing, settling again changes nothing, a
// different cost is refused, a deficit issues nothing and a year not yet
// invoiced cannot be settled.
func TestSettleSurplus(t *testing.T) {
	out := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1678867200"}
	settle := func(year, cost, issue string, extra ...string) result {
		return run(t, env, append([]string{"settle", "--config", lasteriConfig, "--year", year, "--actual-cost", cost, "--issue-date", issue, "--out", out}, extra...)...)
	}
	if r := settle("2022", "45000", "2023-03-15"); r.code != 3 || !strings.Contains(r.stderr, "no ledger") {
		t.Errorf("settling before anything is invoiced: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, env, "run", "--config", lasteriConfig, "--cycle", "2022", "--issue-date", "2023-01-16", "--out", out); r.code != 0 {
		t.Fatalf("run 2022: exit %d\n%s", r.code, r.stderr)
	}
	before := treeHashes(t, out)

	r := settle("2022", "45000,00", "2023-03-15", "--dry-run")
	for _, want := range []string{"Surplus: 4576.60", "Would issue 2 documents dated 2023-03-15, numbered LAS-2023-000003 … LAS-2023-000004"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("dry run: exit %d, %q missing:\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
	sameTree(t, "after the dry run", treeHashes(t, out), before)
	if r := settle("2022", "45000", "2022-12-31"); r.code != 2 {
		t.Errorf("an issue date within the year: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if r := settle("2023", "45000", "2024-03-15"); r.code != 3 || !strings.Contains(r.stderr, "cycle [2023] has no run yet") {
		t.Errorf("settling 2023 before invoicing it: exit %d\n%s", r.code, r.stderr)
	}
	sameTree(t, "after the refused settlements", treeHashes(t, out), before)

	r = settle("2022", "45000.00", "2023-03-15")
	if r.code != 0 {
		t.Fatalf("settle: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	folder := filepath.Join(out, "lasteri", "settlement-2022")
	if !strings.Contains(r.stdout, "Output: "+folder) {
		t.Errorf("the output folder is not named:\n%s", r.stdout)
	}
	data, err := os.ReadFile(filepath.Join(folder, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m settleManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Kind != "settlement" || m.Cycle != "2022" || m.Run != 2 || m.ActualCost != mustMoney(t, "45000.00") {
		t.Errorf("manifest: kind %q cycle %q run %d cost %s", m.Kind, m.Cycle, m.Run, m.ActualCost)
	}
	// 4 576,60 × 38 074,10 / 49 576,60 = 3 514,7615…, × 11 502,50 / 49 576,60
	// = 1 061,8384…: the one cent left goes to the larger remainder.
	want := []struct{ payer, fees, share, credits string }{
		{"091", "38074.10", "3514.76", "LAS-2023-000002"},
		{"keusote", "11502.50", "1061.84", "LAS-2023-000001"},
	}
	if len(m.Settlement) != 2 || len(m.Documents) != 2 {
		t.Fatalf("%d rows and %d documents, want 2 and 2", len(m.Settlement), len(m.Documents))
	}
	var sum compute.Money
	for i, w := range want {
		a, d := m.Settlement[i], m.Documents[i]
		share := mustMoney(t, w.share)
		if a.Payer != w.payer || a.Invoiced != mustMoney(t, w.fees) || a.Corrections != 0 || a.Settlement != -share || a.Final != a.Invoiced-share {
			t.Errorf("row %d: %+v, want %s fees %s share %s", i, a, w.payer, w.fees, w.share)
		}
		if d.Payer != w.payer || d.Type != "credit_note" || d.Credits != w.credits || d.DueDate != "" || d.Net != -share || d.VAT != 0 || d.Total != -share {
			t.Errorf("document %d: %+v, want a credit note of -%s crediting %s", i, d, w.share, w.credits)
		}
		sum += d.Total
	}
	if sum != -mustMoney(t, "4576.60") {
		t.Errorf("the credit notes sum to %s, want -4576.60", sum)
	}
	text := pdfText(t, filepath.Join(folder, m.Documents[1].PDF))
	for _, want := range []string{"HYVITYSLASKU", "LAS-2023-000004", "Ylijäämän palautus 2022", "-1 061,84", "LAS-2023-000001"} {
		if !strings.Contains(strings.ToUpper(text), strings.ToUpper(want)) {
			t.Errorf("the credit note's PDF lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(folder, "appendix.pdf")); err != nil {
		t.Error(err)
	}
	validateFinvoice(t, folder)

	// The ledger: the credit notes carry the credited invoices' references.
	r = run(t, env, "ledger", "--config", lasteriConfig, "--out", out, "show", "LAS-2023-000003")
	if r.code != 0 || !strings.Contains(r.stdout, "LAS-2023-000002") {
		t.Errorf("ledger show: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	after := treeHashes(t, out)
	if r := settle("2022", "45000.00", "2023-03-20"); r.code != 0 || !strings.Contains(r.stdout, "2022 was settled in run 2") {
		t.Errorf("settling again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := settle("2022", "46000.00", "2023-03-20"); r.code != 3 || !strings.Contains(r.stderr, "settled once") {
		t.Errorf("settling again with another cost: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after settling again", treeHashes(t, out), after)

	// 2023 is invoiced: 57 054,29 € of fees; a cost above them is a deficit.
	if r := run(t, env, "run", "--config", lasteriConfig, "--cycle", "2023", "--issue-date", "2024-01-15", "--out", out); r.code != 0 {
		t.Fatalf("run 2023: exit %d\n%s", r.code, r.stderr)
	}
	after = treeHashes(t, out)
	r = settle("2023", "60000.00", "2024-03-15")
	if r.code != 0 || !strings.Contains(r.stdout, "Deficit: 2945.71") || !strings.Contains(r.stdout, "Nothing was issued") {
		t.Errorf("a deficit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameTree(t, "after a deficit", treeHashes(t, out), after)
}

// quarterlyConfig writes the Lasteri example billed quarterly, with its own
// hours log and manual lines and a population file of 31.12.2023 (the
// example's 31.12.2022 figures moved a year on), for invoicing 2024.
func quarterlyConfig(t *testing.T, hours, manual string) (config, hoursPath string) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(lasteriConfig)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := os.ReadFile(filepath.Join(filepath.Dir(lasteriConfig), "population-11re-2021-2022-synthetic.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Replace(string(pop), "Yhteensä 2022 Väestö", "Yhteensä 2023 Väestö", 1)
	p = strings.Replace(p, "Yhteensä 2021 Väestö", "Yhteensä 2022 Väestö", 1)
	hoursPath = filepath.Join(dir, "tunnit.csv")
	for name, text := range map[string]string{"population.csv": p, "tunnit.csv": hours, "muut.csv": manual} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := strings.Replace(string(data), `cycle = "annual"`, `cycle = "quarterly"`, 1)
	cfg = strings.Replace(cfg, `population = "population-11re-2021-2022-synthetic.csv"`, `population = "population.csv"`, 1)
	cfg = strings.Replace(cfg, `hours = ["hours/*.csv"]`, `hours = ["tunnit.csv"]`, 1)
	cfg = strings.Replace(cfg, `# manual_lines = ["manual/*.csv"]`, `manual_lines = ["muut.csv"]`, 1)
	config = filepath.Join(dir, "kuntalasku.toml")
	if err := os.WriteFile(config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return config, hoursPath
}

// TestFeeQuarterly invoices 2024 in quarterly instalments: each subscriber's
// four instalments sum exactly to its year fee; hours take the VAT of their
// day across the change of 1.9.2024; a manual line has its own amount and
// VAT; the VAT summary is exact per rate. The hours log grows during the
// year: rerunning an invoiced quarter with the longer log changes nothing,
// but a row added late to an invoiced quarter is refused with a pointer to
// correct. The year's surplus is credited against the last instalments.
func TestFeeQuarterly(t *testing.T) {
	hours := "päivä;tilaaja;tunnit;laji;kuvaus\n" +
		"30.8.2024;keusote-hva;2;työ;Raporttipohja\n" +
		"2.9.2024;keusote-hva;1,5;työ;Raporttipohja, jatko\n"
	manual := "päivä;tilaaja;kuvaus;summa;alv\n31.8.2024;keusote-hva;Alihankinta: tietojen siirto;500,00;24\n"
	config, hoursPath := quarterlyConfig(t, hours, manual)
	out := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728288000"}
	issues := map[string]string{"2024-Q1": "2024-04-05", "2024-Q2": "2024-07-05", "2024-Q3": "2024-10-07", "2024-Q4": "2025-01-07"}
	runQ := func(q string) result {
		return run(t, env, "run", "--config", config, "--cycle", q, "--issue-date", issues[q], "--out", out)
	}
	for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3"} {
		if r := runQ(q); r.code != 0 {
			t.Fatalf("run %s: exit %d\n%s%s", q, r.code, r.stdout, r.stderr)
		}
	}
	q3 := readFeeManifest(t, filepath.Join(out, "lasteri", "2024-Q3", "manifest.json"))
	// Keusote-hva's Q3: the fee 2 884,20 (outside VAT), 2 h on 30.8. at 24 %,
	// 1,5 h on 2.9. at 25,5 %, a manual line of 500,00 at 24 %.
	d := q3.Documents[0]
	if d.Payer != "keusote-hva" || len(d.Lines) != 4 {
		t.Fatalf("Q3's first document: %+v", d)
	}
	wantLines := []struct{ quantity, rate, net string }{{"1", "0", "2884.20"}, {"2", "24", "120.00"}, {"1.5", "25.5", "90.00"}, {"1", "24", "500.00"}}
	for i, w := range wantLines {
		l := d.Lines[i]
		if l.Quantity != w.quantity || l.VATRate != w.rate || l.Net != mustMoney(t, w.net) {
			t.Errorf("line %d: %+v, want quantity %s VAT %s net %s", i+1, l, w.quantity, w.rate, w.net)
		}
	}
	// VAT: 24 % of 620,00 = 148,80; 25,5 % of 90,00 = 22,95.
	if d.Net != mustMoney(t, "3594.20") || d.VAT != mustMoney(t, "171.75") || d.Total != mustMoney(t, "3765.95") {
		t.Errorf("Q3 keusote-hva: net %s VAT %s total %s, want 3594.20 171.75 3765.95", d.Net, d.VAT, d.Total)
	}

	// The log grows: a row of Q4. Q3 is unchanged.
	hours += "15.10.2024;091;1;työ;Valvontaraportti\n"
	if err := os.WriteFile(hoursPath, []byte(hours), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runQ("2024-Q3"); r.code != 0 || !strings.Contains(r.stdout, "was invoiced in run 3") {
		t.Errorf("rerunning Q3 with a longer log: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A row dated in Q3 added after Q3 was invoiced changes its amounts.
	late := hours + "20.9.2024;091;1;työ;Myöhästynyt kirjaus\n"
	if err := os.WriteFile(hoursPath, []byte(late), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runQ("2024-Q3"); r.code != 3 || !strings.Contains(r.stderr, "kuntalasku correct") {
		t.Errorf("rerunning Q3 with a late row: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile(hoursPath, []byte(hours), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runQ("2024-Q4"); r.code != 0 {
		t.Fatalf("run Q4: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The four instalments sum to the year fee, 0,058 × the residents.
	yearFee := map[string]compute.Money{}
	fees := map[string]compute.Money{}
	for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"} {
		m := readFeeManifest(t, filepath.Join(out, "lasteri", q, "manifest.json"))
		for _, a := range m.Allocation {
			fees[a.Payer] += a.Fee
			if yearFee[a.Payer] != 0 && yearFee[a.Payer] != a.YearFee {
				t.Errorf("%s %s: year fee %s, before %s", q, a.Payer, a.YearFee, yearFee[a.Payer])
			}
			yearFee[a.Payer] = a.YearFee
		}
	}
	want := map[string]string{"keusote-hva": "11536.84", "091": "38187.90", "satakunta-hva": "12564.95"}
	for payer, w := range want {
		if fees[payer] != mustMoney(t, w) || yearFee[payer] != mustMoney(t, w) {
			t.Errorf("%s: instalments sum to %s, year fee %s; want %s", payer, fees[payer], yearFee[payer], w)
		}
	}

	// Fees 62 289,69, cost 60 000,00: the surplus 2 289,69 is credited
	// against each subscriber's Q4 invoice.
	r := run(t, env, "settle", "--config", config, "--year", "2024", "--actual-cost", "60000", "--issue-date", "2025-02-14", "--out", out)
	if r.code != 0 {
		t.Fatalf("settle: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "lasteri", "settlement-2024", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m settleManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	q4 := readFeeManifest(t, filepath.Join(out, "lasteri", "2024-Q4", "manifest.json"))
	q4Number := map[string]string{}
	for _, d := range q4.Documents {
		q4Number[d.Payer] = d.Number
	}
	var sum compute.Money
	for _, d := range m.Documents {
		sum += d.Net
		if d.Credits != q4Number[d.Payer] {
			t.Errorf("%s credits %s, want the Q4 invoice %s", d.Number, d.Credits, q4Number[d.Payer])
		}
	}
	if len(m.Documents) != 3 || sum != -mustMoney(t, "2289.69") {
		t.Errorf("%d credit notes summing to %s, want 3 summing to -2289.69", len(m.Documents), sum)
	}
}

// TestFeeGeneralVAT: a fee that takes the general VAT rate is split at the
// change of 1.9.2024 into one line per rate, the month amounts as the year
// fee's split gives them, and the VAT summary is per rate over all lines.
func TestFeeGeneralVAT(t *testing.T) {
	hours := "päivä;tilaaja;tunnit;laji;kuvaus\n30.8.2024;keusote-hva;2;työ;Raporttipohja\n2.9.2024;keusote-hva;1,5;työ;Raporttipohja, jatko\n"
	manual := "päivä;tilaaja;kuvaus;summa;alv\n31.8.2024;keusote-hva;Alihankinta: tietojen siirto;500,00;24\n"
	config, _ := quarterlyConfig(t, hours, manual)
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(data), `fee_vat_rate = "0"`, `fee_vat_general = true`, 1)
	if err := os.WriteFile(config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := run(t, nil, "run", "--config", config, "--cycle", "2024-Q3", "--issue-date", "2024-10-07", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := readFeeManifest(t, filepath.Join(out, "lasteri", "2024-Q3", "manifest.json"))
	d := m.Documents[0]
	// 11 536,84 / 12 months: 961,41 for January to April, 961,40 after.
	want := []struct{ rate, net string }{{"24", "1922.80"}, {"25.5", "961.40"}, {"24", "120.00"}, {"25.5", "90.00"}, {"24", "500.00"}}
	if d.Payer != "keusote-hva" || len(d.Lines) != len(want) {
		t.Fatalf("first document: %+v", d)
	}
	for i, w := range want {
		if l := d.Lines[i]; l.VATRate != w.rate || l.Net != mustMoney(t, w.net) {
			t.Errorf("line %d: %s at %s %%, want %s at %s %%", i+1, l.Net, l.VATRate, w.net, w.rate)
		}
	}
	if !strings.Contains(d.Lines[0].Description, "1.7.–31.8.2024") || !strings.Contains(d.Lines[1].Description, "1.9.–30.9.2024") {
		t.Errorf("the fee lines' periods: %q, %q", d.Lines[0].Description, d.Lines[1].Description)
	}
	// 24 % of 2 542,80 = 610,272; 25,5 % of 1 051,40 = 268,107.
	if d.VAT != mustMoney(t, "878.38") || d.Total != mustMoney(t, "4472.58") {
		t.Errorf("VAT %s total %s, want 878.38 and 4472.58", d.VAT, d.Total)
	}
}

// TestSettleCostSharing invoices the example's eleven months, corrects
// January after the client-management log was fixed (a visit moved from
// Laitila to Turku), then settles 2021 with an actual cost above and below
// the budget. Per payer, the period's invoices, corrections and settlement add
// up exactly to its final share of the actual cost, 70 % by residents aged
// 75+ and 30 % by the period's activities; the settlement documents sum
// exactly to the actual cost minus the invoiced total; payers whose final
// share equals what they were invoiced get nothing.
func TestSettleCostSharing(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(exampleDir)); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "kuntalasku.toml")
	base := filepath.Join(dir, "out")
	runCycle(t, config, base, 1)
	logPath := filepath.Join(dir, "activity", "asiakastiedot-2021.csv")
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(data), "2021-01-04T08:30:00+02:00,400,käynti", "2021-01-04T08:30:00+02:00,853,käynti", 1)
	if err := os.WriteFile(logPath, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "correct", "--config", config, "--cycle", "2021-01", "--issue-date", "2021-02-10", "--out", base, "--reason", "Korjattu suoriteloki"); r.code != 0 {
		t.Fatalf("correct: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var activities int64
	for month := 1; month <= 11; month++ {
		if month > 1 {
			runCycle(t, config, base, month)
		}
	}
	// The period's activities are the cycles' (January as corrected).
	for month := 1; month <= 11; month++ {
		path := filepath.Join(base, schemeFolder, cycleID(month), "manifest.json")
		if month == 1 {
			path = filepath.Join(base, schemeFolder, "2021-01", "correction-2", "manifest.json")
		}
		for _, a := range readRunManifest(t, path).Allocation {
			if a.Activities != nil {
				activities += *a.Activities
			}
		}
	}
	if r := run(t, nil, "settle", "--config", config, "--year", "2021", "--actual-cost", "290000", "--issue-date", "2021-11-30", "--out", base); r.code != 2 {
		t.Errorf("settling before the period has ended: exit %d, want 2", r.code)
	}
	budget := mustMoney(t, "284602.00")
	for _, cost := range []string{"301234.56", "270000.00"} {
		t.Run(cost, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.CopyFS(out, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			actual := mustMoney(t, cost)
			r := run(t, nil, "settle", "--config", config, "--year", "2021", "--actual-cost", cost, "--issue-date", "2022-02-15", "--out", out)
			if r.code != 0 {
				t.Fatalf("settle: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			folder := filepath.Join(out, schemeFolder, "settlement-2021")
			data, err := os.ReadFile(filepath.Join(folder, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Kind             string
				ActualCost       compute.Money `json:"actual_cost"`
				Budget           compute.Money
				ComponentBudgets struct{ Population, Activity compute.Money } `json:"component_budgets"`
				Allocation       []struct {
					Payer      string
					Activities int64
					Total      compute.Money
				}
				Settlement []struct {
					Payer                                    string
					Invoiced, Corrections, Final, Settlement compute.Money
				}
				Documents []struct {
					Payer, Type, Role, Credits string
					Net                        compute.Money
				}
			}
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			pop, err := compute.RoundHalfUp(actual.Decimal().Mul(decimal.RequireFromString("0.7")))
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != "settlement" || m.ActualCost != actual || m.Budget != actual || m.ComponentBudgets.Population != pop || m.ComponentBudgets.Activity != actual-pop {
				t.Errorf("manifest: kind %q cost %s budget %s components %+v; want %s = %s + %s", m.Kind, m.ActualCost, m.Budget, m.ComponentBudgets, actual, pop, actual-pop)
			}
			var counted int64
			var finals compute.Money
			for i, a := range m.Allocation {
				counted += a.Activities
				finals += a.Total
				if s := m.Settlement[i]; s.Payer != a.Payer || s.Final != a.Total {
					t.Errorf("payer %s: final %s in the settlement, %s in the allocation", a.Payer, s.Final, a.Total)
				}
			}
			if counted != activities || finals != actual {
				t.Errorf("the final shares count %d activities (the cycles %d) and sum to %s (want %s)", counted, activities, finals, actual)
			}

			// The ledger: per payer, everything issued for 2021 is its
			// final share; the settlement documents sum to cost − budget.
			totals, _ := ledgerNet(t, out)
			var docs compute.Money
			for _, d := range m.Documents {
				docs += d.Net
				if d.Role != "settlement" || (d.Net < 0) != (d.Type == "credit_note") || (d.Type == "credit_note" && d.Credits == "") {
					t.Errorf("%s: %+v", d.Payer, d)
				}
			}
			if docs != actual-budget {
				t.Errorf("the settlement documents sum to %s, want %s − %s", docs, actual, budget)
			}
			zero := 0
			for _, s := range m.Settlement {
				if totals[s.Payer] != s.Final {
					t.Errorf("payer %s: the ledger's documents sum to %s, its final share is %s", s.Payer, totals[s.Payer], s.Final)
				}
				if s.Settlement == 0 {
					zero++
				}
			}
			if len(m.Documents) != len(m.Settlement)-zero {
				t.Errorf("%d documents for %d payers, %d of them settled at 0", len(m.Documents), len(m.Settlement), zero)
			}
			if corrections := m.Settlement[5].Corrections; m.Settlement[5].Payer != "400" || corrections == 0 {
				t.Errorf("Laitila's corrections: %+v", m.Settlement[5])
			}
			validateFinvoice(t, folder)
			if _, err := os.Stat(filepath.Join(folder, "appendix.xlsx")); err != nil {
				t.Error(err)
			}
		})
	}
}

// cycleID is the example's cycle of month.
func cycleID(month int) string { return fmt.Sprintf("2021-%02d", month) }

// ledgerNet is every payer's sum of net amounts of the example scheme's
// documents.
func ledgerNet(t *testing.T, out string) (map[string]compute.Money, int) {
	t.Helper()
	store, err := openLedgerReadOnly(context.Background(), filepath.Join(out, "ledger.sqlite"))
	if err != nil || store == nil {
		t.Fatalf("open the ledger: %v", err)
	}
	defer store.Close()
	docs, err := store.Documents(context.Background(), schemeFolder)
	if err != nil {
		t.Fatal(err)
	}
	net := map[string]compute.Money{}
	for _, d := range docs {
		net[d.Payer] += d.Net
	}
	return net, len(docs)
}
