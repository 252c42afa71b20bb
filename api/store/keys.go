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
)

type keyRow struct {
	ID         int64
	Name       string
	Prefix     string
	SecretHash string
	Scope      string
	AgencyID   sql.NullInt64
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  sql.NullTime
	RevokedAt  sql.NullTime
	LastUsedAt sql.NullTime
}

func (keyRow) TableName() string { return "api_keys" }

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func (r keyRow) key(agencyName string) APIKey {
	return APIKey{ID: r.ID, Name: r.Name, Prefix: r.Prefix, Scope: r.Scope, AgencyID: r.AgencyID.Int64, AgencyName: agencyName,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: timePtr(r.ExpiresAt), RevokedAt: timePtr(r.RevokedAt),
		LastUsedAt: timePtr(r.LastUsedAt)}
}

// ValidateKey checks a new key's fields.
func ValidateKey(in *KeyInput) []doc.FieldError {
	var errs []doc.FieldError
	add := func(f, p string) { errs = append(errs, doc.FieldError{Field: f, Problem: p}) }
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		add("name", "is required, at most 200 characters")
	}
	if !auth.ValidScope(in.Scope) {
		add("scope", "must be render or one of "+strings.Join(auth.Roles, ", "))
	}
	if (in.Scope == auth.RoleReporter) != (in.AgencyID != 0) {
		add("agency", "is required for the reporter scope and only for it")
	}
	if in.ExpiresIn < 0 {
		add("expires_in", "must not be negative")
	}
	return errs
}

// CreateKey stores a new key and returns it with its secret, the only time
// the secret is seen.
func (s *Store) CreateKey(ctx context.Context, in KeyInput) (APIKey, string, error) {
	if errs := ValidateKey(&in); len(errs) > 0 {
		return APIKey{}, "", &doc.ValidationError{Fields: errs}
	}
	secret, prefix, hash := auth.NewKey()
	now := s.now()
	r := keyRow{Name: in.Name, Prefix: prefix, SecretHash: hash, Scope: in.Scope, AgencyID: nullID(in.AgencyID),
		CreatedBy: in.CreatedBy, CreatedAt: now}
	if in.ExpiresIn > 0 {
		r.ExpiresAt = sql.NullTime{Time: now.Add(in.ExpiresIn), Valid: true}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.AgencyID != 0 {
			if err := mustExist(tx, &agencyRow{}, in.AgencyID, "agency"); err != nil {
				return err
			}
		}
		return tx.Create(&r).Error
	})
	if err != nil {
		return APIKey{}, "", mapErr(err, "key")
	}
	keys, err := s.keys(ctx, "api_keys.id = ?", r.ID)
	if err != nil || len(keys) == 0 {
		return APIKey{}, "", fmt.Errorf("read back key: %w", err)
	}
	return keys[0], secret, nil
}

func (s *Store) keys(ctx context.Context, where string, args ...any) ([]APIKey, error) {
	var rows []keyRow
	q := s.read(ctx).Model(&keyRow{})
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	names := map[int64]string{}
	var ags []agencyRow
	if err := s.read(ctx).Select("id, name").Where("id IN (SELECT agency_id FROM api_keys WHERE agency_id IS NOT NULL)").Find(&ags).Error; err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	for _, a := range ags {
		names[a.ID] = a.Name
	}
	out := make([]APIKey, len(rows))
	for i, r := range rows {
		out[i] = r.key(names[r.AgencyID.Int64])
	}
	return out, nil
}

// ListKeys lists every key, oldest first.
func (s *Store) ListKeys(ctx context.Context) ([]APIKey, error) { return s.keys(ctx, "") }

// RevokeKey revokes a key; it cannot be used again. On PostgreSQL every
// instance is told (WatchKeys) when the revocation commits.
func (s *Store) RevokeKey(ctx context.Context, id int64) (APIKey, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&keyRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.notifyKeys(tx, id)
	})
	if err != nil {
		return APIKey{}, fmt.Errorf("revoke key %d: %w", id, err)
	}
	keys, err := s.keys(ctx, "api_keys.id = ?", id)
	if err != nil {
		return APIKey{}, err
	}
	if len(keys) == 0 {
		return APIKey{}, fmt.Errorf("key %d: %w", id, ErrNotFound)
	}
	return keys[0], nil
}

// KeyByToken finds the live key of a presented token. Unknown, revoked and
// expired keys are ErrBadCredentials; reason says which, for the log.
func (s *Store) KeyByToken(ctx context.Context, token string) (key APIKey, reason string, err error) {
	prefix, hash, ok := auth.ParseKey(token)
	if !ok {
		return APIKey{}, "malformed", ErrBadCredentials
	}
	var r keyRow
	err = s.read(ctx).Where("prefix = ?", prefix).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return APIKey{}, "unknown", ErrBadCredentials
	}
	if err != nil {
		return APIKey{}, "", fmt.Errorf("key: %w", err)
	}
	now := s.now()
	switch {
	case !auth.SameToken(r.SecretHash, hash):
		return APIKey{}, "wrong secret", ErrBadCredentials
	case r.RevokedAt.Valid:
		return APIKey{}, "revoked", ErrBadCredentials
	case r.ExpiresAt.Valid && !now.Before(r.ExpiresAt.Time):
		return APIKey{}, "expired", ErrBadCredentials
	}
	// Last use is a hint for administrators; at most once a minute, and
	// written beside the request, which does not wait for the writer.
	if !r.LastUsedAt.Valid || now.Sub(r.LastUsedAt.Time) > time.Minute {
		go func(id int64) {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_ = s.db.WithContext(ctx).Model(&keyRow{}).Where("id = ?", id).Update("last_used_at", now).Error
		}(r.ID)
		r.LastUsedAt = sql.NullTime{Time: now, Valid: true}
	}
	name := ""
	if r.AgencyID.Valid {
		var a agencyRow
		if err := s.read(ctx).Select("id, name").Where("id = ?", r.AgencyID.Int64).Take(&a).Error; err == nil {
			name = a.Name
		}
	}
	return r.key(name), "", nil
}
