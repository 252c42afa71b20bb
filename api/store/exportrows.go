package store

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"time"

	"baocao/reports/export"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/vn"
)

// ExportFilter selects the submissions of an export; zero fields select
// all.
type ExportFilter struct {
	Year     int
	Period   string // a period code, e.g. 2024-Q1
	PlanID   int64
	AgencyID int64
	Status   string // not_started, in_progress, done
}

// ExportRows streams the selected submissions, one row at a time from the
// database cursor, so that memory stays flat whatever the count. Rows come
// by plan, period, task and revision. The submissions of an archived task
// (left out of its plan with ?archive_tasks=true) are exported too, their
// task marked "[Nhiệm vụ đã lưu trữ]" with the STT it last had.
func (s *Store) ExportRows(ctx context.Context, f ExportFilter) iter.Seq2[export.Row, error] {
	return func(yield func(export.Row, error) bool) {
		q := s.read(ctx).Table("progress").
			Joins("JOIN plans ON plans.id = progress.plan_id").
			Joins("JOIN tasks ON tasks.id = progress.task_id").
			Joins("JOIN agencies ON agencies.id = progress.agency_id").
			Select("plans.title, tasks.position, tasks.content, agencies.name, progress.period, progress.status, " +
				"progress.result, progress.figures, progress.submitted_by, progress.submitted_at, progress.revision, progress.late, " +
				"CASE WHEN tasks.archived_at IS NULL THEN 0 ELSE 1 END AS archived")
		if f.Year != 0 {
			q = q.Where("progress.period LIKE ?", fmt.Sprintf("%04d-%%", f.Year))
		}
		if f.Period != "" {
			q = q.Where("progress.period = ?", f.Period)
		}
		if f.PlanID != 0 {
			q = q.Where("progress.plan_id = ?", f.PlanID)
		}
		if f.AgencyID != 0 {
			q = q.Where("progress.agency_id = ?", f.AgencyID)
		}
		if f.Status != "" {
			q = q.Where("progress.status = ?", f.Status)
		}
		rows, err := q.Order("progress.plan_id, progress.period, tasks.appendix_id, tasks.position, progress.agency_id, progress.revision").Rows()
		if err != nil {
			yield(export.Row{}, fmt.Errorf("export: %w", err))
			return
		}
		defer rows.Close()
		var figures string
		var archived int
		for rows.Next() {
			var r export.Row
			if err := rows.Scan(&r.Plan, &r.TaskNumber, &r.Task, &r.Agency, &r.Period, &r.Status, &r.Result, &figures,
				&r.SubmittedBy, &r.SubmittedAt, &r.Revision, &r.Late, &archived); err != nil {
				yield(export.Row{}, fmt.Errorf("export: %w", err))
				return
			}
			r.TaskNumber++
			if archived != 0 {
				r.Task = "[" + archiveTitle + "] " + r.Task
			}
			r.Status = progress.ReportedNames[r.Status]
			if p, err := period.Parse(r.Period); err == nil {
				r.Period = p.Name() // "Quý I năm 2024", as a person reads it
			}
			r.Figures, err = figureText(figures)
			if err != nil {
				yield(export.Row{}, err)
				return
			}
			r.SubmittedAt = r.SubmittedAt.In(time.UTC)
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(export.Row{}, fmt.Errorf("export: %w", err))
		}
	}
}

// figureText writes stored figures as "24 tin bài; 2 hội nghị".
func figureText(stored string) (string, error) {
	if stored == "" || stored == "[]" {
		return "", nil
	}
	var fs []progress.Figure
	if err := json.Unmarshal([]byte(stored), &fs); err != nil {
		return "", fmt.Errorf("export: stored figures: %w", err)
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = strings.TrimSpace(fmt.Sprintf("%s: %s %s", f.Name, vn.Number(f.Value, 2), f.Unit))
	}
	return strings.Join(parts, "; "), nil
}
