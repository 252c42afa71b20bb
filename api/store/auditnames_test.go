package store_test

import (
	"context"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
)

// TestAuditFilters: the actor filter matches part of a name, the action
// filter a code or part of its Vietnamese name, diacritics ignored.
func TestAuditFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for _, e := range []store.AuditEntry{
			{Actor: "Nguyễn Thị Hoa (hoa.nt)", Role: "secretariat", Action: "report.issue", Resource: "/r/1"},
			{Actor: "Lò Văn Thắng (thang.lv)", Role: "reporter", Action: "progress.submit", Resource: "/p/1"},
			{Actor: "Lò Văn Thắng (thang.lv)", Role: "reporter", Action: "progress.submit.replayed", Resource: "/p/1"},
			{Actor: "100%_an", Role: "auditor", Action: "export.audit", Resource: "/e"},
		} {
			e.At = time.Now()
			if err := st.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			f    store.AuditFilter
			want int
		}{
			{store.AuditFilter{Actor: "Hoa"}, 1},
			{store.AuditFilter{Actor: "thang"}, 2},
			{store.AuditFilter{Actor: "%"}, 1}, // literal, not a wildcard
			{store.AuditFilter{Action: "report.issue"}, 1},
			{store.AuditFilter{Action: "ban hanh"}, 1},
			{store.AuditFilter{Action: "Báo cáo tiến độ"}, 2},
			{store.AuditFilter{Action: "progress"}, 2},
			{store.AuditFilter{Action: "không có"}, 0},
		} {
			c.f.Limit = 100
			items, total, err := st.AuditLog(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != int64(c.want) || len(items) != c.want {
				t.Errorf("%+v: %d entries (total %d), want %d", c.f, len(items), total, c.want)
			}
		}
		if n := store.ActionName("progress.submit.replayed"); n != "Báo cáo tiến độ (gửi lại, không ghi thêm)" {
			t.Errorf("replayed name %q", n)
		}
	})
}
