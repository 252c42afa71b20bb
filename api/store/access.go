package store

import (
	"context"
	"fmt"
)

// involvesSQL is true for a plan that an agency issued, or in which it
// leads or cooperates on a task (archived tasks are none of the plan's):
// the plans a reporter of it sees.
const involvesSQL = `(plans.agency_id = ? OR EXISTS (SELECT 1 FROM task_agencies ta JOIN tasks t ON t.id = ta.task_id
	WHERE t.plan_id = plans.id AND t.archived_at IS NULL AND ta.agency_id = ?))`

// PlanInvolves reports whether a plan involves an agency (see involvesSQL).
// A plan that does not exist involves no one.
func (s *Store) PlanInvolves(ctx context.Context, planID, agencyID int64) (bool, error) {
	var n int64
	err := s.read(ctx).Table("plans").Where("plans.id = ?", planID).
		Where(involvesSQL, agencyID, agencyID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("plan %d: %w", planID, err)
	}
	return n > 0, nil
}

// LeadsTask reports whether an agency leads a task of a plan.
func (s *Store) LeadsTask(ctx context.Context, planID, taskID, agencyID int64) (bool, error) {
	var n int64
	err := s.read(ctx).Table("task_agencies").Joins("JOIN tasks ON tasks.id = task_agencies.task_id").
		Where("tasks.plan_id = ? AND tasks.id = ? AND tasks.archived_at IS NULL AND task_agencies.agency_id = ? AND task_agencies.role = ?", planID, taskID, agencyID, roleLead).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("task %d: %w", taskID, err)
	}
	return n > 0, nil
}

// LedTasks lists the ids of a plan's tasks that an agency leads.
func (s *Store) LedTasks(ctx context.Context, planID, agencyID int64) (map[int64]bool, error) {
	var ids []int64
	err := s.read(ctx).Table("task_agencies").Joins("JOIN tasks ON tasks.id = task_agencies.task_id").
		Where("tasks.plan_id = ? AND tasks.archived_at IS NULL AND task_agencies.agency_id = ? AND task_agencies.role = ?", planID, agencyID, roleLead).
		Pluck("tasks.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("tasks of agency %d: %w", agencyID, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// TopLead finds the agency that has reported most, then that leads the
// most tasks (the lowest id on a tie); 0 when no task has a lead. The demo
// makes its reporter account for it.
func (s *Store) TopLead(ctx context.Context) (int64, string, error) {
	var row struct {
		ID   int64
		Name string
	}
	err := s.read(ctx).Table("task_agencies").Joins("JOIN agencies ON agencies.id = task_agencies.agency_id").
		Where("task_agencies.role = ?", roleLead).Group("agencies.id, agencies.name").
		Order("(SELECT COUNT(*) FROM progress WHERE progress.agency_id = agencies.id) DESC, COUNT(*) DESC, agencies.id").Limit(1).Select("agencies.id, agencies.name").Scan(&row).Error
	if err != nil {
		return 0, "", fmt.Errorf("busiest lead agency: %w", err)
	}
	return row.ID, row.Name, nil
}
