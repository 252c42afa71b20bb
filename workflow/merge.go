package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"baocao/domain"
	"baocao/reports/doc"
)

// Merged is the agency that remains of a merge, and the one merged.
type Merged struct {
	Agency domain.Agency
	From   domain.Agency
	Detail string // the audit trail's account
}

// CheckMerge refuses a merge of agency id into itself or into none.
func CheckMerge(id, into int64) error {
	if into <= 0 {
		return invalid(doc.FieldError{Field: "into", Problem: "is required: the id of the agency to merge into"})
	}
	if into == id {
		return invalid(doc.FieldError{Field: "into", Problem: "is the agency merged itself"})
	}
	return nil
}

// MergeAgency folds agency id, of the version given, into agency into
// (store.MergeAgency: its tasks, plans, progress, numbering and names go
// to into). The editors merge; an agency that does not exist is a
// *NotFoundError, a version someone else changed a *ConflictError, a
// merge into its own descendant is refused as invalid.
func (w *Service) MergeAgency(ctx context.Context, actor Actor, id, into, version int64) (Merged, error) {
	if err := actor.may("merge agencies", editors...); err != nil {
		return Merged{}, err
	}
	if err := CheckMerge(id, into); err != nil {
		return Merged{}, err
	}
	from, err := w.Store.GetAgency(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return Merged{}, &NotFoundError{What: fmt.Sprintf("agency %d", id)}
	} else if err != nil {
		return Merged{}, err
	}
	a, err := w.Store.MergeAgency(ctx, id, into, version)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return Merged{}, &NotFoundError{What: fmt.Sprintf("agency %d (into)", into)}
	case errors.Is(err, domain.ErrStale):
		// The version is the caller's: a conflict with someone else's change.
		return Merged{}, &ConflictError{Detail: fmt.Sprintf("agency %d was changed by someone else since you read it (it is at version %d); read it again", id, from.Version)}
	case errors.Is(err, domain.ErrInvalid):
		return Merged{}, invalid(doc.FieldError{Field: "into", Problem: strings.TrimPrefix(err.Error(), "merge: invalid: ")})
	case err != nil:
		return Merged{}, err
	}
	return Merged{Agency: a, From: from, Detail: fmt.Sprintf("gộp cơ quan %d (%s) vào %d (%s)", id, from.Name, a.ID, a.Name)}, nil
}
