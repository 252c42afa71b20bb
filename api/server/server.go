// Package server is baocao's HTTP API: agencies, plans and their tasks as
// JSON under /api/v1, rendered documents for download, a stateless render
// endpoint for other applications, and the operational endpoints.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"baocao/api/store"
	"baocao/fonts"
	"baocao/reports/pdf"
	"baocao/reports/report"
	"baocao/templates"
)

// Config holds the server's settings (README: "Configuration").
type Config struct {
	Addr          string        // listen address
	MaxBodyBytes  int64         // largest request body
	MaxRenders    int           // renders running at once; more get 503
	RenderTimeout time.Duration // longest a render may take
	// TrustedProxies are the CIDRs of reverse proxies whose
	// X-Forwarded-For is believed; empty: the peer address is the client.
	TrustedProxies []string
	Fonts          *fonts.Family
	// TemplatesDir overrides the document templates; empty: the embedded ones.
	TemplatesDir string
}

// Defaults fills unset fields.
func (c *Config) Defaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 8 << 20
	}
	if c.MaxRenders <= 0 {
		c.MaxRenders = 4
	}
	if c.RenderTimeout <= 0 {
		c.RenderTimeout = 30 * time.Second
	}
}

// Server is the HTTP API over a store.
type Server struct {
	cfg       Config
	store     *store.Store
	pdf       *pdf.Renderer
	echo      *echo.Echo
	renders   chan struct{} // one token per running render
	metrics   *metrics
	templates *templates.Set
}

// New builds the server and its routes.
func New(cfg Config, st *store.Store) (*Server, error) {
	cfg.Defaults()
	if cfg.Fonts == nil {
		fam, err := fonts.Default()
		if err != nil {
			return nil, err
		}
		cfg.Fonts = fam
	}
	set, err := templates.Load(cfg.TemplatesDir, report.Funcs())
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: st, pdf: pdf.New(cfg.Fonts), renders: make(chan struct{}, cfg.MaxRenders),
		metrics: newMetrics(), templates: set}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler
	ipx, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = ipx
	// A request ID from the client is kept (and echoed); else one is made.
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: newRequestID}))
	e.Use(s.logRequests, s.metrics.middleware, s.recoverer)
	s.echo = e
	s.routes()
	return s, nil
}

// Handler is the HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router (tests list its routes).
func (s *Server) Echo() *echo.Echo { return s.echo }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})))

	v1 := e.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	v1.GET("/agencies", s.listAgencies)
	v1.POST("/agencies", s.createAgency)
	v1.GET("/agencies/:id", s.getAgency)
	v1.PUT("/agencies/:id", s.updateAgency)
	v1.DELETE("/agencies/:id", s.deleteAgency)

	v1.GET("/plans", s.listPlans)
	v1.POST("/plans", s.createPlan)
	v1.GET("/plans/:id", s.getPlan)
	v1.PUT("/plans/:id", s.updatePlan)
	v1.DELETE("/plans/:id", s.deletePlan)

	v1.GET("/plans/:id/tasks", s.listTasks)
	v1.POST("/plans/:id/tasks", s.addTask)
	v1.PUT("/plans/:id/tasks/order", s.reorderTasks)
	v1.PUT("/plans/:id/tasks/:task", s.updateTask)
	v1.DELETE("/plans/:id/tasks/:task", s.deleteTask)
	v1.POST("/plans/:id/import", s.importTasks)
	v1.POST("/plans/:id/progress", s.submitProgress)
	v1.GET("/plans/:id/progress", s.listProgress)
	v1.GET("/plans/:id/status", s.statusBoard)
	v1.GET("/plans/:id/reports", s.listReports)
	v1.GET("/plans/:id/reports/:name", s.getReport)
	v1.PUT("/plans/:id/reports/:name", s.saveReport)
	v1.POST("/plans/:id/reports/:period/issue", s.issueReport)

	v1.GET("/plans/:id/document.pdf", s.downloadDocument)
	v1.GET("/plans/:id/appendix.pdf", s.downloadAppendixPDF)
	v1.GET("/plans/:id/appendix.xlsx", s.downloadAppendixXLSX)
	v1.POST("/render", s.render)
}

// Run serves until ctx ends, then shuts down gracefully: in-flight
// requests finish (up to 30 s).
func (s *Server) Run(ctx context.Context) error {
	srv := s.httpServer()
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln, srv)
}

// httpServer is the HTTP server with baocao's timeouts.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      s.cfg.RenderTimeout + 30*time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln until ctx ends, then shuts srv down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener, srv *http.Server) error {
	slog.Info("baocao listening", "addr", "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies.
func ipExtractor(cidrs []string) (echo.IPExtractor, error) {
	if len(cidrs) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	var opts []echo.TrustOption
	opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	for _, c := range cidrs {
		_, n, err := net.ParseCIDR(strings.TrimSpace(c))
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", c, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		p := problem(http.StatusServiceUnavailable, "not-ready", "Chưa sẵn sàng / Not ready", "the database does not answer")
		p.retryAfter = 5
		return p
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
