package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"baocao/api/auth"
)

// ValidEmail accepts one plain address ("ten@donvi.gov.vn"): no display
// name, no list, at most 254 characters, no control characters.
func ValidEmail(s string) error {
	if len(s) > 254 {
		return errors.New("is longer than 254 characters")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") ||
		strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return fmt.Errorf("must be one e-mail address such as ten@donvi.gov.vn, not %q", s)
	}
	return nil
}

// Writer is the pool that writes, for River on SQLite: one connection
// that every write of the process queues on (River asks for one
// connection on SQLite; sharing the store's keeps its writes and River's
// from failing each other with "database is locked").
func (s *Store) Writer() *sql.DB { return s.sqlDB }

// DatabaseURL is the PostgreSQL URL the store was opened with; "" for the
// embedded database.
func (s *Store) DatabaseURL() string { return s.url }

// Now is the store's clock (see SetClock).
func (s *Store) Now() time.Time { return s.now() }

// JobResult is a file made by a background job, kept until ExpiresAt.
type JobResult struct {
	JobID       int64 `gorm:"primaryKey"`
	Name        string
	ContentType string
	Data        []byte
	SHA256      string `gorm:"column:sha256"`
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// TableName is the table of job results (migration 00015).
func (JobResult) TableName() string { return "job_results" }

// SaveJobResult stores (or replaces: a job run again) the file of a job.
func (s *Store) SaveJobResult(ctx context.Context, r JobResult) error {
	sum := sha256.Sum256(r.Data)
	r.SHA256 = hex.EncodeToString(sum[:])
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("save result of job %d: %w", r.JobID, err)
	}
	return nil
}

// JobResult reads a job's file; ErrNotFound when there is none or it has
// expired.
func (s *Store) JobResult(ctx context.Context, jobID int64) (JobResult, error) {
	var r JobResult
	err := s.read(ctx).Where("job_id = ? AND expires_at > ?", jobID, s.now()).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, fmt.Errorf("result of job %d: %w", jobID, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("result of job %d: %w", jobID, err)
	}
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	return r, nil
}

// JobResultMeta reads when a job's file expires without its bytes; ok
// false when there is none (never made, or deleted once expired).
func (s *Store) JobResultMeta(ctx context.Context, jobID int64) (r JobResult, ok bool, err error) {
	err = s.read(ctx).Select("job_id, name, content_type, sha256, created_at, expires_at").Where("job_id = ?", jobID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("result of job %d: %w", jobID, err)
	}
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	return r, true, nil
}

// jobInput is a document waiting for a background render: kept apart
// from the job's arguments, which every list of jobs reads.
type jobInput struct {
	Token     string `gorm:"primaryKey"`
	Data      []byte
	CreatedAt time.Time
}

func (jobInput) TableName() string { return "job_inputs" }

// SaveJobInput stores the input of a job and returns its token.
func (s *Store) SaveJobInput(ctx context.Context, data []byte) (string, error) {
	r := jobInput{Token: auth.Token(18), Data: data, CreatedAt: s.now()}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return "", fmt.Errorf("save job input: %w", err)
	}
	return r.Token, nil
}

// JobInput reads the input of a job; ErrNotFound once deleted.
func (s *Store) JobInput(ctx context.Context, token string) ([]byte, error) {
	var r jobInput
	err := s.read(ctx).Where("token = ?", token).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("job input: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("job input: %w", err)
	}
	return r.Data, nil
}

// DeleteJobInput deletes the input of a job that is done with it.
func (s *Store) DeleteJobInput(ctx context.Context, token string) error {
	if err := s.db.WithContext(ctx).Where("token = ?", token).Delete(&jobInput{}).Error; err != nil {
		return fmt.Errorf("delete job input: %w", err)
	}
	return nil
}

// jobMark records scheduled work done once.
type jobMark struct {
	Kind    string `gorm:"primaryKey"`
	Subject string `gorm:"primaryKey"`
	DoneAt  time.Time
}

func (jobMark) TableName() string { return "job_marks" }

// Marked reports whether the work kind for subject was done.
func (s *Store) Marked(ctx context.Context, kind, subject string) (bool, error) {
	var n int64
	if err := s.read(ctx).Model(&jobMark{}).Where("kind = ? AND subject = ?", kind, subject).Count(&n).Error; err != nil {
		return false, fmt.Errorf("job mark %s %s: %w", kind, subject, err)
	}
	return n > 0, nil
}

// Mark records that the work kind for subject was done; marking again
// changes nothing.
func (s *Store) Mark(ctx context.Context, kind, subject string) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&jobMark{Kind: kind, Subject: subject, DoneAt: s.now()}).Error
	if err != nil {
		return fmt.Errorf("job mark %s %s: %w", kind, subject, err)
	}
	return nil
}

// Swept counts what DeleteExpired removed.
type Swept struct{ Sessions, Results, Inputs int64 }

// DeleteExpired removes the sessions and job results that have expired,
// and the job inputs stored before inputsBefore (a job that never ran).
func (s *Store) DeleteExpired(ctx context.Context, inputsBefore time.Time) (Swept, error) {
	var sw Swept
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r := tx.Where("expires_at < ?", now).Delete(&sessionRow{})
		if r.Error != nil {
			return r.Error
		}
		sw.Sessions = r.RowsAffected
		r = tx.Where("expires_at < ?", now).Delete(&JobResult{})
		if r.Error != nil {
			return r.Error
		}
		sw.Results = r.RowsAffected
		r = tx.Where("created_at < ?", inputsBefore.UTC()).Delete(&jobInput{})
		sw.Inputs = r.RowsAffected
		return r.Error
	})
	if err != nil {
		return Swept{}, fmt.Errorf("delete expired: %w", err)
	}
	return sw, nil
}
