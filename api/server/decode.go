package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"baocao/reports/doc"
)

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// readJSON reads a JSON body of at most limit bytes, insisting on the
// content type.
func readJSON(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Kiểu nội dung không được hỗ trợ / Unsupported media type",
			fmt.Sprintf("send the body as application/json, not %q", ct))
	}
	return readBody(c, limit)
}

// readBody reads a body of at most limit bytes into one buffer sized from
// its Content-Length (no copies as it grows); a Content-Length over the
// limit is refused before anything is read.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	req := c.Request()
	body, err := doc.ReadSized(http.MaxBytesReader(c.Response(), req.Body, limit), req.ContentLength, limit)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, doc.ErrTooLarge) {
		return nil, problem(http.StatusRequestEntityTooLarge, "too-large", "Dữ liệu quá lớn / Request too large",
			fmt.Sprintf("the body is larger than the limit of %d bytes", limit))
	}
	if err != nil {
		return nil, problem(http.StatusBadRequest, "bad-body", "Không đọc được dữ liệu / Unreadable body", err.Error())
	}
	return body, nil
}

// decodeStrict reads a JSON body into v, refusing unknown fields.
func (s *Server) decodeStrict(c echo.Context, v any) error {
	body, err := readJSON(c, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	return doc.DecodeJSON(body, v)
}

// pathID reads a numeric path parameter.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, validation(doc.FieldError{Field: name, Problem: fmt.Sprintf("phải là số nguyên dương, không phải %q / must be a positive integer, not %q", c.Param(name), c.Param(name))})
	}
	return id, nil
}

// version is the version a client claims to update: the If-Match header
// ("3" or "\"v3\"") or the body's version field. One of them is required.
func version(c echo.Context, body int64) (int64, error) {
	if h := c.Request().Header.Get("If-Match"); h != "" {
		v := strings.TrimPrefix(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), "v")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, validation(doc.FieldError{Field: "If-Match", Problem: fmt.Sprintf("want the ETag you read, such as \"v3\", not %q", h)})
		}
		if body != 0 && body != n {
			return 0, validation(doc.FieldError{Field: "version", Problem: "differs from If-Match"})
		}
		return n, nil
	}
	if body <= 0 {
		return 0, problem(http.StatusPreconditionRequired, "version-required", "Thiếu phiên bản / Version required",
			"send the version you read, in the body's version field or an If-Match header, so that no one else's change is overwritten")
	}
	return body, nil
}

// etagOf is the ETag of a versioned resource.
func etagOf(v int64) string { return fmt.Sprintf("\"v%d\"", v) }

// queryInt reads an optional integer query parameter within bounds.
func queryInt(c echo.Context, name string, def, min, max int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, validation(doc.FieldError{Field: name, Problem: fmt.Sprintf("phải là số nguyên từ %d đến %d, không phải %q / must be an integer from %d to %d, not %q", min, max, s, min, max, s)})
	}
	return n, nil
}

// pageParams reads ?page= (from 1) and ?per_page= (1–100, default 20) as
// a limit and an offset.
func pageParams(c echo.Context) (limit, offset int, err error) {
	page, err := queryInt(c, "page", 1, 1, 100000)
	if err != nil {
		return 0, 0, err
	}
	per, err := queryInt(c, "per_page", 20, 1, 100)
	if err != nil {
		return 0, 0, err
	}
	return per, (page - 1) * per, nil
}
