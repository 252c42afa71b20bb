package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/store"
	"baocao/reports/doc"
)

// Idempotency-Key (README: "Retries: Idempotency-Key"). A POST of the API
// that changes something may carry a key; the first request with it runs
// and its answer (unless a 5xx) is stored in the database for 24 hours
// per caller and key; a retry with the same key and the same request gets
// that answer again, with Idempotent-Replayed: true, and changes nothing.
// The same key with another request is refused (422), and while the first
// still runs (409).
const (
	idempotencyHeader = "Idempotency-Key"
	replayedHeader    = "Idempotent-Replayed"
	replayedKey       = "baocao.replayed"
)

// idempotentRoute tells the routes that honour an Idempotency-Key: the
// API's POSTs that change something (they record an action), except a
// key's creation, whose answer holds the key's secret, which is never
// stored. Elsewhere the header is ignored (the render endpoint stores
// nothing, so a retry of it is harmless).
func idempotentRoute(method, path, action string) bool {
	return method == http.MethodPost && strings.HasPrefix(path, "/api/") && action != "" && path != "/api/v1/keys"
}

// storedHeaders are the answer's headers kept with it.
var storedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", echo.HeaderContentDisposition, "X-Baocao-Warning", "Retry-After"}

// principalID names the caller whose keys these are.
func principalID(p *Principal) string {
	if p.Kind == "key" {
		return fmt.Sprintf("key:%d", p.KeyID)
	}
	return fmt.Sprintf("user:%d", p.UserID)
}

// recorder passes an answer on and keeps a copy.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// idempotent runs a request with an Idempotency-Key once (see above).
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		key := req.Header.Get(idempotencyHeader)
		p := principal(c)
		if key == "" || p == nil {
			return next(c)
		}
		if len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			return validation(doc.FieldError{Field: idempotencyHeader, Problem: "must be 1 to 255 visible ASCII characters (a UUID will do)"})
		}
		body, err := readBody(c, s.cfg.MaxBodyBytes)
		if err != nil {
			return err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
		h := sha256.New()
		fmt.Fprintf(h, "%s\n%s\n%s\n%s\n", req.Method, req.URL.Path, req.URL.RawQuery, mt)
		h.Write(body)
		who := principalID(p)
		// From here the request runs to its end even when the client goes
		// away meanwhile (a cut connection): its retry then finds the
		// answer.
		orig := req.Context()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(orig), s.cfg.RenderTimeout+time.Minute)
		defer func() {
			// The audit entry (written by guard, after this) too.
			cancel()
			c.SetRequest(c.Request().WithContext(context.WithoutCancel(orig)))
		}()
		req = req.WithContext(ctx)
		c.SetRequest(req)
		claimed, ans, err := s.store.ClaimIdempotencyKey(ctx, who, key, hex.EncodeToString(h.Sum(nil)), req.Method, req.URL.RequestURI())
		switch {
		case errors.Is(err, store.ErrIdempotencyMismatch):
			pr := problem(http.StatusUnprocessableEntity, "idempotency-key-reused", "Khóa Idempotency-Key đã dùng cho yêu cầu khác / Idempotency-Key used for another request",
				"Khóa này đã được dùng với một yêu cầu khác (phương thức, đường dẫn hoặc nội dung khác); hãy dùng khóa mới. / "+
					err.Error()+"; use a new key for a new request")
			pr.Errors = []doc.FieldError{{Field: idempotencyHeader, Problem: "was used with another request"}}
			return pr
		case errors.Is(err, store.ErrIdempotencyRunning):
			pr := problem(http.StatusConflict, "idempotency-key-in-use", "Yêu cầu đang được xử lý / Request still running",
				"Yêu cầu đầu tiên với khóa này vẫn đang chạy; hãy thử lại sau. / The first request with this Idempotency-Key is still running; retry shortly to get its answer")
			pr.retryAfter = 1
			return pr
		case err != nil:
			return err
		case !claimed:
			res := c.Response()
			for k, v := range ans.Headers {
				res.Header().Set(k, v)
			}
			res.Header().Set(replayedHeader, "true")
			c.Set(replayedKey, true)
			res.WriteHeader(ans.Status)
			_, err := res.Write(ans.Body)
			return err
		}

		if s.idempotencyHook != nil {
			s.idempotencyHook(orig, key)
		}
		res := c.Response()
		rec := &recorder{ResponseWriter: res.Writer}
		res.Writer = rec
		err = next(c)
		if err != nil {
			c.Error(err)
		}
		res.Writer = rec.ResponseWriter
		sctx, scancel := context.WithTimeout(context.WithoutCancel(orig), 10*time.Second)
		defer scancel()
		if !res.Committed || res.Status >= 500 {
			if rerr := s.store.ReleaseIdempotencyKey(sctx, who, key); rerr != nil {
				slog.Error("idempotency key not released", "error", rerr, "principal", who)
			}
			return err
		}
		kept := map[string]string{}
		for _, name := range storedHeaders {
			if v := res.Header().Get(name); v != "" {
				kept[name] = v
			}
		}
		if ferr := s.store.FinishIdempotencyKey(sctx, who, key, store.IdempotentAnswer{Status: res.Status, Headers: kept, Body: rec.body.Bytes()}); ferr != nil {
			slog.Error("idempotent answer not stored", "error", ferr, "principal", who)
		}
		return err
	}
}
