package domain

import (
	"errors"
	"time"
)

// PlanIssue is a plan issued in baocao (migration 00017): its number and
// symbol and date as its document gives them, its frozen files with their
// SHA-256 (the document, and the appendix as a separate file when the
// plan prints one), who issued it, and, once reopened, who reopened it,
// when and why. Its ID is the doc_id of its signed files.
type PlanIssue struct {
	ID             int64      `json:"id"`
	PlanID         int64      `json:"plan_id"`
	PlanVersion    int64      `json:"plan_version"`
	Reference      string     `json:"reference"`
	IssuedOn       string     `json:"issued_on"`
	PDF            []byte     `json:"-"`
	PDFSHA256      string     `json:"pdf_sha256"`
	AppendixPDF    []byte     `json:"-"`
	AppendixSHA256 string     `json:"appendix_sha256,omitempty"`
	IssuedBy       string     `json:"issued_by"`
	IssuedAt       time.Time  `json:"issued_at"`
	ReopenedBy     string     `json:"reopened_by,omitempty"`
	ReopenedAt     *time.Time `json:"reopened_at,omitempty"`
	ReopenReason   string     `json:"reopen_reason,omitempty"`
}

// Current says whether the issue is the plan's current one (not reopened).
func (p PlanIssue) Current() bool { return p.ReopenedAt == nil }

// ErrPlanIssued refuses an edit of what an issued plan's frozen files
// show (its text, header, appendices and tasks) until it is reopened.
var ErrPlanIssued = errors.New("plan issued")
