package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baocao/api/store/storetest"
)

// TestImportLimits: a file that unpacks beyond a limit gets 413, a table
// beyond the columns read 422, both naming "file" in Vietnamese and
// English; nothing is stored; a full import slot answers 503.
func TestImportLimits(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{MaxImports: 1})
	var p planJSON
	c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "thanh-tri-2022")), 201).json(t, &p)
	path := fmt.Sprintf("/api/v1/plans/%d/import?dry_run=true", p.ID)

	// A small file whose styles declare 15 GB.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 15 << 30})
	w.Write([]byte{3, 0})
	zw.Close()
	pr := c.expect(c.do("POST", path, buf.Bytes(), "Content-Type", typeXLSX), 413).problem(t)
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "file" || !strings.Contains(pr.Errors[0].Problem, "khai báo 15360 MB") ||
		!strings.Contains(pr.Errors[0].Problem, "declares 15360 MB") {
		t.Errorf("413 problem %+v", pr)
	}

	// A table with a value at XFD.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Nội dung", "Cơ quan chủ trì"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Tuyên truyền", "Sở Nội vụ"})
	f.SetCellValue("Sheet1", "XFD2", "x")
	buf.Reset()
	f.Write(&buf)
	pr = c.expect(c.do("POST", path, buf.Bytes(), "Content-Type", typeXLSX), 422).problem(t)
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "file" || !strings.Contains(pr.Errors[0].Problem, "ô XFD2 nằm ngoài cột Z") ||
		!strings.Contains(pr.Errors[0].Problem, "the cell XFD2 is beyond column Z") {
		t.Errorf("422 problem %+v", pr)
	}

	// The one import slot taken: 503 with Retry-After.
	c.srv.imports <- struct{}{}
	r := c.expect(c.do("POST", path, buf.Bytes(), "Content-Type", typeXLSX), 503)
	<-c.srv.imports
	if r.header.Get("Retry-After") == "" || !strings.Contains(r.problem(t).Detail, "imported") {
		t.Errorf("busy answer %+v", r.problem(t))
	}
}
