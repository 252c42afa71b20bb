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
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"baocao/api/store"
	"baocao/fonts"
	"baocao/jobs"
	"baocao/reports/docx"
	"baocao/reports/pdf"
	"baocao/templates"
	"baocao/workflow"
)

// Config holds the server's settings (README: "Configuration").
type Config struct {
	Addr          string        // listen address
	MaxBodyBytes  int64         // largest request body
	MaxRenders    int           // renders running at once; more get 503
	MaxImports    int           // XLSX imports running at once; more get 503
	RenderTimeout time.Duration // longest a render may take
	// DBTimeout is the longest a database call (a statement, or a
	// transaction as a whole) may take; then 503 (see dbBudget).
	DBTimeout time.Duration
	// TrustedProxies are the CIDRs of reverse proxies whose
	// X-Forwarded-For is believed; empty: the peer address is the client.
	TrustedProxies []string
	Fonts          *fonts.Family
	// TemplatesDir overrides the document templates; empty: the embedded ones.
	TemplatesDir string
	// SecureCookies marks the session cookie Secure even when the request
	// came in over plain HTTP (TLS ends at a proxy in front).
	SecureCookies bool
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// TLSCert and TLSKey are PEM files: when set, baocao serves HTTPS
	// itself (and the session cookie is Secure).
	TLSCert, TLSKey string
	// KeyCacheTTL is how long an API key found valid is remembered
	// (default 10 s): the longest a key revoked elsewhere may still work
	// when no notification reaches this instance (see keyCache).
	KeyCacheTTL time.Duration
	// Signing is the digital signatures' configuration (trust list,
	// organisation's key, seal, TSA); nil: verification without a trust
	// list, and no signing.
	Signing *workflow.SigningConfig
	// Jobs is the background job queue (renders in the background, the
	// jobs' routes and page, their metrics); nil: those answer 503.
	Jobs *jobs.Service
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
	if c.MaxImports <= 0 {
		c.MaxImports = 2
	}
	if c.RenderTimeout <= 0 {
		c.RenderTimeout = 30 * time.Second
	}
	if c.DBTimeout <= 0 {
		c.DBTimeout = 5 * time.Second
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
}

// Server is the HTTP API over a store.
type Server struct {
	cfg       Config
	store     *store.Store
	pdf       *pdf.Renderer
	docx      *docx.Renderer
	echo      *echo.Echo
	renders   chan struct{} // one token per running render
	imports   chan struct{} // one token per running import
	metrics   *metrics
	templates *templates.Set
	rules     map[string]rule
	pages     *pageSet
	logins    *store.Limits
	noise     *limiter
	keys      keyCache
	// wf runs the workflows (issue, submit, draft …) over the store.
	wf *workflow.Service
	// signer runs the signing workflows.
	signer *workflow.SignService

	// idempotencyHook, in tests, runs when a request with an
	// Idempotency-Key has claimed it, with the request's own context
	// (canceled when the client goes away) and the key.
	idempotencyHook func(ctx context.Context, key string)

	openAPIOnce sync.Once
	openAPIDoc  []byte
	openAPIErr  error
}

// New builds the server and its routes.
func New(cfg Config, st *store.Store) (*Server, error) {
	cfg.Defaults()
	wf, err := workflow.NewService(st, cfg.Fonts, cfg.TemplatesDir)
	if err != nil {
		return nil, err
	}
	cfg.Fonts = wf.Fonts
	s := &Server{cfg: cfg, store: st, pdf: pdf.New(cfg.Fonts), docx: docx.New(cfg.Fonts), renders: make(chan struct{}, cfg.MaxRenders),
		imports: make(chan struct{}, cfg.MaxImports), metrics: newMetrics(), templates: wf.Templates, wf: wf}
	s.keys.ttl = cfg.KeyCacheTTL
	s.signer = &workflow.SignService{Store: st, Config: cfg.Signing, Fonts: cfg.Fonts,
		Docs: workflow.SignableDocuments(st)}
	if cfg.Jobs != nil {
		s.metrics.registry.MustRegister(cfg.Jobs.Metrics())
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	ipx, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = ipx
	// A request ID from the client is kept (and echoed) when it is short
	// and plain; else one is made.
	e.Pre(dropOddRequestID)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: newRequestID}))
	e.Use(s.logRequests, s.metrics.middleware, s.recoverer, s.dbBudget, s.limitForms, s.authenticate)
	s.echo = e
	if s.pages, err = loadPages(); err != nil {
		return nil, err
	}
	// Failed logins: 10 at once per address or user name, then one a
	// minute, counted in the database so that they hold across instances.
	s.logins = st.Limits(store.LimitRule{Burst: 10, Every: time.Minute})
	// Refusals recorded in the trail (bad keys, limited logins): 20 at once
	// per address, then one a minute, so that no client can fill the trail.
	s.noise = newLimiter(20, time.Minute)
	s.routes()
	return s, nil
}

// Handler is the HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router (tests list its routes).
func (s *Server) Echo() *echo.Echo { return s.echo }

func (s *Server) routes() {
	h := s.handle
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	h(get, "/healthz", s.healthz, anyone, "")
	h(get, "/readyz", s.readyz, anyone, "")
	h(get, "/metrics", echo.WrapHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})), anyone, "")

	const v1 = "/api/v1"
	h(get, v1+"/openapi.json", s.openAPI, anyone, "")
	h(get, v1+"/me", s.me, everyone, "")
	h(get, v1+"/agencies", s.listAgencies, readers, "")
	h(post, v1+"/agencies", s.createAgency, editors, "agency.create")
	h(get, v1+"/agencies/:id", s.getAgency, readers, "")
	h(put, v1+"/agencies/:id", s.updateAgency, editors, "agency.update")
	h(del, v1+"/agencies/:id", s.deleteAgency, editors, "agency.delete")
	h(post, v1+"/agencies/:id/merge", s.mergeAgency, editors, "agency.merge")

	h(get, v1+"/dashboard", s.dashboardAPI, readers, "")
	h(get, v1+"/plans", s.listPlans, readers, "")
	h(post, v1+"/plans", s.createPlan, editors, "plan.create")
	h(get, v1+"/plans/:id", s.getPlan, readers, "")
	h(put, v1+"/plans/:id", s.updatePlan, editors, "plan.update")
	h(del, v1+"/plans/:id", s.deletePlan, editors, "plan.delete")

	h(get, v1+"/plans/:id/tasks", s.listTasks, readers, "")
	h(post, v1+"/plans/:id/tasks", s.addTask, editors, "task.create")
	h(put, v1+"/plans/:id/tasks/order", s.reorderTasks, editors, "task.reorder")
	h(put, v1+"/plans/:id/tasks/:task", s.updateTask, editors, "task.update")
	h(del, v1+"/plans/:id/tasks/:task", s.deleteTask, editors, "task.delete")
	h(post, v1+"/plans/:id/import", s.importTasks, editors, "task.import")
	h(post, v1+"/plans/:id/progress", s.submitProgress, reporter, "progress.submit")
	h(get, v1+"/plans/:id/progress", s.listProgress, readers, "")
	h(post, v1+"/plans/:id/progress/:submission/return", s.returnProgress, editors, "progress.return")
	h(get, v1+"/plans/:id/status", s.statusBoard, readers, "")
	h(get, v1+"/plans/:id/reports", s.listReports, readers, "")
	h(get, v1+"/plans/:id/reports/:name", s.getReport, readers, "")
	h(put, v1+"/plans/:id/reports/:name", s.saveReport, editors, "report.save")
	h(post, v1+"/plans/:id/reports/:period/issue", s.issueReport, editors, "report.issue")
	h(post, v1+"/plans/:id/reports/:period/reopen", s.reopenReport, editors, "report.reopen")
	h(post, v1+"/plans/:id/reports/:period/replace", s.replaceReport, editors, "report.replace")
	h(get, v1+"/plans/:id/reports/:period/history", s.reportHistory, readers, "")
	h(get, v1+"/plans/:id/reports/:period/history/:file", s.reportHistoryFile, readers, "")
	h(get, v1+"/plans/:id/letters", s.listLetters, auditors, "")
	h(post, v1+"/plans/:id/letters", s.createLetter, editors, "letter.create")
	h(get, v1+"/plans/:id/letters/:name", s.getLetter, auditors, "")
	h(put, v1+"/plans/:id/letters/:name", s.saveLetter, editors, "letter.save")
	h(post, v1+"/plans/:id/letters/:letter/issue", s.issueLetter, editors, "letter.issue")
	// The signing steps of each kind of issued document, in the decree's
	// order (signatures.go): the same four routes under the document's path.
	for _, k := range []struct {
		path, audit string
		kind        signable
		listers     []string
	}{
		{"/plans/:id/reports/:period", "report", reportSigning, readers},
		{"/plans/:id/letters/:letter", "letter", letterSigning, auditors},
		{"/plans/:id", "plan", planSigning, readers},
	} {
		h(get, v1+k.path+"/to-sign.pdf", s.toSign(k.kind), editors, k.audit+".sign.download")
		h(put, v1+k.path+"/signed", s.uploadPersonSigned(k.kind), editors, k.audit+".sign.person")
		h(post, v1+k.path+"/organisation-signature", s.signAsOrganisation(k.kind), editors, k.audit+".sign.organisation")
		h(get, v1+k.path+"/signatures", s.listSignatures(k.kind), k.listers, "")
	}
	h(post, v1+"/verify", s.verifyPDF, readers, "")

	h(post, v1+"/plans/:id/issue", s.issuePlan, editors, "plan.issue")
	h(post, v1+"/plans/:id/reopen", s.reopenPlan, editors, "plan.reopen")
	h(get, v1+"/plans/:id/issues", s.listPlanIssues, readers, "")
	h(get, v1+"/plans/:id/document.pdf", s.downloadDocument, readers, "")
	h(get, v1+"/plans/:id/document.docx", s.downloadDocumentDOCX, readers, "")
	h(get, v1+"/plans/:id/appendix.pdf", s.downloadAppendixPDF, readers, "")
	h(get, v1+"/plans/:id/appendix.xlsx", s.downloadAppendixXLSX, readers, "")
	h(get, v1+"/plans/:id/appendix.docx", s.downloadAppendixDOCX, readers, "")
	h(post, v1+"/render", s.render, everyone, "")
	h(get, v1+"/jobs", s.listJobs, admins, "")
	h(get, v1+"/jobs/:id", s.getJob, everyone, "")
	h(get, v1+"/jobs/:id/result", s.jobResult, everyone, "")

	// Exports record themselves in the trail before they stream (see stream).
	h(get, v1+"/exports/progress.csv", s.exportProgressCSV, auditors, "")
	h(get, v1+"/exports/progress.xlsx", s.exportProgressXLSX, auditors, "")
	h(get, v1+"/audit", s.listAudit, trail, "")
	h(get, v1+"/exports/audit.csv", s.exportAuditCSV, trail, "")

	h(get, v1+"/users", s.listUsers, admins, "")
	h(post, v1+"/users", s.createUser, admins, "user.create")
	h(get, v1+"/keys", s.listKeys, admins, "")
	h(post, v1+"/keys", s.createKey, admins, "key.create")
	h(del, v1+"/keys/:id", s.revokeKey, admins, "key.revoke")

	s.pageRoutes()
}

// Run serves until ctx ends, then shuts down gracefully: in-flight
// requests finish (up to 30 s).
func (s *Server) Run(ctx context.Context) error {
	s.Background(ctx)
	srv := s.httpServer()
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln, srv)
}

// Background starts what an instance does beside its requests, until ctx
// ends: on PostgreSQL, listening for keys revoked through other instances
// (Run calls it; a test serving Handler itself calls it to be one of
// several instances).
func (s *Server) Background(ctx context.Context) {
	s.watchKeys(ctx)
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
	done := make(chan error, 1)
	if s.cfg.TLSCert != "" {
		slog.Info("baocao listening", "addr", "https://"+ln.Addr().String())
		go func() { done <- srv.ServeTLS(ln, s.cfg.TLSCert, s.cfg.TLSKey) }()
	} else {
		slog.Info("baocao listening", "addr", "http://"+ln.Addr().String())
		go func() { done <- srv.Serve(ln) }()
	}
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
	ctx, cancel := context.WithTimeout(c.Request().Context(), min(2*time.Second, s.cfg.DBTimeout))
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		detail := "the database does not answer"
		if store.Unavailable(err) {
			detail = "the database is down, restarting or too slow to answer"
		}
		p := problem(http.StatusServiceUnavailable, "not-ready", "Chưa sẵn sàng / Not ready", detail)
		p.retryAfter = 5
		return p
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
