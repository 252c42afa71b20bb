// Package workflow holds what people do with baocao as domain code: issue
// a periodic report (and preview it), submit progress, save a report
// draft, reopen a period, replace an issued report, import tasks from a
// spreadsheet, merge two agencies. Each workflow is a method of Service
// (one file each) that takes a context, the acting user (Actor) and its
// input, enforces the rules (who may do it, the reporter's own agency,
// dates within reason, the text rule at the door, limits, the as-of date,
// the lock of a period) and reaches storage and rendering through small
// interfaces (Store, Renderer) that *store.Store and a renderer implement.
//
// The HTTP handlers, the web pages and the command line only translate a
// request into a call and its result (or error) into an answer: refusals
// are *doc.ValidationError (422, naming fields), *ForbiddenError,
// *NotFoundError, *ConflictError and *LockedError, and the store's errors
// (domain.ErrStale, domain.ErrIssued …, also known by their aliases in
// api/store) pass through unchanged.
package workflow

import (
	"context"
	"fmt"
	"time"

	"baocao/api/auth"
	"baocao/domain"
	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/report"
	"baocao/templates"
)

// Role is what an actor may do: a user's role, or an API key's scope.
type Role string

// The roles (auth.Roles) and the render-only scope of a key.
const (
	RoleAdmin       Role = auth.RoleAdmin
	RoleSecretariat Role = auth.RoleSecretariat
	RoleReporter    Role = auth.RoleReporter
	RoleAuditor     Role = auth.RoleAuditor
	ScopeRender     Role = auth.ScopeRender
)

// ActorKind tells a logged-in person from an application's key.
type ActorKind string

// The kinds of actors.
const (
	ActorUser ActorKind = "user"
	ActorKey  ActorKind = "key"
	ActorCLI  ActorKind = "cli"
)

// CLI is the command line acting: it may do what an administrator may,
// and is recorded as "cli".
var CLI = Actor{Kind: ActorCLI, Name: "cli", Role: RoleAdmin}

// Actor is who acts: its name (recorded as the submitter and in the
// audit trail), its role and, for a reporter, its agency.
type Actor struct {
	Kind ActorKind
	Name string
	// Username is a person's login name (empty for a key).
	Username   string
	Role       Role
	AgencyID   int64
	AgencyName string
}

// Reporter reports whether the actor reports for one agency only.
func (a Actor) Reporter() bool { return a.Role == RoleReporter }

// may refuses an actor whose role is not among roles.
func (a Actor) may(what string, roles ...Role) error {
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return &ForbiddenError{Detail: fmt.Sprintf("the role %q may not %s", a.Role, what)}
}

// editors may write plans and reports: the secretariat and the admin.
var editors = []Role{RoleAdmin, RoleSecretariat}

// Format is a rendered file's format.
type Format string

// The formats of rendered documents.
const (
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx"
	// FormatDOCX is the Word file of a document, for the clerk's edits
	// before signing: rendered on request from a draft (a plan, a report
	// draft), never frozen with an issued report.
	FormatDOCX Format = "docx"
)

// Formats are the formats of an issued report's frozen files, in the
// order rendered. DOCX is not one of them: an issued report's record is
// its PDF (and the XLSX of its figures); the DOCX is a working copy of a
// draft.
var Formats = []Format{FormatPDF, FormatXLSX}

// AllFormats are every format a document renders to.
var AllFormats = []Format{FormatPDF, FormatXLSX, FormatDOCX}

// Status is a periodic report's status.
type Status string

// The statuses of a report (domain.ReportDraft …).
const (
	StatusDraft    Status = domain.ReportDraft
	StatusIssued   Status = domain.ReportIssued
	StatusReplaced Status = domain.ReportReplaced
)

// StatusOf is rec's status.
func StatusOf(rec domain.Report) Status { return Status(rec.Status) }

// Kind is a document's kind by its Decree-30 abbreviation; documents of
// one agency, kind and year share a numbering.
type Kind string

// KindReport is the periodic report's kind (Báo cáo).
const KindReport Kind = report.Kind

// Store is the storage the workflows use; *store.Store implements it.
type Store interface {
	Plans
	PlanLister
	Returns
	Progress
	Reports
	Submitter
	Agencies
	Letters
	PlanIssues
	PlanWriter
	AgencyWriter
	People
}

// Plans reads and writes plans.
type Plans interface {
	GetPlan(ctx context.Context, id int64) (domain.Plan, error)
	UpdatePlanWith(ctx context.Context, id, version int64, d *doc.Document, opt domain.UpdateOptions) (domain.Plan, []domain.TaskRef, error)
}

// Progress reads what a status board is computed from.
type Progress interface {
	Submissions(ctx context.Context, planID int64, periods ...string) ([]domain.Submission, error)
	LeadAgencies(ctx context.Context, planID int64) (map[int64][]string, error)
}

// Reports reads and changes periodic reports.
type Reports interface {
	GetReport(ctx context.Context, planID int64, period string) (domain.Report, error)
	GetReportByID(ctx context.Context, planID, id int64) (domain.Report, error)
	SaveReportDraft(ctx context.Context, d domain.Draft) (domain.Report, error)
	Issue(ctx context.Context, req domain.IssueRequest) (domain.Report, error)
	Reopen(ctx context.Context, planID int64, period string, version int64) (domain.Report, error)
	Replace(ctx context.Context, planID int64, period string, version int64) (domain.Report, error)
}

// Letters reads and changes reminder letters (công văn đôn đốc).
type Letters interface {
	CreateLetter(ctx context.Context, d domain.LetterDraft) (domain.Letter, error)
	SaveLetter(ctx context.Context, d domain.LetterDraft) (domain.Letter, error)
	GetLetter(ctx context.Context, planID, id int64) (domain.Letter, error)
	IssueLetter(ctx context.Context, req domain.LetterIssue) (domain.Letter, error)
}

// Submitter stores progress submissions.
type Submitter interface {
	Submit(ctx context.Context, planID int64, in domain.SubmitInput, dueDay int) (domain.Submission, error)
}

// Agencies reads and merges agencies.
type Agencies interface {
	GetAgency(ctx context.Context, id int64) (domain.Agency, error)
	MergeAgency(ctx context.Context, id, into, version int64) (domain.Agency, error)
}

// Service runs the workflows over a store.
type Service struct {
	Store Store
	// Templates are the report templates; Fonts the family documents are
	// set in (the text rule checks against it).
	Templates *templates.Set
	Fonts     *fonts.Family
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// NewService makes the workflows over st with the family fam (nil: the
// embedded one) and the report templates (the embedded ones, overridden
// by those in tplDir when it is not "").
func NewService(st Store, fam *fonts.Family, tplDir string) (*Service, error) {
	if fam == nil {
		var err error
		if fam, err = fonts.Default(); err != nil {
			return nil, err
		}
	}
	set, err := templates.Load(tplDir, report.Funcs())
	if err != nil {
		return nil, err
	}
	return &Service{Store: st, Templates: set, Fonts: fam}, nil
}

func (w *Service) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// ForbiddenError refuses an actor (403).
type ForbiddenError struct{ Detail string }

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Detail }

// NotFoundError names what does not exist (404).
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " does not exist" }

// Unwrap makes it a domain.ErrNotFound.
func (e *NotFoundError) Unwrap() error { return domain.ErrNotFound }

// ConflictError is a stale version the caller sent in a body (409, not
// 412: the caller's version conflicts with someone else's change).
type ConflictError struct{ Detail string }

func (e *ConflictError) Error() string { return "conflict: " + e.Detail }

// LockedError refuses a submission to a period locked by an issued
// report; Plan is the plan, to word why.
type LockedError struct {
	Plan domain.Plan
	*domain.LockedError
}

func (e *LockedError) Unwrap() error { return e.LockedError }

// invalid is a refusal naming fields (422).
func invalid(errs ...doc.FieldError) error { return &doc.ValidationError{Fields: errs} }

// cleanTexts applies the text rule at the door to each field in place
// and lists the fields holding a character the font cannot draw.
func (w *Service) cleanTexts(fields ...TextField) []doc.FieldError {
	return CleanTexts(w.Fonts, fields...)
}
