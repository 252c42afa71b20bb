package server

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/export"
	"baocao/reports/period"
)

// exportFilter reads the export filters: year, period, plan, agency,
// status.
func exportFilter(c echo.Context) (store.ExportFilter, error) {
	var f store.ExportFilter
	var err error
	if f.Year, err = queryInt(c, "year", 0, 1945, 9999); err != nil {
		return f, err
	}
	if v := c.QueryParam("period"); v != "" {
		p, err := period.Parse(v)
		if err != nil {
			return f, validation(doc.FieldError{Field: "period", Problem: err.Error()})
		}
		f.Period = p.Code()
	}
	plan, err := queryInt(c, "plan", 0, 1, 1<<31-1)
	if err != nil {
		return f, err
	}
	agency, err := queryInt(c, "agency", 0, 1, 1<<31-1)
	if err != nil {
		return f, err
	}
	f.PlanID, f.AgencyID = int64(plan), int64(agency)
	if v := c.QueryParam("status"); v != "" {
		if !domain.ValidStatus(v) {
			return f, validation(doc.FieldError{Field: "status", Problem: fmt.Sprintf("must be not_started, in_progress or done, not %q", v)})
		}
		f.Status = v
	}
	return f, nil
}

// describe writes the filters for the audit trail and the file name.
func describe(f store.ExportFilter) string {
	var parts []string
	add := func(k string, v any, set bool) {
		if set {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	add("year", f.Year, f.Year != 0)
	add("period", f.Period, f.Period != "")
	add("plan", f.PlanID, f.PlanID != 0)
	add("agency", f.AgencyID, f.AgencyID != 0)
	add("status", f.Status, f.Status != "")
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

// stream sends a generated file. It is first written to a temporary
// file at the database's pace, so that the database connection (the
// cursor) is given back before the first byte goes out, whatever the
// client's pace; then the file is sent, with its length. A failure while
// writing is answered with a problem (500), not a cut transfer. The export
// is recorded in the audit trail before the first byte is sent, so that
// one that the client abandons is recorded too; one that fails, with its
// status.
func (s *Server) stream(c echo.Context, action, detail, ctype, name string, write func(io.Writer) error) error {
	ctx := c.Request().Context()
	tmp, err := os.CreateTemp("", "baocao-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	var size int64
	if err == nil {
		size, err = tmp.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		status := http.StatusInternalServerError
		if ctx.Err() != nil {
			status = 499 // the client went away first
		}
		s.audit(c, principal(c), action, c.Request().URL.Path, detail, status)
		return fmt.Errorf("export: %w", err)
	}
	s.audit(c, principal(c), action, c.Request().URL.Path, detail, http.StatusOK)
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, ctype)
	res.Header().Set(echo.HeaderContentDisposition, contentDisposition(name))
	res.Header().Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	res.Header().Set("Cache-Control", "no-store")
	res.WriteHeader(http.StatusOK)
	if _, err := io.Copy(res, tmp); err != nil {
		slog.InfoContext(ctx, "export not delivered", "error", err, "request_id", res.Header().Get(echo.HeaderXRequestID))
	}
	return nil
}

func exportName(ext string) string {
	return "Tiến độ " + time.Now().In(period.Vietnam).Format("02-01-2006") + ext
}

func (s *Server) exportProgressCSV(c echo.Context) error {
	f, err := exportFilter(c)
	if err != nil {
		return err
	}
	sep, err := csvSeparator(c)
	if err != nil {
		return err
	}
	return s.stream(c, "export.progress", "csv "+describe(f), "text/csv; charset=utf-8", exportName(".csv"), func(w io.Writer) error {
		return export.CSV(w, s.store.ExportRows(c.Request().Context(), f), sep)
	})
}

func (s *Server) exportProgressXLSX(c echo.Context) error {
	f, err := exportFilter(c)
	if err != nil {
		return err
	}
	return s.stream(c, "export.progress", "xlsx "+describe(f), typeXLSX, exportName(".xlsx"), func(w io.Writer) error {
		return export.XLSX(w, s.store.ExportRows(c.Request().Context(), f), s.cfg.Fonts.SpreadsheetName())
	})
}

// auditHeader is the audit export's header row.
var auditHeader = []string{"STT", "Thời gian", "Người thực hiện", "Vai trò", "Hành động", "Đối tượng", "Chi tiết",
	"Địa chỉ IP", "Mã yêu cầu", "Mã trạng thái"}

func (s *Server) exportAuditCSV(c echo.Context) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	sep, err := csvSeparator(c)
	if err != nil {
		return err
	}
	day := time.Now().In(period.Vietnam).Format("02-01-2006")
	return s.stream(c, "export.audit", "csv "+describeAudit(f), "text/csv; charset=utf-8", "Nhật ký "+day+".csv", func(w io.Writer) error {
		return export.Records(w, auditHeader, sep, func(yield func([]string, error) bool) {
			for e, err := range s.store.EachAudit(c.Request().Context(), f) {
				rec := []string{strconv.FormatInt(e.ID, 10), e.At.In(period.Vietnam).Format("02/01/2006 15:04:05"), e.Actor, auth.RoleName(e.Role),
					actionCell(e.Action), e.Resource, e.Detail, e.IP, e.RequestID, strconv.Itoa(e.Status)}
				if !yield(rec, err) {
					return
				}
			}
		})
	})
}

// actionCell is an action in the trail's CSV: its Vietnamese name with its
// code, "Ban hành báo cáo (report.issue)".
func actionCell(code string) string {
	if n := store.ActionName(code); n != code {
		return n + " (" + code + ")"
	}
	return code
}

// describeAudit writes the trail's filters for the audit trail itself.
func describeAudit(f store.AuditFilter) string {
	var parts []string
	for _, kv := range [][2]string{{"actor", f.Actor}, {"action", f.Action}, {"from", day(f.From)}, {"to", day(f.To.AddDate(0, 0, -1))}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

func day(t time.Time) string {
	if t.IsZero() || t.Year() < 2 {
		return ""
	}
	return t.In(period.Vietnam).Format(time.DateOnly)
}

// csvSeparatorCookie remembers the export form's choice of separator.
const csvSeparatorCookie = "baocao_csv_sep"

// csvSeparator reads ?sep=comma|semicolon (default comma, or the choice
// the export form remembered) and remembers it for the form.
func csvSeparator(c echo.Context) (rune, error) {
	v := c.QueryParam("sep")
	if v == "" {
		if ck, err := c.Cookie(csvSeparatorCookie); err == nil {
			v = ck.Value
		}
	}
	var sep rune
	switch v {
	case "", "comma":
		sep = ','
	case "semicolon":
		sep = ';'
	default:
		return 0, validation(doc.FieldError{Field: "sep", Problem: fmt.Sprintf("phải là comma hoặc semicolon / want comma or semicolon, not %q", v)})
	}
	if c.QueryParam("sep") != "" {
		c.SetCookie(&http.Cookie{Name: csvSeparatorCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.IsTLS()})
	}
	return sep, nil
}
