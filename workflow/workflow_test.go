package workflow

import (
	"baocao/domain"
	"baocao/reports/letter"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/report"
	"baocao/templates"
)

// fakeStore answers the plan and counts the writes; every other call
// panics (the embedded nil interface), so a test shows what a workflow
// reaches.
type fakeStore struct {
	Store
	plan    domain.Plan
	submits int
	drafts  []domain.Draft
}

func (f *fakeStore) GetPlan(context.Context, int64) (domain.Plan, error) { return f.plan, nil }

func (f *fakeStore) Submit(_ context.Context, _ int64, in domain.SubmitInput, _ int) (domain.Submission, error) {
	f.submits++
	return domain.Submission{TaskID: in.TaskID, AgencyID: in.AgencyID, SubmittedBy: in.SubmittedBy}, nil
}

func (f *fakeStore) SaveReportDraft(_ context.Context, d domain.Draft) (domain.Report, error) {
	f.drafts = append(f.drafts, d)
	return domain.Report{Status: domain.ReportDraft, Version: 1}, nil
}

func service(t *testing.T) (*Service, *fakeStore) {
	t.Helper()
	data, err := os.ReadFile("../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := doc.Decode(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("", report.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeStore{plan: domain.Plan{ID: 2, Doc: d}}
	return &Service{Store: fs, Templates: set, Fonts: fam, Now: func() time.Time { return time.Date(2024, 7, 20, 9, 0, 0, 0, period.Vietnam) }}, fs
}

func TestRoles(t *testing.T) {
	w, fs := service(t)
	ctx := context.Background()
	auditor := Actor{Kind: ActorUser, Name: "Kiểm tra", Role: RoleAuditor}
	var fe *ForbiddenError
	if _, err := w.Issue(ctx, auditor, nil, IssueInput{PlanID: 2, Period: mustPeriod("2024-Q1")}); !errors.As(err, &fe) {
		t.Errorf("an auditor issues: %v", err)
	}
	if _, err := w.SaveDraft(ctx, auditor, DraftInput{PlanID: 2, Period: mustPeriod("2024-Q1")}); !errors.As(err, &fe) {
		t.Errorf("an auditor writes a draft: %v", err)
	}
	if _, err := w.MergeAgency(ctx, Actor{Role: RoleReporter}, 1, 2, 1); !errors.As(err, &fe) {
		t.Errorf("a reporter merges: %v", err)
	}
	reporter := Actor{Kind: ActorUser, Name: "Nguyễn Thị Hoa", Role: RoleReporter, AgencyID: 7, AgencyName: "Văn phòng UBND tỉnh"}
	in := domain.SubmitInput{TaskID: 1, AgencyID: 8}
	in.Period, in.Status = "2024-Q1", domain.StatusInProgress
	if _, err := w.Submit(ctx, reporter, 2, in); !errors.As(err, &fe) || !strings.Contains(fe.Detail, "Văn phòng UBND tỉnh") {
		t.Errorf("a reporter reports for another agency: %v", err)
	}
	in.AgencyID, in.SubmittedBy = 0, "someone else"
	sub, err := w.Submit(ctx, reporter, 2, in)
	if err != nil || sub.AgencyID != 7 || sub.SubmittedBy != reporter.Name || fs.submits != 1 {
		t.Errorf("a reporter's own report: %+v, %v (%d stored)", sub, err, fs.submits)
	}
}

func TestSaveDraftRules(t *testing.T) {
	w, fs := service(t)
	ctx := context.Background()
	sec := Actor{Kind: ActorUser, Name: "Văn phòng", Role: RoleSecretariat}
	q1 := mustPeriod("2024-Q1")
	bad := "2025-01-01"
	_, err := w.SaveDraft(ctx, sec, DraftInput{PlanID: 2, Period: q1, Title: "A\u0000", AsOf: &bad,
		Narrative: report.Narrative{Results: strings.Repeat("x", MaxDraftText+1)}})
	var ve *doc.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 || len(fs.drafts) != 0 {
		t.Fatalf("want title, results and as_of refused, nothing stored: %v", err)
	}
	day := " 2024-02-15 "
	if _, err := w.SaveDraft(ctx, sec, DraftInput{PlanID: 2, Period: q1, Title: " Tiêu đề\r\n",
		Narrative: report.Narrative{Recipients: []string{"", "Như trên", "  "}}, AsOf: &day}); err != nil {
		t.Fatal(err)
	}
	d := fs.drafts[0]
	if d.Title != "Tiêu đề" || *d.AsOf != "2024-02-15" || !strings.Contains(d.Narrative, `"recipients":["Như trên"]`) {
		t.Errorf("normalised draft: %+v %s", d, *d.AsOf)
	}
}

// countingRenderer records what it is asked to render.
type countingRenderer struct{ asked []Format }

func (r *countingRenderer) Render(_ context.Context, c *Composed, formats ...Format) (map[Format][]byte, error) {
	out := map[Format][]byte{}
	for _, f := range formats {
		r.asked = append(r.asked, f)
		out[f] = []byte(c.Doc.Title)
	}
	return out, nil
}

func TestBuildReport(t *testing.T) {
	w, fs := service(t)
	r := &countingRenderer{}
	b, err := BuildReport(context.Background(), Submitted{}, r, w.Templates, w.Fonts, BuildInput{Plan: fs.plan.Doc,
		Period: mustPeriod("2024-H1"), AsOf: time.Date(2024, 7, 5, 0, 0, 0, 0, time.UTC), Formats: []Format{FormatXLSX}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.asked) != 1 || r.asked[0] != FormatXLSX || len(b.Files[FormatXLSX]) == 0 || b.Board == nil || b.Board.Period != "2024-H1" {
		t.Errorf("built %+v, asked %v", b.Files, r.asked)
	}
	if !strings.HasPrefix(b.Sheet.Title, "Báo cáo ") || !b.Sheet.Created.Equal(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("sheet %+v", b.Sheet)
	}
}

func mustPeriod(code string) period.Period {
	p, err := period.Parse(code)
	if err != nil {
		panic(err)
	}
	return p
}

// TestLetterRules: only the secretariat (and the admin) writes and issues
// reminder letters, a reporter reads none; the parts pass the text rule
// and the limits, the unit is a symbol, blank addressees are dropped —
// and nothing reaches the store when a part is refused.
func TestLetterRules(t *testing.T) {
	w, _ := service(t)
	ctx := context.Background()
	q1 := mustPeriod("2024-Q1")
	var fe *ForbiddenError
	for _, a := range []Actor{{Role: RoleAuditor}, {Role: RoleReporter, AgencyID: 7}} {
		if _, err := w.SaveLetter(ctx, a, LetterInput{PlanID: 2, Period: q1}); !errors.As(err, &fe) {
			t.Errorf("%s writes a letter: %v", a.Role, err)
		}
		if _, err := w.IssueLetter(ctx, a, nil, IssueLetterInput{PlanID: 2, ID: 1, Version: 1}); !errors.As(err, &fe) {
			t.Errorf("%s issues a letter: %v", a.Role, err)
		}
	}
	if _, err := w.PreviewLetter(ctx, Actor{Role: RoleReporter, AgencyID: 7}, nil, domain.Plan{}, domain.Letter{}, FormatPDF); !errors.As(err, &fe) {
		t.Errorf("a reporter reads a letter: %v", err)
	}
	sec := Actor{Kind: ActorUser, Name: "Văn phòng", Role: RoleSecretariat}
	_, err := w.SaveLetter(ctx, sec, LetterInput{PlanID: 2, ID: 1, Version: 1, Parts: letter.Parts{Title: "V/v\u0000", Unit: "V X",
		Request: strings.Repeat("x", MaxDraftText+1), Addressees: []string{"Sở Nội vụ", " ", strings.Repeat("y", MaxDraftItem+1)}}})
	var ve *doc.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want the parts refused: %v", err)
	}
	fields := map[string]bool{}
	for _, f := range ve.Fields {
		fields[f.Field] = true
	}
	for _, f := range []string{"parts.title", "parts.unit", "parts.request", "parts.addressees[1]"} {
		if !fields[f] {
			t.Errorf("%s not refused: %v", f, ve.Fields)
		}
	}
}
