// Package domain holds baocao's data types, their statuses and stages,
// the errors the workflows and the store share, and the rules on them
// that need no storage (Fold, ValidateSubmit …). It imports neither GORM
// nor the store: the workflows (package workflow) are written over these
// types, and the store (package api/store) implements the workflows'
// storage interfaces over them, keeping its own row types for GORM.
// api/store re-exports each name as an alias (store.Plan = domain.Plan,
// store.ErrStale = domain.ErrStale), so errors.Is and type identities are
// the same through either name.
package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Errors the API maps to status codes.
var (
	ErrNotFound = errors.New("not found")
	// ErrStale: the version given is not the stored one (someone else
	// changed the resource first).
	ErrStale = errors.New("stale version")
	// ErrInUse: the resource is referenced and cannot be deleted.
	ErrInUse = errors.New("in use")
)

// ErrDuplicate: another record already has this unique value.
var ErrDuplicate = errors.New("duplicate")

// ErrInvalid: the request is well-formed but refers to something impossible.
var ErrInvalid = errors.New("invalid")

// ConflictError: a name or alias is already another agency's name or
// alias in the same scope. Field names the input field.
type ConflictError struct {
	Field   string
	Problem string
}

func (e *ConflictError) Error() string { return e.Field + ": " + e.Problem }

// Unwrap makes a ConflictError an ErrDuplicate.
func (e *ConflictError) Unwrap() error { return ErrDuplicate }

// ErrHasProgress: the change would drop progress submissions (a task left
// out of its plan, a task or plan deleted, that has some). See
// ProgressError for the tasks.
var ErrHasProgress = errors.New("has progress submissions")

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

// ErrForbidden: the actor may not do this (an agency reporting on a task
// it does not lead).
var ErrForbidden = errors.New("forbidden")

// ErrIssued: the report is issued and frozen; it cannot change.
var ErrIssued = errors.New("already issued")

// ErrNotLocked: the period's issued report does not lock it (it was
// reopened), or the period has no issued report.
var ErrNotLocked = errors.New("not locked")

// ErrLocked: the period's progress is locked by an issued report.
var ErrLocked = errors.New("period locked")

// LockedError says which issued report locks a period's progress.
type LockedError struct {
	Period string // the period submitted for
	Report Report // the issued report that locks it (of Period or a period covering it)
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("period %s is locked: report %s number %d was issued on %s; the secretariat may reopen it",
		e.Period, e.Report.Period, e.Report.Number, e.Report.IssuedOn)
}

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// ErrSuperseded: the submission has a later revision, so there is nothing
// to send back.
var ErrSuperseded = errors.New("superseded by a later revision")

// ErrOrder refuses a signature out of Decree 30's order: the
// organisation's before the person's, or a stage signed twice.
var ErrOrder = errors.New("signature out of order")

// ErrBadCredentials: an unknown user, a wrong password, a disabled user, or
// an unknown, expired or revoked key. Callers do not learn which.
var ErrBadCredentials = errors.New("bad credentials")
