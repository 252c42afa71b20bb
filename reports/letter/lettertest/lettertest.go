// Package lettertest holds, for tests, the Lai Châu demo's reminder
// letter (a package of its own: reports/demotest is imported by tests of
// packages the letter itself imports).
package lettertest

import (
	"testing"
	"time"

	"baocao/reports/demotest"
	"baocao/reports/doc"
	"baocao/reports/letter"
	"baocao/reports/period"
	"baocao/reports/progress"
)

// LetterQ1 is the Lai Châu demo's Quý I reminder letter as of 20/03/2024
// (after the due date, the 15th), numbered 12 on that day, and the board
// it was written from.
func LetterQ1(t testing.TB) (*doc.Document, *progress.Board) {
	t.Helper()
	d, subs, leads := demotest.LaiChau(t)
	p, _ := period.Parse("2024-Q1")
	asOf := time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC)
	board := progress.Compute(progress.Input{Plan: d, Period: p, Submissions: subs, AsOf: asOf, Leads: leads})
	ld, err := letter.Compose(letter.Input{Plan: d, Period: p, Board: board, Number: 12, Date: doc.Date{Year: 2024, Month: 3, Day: 20}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return ld, board
}
