package domain

import (
	"baocao/reports/doc"
	"time"
)

// Plan is a stored document with its identity and version.
type Plan struct {
	ID        int64
	Version   int64
	AgencyID  int64
	CreatedAt time.Time
	UpdatedAt time.Time
	Doc       *doc.Document
}

// PlanSummary is a plan in a list.
type PlanSummary struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Number     int       `json:"number,omitempty"`
	Reference  string    `json:"reference"`
	Date       string    `json:"date"`
	Year       int       `json:"year"`
	Title      string    `json:"title"`
	AgencyID   int64     `json:"agency_id"`
	AgencyName string    `json:"agency_name"`
	Tasks      int64     `json:"tasks"`
	Version    int64     `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// PlanFilter selects plans in a list.
type PlanFilter struct {
	Year     int
	AgencyID int64
	Kind     string
	Query    string // words of the title, diacritics ignored
	// Involves keeps the plans that involve this agency (a reporter's view).
	Involves int64
	Limit    int
	Offset   int
}

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
