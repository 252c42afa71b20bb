package demo_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"

	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/agency"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	code := m.Run()
	storetest.Stop()
	os.Exit(code)
}

const station = "Đài Phát thanh – Truyền hình tỉnh"

// TestLoadAgencies: the Lai Châu station's three spellings are one agency,
// its submissions carry its one name, and text that names no agency makes
// none.
func TestLoadAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		all, err := st.ListAgencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var stations []domain.Agency
		for _, a := range all {
			if strings.Contains(a.Name, "Phát thanh") && strings.HasSuffix(a.Name, "tỉnh") {
				stations = append(stations, a)
			}
			if !agency.IsName(a.Name) {
				t.Errorf("agency %q is no agency's name", a.Name)
			}
		}
		if len(stations) != 1 || stations[0].Name != station ||
			!reflect.DeepEqual(stations[0].Aliases, []string{"Đài Phát thanh Truyền hình tỉnh", "Đài Phát thanh và truyền hình tỉnh"}) {
			t.Fatalf("station agencies %+v", stations)
		}
		if stations[0].ParentID == nil {
			t.Error("the station is not under the province")
		}
		plans, _, err := st.ListPlans(ctx, domain.PlanFilter{Query: "Lai Châu", Limit: 10})
		if err != nil || len(plans) != 1 {
			t.Fatalf("Lai Châu plan: %v %v", plans, err)
		}
		leads, err := st.LeadAgencies(ctx, plans[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.GetPlan(ctx, plans[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		tasks := p.Doc.Appendices[0].Tasks
		if got := leads[tasks[11].ID]; !reflect.DeepEqual(got, []string{station}) {
			t.Errorf("task 12 leads %q", got)
		}
		if got := leads[tasks[13].ID]; !reflect.DeepEqual(got, []string{"Báo Lai Châu", station, "Văn phòng UBND tỉnh"}) {
			t.Errorf("task 14 leads %q", got)
		}
		subs, err := st.Submissions(ctx, plans[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range subs {
			if s.AgencyID == stations[0].ID {
				n++
				if s.Agency != station {
					t.Errorf("submission %d by %q", s.ID, s.Agency)
				}
			}
		}
		if n != 3 {
			t.Errorf("the station has %d submissions, want 3", n)
		}
		for _, a := range all {
			for _, bad := range []string{"Theo Kế hoạch", "Các ", "UBND các", "UBND cấp", "Thủ trưởng", "Trưởng phòng", "Tổ công nghệ", "2. "} {
				if strings.HasPrefix(a.Name, bad) {
					t.Errorf("agency made of %q", a.Name)
				}
			}
		}
	})
}
