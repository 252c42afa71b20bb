package server

import (
	"baocao/domain"
	"baocao/reports/period"
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/progress"
	"baocao/reports/xlsx"
)

func TestProgressAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201).json(t, &p)
		tasks := p.Document.Appendices[0].Tasks
		base := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		sub := map[string]any{"task_id": tasks[0].ID, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh",
			"status": "in_progress", "result": "Đăng 10 tin bài", "figures": []map[string]any{{"name": "tin bài", "value": 10, "unit": "bài"}},
			"submitted_by": "Nguyễn Văn A"}
		var s1 domain.Submission
		c.expect(c.do("POST", base+"/progress", sub), 201).json(t, &s1)
		if s1.Revision != 1 || s1.Agency != "Văn phòng UBND tỉnh" || !s1.Late {
			// Submitted now (2026), long after the Q1 2024 due date: late.
			t.Errorf("first submission %+v", s1)
		}
		sub["status"], sub["completed_on"] = "done", "2024-03-10"
		var s2 domain.Submission
		c.expect(c.do("POST", base+"/progress", sub), 201).json(t, &s2)
		if s2.Revision != 2 {
			t.Errorf("resubmission revision %d", s2.Revision)
		}
		// Another agency's task: refused, nothing stored.
		other := map[string]any{"task_id": tasks[3].ID, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "in_progress", "submitted_by": "A"}
		c.expect(c.do("POST", base+"/progress", other), 403)
		bad := c.expect(c.do("POST", base+"/progress", map[string]any{"task_id": tasks[0].ID, "period": "2024-Q5", "agency": "X", "status": "overdue", "submitted_by": ""}), 422).problem(t)
		// submitted_by defaults to the caller (here the key's name).
		for _, f := range []string{"period", "status"} {
			if !hasField(bad, f) {
				t.Errorf("problem lacks %s: %+v", f, bad)
			}
		}
		var list struct{ Items []domain.Submission }
		c.expect(c.do("GET", base+"/progress?period=2024-Q1", nil), 200).json(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("history: %d submissions", len(list.Items))
		}
		c.expect(c.do("GET", base+"/progress", nil), 422)
		var board progress.Board
		// As of the report's cut-off the submissions, made today, do not
		// count yet; as of today they do.
		c.expect(c.do("GET", base+"/status?period=2024-Q1", nil), 200).json(t, &board)
		if board.AsOf != "2024-03-15" || board.Counts[progress.NotReported] != 14 {
			t.Errorf("board as of the cut-off: %s, counts %v", board.AsOf, board.Counts)
		}
		today := time.Now().In(period.Vietnam).Format(time.DateOnly)
		board = progress.Board{}
		c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of="+today, nil), 200).json(t, &board)
		if board.Counts[progress.CarriedOut] != 1 || len(board.Rows) != 14 || board.Rows[0].Figures[0].Value != 10 {
			t.Errorf("board counts %v, %d rows", board.Counts, len(board.Rows))
		}
		found := false
		for _, a := range board.NotReported {
			found = found || a == "Sở Nội vụ"
		}
		if !found {
			t.Errorf("Sở Nội vụ has not reported: %v", board.NotReported)
		}
		// as_of typed as Vietnamese write it reads the same day; a day
		// that does not exist is refused naming as_of.
		var dmy progress.Board
		c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of=15/03/2024", nil), 200).json(t, &dmy)
		if dmy.AsOf != "2024-03-15" {
			t.Errorf("as_of=15/03/2024 read as %s", dmy.AsOf)
		}
		if p := c.expect(c.do("GET", base+"/status?period=2024-Q1&as_of=31/02/2024", nil), 422).problem(t); len(p.Errors) == 0 || p.Errors[0].Field != "as_of" {
			t.Errorf("a day that does not exist: %+v", p)
		}
	})
}

func TestImportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var src, dst planJSON
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "thanh-tri-2022")), 201).json(t, &src)
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "tay-son-2023")), 201).json(t, &dst)
		file, err := xlsx.Appendices(src.Document, xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/plans/%d/import", dst.ID)
		c.expect(c.do("POST", path+"?mode=replace", file, "Content-Type", typeXLSX), 428)
		var dry struct{ Read int }
		c.expect(c.do("POST", path+"?dry_run=true", file, "Content-Type", typeXLSX), 200).json(t, &dry)
		if dry.Read != 7 {
			t.Errorf("dry run read %d", dry.Read)
		}
		// Multipart upload, replacing the tasks.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "phu-luc.xlsx")
		fw.Write(file)
		mw.Close()
		var res struct {
			Read        int   `json:"read"`
			PlanVersion int64 `json:"plan_version"`
		}
		c.expect(c.do("POST", path+"?mode=replace", body.Bytes(), "Content-Type", mw.FormDataContentType(), "If-Match", `"v1"`), 200).json(t, &res)
		if res.Read != 7 || res.PlanVersion != 2 {
			t.Errorf("import %+v", res)
		}
		var got planJSON
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d", dst.ID), nil), 200).json(t, &got)
		if n := len(got.Document.Appendices[0].Tasks); n != 7 {
			t.Errorf("%d tasks after import", n)
		}
		// A file with bad rows stores nothing.
		c.expect(c.do("POST", path, []byte("not xlsx"), "Content-Type", typeXLSX, "If-Match", `"v2"`), 422)
		c.expect(c.do("POST", path, file, "Content-Type", "text/csv", "If-Match", `"v2"`), http.StatusUnsupportedMediaType)
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d", dst.ID), nil), 200).json(t, &got)
		if got.Version != 2 {
			t.Errorf("a refused import changed the plan: version %d", got.Version)
		}
	})
}
