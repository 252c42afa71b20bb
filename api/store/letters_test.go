package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/reports/sample"
)

// TestLetterNumbers: letters of one agency issued at once, beside its
// reports, get the numbers 1…N of their own numbering (kind CV), with no
// duplicate and no gap; a failed render uses no number; an issued letter
// is frozen; a stale draft is refused; a plan with letters is not
// deleted.
func TestLetterNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, err := s.CreatePlan(ctx, sample.Plan(2))
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var letters []store.Letter
		for i := 0; i < n; i++ {
			l, err := s.CreateLetter(ctx, store.LetterDraft{PlanID: p.ID, Period: "2024-Q1", Parts: "{}", CreatedBy: "vanphong"})
			if err != nil {
				t.Fatal(err)
			}
			letters = append(letters, l)
		}
		if _, err := s.SaveDraft(ctx, p.ID, "2024-Q1", "", "{}", 0); err != nil {
			t.Fatal(err)
		}
		date := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
		render := func(fail bool) func(int) ([]byte, []byte, error) {
			return func(number int) ([]byte, []byte, error) {
				if fail {
					return nil, nil, errors.New("render failed")
				}
				return []byte(fmt.Sprintf("pdf %d", number)), []byte(fmt.Sprintf("xlsx %d", number)), nil
			}
		}
		issue := func(l store.Letter, fail bool) (store.Letter, error) {
			return s.IssueLetter(ctx, store.LetterIssue{PlanID: p.ID, ID: l.ID, Version: 1, AgencyID: p.AgencyID, Kind: "CV",
				Symbol: "UBND-VX", Date: date, Render: render(fail)})
		}
		if _, err := issue(letters[0], true); err == nil {
			t.Fatal("a failed render issued the letter")
		}
		var mu sync.Mutex
		seen := map[int]bool{}
		var wg sync.WaitGroup
		for _, l := range letters {
			wg.Add(1)
			go func(l store.Letter) {
				defer wg.Done()
				got, err := issue(l, false)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[got.Number] = true
				mu.Unlock()
			}(l)
		}
		// A report of the same agency and year, meanwhile: its own numbering.
		r, err := s.Issue(ctx, store.IssueRequest{PlanID: p.ID, Period: "2024-Q1", Version: 1, AgencyID: p.AgencyID, Kind: "BC",
			Date: date, Render: render(false)})
		wg.Wait()
		if err != nil || r.Number != 1 {
			t.Errorf("the report beside the letters: number %d, %v", r.Number, err)
		}
		for i := 1; i <= n; i++ {
			if !seen[i] {
				t.Errorf("number %d not given (got %v)", i, seen)
			}
		}
		got, err := s.GetLetter(ctx, p.ID, letters[0].ID)
		if err != nil || got.Status != store.ReportIssued || got.Symbol != "UBND-VX" || got.IssuedOn != "2024-03-20" || got.PDFSHA256 == "" {
			t.Errorf("issued letter %+v %v", got, err)
		}
		if data, err := s.LetterFile(ctx, p.ID, got.ID, "pdf"); err != nil || string(data) != fmt.Sprintf("pdf %d", got.Number) {
			t.Errorf("frozen file %q %v", data, err)
		}
		if _, err := s.SaveLetter(ctx, store.LetterDraft{PlanID: p.ID, ID: got.ID, Parts: "{}", Version: got.Version}); !errors.Is(err, store.ErrIssued) {
			t.Errorf("edit an issued letter: %v", err)
		}
		if _, err := issue(letters[0], false); !errors.Is(err, store.ErrIssued) {
			t.Errorf("issue twice: %v", err)
		}
		draft, err := s.CreateLetter(ctx, store.LetterDraft{PlanID: p.ID, Period: "2024-Q2", Parts: "{}"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveLetter(ctx, store.LetterDraft{PlanID: p.ID, ID: draft.ID, Parts: `{"unit":"VX"}`, Version: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveLetter(ctx, store.LetterDraft{PlanID: p.ID, ID: draft.ID, Parts: "{}", Version: 1}); !errors.Is(err, store.ErrStale) {
			t.Errorf("a stale edit: %v", err)
		}
		if _, err := s.LetterFile(ctx, p.ID, draft.ID, "pdf"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a draft's frozen file: %v", err)
		}
		// A plan whose only record is a letter draft is kept.
		p2, err := s.CreatePlan(ctx, sample.Plan(1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateLetter(ctx, store.LetterDraft{PlanID: p2.ID, Period: "2024-Q1", Parts: "{}"}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePlan(ctx, p2.ID, 0); !errors.Is(err, store.ErrInUse) {
			t.Errorf("delete a plan with a letter: %v", err)
		}
	})
}
