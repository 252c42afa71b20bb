package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/domain"
	"baocao/reports/importxlsx"
	"baocao/workflow"
)

// Importing an appendix from Excel in the browser: the file is read as a
// dry run first, and the page lists every row read and every row refused
// with its reason; nothing is stored until the secretariat confirms. The
// confirmation carries the file itself (base64 in the form, no state on
// the server) and the plan's version, and goes through
// workflow.Service.ImportTasks like the API's import.

// importRow is a row of the spreadsheet as the preview lists it.
type importRow struct {
	Row                     int
	Content, Lead, Deadline string
}

// importView is what the import page shows.
type importView struct {
	PlanID                int64
	PlanRef               string
	Version               int64
	Appendices            []string
	Appendix              int
	Mode                  string
	FileName, Data, Sheet string
	Read                  []importRow
	Refused               []importxlsx.RowError
	Checked, CanConfirm   bool
	AskArchive            bool
	FileError             string
}

func (s *Server) importView(p domain.Plan) importView {
	v := importView{PlanID: p.ID, PlanRef: reference(p), Version: p.Version, Mode: string(workflow.ImportAppend)}
	for _, a := range p.Doc.Appendices {
		v.Appendices = append(v.Appendices, a.Title)
	}
	return v
}

func (s *Server) importPage(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	return s.showImport(c, http.StatusOK, s.importView(p), "")
}

func (s *Server) showImport(c echo.Context, status int, v importView, alert string) error {
	return s.page(c, status, "import", "Nhập nhiệm vụ từ Excel", view{Alert: alert, Data: v})
}

// importOptions reads the appendix and the mode of the import form.
func importOptions(c echo.Context, v *importView) error {
	mode, err := workflow.ParseImportMode(c.FormValue("mode"))
	if err != nil {
		return err
	}
	v.Mode = string(mode)
	n, err := formInt(c, "appendix")
	if err != nil || n < 0 || n > 49 {
		n = 0
	}
	v.Appendix = n
	return nil
}

// readImport reads the spreadsheet in an import slot and applies the
// rules of workflow.Service.CheckImport, filling in the rows read and
// refused. It returns the tasks when every row was read.
func (s *Server) readImport(c echo.Context, v *importView, data []byte) (*importxlsx.Result, error) {
	var res *importxlsx.Result
	err := s.withImportSlot(c.Request().Context(), func() error {
		var err error
		res, err = importxlsx.Read(bytes.NewReader(data))
		return err
	})
	if err != nil {
		return nil, importError(err)
	}
	err = s.wf.CheckImport(actorOf(c), res)
	v.Checked, v.Sheet, v.Refused = true, res.Sheet, res.Errors
	for i := range v.Refused {
		v.Refused[i].Reason = rowReasonVI(v.Refused[i].Reason)
	}
	for i, t := range res.Tasks {
		r := importRow{Content: t.Content, Lead: strings.Join(t.Lead, "; "), Deadline: t.Deadline.Text}
		if i < len(res.Rows) {
			r.Row = res.Rows[i]
		}
		v.Read = append(v.Read, r)
	}
	var re *workflow.RowsError
	if errors.As(err, &re) {
		return nil, nil
	}
	return res, err
}

// importPreview reads an uploaded file as a dry run: nothing is stored.
func (s *Server) importPreview(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	v := s.importView(p)
	v.Version = formVersion(c)
	if err := importOptions(c, &v); err != nil {
		return s.importRefused(c, err, v)
	}
	data, err := s.readUpload(c)
	if err != nil {
		return s.importRefused(c, err, v)
	}
	if fh, err := c.FormFile("file"); err == nil {
		v.FileName = fh.Filename
	}
	res, err := s.readImport(c, &v, data)
	if err != nil {
		return s.importRefused(c, err, v)
	}
	if res == nil {
		return s.showImport(c, http.StatusUnprocessableEntity, v,
			fmt.Sprintf("Có %d dòng không đọc được (xem lý do bên dưới); chưa nhập gì. Hãy sửa tệp rồi tải lên lại.", len(v.Refused)))
	}
	v.CanConfirm, v.Data = true, base64.StdEncoding.EncodeToString(data)
	return s.showImport(c, http.StatusOK, v, "")
}

// importConfirm stores what the preview showed.
func (s *Server) importConfirm(c echo.Context) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	v := s.importView(p)
	v.Version, v.FileName = formVersion(c), c.FormValue("file_name")
	if err := importOptions(c, &v); err != nil {
		return s.importRefused(c, err, v)
	}
	data, err := base64.StdEncoding.DecodeString(c.FormValue("data"))
	if err != nil || len(data) == 0 {
		v.FileError = "Không có tệp để nhập: hãy chọn tệp Excel rồi bấm “Đọc thử”."
		return s.showImport(c, http.StatusUnprocessableEntity, v, "Chưa nhập gì.")
	}
	res, err := s.readImport(c, &v, data)
	if err != nil || res == nil {
		if err == nil {
			return s.showImport(c, http.StatusUnprocessableEntity, v, "Có dòng không đọc được; chưa nhập gì.")
		}
		return s.importRefused(c, err, v)
	}
	opt := domain.UpdateOptions{ArchiveTasks: c.FormValue("archive") == "1"}
	im, err := s.wf.ImportTasks(c.Request().Context(), actorOf(c), p.ID, v.Version, v.Appendix, workflow.ImportMode(v.Mode), res.Tasks, opt)
	if err != nil {
		v.CanConfirm, v.Data = true, c.FormValue("data")
		var pe *domain.ProgressError
		if errors.As(err, &pe) {
			v.AskArchive = true
			return s.showImport(c, http.StatusConflict, v, fmt.Sprintf("Chưa nhập: thay thế sẽ bỏ %d nhiệm vụ đã có báo cáo tiến độ. "+
				"Các báo cáo không bao giờ bị xóa; hãy đánh dấu “Lưu trữ các nhiệm vụ đó” rồi xác nhận lại, hoặc chọn “Thêm vào sau”.", len(pe.Tasks)))
		}
		return s.importRefused(c, err, v)
	}
	noteArchived(c, im.Archived)
	c.Set(auditDetailKey, fmt.Sprintf("%d tasks imported (%s) into appendix %d from the web form", len(im.Tasks), v.Mode, v.Appendix))
	return s.redirectWith(c, fmt.Sprintf("/plans/%d/tasks", p.ID), fmt.Sprintf("Đã nhập %d nhiệm vụ từ tệp %s.", len(im.Tasks), v.FileName))
}

// importRefused shows the import page with why the file was not read or
// not stored.
func (s *Server) importRefused(c echo.Context, err error, v importView) error {
	p := answerOf(err)
	if p == nil || p.Status >= 500 && p.Type != problemBase+"busy" && p.Type != problemBase+"import-timeout" {
		return err
	}
	if errors.Is(err, domain.ErrStale) {
		v.CanConfirm = false
		return s.showImport(c, http.StatusConflict, v, "Kế hoạch vừa được người khác sửa nên chưa nhập gì. Hãy tải lại trang, chọn tệp và đọc thử lại.")
	}
	var parts []string
	for _, fe := range p.Errors {
		if fe.Field == "file" {
			v.FileError = fileProblemVI(fe.Problem)
			continue
		}
		parts = append(parts, fe.Field+": "+problemVI(fe))
	}
	alert := "Chưa nhập gì."
	switch {
	case p.Status == http.StatusRequestEntityTooLarge:
		alert = "Tệp quá lớn; chưa nhập gì."
	case p.Status == http.StatusServiceUnavailable:
		alert = "Máy chủ đang bận đọc tệp khác; hãy thử lại sau ít giây."
	case p.Status == http.StatusUnsupportedMediaType:
		v.FileError = "Hãy chọn một tệp Excel (.xlsx)."
	case len(parts) > 0:
		alert += " " + strings.Join(parts, "; ")
	}
	return s.showImport(c, p.Status, v, alert)
}

// fileProblemVI is the Vietnamese half of a file's problem, when it has one.
func fileProblemVI(p string) string {
	if strings.Contains(p, " / ") {
		return vietnamesePart(p)
	}
	if strings.Contains(p, "no task rows") {
		return "Bảng không có dòng nhiệm vụ nào."
	}
	if strings.Contains(p, "form field") {
		return "Hãy chọn tệp Excel (.xlsx) để nhập."
	}
	return "Không đọc được tệp (" + p + ")."
}

var (
	emptyColumnRe = regexp.MustCompile(`the column "([^"]+)" is empty`)
	fontColumnRe  = regexp.MustCompile(`the column "([^"]+)" `)
)

// rowReasonVI words the reason a row was refused in Vietnamese.
func rowReasonVI(reason string) string {
	var out []string
	for _, r := range strings.Split(reason, "; ") {
		switch {
		case emptyColumnRe.MatchString(r):
			out = append(out, emptyColumnRe.ReplaceAllString(r, "cột “$1” để trống"))
		case strings.HasPrefix(r, "the content is longer"):
			out = append(out, "nội dung dài quá 100.000 ký tự")
		case fontColumnRe.MatchString(r) && (strings.Contains(r, "cannot draw") || strings.Contains(r, "cannot print")):
			m := fontColumnRe.FindStringSubmatch(r)
			out = append(out, "cột “"+m[1]+"” có ký tự không in được (biểu tượng cảm xúc, chữ Hán, ký tự điều khiển …): "+strings.TrimPrefix(r, m[0]))
		default:
			out = append(out, r)
		}
	}
	return upperFirst(strings.Join(out, "; ")) + "."
}
