package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	textrule "baocao/reports/text"
	"baocao/templates/web"
)

// The web pages: server-rendered HTML in Vietnamese over the same store
// and the same checks as the API. Forms carry the session's CSRF token;
// downloads link to the API, which accepts the session cookie.

// pageSet holds one template per page, each joined with the layout.
type pageSet struct {
	byName map[string]*template.Template
	static http.Handler
}

var pageFuncs = template.FuncMap{
	"join": strings.Join,
	"inc":  func(i int) int { return i + 1 },
}

func loadPages() (*pageSet, error) {
	ps := &pageSet{byName: map[string]*template.Template{}}
	names, err := fs.Glob(web.FS, "*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if n == "layout.html" || strings.HasPrefix(n, "_") {
			continue
		}
		// Files named _*.html are parts that every page may use.
		t, err := template.New(n).Funcs(pageFuncs).ParseFS(web.FS, "layout.html", "_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("page template %s: %w", n, err)
		}
		ps.byName[strings.TrimSuffix(n, ".html")] = t
	}
	static, err := fs.Sub(web.FS, "static")
	if err != nil {
		return nil, err
	}
	files := http.FileServer(http.FS(static))
	// Files only: a directory is not listed.
	ps.static = http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := strings.TrimPrefix(r.URL.Path, "/"); name == "" || strings.HasSuffix(name, "/") {
			http.NotFound(w, r)
			return
		}
		if st, err := fs.Stat(static, strings.TrimPrefix(r.URL.Path, "/")); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	return ps, nil
}

// view is what every page template gets.
type view struct {
	Title string
	User  *userView
	CSRF  string
	Flash string
	Alert string
	// Warning says that stored text holds characters the font cannot
	// draw (printed as "□").
	Warning string
	Data    any
}

type userView struct {
	Name, RoleName, AgencyName          string
	CanExport, CanAudit, CanEditReports bool
	// CanAdmin manages accounts and keys; IsUser changes its password.
	CanAdmin, IsUser bool
	CanJobs          bool // the background jobs page
	Reporter         bool
}

func viewOf(p *Principal) *userView {
	if p == nil {
		return nil
	}
	return &userView{Name: p.Name, RoleName: auth.RoleName(p.Role), AgencyName: p.AgencyName,
		CanExport: slices.Contains(auditors, p.Role), CanAudit: slices.Contains(trail, p.Role),
		CanEditReports: slices.Contains(editors, p.Role), CanAdmin: slices.Contains(admins, p.Role), IsUser: p.Kind == "user",
		CanJobs: slices.Contains(admins, p.Role), Reporter: p.Role == auth.RoleReporter}
}

const flashCookie = "baocao_flash"

// page renders a page with the caller, the CSRF token and a pending flash
// message.
func (s *Server) page(c echo.Context, status int, name, title string, v view) error {
	t := s.pages.byName[name]
	if t == nil {
		return fmt.Errorf("no page template %q", name)
	}
	v.Title = title
	if p := principal(c); p != nil {
		v.User, v.CSRF = viewOf(p), p.csrf
	}
	if ck, err := c.Cookie(flashCookie); err == nil && v.Flash == "" {
		v.Flash, _ = url.QueryUnescape(ck.Value)
		c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("page %s: %w", name, err)
	}
	pageHeaders(c)
	return c.HTMLBlob(status, buf.Bytes())
}

// pageHeaders are sent with every page: not cached, not framed, no
// scripts, forms only to this site.
func pageHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'none'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	h.Set("Referrer-Policy", "same-origin")
}

// redirectWith goes to a page and shows a message there once.
func (s *Server) redirectWith(c echo.Context, to, flash string) error {
	if flash != "" {
		c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.secure(c), MaxAge: 60})
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// errorPage shows an error as a page, in Vietnamese.
func (s *Server) errorPage(c echo.Context, p *Problem) {
	heading, msg := "Có lỗi xảy ra", p.Detail
	switch p.Status {
	case http.StatusForbidden:
		heading, msg = "Không được phép", "Tài khoản của bạn không có quyền mở trang này hoặc thực hiện thao tác này."
		if strings.Contains(p.Detail, "CSRF") {
			msg = "Mã bảo mật của biểu mẫu bị thiếu hoặc không đúng. Hãy tải lại trang rồi thử lại."
		}
	case http.StatusNotFound:
		heading, msg = "Không tìm thấy", "Trang hoặc dữ liệu này không tồn tại."
	case http.StatusTooManyRequests:
		heading = "Thử lại sau"
	case http.StatusInternalServerError:
		heading, msg = "Lỗi hệ thống", "Máy chủ không xử lý được yêu cầu; lỗi đã được ghi lại."
		if strings.HasSuffix(c.Request().URL.Path, ".pdf") || strings.HasSuffix(c.Request().URL.Path, ".xlsx") {
			heading, msg = "Không tạo được văn bản", "Máy chủ không tạo được tệp này; lỗi đã được ghi lại. Hãy thử lại sau hoặc báo cho quản trị hệ thống kèm mã yêu cầu dưới đây."
		}
	case http.StatusServiceUnavailable:
		heading, msg = "Máy chủ đang bận", "Văn bản chưa tạo được vì máy chủ đang bận hoặc văn bản quá lớn. Hãy thử lại sau ít phút."
	case http.StatusUnprocessableEntity:
		heading = "Dữ liệu không hợp lệ"
		var parts []string
		for _, f := range p.Errors {
			if r, ok := runeOf(f); ok {
				parts = append(parts, fieldVI(f.Field)+": "+textrule.ProblemVI(r))
				continue
			}
			if _, _, ok := strings.Cut(f.Problem, " / "); ok {
				// Said in Vietnamese first: the Vietnamese half, with the
				// field's Vietnamese name.
				parts = append(parts, queryFieldVI(f.Field)+": "+strings.TrimSuffix(vietnamesePart(f.Problem), "."))
				continue
			}
			parts = append(parts, f.Field+": "+f.Problem)
		}
		if len(parts) > 0 {
			msg = strings.Join(parts, "; ")
		}
	}
	data := map[string]any{"Heading": heading, "Message": msg, "Status": p.Status, "RequestID": p.RequestID}
	if err := s.page(c, p.Status, "error", heading, view{Data: data}); err != nil {
		slog.Error("error page failed", "error", err)
		_ = c.String(p.Status, heading)
	}
}

// queryFieldVI names a page's query or form field in Vietnamese, with its
// code: "Kỳ báo cáo — period".
func queryFieldVI(field string) string {
	if n, ok := map[string]string{"period": "Kỳ báo cáo", "from": "Từ ngày", "to": "Đến ngày", "count": "Loại số liệu",
		"page": "Trang", "per_page": "Số dòng mỗi trang", "as_of": "Ngày lấy số liệu", "date": "Ngày",
		"id": "Mã kế hoạch", "task": "Mã nhiệm vụ", "submission": "Mã lần báo cáo"}[field]; ok {
		return n + " — " + field
	}
	return field
}

func (s *Server) pageRoutes() {
	h := s.handle
	const get, post = http.MethodGet, http.MethodPost
	h(get, "/static/*", echo.WrapHandler(s.pages.static), anyone, "")
	h(get, "/login", s.loginPage, anyone, "")
	h(post, "/login", s.login, anyone, "")
	h(post, "/logout", s.logout, readers, "logout")
	h(get, "/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/plans") }, readers, "")
	h(get, "/plans", s.plansPage, readers, "")
	h(get, "/plans/:id", s.planPage, readers, "")
	h(get, "/plans/:id/tasks/:task/progress", s.progressPage, readers, "")
	h(post, "/plans/:id/tasks/:task/progress", s.progressPost, []string{auth.RoleReporter}, "progress.submit")
	h(post, "/plans/:id/tasks/:task/progress/:submission/return", s.sendBackPost, editors, "progress.return")
	h(get, "/dashboard", s.dashboardPage, readers, "")
	h(get, "/dashboard/tasks", s.dashboardTasksPage, readers, "")
	h(get, "/my-tasks", s.myTasksPage, []string{auth.RoleReporter}, "")
	h(get, "/plans/:id/reports/:period", s.reportPage, auditors, "")
	h(post, "/plans/:id/reports/:period", s.reportPost, editors, "report.save")
	h(post, "/plans/:id/reports/:period/issue", s.reportIssuePost, editors, "report.issue")
	h(post, "/plans/:id/reports/:period/preview", s.reportPreviewPost, editors, "")
	h(post, "/plans/:id/reports/:period/reopen", s.reportReopenPost, editors, "report.reopen")
	h(post, "/plans/:id/reports/:period/replace", s.reportReplacePost, editors, "report.replace")
	h(post, "/plans/:id/letters", s.letterCreatePost, editors, "letter.create")
	h(get, "/plans/:id/letters/:letter", s.letterPage, auditors, "")
	h(post, "/plans/:id/letters/:letter", s.letterPost, editors, "letter.save")
	h(post, "/plans/:id/letters/:letter/issue", s.letterIssuePost, editors, "letter.issue")
	h(get, "/exports", s.exportsPage, auditors, "")
	h(get, "/audit", s.auditPage, trail, "")
	s.editPageRoutes()
	h(post, "/plans/:id/issue", s.planIssuePost, editors, "plan.issue")
	h(post, "/plans/:id/reopen", s.planReopenPost, editors, "plan.reopen")
	h(post, "/plans/:id/signed", s.signedPost((*Server).planSignPage), editors, "plan.sign.person")
	h(post, "/plans/:id/organisation-signature", s.orgSignPost((*Server).planSignPage), editors, "plan.sign.organisation")
	h(post, "/plans/:id/reports/:period/signed", s.signedPost((*Server).reportSignPage), editors, "report.sign.person")
	h(post, "/plans/:id/reports/:period/organisation-signature", s.orgSignPost((*Server).reportSignPage), editors, "report.sign.organisation")
	h(post, "/plans/:id/letters/:letter/signed", s.signedPost((*Server).letterSignPage), editors, "letter.sign.person")
	h(post, "/plans/:id/letters/:letter/organisation-signature", s.orgSignPost((*Server).letterSignPage), editors, "letter.sign.organisation")
	h(get, "/verify", s.verifyPage, readers, "")
	h(post, "/verify", s.verifyPost, readers, "")
	h(get, "/jobs", s.jobsPage, admins, "")
}

// Login: a double-submit cookie guards the login form against cross-site
// posts; attempts are limited per address and per user name.

const loginCookie = "baocao_login"

// loginPage shows the form, also to someone logged in (to change user).
func (s *Server) loginPage(c echo.Context) error {
	return s.showLogin(c, http.StatusOK, "", "")
}

func (s *Server) showLogin(c echo.Context, status int, username, alert string) error {
	tok := auth.Token(24)
	c.SetCookie(&http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.secure(c), MaxAge: 3600})
	v := view{Title: "Đăng nhập", Alert: alert, Data: map[string]string{"Next": safeNext(c.FormValue("next")), "Username": username}}
	v.CSRF = tok
	t := s.pages.byName["login"]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return err
	}
	pageHeaders(c)
	return c.HTMLBlob(status, buf.Bytes())
}

// safeNext keeps a redirect after login on this site.
// Only a path on this site (with its query) is kept: no scheme, no host,
// no backslash or control character (browsers drop tabs and newlines, so
// "/\t/evil.example" would become "//evil.example").
func safeNext(next string) string {
	const home = "/plans"
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return home
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

func (s *Server) login(c echo.Context) error {
	username := strings.ToLower(strings.TrimSpace(c.FormValue("username")))
	if r := []rune(username); len(r) > 64 {
		username = string(r[:64]) // no user name is longer; keeps the limiter's keys and the trail small
	}
	anon := &Principal{Name: username, Role: ""}
	// Failures count, per address and per user name; a login resets the
	// user name's count, so an office behind one address is not locked out
	// by its clerks logging in.
	limitKeys := []string{"ip:" + c.RealIP(), "user:" + username}
	blocked, wait, err := s.logins.Blocked(c.Request().Context(), time.Now(), limitKeys...)
	if err != nil {
		return err
	}
	if blocked {
		s.auditNoise(c, anon, "login.limited", "", http.StatusTooManyRequests)
		mins := int(wait.Minutes()) + 1
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		return s.showLogin(c, http.StatusTooManyRequests, username,
			fmt.Sprintf("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %d phút.", mins))
	}
	ck, err := c.Cookie(loginCookie)
	if err != nil || ck.Value == "" || !auth.SameToken(ck.Value, c.FormValue("csrf")) {
		s.audit(c, anon, "denied", "/login", "biểu mẫu đăng nhập thiếu mã bảo mật (CSRF)", http.StatusForbidden)
		return s.showLogin(c, http.StatusForbidden, username, "Phiên đăng nhập đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy đăng nhập lại.")
	}
	u, err := s.store.Authenticate(c.Request().Context(), username, c.FormValue("password"))
	if errors.Is(err, domain.ErrBadCredentials) {
		// Counted even when the client goes away: the failure happened.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 10*time.Second)
		err := s.logins.Fail(ctx, time.Now(), limitKeys...)
		cancel()
		if err != nil {
			slog.Error("login limit not counted", "error", err, "user", username)
		}
		s.audit(c, anon, "login.failed", "/login", "", http.StatusUnauthorized)
		return s.showLogin(c, http.StatusUnauthorized, username, "Tên đăng nhập hoặc mật khẩu không đúng.")
	}
	if err != nil {
		return err
	}
	// A session id the browser brought is never reused (fixation): it is
	// ended, and a new one is made.
	if old, err := c.Cookie(sessionCookie); err == nil && old.Value != "" {
		_ = s.store.DeleteSession(c.Request().Context(), old.Value)
	}
	tok, sess, err := s.store.CreateSession(c.Request().Context(), u.ID, c.RealIP(), s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	if err := s.logins.Reset(c.Request().Context(), "user:"+username); err != nil {
		slog.Warn("login limit not reset", "error", err, "user", username)
	}
	s.setSessionCookie(c, tok, sess.ExpiresAt)
	c.SetCookie(&http.Cookie{Name: loginCookie, Path: "/login", MaxAge: -1})
	s.audit(c, &Principal{Name: u.Name(), Role: u.Role}, "login", "/login", "", http.StatusSeeOther)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return s.redirectWith(c, "/login", "Đã đăng xuất.")
}
