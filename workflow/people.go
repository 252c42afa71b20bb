package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"baocao/domain"
	"baocao/reports/doc"
)

// People are the accounts of those who log in and the keys of
// applications; the administrators manage them, and everyone changes
// their own password.
type People interface {
	ListUsers(ctx context.Context) ([]domain.User, error)
	CreateUser(ctx context.Context, in domain.UserInput) (domain.User, error)
	SetPassword(ctx context.Context, username, password string) error
	SetDisabled(ctx context.Context, username string, disabled bool) error
	Authenticate(ctx context.Context, username, password string) (domain.User, error)
	ListKeys(ctx context.Context) ([]domain.APIKey, error)
	CreateKey(ctx context.Context, in domain.KeyInput) (domain.APIKey, string, error)
	RevokeKey(ctx context.Context, id int64) (domain.APIKey, error)
}

// admins manage accounts and keys.
var admins = []Role{RoleAdmin}

// CreateUser makes an account (the administrators do); the display name
// passes the text rule at the door.
func (w *Service) CreateUser(ctx context.Context, actor Actor, in domain.UserInput) (domain.User, error) {
	if err := actor.may("manage users", admins...); err != nil {
		return domain.User{}, err
	}
	if errs := w.cleanTexts(TextField{"display_name", &in.DisplayName}); len(errs) > 0 {
		return domain.User{}, invalid(errs...)
	}
	return w.Store.CreateUser(ctx, in)
}

// ResetPassword gives a user a new password and ends its sessions (the
// administrators do).
func (w *Service) ResetPassword(ctx context.Context, actor Actor, username, password string) error {
	if err := actor.may("reset passwords", admins...); err != nil {
		return err
	}
	return w.Store.SetPassword(ctx, username, password)
}

// SetDisabled disables (ending its sessions) or enables a user. An
// administrator does not disable their own account.
func (w *Service) SetDisabled(ctx context.Context, actor Actor, username string, disabled bool) error {
	if err := actor.may("disable users", admins...); err != nil {
		return err
	}
	if disabled && actor.Kind == ActorUser && actor.Username == username {
		return invalid(doc.FieldError{Field: "username", Problem: "is your own account; another administrator may disable it"})
	}
	return w.Store.SetDisabled(ctx, username, disabled)
}

// ChangeOwnPassword changes the actor's own password, given the current
// one; the new one is typed twice. Every session of the user ends.
func (w *Service) ChangeOwnPassword(ctx context.Context, actor Actor, current, password, again string) error {
	if actor.Kind != ActorUser || actor.Username == "" {
		return invalid(doc.FieldError{Field: "current", Problem: "only a person logged in has a password to change; an application key has none"})
	}
	if _, err := w.Store.Authenticate(ctx, actor.Username, current); errors.Is(err, domain.ErrBadCredentials) {
		return invalid(doc.FieldError{Field: "current", Problem: "is not your current password"})
	} else if err != nil {
		return err
	}
	if password != again {
		return invalid(doc.FieldError{Field: "again", Problem: "differs from the new password"})
	}
	if password == current {
		return invalid(doc.FieldError{Field: "password", Problem: "is the current password"})
	}
	return w.Store.SetPassword(ctx, actor.Username, password)
}

// KeyRequest asks for an application key: its name, scope, a reporter
// key's agency and its lifetime (0: none).
type KeyRequest struct {
	Name      string
	Scope     string
	AgencyID  int64
	ExpiresIn time.Duration
}

// CreateKey makes an application key (the administrators do); its secret
// is returned this once and never stored.
func (w *Service) CreateKey(ctx context.Context, actor Actor, in KeyRequest) (domain.APIKey, string, error) {
	if err := actor.may("manage keys", admins...); err != nil {
		return domain.APIKey{}, "", err
	}
	if errs := w.cleanTexts(TextField{"name", &in.Name}); len(errs) > 0 {
		return domain.APIKey{}, "", invalid(errs...)
	}
	if in.ExpiresIn < 0 {
		return domain.APIKey{}, "", invalid(doc.FieldError{Field: "expires_in", Problem: "must be a positive duration such as 2160h"})
	}
	return w.Store.CreateKey(ctx, domain.KeyInput{Name: in.Name, Scope: in.Scope, AgencyID: in.AgencyID,
		ExpiresIn: in.ExpiresIn, CreatedBy: actor.Name})
}

// RevokeKey revokes an application key (the administrators do).
func (w *Service) RevokeKey(ctx context.Context, actor Actor, id int64) (domain.APIKey, error) {
	if err := actor.may(fmt.Sprintf("revoke key %d", id), admins...); err != nil {
		return domain.APIKey{}, err
	}
	return w.Store.RevokeKey(ctx, id)
}
