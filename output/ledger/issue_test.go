package ledger

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/kuntalasku/kuntalasku/compute"
)

func TestIssueAndRead(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 3), nil)
	feb := mustIssue(t, s, vsa(t, KindRegular, "2021-02", "2021-03-01", 3), nil)

	var numbers, refs []string
	for _, d := range append(slices.Clone(jan.docs), feb.docs...) {
		numbers = append(numbers, d.Number)
		refs = append(refs, string(d.Reference))
	}
	wantNumbers := []string{"VSA-2021-000001", "VSA-2021-000002", "VSA-2021-000003", "VSA-2021-000004", "VSA-2021-000005", "VSA-2021-000006"}
	if !slices.Equal(numbers, wantNumbers) {
		t.Errorf("got numbers %v, want %v", numbers, wantNumbers)
	}
	for i, got := range refs {
		want, err := compute.SchemeReference(1, 2021, int64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := compute.ParseReference(got); err != nil || got != string(want) {
			t.Errorf("document %d: got reference %s (%v), want %s", i+1, got, err, want)
		}
	}
	if jan.run.ID != 1 || feb.run.ID != 2 {
		t.Errorf("got runs %d and %d, want 1 and 2", jan.run.ID, feb.run.ID)
	}
	if got, want := *feb.run, wantRun(feb.run); !reflect.DeepEqual(got, want) {
		t.Errorf("Issue returned\n%+v, want\n%+v", got, want)
	}
	if got := feb.run.Created.String(); got != "2021-02-01 08:30:15 +0000 UTC" {
		t.Errorf("got created %s, want it to the second in UTC", got)
	}

	runs, err := s.Runs(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Run{wantRun(jan.run), wantRun(feb.run)}; !reflect.DeepEqual(runs, want) {
		t.Errorf("Runs:\ngot  %+v\nwant %+v", runs, want)
	}
	regular, err := s.RegularRun(ctx, "vsa", "2021-02")
	if err != nil {
		t.Fatal(err)
	}
	if regular == nil || !reflect.DeepEqual(*regular, wantRun(feb.run)) {
		t.Errorf("RegularRun: got %+v, want %+v", regular, wantRun(feb.run))
	}
	for _, c := range []struct{ scheme, cycle string }{{"vsa", "2021-03"}, {"abc", "2021-01"}} {
		if got, err := s.RegularRun(ctx, c.scheme, c.cycle); got != nil || err != nil {
			t.Errorf("RegularRun(%s, %s) = %+v, %v; want nil, nil", c.scheme, c.cycle, got, err)
		}
	}

	for _, r := range []issued{jan, feb} {
		docs, err := s.RunDocuments(ctx, r.run.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameDocuments(t, docs, r.docs)
	}
	all, err := s.Documents(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	sameDocuments(t, all, withoutLines(append(slices.Clone(jan.docs), feb.docs...)))
	doc, err := s.Document(ctx, "VSA-2021-000005")
	if err != nil {
		t.Fatal(err)
	}
	sameDocuments(t, []Document{*doc}, feb.docs[1:2])

	if _, err := s.Document(ctx, "VSA-2021-000007"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing document: got %v, want ErrNotFound", err)
	}
	if run, seq, err := s.Next(ctx, "vsa", 2021); run != 3 || seq != 7 || err != nil {
		t.Errorf("Next = %d, %d, %v; want 3, 7", run, seq, err)
	}
}

func TestCreditNote(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)
	credit := func(of string) func(*Run, []Document) {
		return func(_ *Run, docs []Document) {
			docs[0].Type, docs[0].Credits, docs[0].Reason = TypeCreditNote, of, "Väärä väestöluku"
			docs[0].DueDate = compute.Date{}
			docs[0].Reference = jan.docs[0].Reference
		}
	}
	fix := mustIssue(t, s, vsa(t, KindCorrection, "2021-01", "2021-02-10", 2), credit("VSA-2021-000001"))
	got, err := s.RunDocuments(ctx, fix.run.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameDocuments(t, got, fix.docs)
	if got[0].Number != "VSA-2021-000003" || got[0].Credits != "VSA-2021-000001" || !got[0].DueDate.IsZero() {
		t.Errorf("got credit note %s crediting %s due %s", got[0].Number, got[0].Credits, got[0].DueDate)
	}

	tests := []struct {
		name   string
		change func(*Run, []Document)
	}{
		{"credits a missing document", credit("VSA-2021-000099")},
		{"credits a credit note", credit("VSA-2021-000003")},
		{"credit note with a due date", func(r *Run, docs []Document) {
			credit("VSA-2021-000002")(r, docs)
			docs[0].DueDate = docs[1].DueDate
		}},
		{"invoice crediting", func(_ *Run, docs []Document) { docs[0].Credits = "VSA-2021-000002" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := vsa(t, KindCorrection, "2021-01", "2021-02-10", 2)
			_, err := s.Issue(ctx, p, func(n Numbers) (*Run, []Document, error) {
				run, docs, err := makeRun(p, n)
				tt.change(run, docs)
				return run, docs, err
			})
			if err == nil {
				t.Fatal("issued")
			}
			if run, seq, _ := s.Next(ctx, "vsa", 2021); run != 3 || seq != 5 {
				t.Errorf("after %v: next run %d, seq %d; want 3, 5", err, run, seq)
			}
		})
	}
}

func TestIssueFails(t *testing.T) {
	errBuild := errors.New("render failed")
	tests := []struct {
		name   string
		build  func(Plan, Numbers) (*Run, []Document, error)
		wantIs error
		wantDB bool // refused by a constraint of the database
	}{
		{"build fails", func(Plan, Numbers) (*Run, []Document, error) { return nil, nil, errBuild }, errBuild, false},
		{"no run", func(p Plan, n Numbers) (*Run, []Document, error) {
			_, docs, err := makeRun(p, n)
			return nil, docs, err
		}, nil, false},
		{"wrong number", change(func(_ *Run, d []Document) { d[1].Number = "VSA-2021-000009" }), nil, false},
		{"wrong sequence number", change(func(_ *Run, d []Document) { d[0].Seq++ }), nil, false},
		{"wrong year", change(func(_ *Run, d []Document) { d[2].Year = 2022 }), nil, false},
		{"wrong document run", change(func(_ *Run, d []Document) { d[2].Run = 1 }), nil, false},
		{"wrong issue date", change(func(_ *Run, d []Document) { d[2].IssueDate = d[2].IssueDate.AddDays(1) }), nil, false},
		{"wrong type", change(func(_ *Run, d []Document) { d[0].Type = "receipt" }), nil, false},
		{"lines do not sum to net", change(func(_ *Run, d []Document) { d[1].Lines[0].Net++ }), nil, false},
		{"net plus VAT is not total", change(func(_ *Run, d []Document) { d[1].Total++ }), nil, false},
		{"too few documents", func(p Plan, n Numbers) (*Run, []Document, error) {
			run, docs, err := makeRun(p, n)
			return run, docs[:2], err
		}, nil, false},
		{"wrong run number", change(func(r *Run, _ []Document) { r.ID = 5 }), nil, false},
		{"wrong cycle", change(func(r *Run, _ []Document) { r.Cycle = "2021-03" }), nil, false},
		{"wrong kind", change(func(r *Run, _ []Document) { r.Kind = KindCorrection }), nil, false},
		{"no folder", change(func(r *Run, _ []Document) { r.Folder = "" }), nil, false},
		{"reference of an earlier invoice", change(func(_ *Run, d []Document) {
			d[2].Reference = must(compute.SchemeReference(1, 2021, 1))
		}), nil, true},
		{"reference used twice", change(func(_ *Run, d []Document) { d[2].Reference = d[0].Reference }), nil, true},
		{"bad SHA-256", change(func(r *Run, _ []Document) { r.Inputs[1].SHA256 = "ABC" }), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := newLedger(t)
			mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 3), nil)
			before := fileHash(t, s.Path())

			p := vsa(t, KindRegular, "2021-02", "2021-03-01", 3)
			_, err := s.Issue(ctx, p, func(n Numbers) (*Run, []Document, error) { return tt.build(p, n) })
			if err == nil {
				t.Fatal("issued")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("got %v, want it to wrap %v", err, tt.wantIs)
			}
			var e *sqlite.Error
			if isDB := errors.As(err, &e) && e.Code() == sqliteConstraintUnique; isDB != tt.wantDB {
				t.Errorf("got %v: refused by a unique constraint %v, want %v", err, isDB, tt.wantDB)
			}
			if after := fileHash(t, s.Path()); after != before {
				t.Error("the failed issue changed the file")
			}
			if got := mustIssue(t, s, p, nil); got.run.ID != 2 || got.docs[0].Number != "VSA-2021-000004" {
				t.Errorf("after the failed issue: got run %d, first number %s; want 2, VSA-2021-000004", got.run.ID, got.docs[0].Number)
			}
		})
	}
}

// change is a build that changes what makeRun builds.
func change(f func(*Run, []Document)) func(Plan, Numbers) (*Run, []Document, error) {
	return func(p Plan, n Numbers) (*Run, []Document, error) {
		run, docs, err := makeRun(p, n)
		if err == nil {
			f(run, docs)
		}
		return run, docs, err
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestCycleInvoiced(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)
	before := fileHash(t, s.Path())

	called := false
	_, err := s.Issue(ctx, vsa(t, KindRegular, "2021-01", "2021-02-05", 2), func(Numbers) (*Run, []Document, error) {
		called = true
		return nil, nil, errors.New("built")
	})
	if !errors.Is(err, ErrCycleInvoiced) {
		t.Errorf("got %v, want ErrCycleInvoiced", err)
	}
	if called {
		t.Error("build was called")
	}
	if fileHash(t, s.Path()) != before {
		t.Error("the refused issue changed the file")
	}

	// The database itself refuses a second regular run of a cycle.
	_, err = s.db.ExecContext(ctx, `INSERT INTO runs (id, scheme, cycle, kind, issue_date, created, folder)
		VALUES (9, 'vsa', '2021-01', 'regular', '2021-02-05', '2021-02-05T10:00:00Z', 'vsa/2021-01')`)
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code() != sqliteConstraintUnique {
		t.Errorf("inserting a second regular run: got %v, want a unique constraint error", err)
	}

	fix := mustIssue(t, s, vsa(t, KindCorrection, "2021-01", "2021-02-05", 1), nil)
	if fix.run.ID != 2 || fix.docs[0].Number != "VSA-2021-000003" {
		t.Errorf("correction: got run %d, number %s; want 2, VSA-2021-000003", fix.run.ID, fix.docs[0].Number)
	}
	other := mustIssue(t, s, Plan{Scheme: "abc", Prefix: "ABC", ReferenceCode: 2, Cycle: "2021-01", Kind: KindRegular, IssueDate: date(t, "2021-02-05"), Count: 1}, nil)
	if other.docs[0].Number != "ABC-2021-000001" {
		t.Errorf("another scheme's cycle: got %s, want ABC-2021-000001", other.docs[0].Number)
	}
}

func TestIssueDate(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)

	_, err := s.Issue(ctx, vsa(t, KindRegular, "2021-02", "2021-01-31", 2), makeRunOf(t))
	var e *IssueDateError
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *IssueDateError", err)
	}
	want := IssueDateError{Date: date(t, "2021-01-31"), Last: date(t, "2021-02-01"), Number: "VSA-2021-000002"}
	if *e != want {
		t.Errorf("got %+v, want %+v", *e, want)
	}

	tests := []struct {
		name string
		plan Plan
		want string // the first number
	}{
		{"same date", vsa(t, KindRegular, "2021-02", "2021-02-01", 1), "VSA-2021-000003"},
		{"nothing to issue at an earlier date", vsa(t, KindRegular, "2021-03", "2021-01-15", 0), ""},
		{"later date", vsa(t, KindCorrection, "2021-02", "2021-02-02", 2), "VSA-2021-000004"},
		{"new year", vsa(t, KindRegular, "2021-12", "2022-01-03", 2), "VSA-2022-000001"},
		{"earlier date in the former year", vsa(t, KindRegular, "2021-11", "2021-12-01", 1), "VSA-2021-000006"},
		{"another scheme", Plan{Scheme: "abc", Prefix: "ABC", ReferenceCode: 2, Cycle: "2021-01", Kind: KindRegular, IssueDate: date(t, "2021-01-10"), Count: 2}, "ABC-2021-000001"},
		{"next year again", vsa(t, KindSettlement, "2021", "2022-01-03", 1), "VSA-2022-000003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustIssue(t, s, tt.plan, nil)
			first := ""
			if len(got.docs) > 0 {
				first = got.docs[0].Number
			}
			if first != tt.want {
				t.Errorf("got first number %q, want %q", first, tt.want)
			}
		})
	}
	if run, seq, err := s.Next(ctx, "abc", 2021); run != 9 || seq != 3 || err != nil {
		t.Errorf("Next(abc, 2021) = %d, %d, %v; want 9, 3", run, seq, err)
	}
	if run, seq, err := s.Next(ctx, "vsa", 2023); run != 9 || seq != 1 || err != nil {
		t.Errorf("Next(vsa, 2023) = %d, %d, %v; want 9, 1", run, seq, err)
	}
}

// makeRunOf is a build that expects no call.
func makeRunOf(t *testing.T) func(Numbers) (*Run, []Document, error) {
	return func(Numbers) (*Run, []Document, error) {
		t.Error("build was called")
		return nil, nil, errors.New("not expected")
	}
}

func TestConcurrentIssue(t *testing.T) {
	ctx := context.Background()
	a := newLedger(t)
	b, err := Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	const runs, perRun = 20, 2
	var wg sync.WaitGroup
	errs := make(chan error, 2*runs)
	for k, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range runs {
				p := Plan{Scheme: "vsa", Prefix: "VSA", ReferenceCode: 1, Cycle: fmt.Sprintf("%c-%02d", 'A'+k, i),
					Kind: KindRegular, IssueDate: compute.Date{Year: 2021, Month: 2, Day: 1}, Count: perRun}
				_, err := s.Issue(ctx, p, func(n Numbers) (*Run, []Document, error) { return makeRun(p, n) })
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	docs, err := a.Documents(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2*runs*perRun {
		t.Fatalf("got %d documents, want %d", len(docs), 2*runs*perRun)
	}
	perRunDocs := map[int64]int{}
	for i, d := range docs {
		if want := fmt.Sprintf("VSA-2021-%06d", i+1); d.Number != want || d.Seq != int64(i+1) {
			t.Errorf("document %d: got %s (seq %d), want %s", i, d.Number, d.Seq, want)
		}
		perRunDocs[d.Run]++
	}
	list, err := b.Runs(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range list {
		if r.ID != int64(i+1) || perRunDocs[r.ID] != perRun {
			t.Errorf("run %d: got number %d with %d documents", i+1, r.ID, perRunDocs[r.ID])
		}
	}
	if len(list) != 2*runs {
		t.Errorf("got %d runs, want %d", len(list), 2*runs)
	}
}

func TestNumbers(t *testing.T) {
	n := Numbers{Run: 7, Year: 2021, First: 123, Prefix: "VSA", ReferenceCode: 1, Count: 3}
	tests := []struct {
		i       int
		number  string
		seq     int64
		refBase string
	}{
		{0, "VSA-2021-000123", 123, "12021000123"},
		{2, "VSA-2021-000125", 125, "12021000125"},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			if got := n.Number(tt.i); got != tt.number {
				t.Errorf("Number(%d) = %s, want %s", tt.i, got, tt.number)
			}
			if got := n.Seq(tt.i); got != tt.seq {
				t.Errorf("Seq(%d) = %d, want %d", tt.i, got, tt.seq)
			}
			want, err := compute.NewReference(tt.refBase)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := n.Reference(tt.i); got != want || err != nil {
				t.Errorf("Reference(%d) = %s, %v; want %s", tt.i, got, err, want)
			}
		})
	}
}

func TestPlanRefused(t *testing.T) {
	ok := Plan{Scheme: "vsa", Prefix: "VSA", ReferenceCode: 1, Cycle: "2021-01", Kind: KindRegular,
		IssueDate: compute.Date{Year: 2021, Month: 2, Day: 1}, Count: 1}
	tests := []struct {
		name   string
		change func(*Plan)
	}{
		{"no scheme", func(p *Plan) { p.Scheme = "" }},
		{"no prefix", func(p *Plan) { p.Prefix = "" }},
		{"reference code 0", func(p *Plan) { p.ReferenceCode = 0 }},
		{"reference code 1000", func(p *Plan) { p.ReferenceCode = 1000 }},
		{"no cycle", func(p *Plan) { p.Cycle = "" }},
		{"estimate", func(p *Plan) { p.Kind = "estimate" }},
		{"no issue date", func(p *Plan) { p.IssueDate = compute.Date{} }},
		{"impossible issue date", func(p *Plan) { p.IssueDate.Day = 30 }},
		{"negative count", func(p *Plan) { p.Count = -1 }},
	}
	s := newLedger(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			if _, err := s.Issue(context.Background(), p, makeRunOf(t)); err == nil {
				t.Error("issued")
			}
		})
	}
	if got := mustIssue(t, s, ok, nil); got.run.ID != 1 {
		t.Errorf("got run %d, want 1", got.run.ID)
	}
}

// TestSettledOnce: a year is settled once, and what was invoiced for a
// period counts the regular and correction runs but not the settlement.
func TestSettledOnce(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)
	fix := mustIssue(t, s, vsa(t, KindCorrection, "2021-01", "2021-02-05", 1), nil)
	mustIssue(t, s, vsa(t, KindSettlement, "2021", "2022-01-20", 1), nil)
	before := fileHash(t, s.Path())

	_, err := s.Issue(ctx, vsa(t, KindSettlement, "2021", "2022-01-25", 1), makeRunOf(t))
	if !errors.Is(err, ErrSettled) {
		t.Errorf("a second settlement: got %v, want ErrSettled", err)
	}
	if fileHash(t, s.Path()) != before {
		t.Error("the refused settlement changed the file")
	}
	if run, err := s.FindRun(ctx, "vsa", "2021", KindSettlement); err != nil || run == nil || run.ID != 3 {
		t.Errorf("FindRun settlement = %+v, %v; want run 3", run, err)
	}
	if run, err := s.FindRun(ctx, "vsa", "2022", KindSettlement); err != nil || run != nil {
		t.Errorf("FindRun of a year not settled = %+v, %v; want nil", run, err)
	}

	// The test documents bill the 31 days before their issue date.
	got, err := s.Invoiced(ctx, "vsa", date(t, "2021-01-01"), date(t, "2021-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	sameDocuments(t, got, append(slices.Clone(jan.docs), fix.docs...))
	for _, d := range got {
		if len(d.Lines) != 2 || d.Lines[0].Kind != "population" {
			t.Errorf("%s: lines %+v", d.Number, d.Lines)
		}
	}
	if got, err := s.Invoiced(ctx, "vsa", date(t, "2021-01-06"), date(t, "2021-12-31")); err != nil || len(got) != 0 {
		t.Errorf("a period that does not contain the documents' periods: %d documents, %v", len(got), err)
	}
}

// TestCorrectionRoles: a correction's documents record their role and the
// invoice they correct, read back as recorded; a role that does not fit its
// document, or a reference to a document that is not an invoice of the
// scheme, is refused and nothing is recorded.
func TestCorrectionRoles(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)
	orig := jan.docs[0]
	fix := mustIssue(t, s, vsa(t, KindCorrection, "2021-01", "2021-02-05", 2), func(_ *Run, docs []Document) {
		credit := &docs[0]
		credit.Type, credit.DueDate, credit.Credits, credit.Reference = TypeCreditNote, compute.Date{}, orig.Number, orig.Reference
		credit.Role, credit.Refers, credit.Reason = RoleCredit, orig.Number, "Korjattu suoriteloki"
		docs[1].Role, docs[1].Refers = RoleReplacement, orig.Number
	})
	got, err := s.CycleDocuments(ctx, "vsa", "2021-01")
	if err != nil {
		t.Fatal(err)
	}
	sameDocuments(t, got, append(slices.Clone(jan.docs), fix.docs...))
	if got[2].Role != RoleCredit || got[2].Refers != orig.Number || got[3].Role != RoleReplacement || got[2].RunKind != KindCorrection {
		t.Errorf("read back: %+v / %+v", got[2], got[3])
	}

	before := fileHash(t, s.Path())
	for _, tc := range []struct {
		name   string
		change func(d *Document)
	}{
		{"a credit role on an invoice", func(d *Document) { d.Role, d.Refers = RoleCredit, orig.Number }},
		{"a replacement that is a credit note", func(d *Document) {
			d.Type, d.DueDate, d.Credits, d.Role = TypeCreditNote, compute.Date{}, orig.Number, RoleReplacement
		}},
		{"a regular invoice that refers", func(d *Document) { d.Refers = orig.Number }},
		{"refers to a credit note", func(d *Document) { d.Role, d.Refers = RoleDifference, fix.docs[0].Number }},
		{"refers to a number not in the ledger", func(d *Document) { d.Role, d.Refers = RoleDifference, "VSA-2021-000999" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := vsa(t, KindCorrection, "2021-01", "2021-02-06", 1)
			_, err := s.Issue(ctx, p, func(n Numbers) (*Run, []Document, error) {
				run, docs, err := makeRun(p, n)
				if err == nil {
					tc.change(&docs[0])
				}
				return run, docs, err
			})
			if err == nil {
				t.Error("recorded")
			}
			if fileHash(t, s.Path()) != before {
				t.Error("the refused run changed the file")
			}
		})
	}
}

// TestAudit: a ledger as Issue leaves it passes; a deleted document (a gap),
// a document beyond its series, a duplicated reference and lines that do not
// sum to the net amount each fail, named.
func TestAudit(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 3), nil)
	mustIssue(t, s, vsa(t, KindRegular, "2021-02", "2021-03-01", 3), nil)
	a, err := s.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Problems) != 0 || a.Documents != 6 || a.References != 6 || len(a.Series) != 1 || a.Series[0].Last != 6 || a.Series[0].Prefix != "VSA" {
		t.Fatalf("a sound ledger: %+v", a)
	}
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"a deleted document", `DELETE FROM lines WHERE document = 'VSA-2021-000004'; DELETE FROM documents WHERE number = 'VSA-2021-000004'`,
			"vsa 2021: 1 numbers have no document (a gap): VSA-2021-000004"},
		{"the series moved back", `UPDATE series SET last = 5`, "VSA-2021-000006: beyond the last number 5"},
		{"the series moved on", `UPDATE series SET last = 8`, "VSA-2021-000007, VSA-2021-000008"},
		{"a reference used twice", `DROP INDEX documents_invoice_reference; UPDATE documents SET reference = (SELECT reference FROM documents WHERE seq = 1) WHERE seq = 2`,
			"is also VSA-2021-000001's"},
		{"a line changed", `UPDATE lines SET net = net + 1 WHERE document = 'VSA-2021-000003' AND position = 1`, "VSA-2021-000003: the lines sum to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newLedger(t)
			mustIssue(t, c, vsa(t, KindRegular, "2021-01", "2021-02-01", 3), nil)
			mustIssue(t, c, vsa(t, KindRegular, "2021-02", "2021-03-01", 3), nil)
			if _, err := c.db.ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			a, err := c.Audit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range a.Problems {
				found = found || strings.Contains(p, tc.want)
			}
			if !found {
				t.Errorf("problems %q, want one with %q", a.Problems, tc.want)
			}
		})
	}
}

// TestDeliveries: an attempt is recorded before the message goes out and
// finished after; the attempts of a document read back in order, the last
// being its state; an attempt cannot be finished twice, nor recorded for a
// document the ledger does not have.
func TestDeliveries(t *testing.T) {
	ctx := context.Background()
	s := newLedger(t)
	jan := mustIssue(t, s, vsa(t, KindRegular, "2021-01", "2021-02-01", 2), nil)
	a, b := jan.docs[0].Number, jan.docs[1].Number
	at := time.Date(2021, 2, 1, 8, 0, 0, 0, time.UTC)
	ids, err := s.StartDelivery(ctx, []string{a, b}, ChannelSMTP, []string{"laskut@aura.example.fi"}, "m1@example.fi", at)
	if err != nil || len(ids) != 2 {
		t.Fatalf("start: %v, %v", ids, err)
	}
	got, err := s.Deliveries(ctx, "vsa")
	if err != nil || len(got[a]) != 1 || got[a][0].Status != DeliverySending || !got[a][0].Finished.IsZero() {
		t.Fatalf("while sending: %+v, %v", got, err)
	}
	if err := s.FinishDelivery(ctx, ids, DeliveryTemporary, "451 4.3.0 try later", at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, ids, DeliveryDelivered, "250 ok", at.Add(2*time.Second)); err == nil {
		t.Error("an attempt was finished twice")
	}
	ids2, err := s.StartDelivery(ctx, []string{a}, ChannelSMTP, []string{"laskut@aura.example.fi", "kirjaamo@aura.example.fi"}, "m2@example.fi", at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, ids2, DeliveryDelivered, "250 2.0.0 Ok", at.Add(61*time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err = s.Deliveries(ctx, "vsa")
	if err != nil {
		t.Fatal(err)
	}
	if len(got[a]) != 2 || got[a][0].Status != DeliveryTemporary || got[a][1].Status != DeliveryDelivered ||
		got[a][1].Reply != "250 2.0.0 Ok" || len(got[a][1].Recipients) != 2 || !got[a][1].Finished.Equal(at.Add(61*time.Second)) {
		t.Errorf("a's attempts: %+v", got[a])
	}
	if len(got[b]) != 1 || got[b][0].Status != DeliveryTemporary || got[b][0].MessageID != "m1@example.fi" {
		t.Errorf("b's attempts: %+v", got[b])
	}
	if _, err := s.StartDelivery(ctx, []string{"VSA-2021-000999"}, ChannelSMTP, []string{"x@example.fi"}, "m3@example.fi", at); err == nil {
		t.Error("a delivery of a document not in the ledger was recorded")
	}
}
