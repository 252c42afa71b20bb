package store

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrHasProgress: the change would drop progress submissions (a task left
// out of its plan, a task or plan deleted, that has some). See
// ProgressError for the tasks.
var ErrHasProgress = errors.New("has progress submissions")

// archiveHolder is the position of a plan's hidden appendix that holds
// its archived tasks: loadAppendices shows only positions from 0, and
// syncAppendices never moves or deletes it, so the appendices' ON DELETE
// CASCADE cannot reach an archived task.
const archiveHolder = -1

// archiveTitle is the hidden appendix's title, and marks archived tasks
// in exports.
const archiveTitle = "Nhiệm vụ đã lưu trữ"

// UpdateOptions says how UpdatePlanWith treats the stored tasks a new
// document leaves out.
type UpdateOptions struct {
	// ArchiveTasks archives a left-out task that has progress submissions
	// (with them) instead of refusing the update with a *ProgressError.
	// A left-out task without progress is deleted either way.
	ArchiveTasks bool
}

// TaskRef names a stored task that has progress submissions: its id,
// where it stood (appendix index from 0, STT from 1) and how many
// submissions it has.
type TaskRef struct {
	ID          int64  `json:"id"`
	Appendix    int    `json:"appendix"`
	Number      int    `json:"stt"`
	Content     string `json:"content"`
	Submissions int64  `json:"submissions"`
}

// ProgressError refuses a change that would leave out tasks with progress
// submissions; it is an ErrHasProgress.
type ProgressError struct {
	Tasks []TaskRef
}

func (e *ProgressError) Error() string {
	parts := make([]string, len(e.Tasks))
	for i, t := range e.Tasks {
		parts[i] = fmt.Sprintf("task %d (appendix %d, STT %d) has %d progress submissions", t.ID, t.Appendix, t.Number, t.Submissions)
	}
	return strings.Join(parts, "; ")
}

// Unwrap makes a ProgressError an ErrHasProgress.
func (e *ProgressError) Unwrap() error { return ErrHasProgress }

// lockRows locks the rows a query reads until the transaction ends, on
// PostgreSQL (SELECT … FOR UPDATE). SQLite needs none: a transaction
// takes the one writer's lock when it begins (_txlock=immediate).
func (s *Store) lockRows(q *gorm.DB) *gorm.DB {
	if s.Embedded() {
		return q
	}
	return q.Clauses(clause.Locking{Strength: "UPDATE"})
}

// progressCounts counts the submissions of each task.
func progressCounts(tx *gorm.DB, taskIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		TaskID int64
		N      int64
	}
	if err := tx.Model(&progressRow{}).Select("task_id, COUNT(*) AS n").Where("task_id IN ?", taskIDs).
		Group("task_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.TaskID] = r.N
	}
	return out, nil
}

// archiveAppendix is the id of a plan's hidden appendix for archived
// tasks, made when the plan has none yet.
func archiveAppendix(tx *gorm.DB, planID int64) (int64, error) {
	var a appendixRow
	err := tx.Where("plan_id = ? AND position = ?", planID, archiveHolder).Take(&a).Error
	if err == nil {
		return a.ID, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, err
	}
	a = appendixRow{PlanID: planID, Position: archiveHolder, Title: archiveTitle, Columns: "[]"}
	if err := tx.Create(&a).Error; err != nil {
		return 0, err
	}
	return a.ID, nil
}

// cutText shortens a task's content for a message.
func cutText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
