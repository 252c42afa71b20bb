package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/vn"
	"baocao/workflow"
)

// me answers who the caller is and what the role may do.
func (s *Server) me(c echo.Context) error {
	p := principal(c)
	return c.JSON(http.StatusOK, map[string]any{"kind": p.Kind, "name": p.Name, "role": p.Role,
		"role_name": auth.RoleName(p.Role), "agency_id": p.AgencyID, "agency": p.AgencyName})
}

func (s *Server) listUsers(c echo.Context) error {
	us, err := s.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": us})
}

type userInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	AgencyID    int64  `json:"agency_id"`
	Password    string `json:"password"`
	Email       string `json:"email"`
}

func (s *Server) createUser(c echo.Context) error {
	var in userInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	u, err := s.wf.CreateUser(c.Request().Context(), actorOf(c), domain.UserInput(in))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/users/"+itoa64(u.ID))
	c.Set(auditDetailKey, "vai trò "+auth.RoleName(u.Role)+suffixAgency(u.AgencyName))
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listKeys(c echo.Context) error {
	ks, err := s.store.ListKeys(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": ks})
}

type keyInput struct {
	Name      string `json:"name"`
	Scope     string `json:"scope"`
	AgencyID  int64  `json:"agency_id"`
	ExpiresIn string `json:"expires_in"` // a Go duration, "2160h"; empty: no expiry
}

// createKey makes an application key; the answer is the only time its
// secret is shown.
func (s *Server) createKey(c echo.Context) error {
	var in keyInput
	if err := s.decodeStrict(c, &in); err != nil {
		return err
	}
	var ttl time.Duration
	if in.ExpiresIn != "" {
		d, err := time.ParseDuration(in.ExpiresIn)
		if err != nil || d <= 0 {
			return validation(doc.FieldError{Field: "expires_in", Problem: "must be a positive duration such as 2160h"})
		}
		ttl = d
	}
	k, secret, err := s.wf.CreateKey(c.Request().Context(), actorOf(c), workflow.KeyRequest{Name: in.Name, Scope: in.Scope,
		AgencyID: in.AgencyID, ExpiresIn: ttl})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/keys/"+itoa64(k.ID))
	c.Set(auditDetailKey, "khoá "+k.Prefix+", phạm vi "+auth.RoleName(k.Scope))
	c.Response().Header().Set("Cache-Control", "no-store") // the secret
	return c.JSON(http.StatusCreated, map[string]any{"key": k, "secret": secret,
		"note": "the secret is shown only now; send it as Authorization: Bearer <secret>"})
}

func (s *Server) revokeKey(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	k, err := s.wf.RevokeKey(c.Request().Context(), actorOf(c), id)
	s.keys.forget(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, k)
}

// auditFilter reads the trail's filters: actor, action, from, to (dates).
func auditFilter(c echo.Context) (store.AuditFilter, error) {
	f := store.AuditFilter{Actor: c.QueryParam("actor"), Action: c.QueryParam("action")}
	for _, d := range []struct {
		name string
		into *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := c.QueryParam(d.name); v != "" {
			t, err := vn.ParseDate(v) // dd/mm/yyyy or YYYY-MM-DD
			if err != nil {
				return f, validation(doc.FieldError{Field: d.name,
					Problem: "phải là một ngày dạng ngày/tháng/năm, ví dụ 15/03/2024 / must be a date dd/mm/yyyy or YYYY-MM-DD"})
			}
			// Days as the office counts them.
			*d.into = time.Date(t.Year(), t.Month(), t.Day()+d.add, 0, 0, 0, 0, period.Vietnam)
		}
	}
	return f, nil
}

// listAudit pages through the trail, newest first.
func (s *Server) listAudit(c echo.Context) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	f.Limit, f.Offset, err = pageParams(c)
	if err != nil {
		return err
	}
	items, total, err := s.store.AuditLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": total, "limit": f.Limit, "offset": f.Offset})
}

func suffixAgency(name string) string {
	if name == "" {
		return ""
	}
	return ", " + name
}
