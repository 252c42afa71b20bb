package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/agency"
	"baocao/reports/doc"
	"baocao/reports/progress"
)

const (
	station      = "Đài Phát thanh – Truyền hình tỉnh"
	stationPlain = "Đài Phát thanh Truyền hình tỉnh"    // task 12's lead
	stationAnd   = "Đài Phát thanh và truyền hình tỉnh" // task 14's second lead
)

func fixture(t *testing.T, name string) *doc.Document {
	t.Helper()
	d, err := doc.ReadFile(filepath.Join("../../testdata/plans", name))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// taskID is the id of a stored plan's task by its number (STT), counted
// across appendices from 1.
func taskID(t *testing.T, p store.Plan, n int) int64 {
	t.Helper()
	for _, a := range p.Doc.Appendices {
		if n <= len(a.Tasks) {
			return a.Tasks[n-1].ID
		}
		n -= len(a.Tasks)
	}
	t.Fatalf("no task %d", n)
	return 0
}

func agenciesNamed(t *testing.T, s *store.Store, part string) []store.Agency {
	t.Helper()
	all, err := s.ListAgencies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Agency
	for _, a := range all {
		if strings.Contains(a.Name, part) {
			out = append(out, a)
		}
	}
	return out
}

func submit(t *testing.T, s *store.Store, p store.Plan, task int64, period, agencyName string, at time.Time) (store.Submission, error) {
	t.Helper()
	return s.SubmitAt(context.Background(), p.ID, store.SubmitInput{TaskID: task, Report: progress.Report{Period: period,
		Agency: agencyName, Status: store.StatusInProgress, SubmittedBy: "Tẩn Thị Mai"}}, p.Doc.ReportDueDay, at)
}

// TestAliasesResolve: the Lai Châu station's three spellings are one
// agency once its aliases are declared, on plan creation and on submit;
// entries that name no agency make none, and keep their text.
func TestAliasesResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		lc := fixture(t, "lai-chau-2024.json")
		if err := s.DeclareAgencies(ctx, lc.Agency, []agency.Entry{{Name: station, Aliases: []string{stationPlain, stationAnd}}}); err != nil {
			t.Fatal(err)
		}
		p, err := s.CreatePlan(ctx, lc)
		if err != nil {
			t.Fatal(err)
		}
		st := agenciesNamed(t, s, "Phát thanh")
		if len(st) != 1 || st[0].Name != station || !reflect.DeepEqual(st[0].Aliases, []string{stationPlain, stationAnd}) {
			t.Fatalf("station agencies: %+v", st)
		}
		leads, err := s.LeadAgencies(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := leads[taskID(t, p, 12)]; !reflect.DeepEqual(got, []string{station}) {
			t.Errorf("task 12 leads %q", got)
		}
		if got := leads[taskID(t, p, 14)]; !reflect.DeepEqual(got, []string{"Báo Lai Châu", station, "Văn phòng UBND tỉnh"}) {
			t.Errorf("task 14 leads %q", got)
		}
		// The document keeps the plan's own spellings.
		if got := p.Doc.Appendices[0].Tasks[13].Lead[1]; got != stationAnd {
			t.Errorf("task 14's written lead %q", got)
		}
		// Task 14 writes "và truyền hình"; the station reports as it
		// writes itself elsewhere: it is matched by identity.
		sub, err := submit(t, s, p, taskID(t, p, 14), "2024-Q1", stationPlain, time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if sub.Agency != station || sub.AgencyID != st[0].ID {
			t.Errorf("submission agency %q %d", sub.Agency, sub.AgencyID)
		}
		subs, err := s.Submissions(ctx, p.ID)
		if err != nil || len(subs) != 1 || subs[0].Agency != station {
			t.Errorf("submissions %+v %v", subs, err)
		}
		for _, who := range []string{"Sở Nội vụ", "Các Sở, ban, ngành tỉnh", "Không có cơ quan này"} {
			if _, err := submit(t, s, p, taskID(t, p, 14), "2024-Q1", who, time.Now()); !errors.Is(err, store.ErrForbidden) {
				t.Errorf("%s reported on task 14: %v", who, err)
			}
		}
		// Thanh Trì: "Theo Kế hoạch của tỉnh" and the groups are no agency;
		// two spellings differing in case are one.
		tt := fixture(t, "thanh-tri-2022.json")
		p2, err := s.CreatePlan(ctx, tt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(withoutIDs(p2.Doc), normalised(tt)) {
			t.Error("Thanh Trì plan changed on the way through the store")
		}
		for _, bad := range []string{"Theo Kế hoạch", "Các ban", "UBND các", "Các Sở", "Các cơ quan"} {
			if got := agenciesNamed(t, s, bad); len(got) > 0 {
				t.Errorf("agency made of %q: %+v", bad, got)
			}
		}
		if got := agenciesNamed(t, s, "ruyền thanh huyện"); len(got) != 1 {
			t.Errorf("Đài Truyền thanh huyện: %+v", got)
		}
	})
}

// TestAliasConflicts: an alias that is another agency's name or alias in
// the same scope is refused naming the field; other scopes are free.
func TestAliasConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mk := func(name string, parent *int64, aliases ...string) (store.Agency, error) {
			return s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: name, ParentID: parent}, Aliases: &aliases})
		}
		lc, err := mk("Ủy ban nhân dân tỉnh Lai Châu", nil)
		if err != nil {
			t.Fatal(err)
		}
		bd, _ := mk("Ủy ban nhân dân tỉnh Bình Định", nil)
		a, err := mk("Sở Nội vụ", &lc.ID, "Sở NV", "sở nv", "Sở Nội vụ")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Aliases, []string{"Sở NV"}) {
			t.Errorf("aliases %q: repeats and the own name are dropped", a.Aliases)
		}
		conflict := func(err error, field string) {
			t.Helper()
			var ce *store.ConflictError
			if !errors.As(err, &ce) || ce.Field != field || !errors.Is(err, store.ErrDuplicate) {
				t.Errorf("want a conflict on %s, got %v", field, err)
			}
		}
		_, err = mk("Sở Tư pháp", &lc.ID, "Sở TP", "SỞ NV")
		conflict(err, "aliases[1]")
		_, err = mk("Sở Tư pháp", &lc.ID, "Sở Nội vụ")
		conflict(err, "aliases[0]")
		_, err = mk("Sở NV", &lc.ID)
		conflict(err, "name")
		// Another province may have its own Sở Nội vụ, and call it Sở NV.
		b, err := mk("Sở Nội vụ", &bd.ID, "Sở NV")
		if err != nil {
			t.Fatal(err)
		}
		tp, err := mk("Sở Tư pháp", &lc.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := store.AgencyInput{AgencyFields: tp.AgencyFields, Version: tp.Version, Aliases: &[]string{"Sở NV"}}
		_, err = s.UpdateAgency(ctx, tp.ID, in)
		conflict(err, "aliases[0]")
		// Update without aliases keeps them.
		in = store.AgencyInput{AgencyFields: a.AgencyFields, Version: a.Version}
		in.ShortName = "SNV"
		a2, err := s.UpdateAgency(ctx, a.ID, in)
		if err != nil || !reflect.DeepEqual(a2.Aliases, []string{"Sở NV"}) {
			t.Errorf("update kept aliases %q: %v", a2.Aliases, err)
		}
		// Lists show the province where names repeat, in Vietnamese order.
		all, err := s.ListAgencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, x := range all {
			labels = append(labels, x.Label)
		}
		want := []string{"Sở Nội vụ (Ủy ban nhân dân tỉnh Bình Định)", "Sở Nội vụ (Ủy ban nhân dân tỉnh Lai Châu)", "Sở Tư pháp",
			"Ủy ban nhân dân tỉnh Bình Định", "Ủy ban nhân dân tỉnh Lai Châu"}
		if !reflect.DeepEqual(labels, want) {
			t.Errorf("labels %q, want %q", labels, want)
		}
		if g, err := s.GetAgency(ctx, b.ID); err != nil || g.Label != want[0] || !reflect.DeepEqual(g.Aliases, []string{"Sở NV"}) {
			t.Errorf("get %+v %v", g, err)
		}
	})
}

// TestMergeAgency merges the Lai Châu station's second spelling into the
// first, with submissions, a user, a key, numbering and a child agency on
// both sides.
func TestMergeAgency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		lc := fixture(t, "lai-chau-2024.json")
		// Task 14 names the station twice, in both spellings.
		t14 := &lc.Appendices[0].Tasks[13]
		t14.Lead = append(t14.Lead, stationPlain)
		p, err := s.CreatePlan(ctx, lc)
		if err != nil {
			t.Fatal(err)
		}
		into, src := agenciesNamed(t, s, stationPlain), agenciesNamed(t, s, stationAnd)
		if len(into) != 1 || len(src) != 1 {
			t.Fatalf("two station agencies expected: %+v %+v", into, src)
		}
		dst, from := into[0], src[0]
		from, err = s.UpdateAgency(ctx, from.ID, store.AgencyInput{AgencyFields: from.AgencyFields, Version: from.Version, Aliases: &[]string{"Đài PT-TH tỉnh"}})
		if err != nil {
			t.Fatal(err)
		}
		child, err := s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Phòng Thời sự", ParentID: &from.ID}})
		if err != nil {
			t.Fatal(err)
		}
		day := func(d int) time.Time { return time.Date(2024, 3, d, 8, 0, 0, 0, time.UTC) }
		for _, x := range []struct {
			task int
			who  string
			at   int
		}{{12, stationPlain, 2}, {14, stationAnd, 1}, {14, stationPlain, 3}, {14, stationAnd, 5}} {
			if _, err := submit(t, s, p, taskID(t, p, x.task), "2024-Q1", x.who, day(x.at)); err != nil {
				t.Fatal(err)
			}
		}
		u, err := s.CreateUser(ctx, store.UserInput{Username: "daipt", Role: "reporter", AgencyID: from.ID, Password: "mật khẩu dài đủ 12"})
		if err != nil {
			t.Fatal(err)
		}
		k, _, err := s.CreateKey(ctx, store.KeyInput{Name: "đài", Scope: "reporter", AgencyID: from.ID})
		if err != nil {
			t.Fatal(err)
		}
		issue := func(period string, agencyID int64) int {
			t.Helper()
			if _, err := s.SaveDraft(ctx, p.ID, period, "", "{}", 0); err != nil {
				t.Fatal(err)
			}
			r, err := s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: period, Version: 1, AgencyID: agencyID, Kind: "BC",
				Date:   time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC),
				Render: func(int) ([]byte, []byte, error) { return []byte("pdf"), []byte("xlsx"), nil }})
			if err != nil {
				t.Fatal(err)
			}
			return r.Number
		}
		issue("2024-Q1", from.ID)
		issue("2024-Q2", from.ID)
		issue("2024-Q3", from.ID)
		issue("2024-Q4", dst.ID)

		// Refusals, which change nothing.
		if _, err := s.MergeAgency(ctx, from.ID, dst.ID, from.Version-1); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale version: %v", err)
		}
		if _, err := s.MergeAgency(ctx, from.ID, from.ID, from.Version); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("into itself: %v", err)
		}
		if _, err := s.MergeAgency(ctx, from.ID, child.ID, from.Version); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("into its child: %v", err)
		}
		if _, err := s.MergeAgency(ctx, 99999, dst.ID, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing agency: %v", err)
		}
		if _, err := s.MergeAgency(ctx, from.ID, 99999, from.Version); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing target: %v", err)
		}

		got, err := s.MergeAgency(ctx, from.ID, dst.ID, from.Version)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Aliases, []string{stationAnd, "Đài PT-TH tỉnh"}) || got.Version != dst.Version+1 {
			t.Errorf("merged agency %+v", got)
		}
		if _, err := s.GetAgency(ctx, from.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the merged agency is still there: %v", err)
		}
		leads, err := s.LeadAgencies(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if g := leads[taskID(t, p, 14)]; !reflect.DeepEqual(g, []string{"Báo Lai Châu", stationPlain, "Văn phòng UBND tỉnh"}) {
			t.Errorf("task 14 leads after the merge %q", g)
		}
		p2, err := s.GetPlan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p2.Doc.Appendices[0].Tasks[13].Lead, t14.Lead) {
			t.Errorf("written leads changed: %q", p2.Doc.Appendices[0].Tasks[13].Lead)
		}
		subs, err := s.Submissions(ctx, p.ID)
		if err != nil || len(subs) != 4 {
			t.Fatalf("submissions %d %v", len(subs), err)
		}
		var revs []int
		for _, x := range subs {
			if x.AgencyID != dst.ID || x.Agency != stationPlain {
				t.Errorf("submission %d by %d %q", x.ID, x.AgencyID, x.Agency)
			}
			if x.TaskID == taskID(t, p, 14) {
				revs = append(revs, x.Revision)
			}
		}
		if !reflect.DeepEqual(revs, []int{1, 2, 3}) {
			t.Errorf("task 14's revisions by time: %v", revs)
		}
		if gu, err := s.GetUser(ctx, u.ID); err != nil || gu.AgencyID != dst.ID {
			t.Errorf("user agency %d %v", gu.AgencyID, err)
		}
		keys, err := s.ListKeys(ctx)
		if err != nil || len(keys) != 1 || keys[0].ID != k.ID || keys[0].AgencyID != dst.ID {
			t.Errorf("keys %+v %v", keys, err)
		}
		if c, err := s.GetAgency(ctx, child.ID); err != nil || c.ParentID == nil || *c.ParentID != dst.ID {
			t.Errorf("child %+v %v", c, err)
		}
		// The merged counters keep the larger number: the next is 04.
		if n := issue("2024-H1", dst.ID); n != 4 {
			t.Errorf("next number %d, want 4", n)
		}
		// The old name now means the target, in submissions and plans.
		// (Q3's issued report locks it until it is reopened.)
		q3, err := s.GetReport(ctx, p.ID, "2024-Q3")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reopen(ctx, p.ID, "2024-Q3", q3.Version); err != nil {
			t.Fatal(err)
		}
		if x, err := submit(t, s, p, taskID(t, p, 14), "2024-Q3", stationAnd, day(10)); err != nil || x.AgencyID != dst.ID {
			t.Errorf("submit under the merged name: %+v %v", x, err)
		}
		if _, err := s.CreatePlan(ctx, fixture(t, "lai-chau-2024.json")); err != nil {
			t.Fatal(err)
		}
		if got := agenciesNamed(t, s, "Phát thanh"); len(got) != 1 {
			t.Errorf("station agencies after the merge and a new plan: %+v", got)
		}
	})
}

// TestMigrateOldDatabase: migration 00006 applies on a database that an
// older baocao filled, keeping its task assignments.
func TestMigrateOldDatabase(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			ctx := context.Background()
			cfg := store.Config{SQLitePath: filepath.Join(t.TempDir(), "old.db")}
			if db == "postgres" {
				cfg = storetest.PostgresConfig(t)
			}
			s, err := store.Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.MigrateTo(ctx, 5); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`INSERT INTO agencies (id, name, name_key, created_at, updated_at) VALUES (1, 'Ủy ban nhân dân tỉnh Lai Châu', 'ủy ban nhân dân tỉnh lai châu', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				`INSERT INTO agencies (id, name, name_key, parent_id, created_at, updated_at) VALUES (2, 'Sở Nội vụ', 'sở nội vụ @1', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				`INSERT INTO plans (id, kind, date, year, agency_id, title, title_key, created_at, updated_at) VALUES (1, 'KH', '2024-01-05', 2024, 1, 'Kế hoạch', 'ke hoach', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				`INSERT INTO appendices (id, plan_id, position, title) VALUES (1, 1, 0, 'Phụ lục')`,
				`INSERT INTO tasks (id, plan_id, appendix_id, position, content, created_at, updated_at) VALUES (1, 1, 1, 0, 'Nhiệm vụ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				`INSERT INTO task_agencies (task_id, role, position, agency_id, written_as) VALUES (1, 'lead', 0, 2, 'Sở Nội vụ')`,
			} {
				if err := s.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if db == "postgres" {
				for _, tbl := range []string{"agencies", "plans", "appendices", "tasks"} {
					if err := s.Exec(ctx, "SELECT setval('"+tbl+"_id_seq', 10)"); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			leads, err := s.LeadAgencies(ctx, 1)
			if err != nil || !reflect.DeepEqual(leads, map[int64][]string{1: {"Sở Nội vụ"}}) {
				t.Errorf("leads %v %v", leads, err)
			}
			p, err := s.GetPlan(ctx, 1)
			if err != nil || p.Doc.Appendices[0].Tasks[0].Lead[0] != "Sở Nội vụ" {
				t.Fatalf("plan %+v %v", p, err)
			}
			a, err := s.GetAgency(ctx, 2)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.UpdateAgency(ctx, 2, store.AgencyInput{AgencyFields: a.AgencyFields, Version: a.Version, Aliases: &[]string{"Sở NV"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := submit(t, s, p, 1, "2024-Q1", "Sở NV", time.Now()); err != nil {
				t.Errorf("submit under an alias after migrating: %v", err)
			}
		})
	}
}

// TestConcurrentNewAgency: clerks of several offices store plans at the
// same moment that name the same agencies for the first time (the issuing
// district and a lead agency under it). Every plan is stored, and each
// agency exists once: a transaction that meets the agency another one has
// just created takes it instead of failing with a duplicate.
func TestConcurrentNewAgency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const clerks = 8
		var wg sync.WaitGroup
		errs := make(chan error, clerks)
		for i := range clerks {
			d := fixture(t, "lai-chau-2024.json")
			d.Agency = doc.Agency{Name: "UBND huyện Tam Đường Mới", Symbol: "UBND", Place: "Tam Đường",
				Parent: &doc.Agency{Name: "UBND tỉnh Lai Châu Mới"}}
			d.Number = i + 1
			d.Appendices[0].Tasks[0].Lead = []string{"Phòng Văn hóa và Thông tin huyện Tam Đường Mới"}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreatePlan(context.Background(), d)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("a plan naming a new agency, stored at the same time as others: %v", err)
			}
		}
		for _, name := range []string{"UBND huyện Tam Đường Mới", "UBND tỉnh Lai Châu Mới", "Phòng Văn hóa và Thông tin huyện Tam Đường Mới"} {
			if got := agenciesNamed(t, s, name); len(got) != 1 {
				t.Errorf("%s: %d agencies, want one", name, len(got))
			}
		}
	})
}
