package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/reports/period"
	"baocao/workflow"
)

// The administrators' pages of accounts (create, disable, enable, reset a
// password) and application keys (create, shown once, revoke), and
// everyone's own password; each through workflow.Service (CreateUser,
// SetDisabled, ResetPassword, CreateKey, RevokeKey, ChangeOwnPassword).

// roleOption is a role or scope in a form's list.
type roleOption struct{ Code, Name string }

func roleOptions(render bool) []roleOption {
	var out []roleOption
	for _, r := range auth.Roles {
		out = append(out, roleOption{r, auth.RoleName(r)})
	}
	if render {
		out = append(out, roleOption{auth.ScopeRender, "Chỉ tạo văn bản (POST /api/v1/render)"})
	}
	return out
}

// userForm is the new-user form as typed (never the password).
type userForm struct {
	Username, DisplayName, Role string
	AgencyID                    int64
}

var userFormFields = []string{"username", "display_name", "role", "agency", "password"}

// userRow is an account as the users page lists it.
type userRow struct {
	domain.User
	RoleName, Created string
}

func (s *Server) showUsers(c echo.Context, status int, f userForm, errs formErrs, alert string, shown map[string]string) error {
	ctx := c.Request().Context()
	us, err := s.store.ListUsers(ctx)
	if err != nil {
		return err
	}
	agencies, err := s.store.ListAgencies(ctx)
	if err != nil {
		return err
	}
	rows := make([]userRow, len(us))
	for i, u := range us {
		rows[i] = userRow{User: u, RoleName: auth.RoleName(u.Role), Created: u.CreatedAt.In(period.Vietnam).Format("02/01/2006")}
	}
	data := map[string]any{"Users": rows, "Form": f, "Errors": errs, "Roles": roleOptions(false), "Agencies": agencies,
		"Shown": shown, "Self": principal(c).Username}
	return s.page(c, status, "users", "Người dùng", view{Alert: alert, Data: data})
}

func (s *Server) usersPage(c echo.Context) error {
	return s.showUsers(c, http.StatusOK, userForm{Role: auth.RoleReporter}, nil, "", nil)
}

// madePassword is the password typed, or a new one made and shown once.
func madePassword(typed string) (pw string, made bool) {
	if typed != "" {
		return typed, false
	}
	return auth.Token(12), true
}

func (s *Server) userCreatePost(c echo.Context) error {
	f := userForm{Username: c.FormValue("username"), DisplayName: c.FormValue("display_name"), Role: c.FormValue("role")}
	n, _ := formInt(c, "agency_id")
	f.AgencyID = int64(max(n, 0))
	pw, made := madePassword(c.FormValue("password"))
	u, err := s.wf.CreateUser(c.Request().Context(), actorOf(c), domain.UserInput{Username: f.Username, DisplayName: f.DisplayName,
		Role: f.Role, AgencyID: f.AgencyID, Password: pw})
	if err != nil {
		errs, alert, ok := refusal(err, userFormFields...)
		if !ok {
			return err
		}
		if strings.Contains(alert, "đã có") {
			errs["username"], alert = "Tên đăng nhập này đã có người dùng.", "Chưa tạo: hãy sửa các ô được đánh dấu."
		}
		return s.showUsers(c, http.StatusUnprocessableEntity, f, errs, alert, nil)
	}
	c.Set(auditDetailKey, "role "+u.Role+suffixAgency(u.AgencyName))
	if !made {
		return s.redirectWith(c, "/users#user-"+itoa64(u.ID), "Đã tạo người dùng "+u.Username+".")
	}
	return s.showUsers(c, http.StatusOK, userForm{Role: auth.RoleReporter}, nil, "",
		map[string]string{"Username": u.Username, "Password": pw, "What": "Đã tạo người dùng " + u.Username})
}

// userFromPath reads the account the path names; the form must name the
// same user name (a page made for another account is refused).
func (s *Server) userFromPath(c echo.Context) (domain.User, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return domain.User{}, err
	}
	u, err := s.store.GetUser(c.Request().Context(), id)
	if err != nil {
		return u, err
	}
	if c.FormValue("username") != u.Username {
		return u, validation(docField("username", "không phải tài khoản của trang này / names another account than the path"))
	}
	return u, nil
}

func (s *Server) userDisablePost(c echo.Context) error { return s.userSetDisabled(c, true) }
func (s *Server) userEnablePost(c echo.Context) error  { return s.userSetDisabled(c, false) }

func (s *Server) userSetDisabled(c echo.Context, disabled bool) error {
	u, err := s.userFromPath(c)
	if err != nil {
		return err
	}
	if err := s.wf.SetDisabled(c.Request().Context(), actorOf(c), u.Username, disabled); err != nil {
		_, alert, ok := refusal(err)
		if !ok {
			return err
		}
		if e, _, _ := refusal(err, "username"); e["username"] != "" {
			alert = e["username"]
		}
		return s.showUsers(c, http.StatusUnprocessableEntity, userForm{Role: auth.RoleReporter}, nil, alert, nil)
	}
	msg := "Đã mở khóa tài khoản " + u.Username + "."
	if disabled {
		msg = "Đã khóa tài khoản " + u.Username + "; các phiên đăng nhập của tài khoản đã kết thúc."
	}
	return s.redirectWith(c, "/users#user-"+itoa64(u.ID), msg)
}

func (s *Server) userPasswordPost(c echo.Context) error {
	u, err := s.userFromPath(c)
	if err != nil {
		return err
	}
	pw, made := madePassword(c.FormValue("password"))
	if err := s.wf.ResetPassword(c.Request().Context(), actorOf(c), u.Username, pw); err != nil {
		errs, alert, ok := refusal(err, "password")
		if !ok {
			return err
		}
		if m := errs["password"]; m != "" {
			alert = "Chưa đặt lại mật khẩu của " + u.Username + ": " + m
		}
		return s.showUsers(c, http.StatusUnprocessableEntity, userForm{Role: auth.RoleReporter}, nil, alert, nil)
	}
	if !made {
		return s.redirectWith(c, "/users#user-"+itoa64(u.ID), "Đã đặt lại mật khẩu của "+u.Username+"; các phiên đăng nhập của tài khoản đã kết thúc.")
	}
	return s.showUsers(c, http.StatusOK, userForm{Role: auth.RoleReporter}, nil, "",
		map[string]string{"Username": u.Username, "Password": pw, "What": "Đã đặt lại mật khẩu của " + u.Username})
}

// keyForm is the new-key form as typed.
type keyForm struct {
	Name, Scope, Days string
	AgencyID          int64
}

var keyFormFields = []string{"name", "scope", "agency", "expires_in"}

type keyRow struct {
	domain.APIKey
	ScopeName, Created, Expires, Revoked string
}

func dayOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(period.Vietnam).Format("02/01/2006")
}

func (s *Server) showKeys(c echo.Context, status int, f keyForm, errs formErrs, alert string, secret map[string]string) error {
	ctx := c.Request().Context()
	ks, err := s.store.ListKeys(ctx)
	if err != nil {
		return err
	}
	agencies, err := s.store.ListAgencies(ctx)
	if err != nil {
		return err
	}
	rows := make([]keyRow, len(ks))
	for i, k := range ks {
		name := auth.RoleName(k.Scope)
		if k.Scope == auth.ScopeRender {
			name = "Chỉ tạo văn bản"
		}
		rows[i] = keyRow{APIKey: k, ScopeName: name, Created: dayOf(&k.CreatedAt), Expires: dayOf(k.ExpiresAt), Revoked: dayOf(k.RevokedAt)}
	}
	data := map[string]any{"Keys": rows, "Form": f, "Errors": errs, "Scopes": roleOptions(true), "Agencies": agencies, "Secret": secret}
	return s.page(c, status, "keys", "Khóa ứng dụng", view{Alert: alert, Data: data})
}

func (s *Server) keysPage(c echo.Context) error {
	return s.showKeys(c, http.StatusOK, keyForm{Scope: auth.ScopeRender}, nil, "", nil)
}

func (s *Server) keyCreatePost(c echo.Context) error {
	f := keyForm{Name: c.FormValue("name"), Scope: c.FormValue("scope"), Days: strings.TrimSpace(c.FormValue("days"))}
	n, _ := formInt(c, "agency_id")
	f.AgencyID = int64(max(n, 0))
	var ttl time.Duration
	if f.Days != "" {
		d, err := formInt(c, "days")
		if err != nil || d <= 0 || d > 3650 {
			return s.showKeys(c, http.StatusUnprocessableEntity, f, formErrs{"expires_in": "Số ngày từ 1 đến 3650, hoặc để trống (không hết hạn)."},
				"Chưa tạo: hãy sửa các ô được đánh dấu.", nil)
		}
		ttl = time.Duration(d) * 24 * time.Hour
	}
	k, secret, err := s.wf.CreateKey(c.Request().Context(), actorOf(c), workflow.KeyRequest{Name: f.Name, Scope: f.Scope, AgencyID: f.AgencyID, ExpiresIn: ttl})
	if err != nil {
		errs, alert, ok := refusal(err, keyFormFields...)
		if !ok {
			return err
		}
		return s.showKeys(c, http.StatusUnprocessableEntity, f, errs, alert, nil)
	}
	c.Set(auditDetailKey, "key "+k.Prefix+" scope "+k.Scope)
	return s.showKeys(c, http.StatusOK, keyForm{Scope: auth.ScopeRender}, nil, "",
		map[string]string{"Name": k.Name, "Secret": secret, "ID": itoa64(k.ID)})
}

func (s *Server) keyRevokePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ks, err := s.store.ListKeys(c.Request().Context())
	if err != nil {
		return err
	}
	for _, k := range ks {
		if k.ID != id {
			continue
		}
		if c.FormValue("prefix") != k.Prefix {
			return validation(docField("prefix", "không phải khoá của trang này / names another key than the path"))
		}
		rk, err := s.wf.RevokeKey(c.Request().Context(), actorOf(c), id)
		s.keys.forget(id)
		if err != nil {
			return err
		}
		return s.redirectWith(c, "/keys#key-"+itoa64(id), fmt.Sprintf("Đã thu hồi khóa “%s”; ứng dụng dùng khóa này không gọi được nữa.", rk.Name))
	}
	return notFound(fmt.Sprintf("key %d", id))
}

// The own password.

func (s *Server) passwordPage(c echo.Context) error {
	return s.page(c, http.StatusOK, "password", "Đổi mật khẩu", view{Data: map[string]any{"Errors": formErrs{}}})
}

func (s *Server) passwordPost(c echo.Context) error {
	ctx := c.Request().Context()
	p := principal(c)
	err := s.wf.ChangeOwnPassword(ctx, actorOf(c), c.FormValue("current"), c.FormValue("password"), c.FormValue("again"))
	if err != nil {
		errs, alert, ok := refusal(err, "current", "password", "again")
		if !ok {
			return err
		}
		return s.page(c, http.StatusUnprocessableEntity, "password", "Đổi mật khẩu", view{Alert: alert, Data: map[string]any{"Errors": errs}})
	}
	// Every session of the user ended with the change: this browser gets
	// a new one, the others must log in again.
	tok, sess, err := s.store.CreateSession(ctx, p.UserID, c.RealIP(), s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, tok, sess.ExpiresAt)
	return s.redirectWith(c, "/plans", "Đã đổi mật khẩu. Các nơi khác đang đăng nhập bằng tài khoản này phải đăng nhập lại.")
}
