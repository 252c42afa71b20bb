package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/jobs"
)

// testJobs makes a job service on st (River's tables migrated); work
// starts its workers. It is stopped at the end of the test.
func testJobs(t *testing.T, st *store.Store, work bool, now func() time.Time) *jobs.Service {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	j, err := jobs.New(ctx, st, jobs.Config{Work: work, PollInterval: 100 * time.Millisecond, WebhookSecret: "s", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = j.Stop(ctx)
		j.Close()
	})
	return j
}

// TestAsyncRenderAPI: POST /render?async=true answers 202 with the job;
// the job's owner (and an administrator) follows it to its result, the
// same bytes as the render at once; others get 404; the result expires.
func TestAsyncRenderAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var mu = make(chan time.Time, 1)
		mu <- time.Now()
		now := func() time.Time { t := <-mu; mu <- t; return t }
		st.SetClock(now)
		admin := newClient(t, st, Config{Jobs: testJobs(t, st, true, now)})
		key := admin.as("render", 0)
		body := fixtureJSON(t, "thanh-tri-2022")
		want := key.expect(key.do("POST", "/api/v1/render?doc=appendix&format=xlsx", body), 200).body

		r := key.expect(key.do("POST", "/api/v1/render?doc=appendix&format=xlsx&async=true", body), 202)
		var j jobs.Job
		r.json(t, &j)
		if j.Kind != "render" || r.header.Get("Location") != j.Href || j.Href != "/api/v1/jobs/"+itoa64(j.ID) {
			t.Fatalf("202: %v %s", r.header, r.body)
		}
		deadline := time.Now().Add(60 * time.Second)
		for j.State != "completed" {
			if time.Now().After(deadline) || j.State == "cancelled" || j.State == "discarded" {
				t.Fatalf("job %+v", j)
			}
			time.Sleep(50 * time.Millisecond)
			key.expect(key.do("GET", j.Href, nil), 200).json(t, &j)
		}
		if j.Result == nil || j.Result.ContentType != typeXLSX {
			t.Fatalf("result %+v", j.Result)
		}
		res := key.expect(key.do("GET", j.Result.Href, nil), 200)
		if !bytes.Equal(res.body, want) || res.header.Get("Content-Type") != typeXLSX ||
			!strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("result: %v, %d bytes, want %d", res.header, len(res.body), len(want))
		}
		admin.expect(admin.do("GET", j.Result.Href, nil), 200)

		other := admin.as("render", 0)
		other.expect(other.do("GET", j.Href, nil), 404)
		other.expect(other.do("GET", j.Result.Href, nil), 404)
		sec := admin.as("secretariat", 0)
		sec.expect(sec.do("GET", "/api/v1/jobs", nil), 403)

		var list struct{ Items []jobs.Job }
		admin.expect(admin.do("GET", "/api/v1/jobs?kind=render&state=completed", nil), 200).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != j.ID {
			t.Errorf("list %+v", list)
		}
		p := admin.expect(admin.do("GET", "/api/v1/jobs?kind=x&state=y&limit=0", nil), 422).problem(t)
		if !hasField(p, "kind") || !hasField(p, "state") || !hasField(p, "limit") {
			t.Errorf("filters: %+v", p)
		}
		page := admin.expect(admin.do("GET", "/jobs", nil, "Accept", "text/html"), 200)
		if !strings.Contains(string(page.body), "Công việc nền") || !strings.Contains(string(page.body), "Tạo văn bản") {
			t.Errorf("jobs page:\n%s", page.body)
		}

		// A PDF/A and a Word file in the background: the same options and
		// media types as in the request.
		for _, tc := range []struct{ query, ct, mark string }{
			{"doc=plan&format=pdf&pdfa=true", typePDF, "pdfaid:part"},
			{"doc=appendix&format=docx", typeDOCX, "word/document.xml"},
		} {
			var bj jobs.Job
			key.expect(key.do("POST", "/api/v1/render?async=true&"+tc.query, body), 202).json(t, &bj)
			for bj.State != "completed" {
				if time.Now().After(deadline) || bj.State == "cancelled" || bj.State == "discarded" {
					t.Fatalf("%s: job %+v", tc.query, bj)
				}
				time.Sleep(50 * time.Millisecond)
				key.expect(key.do("GET", bj.Href, nil), 200).json(t, &bj)
			}
			out := key.expect(key.do("GET", bj.Result.Href, nil), 200)
			if out.header.Get("Content-Type") != tc.ct || !bytes.Contains(out.body, []byte(tc.mark)) {
				t.Errorf("%s: %s, %d bytes", tc.query, out.header.Get("Content-Type"), len(out.body))
			}
		}

		// Bad requests at the door: nothing is queued.
		p = key.expect(key.do("POST", "/api/v1/render?async=maybe", body), 422).problem(t)
		if !hasField(p, "async") {
			t.Errorf("async: %+v", p)
		}
		p = key.expect(key.do("POST", "/api/v1/render?webhook=https://example.com/", body), 422).problem(t)
		if !hasField(p, "webhook") {
			t.Errorf("webhook without async: %+v", p)
		}
		p = key.expect(key.do("POST", "/api/v1/render?async=true&webhook=http://127.0.0.1:9/", body), 422).problem(t)
		if !hasField(p, "webhook") {
			t.Errorf("webhook to loopback: %+v", p)
		}
		p = key.expect(key.do("POST", "/api/v1/render?async=true", strings.Replace(string(body), `"kind": "KH"`, `"kind": "KH", "extra": 1`, 1)), 422).problem(t)
		if !hasField(p, "extra") {
			t.Errorf("bad body: %+v", p)
		}
		admin.expect(admin.do("GET", "/api/v1/jobs?kind=render", nil), 200).json(t, &list)
		if len(list.Items) != 3 { // the three renders above, nothing refused
			t.Errorf("refused requests queued jobs: %+v", list.Items)
		}

		// Expired.
		mu <- (<-mu).Add(25 * time.Hour)
		key.expect(key.do("GET", "/api/v1/jobs/"+itoa64(j.ID)+"/result", nil), 410)
		key.expect(key.do("GET", "/api/v1/jobs/999999", nil), 404)
	})
}

// TestNoJobs: a server without a job queue says so.
func TestNoJobs(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	r := c.expect(c.do("POST", "/api/v1/render?async=true", fixtureJSON(t, "thanh-tri-2022")), http.StatusServiceUnavailable)
	if r.problem(t).Type != problemBase+"no-jobs" {
		t.Errorf("%s", r.body)
	}
	c.expect(c.do("GET", "/api/v1/jobs", nil), http.StatusServiceUnavailable)
}

// TestUserEmail: a user is created with an e-mail address (reminders and
// notices), shown back; a bad one is refused naming the field.
func TestUserEmail(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var u domain.User
	c.expect(c.do("POST", "/api/v1/users", map[string]any{"username": "hoa", "role": "secretariat", "password": "mật khẩu dài đủ 12",
		"email": " hoa.nt@laichau.gov.vn "}), 201).json(t, &u)
	if u.Email != "hoa.nt@laichau.gov.vn" {
		t.Errorf("email %q", u.Email)
	}
	for _, bad := range []string{"hoa", "Hoa <hoa@laichau.gov.vn>", "a@b.vn, c@d.vn", "hoa@localhost", strings.Repeat("a", 250) + "@x.vn"} {
		p := c.expect(c.do("POST", "/api/v1/users", map[string]any{"username": "x", "role": "auditor", "password": "mật khẩu dài đủ 12", "email": bad}), 422).problem(t)
		if !hasField(p, "email") {
			t.Errorf("%q: %+v", bad, p)
		}
	}
}
