package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// AgencyFields are an agency's own data.
type AgencyFields struct {
	Name      string   `json:"name"`
	ShortName string   `json:"short_name,omitempty"`
	Header    []string `json:"header,omitempty"`
	Symbol    string   `json:"symbol,omitempty"`
	Place     string   `json:"place,omitempty"`
	ParentID  *int64   `json:"parent_id,omitempty"`
}

// Agency is an agency as the API shows it.
type Agency struct {
	ID int64 `json:"id"`
	AgencyFields
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AgencyInput is what a client sends to create or update an agency.
type AgencyInput struct {
	AgencyFields
	// Version is required on update: the version the client read.
	Version int64 `json:"version,omitempty"`
}

func (r agencyRow) agency() Agency {
	a := Agency{ID: r.ID, AgencyFields: AgencyFields{Name: r.Name, ShortName: r.ShortName, Symbol: r.Symbol, Place: r.Place},
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Header), &a.Header)
	if r.ParentID.Valid {
		p := r.ParentID.Int64
		a.ParentID = &p
	}
	return a
}

func (in AgencyInput) row() agencyRow {
	h, _ := json.Marshal(nonNil(in.Header))
	r := agencyRow{Name: in.Name, ShortName: in.ShortName, Header: string(h), Symbol: in.Symbol, Place: in.Place}
	if in.ParentID != nil {
		r.ParentID = sql.NullInt64{Int64: *in.ParentID, Valid: true}
	}
	r.NameKey = agencyKey(in.Name, r.ParentID)
	return r
}

// agencyKey identifies an agency: its name within its parent, so that the
// "Sở Nội vụ" of two provinces are two agencies, while an agency without a
// parent is known by its name alone.
func agencyKey(name string, parent sql.NullInt64) string {
	k := nameKey(name)
	if parent.Valid {
		k += " @" + strconv.FormatInt(parent.Int64, 10)
	}
	return k
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// ErrDuplicate: another record already has this unique value.
var ErrDuplicate = errors.New("duplicate")

// CreateAgency stores a new agency.
func (s *Store) CreateAgency(ctx context.Context, in AgencyInput) (Agency, error) {
	r := in.row()
	r.Version = 1
	r.CreatedAt, r.UpdatedAt = s.now(), s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkParent(tx, 0, in.ParentID); err != nil {
			return err
		}
		return tx.Create(&r).Error
	})
	if err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return r.agency(), nil
}

// checkParent refuses a parent that does not exist or would make a cycle.
func checkParent(tx *gorm.DB, id int64, parent *int64) error {
	for p := parent; p != nil; {
		if *p == id && id != 0 {
			return fmt.Errorf("%w: an agency cannot be its own parent", ErrInvalid)
		}
		var r agencyRow
		if err := tx.Take(&r, *p).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("%w: parent agency %d does not exist", ErrInvalid, *p)
			}
			return err
		}
		if !r.ParentID.Valid {
			break
		}
		next := r.ParentID.Int64
		p = &next
	}
	return nil
}

// ErrInvalid: the request is well-formed but refers to something impossible.
var ErrInvalid = errors.New("invalid")

// ListAgencies returns every agency, by name.
func (s *Store) ListAgencies(ctx context.Context) ([]Agency, error) {
	var rows []agencyRow
	if err := s.db.WithContext(ctx).Order("name_key, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	out := make([]Agency, len(rows))
	for i, r := range rows {
		out[i] = r.agency()
	}
	return out, nil
}

// GetAgency returns one agency.
func (s *Store) GetAgency(ctx context.Context, id int64) (Agency, error) {
	var r agencyRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return r.agency(), nil
}

// UpdateAgency replaces an agency's fields if in.Version is current.
func (s *Store) UpdateAgency(ctx context.Context, id int64, in AgencyInput) (Agency, error) {
	var out agencyRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkParent(tx, id, in.ParentID); err != nil {
			return err
		}
		r := in.row()
		res := tx.Model(&agencyRow{}).Where("id = ? AND version = ?", id, in.Version).Updates(map[string]any{
			"name": r.Name, "name_key": r.NameKey, "short_name": r.ShortName, "header": r.Header,
			"symbol": r.Symbol, "place": r.Place, "parent_id": r.ParentID,
			"version": gorm.Expr("version + 1"), "updated_at": s.now(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return staleOrMissing(tx, &agencyRow{}, id)
		}
		return tx.Take(&out, id).Error
	})
	if err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return out.agency(), nil
}

// DeleteAgency deletes an agency that nothing refers to: plans, task
// assignments, child agencies, progress reports, document numbers, users
// and API keys. (SQLite's driver does not report foreign-key failures as
// such, so the references are counted first, on both databases.)
func (s *Store) DeleteAgency(ctx context.Context, id int64, version int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		for _, q := range []struct{ table, col string }{{"task_agencies", "agency_id"}, {"plans", "agency_id"}, {"agencies", "parent_id"},
			{"progress", "agency_id"}, {"doc_numbers", "agency_id"}, {"users", "agency_id"}, {"api_keys", "agency_id"}} {
			if err := tx.Table(q.table).Where(q.col+" = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w: %d %s refer to this agency", ErrInUse, n, agencyRefs[q.table])
			}
		}
		q := tx.Where("id = ?", id)
		if version > 0 {
			q = q.Where("version = ?", version)
		}
		res := q.Delete(&agencyRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return staleOrMissing(tx, &agencyRow{}, id)
		}
		return nil
	})
	return mapErr(err, "agency")
}

var agencyRefs = map[string]string{"task_agencies": "task assignments", "plans": "plans", "agencies": "agencies (as parent)",
	"progress": "progress reports", "doc_numbers": "document number counters", "users": "users", "api_keys": "API keys"}

// staleOrMissing tells a missing row from a stale version.
func staleOrMissing(tx *gorm.DB, model any, id int64) error {
	var n int64
	if err := tx.Model(model).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return ErrStale
}

// mapErr turns database errors into the store's errors.
func mapErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%s: %w", what, ErrDuplicate)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%s: %w: it is referred to elsewhere", what, ErrInUse)
	}
	return fmt.Errorf("%s: %w", what, err)
}
