package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/period"
)

// browser is a cookie-keeping web client that does not follow redirects.
type webClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newWebClient(t *testing.T, base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: base, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *webClient) get(path string) response {
	b.t.Helper()
	res, err := b.hc.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: data}
}

func (b *webClient) post(path string, form url.Values) response {
	b.t.Helper()
	res, err := b.hc.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: data}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// csrf reads the form token of a page.
func (b *webClient) csrf(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfField.FindSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("%s has no CSRF field (status %d)", path, r.status)
	}
	return string(m[1])
}

func (b *webClient) login(username, password string) response {
	b.t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}, "csrf": {b.csrf("/login")}})
}

func (b *webClient) cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

const testPassword = "mật-khẩu-thử-nghiệm"

func mustUser(t *testing.T, st *store.Store, username, role string, agency int64) {
	t.Helper()
	if _, err := st.CreateUser(context.Background(), domain.UserInput{Username: username, Role: role, AgencyID: agency, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
}

// peopleFixture is a server with the Lai Châu plan and one user per role;
// the reporter's agency leads the plan's first task and not its fourth.
type peopleFixture struct {
	admin  *client
	st     *store.Store
	plan   planJSON
	agency int64
	cfg    store.Config // the database, when several instances share it
}

func newPeopleFixture(t *testing.T, st *store.Store, cfg Config) *peopleFixture {
	f := &peopleFixture{admin: newClient(t, st, cfg), st: st}
	f.admin.expect(f.admin.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &f.plan)
	return f.withUsers(t)
}

// newDemoFixture is newPeopleFixture over the demo data: the five seed
// plans, and the recorded progress of Lai Châu (f.plan).
func newDemoFixture(t *testing.T) *peopleFixture {
	st := storetest.SQLite(t)
	if err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	f := &peopleFixture{admin: newClient(t, st, Config{}), st: st}
	var list struct{ Items []domain.PlanSummary }
	f.admin.expect(f.admin.do("GET", "/api/v1/plans?q=lai+chau", nil), 200).json(t, &list)
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d", list.Items[0].ID), nil), 200).json(t, &f.plan)
	return f.withUsers(t)
}

func (f *peopleFixture) withUsers(t *testing.T) *peopleFixture {
	st := f.st
	f.agency = agencyUnder(t, f.admin, f.plan.Document.Appendices[0].Tasks[0].Lead[0], f.plan.AgencyID)
	mustUser(t, st, "vanphong", auth.RoleSecretariat, 0)
	mustUser(t, st, "coquan", auth.RoleReporter, f.agency)
	mustUser(t, st, "kiemtra", auth.RoleAuditor, 0)
	return f
}

func (f *peopleFixture) submissions(t *testing.T) int {
	var list struct{ Items []domain.Submission }
	f.admin.expect(f.admin.do("GET", fmt.Sprintf("/api/v1/plans/%d/progress?period=2024-Q1", f.plan.ID), nil), 200).json(t, &list)
	return len(list.Items)
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		b := newWebClient(t, f.admin.base)
		// Wrong password, unknown user: the same answer, no session.
		for _, u := range []string{"vanphong", "khongco"} {
			r := b.login(u, "sai-mật-khẩu-rồi")
			if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "Tên đăng nhập hoặc mật khẩu không đúng") {
				t.Errorf("wrong login of %s: %d %s", u, r.status, r.body)
			}
			if b.cookie(sessionCookie) != "" {
				t.Errorf("a failed login set a session")
			}
		}
		// Session fixation: a session id planted before login is not kept.
		u, _ := url.Parse(b.base)
		planted := auth.Token(32)
		b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
		r := b.login("vanphong", testPassword)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/plans" {
			t.Fatalf("login: %d %q %s", r.status, r.header.Get("Location"), r.body)
		}
		got := b.cookie(sessionCookie)
		if got == "" || got == planted {
			t.Fatalf("session after login %q (planted %q)", got, planted)
		}
		sc := r.header.Get("Set-Cookie")
		for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(sc, attr) {
				t.Errorf("session cookie lacks %s: %s", attr, sc)
			}
		}
		if strings.Contains(sc, "Secure") {
			t.Errorf("session cookie Secure over plain HTTP: %s", sc)
		}
		if r := b.get("/plans"); r.status != 200 || !strings.Contains(string(r.body), "Lai Châu") {
			t.Fatalf("plans page after login: %d", r.status)
		}
		// Logging in again ends the old session: its token is dead.
		old := got
		b.login("vanphong", testPassword)
		if b.cookie(sessionCookie) == old {
			t.Fatal("second login kept the session id")
		}
		other := newWebClient(t, b.base)
		other.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old, Path: "/"}})
		if r := other.get("/plans"); r.status != http.StatusSeeOther {
			t.Errorf("an ended session still opens pages: %d", r.status)
		}
		// Log out ends the session.
		cur := b.cookie(sessionCookie)
		b.post("/logout", url.Values{"csrf": {b.csrf("/plans")}})
		other.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: cur, Path: "/"}})
		if r := other.get("/plans"); r.status != http.StatusSeeOther {
			t.Errorf("a logged-out session still opens pages: %d", r.status)
		}
		// A login form posted without its token (from another site) is refused.
		if r := newWebClient(t, b.base).post("/login", url.Values{"username": {"vanphong"}, "password": {testPassword}}); r.status != http.StatusForbidden {
			t.Errorf("login without CSRF token: %d", r.status)
		}
		// A disabled user cannot log in.
		if err := st.SetDisabled(context.Background(), "kiemtra", true); err != nil {
			t.Fatal(err)
		}
		if r := newWebClient(t, b.base).login("kiemtra", testPassword); r.status != http.StatusUnauthorized {
			t.Errorf("disabled user logged in: %d", r.status)
		}
		// The trail has the failures and the logins.
		var trail struct{ Items []store.AuditEntry }
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?per_page=100", nil), 200).json(t, &trail)
		actions := map[string]int{}
		for _, e := range trail.Items {
			actions[e.Action]++
		}
		if actions["login.failed"] < 3 || actions["login"] < 2 || actions["logout"] != 1 {
			t.Errorf("audit actions %v", actions)
		}
	})
}

// TestSecureCookieOverTLS: served over TLS, the session cookie is Secure
// without being told.
func TestSecureCookieOverTLS(t *testing.T) {
	st := storetest.SQLite(t)
	s, err := New(Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(s.Handler())
	defer ts.Close()
	mustUser(t, st, "vanphong", auth.RoleSecretariat, 0)
	b := newWebClient(t, ts.URL)
	b.hc.Transport = ts.Client().Transport
	r := b.login("vanphong", testPassword)
	if sc := r.header.Get("Set-Cookie"); r.status != http.StatusSeeOther || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "HttpOnly") {
		t.Errorf("over TLS: %d %s", r.status, sc)
	}
}

func TestSecureCookie(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{SecureCookies: true})
	r := newWebClient(t, f.admin.base).login("vanphong", testPassword)
	if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, "Secure") {
		t.Errorf("behind a TLS proxy the cookie must be Secure: %s", sc)
	}
}

func TestLoginRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		b := newWebClient(t, f.admin.base)
		limited := 0
		for i := 0; i < 12; i++ {
			r := b.login("vanphong", "đoán-mật-khẩu-"+fmt.Sprint(i))
			if r.status == http.StatusTooManyRequests {
				limited++
				if r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "thử lại sau") {
					t.Errorf("429 without Retry-After or message: %v %s", r.header, r.body)
				}
			}
		}
		if limited != 2 {
			t.Errorf("%d of 12 attempts limited, want the last 2", limited)
		}
		// While limited, even the right password is refused, and no session starts.
		if r := b.login("vanphong", testPassword); r.status != http.StatusTooManyRequests || b.cookie(sessionCookie) != "" {
			t.Errorf("right password while limited: %d", r.status)
		}
	})
}

func TestKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		var created struct {
			Key    domain.APIKey
			Secret string
		}
		f.admin.expect(f.admin.do("POST", "/api/v1/keys", map[string]any{"name": "cổng thông tin", "scope": "render"}), 201).json(t, &created)
		app := *f.admin
		app.auth = "Bearer " + created.Secret
		app.expect(app.do("GET", "/api/v1/me", nil), 200)
		app.expect(app.do("GET", "/api/v1/plans", nil), 403)
		// The list never shows a secret.
		r := f.admin.expect(f.admin.do("GET", "/api/v1/keys", nil), 200)
		if strings.Contains(string(r.body), created.Secret) || strings.Contains(string(r.body), "secret_hash") {
			t.Error("key list shows a secret")
		}
		// Revoked: refused.
		f.admin.expect(f.admin.do("DELETE", fmt.Sprintf("/api/v1/keys/%d", created.Key.ID), nil), 200)
		if p := app.expect(app.do("GET", "/api/v1/me", nil), 401).problem(t); p.Type != problemBase+"unauthorized" {
			t.Errorf("revoked key: %+v", p)
		}
		// Expired: refused.
		_, secret, err := st.CreateKey(context.Background(), domain.KeyInput{Name: "ngắn hạn", Scope: auth.RoleAuditor, ExpiresIn: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(2 * time.Hour)
		st.SetClock(func() time.Time { return later })
		app.auth = "Bearer " + secret
		app.expect(app.do("GET", "/api/v1/plans", nil), 401)
		st.SetClock(time.Now)
		// A made-up key, a tampered secret, another scheme: refused.
		for _, h := range []string{"Bearer bck_000000000000_" + strings.Repeat("A", 43), "Bearer " + secret[:len(secret)-1] + "x", "Basic YWRtaW46YWRtaW4="} {
			app.auth = h
			app.expect(app.do("GET", "/api/v1/plans", nil), 401)
		}
		// Bad key requests name the field.
		p := f.admin.expect(f.admin.do("POST", "/api/v1/keys", map[string]any{"name": "", "scope": "god"}), 422).problem(t)
		if !hasField(p, "name") || !hasField(p, "scope") {
			t.Errorf("key validation %+v", p)
		}
	})
}

func TestReporterAndAuditorLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		tasks := f.plan.Document.Appendices[0].Tasks
		base := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
		rep := f.admin.as(auth.RoleReporter, f.agency)
		sub := func(task int64, extra ...any) map[string]any {
			m := map[string]any{"task_id": task, "period": "2024-Q1", "status": "in_progress", "result": "Đã triển khai"}
			for i := 0; i+1 < len(extra); i += 2 {
				m[extra[i].(string)] = extra[i+1]
			}
			return m
		}
		// Its own task: stored, for its agency.
		var s domain.Submission
		rep.expect(rep.do("POST", base+"/progress", sub(tasks[0].ID)), 201).json(t, &s)
		if s.AgencyID != f.agency {
			t.Errorf("submission agency %d, want %d", s.AgencyID, f.agency)
		}
		// Another agency's task, or naming another agency: refused, nothing stored.
		if tasks[3].Lead[0] == tasks[0].Lead[0] {
			t.Fatal("fixture: task 4 should be led by another agency")
		}
		rep.expect(rep.do("POST", base+"/progress", sub(tasks[3].ID)), 403)
		rep.expect(rep.do("POST", base+"/progress", sub(tasks[0].ID, "agency", tasks[3].Lead[0])), 403)
		if n := f.submissions(t); n != 1 {
			t.Errorf("%d submissions after refused ones, want 1", n)
		}

		// Of another agency's reports a reporter sees the status, not the texts.
		f.admin.expect(f.admin.do("POST", base+"/progress", sub(tasks[3].ID, "agency", tasks[3].Lead[0], "result", "Kết quả của cơ quan khác")), 201)
		var mine struct{ Items []domain.Submission }
		rep.expect(rep.do("GET", base+"/progress?period=2024-Q1", nil), 200).json(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].AgencyID != f.agency {
			t.Errorf("a reporter lists %d submissions: %+v", len(mine.Items), mine.Items)
		}
		r := rep.expect(rep.do("GET", base+"/status?period=2024-Q1&as_of="+time.Now().In(period.Vietnam).Format(time.DateOnly), nil), 200)
		if strings.Contains(string(r.body), "Kết quả của cơ quan khác") || !strings.Contains(string(r.body), "Đã triển khai") {
			t.Errorf("a reporter's status board: %s", r.body)
		}
		// The auditor reads, exports, and changes nothing.
		aud := f.admin.as(auth.RoleAuditor, 0)
		aud.expect(aud.do("GET", base, nil), 200)
		aud.expect(aud.do("GET", "/api/v1/exports/progress.csv", nil), 200)
		var before planJSON
		f.admin.expect(f.admin.do("GET", base, nil), 200).json(t, &before)
		aud.expect(aud.do("PUT", base, fixtureJSON(t, "lai-chau-2024"), "If-Match", fmt.Sprintf(`"v%d"`, before.Version)), 403)
		aud.expect(aud.do("POST", base+"/progress", sub(tasks[0].ID, "agency", tasks[0].Lead[0])), 403)
		aud.expect(aud.do("DELETE", base, nil, "If-Match", fmt.Sprintf(`"v%d"`, before.Version)), 403)
		aud.expect(aud.do("PUT", base+"/reports/2024-Q1", map[string]any{"narrative": map[string]any{"assessment": "x"}}), 403)
		var after planJSON
		f.admin.expect(f.admin.do("GET", base, nil), 200).json(t, &after)
		if after.Version != before.Version || f.submissions(t) != 2 {
			t.Error("the auditor changed something")
		}
		f.admin.expect(f.admin.do("GET", base+"/reports/2024-Q1", nil), 404)
		// Refusals of changes are in the trail.
		var trail struct{ Items []store.AuditEntry }
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?action=denied&per_page=100", nil), 200).json(t, &trail)
		if len(trail.Items) < 5 {
			t.Errorf("%d denials in the trail, want at least 5", len(trail.Items))
		}
	})
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newPeopleFixture(t, st, Config{})
		var trail struct {
			Items []store.AuditEntry
			Total int64
		}
		f.admin.expect(f.admin.do("GET", "/api/v1/audit", nil), 200).json(t, &trail)
		if trail.Total == 0 || trail.Items[len(trail.Items)-1].Action != "plan.create" {
			t.Fatalf("trail %+v", trail)
		}
		e := trail.Items[len(trail.Items)-1]
		if e.Actor != "key:test admin" || e.Role != "admin" || e.IP == "" || e.RequestID == "" || !strings.HasPrefix(e.Resource, "/api/v1/plans/") {
			t.Errorf("entry %+v", e)
		}
		for _, q := range []string{"UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"} {
			if err := st.Exec(context.Background(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		// Days are the office's (Vietnam) days.
		today := time.Now().In(period.Vietnam)
		for q, want := range map[string]bool{"from=" + today.Format(time.DateOnly): true, "to=" + today.AddDate(0, 0, -1).Format(time.DateOnly): false} {
			var page struct{ Total int64 }
			f.admin.expect(f.admin.do("GET", "/api/v1/audit?"+q, nil), 200).json(t, &page)
			if (page.Total > 0) != want {
				t.Errorf("audit ?%s: %d entries", q, page.Total)
			}
		}
		// dd/mm/yyyy as a clerk types it too; a day that does not exist is refused.
		var page struct{ Total int64 }
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?from="+today.Format("02/01/2006"), nil), 200).json(t, &page)
		if page.Total == 0 {
			t.Errorf("audit ?from=%s: nothing", today.Format("02/01/2006"))
		}
		f.admin.expect(f.admin.do("GET", "/api/v1/audit?from=31/02/2026", nil), 422)
		// No route writes to it.
		for _, m := range []string{"POST", "PUT", "DELETE"} {
			if r := f.admin.do(m, "/api/v1/audit", "{}"); r.status != http.StatusMethodNotAllowed {
				t.Errorf("%s /api/v1/audit: %d", m, r.status)
			}
		}
		// The CSV export holds every entry.
		r := f.admin.expect(f.admin.do("GET", "/api/v1/exports/audit.csv", nil), 200)
		if !strings.HasPrefix(string(r.body), "\ufeffSTT,Thời gian") || !strings.Contains(string(r.body), "plan.create") {
			t.Errorf("audit CSV: %.300s", r.body)
		}
	})
}

// TestAgencyOfUserNotDeleted: an agency with a reporter account (or a key)
// cannot be deleted from under it.
func TestAgencyOfUserNotDeleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var a domain.Agency
		c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Tư pháp"}), 201).json(t, &a)
		mustUser(t, st, "stp", auth.RoleReporter, a.ID)
		p := c.expect(c.do("DELETE", fmt.Sprintf("/api/v1/agencies/%d", a.ID), nil, "If-Match", `"v1"`), 409).problem(t)
		if !strings.Contains(p.Detail, "users") {
			t.Errorf("problem %+v", p)
		}
	})
}

// TestRequestBounds: odd request IDs are replaced, long texts are cut in
// the trail, refusals anyone can cause are recorded a bounded number of
// times, form bodies are bounded.
func TestRequestBounds(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	anon := f.admin.as("", 0)
	r := anon.do("GET", "/api/v1/"+strings.Repeat("x", 5000), nil, "X-Request-ID", strings.Repeat("a", 500), "Authorization", "Bearer nope")
	if id := r.header.Get("X-Request-ID"); len(id) > 64 {
		t.Errorf("a 500-byte request ID was kept")
	}
	for range 40 {
		anon.do("GET", "/api/v1/plans", nil, "Authorization", "Bearer bck_000000000000_"+strings.Repeat("B", 43))
	}
	var trail struct {
		Items []store.AuditEntry
		Total int64
	}
	f.admin.expect(f.admin.do("GET", "/api/v1/audit?action=auth.key_refused&per_page=100", nil), 200).json(t, &trail)
	if trail.Total != 20 {
		t.Errorf("%d key refusals recorded of 41, want 20", trail.Total)
	}
	for _, e := range trail.Items {
		if len(e.Resource) > 520 || len(e.RequestID) > 64 {
			t.Errorf("an entry is not cut: %d, %d bytes", len(e.Resource), len(e.RequestID))
		}
	}
	// A login form of a megabyte is refused before it is read whole.
	b := newWebClient(t, f.admin.base)
	form := url.Values{"username": {"vanphong"}, "password": {strings.Repeat("p", 1<<20)}, "csrf": {b.csrf("/login")}}
	if r := b.post("/login", form); r.status == http.StatusSeeOther || r.status == http.StatusUnauthorized {
		t.Errorf("a 1 MB login form was read: %d", r.status)
	}
}

// TestLoginLimitCountsFailures: twelve clerks behind one address log in
// within a minute, all of them get in; a user's failures stop counting
// once it logs in.
func TestLoginLimitCountsFailures(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	for i := range 12 {
		b := newWebClient(t, f.admin.base)
		if r := b.login("vanphong", testPassword); r.status != http.StatusSeeOther || b.cookie(sessionCookie) == "" {
			t.Fatalf("login %d of 12 from one address: %d", i+1, r.status)
		}
	}
	b := newWebClient(t, f.admin.base)
	for i := range 8 {
		if r := b.login("kiemtra", "sai-"+fmt.Sprint(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	if r := b.login("kiemtra", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("right password after 8 failures: %d", r.status)
	}
	// The user name's count starts again; the address keeps its 8, so two
	// more failures are allowed and the next attempt is limited.
	for i := range 2 {
		if r := b.login("kiemtra", "sai-lai-"+fmt.Sprint(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("failure after the reset %d: %d", i+1, r.status)
		}
	}
	if r := b.login("kiemtra", testPassword); r.status != http.StatusTooManyRequests {
		t.Errorf("the address's 11th attempt after 10 failures: %d", r.status)
	}
}

// TestStaticNoListing: /static/ serves its files, never a listing.
func TestStaticNoListing(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	for path, want := range map[string]int{"/static/": 404, "/static/style.css": 200, "/static/nothing.css": 404, "/static//": 404} {
		if r := c.do("GET", path, nil); r.status != want {
			t.Errorf("%s: %d, want %d", path, r.status, want)
		}
	}
}
