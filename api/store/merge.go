package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"

	"gorm.io/gorm"

	"baocao/reports/agency"
	"baocao/reports/doc"
)

// LeadAgencies returns, for each task of a plan with a lead agency, the
// canonical names (agency.Name) of its lead agencies in the task's lead
// order, each agency once: the lead entries written under an alias count
// as their agency, and entries that name no agency ("Các Sở, ban, ngành
// tỉnh") are left out, and so are archived tasks. Aggregation groups by these names, which identify
// agencies as Submission.Agency does.
func (s *Store) LeadAgencies(ctx context.Context, planID int64) (map[int64][]string, error) {
	rows, err := s.leadRows(ctx, planID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	seen := map[[2]int64]bool{}
	for _, r := range rows {
		if k := [2]int64{r.TaskID, r.AgencyID}; !seen[k] {
			seen[k] = true
			out[r.TaskID] = append(out[r.TaskID], r.Name)
		}
	}
	return out, nil
}

// LeadAgencyIDs are the ids of a plan's lead agencies by the name a
// status board shows them under (LeadAgencies' names): the agencies a
// board's lead is, by identity.
func (s *Store) LeadAgencyIDs(ctx context.Context, planID int64) (map[string][]int64, error) {
	rows, err := s.leadRows(ctx, planID)
	if err != nil {
		return nil, err
	}
	out := map[string][]int64{}
	for _, r := range rows {
		if !slices.Contains(out[r.Name], r.AgencyID) {
			out[r.Name] = append(out[r.Name], r.AgencyID)
		}
	}
	return out, nil
}

// leadRow is a task's lead agency.
type leadRow struct {
	TaskID   int64
	AgencyID int64
	Name     string
}

// leadRows are the lead agencies of a plan's tasks not archived, in the
// tasks' order and each task's.
func (s *Store) leadRows(ctx context.Context, planID int64) ([]leadRow, error) {
	var rows []leadRow
	err := s.read(ctx).Table("task_agencies").
		Joins("JOIN tasks ON tasks.id = task_agencies.task_id").
		Joins("JOIN agencies ON agencies.id = task_agencies.agency_id").
		Where("tasks.plan_id = ? AND tasks.archived_at IS NULL AND task_agencies.role = ?", planID, roleLead).
		Order("task_agencies.task_id, task_agencies.position").
		Select("task_agencies.task_id, task_agencies.agency_id, agencies.name").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("lead agencies of plan %d: %w", planID, err)
	}
	return rows, nil
}

// DeclareAgencies makes sure the agencies of entries exist in the scope of
// the issuing agency issuer (its top agency, as a plan's task agencies
// are), each with its aliases: the demo data declares this way the other
// spellings a seed plan uses before the plan is loaded. A name that is an
// alias already is taken as that agency.
func (s *Store) DeclareAgencies(ctx context.Context, issuer doc.Agency, entries []agency.Entry) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		top, err := s.resolveAgency(tx, &issuer, sql.NullInt64{})
		if err != nil {
			return err
		}
		root, err := rootOf(tx, top)
		if err != nil {
			return err
		}
		scope := sql.NullInt64{Int64: root, Valid: true}
		for i, e := range entries {
			id, err := s.resolveAgency(tx, &doc.Agency{Name: e.Name}, scope)
			if err != nil {
				return fmt.Errorf("agencies[%d]: %w", i, err)
			}
			var r agencyRow
			if err := tx.Take(&r, id).Error; err != nil {
				return err
			}
			cur, err := aliasesOf(tx, []int64{id})
			if err != nil {
				return err
			}
			names := append(cur[id], e.Aliases...)
			if err := s.setAliases(tx, id, r.ParentID, r.NameKey, names); err != nil {
				var ce *ConflictError
				if errors.As(err, &ce) {
					ce.Field = fmt.Sprintf("agencies[%d].%s", i, ce.Field)
				}
				return err
			}
		}
		return nil
	})
	return mapErr(err, "agencies")
}

// MergeAgency folds agency id into agency into, in one transaction: its
// task assignments, progress submissions, plans, child agencies, users,
// API keys and document-number counters move to into; its name and
// aliases become aliases of into; then it is deleted. version is id's
// version (ErrStale when it changed). It refuses merging an agency into
// itself or one of its descendants (ErrInvalid), and a move that would
// give into two children of one name (ErrDuplicate: merge those first).
//
// A task that listed both agencies in one role keeps one link: the
// other entry keeps its written text with no agency. Submissions of both
// on one task and period become one history, numbered again by time;
// counters of one kind and year keep the larger last number, so numbering
// never repeats.
func (s *Store) MergeAgency(ctx context.Context, id, into, version int64) (Agency, error) {
	var out Agency
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if id == into {
			return fmt.Errorf("%w: an agency cannot be merged into itself", ErrInvalid)
		}
		var src, dst agencyRow
		if err := takeAgency(tx, &src, id, ""); err != nil {
			return err
		}
		if src.Version != version {
			return ErrStale
		}
		if err := takeAgency(tx, &dst, into, " (into)"); err != nil {
			return err
		}
		for p := dst.ParentID; p.Valid; {
			if p.Int64 == id {
				return fmt.Errorf("%w: agency %d (%s) is under agency %d: an agency cannot be merged into its own descendant", ErrInvalid, into, dst.Name, id)
			}
			var r agencyRow
			if err := tx.Select("id, parent_id").Take(&r, p.Int64).Error; err != nil {
				return err
			}
			p = r.ParentID
		}
		intoID := sql.NullInt64{Int64: into, Valid: true}
		if err := moveChildren(tx, s, id, intoID); err != nil {
			return err
		}
		// Task assignments: one link per task, role and agency, the first
		// in the task's order; the later entry keeps its text.
		for _, pair := range [][2]int64{{into, id}, {id, into}} {
			if err := tx.Exec(`UPDATE task_agencies SET agency_id = NULL WHERE agency_id = ? AND EXISTS
				(SELECT 1 FROM task_agencies t2 WHERE t2.task_id = task_agencies.task_id AND t2.role = task_agencies.role
				AND t2.agency_id = ? AND t2.position < task_agencies.position)`, pair[0], pair[1]).Error; err != nil {
				return err
			}
		}
		for _, q := range []string{"task_agencies", "plans", "users", "api_keys"} {
			if err := tx.Table(q).Where("agency_id = ?", id).Update("agency_id", into).Error; err != nil {
				return fmt.Errorf("move %s: %w", q, err)
			}
		}
		// Keys remembered by other instances name the old agency.
		if err := s.notifyKeys(tx, 0); err != nil {
			return err
		}
		if err := mergeProgress(tx, id, into); err != nil {
			return fmt.Errorf("move progress: %w", err)
		}
		if err := mergeNumbers(tx, id, into); err != nil {
			return fmt.Errorf("move document numbers: %w", err)
		}
		// The name and aliases of id become aliases of into.
		old, err := aliasesOf(tx, []int64{id, into})
		if err != nil {
			return err
		}
		if err := tx.Where("agency_id = ?", id).Delete(&aliasRow{}).Error; err != nil {
			return err
		}
		if res := tx.Where("id = ? AND version = ?", id, version).Delete(&agencyRow{}); res.Error != nil || res.RowsAffected == 0 {
			if res.Error != nil {
				return res.Error
			}
			return ErrStale
		}
		names := append(append(old[into], src.Name), old[id]...)
		if err := s.setAliases(tx, into, dst.ParentID, dst.NameKey, names); err != nil {
			return err
		}
		if err := tx.Model(&agencyRow{}).Where("id = ?", into).
			Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		out, err = getAgency(tx, into)
		return err
	})
	if err != nil {
		return Agency{}, mapErr(err, "merge")
	}
	return out, nil
}

// takeAgency reads an agency; a missing one is ErrNotFound naming it.
func takeAgency(tx *gorm.DB, r *agencyRow, id int64, what string) error {
	err := tx.Take(r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("agency %d%s: %w", id, what, ErrNotFound)
	}
	return err
}

// moveChildren puts the child agencies of id under parent, with their
// names and aliases keyed in the new scope; a child whose name or alias
// is taken there is refused.
func moveChildren(tx *gorm.DB, s *Store, id int64, parent sql.NullInt64) error {
	var kids []agencyRow
	if err := tx.Where("parent_id = ?", id).Order("id").Find(&kids).Error; err != nil {
		return err
	}
	for _, k := range kids {
		key := agencyKey(k.Name, parent)
		if err := checkNameFree(tx, k.ID, key, "into", k.Name); err != nil {
			var ce *ConflictError
			if errors.As(err, &ce) {
				ce.Problem = fmt.Sprintf("child agency %d (%s) would move there, but %s; merge those two first", k.ID, k.Name, ce.Problem)
			}
			return err
		}
		if err := tx.Model(&agencyRow{}).Where("id = ?", k.ID).Updates(map[string]any{"parent_id": parent, "name_key": key,
			"version": gorm.Expr("version + 1"), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		cur, err := aliasesOf(tx, []int64{k.ID})
		if err != nil {
			return err
		}
		if err := s.setAliases(tx, k.ID, parent, key, cur[k.ID]); err != nil {
			var ce *ConflictError
			if errors.As(err, &ce) {
				ce.Field, ce.Problem = "into", fmt.Sprintf("child agency %d (%s) would move there, but its %s", k.ID, k.Name, ce.Problem)
			}
			return err
		}
	}
	return nil
}

// mergeProgress moves the submissions of agency id to agency into. Where
// both reported on one task and period, their submissions become one
// history: revisions numbered again in the order they were submitted.
func mergeProgress(tx *gorm.DB, id, into int64) error {
	var both []progressRow
	err := tx.Select("id, task_id, period, submitted_at").
		Where("agency_id IN ? AND (task_id, period) IN (SELECT task_id, period FROM progress WHERE agency_id = ? INTERSECT SELECT task_id, period FROM progress WHERE agency_id = ?)", []int64{id, into}, id, into).
		Find(&both).Error
	if err != nil {
		return err
	}
	if len(both) > 0 {
		// Out of the way of (task_id, agency_id, period, revision) first.
		for _, r := range both {
			if err := tx.Model(&progressRow{}).Where("id = ?", r.ID).Update("revision", -r.ID).Error; err != nil {
				return err
			}
		}
		sort.Slice(both, func(i, j int) bool {
			a, b := both[i], both[j]
			if a.TaskID != b.TaskID || a.Period != b.Period {
				return a.TaskID < b.TaskID || (a.TaskID == b.TaskID && a.Period < b.Period)
			}
			if !a.SubmittedAt.Equal(b.SubmittedAt) {
				return a.SubmittedAt.Before(b.SubmittedAt)
			}
			return a.ID < b.ID
		})
		rev := 0
		for i, r := range both {
			if i == 0 || r.TaskID != both[i-1].TaskID || r.Period != both[i-1].Period {
				rev = 0
			}
			rev++
			if err := tx.Model(&progressRow{}).Where("id = ?", r.ID).Updates(map[string]any{"agency_id": into, "revision": rev}).Error; err != nil {
				return err
			}
		}
	}
	return tx.Model(&progressRow{}).Where("agency_id = ?", id).Update("agency_id", into).Error
}

// docNumberRow is a document-number counter.
type docNumberRow struct {
	AgencyID int64
	Kind     string
	Year     int
	Last     int
}

func (docNumberRow) TableName() string { return "doc_numbers" }

// mergeNumbers moves the document-number counters of id to into; where
// both have one for a kind and year, the larger last number is kept.
func mergeNumbers(tx *gorm.DB, id, into int64) error {
	var rows []docNumberRow
	if err := tx.Where("agency_id = ?", id).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		var cur docNumberRow
		err := tx.Where("agency_id = ? AND kind = ? AND year = ?", into, r.Kind, r.Year).Take(&cur).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			err = tx.Model(&docNumberRow{}).Where("agency_id = ? AND kind = ? AND year = ?", id, r.Kind, r.Year).Update("agency_id", into).Error
		case err == nil:
			if r.Last > cur.Last {
				err = tx.Model(&docNumberRow{}).Where("agency_id = ? AND kind = ? AND year = ?", into, r.Kind, r.Year).Update("last", r.Last).Error
			}
			if err == nil {
				err = tx.Where("agency_id = ? AND kind = ? AND year = ?", id, r.Kind, r.Year).Delete(&docNumberRow{}).Error
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
