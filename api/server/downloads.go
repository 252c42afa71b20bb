package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/workflow"
)

// Content types of the rendered formats.
const (
	typePDF  = "application/pdf"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typeDOCX = docx.ContentType
)

// contentType is the media type of a format: pdf, xlsx or docx.
func contentType(format string) string {
	switch format {
	case "xlsx":
		return typeXLSX
	case "docx":
		return typeDOCX
	}
	return typePDF
}

// errBusy answers when every render slot is taken.
func errBusy() *Problem {
	p := problem(http.StatusServiceUnavailable, "busy", "Máy chủ đang bận / Server busy",
		"too many documents are being rendered; try again shortly")
	p.retryAfter = 2
	return p
}

// takeRenderSlot takes a render slot, waiting at most 250 ms (then 503
// busy); release gives it back. Nothing of a request is read or decoded
// before its slot is taken, so that refused requests cost nothing.
func (s *Server) takeRenderSlot(ctx context.Context) (release func(), err error) {
	wait := time.NewTimer(250 * time.Millisecond)
	defer wait.Stop()
	select {
	case s.renders <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-s.renders }) }, nil
	case <-wait.C:
		s.metrics.busy.Inc()
		return nil, errBusy()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// withRenderSlot runs fn, a render, in a render slot (see takeRenderSlot)
// within the render timeout.
func (s *Server) withRenderSlot(ctx context.Context, fn func(ctx context.Context) error) error {
	release, err := s.takeRenderSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RenderTimeout)
	defer cancel()
	return s.runRender(ctx, fn)
}

// runRender runs fn with ctx, which ends at the render timeout or with
// the request (a client that disconnects), and returns when fn does or
// ctx ends, whichever is first. The renderers look at their context every
// few lines and rows and stop soon after it ends; the caller frees the
// slot as soon as runRender returns, so a render that ran out of time
// never keeps it.
func (s *Server) runRender(ctx context.Context, fn func(ctx context.Context) error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("render panicked: %v", r)
			}
		}()
		done <- fn(ctx)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return s.renderTimeout()
	}
	return err
}

func (s *Server) renderTimeout() *Problem {
	return problem(http.StatusServiceUnavailable, "render-timeout", "Hết thời gian tạo văn bản / Render timed out",
		fmt.Sprintf("the document took longer than %s to render", s.cfg.RenderTimeout))
}

// renderDoc renders what (plan or appendix) of d in format (pdf, xlsx or docx)
// in a render slot.
func (s *Server) renderDoc(ctx context.Context, d *doc.Document, what, format string) ([]byte, error) {
	if what == "appendix" && len(d.Appendices) == 0 {
		return nil, problem(http.StatusNotFound, "no-appendix", "Không có phụ lục / No appendix", "the document has no appendix")
	}
	if what == "appendix" && format != "xlsx" && len(d.Printed().Appendices) == 0 {
		return nil, problem(http.StatusNotFound, "no-appendix", "Không có phụ lục in / No printed appendix",
			"the plan prints no appendix: its tasks are kept for tracking only (track_only); the XLSX lists them")
	}
	var data []byte
	err := s.withRenderSlot(ctx, func(ctx context.Context) error {
		var err error
		data, err = s.renderIn(ctx, d, what, format)
		return err
	})
	return data, err
}

// renderIn renders in the slot the caller holds.
func (s *Server) renderIn(ctx context.Context, d *doc.Document, what, format string) ([]byte, error) {
	start := time.Now()
	data, err := workflow.Renderers{PDF: s.pdf, DOCX: s.docx, Fonts: s.cfg.Fonts}.Document(ctx, d, what, workflow.Format(format))
	if err != nil {
		return nil, renderError(err)
	}
	s.metrics.observe(what, format, start, len(data))
	return data, nil
}

// renderArchival renders d (the plan or its appendix) as PDF/A-2b.
func (s *Server) renderArchival(ctx context.Context, d *doc.Document, what string) ([]byte, error) {
	start := time.Now()
	r := s.pdf.PDFA()
	render := r.Document
	if what == "appendix" {
		render = r.Appendix
	}
	data, err := render(ctx, d)
	if err != nil {
		return nil, renderError(err)
	}
	s.metrics.observe(what, "pdf", start, len(data))
	return data, nil
}

// renderError turns a renderer's complaint about the input (a character
// the font lacks) into a validation problem naming the field.
func renderError(err error) error {
	var me *fonts.MissingError
	if errors.As(err, &me) {
		return validation(doc.FieldError{Field: me.Where, Problem: fmt.Sprintf("the font %s has no glyph for %U %q", me.Family, me.Rune, string(me.Rune))})
	}
	return err
}

// sendFile answers with a rendered file: its type, a download name in
// ASCII and in UTF-8 (RFC 6266/5987), its length, and a strong ETag from
// its content, honouring If-None-Match.
func sendFile(c echo.Context, data []byte, contentType, name string) error {
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if match(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentDisposition, contentDisposition(name))
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, data)
}

// contentDisposition makes an attachment header with an ASCII fallback
// name and the Vietnamese name as filename*.
func contentDisposition(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": asciiName(name)}) +
		"; filename*=UTF-8''" + extValue(safeName(name))
}

// extValue percent-encodes a UTF-8 value for an RFC 5987 ext-value: every
// byte but the attr-chars (letters, digits and !#$&-.^_`|~; "+" too is
// encoded, some clients read it as a space), so that the header always
// parses ("=" or "@" in a name would end a token).
func extValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// safeName removes from a file name what file systems refuse.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '-'
		case unicode.IsControl(r) || strings.ContainsRune(`:*?"<>|`, r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// asciiName transliterates a Vietnamese file name: "Kế hoạch 15-KH-UBND.pdf"
// becomes "Ke-hoach-15-KH-UBND.pdf".
func asciiName(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ = transform.String(t, safeName(s))
	s = strings.NewReplacer("đ", "d", "Đ", "D").Replace(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(strings.Trim(strings.ReplaceAll(b.String(), "-.", "."), "-"), ".-")
	switch {
	case strings.Trim(out, ".") == "":
		out = "document" // nothing left, or "." and ".."
	case out[0] == '.':
		out = "document" + out // "😀.pdf": no hidden file
	}
	return out
}

// fileName is the download name of a document: "Kế hoạch 15/KH-UBND.pdf",
// "Phụ lục Kế hoạch 15/KH-UBND.xlsx"; a draft is named by its year.
func fileName(d *doc.Document, what, ext string) string {
	ref := d.KindName() + " " + d.NumberAndSymbol()
	switch p := d.PromulgatedBy; {
	case p != nil && p.Number > 0:
		ref = fmt.Sprintf("%s kèm theo %s %s", d.KindName(), p.KindName(), p.NumberAndSymbol())
	case d.Number == 0:
		ref = fmt.Sprintf("%s %s %d (dự thảo)", d.KindName(), d.FullSymbol(), d.Date.Year)
	}
	if what == "appendix" {
		ref = "Phụ lục " + ref
	}
	return ref + "." + ext
}

func (s *Server) download(c echo.Context, what, format string) error {
	p, err := s.planFromPath(c)
	if err != nil {
		return err
	}
	// An issued plan's PDFs are its frozen (or signed) files.
	if format == "pdf" {
		data, ok, err := s.issuedPlanFile(c.Request().Context(), p, what)
		if err != nil {
			return err
		}
		if ok {
			return sendFile(c, data, typePDF, fileName(p.Doc, what, format))
		}
	}
	// Stored text the font cannot draw is drawn as "□", with a warning.
	s.warnReplaced(c, p.Doc.ReplaceUndrawable(s.cfg.Fonts))
	data, err := s.renderDoc(c.Request().Context(), p.Doc, what, format)
	if err != nil {
		return err
	}
	warnUnsignable(c, p.Doc, what)
	return sendFile(c, data, contentType(format), fileName(p.Doc, what, format))
}

func (s *Server) downloadDocument(c echo.Context) error    { return s.download(c, "plan", "pdf") }
func (s *Server) downloadAppendixPDF(c echo.Context) error { return s.download(c, "appendix", "pdf") }
func (s *Server) downloadAppendixXLSX(c echo.Context) error {
	return s.download(c, "appendix", "xlsx")
}
func (s *Server) downloadDocumentDOCX(c echo.Context) error { return s.download(c, "plan", "docx") }
func (s *Server) downloadAppendixDOCX(c echo.Context) error {
	return s.download(c, "appendix", "docx")
}

// render is the stateless endpoint: a whole document in, a file out,
// nothing stored.
func (s *Server) render(c echo.Context) error {
	what := c.QueryParam("doc")
	if what == "" {
		what = "plan"
	}
	if what != "plan" && what != "appendix" {
		return validation(doc.FieldError{Field: "doc", Problem: fmt.Sprintf("must be plan or appendix, not %q", what)})
	}
	format := c.QueryParam("format")
	if format == "" {
		format = formatFromAccept(c.Request().Header.Get("Accept"))
	}
	switch format {
	case "pdf", "xlsx", "docx":
	case "":
		return problem(http.StatusNotAcceptable, "not-acceptable", "Định dạng không được hỗ trợ / Not acceptable",
			"ask for format=pdf, format=xlsx or format=docx, or Accept: application/pdf, "+typeXLSX+" or "+typeDOCX)
	default:
		return validation(doc.FieldError{Field: "format", Problem: fmt.Sprintf("must be pdf, xlsx or docx, not %q", format)})
	}
	if format == "xlsx" && what == "plan" {
		return validation(doc.FieldError{Field: "doc", Problem: "Excel holds appendix tables: use doc=appendix with format=xlsx"})
	}
	// pdfa=true: a PDF/A-2b file (README "Digital signatures and PDF/A").
	pdfa := false
	switch v := c.QueryParam("pdfa"); v {
	case "", "false":
	case "true":
		pdfa = format == "pdf"
	default:
		return validation(doc.FieldError{Field: "pdfa", Problem: fmt.Sprintf("must be true or false, not %q", v)})
	}
	async, err := asyncParam(c)
	if err != nil {
		return err
	}
	if async {
		return s.renderAsync(c, what, format, pdfa)
	}
	// The slot is taken before the body is read: a request refused as busy
	// costs no memory. The render timeout counts from here, reading the
	// body included.
	ctx := c.Request().Context()
	release, err := s.takeRenderSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RenderTimeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	_ = http.NewResponseController(c.Response()).SetReadDeadline(deadline)
	in, err := s.readDocument(c)
	if err != nil {
		if ctx.Err() != nil {
			return s.renderTimeout()
		}
		return err
	}
	if err := s.wf.CheckDocument(&in.Document); err != nil {
		return err
	}
	if in.Version != 0 {
		return validation(doc.FieldError{Field: "version", Problem: "unknown field"})
	}
	if what == "appendix" && len(in.Appendices) == 0 {
		return problem(http.StatusNotFound, "no-appendix", "Không có phụ lục / No appendix", "the document has no appendix")
	}
	var data []byte
	err = s.runRender(ctx, func(ctx context.Context) error {
		var err error
		if pdfa {
			data, err = s.renderArchival(ctx, &in.Document, what)
		} else {
			data, err = s.renderIn(ctx, &in.Document, what, format)
		}
		return err
	})
	if err != nil {
		return err
	}
	warnUnsignable(c, &in.Document, what)
	return sendFile(c, data, contentType(format), fileName(&in.Document, what, format))
}

// formatFromAccept picks pdf, xlsx or docx from an Accept header; "" when
// it accepts none of them.
func formatFromAccept(accept string) string {
	if accept == "" {
		return "pdf"
	}
	best, bestQ := "", 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		var f string
		switch mt {
		case typePDF, "*/*", "application/*":
			f = "pdf"
		case typeXLSX:
			f = "xlsx"
		case typeDOCX:
			f = "docx"
		}
		if f != "" && q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// documentWarningHeader names, by code, what keeps a rendered document
// from being signed as it stands (doc.Warnings): "no-signature,
// no-recipients". The plan page says it in Vietnamese.
const documentWarningHeader = "X-Baocao-Document-Warning"

func warnUnsignable(c echo.Context, d *doc.Document, what string) {
	if what != "plan" {
		return
	}
	if w := d.Warnings(); len(w) > 0 {
		c.Response().Header().Set(documentWarningHeader, doc.WarningCodes(w))
	}
}
