package server

import (
	"fmt"
	"strings"
	"testing"

	"baocao/api/store/storetest"
	"baocao/reports/doc"
	"baocao/reports/xlsx"
)

// TestImpossibleDeadlineRefused: a deadline naming a day that does not
// exist is refused by the plans, tasks, import and render endpoints, naming
// the task, and nothing is stored.
func TestImpossibleDeadlineRefused(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	const bad, field = "Trước ngày 31 tháng 2 năm 2024", "appendices[0].tasks[13].deadline"
	body := strings.Replace(string(fixtureJSON(t, "lai-chau-2024")), "Trước ngày 16 tháng 3, 6, 9, 12 năm 2024", bad, 1)
	refused := func(what string, r response, field string) {
		t.Helper()
		pr := r.problem(t)
		for _, e := range pr.Errors {
			if e.Field == field && e.Problem == "ngày 31 tháng 2 không có / there is no 31 February" {
				return
			}
		}
		t.Errorf("%s: %+v", what, pr.Errors)
	}
	refused("create", c.expect(c.do("POST", "/api/v1/plans", body), 422), field)
	refused("render", c.expect(c.do("POST", "/api/v1/render", body, "Accept", "application/pdf"), 422), field)

	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
	base := fmt.Sprintf("/api/v1/plans/%d/tasks", p.ID)
	refused("add task", c.expect(c.do("POST", base, map[string]any{"version": 1, "position": 0, "content": "Việc",
		"lead": []string{"Sở Nội vụ"}, "deadline": bad}), 422), "appendices[0].tasks[0].deadline")
	c.expect(c.do("POST", base, map[string]any{"version": 1, "position": 0, "content": "Việc",
		"lead": []string{"Sở Nội vụ"}, "deadline": "Quý IV/2024 - Quý II/2025"}), 201)

	d := *p.Document
	d.Appendices = append([]doc.Appendix(nil), d.Appendices...)
	d.Appendices[0].Tasks = append([]doc.Task(nil), d.Appendices[0].Tasks...)
	d.Appendices[0].Tasks[2].Deadline = doc.Deadline{Text: "31/02/2024"}
	file, err := xlsx.Appendices(&d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	refused("import", c.expect(c.do("POST", fmt.Sprintf("/api/v1/plans/%d/import?mode=replace", p.ID), file,
		"Content-Type", typeXLSX, "If-Match", `"v2"`), 422), "appendices[0].tasks[2].deadline")
	var got planJSON
	c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d", p.ID), nil), 200).json(t, &got)
	if got.Version != 2 {
		t.Errorf("a refused change was stored: version %d", got.Version)
	}
}
