package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/workflow"
)

// Principal is who is calling: a logged-in user or an application's key.
type Principal struct {
	Kind       string // "user" or "key"
	Name       string // recorded in the audit trail and as submitter
	Username   string
	Role       string // a role, or "render" for a render-only key
	AgencyID   int64  // a reporter's agency
	AgencyName string
	UserID     int64
	KeyID      int64
	// csrf is the session's form token; empty for keys (no cookie, no CSRF).
	csrf string
}

const principalKey = "baocao.principal"

// principal is the caller, or nil when anonymous.
func principal(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}

// actorOf is the caller as the workflows see it (the zero Actor when
// anonymous).
func actorOf(c echo.Context) workflow.Actor {
	p := principal(c)
	if p == nil {
		return workflow.Actor{}
	}
	return workflow.Actor{Kind: workflow.ActorKind(p.Kind), Name: p.Name, Username: p.Username, Role: workflow.Role(p.Role),
		AgencyID: p.AgencyID, AgencyName: p.AgencyName}
}

// Who may call a route. Everything not public names its roles: a route
// without a rule is refused (routes are registered through s.handle, and a
// test checks every route has a rule).
var (
	anyone   = []string(nil)
	everyone = []string{auth.RoleAdmin, auth.RoleSecretariat, auth.RoleReporter, auth.RoleAuditor, auth.ScopeRender}
	readers  = []string{auth.RoleAdmin, auth.RoleSecretariat, auth.RoleReporter, auth.RoleAuditor}
	editors  = []string{auth.RoleAdmin, auth.RoleSecretariat}
	reporter = []string{auth.RoleAdmin, auth.RoleReporter}
	auditors = []string{auth.RoleAdmin, auth.RoleSecretariat, auth.RoleAuditor}
	trail    = []string{auth.RoleAdmin, auth.RoleAuditor}
	admins   = []string{auth.RoleAdmin}
)

// rule is a route's access rule and the action it records in the audit
// trail when it succeeds ("" records nothing).
type rule struct {
	public bool
	roles  []string
	action string
}

// handle registers a route with its rule.
func (s *Server) handle(method, path string, h echo.HandlerFunc, roles []string, action string) {
	r := rule{public: roles == nil, roles: roles, action: action}
	if s.rules == nil {
		s.rules = map[string]rule{}
	}
	s.rules[method+" "+path] = r
	if idempotentRoute(method, path, action) {
		s.echo.Add(method, path, h, s.guard(r), checkQuery, s.idempotent, trackCommits)
		return
	}
	s.echo.Add(method, path, h, s.guard(r), checkQuery, trackCommits)
}

// Rules lists the registered routes' roles ("METHOD path" → roles; nil is
// public), for tests and documentation.
func (s *Server) Rules() map[string][]string {
	out := map[string][]string{}
	for k, r := range s.rules {
		out[k] = r.roles
	}
	return out
}

const sessionCookie = "baocao_session"

// authenticate finds the caller from an API key (Authorization: Bearer)
// or the session cookie. A key that is presented but wrong is refused
// outright; a stale cookie is dropped and the request goes on anonymous.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		// Only Bearer credentials are baocao's; another scheme (a proxy's
		// Basic) is not ours to judge, so it is left alone.
		if tok, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer "); ok {
			tok = strings.TrimSpace(tok)
			now := time.Now()
			k, cached := s.keys.get(auth.HashToken(tok), now)
			if !cached {
				var reason string
				var err error
				k, reason, err = s.store.KeyByToken(ctx, tok)
				if errors.Is(err, domain.ErrBadCredentials) {
					s.auditNoise(c, &Principal{Name: "key:" + keyID(tok)}, "auth.key_refused", reason, http.StatusUnauthorized)
					return unauthorized("the API key is not valid: unknown, expired or revoked")
				}
				if err != nil {
					return err
				}
				s.keys.put(auth.HashToken(tok), k, now)
			}
			c.Set(principalKey, &Principal{Kind: "key", Name: "key:" + k.Name, Role: k.Scope, AgencyID: k.AgencyID, AgencyName: k.AgencyName, KeyID: k.ID})
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			sess, err := s.store.GetSession(ctx, ck.Value)
			switch {
			case err == nil:
				u := sess.User
				c.Set(principalKey, &Principal{Kind: "user", Name: u.Name(), Username: u.Username, Role: u.Role,
					AgencyID: u.AgencyID, AgencyName: u.AgencyName, UserID: u.ID, csrf: sess.CSRFToken})
			case errors.Is(err, domain.ErrBadCredentials):
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

// keyID is the public part of a presented key, for the audit trail.
func keyID(tok string) string {
	if id, _, ok := auth.ParseKey(strings.TrimSpace(tok)); ok {
		return id
	}
	return "malformed"
}

func unauthorized(detail string) *Problem {
	p := problem(http.StatusUnauthorized, "unauthorized", "Chưa đăng nhập / Authentication required", detail)
	p.authenticate = true
	return p
}

func forbidden(detail string) *Problem {
	return problem(http.StatusForbidden, "forbidden", "Không được phép / Forbidden", detail)
}

// isPage tells the web pages from the API: pages answer with HTML.
func isPage(c echo.Context) bool {
	p := c.Request().URL.Path
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && p != "/metrics"
}

// guard enforces a route's rule: the caller's role, the reporter's
// agency for plan routes, the CSRF token of cookie sessions; then records
// the action in the audit trail once it succeeded.
func (s *Server) guard(r rule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if r.public {
				return next(c)
			}
			p := principal(c)
			unsafe := c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead
			if p == nil {
				if isPage(c) {
					return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
				}
				return unauthorized("log in, or send an API key as Authorization: Bearer <key>")
			}
			deny := func(detail string) error {
				if unsafe {
					s.audit(c, p, "denied", c.Request().URL.Path, detail, http.StatusForbidden)
				}
				return forbidden(detail)
			}
			if !slices.Contains(r.roles, p.Role) {
				return deny(fmt.Sprintf("the role %q may not %s %s", p.Role, c.Request().Method, c.Path()))
			}
			if unsafe && p.csrf != "" && !auth.SameToken(csrfFrom(c), p.csrf) {
				return deny("the form's security token (CSRF) is missing or wrong; reload the page and try again")
			}
			if p.Role == auth.RoleReporter && c.Param("id") != "" && strings.Contains(c.Path(), "/plans/:id") {
				id, err := pathID(c, "id")
				if err != nil {
					return err
				}
				ok, err := s.store.PlanInvolves(c.Request().Context(), id, p.AgencyID)
				if err != nil {
					return err
				}
				if !ok {
					return deny(fmt.Sprintf("plan %d does not involve %s", id, p.AgencyName))
				}
			}
			err := next(c)
			refusal := ""
			if err != nil {
				var pe *Problem
				if errors.As(err, &pe) {
					refusal = pe.Detail
				}
				c.Error(err)
			}
			switch st := c.Response().Status; {
			case r.action != "" && st < 400:
				res := c.Request().URL.Path
				if loc := c.Response().Header().Get(echo.HeaderLocation); loc != "" && st == http.StatusCreated {
					res = loc
				}
				action, detail := r.action, fmt.Sprint(nilEmpty(c.Get(auditDetailKey)))
				if c.Get(replayedKey) == true {
					// A retry answered from the stored answer changed nothing.
					action, detail = r.action+".replayed", "Idempotency-Key: the stored answer again, nothing changed"
				}
				s.audit(c, p, action, res, detail, st)
			case st == http.StatusForbidden && unsafe:
				// Refused by the handler (a reporter's report on another agency's task).
				s.audit(c, p, "denied", c.Request().URL.Path, refusal, st)
			}
			return nil
		}
	}
}

func nilEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// auditDetailKey lets a handler add a detail to its audit entry (the
// filters of an export, the number of an issued report).
const auditDetailKey = "baocao.audit"

// csrfFrom reads the CSRF token of a form post or an API call.
func csrfFrom(c echo.Context) string {
	if h := c.Request().Header.Get("X-CSRF-Token"); h != "" {
		return h
	}
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm) {
		return c.FormValue("csrf")
	}
	return ""
}

// audit appends to the trail. A failure to record is logged loudly: the
// action itself has already happened. Texts are cut to a bound, so that a
// long path or detail cannot bloat the trail.
func (s *Server) audit(c echo.Context, p *Principal, action, resource, detail string, status int) {
	e := store.AuditEntry{Actor: cut(p.Name, 200), Role: p.Role, Action: action, Resource: cut(resource, 512), Detail: cut(detail, 1024),
		IP: c.RealIP(), RequestID: cut(c.Response().Header().Get(echo.HeaderXRequestID), 64), Status: status}
	// The action has happened: its record must not be cancelled with the
	// request when the client goes away, nor count as the request's change
	// (a refused write that is audited has changed nothing).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.store.Audit(ctx, e); err != nil {
		slog.Error("audit trail write failed", "error", err, "action", action, "resource", resource, "actor", p.Name)
	}
}

// auditNoise records a refusal that anyone can cause (a bad key, a
// limited login) at most 20 times at once per client address, then once a
// minute; the refusals themselves go on regardless.
func (s *Server) auditNoise(c echo.Context, p *Principal, action, detail string, status int) {
	if ok, _ := s.noise.allow(time.Now(), action+" "+c.RealIP()); ok {
		s.audit(c, p, action, c.Request().URL.Path, detail, status)
	}
}

// cut shortens s to at most n bytes, on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// setSessionCookie hands the browser its session; Secure when served over
// TLS (or behind a TLS proxy, --secure-cookies).
func (s *Server) setSessionCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires, MaxAge: int(time.Until(expires).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

func (s *Server) secure(c echo.Context) bool { return c.Request().TLS != nil || s.cfg.SecureCookies }
