package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/sample"
)

// TestStrictBodies: every JSON body goes through the strict decoder: a
// body with several problems is answered 422 naming every field with its
// full path, in Vietnamese and English, and stores nothing (on SQLite and
// PostgreSQL).
func TestStrictBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		fixture := fixtureJSON(t, "lai-chau-2024")
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixture), 201).json(t, &p)
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		task := p.Document.Appendices[0].Tasks[0]
		c.expect(c.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{"causes": "Thiếu nhân lực."}}), 201)
		var agencies struct{ Items []domain.Agency }
		c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &agencies)
		if len(agencies.Items) < 2 {
			t.Fatalf("%d agencies", len(agencies.Items))
		}
		agency := fmt.Sprintf("/api/v1/agencies/%d", agencies.Items[1].ID)

		hostile, err := sample.HostilePlan(fixture)
		if err != nil {
			t.Fatal(err)
		}
		versioned := append([]byte(`{"version":1,`), hostile[1:]...)

		// snapshot is what the API shows of everything a body could change.
		snapshot := func() string {
			var b strings.Builder
			for _, path := range []string{"/api/v1/plans", base, base + "/tasks", "/api/v1/agencies", base + "/progress?period=2024-Q1", base + "/reports", base + "/reports/2024-Q1"} {
				b.Write(c.expect(c.do("GET", path, nil), 200).body)
			}
			var users, keys struct{ Items []any }
			c.expect(c.do("GET", "/api/v1/users", nil), 200).json(t, &users)
			c.expect(c.do("GET", "/api/v1/keys", nil), 200).json(t, &keys)
			fmt.Fprintf(&b, "%d users, %d keys", len(users.Items), len(keys.Items))
			return b.String()
		}
		before := snapshot()

		for _, tc := range []struct {
			name, method, path string
			body               any
			fields             []string
		}{
			{"plan", "POST", "/api/v1/plans", hostile, sample.HostileFields},
			{"plan update", "PUT", base, versioned, sample.HostileFields},
			{"stateless render", "POST", "/api/v1/render", hostile, sample.HostileFields},
			{"task", "POST", base + "/tasks", `{"version": 1, "content": "Nhiệm vụ", "CONTENT": "x", "lead": "Sở Nội vụ", "deadline": 30, "priority": "cao"}`,
				[]string{"CONTENT", "lead", "deadline", "priority"}},
			{"task update", "PUT", fmt.Sprintf("%s/tasks/%d", base, task.ID), `{"version": 1, "content": "a", "content": "b", "lead": ["Sở Nội vụ", 1]}`,
				[]string{"content", "lead[1]"}},
			{"task order", "PUT", base + "/tasks/order", `{"version": 1, "appendix": "0", "order": [1, "x"]}`,
				[]string{"appendix", "order[1]"}},
			{"agency", "POST", "/api/v1/agencies", `{"name": "Sở Tư pháp", "Name": "B", "header": "SỞ TƯ PHÁP", "parent_id": "1"}`,
				[]string{"Name", "header", "parent_id"}},
			{"agency update", "PUT", agency, `{"version": 1, "name": "Sở Nội vụ", "aliases": ["Sở NV", 1], "aliases": []}`,
				[]string{"aliases[1]", "aliases"}},
			{"agency merge", "POST", agency + "/merge", `{"into": "7", "version": 1, "force": true}`,
				[]string{"into", "force"}},
			{"progress", "POST", base + "/progress", fmt.Sprintf(`{"task_id": %d, "period": "2024-Q1", "status": "done", "figures": [{"name": "tin", "value": "10", "unit": "bài"}], "Result": "x"}`, task.ID),
				[]string{"figures[0].value", "Result"}},
			{"report draft", "PUT", base + "/reports/2024-Q1", `{"version": 1, "narrative": {"shortcomings": 1, "bogus": "x"}, "as_of": 5}`,
				[]string{"narrative.shortcomings", "narrative.bogus", "as_of"}},
			{"issue", "POST", base + "/reports/2024-Q1/issue", `{"version": 1, "date": 20240320, "number": 5}`,
				[]string{"date", "number"}},
			{"reopen", "POST", base + "/reports/2024-Q1/reopen", `{"version": "1", "x": 1}`,
				[]string{"version", "x"}},
			{"replace", "POST", base + "/reports/2024-Q1/replace", `{"version": 1, "version": 2}`,
				[]string{"version"}},
			{"user", "POST", "/api/v1/users", `{"username": "nguyen.a", "role": "secretariat", "display_name": "Nguyễn A", "password": 1234567890, "mail": "a@b.vn"}`,
				[]string{"password", "mail"}},
			{"key", "POST", "/api/v1/keys", `{"name": "cổng", "scope": "render", "expires_in": 3600, "Scope": "admin"}`,
				[]string{"expires_in", "Scope"}},
			{"malformed JSON", "POST", "/api/v1/plans", "{\"kind\": \"KH\",\n  oops\n}", []string{"$"}},
			{"trailing data", "POST", "/api/v1/agencies", `{"name": "Sở Tư pháp"} {"name": "Sở Y tế"}`, []string{"$"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.expect(c.do(tc.method, tc.path, tc.body), 422)
				pr := r.problem(t)
				var got []string
				for _, e := range pr.Errors {
					got = append(got, e.Field)
					if !strings.Contains(e.Problem, " / ") {
						t.Errorf("%s: problem not in both languages: %q", e.Field, e.Problem)
					}
				}
				if pr.Type != problemBase+"validation" || !slices.Equal(got, tc.fields) {
					t.Errorf("type %s, fields %q, want %q\n%s", pr.Type, got, tc.fields, r.body)
				}
			})
		}
		p2 := c.expect(c.do("POST", "/api/v1/plans", "{\"kind\": \"KH\",\n  oops\n}"), 422).problem(t)
		if !strings.Contains(p2.Errors[0].Problem, "invalid JSON at line 2, column 3 (byte 17)") {
			t.Errorf("malformed JSON: %+v", p2.Errors)
		}
		if after := snapshot(); after != before {
			t.Errorf("a refused body changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}
