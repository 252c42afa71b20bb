package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
)

// TestArchiveTasksAPI: re-sending a plan without task ids, or deleting a
// task, that would drop progress is refused with 409 naming the task;
// with ?archive_tasks=true the task is archived with its submissions,
// which stay in the export and the trail; a plan with progress is not
// deleted.
func TestArchiveTasksAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		fixture := fixtureJSON(t, "lai-chau-2024")
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixture), 201).json(t, &p)
		tasks := p.Document.Appendices[0].Tasks
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		sub := map[string]any{"task_id": tasks[1].ID, "period": "2024-Q1", "agency": tasks[1].Lead[0], "status": "in_progress", "submitted_by": "A"}
		c.expect(c.do("POST", base+"/progress", sub), 201)

		// The fixture again: 409, naming the task, nothing changed.
		pr := c.expect(c.do("PUT", base, fixture, "If-Match", `"v1"`), 409).problem(t)
		if pr.Type != "/api/v1/problems/has-progress" || len(pr.Tasks) != 1 || pr.Tasks[0].ID != tasks[1].ID || pr.Tasks[0].Number != 2 ||
			!hasField(pr, "appendices[0].tasks") || !strings.Contains(pr.Detail, "STT 2") || !strings.Contains(pr.Detail, "báo cáo tiến độ") {
			t.Errorf("refusal %+v", pr)
		}
		c.expect(c.do("PUT", base+"?archive_tasks=maybe", fixture, "If-Match", `"v1"`), 422)
		// Deleting the task: the same.
		task := fmt.Sprintf("%s/tasks/%d", base, tasks[1].ID)
		c.expect(c.do("DELETE", task, nil, "If-Match", `"v1"`), 409)
		// A task without progress goes as before.
		c.expect(c.do("DELETE", fmt.Sprintf("%s/tasks/%d", base, tasks[2].ID), nil, "If-Match", `"v1"`), 204)
		// Archived when asked for.
		c.expect(c.do("DELETE", task+"?archive_tasks=true", nil, "If-Match", `"v2"`), 204)
		var got planJSON
		c.expect(c.do("GET", base, nil), 200).json(t, &got)
		if n := len(got.Document.Appendices[0].Tasks); n != len(tasks)-2 || got.Document.Appendices[0].Tasks[1].ID != tasks[3].ID {
			t.Errorf("%d tasks after archiving one and deleting one", n)
		}
		c.expect(c.do("PUT", task, map[string]any{"content": "x", "lead": []string{"Sở Nội vụ"}}, "If-Match", `"v3"`), 404)
		pr = c.expect(c.do("POST", base+"/progress", sub), 422).problem(t)
		if !strings.Contains(pr.Detail, "not a task of plan") {
			t.Errorf("submission on an archived task: %+v", pr)
		}
		var hist struct{ Items []domain.Submission }
		c.expect(c.do("GET", base+"/progress?period=2024-Q1", nil), 200).json(t, &hist)
		if len(hist.Items) != 1 {
			t.Errorf("history after archiving: %+v", hist.Items)
		}
		aud := c.as(auth.RoleAuditor, 0)
		rows := readCSV(t, aud.expect(aud.do("GET", "/api/v1/exports/progress.csv", nil), 200).body)
		if len(rows) != 2 || !strings.HasPrefix(rows[1][2], "[Nhiệm vụ đã lưu trữ] ") || rows[1][1] != "2" {
			t.Errorf("export %q", rows)
		}
		trail, _, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "task.delete", Limit: 10})
		if err != nil || len(trail) != 2 || !strings.Contains(trail[0].Detail+trail[1].Detail, fmt.Sprintf("lưu trữ nhiệm vụ %d", tasks[1].ID)) {
			t.Errorf("trail %+v %v", trail, err)
		}
		// The fixture with ?archive_tasks=true: the plan is the fixture again.
		var put planJSON
		c.expect(c.do("PUT", base+"?archive_tasks=true", fixture, "If-Match", `"v3"`), 200).json(t, &put)
		if len(put.ArchivedTasks) != 0 || len(put.Document.Appendices[0].Tasks) != len(tasks) {
			t.Errorf("no task with progress left to archive: %+v", put.ArchivedTasks)
		}
		// A plan with progress is not deleted.
		pr = c.expect(c.do("DELETE", base, nil, "If-Match", `"v4"`), 409).problem(t)
		if pr.Type != "/api/v1/problems/has-progress" {
			t.Errorf("delete a plan with progress: %+v", pr)
		}
	})
}

// idemFixture is a client on a plan whose first task an admin key may
// report on.
type idemFixture struct {
	c    *client
	base string
	sub  map[string]any
	task int64
}

func newIdemFixture(t *testing.T, st *store.Store) idemFixture {
	c := newClient(t, st, Config{})
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
	task := p.Document.Appendices[0].Tasks[0]
	return idemFixture{c: c, base: fmt.Sprintf("/api/v1/plans/%d", p.ID), task: task.ID,
		sub: map[string]any{"task_id": task.ID, "period": "2024-Q1", "agency": task.Lead[0], "status": "in_progress", "submitted_by": "A"}}
}

func (f idemFixture) count(t *testing.T) int {
	t.Helper()
	subs, err := f.c.store.Submissions(context.Background(), f.c.srv.planIDOf(t, f.base))
	if err != nil {
		t.Fatal(err)
	}
	return len(subs)
}

func (s *Server) planIDOf(t *testing.T, base string) int64 {
	var id int64
	if _, err := fmt.Sscanf(base, "/api/v1/plans/%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestIdempotencyKey: a retry with the same key and body answers the
// stored answer and stores nothing twice; another body is refused, a
// running first request makes a retry wait (409), another caller's key
// is its own, a 5xx answer is not kept, and a key expires.
func TestIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newIdemFixture(t, st)
		c := f.c
		first := c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "k1"), 201)
		again := c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "k1"), 201)
		if string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" ||
			again.header.Get("Location") != first.header.Get("Location") || first.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("replay:\n%s %v\nfirst:\n%s", again.body, again.header, first.body)
		}
		if n := f.count(t); n != 1 {
			t.Errorf("%d submissions after a retry", n)
		}
		trail, _, _ := st.AuditLog(context.Background(), store.AuditFilter{Action: "progress.submit.replayed", Limit: 10})
		if len(trail) != 1 {
			all, _, _ := st.AuditLog(context.Background(), store.AuditFilter{Limit: 10})
			t.Errorf("replay in the trail: %+v", all)
		}
		other := map[string]any{}
		for k, v := range f.sub {
			other[k] = v
		}
		other["status"] = "not_started"
		if pr := c.expect(c.do("POST", f.base+"/progress", other, "Idempotency-Key", "k1"), 422).problem(t); !hasField(pr, "Idempotency-Key") {
			t.Errorf("another body: %+v", pr)
		}
		c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", strings.Repeat("x", 256)), 422)
		// Another caller's k1 is another key.
		c2 := c.as(auth.RoleAdmin, 0)
		if r := c2.expect(c2.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "k1"), 201); r.header.Get("Idempotent-Replayed") != "" {
			t.Error("another caller got the first caller's answer")
		}
		// A 4xx answer is kept too: the same request gets it again.
		bad := map[string]any{"task_id": f.task, "period": "2024-Q5", "agency": "X", "status": "in_progress", "submitted_by": "A"}
		c.expect(c.do("POST", f.base+"/progress", bad, "Idempotency-Key", "k-bad"), 422)
		if r := c.expect(c.do("POST", f.base+"/progress", bad, "Idempotency-Key", "k-bad"), 422); r.header.Get("Idempotent-Replayed") != "true" {
			t.Error("a 422 answer was not kept")
		}
		// Plan creation too.
		var p1, p2 planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "tay-son-2023"), "Idempotency-Key", "plan-1"), 201).json(t, &p1)
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "tay-son-2023"), "Idempotency-Key", "plan-1"), 201).json(t, &p2)
		var list struct{ Total int64 }
		c.expect(c.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
		if p1.ID != p2.ID || list.Total != 2 {
			t.Errorf("plan created twice: %d %d, %d plans", p1.ID, p2.ID, list.Total)
		}

		// While the first runs, a retry gets 409.
		entered, release := make(chan struct{}), make(chan struct{})
		c.srv.idempotencyHook = func(_ context.Context, key string) {
			if key == "slow" {
				close(entered)
				<-release
			}
		}
		var wg sync.WaitGroup
		var slow response
		wg.Go(func() { slow = c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "slow") })
		<-entered
		busy := c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "slow"), 409)
		if busy.header.Get("Retry-After") == "" {
			t.Error("409 without Retry-After")
		}
		close(release)
		wg.Wait()
		if slow.status != 201 {
			t.Fatalf("slow request: %d %s", slow.status, slow.body)
		}
		c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "slow"), 201)
		if n := f.count(t); n != 3 {
			t.Errorf("%d submissions, want 3 (k1, the other caller's k1, slow)", n)
		}

		// A 5xx answer is not kept: the retry runs again.
		ctx := context.Background()
		fail, unfail := `CREATE TRIGGER boom BEFORE INSERT ON progress BEGIN SELECT RAISE(ABORT, 'boom'); END`, `DROP TRIGGER boom`
		if !st.Embedded() {
			if err := st.Exec(ctx, `CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END; $$ LANGUAGE plpgsql`); err != nil {
				t.Fatal(err)
			}
			fail, unfail = `CREATE TRIGGER boom BEFORE INSERT ON progress FOR EACH ROW EXECUTE FUNCTION boom()`, `DROP TRIGGER boom ON progress`
		}
		if err := st.Exec(ctx, fail); err != nil {
			t.Fatal(err)
		}
		// (SQLite reports the trigger's RAISE(ABORT) as an aborted
		// statement, which is answered as the database unavailable: 503.)
		if r := c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "k5"); r.status != 500 && r.status != 503 {
			t.Fatalf("failing insert: %d %s", r.status, r.body)
		}
		if err := st.Exec(ctx, unfail); err != nil {
			t.Fatal(err)
		}
		if r := c.expect(c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "k5"), 201); r.header.Get("Idempotent-Replayed") != "" {
			t.Error("a 500 answer was replayed")
		}

		// After 24 hours a key is free again.
		if err := st.Exec(ctx, `UPDATE idempotency_keys SET expires_at = created_at WHERE idem_key = 'k1'`); err != nil {
			t.Fatal(err)
		}
		c.expect(c.do("POST", f.base+"/progress", other, "Idempotency-Key", "k1"), 201)
		if n := f.count(t); n != 5 {
			t.Errorf("%d submissions, want 5", n)
		}
	})
}

// TestIdempotencyCutConnection: the client sends a submission with a key
// and closes the connection before reading the answer; the request still
// completes, and the retry with the same key gets its answer: one
// submission stored.
func TestIdempotencyCutConnection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newIdemFixture(t, st)
		c := f.c
		gone := make(chan bool, 1)
		c.srv.idempotencyHook = func(ctx context.Context, key string) {
			if key != "cut" {
				return
			}
			// Go on only once the server has seen the client leave.
			select {
			case <-ctx.Done():
				gone <- true
			case <-time.After(10 * time.Second):
				gone <- false
			}
		}
		body, _ := json.Marshal(f.sub)
		conn, err := net.Dial("tcp", strings.TrimPrefix(c.base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s/progress HTTP/1.1\r\nHost: test\r\nAuthorization: %s\r\nContent-Type: application/json\r\n"+
			"Idempotency-Key: cut\r\nContent-Length: %d\r\n\r\n%s", f.base, c.auth, len(body), body)
		conn.Close()
		if !<-gone {
			t.Fatal("the server did not see the client leave")
		}
		var r response
		for range 100 {
			if r = c.do("POST", f.base+"/progress", f.sub, "Idempotency-Key", "cut"); r.status != http.StatusConflict {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry after the cut: %d %v %s", r.status, r.header, r.body)
		}
		var sub domain.Submission
		r.json(t, &sub)
		if n := f.count(t); n != 1 || sub.Revision != 1 || sub.TaskID != f.task {
			t.Errorf("%d submissions after the cut and the retry, answer %+v", n, sub)
		}
	})
}
