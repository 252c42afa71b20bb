package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/progress"
)

// TestAgencyAliasesAndMerge: aliases through the API, their conflicts,
// and the merge endpoint's refusals, success and audit entry.
func TestAgencyAliasesAndMerge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		create := func(body map[string]any) domain.Agency {
			t.Helper()
			var a domain.Agency
			c.expect(c.do("POST", "/api/v1/agencies", body), 201).json(t, &a)
			return a
		}
		lc := create(map[string]any{"name": "Ủy ban nhân dân tỉnh Lai Châu"})
		bd := create(map[string]any{"name": "Ủy ban nhân dân tỉnh Bình Định"})
		r := c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Nội vụ", "parent_id": lc.ID}), 201)
		if !strings.Contains(string(r.body), `"aliases":[]`) {
			t.Errorf("aliases not shown as []: %s", r.body)
		}
		var snv domain.Agency
		r.json(t, &snv)
		create(map[string]any{"name": "Sở Nội vụ", "parent_id": bd.ID})
		station := create(map[string]any{"name": "Đài Phát thanh – Truyền hình tỉnh", "parent_id": lc.ID,
			"aliases": []string{"Đài Phát thanh Truyền hình tỉnh"}})
		if len(station.Aliases) != 1 {
			t.Fatalf("aliases %q", station.Aliases)
		}
		// An alias that is another agency's name or alias in the scope.
		p := c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Đài Truyền hình", "parent_id": lc.ID,
			"aliases": []string{"Sở Tư pháp", "đài phát thanh truyền hình tỉnh"}}), 409).problem(t)
		if !hasField(p, "aliases[1]") || p.Type != problemBase+"duplicate" {
			t.Errorf("alias conflict %+v", p)
		}
		p = c.expect(c.do("PUT", fmt.Sprintf("/api/v1/agencies/%d", snv.ID), map[string]any{"name": "Sở Nội vụ",
			"parent_id": lc.ID, "version": snv.Version, "aliases": []string{"Đài Phát thanh – Truyền hình tỉnh"}}), 409).problem(t)
		if !hasField(p, "aliases[0]") {
			t.Errorf("alias conflict on update %+v", p)
		}
		p = c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "X", "aliases": []string{""}}), 422).problem(t)
		if !hasField(p, "aliases[0]") {
			t.Errorf("empty alias %+v", p)
		}
		// The list tells the two Sở Nội vụ apart.
		var list struct{ Items []domain.Agency }
		c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
		var labels []string
		for _, a := range list.Items {
			labels = append(labels, a.Label)
		}
		want := "Đài Phát thanh – Truyền hình tỉnh|Sở Nội vụ (Ủy ban nhân dân tỉnh Bình Định)|Sở Nội vụ (Ủy ban nhân dân tỉnh Lai Châu)|Ủy ban nhân dân tỉnh Bình Định|Ủy ban nhân dân tỉnh Lai Châu"
		if got := strings.Join(labels, "|"); got != want {
			t.Errorf("labels\n%s\nwant\n%s", got, want)
		}

		// A second spelling of the station, with a progress submission and
		// a reporter's key, to merge into the station.
		dup := create(map[string]any{"name": "Đài Phát thanh và truyền hình tỉnh", "parent_id": lc.ID})
		plan := c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201)
		var created struct{ ID int64 }
		plan.json(t, &created)
		pl, err := st.GetPlan(context.Background(), created.ID)
		if err != nil {
			t.Fatal(err)
		}
		task14 := pl.Doc.Appendices[0].Tasks[13].ID
		if _, err := st.SubmitAt(context.Background(), pl.ID, domain.SubmitInput{TaskID: task14, Report: progress.Report{Period: "2024-Q1",
			Agency: "Đài Phát thanh và truyền hình tỉnh", Status: "in_progress", SubmittedBy: "Tẩn Thị Mai"}}, 16, time.Now()); err != nil {
			t.Fatal(err)
		}
		dupReporter := c.as(auth.RoleReporter, dup.ID)
		merge := fmt.Sprintf("/api/v1/agencies/%d/merge", dup.ID)
		body := map[string]any{"into": station.ID, "version": dup.Version}
		c.expect(c.as(auth.RoleAuditor, 0).do("POST", merge, body), 403)
		c.expect(dupReporter.do("POST", merge, body), 403)
		c.expect(c.as("", 0).do("POST", merge, body), 401)
		c.expect(c.do("POST", "/api/v1/agencies/99999/merge", body), 404)
		c.expect(c.do("POST", merge, map[string]any{"into": 99999, "version": dup.Version}), 404)
		for _, bad := range []map[string]any{{"version": dup.Version}, {"into": dup.ID, "version": dup.Version}} {
			if p := c.expect(c.do("POST", merge, bad), 422).problem(t); !hasField(p, "into") {
				t.Errorf("%v: %+v", bad, p)
			}
		}
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/agencies/%d", lc.ID), nil), 200).json(t, &lc)
		p = c.expect(c.do("POST", fmt.Sprintf("/api/v1/agencies/%d/merge", lc.ID), map[string]any{"into": snv.ID, "version": lc.Version}), 422).problem(t)
		if !hasField(p, "into") || !strings.Contains(p.Errors[0].Problem, "descendant") {
			t.Errorf("into a descendant: %+v", p)
		}
		if p := c.expect(c.do("POST", merge, `{"into": 1, "colour": 2}`), 422).problem(t); !hasField(p, "colour") {
			t.Errorf("unknown field %+v", p)
		}
		c.expect(c.do("POST", merge, map[string]any{"into": station.ID}), 428)
		if p := c.expect(c.do("POST", merge, map[string]any{"into": station.ID, "version": dup.Version + 1}), 409).problem(t); p.Type != problemBase+"stale-version" {
			t.Errorf("stale %+v", p)
		}
		var merged domain.Agency
		r = c.expect(c.do("POST", merge, body), 200)
		r.json(t, &merged)
		if merged.ID != station.ID || strings.Join(merged.Aliases, "|") != "Đài Phát thanh Truyền hình tỉnh|Đài Phát thanh và truyền hình tỉnh" ||
			r.header.Get("ETag") != etagOf(merged.Version) {
			t.Errorf("merged %+v", merged)
		}
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/agencies/%d", dup.ID), nil), 404)
		// The submission and the key moved with it.
		var subs struct{ Items []domain.Submission }
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", pl.ID), nil), 200).json(t, &subs)
		if len(subs.Items) != 1 || subs.Items[0].AgencyID != station.ID || subs.Items[0].Agency != station.Name {
			t.Errorf("submissions after the merge %+v", subs.Items)
		}
		var me struct {
			AgencyID int64 `json:"agency_id"`
		}
		dupReporter.expect(dupReporter.do("GET", "/api/v1/me", nil), 200).json(t, &me)
		if me.AgencyID != station.ID {
			t.Errorf("the merged agency's key acts for %d", me.AgencyID)
		}
		var trail struct{ Items []store.AuditEntry }
		c.expect(c.do("GET", "/api/v1/audit?action=agency.merge", nil), 200).json(t, &trail)
		if len(trail.Items) != 1 || trail.Items[0].Resource != merge || !strings.Contains(trail.Items[0].Detail, "gộp cơ quan") || trail.Items[0].Status != 200 {
			t.Errorf("audit %+v", trail.Items)
		}
	})
}
