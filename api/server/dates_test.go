package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/period"
	"baocao/reports/progress"
)

// problemOf finds the problem of a field and checks it is worded in
// Vietnamese and English ("… / …").
func problemOf(t *testing.T, p Problem, field string) string {
	t.Helper()
	for _, e := range p.Errors {
		if e.Field == field {
			if !strings.Contains(e.Problem, " / ") {
				t.Errorf("%s: %q is not worded in Vietnamese / English", field, e.Problem)
			}
			return e.Problem
		}
	}
	t.Errorf("no problem names %s: %+v", field, p)
	return ""
}

func TestProgressDatesWithinReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		// The Lai Châu plan (2024), with its first task due "Quý I/2025".
		var raw map[string]any
		if err := json.Unmarshal(fixtureJSON(t, "lai-chau-2024"), &raw); err != nil {
			t.Fatal(err)
		}
		raw["appendices"].([]any)[0].(map[string]any)["tasks"].([]any)[0].(map[string]any)["deadline"] = "Quý I/2025"
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", raw), 201).json(t, &p)
		tasks := p.Document.Appendices[0].Tasks
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		sub := func(period, status, completed string) map[string]any {
			m := map[string]any{"task_id": tasks[0].ID, "period": period, "agency": "Văn phòng UBND tỉnh",
				"status": status, "result": "Đã đăng tin", "submitted_by": "Nguyễn Văn A"}
			if completed != "" {
				m["completed_on"] = completed
			}
			return m
		}
		today := time.Now().In(period.Vietnam)
		tomorrow := today.AddDate(0, 0, 1).Format(time.DateOnly)
		cases := []struct {
			name, period, status, completed, field, words string
		}{
			{"a period far off", "2099-Q1", "in_progress", "", "period", "ngoài thời gian của kế hoạch"},
			{"a period before the plan", "2023-Q4", "in_progress", "", "period", "2024–2025"},
			{"done tomorrow", "2024-Q1", "done", tomorrow, "completed_on", "chưa đến"},
			{"done in 2099", "2024-Q1", "done", "2099-01-01", "completed_on", "in the future"},
			{"done before the plan's year", "2024-Q1", "done", "2023-12-31", "completed_on", "before the plan's year 2024"},
		}
		for _, k := range cases {
			pr := c.expect(c.do("POST", base+"/progress", sub(k.period, k.status, k.completed)), 422).problem(t)
			if msg := problemOf(t, pr, k.field); !strings.Contains(msg, k.words) {
				t.Errorf("%s: %q lacks %q", k.name, msg, k.words)
			}
		}
		var list struct{ Items []domain.Submission }
		for _, code := range []string{"2024-Q1", "2099-Q1", "2023-Q4"} {
			c.expect(c.do("GET", base+"/progress?period="+code, nil), 200).json(t, &list)
			if len(list.Items) != 0 {
				t.Fatalf("refused submissions stored for %s: %+v", code, list.Items)
			}
		}
		// Within reason: today, the first day of the plan's year, and a 2025
		// period for the plan whose deadlines reach into 2025.
		c.expect(c.do("POST", base+"/progress", sub("2024-Q1", "done", today.Format(time.DateOnly))), 201)
		c.expect(c.do("POST", base+"/progress", sub("2024-Q1", "done", "2024-01-01")), 201)
		c.expect(c.do("POST", base+"/progress", sub("2025-Q1", "in_progress", "")), 201)

		// The store refuses the same without the API (demo data, other callers).
		_, err := st.Submit(t.Context(), p.ID, domain.SubmitInput{TaskID: tasks[0].ID, AgencyID: 0, Report: sub2099()}, 0)
		if err == nil || !strings.Contains(err.Error(), "period") {
			t.Errorf("store.Submit of 2099-Q1: %v", err)
		}

		// The status board's as-of day.
		for _, bad := range []string{"2099-01-01", "2023-12-31", today.AddDate(0, 0, 2).Format(time.DateOnly)} {
			problemOf(t, c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of="+bad, nil), 422).problem(t), "as_of")
		}
		c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of=2024-01-01", nil), 200)
		c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of="+today.Format(time.DateOnly), nil), 200)
	})
}

func sub2099() (r progress.Report) {
	r.Period, r.Agency, r.Status, r.SubmittedBy = "2099-Q1", "Văn phòng UBND tỉnh", "in_progress", "A"
	return r
}

func TestProgressFormDates(t *testing.T) {
	f := newPeopleFixture(t, storetest.SQLite(t), Config{})
	tasks := f.plan.Document.Appendices[0].Tasks
	b := newWebClient(t, f.admin.base)
	b.login("coquan", testPassword)
	form := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2024-Q1", f.plan.ID, tasks[0].ID)
	csrf := b.csrf(form)
	r := b.post(form, url.Values{"csrf": {csrf}, "status": {"done"}, "completed_on": {"2099-01-01"}, "result": {"Xong"}})
	if r.status != 422 || !strings.Contains(string(r.body), `id="completed_on-error">Ngày hoàn thành 01/01/2099 chưa đến`) {
		t.Errorf("done in 2099: %d %s", r.status, r.body)
	}
	if !strings.Contains(string(r.body), `value="2099-01-01"`) {
		t.Error("the form lost what was typed")
	}
	r = b.post(form, url.Values{"csrf": {csrf}, "status": {"done"}, "completed_on": {"2023-05-01"}, "result": {"Xong"}})
	if r.status != 422 || !strings.Contains(string(r.body), `id="completed_on-error">Ngày hoàn thành 01/05/2023 trước năm của kế hoạch (2024).`) {
		t.Errorf("done in 2023: %d %s", r.status, r.body)
	}
	far := fmt.Sprintf("/plans/%d/tasks/%d/progress?period=2099-Q1", f.plan.ID, tasks[0].ID)
	r = b.post(far, url.Values{"csrf": {csrf}, "status": {"in_progress"}, "result": {"Đang làm"}})
	if r.status != 422 || !strings.Contains(string(r.body), `id="period-error">Kỳ báo cáo 2099-Q1 (Quý I năm 2099) nằm ngoài thời gian của kế hoạch (năm 2024).`) {
		t.Errorf("2099-Q1: %d %s", r.status, r.body)
	}
	if n := f.submissions(t); n != 0 {
		t.Fatalf("%d submissions stored by refused forms", n)
	}
}
