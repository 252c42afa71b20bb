package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"baocao/api/store"
)

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// dropOddRequestID removes a client's X-Request-ID that is long or has
// other than letters, digits, '-', '_', '.' and ':' (it is logged, echoed
// and stored in the audit trail).
func dropOddRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header
		if id := h.Get(echo.HeaderXRequestID); id != "" && (len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':')
		})) {
			h.Del(echo.HeaderXRequestID)
		}
		return next(c)
	}
}

// uploadForms are the pages' routes whose form uploads a file.
var uploadForms = map[string]bool{"/plans/:id/import": true, "/verify": true,
	"/plans/:id/reports/:period/signed": true, "/plans/:id/letters/:letter/signed": true, "/plans/:id/signed": true}

// limitForms bounds the bodies of the web pages' form posts (the JSON API
// bounds its own): a login form is small, the others at most the API's
// limit; multipart is accepted only from the forms that upload a file
// (uploadForms).
func (s *Server) limitForms(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodPost || !isPage(c) {
			return next(c)
		}
		// The forms that upload a file (a multipart form): the import's
		// dry run, the verify page and a report's, a letter's or a plan's signed
		// file; no other.
		if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) && !uploadForms[c.Path()] {
			return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Kiểu dữ liệu không được hỗ trợ / Unsupported media type",
				"forms are sent as application/x-www-form-urlencoded")
		}
		limit := s.cfg.MaxBodyBytes
		if req.URL.Path == "/login" {
			limit = 16 << 10
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

// dbBudget gives every database call of a request a deadline: the
// database timeout, longer where a transaction holds a render (issuing a
// report) or a query streams an export (as long as the server may write).
func (s *Server) dbBudget(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		d := s.cfg.DBTimeout
		switch path := c.Path(); {
		case strings.HasPrefix(path, "/api/v1/exports/"):
			d = s.cfg.RenderTimeout + 30*time.Second // the server's write timeout
		case strings.HasSuffix(path, "/issue"):
			d += s.cfg.RenderTimeout
		}
		c.SetRequest(c.Request().WithContext(store.WithTimeout(c.Request().Context(), d)))
		return next(c)
	}
}

// trackCommits counts the commits of a changing request's handler (not
// those of its authentication), so that errorHandler knows a change
// that was stored before a later step failed.
func trackCommits(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
			return next(c)
		}
		ctx, commits := store.TrackCommits(c.Request().Context())
		c.Set(commitsKey, commits)
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// commitsKey holds the request's *store.Commits.
const commitsKey = "baocao.commits"

// recoverer turns a panic in a handler into a logged 500.
func (s *Server) recoverer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r) // a stream cut on purpose: net/http closes the connection
				}
				slog.Error("panic in handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()),
					"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		level := slog.LevelInfo
		switch {
		case res.Status == 500:
			level = slog.LevelError
		case res.Status >= 500:
			level = slog.LevelWarn
		}
		slog.Log(req.Context(), level, "request",
			"method", req.Method, "path", req.URL.Path, "route", c.Path(), "status", res.Status,
			"bytes", res.Size, "duration_ms", float64(time.Since(start).Microseconds())/1000,
			"ip", c.RealIP(), "request_id", res.Header().Get(echo.HeaderXRequestID))
		return nil
	}
}

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	renderS  *prometheus.HistogramVec
	renderB  *prometheus.HistogramVec
	busy     prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "baocao_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "baocao_http_request_duration_seconds", Help: "HTTP request durations by route, method and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method", "status"})
	m.renderS = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "baocao_render_duration_seconds", Help: "Document render durations by document and format.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"doc", "format"})
	m.renderB = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "baocao_render_size_bytes", Help: "Rendered document sizes by document and format.",
		Buckets: prometheus.ExponentialBuckets(8<<10, 2, 12),
	}, []string{"doc", "format"})
	m.busy = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "baocao_render_rejected_total", Help: "Renders refused because the render limit was reached.",
	})
	m.registry.MustRegister(m.requests, m.duration, m.renderS, m.renderB, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := strconv.Itoa(c.Response().Status)
		m.requests.WithLabelValues(route, c.Request().Method, status).Inc()
		m.duration.WithLabelValues(route, c.Request().Method, status).Observe(time.Since(start).Seconds())
		return nil
	}
}

// observe records a render's duration and size.
func (m *metrics) observe(doc, format string, start time.Time, size int) {
	m.renderS.WithLabelValues(doc, format).Observe(time.Since(start).Seconds())
	m.renderB.WithLabelValues(doc, format).Observe(float64(size))
}
