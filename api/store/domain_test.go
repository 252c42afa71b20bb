package store_test

import (
	"errors"
	"fmt"
	"testing"

	"baocao/api/store"
	"baocao/domain"
)

// TestDomainAliases: the store's names are the domain's (aliases, not
// copies), so errors.Is and type switches hold through either name.
func TestDomainAliases(t *testing.T) {
	for _, c := range []struct {
		name       string
		store, dom error
	}{
		{"ErrStale", store.ErrStale, domain.ErrStale},
		{"ErrNotFound", store.ErrNotFound, domain.ErrNotFound},
		{"ErrIssued", store.ErrIssued, domain.ErrIssued},
		{"ErrInUse", store.ErrInUse, domain.ErrInUse},
		{"ErrLocked", store.ErrLocked, domain.ErrLocked},
		{"ErrHasProgress", store.ErrHasProgress, domain.ErrHasProgress},
	} {
		if !errors.Is(fmt.Errorf("wrapped: %w", c.store), c.dom) || !errors.Is(fmt.Errorf("wrapped: %w", c.dom), c.store) {
			t.Errorf("store.%s and domain.%s are not one error", c.name, c.name)
		}
	}
	var err error = &store.LockedError{Period: "2024-Q1", Report: store.Report{Status: store.ReportIssued}}
	var le *domain.LockedError
	if !errors.As(err, &le) || !errors.Is(err, domain.ErrLocked) {
		t.Errorf("a *store.LockedError is not a *domain.LockedError (ErrLocked): %v", err)
	}
	err = fmt.Errorf("update: %w", &domain.ProgressError{Tasks: []domain.TaskRef{{ID: 1}}})
	var pe *store.ProgressError
	if !errors.As(err, &pe) || !errors.Is(err, store.ErrHasProgress) {
		t.Errorf("a *domain.ProgressError is not a *store.ProgressError (ErrHasProgress): %v", err)
	}
}
