package store

import (
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// archiveHolder is the position of a plan's hidden appendix that holds
// its archived tasks: loadAppendices shows only positions from 0, and
// syncAppendices never moves or deletes it, so the appendices' ON DELETE
// CASCADE cannot reach an archived task.
const archiveHolder = -1

// archiveTitle is the hidden appendix's title, and marks archived tasks
// in exports.
const archiveTitle = "Nhiệm vụ đã lưu trữ"

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
