package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"baocao/reports/agency"
)

func (r agencyRow) agency() Agency {
	a := Agency{ID: r.ID, AgencyFields: AgencyFields{Name: r.Name, ShortName: r.ShortName, Symbol: r.Symbol, Place: r.Place},
		Aliases: []string{}, Label: r.Name, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if err := storedJSON(r.Header, &a.Header); err != nil {
		// An agency is listed whatever its header holds; the documents,
		// which print it, refuse a header that does not decode (loadAgency).
		slog.Error("stored agency header does not decode", "agency", r.ID, "error", err)
	}
	if r.ParentID.Valid {
		p := r.ParentID.Int64
		a.ParentID = &p
	}
	return a
}

// agencyRowOf is the row of an agency input.
func agencyRowOf(in AgencyInput) agencyRow {
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

// CreateAgency stores a new agency with its aliases.
func (s *Store) CreateAgency(ctx context.Context, in AgencyInput) (Agency, error) {
	r := agencyRowOf(in)
	r.Version = 1
	r.CreatedAt, r.UpdatedAt = s.now(), s.now()
	var out Agency
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkParent(tx, 0, in.ParentID); err != nil {
			return err
		}
		if err := checkNameFree(tx, 0, r.NameKey, "name", r.Name); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if in.Aliases != nil {
			if err := s.setAliases(tx, r.ID, r.ParentID, r.NameKey, *in.Aliases); err != nil {
				return err
			}
		}
		var err error
		out, err = getAgency(tx, r.ID)
		return err
	})
	if err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return out, nil
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

// ListAgencies returns every agency with its aliases, in Vietnamese
// alphabetical order of their labels (see Agency.Label).
func (s *Store) ListAgencies(ctx context.Context) ([]Agency, error) {
	var rows []agencyRow
	db := s.read(ctx)
	if err := db.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	aliases, err := aliasesOf(db, nil)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	labels := labelsOf(rows)
	out := make([]Agency, len(rows))
	for i, r := range rows {
		out[i] = r.agency()
		out[i].Label = labels[r.ID]
		if a := aliases[r.ID]; a != nil {
			out[i].Aliases = a
		}
	}
	agency.SortByLabel(out, func(a Agency) string { return a.Label }, func(a Agency) int64 { return a.ID })
	return out, nil
}

// labelsOf labels agencies as lists show them (agency.Labels).
func labelsOf(rows []agencyRow) map[int64]string {
	names := make(map[int64]string, len(rows))
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	list := make([]agency.Labelled, len(rows))
	for i, r := range rows {
		list[i] = agency.Labelled{ID: r.ID, Name: r.Name}
		if r.ParentID.Valid {
			list[i].Parent = names[r.ParentID.Int64]
		}
	}
	return agency.Labels(list)
}

// aliasesOf returns the aliases of the given agencies (of all when ids is
// nil), in the order they were given.
func aliasesOf(tx *gorm.DB, ids []int64) (map[int64][]string, error) {
	q := tx.Order("agency_id, id")
	if ids != nil {
		q = q.Where("agency_id IN ?", ids)
	}
	var rows []aliasRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, a := range rows {
		out[a.AgencyID] = append(out[a.AgencyID], a.Name)
	}
	return out, nil
}

// getAgency reads an agency with its aliases and label.
func getAgency(tx *gorm.DB, id int64) (Agency, error) {
	var r agencyRow
	if err := tx.Take(&r, id).Error; err != nil {
		return Agency{}, err
	}
	a := r.agency()
	aliases, err := aliasesOf(tx, []int64{id})
	if err != nil {
		return Agency{}, err
	}
	if aliases[id] != nil {
		a.Aliases = aliases[id]
	}
	var same []agencyRow // the agencies that share its name, for the label
	if err := tx.Select("id, name, parent_id").Where("name_key = ? OR name_key LIKE ? ESCAPE '\\'", nameKey(r.Name), likeEscape(nameKey(r.Name))+" @%").
		Find(&same).Error; err != nil {
		return Agency{}, err
	}
	if len(same) > 1 && r.ParentID.Valid {
		var p agencyRow
		if err := tx.Select("id, name").Take(&p, r.ParentID.Int64).Error; err != nil {
			return Agency{}, err
		}
		same = append(same, p)
		a.Label = labelsOf(same)[id]
	}
	return a, nil
}

// GetAgency returns one agency.
func (s *Store) GetAgency(ctx context.Context, id int64) (Agency, error) {
	a, err := getAgency(s.read(ctx), id)
	if err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return a, nil
}

// UpdateAgency replaces an agency's fields (and its aliases, when given)
// if in.Version is current.
func (s *Store) UpdateAgency(ctx context.Context, id int64, in AgencyInput) (Agency, error) {
	var out Agency
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkParent(tx, id, in.ParentID); err != nil {
			return err
		}
		r := agencyRowOf(in)
		if err := checkNameFree(tx, id, r.NameKey, "name", r.Name); err != nil {
			return err
		}
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
		aliases := in.Aliases
		if aliases == nil { // kept, with their keys in the (perhaps new) parent's scope
			cur, err := aliasesOf(tx, []int64{id})
			if err != nil {
				return err
			}
			list := cur[id]
			aliases = &list
		}
		if err := s.setAliases(tx, id, r.ParentID, r.NameKey, *aliases); err != nil {
			return err
		}
		var err error
		out, err = getAgency(tx, id)
		return err
	})
	if err != nil {
		return Agency{}, mapErr(err, "agency")
	}
	return out, nil
}

// keyOwner returns the agency whose name or alias has this key, or found
// false.
func keyOwner(tx *gorm.DB, key string) (agencyRow, bool, error) {
	var r agencyRow
	err := tx.Where("name_key = ?", key).Take(&r).Error
	if err == nil {
		return r, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, err
	}
	var a aliasRow
	err = tx.Where("name_key = ?", key).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	if err := tx.Take(&r, a.AgencyID).Error; err != nil {
		return r, false, err
	}
	return r, true, nil
}

// checkNameFree refuses a key held by another agency than self, by its
// name or one of its aliases.
func checkNameFree(tx *gorm.DB, self int64, key, field, name string) error {
	owner, ok, err := keyOwner(tx, key)
	if err != nil || !ok || owner.ID == self {
		return err
	}
	how := "the name"
	if nameKey(owner.Name) != nameKey(name) {
		how = "an alias"
	}
	return &ConflictError{Field: field, Problem: fmt.Sprintf("%q is already %s of agency %d (%s) in the same scope", name, how, owner.ID, owner.Name)}
}

// setAliases makes names the aliases of an agency whose own key is ownKey:
// blank ones, repeats and the agency's own name are dropped, one that is
// another agency's name or alias in the scope is refused.
func (s *Store) setAliases(tx *gorm.DB, id int64, parent sql.NullInt64, ownKey string, names []string) error {
	if err := tx.Where("agency_id = ?", id).Delete(&aliasRow{}).Error; err != nil {
		return err
	}
	seen := map[string]bool{ownKey: true}
	for i, n := range names {
		n = norm.NFC.String(strings.TrimSpace(n))
		key := agencyKey(n, parent)
		if n == "" || seen[key] {
			continue
		}
		seen[key] = true
		if err := checkNameFree(tx, id, key, fmt.Sprintf("aliases[%d]", i), n); err != nil {
			return err
		}
		if err := tx.Create(&aliasRow{AgencyID: id, Name: n, NameKey: key, CreatedAt: s.now()}).Error; err != nil {
			return err
		}
	}
	return nil
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
