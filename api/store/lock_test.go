package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/progress"
	"baocao/reports/sample"
)

// lockFixture is a plan with a task and a way to report on it.
type lockFixture struct {
	s    *store.Store
	plan store.Plan
}

func newLockFixture(t *testing.T, s *store.Store) lockFixture {
	t.Helper()
	p, err := s.CreatePlan(context.Background(), sample.Plan(2))
	if err != nil {
		t.Fatal(err)
	}
	return lockFixture{s: s, plan: p}
}

func (f lockFixture) submit(period string) error {
	task := f.plan.Doc.Appendices[0].Tasks[0]
	_, err := f.s.Submit(context.Background(), f.plan.ID, store.SubmitInput{TaskID: task.ID,
		Report: progress.Report{Period: period, Agency: task.Lead[0], Status: store.StatusInProgress, SubmittedBy: "Hoa"}}, 16)
	return err
}

func (f lockFixture) issue(period string, version int64, date time.Time, content string) (store.Report, error) {
	return f.s.Issue(context.Background(), store.IssueRequest{PlanID: f.plan.ID, Period: period, Version: version,
		AgencyID: f.plan.AgencyID, Kind: "BC", Date: date,
		Render: func(n int) ([]byte, []byte, error) {
			return []byte(content + " pdf"), []byte(content + " xlsx"), nil
		}})
}

// TestPeriodLock: an issued report locks its period and the quarters it
// covers until it is reopened; reopening keeps it issued.
func TestPeriodLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newLockFixture(t, s)
		for _, code := range []string{"2024-Q1", "2024-Q2", "2024-H1"} {
			if err := f.submit(code); err != nil {
				t.Fatalf("%s before any report: %v", code, err)
			}
		}
		if _, err := s.SaveDraft(ctx, f.plan.ID, "2024-Q1", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		if err := f.submit("2024-Q1"); err != nil {
			t.Fatalf("a draft locks nothing: %v", err)
		}
		q1, err := f.issue("2024-Q1", 1, time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC), "q1")
		if err != nil {
			t.Fatal(err)
		}
		err = f.submit("2024-Q1")
		var le *store.LockedError
		if !errors.Is(err, store.ErrLocked) || !errors.As(err, &le) || le.Report.ID != q1.ID || le.Report.Number != 1 {
			t.Fatalf("Q1 submission after Q1 issued: %v", err)
		}
		if err := f.submit("2024-Q2"); err != nil {
			t.Fatalf("Q2 is not covered by Q1: %v", err)
		}
		if err := f.submit("2024-H1"); err != nil {
			t.Fatalf("H1 is not covered by Q1: %v", err)
		}
		// H1 issued: Q1, Q2 and H1 locked, Q3 not.
		if _, err := s.SaveDraft(ctx, f.plan.ID, "2024-H1", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		h1, err := f.issue("2024-H1", 1, time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), "h1")
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"2024-Q1", "2024-Q2", "2024-H1"} {
			if err := f.submit(code); !errors.Is(err, store.ErrLocked) {
				t.Errorf("%s after H1 issued: %v", code, err)
			}
		}
		if err := f.submit("2024-Q3"); err != nil {
			t.Errorf("Q3 after H1 issued: %v", err)
		}
		// Reopen H1: Q2 and H1 open again, Q1 still locked by its own report.
		if _, err := s.Reopen(ctx, f.plan.ID, "2024-H1", h1.Version+1); !errors.Is(err, store.ErrStale) {
			t.Errorf("reopen with a stale version: %v", err)
		}
		r, err := s.Reopen(ctx, f.plan.ID, "2024-H1", h1.Version)
		if err != nil || r.Status != store.ReportIssued || r.ReopenedAt == nil || r.Locks() || r.Version != h1.Version+1 {
			t.Fatalf("reopen: %+v %v", r, err)
		}
		if _, err := s.Reopen(ctx, f.plan.ID, "2024-H1", r.Version); !errors.Is(err, store.ErrNotLocked) {
			t.Errorf("second reopen: %v", err)
		}
		if _, err := s.Reopen(ctx, f.plan.ID, "2024-Q3", 1); !errors.Is(err, store.ErrNotLocked) {
			t.Errorf("reopen of a period without a report: %v", err)
		}
		for _, code := range []string{"2024-Q2", "2024-H1"} {
			if err := f.submit(code); err != nil {
				t.Errorf("%s after H1 reopened: %v", code, err)
			}
		}
		if err := f.submit("2024-Q1"); !errors.Is(err, store.ErrLocked) {
			t.Errorf("Q1 after H1 reopened: %v", err)
		}
		data, err := s.ReportFile(ctx, f.plan.ID, "2024-H1", "pdf")
		if err != nil || string(data) != "h1 pdf" {
			t.Errorf("a reopened report's file: %q %v", data, err)
		}
	})
}

// TestReplace: a replacement draft, once issued, gets the next number and
// marks the report it replaces; the replaced report's files stay.
func TestReplace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newLockFixture(t, s)
		if _, err := s.Replace(ctx, f.plan.ID, "2024-Q1", 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("replace without an issued report: %v", err)
		}
		if _, err := s.SaveDraft(ctx, f.plan.ID, "2024-Q1", "Tiêu đề", `{"causes":"x"}`, 0); err != nil {
			t.Fatal(err)
		}
		old, err := f.issue("2024-Q1", 1, time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC), "old")
		if err != nil {
			t.Fatal(err)
		}
		// Another report of the agency takes 02 meanwhile.
		if _, err := s.SaveDraft(ctx, f.plan.ID, "2024-Q2", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.issue("2024-Q2", 1, time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), "q2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveDraft(ctx, f.plan.ID, "2024-Q1", "", "{}", 0); !errors.Is(err, store.ErrIssued) {
			t.Errorf("a new draft beside an issued report: %v", err)
		}
		if _, err := s.Replace(ctx, f.plan.ID, "2024-Q1", old.Version+1); !errors.Is(err, store.ErrStale) {
			t.Errorf("replace with a stale version: %v", err)
		}
		d, err := s.Replace(ctx, f.plan.ID, "2024-Q1", old.Version)
		if err != nil || d.Status != store.ReportDraft || d.Replaces != old.ID || d.Title != "Tiêu đề" || d.Narrative != `{"causes":"x"}` {
			t.Fatalf("replacement draft %+v %v", d, err)
		}
		if _, err := s.Replace(ctx, f.plan.ID, "2024-Q1", old.Version); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("a second replacement draft: %v", err)
		}
		// The period's current report is the draft; the old one is in force.
		if cur, _ := s.GetReport(ctx, f.plan.ID, "2024-Q1"); cur.ID != d.ID {
			t.Errorf("current report %+v", cur)
		}
		if in, _ := s.IssuedReport(ctx, f.plan.ID, "2024-Q1"); in.ID != old.ID {
			t.Errorf("report in force %+v", in)
		}
		asOf := "2024-11-02"
		d, err = s.SaveReportDraft(ctx, store.Draft{PlanID: f.plan.ID, Period: "2024-Q1", Title: "Tiêu đề mới", Narrative: "{}", AsOf: &asOf, Version: d.Version})
		if err != nil || d.AsOf != asOf || d.Replaces != old.ID {
			t.Fatalf("edit the replacement draft: %+v %v", d, err)
		}
		d, err = s.SaveDraft(ctx, f.plan.ID, "2024-Q1", "Tiêu đề mới", "{}", d.Version)
		if err != nil || d.AsOf != asOf {
			t.Fatalf("an edit without as-of keeps it: %+v %v", d, err)
		}
		if _, err := f.issue("2024-Q1", d.Version, time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC), "new"); err != nil {
			t.Fatal(err)
		}
		nw, _ := s.GetReportByID(ctx, f.plan.ID, d.ID)
		if nw.Status != store.ReportIssued || nw.Number != 3 || nw.Replaces != old.ID || nw.AsOf != "2024-11-05" || !nw.Locks() {
			t.Errorf("the replacement issued: %+v", nw)
		}
		was, _ := s.GetReportByID(ctx, f.plan.ID, old.ID)
		if was.Status != store.ReportReplaced || was.ReplacedBy != d.ID || was.Number != 1 || was.PDFSHA256 != old.PDFSHA256 {
			t.Errorf("the replaced report: %+v", was)
		}
		for format, want := range map[string]string{"pdf": "old pdf", "xlsx": "old xlsx"} {
			if data, err := s.ReportFileByID(ctx, f.plan.ID, old.ID, format); err != nil || !bytes.Equal(data, []byte(want)) {
				t.Errorf("replaced report's %s: %q %v", format, data, err)
			}
		}
		if data, _ := s.ReportFile(ctx, f.plan.ID, "2024-Q1", "pdf"); string(data) != "new pdf" {
			t.Errorf("the period's file is %q", data)
		}
		list, _ := s.PeriodReports(ctx, f.plan.ID, "2024-Q1")
		if len(list) != 2 || list[0].ID != old.ID || list[1].ID != d.ID {
			t.Errorf("history %+v", list)
		}
		all, _ := s.ListReports(ctx, f.plan.ID)
		if len(all) != 3 {
			t.Errorf("%d reports listed", len(all))
		}
		// And again: the replacement can be replaced.
		d2, err := s.Replace(ctx, f.plan.ID, "2024-Q1", nw.Version)
		if err != nil || d2.Replaces != nw.ID {
			t.Fatalf("replace the replacement: %+v %v", d2, err)
		}
		if d2.AsOf != "" {
			t.Errorf("a new replacement draft starts with the default as-of, not %q", d2.AsOf)
		}
	})
}

// TestReportMigration: 00007 applies on a database with reports,
// keeping them and their files.
func TestReportMigration(t *testing.T) {
	run := func(t *testing.T, cfg store.Config) {
		ctx := context.Background()
		s, err := store.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MigrateTo(ctx, 6); err != nil {
			t.Fatal(err)
		}
		// The plan as that older baocao stored it (the store's own methods
		// need the current schema).
		for _, q := range []string{
			`INSERT INTO agencies (id, name, name_key, created_at, updated_at) VALUES (1, 'Ủy ban nhân dân tỉnh Lai Châu', 'ủy ban nhân dân tỉnh lai châu', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			`INSERT INTO plans (id, kind, date, year, agency_id, title, title_key, created_at, updated_at) VALUES (1, 'KH', '2024-01-05', 2024, 1, 'Kế hoạch', 'ke hoach', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		} {
			if err := s.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		f := lockFixture{s: s, plan: store.Plan{ID: 1}}
		blob := "X'66726f7a656e'" // "frozen"
		if !s.Embedded() {
			blob = "'\\x66726f7a656e'::bytea"
		}
		for _, values := range []string{
			fmt.Sprintf("%d, '2024-Q1', 'issued', 1, '2024-03-20', %s, 'abc', %s, 2", f.plan.ID, blob, blob),
			fmt.Sprintf("%d, '2024-Q2', 'draft', 0, '', NULL, '', NULL, 1", f.plan.ID),
		} {
			if err := s.Exec(ctx, "INSERT INTO reports (plan_id, period, status, number, issued_on, pdf, pdf_sha256, xlsx, version, created_at, updated_at) VALUES ("+
				values+", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		q1, err := s.GetReport(ctx, f.plan.ID, "2024-Q1")
		if err != nil || q1.Status != store.ReportIssued || q1.Number != 1 || q1.AsOf != "2024-03-20" || !q1.Locks() {
			t.Fatalf("issued report after the migration: %+v %v", q1, err)
		}
		if data, err := s.ReportFile(ctx, f.plan.ID, "2024-Q1", "pdf"); err != nil || string(data) != "frozen" {
			t.Errorf("frozen file after the migration: %q %v", data, err)
		}
		q2, err := s.GetReport(ctx, f.plan.ID, "2024-Q2")
		if err != nil || q2.Status != store.ReportDraft || q2.AsOf != "" {
			t.Fatalf("draft after the migration: %+v %v", q2, err)
		}
		// New reports go on from the old ids; the one-draft rule holds.
		if _, err := s.Replace(ctx, f.plan.ID, "2024-Q1", q1.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.Exec(ctx, fmt.Sprintf("INSERT INTO reports (plan_id, period, status, version, created_at, updated_at) VALUES (%d, '2024-Q1', 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", f.plan.ID)); err == nil {
			t.Error("a second draft of a period was stored")
		}
		if err := s.Exec(ctx, fmt.Sprintf("UPDATE reports SET status = 'replaced' WHERE id = %d", q1.ID)); err == nil {
			t.Error("a replaced report without its successor was stored")
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, store.Config{SQLitePath: filepath.Join(t.TempDir(), "old.db")}) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresConfig(t)) })
}
