package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	code := m.Run()
	storetest.Stop()
	os.Exit(code)
}

// withoutIDs clears the ids a store gives tasks, to compare documents.
func withoutIDs(d *doc.Document) *doc.Document {
	c := *d
	c.Appendices = nil
	for _, a := range d.Appendices {
		a.Tasks = append([]doc.Task(nil), a.Tasks...)
		for i := range a.Tasks {
			a.Tasks[i].ID = 0
		}
		c.Appendices = append(c.Appendices, a)
	}
	return &c
}

func loadFixtures(t *testing.T) map[string]*doc.Document {
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	out := map[string]*doc.Document{"generated": sample.Plan(20)}
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := doc.Decode(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = d
	}
	return out
}

func TestPlanRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for name, d := range loadFixtures(t) {
			p, err := s.CreatePlan(ctx, d)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got, want := withoutIDs(p.Doc), normalised(d); !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("%s: stored document differs from the input:\n%s\nwant\n%s", name, g, w)
			}
		}
	})
}

// normalised is d as the store gives it back: empty lists for appendices
// without tasks.
func normalised(d *doc.Document) *doc.Document {
	c := withoutIDs(d)
	for i := range c.Appendices {
		if c.Appendices[i].Tasks == nil {
			c.Appendices[i].Tasks = []doc.Task{}
		}
	}
	return c
}

func TestUpdateKeepsTaskIdentityAndVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(3))
		if err != nil {
			t.Fatal(err)
		}
		d := p.Doc
		kept := d.Appendices[0].Tasks[2].ID
		d.Appendices[0].Tasks = []doc.Task{d.Appendices[0].Tasks[2], {Content: "Nhiệm vụ mới", Lead: []string{"Sở Nội vụ"}}}
		d.Appendices[0].Tasks[0].Content = "Đã sửa"
		p2, err := s.UpdatePlan(ctx, p.ID, p.Version, d)
		if err != nil {
			t.Fatal(err)
		}
		if p2.Version != p.Version+1 {
			t.Errorf("version %d, want %d", p2.Version, p.Version+1)
		}
		ts := p2.Doc.Appendices[0].Tasks
		if len(ts) != 2 || ts[0].ID != kept || ts[0].Content != "Đã sửa" || ts[1].ID == 0 {
			t.Errorf("tasks after update: %+v", ts)
		}
		// A stale version changes nothing.
		d.Title = "Tiêu đề khác"
		if _, err := s.UpdatePlan(ctx, p.ID, p.Version, d); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale update: %v", err)
		}
		p3, _ := s.GetPlan(ctx, p.ID)
		if p3.Doc.Title == "Tiêu đề khác" || p3.Version != p2.Version {
			t.Error("a stale update changed the plan")
		}
		// A task id of another plan is refused, and nothing changes.
		other, _ := s.CreatePlan(ctx, sample.Plan(1))
		d.Appendices[0].Tasks[0].ID = other.Doc.Appendices[0].Tasks[0].ID
		if _, err := s.UpdatePlan(ctx, p.ID, p2.Version, d); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("foreign task id: %v", err)
		}
		if _, err := s.UpdatePlan(ctx, 9999, 1, d); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing plan: %v", err)
		}
	})
}

func TestListAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := sample.Plan(2)
		b := sample.Plan(3)
		b.Title = "Kế hoạch kiểm tra công vụ năm 2023"
		b.Date = doc.Date{Year: 2023, Month: 5, Day: 2}
		b.Kind = "BC"
		a.Number, b.Number = 20, 7
		for _, d := range []*doc.Document{a, b} {
			if _, err := s.CreatePlan(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			f    store.PlanFilter
			want int64
		}{
			{store.PlanFilter{Query: "tuyen truyen"}, 1},
			{store.PlanFilter{Query: "TUYÊN TRUYỀN cải cách"}, 1},
			{store.PlanFilter{Query: "kiem tra cong vu"}, 1},
			{store.PlanFilter{Query: "100%"}, 0},
			// By number and symbol, as a clerk types them (issue 14).
			{store.PlanFilter{Query: "20/" + a.FullSymbol()}, 1},
			{store.PlanFilter{Query: " số 20/" + strings.ToLower(a.FullSymbol())}, 1},
			{store.PlanFilter{Query: "Số: 07"}, 1},
			{store.PlanFilter{Query: "20/" + b.FullSymbol()}, 0},
			{store.PlanFilter{Query: "7/"}, 1},
			{store.PlanFilter{Year: 2023}, 1},
			{store.PlanFilter{Kind: "KH"}, 1},
			{store.PlanFilter{}, 2},
		}
		for _, c := range cases {
			c.f.Limit = 10
			list, total, err := s.ListPlans(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want || int64(len(list)) != c.want {
				t.Errorf("%+v: %d plans (total %d), want %d", c.f, len(list), total, c.want)
			}
		}
		list, total, _ := s.ListPlans(ctx, store.PlanFilter{Limit: 1, Offset: 1})
		if total != 2 || len(list) != 1 || list[0].Year != 2023 {
			t.Errorf("second page: %+v (total %d)", list, total)
		}
	})
}

func TestAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(2))
		if err != nil {
			t.Fatal(err)
		}
		list, _ := s.ListAgencies(ctx)
		byName := map[string]store.Agency{}
		for _, a := range list {
			byName[a.Name] = a
		}
		issuing := byName["Ủy ban nhân dân tỉnh Lai Châu"]
		if issuing.Symbol != "UBND" || issuing.Place != "Lai Châu" {
			t.Fatalf("issuing agency %+v", issuing)
		}
		lead := byName[p.Doc.Appendices[0].Tasks[0].Lead[0]]
		if err := s.DeleteAgency(ctx, lead.ID, 0); !errors.Is(err, store.ErrInUse) {
			t.Errorf("deleting an agency in use: %v", err)
		}
		a, err := s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Sở Y tế", Symbol: "SYT", Place: "Lai Châu", ParentID: &issuing.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// A name is unique within its parent agency: another province may
		// have its own "Sở Y tế".
		if _, err := s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "sở y  tế", ParentID: &issuing.ID}}); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("duplicate name: %v", err)
		}
		other, err := s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Sở Y tế"}})
		if err != nil || other.ID == a.ID {
			t.Errorf("the same name without the parent: %v", err)
		}
		missing := int64(9999)
		if _, err := s.CreateAgency(ctx, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "X", ParentID: &missing}}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("missing parent: %v", err)
		}
		up, err := s.UpdateAgency(ctx, a.ID, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Sở Y tế tỉnh", Symbol: "SYT"}, Version: a.Version})
		if err != nil || up.Version != a.Version+1 || up.Name != "Sở Y tế tỉnh" {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := s.UpdateAgency(ctx, a.ID, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Y"}, Version: a.Version}); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale update: %v", err)
		}
		if _, err := s.UpdateAgency(ctx, a.ID, store.AgencyInput{AgencyFields: store.AgencyFields{Name: "Y", ParentID: &a.ID}, Version: up.Version}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("own parent: %v", err)
		}
		if err := s.DeleteAgency(ctx, a.ID, up.Version); err != nil {
			t.Errorf("delete: %v", err)
		}
		if _, err := s.GetAgency(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get deleted: %v", err)
		}
	})
}

func TestSchemaCheck(t *testing.T) {
	s, err := store.Open(store.Config{SQLitePath: filepath.Join(t.TempDir(), "x.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckSchema(context.Background()); !errors.Is(err, store.ErrBehind) {
		t.Errorf("fresh database: %v", err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSchema(context.Background()); err != nil {
		t.Errorf("after migrate: %v", err)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Tuyên truyền":             "tuyen truyen",
		"ĐỘC LẬP  Tự do":           "doc lap tu do",
		"Ủy ban nhân dân":          "uy ban nhan dan",
		"Tuye\u0302n truye\u0300n": "tuyen truyen",
	} {
		if got := store.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
