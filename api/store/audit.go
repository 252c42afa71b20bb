package store

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AuditEntry is one line of the audit trail: who did what to which
// resource, when, from which address. The table refuses updates and
// deletes (database triggers), so the trail is append-only.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Role      string    `json:"role,omitempty"`
	Action    string    `json:"action"`
	Resource  string    `json:"resource,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	IP        string    `json:"ip,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	Status    int       `json:"status,omitempty"`
}

func (AuditEntry) TableName() string { return "audit_log" }

// Audit appends an entry; At defaults to now.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	e.ID = 0
	if e.At.IsZero() {
		e.At = s.now()
	}
	for _, f := range []*string{&e.Actor, &e.Role, &e.Action, &e.Resource, &e.Detail, &e.IP, &e.RequestID} {
		*f = EscapeControls(*f)
	}
	if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Resource, err)
	}
	return nil
}

// EscapeControls writes each control character (C0 but tab and LF, DEL,
// C1) and each byte that is not UTF-8 as %XX, its bytes percent-encoded
// as in a URL: "/api/v1/plans/%00". Both databases then take the text
// (PostgreSQL refuses NUL and invalid UTF-8, SQLSTATE 22021), so that an
// entry for a request whose path held "%00" is still recorded, and what
// the trail shows is what was sent. A "%" itself is kept as it is.
func EscapeControls(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\t' && r != '\n') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || (unicode.IsControl(r) && r != '\t' && r != '\n') {
			for _, c := range []byte(s[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	Actor    string
	Action   string
	From, To time.Time // To is exclusive
	Limit    int
	Offset   int
}

func (s *Store) auditQuery(ctx context.Context, f AuditFilter) *gorm.DB {
	q := s.read(ctx).Model(&AuditEntry{})
	like := "LIKE"
	if !s.Embedded() {
		like = "ILIKE" // SQLite's LIKE ignores case (ASCII) already
	}
	if f.Actor != "" { // part of the name: "hoa" finds "Nguyễn Thị Hoa (hoa.nt)"
		q = q.Where("actor "+like+" ? ESCAPE '\\'", "%"+likeEscaper.Replace(f.Actor)+"%")
	}
	if f.Action != "" { // the code, or part of it or of its Vietnamese name
		q = q.Where("action IN ? OR action "+like+" ? ESCAPE '\\'", append(actionsMatching(f.Action), f.Action),
			"%"+likeEscaper.Replace(f.Action)+"%")
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	return q
}

// AuditLog returns a page of the trail, newest first, and the total.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int64, error) {
	var total int64
	if err := s.auditQuery(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	var out []AuditEntry
	if err := s.auditQuery(ctx, f).Order("id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, total, nil
}

// EachAudit streams the trail, oldest first, row by row.
func (s *Store) EachAudit(ctx context.Context, f AuditFilter) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		rows, err := s.auditQuery(ctx, f).Order("id").Rows()
		if err != nil {
			yield(AuditEntry{}, fmt.Errorf("audit log: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			if err := s.rdb.ScanRows(rows, &e); err != nil {
				yield(AuditEntry{}, fmt.Errorf("audit log: %w", err))
				return
			}
			e.At = e.At.UTC()
			if !yield(e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(AuditEntry{}, fmt.Errorf("audit log: %w", err))
		}
	}
}

// likeEscaper keeps a filter's % and _ literal in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
