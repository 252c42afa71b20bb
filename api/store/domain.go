package store

import (
	"baocao/domain"
	"baocao/reports/doc"
	"time"
)

// The domain's types, constants, errors and rules live in package domain
// (which imports neither GORM nor the store); these aliases keep the
// store's names for them, so that store.Plan is domain.Plan and
// errors.Is(err, store.ErrStale) is errors.Is(err, domain.ErrStale). The
// store keeps its own row types (models.go, …Row) and maps them.

// Types.
type (
	Agency        = domain.Agency
	AgencyFields  = domain.AgencyFields
	AgencyInput   = domain.AgencyInput
	APIKey        = domain.APIKey
	ConflictError = domain.ConflictError
	Draft         = domain.Draft
	Figure        = domain.Figure
	IssuedMatch   = domain.IssuedMatch
	IssueRequest  = domain.IssueRequest
	KeyInput      = domain.KeyInput
	Letter        = domain.Letter
	LetterDraft   = domain.LetterDraft
	LetterIssue   = domain.LetterIssue
	LockedError   = domain.LockedError
	Plan          = domain.Plan
	PlanFilter    = domain.PlanFilter
	PlanIssue     = domain.PlanIssue
	PlanSummary   = domain.PlanSummary
	ProgressError = domain.ProgressError
	Report        = domain.Report
	Return        = domain.Return
	SignedFile    = domain.SignedFile
	Submission    = domain.Submission
	SubmitInput   = domain.SubmitInput
	TaskRef       = domain.TaskRef
	UpdateOptions = domain.UpdateOptions
	User          = domain.User
	UserInput     = domain.UserInput
)

// Statuses and stages.
const (
	ReportDraft    = domain.ReportDraft
	ReportIssued   = domain.ReportIssued
	ReportReplaced = domain.ReportReplaced

	StatusNotStarted = domain.StatusNotStarted
	StatusInProgress = domain.StatusInProgress
	StatusDone       = domain.StatusDone

	StagePerson       = domain.StagePerson
	StageOrganisation = domain.StageOrganisation
)

// Errors (the same values: errors.Is holds through either name).
var (
	ErrBadCredentials = domain.ErrBadCredentials
	ErrDuplicate      = domain.ErrDuplicate
	ErrForbidden      = domain.ErrForbidden
	ErrHasProgress    = domain.ErrHasProgress
	ErrInUse          = domain.ErrInUse
	ErrInvalid        = domain.ErrInvalid
	ErrIssued         = domain.ErrIssued
	ErrLocked         = domain.ErrLocked
	ErrNotFound       = domain.ErrNotFound
	ErrNotLocked      = domain.ErrNotLocked
	ErrOrder          = domain.ErrOrder
	ErrPlanIssued     = domain.ErrPlanIssued
	ErrStale          = domain.ErrStale
	ErrSuperseded     = domain.ErrSuperseded
)

// Rules.

// Fold is domain.Fold.
func Fold(s string) string { return domain.Fold(s) }

// ValidStatus is domain.ValidStatus.
func ValidStatus(s string) bool { return domain.ValidStatus(s) }

// ValidateSubmit is domain.ValidateSubmit.
func ValidateSubmit(in *SubmitInput) []doc.FieldError { return domain.ValidateSubmit(in) }

// ValidateSubmitDates is domain.ValidateSubmitDates.
func ValidateSubmitDates(first, last int, in *SubmitInput, today time.Time) []doc.FieldError {
	return domain.ValidateSubmitDates(first, last, in, today)
}
