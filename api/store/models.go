package store

import (
	"database/sql"
	"time"
)

// Rows as GORM maps them. JSON-valued columns are TEXT in both databases
// and (un)marshalled here, so the two dialects store the same bytes.

type agencyRow struct {
	ID        int64
	Name      string
	NameKey   string
	ShortName string
	Header    string
	Symbol    string
	Place     string
	ParentID  sql.NullInt64
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (agencyRow) TableName() string { return "agencies" }

type planRow struct {
	ID            int64
	Kind          string
	Number        int
	Symbol        string
	Date          string
	Year          int
	AgencyID      int64
	Issuer        string
	Title         string
	TitleKey      string
	Authority     string
	LegalBases    string
	Body          string
	Recipients    string
	Archive       string
	Signature     string
	PromulgatedBy string
	ReportDueDay  int
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (planRow) TableName() string { return "plans" }

type appendixRow struct {
	ID         int64
	PlanID     int64
	Position   int
	Heading    string
	Title      string
	Columns    string
	AgencyList string
	Landscape  sql.NullBool
	TrackOnly  bool
}

func (appendixRow) TableName() string { return "appendices" }

type taskRow struct {
	ID         int64
	PlanID     int64
	AppendixID int64
	Position   int
	Content    string
	Output     string
	Deadline   string
	Note       string
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// ArchivedAt is set for a task left out of its plan that has progress
	// submissions: it stays, with them, in the plan's hidden appendix
	// (archiveHolder) and is no task of the plan any more.
	ArchivedAt sql.NullTime
}

func (taskRow) TableName() string { return "tasks" }

type taskAgencyRow struct {
	TaskID   int64
	Role     string
	Position int
	// AgencyID is null for an entry that names no agency, or one the task
	// already lists in the same role (see saveTask).
	AgencyID  sql.NullInt64
	WrittenAs string
}

func (taskAgencyRow) TableName() string { return "task_agencies" }

type aliasRow struct {
	ID        int64
	AgencyID  int64
	Name      string
	NameKey   string
	CreatedAt time.Time
}

func (aliasRow) TableName() string { return "agency_aliases" }

const (
	roleLead        = "lead"
	roleCooperating = "cooperating"
)
