package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"baocao/api/auth"
	"baocao/reports/doc"
	"baocao/reports/text"
)

type userRow struct {
	ID           int64
	Username     string
	DisplayName  string
	Role         string
	AgencyID     sql.NullInt64
	PasswordHash string
	Email        string
	Disabled     bool
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

// ValidateUser checks a new user's fields.
func ValidateUser(in *UserInput) []doc.FieldError {
	var errs []doc.FieldError
	add := func(f, p string) { errs = append(errs, doc.FieldError{Field: f, Problem: p}) }
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(text.Clean(in.DisplayName))
	if in.Username == "" || len(in.Username) > 64 || strings.IndexFunc(in.Username, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0 {
		add("username", "must be 1 to 64 of a-z, 0-9, '.', '_', '-'")
	}
	if !auth.ValidRole(in.Role) {
		add("role", "must be one of "+strings.Join(auth.Roles, ", "))
	}
	if in.Role == auth.RoleReporter && in.AgencyID == 0 {
		add("agency", "is required for a reporter: the agency it reports for")
	}
	if in.Role != auth.RoleReporter && in.AgencyID != 0 {
		add("agency", "is only for a reporter")
	}
	if n := len([]rune(in.Password)); n < auth.MinPasswordLength {
		add("password", fmt.Sprintf("must have at least %d characters", auth.MinPasswordLength))
	} else if n > auth.MaxPasswordLength {
		add("password", fmt.Sprintf("must have at most %d characters", auth.MaxPasswordLength))
	}
	if len([]rune(in.DisplayName)) > 200 {
		add("display_name", "is longer than 200 characters")
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		if err := ValidEmail(in.Email); err != nil {
			add("email", err.Error())
		}
	}
	return errs
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateUser stores a user with an Argon2id hash of the password.
func (s *Store) CreateUser(ctx context.Context, in UserInput) (User, error) {
	if errs := ValidateUser(&in); len(errs) > 0 {
		return User{}, &doc.ValidationError{Fields: errs}
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	r := userRow{Username: in.Username, DisplayName: strings.TrimSpace(in.DisplayName), Role: in.Role,
		AgencyID: nullID(in.AgencyID), PasswordHash: hash, Email: in.Email, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.AgencyID != 0 {
			if err := mustExist(tx, &agencyRow{}, in.AgencyID, "agency"); err != nil {
				return err
			}
		}
		return tx.Create(&r).Error
	})
	if err != nil {
		return User{}, mapErr(err, "user "+in.Username)
	}
	return s.GetUser(ctx, r.ID)
}

// mustExist fails with ErrInvalid when no row of model has the id.
func mustExist(tx *gorm.DB, model any, id int64, what string) error {
	var n int64
	if err := tx.Model(model).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s %d does not exist", ErrInvalid, what, id)
	}
	return nil
}

// SetPassword replaces a user's password and ends the user's sessions.
func (s *Store) SetPassword(ctx context.Context, username, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return &doc.ValidationError{Fields: []doc.FieldError{{Field: "password", Problem: err.Error()}}}
	}
	return s.changeUser(ctx, username, map[string]any{"password_hash": hash})
}

// SetDisabled disables or enables a user; disabling ends its sessions.
func (s *Store) SetDisabled(ctx context.Context, username string, disabled bool) error {
	return s.changeUser(ctx, username, map[string]any{"disabled": disabled})
}

// changeUser updates a user's columns and ends its sessions, so that a
// changed password or a disabled account takes effect at once.
func (s *Store) changeUser(ctx context.Context, username string, cols map[string]any) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u userRow
		if err := tx.Where("username = ?", strings.ToLower(username)).Take(&u).Error; err != nil {
			return mapErr(err, "user "+username)
		}
		cols["version"], cols["updated_at"] = u.Version+1, s.now()
		if err := tx.Model(&u).Updates(cols).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", u.ID).Delete(&sessionRow{}).Error
	})
}

func (s *Store) users(ctx context.Context, where string, args ...any) ([]User, error) {
	var rows []struct {
		ID          int64
		Username    string
		DisplayName string
		Role        string
		AgencyID    sql.NullInt64
		AgencyName  sql.NullString
		Email       string
		Disabled    bool
		CreatedAt   time.Time
	}
	q := s.read(ctx).Table("users").Joins("LEFT JOIN agencies ON agencies.id = users.agency_id").
		Select("users.id, users.username, users.display_name, users.role, users.agency_id, agencies.name AS agency_name, users.email, users.disabled, users.created_at")
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Order("users.username").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Role: r.Role, AgencyID: r.AgencyID.Int64,
			AgencyName: r.AgencyName.String, Email: r.Email, Disabled: r.Disabled, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ListUsers lists every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) { return s.users(ctx, "") }

// GetUser reads one user.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	us, err := s.users(ctx, "users.id = ?", id)
	if err != nil {
		return User{}, err
	}
	if len(us) == 0 {
		return User{}, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return us[0], nil
}

// CountUsers counts the accounts (the first start creates one when none).
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.read(ctx).Model(&userRow{}).Count(&n).Error
	return n, err
}

// Authenticate checks a user name and password. Every failure is
// ErrBadCredentials and takes about as long.
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	if len(password) > 4*auth.MaxPasswordLength { // no stored password is longer
		auth.BurnTime("")
		return User{}, ErrBadCredentials
	}
	var r userRow
	username = strings.ToLower(strings.TrimSpace(username))
	if EscapeControls(username) != username {
		// No user name holds a control character or bytes that are not
		// UTF-8 (and PostgreSQL would refuse to compare with one).
		auth.BurnTime(password)
		return User{}, ErrBadCredentials
	}
	err := s.read(ctx).Where("username = ?", username).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		auth.BurnTime(password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if err := auth.CheckPassword(r.PasswordHash, password); err != nil {
		if errors.Is(err, auth.ErrMismatch) {
			return User{}, ErrBadCredentials
		}
		return User{}, fmt.Errorf("authenticate %s: %w", r.Username, err)
	}
	if r.Disabled {
		return User{}, ErrBadCredentials
	}
	return s.GetUser(ctx, r.ID)
}

// Sessions: the cookie holds a random token; the table holds its hash, the
// user and the CSRF token of the forms.

type sessionRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    int64
	CSRFToken string `gorm:"column:csrf_token"`
	IP        string
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// Session is a logged-in user.
type Session struct {
	User      User
	CSRFToken string
	ExpiresAt time.Time
}

// CreateSession starts a session for a user and returns the cookie token.
// A new token every time: a session id set before login is never kept.
func (s *Store) CreateSession(ctx context.Context, userID int64, ip string, ttl time.Duration) (string, Session, error) {
	tok := auth.Token(32)
	now := s.now()
	r := sessionRow{TokenHash: auth.HashToken(tok), UserID: userID, CSRFToken: auth.Token(24), IP: ip, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Expired sessions are swept as new ones start.
		if err := tx.Where("expires_at < ?", now).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&r).Error
	})
	if err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return "", Session{}, err
	}
	return tok, Session{User: u, CSRFToken: r.CSRFToken, ExpiresAt: r.ExpiresAt}, nil
}

// GetSession finds the live session of a cookie token.
func (s *Store) GetSession(ctx context.Context, token string) (Session, error) {
	var r sessionRow
	err := s.read(ctx).Where("token_hash = ? AND expires_at > ?", auth.HashToken(token), s.now()).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	u, err := s.GetUser(ctx, r.UserID)
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, ErrBadCredentials
	}
	return Session{User: u, CSRFToken: r.CSRFToken, ExpiresAt: r.ExpiresAt}, nil
}

// DeleteSession ends a session (log out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("token_hash = ?", auth.HashToken(token)).Delete(&sessionRow{}).Error
}
