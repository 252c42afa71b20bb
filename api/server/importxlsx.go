package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/reports/doc"
	"baocao/reports/importxlsx"
	"baocao/workflow"
)

// importTasks reads an appendix task table from an XLSX file into a plan:
// appended to (mode=append, the default) or replacing (mode=replace) the
// tasks of appendix N (appendix=N, default 0). Nothing is stored unless
// every row is valid; dry_run=true only reports what was read.
func (s *Server) importTasks(c echo.Context) error {
	mode, err := workflow.ParseImportMode(c.QueryParam("mode"))
	if err != nil {
		return err
	}
	appendix, err := queryInt(c, "appendix", 0, 0, 49)
	if err != nil {
		return err
	}
	dry := c.QueryParam("dry_run") == "true"
	data, err := s.readUpload(c)
	if err != nil {
		return err
	}
	var res *importxlsx.Result
	err = s.withImportSlot(c.Request().Context(), func() error {
		var err error
		res, err = importxlsx.Read(bytes.NewReader(data))
		return err
	})
	if err != nil {
		return importError(err)
	}
	if err := s.wf.CheckImport(actorOf(c), res); err != nil {
		return err
	}
	if dry {
		return c.JSON(http.StatusOK, map[string]any{"dry_run": true, "read": len(res.Tasks), "sheet": res.Sheet,
			"header_row": res.Header, "columns": res.Columns, "tasks": res.Tasks})
	}
	id, v, opt, err := planVersion(c, 0)
	if err != nil {
		return err
	}
	im, err := s.wf.ImportTasks(c.Request().Context(), actorOf(c), id, v, appendix, mode, res.Tasks, opt)
	if err != nil {
		return err
	}
	changed(c, im.PlanChange)
	return c.JSON(http.StatusOK, map[string]any{"read": len(res.Tasks), "plan_version": im.Plan.Version, "sheet": res.Sheet,
		"header_row": res.Header, "columns": res.Columns, "tasks": im.Tasks})
}

// importError answers a file the importer refused: 413 when it unpacks
// beyond a size limit, else 422; both name the field "file".
func importError(err error) error {
	var p *Problem
	var fe *importxlsx.FileError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &fe) && fe.TooLarge:
		p := problem(http.StatusRequestEntityTooLarge, "too-large", "Tệp quá lớn khi giải nén / File too large when unpacked", fe.En)
		p.Errors = []doc.FieldError{{Field: "file", Problem: fe.Error()}}
		return p
	case errors.As(err, &fe):
		return validation(doc.FieldError{Field: "file", Problem: fe.Error()})
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return validation(doc.FieldError{Field: "file", Problem: err.Error()})
}

// withImportSlot runs fn, an import, once an import slot is free (waiting
// at most 250 ms, else 503) and within the render timeout; like a render
// slot, it is held until fn really ends.
func (s *Server) withImportSlot(ctx context.Context, fn func() error) error {
	wait := time.NewTimer(250 * time.Millisecond)
	defer wait.Stop()
	select {
	case s.imports <- struct{}{}:
	case <-wait.C:
		s.metrics.busy.Inc()
		p := problem(http.StatusServiceUnavailable, "busy", "Máy chủ đang bận / Server busy",
			"too many spreadsheets are being imported; try again shortly")
		p.retryAfter = 2
		return p
	case <-ctx.Done():
		return ctx.Err()
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-s.imports }()
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("import panicked: %v", r)
			}
		}()
		done <- fn()
	}()
	timeout := time.NewTimer(s.cfg.RenderTimeout)
	defer timeout.Stop()
	select {
	case err := <-done:
		return err
	case <-timeout.C:
		return problem(http.StatusServiceUnavailable, "import-timeout", "Hết thời gian nhập tệp / Import timed out",
			fmt.Sprintf("the spreadsheet took longer than %s to read", s.cfg.RenderTimeout))
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readUpload takes the file from the body: raw XLSX, or a multipart form
// with a "file" field.
func (s *Server) readUpload(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, _ := mime.ParseMediaType(ct)
	switch mt {
	case typeXLSX, "application/octet-stream":
		return readBody(c, s.cfg.MaxBodyBytes)
	case "multipart/form-data":
		c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxBodyBytes)
		fh, err := c.FormFile("file")
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return nil, problem(http.StatusRequestEntityTooLarge, "too-large", "Dữ liệu quá lớn / Request too large",
					fmt.Sprintf("the upload is larger than the limit of %d bytes", s.cfg.MaxBodyBytes))
			}
			return nil, validation(doc.FieldError{Field: "file", Problem: "send the spreadsheet in the form field \"file\""})
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	return nil, problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Kiểu nội dung không được hỗ trợ / Unsupported media type",
		fmt.Sprintf("send the spreadsheet as %s or multipart/form-data, not %q", typeXLSX, ct))
}
