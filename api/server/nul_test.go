package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
)

// routeParams are the query parameters each route reads (every route
// gets an unknown one, "x", too: a control character is refused in any).
var routeParams = map[string][]string{
	"GET /api/v1/plans":                 {"q", "kind", "year", "agency_id", "page", "per_page"},
	"GET /api/v1/plans/:id/progress":    {"period"},
	"GET /api/v1/plans/:id/status":      {"period", "as_of"},
	"POST /api/v1/plans/:id/import":     {"mode", "appendix", "dry_run"},
	"POST /api/v1/render":               {"doc", "format", "async", "webhook"},
	"GET /api/v1/jobs":                  {"kind", "state", "limit"},
	"GET /api/v1/dashboard":             {"period"},
	"GET /api/v1/exports/progress.csv":  {"year", "period", "plan", "agency", "status"},
	"GET /api/v1/exports/progress.xlsx": {"year", "period", "plan", "agency", "status"},
	"GET /api/v1/audit":                 {"actor", "action", "from", "to", "page"},
	"GET /api/v1/exports/audit.csv":     {"actor", "action", "from", "to"},
	"GET /plans":                        {"q", "page"},
	"GET /plans/:id":                    {"period"},
	"GET /audit":                        {"actor", "action", "from", "to", "page"},
	"GET /jobs":                         {"kind", "state"},
	"GET /dashboard":                    {"period", "sort", "dir"},
	"GET /dashboard/tasks":              {"period", "plan", "lead", "count"},
	"GET /my-tasks":                     {"period"},
	"GET /login":                        {"next"},
}

// auditCount is the number of entries in the trail: every change and
// export is recorded, so an unchanged count means nothing was stored.
func auditCount(t *testing.T, st *store.Store) int64 {
	t.Helper()
	_, n, err := st.AuditLog(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// withNUL returns a copy of body (JSON) with "\x00" put into the field at
// path ("narrative.results", "header.0", "appendices.0.tasks.0.lead.0").
func withNUL(t *testing.T, body map[string]any, path string) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	var cur any = out
	keys := strings.Split(path, ".")
	for i, k := range keys {
		last := i == len(keys)-1
		switch v := cur.(type) {
		case map[string]any:
			if last {
				s, _ := v[k].(string)
				v[k] = s[:len(s)/2] + "\x00" + s[len(s)/2:]
			} else {
				cur = v[k]
			}
		case []any:
			n, _ := strconv.Atoi(k)
			if last {
				s, _ := v[n].(string)
				v[n] = s + "\x00"
			} else {
				cur = v[n]
			}
		default:
			t.Fatalf("%s: no such field in the body", path)
		}
	}
	return out
}

// fieldName is the API's name of a path: "header.0" → "header[0]".
func fieldName(path string) string {
	var b strings.Builder
	for i, k := range strings.Split(path, ".") {
		if _, err := strconv.Atoi(k); err == nil {
			fmt.Fprintf(&b, "[%s]", k)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(k)
	}
	return b.String()
}

func TestNULEverywhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		admin := f.admin
		tasks := f.plan.Document.Appendices[0].Tasks
		plan := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
		var ag struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		}
		admin.expect(admin.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Xây dựng", "symbol": "SXD"}), 201).json(t, &ag)
		var key struct {
			Key struct{ ID int64 } `json:"key"`
		}
		admin.expect(admin.do("POST", "/api/v1/keys", map[string]any{"name": "ứng dụng", "scope": "render"}), 201).json(t, &key)

		t.Run("query parameters", func(t *testing.T) {
			web := newWebClient(t, admin.base)
			web.login("vanphong", testPassword)
			audWeb := newWebClient(t, admin.base)
			audWeb.login("kiemtra", testPassword)
			csrf := web.csrf("/plans")
			rep := newWebClient(t, admin.base)
			rep.login("coquan", testPassword)
			repCSRF := rep.csrf("/plans")
			mustUser(t, st, "quantri", auth.RoleAdmin, 0) // the administrators' pages
			adminWeb := newWebClient(t, admin.base)
			adminWeb.login("quantri", testPassword)
			adminCSRF := adminWeb.csrf("/plans")
			var routes []string
			for k := range routeTable {
				routes = append(routes, k)
			}
			sort.Strings(routes)
			repl := strings.NewReplacer("/agencies/:id", fmt.Sprintf("/agencies/%d", ag.ID), "/keys/:id", fmt.Sprintf("/keys/%d", key.Key.ID),
				":id", fmt.Sprint(f.plan.ID), ":task", fmt.Sprint(tasks[0].ID), ":name", "2024-Q1", ":period", "2024-Q1", ":file", "1.pdf", ":submission", "1", "*", "style.css")
			for _, route := range routes {
				method, path, _ := strings.Cut(route, " ")
				if path == "/metrics" || path == "/healthz" || path == "/readyz" || path == "/static/*" || path == "/api/v1/openapi.json" || route == "POST /logout" {
					continue // no parameters, no database text
				}
				path = repl.Replace(path)
				for _, name := range append(routeParams[route], "x") {
					before := auditCount(t, st)
					for _, v := range []string{"%00", "a%00b", "%01", "%C2%80", "%FF"} {
						target := path + "?" + name + "=" + v
						var r response
						switch {
						case strings.HasPrefix(path, "/api/"):
							r = admin.do(method, target, nil)
						case routeTable[route] == "A" && method == "GET":
							r = adminWeb.get(target)
						case routeTable[route] == "A":
							r = adminWeb.post(target, url.Values{"csrf": {adminCSRF}})
						case method == "GET" && path == "/audit":
							r = audWeb.get(target)
						case method == "GET" && path == "/jobs":
							r = adminWeb.get(target)
						case method == "GET" && path == "/my-tasks":
							r = rep.get(target)
						case method == "GET":
							r = web.get(target)
						case route == "POST /plans/:id/tasks/:task/progress":
							r = rep.post(target, url.Values{"csrf": {repCSRF}})
						default:
							r = web.post(target, url.Values{"csrf": {csrf}})
						}
						if r.status != 422 {
							t.Errorf("%s %s: %d, want 422: %.300s", method, target, r.status, r.body)
							continue
						}
						if strings.HasPrefix(path, "/api/") {
							var p Problem
							r.json(t, &p)
							if !hasField(p, name) {
								t.Errorf("%s %s: the problem does not name %s: %+v", method, target, name, p)
							}
						} else if !strings.Contains(string(r.body), name+":") {
							t.Errorf("%s %s: the page does not name %s", method, target, name)
						}
					}
					if after := auditCount(t, st); after != before {
						t.Errorf("%s ?%s: %d audit entries added by refused requests", route, name, after-before)
					}
				}
			}
		})

		t.Run("bodies", func(t *testing.T) {
			var planBody map[string]any
			if err := json.Unmarshal(fixtureJSON(t, "lai-chau-2024"), &planBody); err != nil {
				t.Fatal(err)
			}
			planFields := []string{"title", "body", "symbol", "agency.name", "agency.symbol", "agency.place", "appendices.0.tasks.0.content",
				"appendices.0.tasks.0.lead.0", "appendices.0.tasks.0.deadline", "recipients.0", "signature.signer", "date", "kind"}
			planBody["symbol"] = "KH-UBND"
			putPlan := map[string]any{}
			for k, v := range planBody {
				putPlan[k] = v
			}
			putPlan["version"] = f.plan.Version
			agencyBody := map[string]any{"name": "Sở Tư pháp", "short_name": "STP", "symbol": "STP", "place": "Lai Châu",
				"header": []any{"SỞ TƯ PHÁP"}, "aliases": []any{"Sở Tư pháp tỉnh"}}
			putAgency := map[string]any{"version": ag.Version}
			for k, v := range agencyBody {
				putAgency[k] = v
			}
			putAgency["name"] = "Sở Xây dựng"
			taskBody := map[string]any{"version": f.plan.Version, "content": "Tuyên truyền", "output": "Tin bài", "deadline": "Quý II",
				"note": "Ghi chú", "lead": []any{"Văn phòng UBND tỉnh"}, "cooperating": []any{"Sở Nội vụ"}}
			taskFields := []string{"content", "output", "deadline", "note", "lead.0", "cooperating.0"}
			progressBody := map[string]any{"task_id": tasks[0].ID, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "done",
				"completed_on": "2024-03-10", "result": "Đã đăng tin", "difficulties": "Thiếu người", "proposals": "Bổ sung người",
				"submitted_by": "Nguyễn Văn A", "figures": []any{map[string]any{"name": "tin bài", "value": 10, "unit": "bài"}}}
			reportBody := map[string]any{"title": "Báo cáo quý I", "as_of": "2024-03-01", "narrative": map[string]any{
				"assessment": "Tốt", "results": "Kết quả", "shortcomings": "Tồn tại", "causes": "Nguyên nhân", "directions": "Phương hướng",
				"proposals": "Đề xuất", "addressees": []any{"Bộ Nội vụ"}, "recipients": []any{"Như trên"}}}
			cases := []struct {
				method, path string
				body         map[string]any
				fields       []string
				headers      []string
			}{
				{"POST", "/api/v1/agencies", agencyBody, []string{"name", "short_name", "symbol", "place", "header.0", "aliases.0"}, nil},
				{"PUT", fmt.Sprintf("/api/v1/agencies/%d", ag.ID), putAgency, []string{"name", "short_name", "symbol", "place", "header.0", "aliases.0"}, nil},
				{"POST", "/api/v1/plans", planBody, planFields, nil},
				{"PUT", plan, putPlan, planFields, nil},
				{"POST", plan + "/tasks", taskBody, taskFields, nil},
				{"PUT", fmt.Sprintf("%s/tasks/%d", plan, tasks[1].ID), taskBody, taskFields, nil},
				{"POST", plan + "/progress", progressBody, []string{"period", "agency", "status", "completed_on", "result", "difficulties",
					"proposals", "submitted_by", "figures.0.name", "figures.0.unit"}, nil},
				{"PUT", plan + "/reports/2024-Q1", reportBody, []string{"title", "as_of", "narrative.assessment", "narrative.results",
					"narrative.shortcomings", "narrative.causes", "narrative.directions", "narrative.proposals", "narrative.addressees.0",
					"narrative.recipients.0"}, nil},
				{"POST", plan + "/letters", map[string]any{"period": "2024-Q1", "parts": map[string]any{"title": "đôn đốc báo cáo",
					"opening": "Thực hiện", "request": "Đề nghị", "unit": "VX", "addressees": []any{"Sở Nội vụ"}, "recipients": []any{"Như trên"}}},
					[]string{"period", "parts.title", "parts.opening", "parts.request", "parts.unit", "parts.addressees.0", "parts.recipients.0"}, nil},
				{"POST", "/api/v1/render", planBody, []string{"title", "body", "agency.name", "appendices.0.tasks.0.content"}, []string{"Accept", "application/pdf"}},
				{"POST", "/api/v1/users", map[string]any{"username": "nguoidung", "display_name": "Người dùng", "role": auth.RoleAuditor,
					"password": "mat-khau-dai-du"}, []string{"username", "display_name", "role"}, nil},
				{"POST", "/api/v1/keys", map[string]any{"name": "ứng dụng khác", "scope": "render", "expires_in": "24h"}, []string{"name", "scope", "expires_in"}, nil},
			}
			for _, k := range cases {
				for _, field := range k.fields {
					before := auditCount(t, st)
					r := admin.do(k.method, k.path, withNUL(t, k.body, field), k.headers...)
					name := fieldName(field)
					if r.status < 400 || r.status >= 500 {
						t.Errorf("%s %s with NUL in %s: %d, want 4xx: %.300s", k.method, k.path, name, r.status, r.body)
						continue
					}
					var p Problem
					r.json(t, &p)
					if !hasField(p, name) {
						t.Errorf("%s %s with NUL in %s: the problem does not name it: %+v", k.method, k.path, name, p)
					}
					if after := auditCount(t, st); after != before {
						t.Errorf("%s %s with NUL in %s: something was stored (%d audit entries)", k.method, k.path, name, after-before)
					}
				}
			}
		})

		t.Run("forms", func(t *testing.T) {
			rep := newWebClient(t, admin.base)
			rep.login("coquan", testPassword)
			form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
			csrf := rep.csrf(form)
			good := url.Values{"csrf": {csrf}, "status": {"done"}, "completed_on": {"2024-03-10"}, "result": {"Xong"},
				"difficulties": {"Không"}, "proposals": {"Không"}, "figure_name": {"Tin"}, "figure_value": {"3"}, "figure_unit": {"bài"}}
			for _, field := range []string{"status", "completed_on", "result", "difficulties", "proposals", "figure_name", "figure_unit"} {
				v := url.Values{}
				for k, vs := range good {
					v[k] = append([]string(nil), vs...)
				}
				v.Set(field, v.Get(field)+"\x00")
				before := auditCount(t, st)
				r := rep.post(form, v)
				if r.status != 422 {
					t.Errorf("progress form with NUL in %s: %d", field, r.status)
				}
				if after := auditCount(t, st); after != before {
					t.Errorf("progress form with NUL in %s: stored", field)
				}
			}
			sec := newWebClient(t, admin.base)
			sec.login("vanphong", testPassword)
			page := fmt.Sprintf("/plans/%d/reports/2024-Q1", f.plan.ID)
			csrf = sec.csrf(page)
			for _, field := range []string{"title", "assessment", "results", "shortcomings", "causes", "directions", "proposals", "addressees", "recipients", "as_of"} {
				before := auditCount(t, st)
				r := sec.post(page, url.Values{"csrf": {csrf}, "version": {"0"}, field: {"Có\x00"}})
				if r.status != 422 {
					t.Errorf("report form with NUL in %s: %d", field, r.status)
				}
				if after := auditCount(t, st); after != before {
					t.Errorf("report form with NUL in %s: stored", field)
				}
			}
			// A login with NUL in the user name is a failed login (401),
			// recorded with the name escaped, on both databases.
			anon := newWebClient(t, admin.base)
			if r := anon.login("van\x00phong", testPassword); r.status != 401 {
				t.Errorf("login with NUL: %d", r.status)
			}
			entries, _, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "login.failed", Limit: 1})
			if err != nil || len(entries) != 1 || entries[0].Actor != "van%00phong" {
				t.Errorf("failed login's entry: %+v %v", entries, err)
			}
		})

		t.Run("path with NUL is audited", func(t *testing.T) {
			// The auditor may not delete a key: refused (403) and recorded,
			// the path stored with the NUL escaped.
			aud := admin.as(auth.RoleAuditor, 0)
			before := auditCount(t, st)
			if r := aud.do("DELETE", "/api/v1/keys/%00", nil); r.status != 403 {
				t.Errorf("DELETE /keys/%%00 as an auditor: %d", r.status)
			}
			entries, n, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "denied", Limit: 1})
			if err != nil || n == 0 || auditCount(t, st) != before+1 || entries[0].Resource != "/api/v1/keys/%00" {
				t.Fatalf("the refusal is not recorded with the path escaped: %+v %v", entries, err)
			}
			// And the audit export streams it whole.
			r := admin.do("GET", "/api/v1/exports/audit.csv", nil)
			if r.status != 200 || !strings.Contains(string(r.body), "/api/v1/keys/%00") {
				t.Errorf("audit export: %d %.300s", r.status, r.body)
			}
		})
	})
}
