package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
)

// routeTable is who may call each route: A administrator, S secretariat,
// R agency reporter, U auditor, K render-only key; "*" is public. It is
// written out here, not derived from the server's rules, so that a change
// of rule fails this test until the table is changed too.
var routeTable = map[string]string{
	"GET /healthz":                                                  "*",
	"GET /readyz":                                                   "*",
	"GET /metrics":                                                  "*",
	"GET /api/v1/openapi.json":                                      "*",
	"GET /api/v1/me":                                                "ASRUK",
	"GET /api/v1/agencies":                                          "ASRU",
	"POST /api/v1/agencies":                                         "AS",
	"GET /api/v1/agencies/:id":                                      "ASRU",
	"PUT /api/v1/agencies/:id":                                      "AS",
	"DELETE /api/v1/agencies/:id":                                   "AS",
	"POST /api/v1/agencies/:id/merge":                               "AS",
	"GET /api/v1/plans":                                             "ASRU",
	"POST /api/v1/plans":                                            "AS",
	"GET /api/v1/plans/:id":                                         "ASRU",
	"PUT /api/v1/plans/:id":                                         "AS",
	"DELETE /api/v1/plans/:id":                                      "AS",
	"GET /api/v1/plans/:id/tasks":                                   "ASRU",
	"POST /api/v1/plans/:id/tasks":                                  "AS",
	"PUT /api/v1/plans/:id/tasks/order":                             "AS",
	"PUT /api/v1/plans/:id/tasks/:task":                             "AS",
	"DELETE /api/v1/plans/:id/tasks/:task":                          "AS",
	"POST /api/v1/plans/:id/import":                                 "AS",
	"POST /api/v1/plans/:id/progress":                               "AR",
	"GET /api/v1/plans/:id/progress":                                "ASRU",
	"GET /api/v1/plans/:id/status":                                  "ASRU",
	"GET /api/v1/dashboard":                                         "ASRU",
	"GET /api/v1/plans/:id/reports":                                 "ASRU",
	"GET /api/v1/plans/:id/reports/:name":                           "ASRU",
	"PUT /api/v1/plans/:id/reports/:name":                           "AS",
	"POST /api/v1/plans/:id/reports/:period/issue":                  "AS",
	"POST /api/v1/plans/:id/reports/:period/reopen":                 "AS",
	"POST /api/v1/plans/:id/reports/:period/replace":                "AS",
	"GET /api/v1/plans/:id/reports/:period/history":                 "ASRU",
	"GET /api/v1/plans/:id/reports/:period/history/:file":           "ASRU",
	"GET /api/v1/plans/:id/letters":                                 "ASU",
	"POST /api/v1/plans/:id/letters":                                "AS",
	"GET /api/v1/plans/:id/letters/:name":                           "ASU",
	"PUT /api/v1/plans/:id/letters/:name":                           "AS",
	"POST /api/v1/plans/:id/letters/:letter/issue":                  "AS",
	"GET /api/v1/plans/:id/letters/:letter/to-sign.pdf":             "AS",
	"PUT /api/v1/plans/:id/letters/:letter/signed":                  "AS",
	"POST /api/v1/plans/:id/letters/:letter/organisation-signature": "AS",
	"GET /api/v1/plans/:id/letters/:letter/signatures":              "ASU",
	"POST /api/v1/plans/:id/issue":                                  "AS",
	"POST /api/v1/plans/:id/reopen":                                 "AS",
	"GET /api/v1/plans/:id/issues":                                  "ASRU",
	"GET /api/v1/plans/:id/to-sign.pdf":                             "AS",
	"PUT /api/v1/plans/:id/signed":                                  "AS",
	"POST /api/v1/plans/:id/organisation-signature":                 "AS",
	"GET /api/v1/plans/:id/signatures":                              "ASRU",
	"GET /api/v1/plans/:id/document.pdf":                            "ASRU",
	"GET /api/v1/plans/:id/document.docx":                           "ASRU",
	"GET /api/v1/plans/:id/appendix.docx":                           "ASRU",
	"GET /api/v1/plans/:id/appendix.pdf":                            "ASRU",
	"GET /api/v1/plans/:id/appendix.xlsx":                           "ASRU",
	"POST /api/v1/render":                                           "ASRUK",
	"GET /api/v1/exports/progress.csv":                              "ASU",
	"GET /api/v1/exports/progress.xlsx":                             "ASU",
	"GET /api/v1/audit":                                             "AU",
	"GET /api/v1/exports/audit.csv":                                 "AU",
	"GET /api/v1/users":                                             "A",
	"POST /api/v1/users":                                            "A",
	"GET /api/v1/keys":                                              "A",
	"POST /api/v1/keys":                                             "A",
	"DELETE /api/v1/keys/:id":                                       "A",
	"GET /static/*":                                                 "*",
	"GET /login":                                                    "*",
	"POST /login":                                                   "*",
	"POST /logout":                                                  "ASRU",
	"GET /":                                                         "ASRU",
	"GET /plans":                                                    "ASRU",
	"GET /plans/:id":                                                "ASRU",
	"GET /plans/:id/tasks/:task/progress":                           "ASRU",
	"POST /plans/:id/tasks/:task/progress":                          "R",
	"GET /plans/:id/reports/:period":                                "ASU",
	"POST /plans/:id/reports/:period":                               "AS",
	"POST /plans/:id/reports/:period/issue":                         "AS",
	"POST /plans/:id/reports/:period/reopen":                        "AS",
	"POST /plans/:id/reports/:period/replace":                       "AS",
	"POST /plans/:id/letters":                                       "AS",
	"GET /plans/:id/letters/:letter":                                "ASU",
	"POST /plans/:id/letters/:letter":                               "AS",
	"POST /plans/:id/letters/:letter/issue":                         "AS",
	"POST /plans/:id/letters/:letter/signed":                        "AS",
	"POST /plans/:id/letters/:letter/organisation-signature":        "AS",
	"GET /exports":                                                  "ASU",
	"GET /audit":                                                    "AU",
	"GET /plans/new":                                                "AS",
	"POST /plans/new":                                               "AS",
	"POST /plans/new/preview":                                       "AS",
	"GET /plans/:id/edit":                                           "AS",
	"POST /plans/:id/edit":                                          "AS",
	"POST /plans/:id/preview":                                       "AS",
	"GET /plans/:id/tasks":                                          "AS",
	"GET /plans/:id/tasks/new":                                      "AS",
	"POST /plans/:id/tasks/new":                                     "AS",
	"GET /plans/:id/tasks/:task/edit":                               "AS",
	"POST /plans/:id/tasks/:task/edit":                              "AS",
	"POST /plans/:id/tasks/:task/move":                              "AS",
	"POST /plans/:id/tasks/:task/delete":                            "AS",
	"GET /plans/:id/import":                                         "AS",
	"POST /plans/:id/import":                                        "AS",
	"POST /plans/:id/import/confirm":                                "AS",
	"GET /agencies":                                                 "AS",
	"GET /agencies/new":                                             "AS",
	"POST /agencies/new":                                            "AS",
	"GET /agencies/:id/edit":                                        "AS",
	"POST /agencies/:id/edit":                                       "AS",
	"POST /agencies/:id/merge":                                      "AS",
	"GET /users":                                                    "A",
	"POST /users":                                                   "A",
	"POST /users/:id/disable":                                       "A",
	"POST /users/:id/enable":                                        "A",
	"POST /users/:id/password":                                      "A",
	"GET /keys":                                                     "A",
	"POST /keys":                                                    "A",
	"POST /keys/:id/revoke":                                         "A",
	"GET /account/password":                                         "ASRU",
	"POST /account/password":                                        "ASRU",
	"GET /api/v1/plans/:id/reports/:period/to-sign.pdf":             "AS",
	"PUT /api/v1/plans/:id/reports/:period/signed":                  "AS",
	"POST /api/v1/plans/:id/reports/:period/organisation-signature": "AS",
	"GET /api/v1/plans/:id/reports/:period/signatures":              "ASRU",
	"POST /api/v1/verify":                                           "ASRU",
	"POST /plans/:id/reports/:period/signed":                        "AS",
	"POST /plans/:id/issue":                                         "AS",
	"POST /plans/:id/reopen":                                        "AS",
	"POST /plans/:id/signed":                                        "AS",
	"POST /plans/:id/organisation-signature":                        "AS",
	"POST /plans/:id/reports/:period/organisation-signature":        "AS",
	"GET /verify":                                                   "ASRU",
	"POST /verify":                                                  "ASRU",
	"GET /api/v1/jobs":                                              "A",
	"GET /api/v1/jobs/:id":                                          "ASRUK",
	"GET /api/v1/jobs/:id/result":                                   "ASRUK",
	"GET /jobs":                                                     "A",
	"POST /api/v1/plans/:id/progress/:submission/return":            "AS",
	"POST /plans/:id/tasks/:task/progress/:submission/return":       "AS",
	"GET /dashboard":                                                "ASRU",
	"GET /dashboard/tasks":                                          "ASRU",
	"GET /my-tasks":                                                 "R",
	"POST /plans/:id/reports/:period/preview":                       "AS",
}

var roleLetters = map[byte]string{'A': auth.RoleAdmin, 'S': auth.RoleSecretariat, 'R': auth.RoleReporter,
	'U': auth.RoleAuditor, 'K': auth.ScopeRender}

// TestRoleByRoute walks every route with every role (and anonymously)
// and checks the answer against routeTable: allowed calls get past the
// access check (whatever the handler then says about the empty body),
// refused ones get 403, anonymous ones 401 (the API) or the login page.
func TestRoleByRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		admin := newClient(t, st, Config{Jobs: testJobs(t, st, false, nil)})
		var plan planJSON
		admin.expect(admin.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &plan)
		task := plan.Document.Appendices[0].Tasks[0]
		agency := agencyID(t, admin, task.Lead[0])

		rules := admin.srv.Rules()
		var served []string
		for k := range rules {
			served = append(served, k)
		}
		sort.Strings(served)
		for _, k := range served {
			if _, ok := routeTable[k]; !ok {
				t.Errorf("route %s is not in the role table", k)
			}
		}
		for k := range routeTable {
			if _, ok := rules[k]; !ok {
				t.Errorf("the role table names %s, which is not served", k)
			}
		}

		clients := map[byte]*client{0: admin.as("", 0)}
		for l, role := range roleLetters {
			ag := int64(0)
			if role == auth.RoleReporter {
				ag = agency
			}
			clients[l] = admin.as(role, ag)
		}
		path := func(route string) string {
			del := strings.HasPrefix(route, "DELETE ")
			p := strings.SplitN(route, " ", 2)[1]
			r := strings.NewReplacer(":id", fmt.Sprint(plan.ID), ":task", fmt.Sprint(task.ID), ":name", "2024-Q1",
				":period", "2024-Q1", ":submission", "999999", "*", "style.css")
			if del { // deletes aim at nothing, so that allowed ones change nothing
				r = strings.NewReplacer(":id", fmt.Sprint(plan.ID), ":task", "999999", "agencies/:id", "agencies/999999", "keys/:id", "keys/999999")
				if route == "DELETE /api/v1/plans/:id" {
					r = strings.NewReplacer(":id", fmt.Sprint(plan.ID))
				}
			}
			return r.Replace(p)
		}
		for _, route := range served {
			want := routeTable[route]
			method := strings.SplitN(route, " ", 2)[0]
			url := path(route)
			for _, l := range []byte{0, 'A', 'S', 'R', 'U', 'K'} {
				c := clients[l]
				var body any
				headers := []string{}
				if method == http.MethodPost || method == http.MethodPut {
					body = "{}"
				}
				if route == "DELETE /api/v1/plans/:id" {
					headers = append(headers, "If-Match", `"v999"`) // a stale version: refused after the check
				}
				r := c.do(method, url, body, headers...)
				who := string(l)
				if l == 0 {
					who = "anonymous"
				}
				allowed := want == "*" || (l != 0 && strings.IndexByte(want, l) >= 0)
				switch {
				case want == "*" && r.status >= 500:
					t.Errorf("%s as %s: %d", route, who, r.status)
				case want == "*":
					// Public: no role is checked (a login form without its token is still refused).
				case allowed && (r.status == 401 || r.status == 403 || r.status >= 500):
					t.Errorf("%s as %s: %d, want it allowed: %.200s", route, who, r.status, r.body)
				case !allowed && l == 0 && strings.HasPrefix(url, "/api/") && r.status != 401:
					t.Errorf("%s anonymously: %d, want 401", route, r.status)
				case !allowed && l == 0 && !strings.HasPrefix(url, "/api/") && (r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login")):
					t.Errorf("%s anonymously: %d %q, want a redirect to /login", route, r.status, r.header.Get("Location"))
				case !allowed && l != 0 && r.status != 403:
					t.Errorf("%s as %s: %d, want 403: %.200s", route, who, r.status, r.body)
				}
			}
		}
		// Nothing the walk did may have changed the plan.
		var after planJSON
		admin.expect(admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", plan.ID), nil), 200).json(t, &after)
		if after.Version != plan.Version {
			t.Errorf("the plan changed during the walk: version %d → %d", plan.Version, after.Version)
		}
	})
}

// agencyUnder finds an agency by name through the API: the one whose
// parent is the given agency (the plan's province) when names repeat.
func agencyUnder(t *testing.T, c *client, name string, parent int64) int64 {
	t.Helper()
	var list struct{ Items []domain.Agency }
	c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
	var found []domain.Agency
	for _, a := range list.Items {
		if a.Name == name {
			found = append(found, a)
		}
	}
	for _, a := range found {
		if len(found) == 1 || (a.ParentID != nil && *a.ParentID == parent) {
			return a.ID
		}
	}
	t.Fatalf("no agency %q under %d", name, parent)
	return 0
}

// agencyID finds an agency by name through the API.
func agencyID(t *testing.T, c *client, name string) int64 {
	t.Helper()
	var list struct{ Items []domain.Agency }
	c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
	for _, a := range list.Items {
		if a.Name == name {
			return a.ID
		}
	}
	t.Fatalf("no agency %q", name)
	return 0
}

// TestCookieChangesNeedCSRF: every route that changes something refuses a
// cookie session that does not send the session's CSRF token, whatever
// the role (the administrator's session here).
func TestCookieChangesNeedCSRF(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	mustUser(t, f.st, "quantri", auth.RoleAdmin, 0)
	b := newWebClient(t, f.admin.base)
	if r := b.login("quantri", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.status)
	}
	task := f.plan.Document.Appendices[0].Tasks[0]
	for route, roles := range f.admin.srv.Rules() {
		method, path, _ := strings.Cut(route, " ")
		if roles == nil || method == http.MethodGet {
			continue
		}
		url := strings.NewReplacer(":id", fmt.Sprint(f.plan.ID), ":task", fmt.Sprint(task.ID), ":name", "2024-Q1", ":period", "2024-Q1").Replace(path)
		ctype, body := "application/json", "{}"
		if !strings.HasPrefix(path, "/api/") {
			ctype, body = "application/x-www-form-urlencoded", "status=done&version=1"
		}
		req, _ := http.NewRequest(method, b.base+url, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		res, err := b.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s with a session and no CSRF token: %d, want 403", route, res.StatusCode)
		}
	}
	var after planJSON
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", f.plan.ID), nil), 200).json(t, &after)
	if after.Version != f.plan.Version || f.submissions(t) != 0 {
		t.Error("a request without its CSRF token changed something")
	}
}

// TestReporterOfAnotherAgency: a reporter whose agency the plan does not
// involve is refused every route of the plan, pages and API.
func TestReporterOfAnotherAgency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		var other domain.Agency
		f.admin.expect(f.admin.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Tư pháp tỉnh khác"}), 201).json(t, &other)
		rep := f.admin.as(auth.RoleReporter, other.ID)
		task := f.plan.Document.Appendices[0].Tasks[0]
		n := 0
		for route := range f.admin.srv.Rules() {
			method, path, _ := strings.Cut(route, " ")
			if !strings.Contains(path, "/plans/:id") {
				continue
			}
			n++
			url := strings.NewReplacer(":id", fmt.Sprint(f.plan.ID), ":task", fmt.Sprint(task.ID), ":name", "2024-Q1", ":period", "2024-Q1").Replace(path)
			var body any
			if method != http.MethodGet && method != http.MethodDelete {
				body = "{}"
			}
			if r := rep.do(method, url, body); r.status != http.StatusForbidden {
				t.Errorf("%s for a reporter of another agency: %d", route, r.status)
			}
		}
		if n < 20 {
			t.Errorf("only %d plan routes walked", n)
		}
		var list struct{ Total int64 }
		rep.expect(rep.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
		if list.Total != 0 {
			t.Errorf("a reporter of another agency lists %d plans", list.Total)
		}
	})
}
