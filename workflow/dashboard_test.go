package workflow

import (
	"context"
	"errors"
	"testing"
	"time"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
)

func TestCurrentPeriod(t *testing.T) {
	for day, want := range map[string]string{
		"2026-11-30": "2026-Q4", // in Quý IV's window (15/9 – 14/12)
		"2026-12-14": "2026-Q4",
		"2026-12-20": "2027-Q1", // Quý I of the next year starts on 15/12
		"2026-03-14": "2026-Q1",
		"2026-03-15": "2026-Q2",
	} {
		d, _ := time.ParseInLocation(time.DateOnly, day, period.Vietnam)
		if got := CurrentPeriod(d.Add(12 * time.Hour)).Code(); got != want {
			t.Errorf("CurrentPeriod(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestCounted(t *testing.T) {
	// Each status stands behind the counts it makes up; reported = due − not reported.
	for _, st := range progress.Statuses {
		if Counted(CountReported, st, false) == Counted(CountNotReported, st, false) {
			t.Errorf("%s is counted both or neither as reported and not reported", st)
		}
		if Counted(CountDone, st, false) != progress.IsDone(st) {
			t.Errorf("%s: done", st)
		}
	}
	c := countsOf(14, map[string]int{progress.NotReported: 3, progress.DoneOnTime: 5, progress.CarriedOut: 4, progress.Overdue: 1}, 2)
	if c[CountReported] != 11 || c[CountDone] != 9 || c[CountOverdue] != 1 || c[CountLate] != 2 {
		t.Errorf("counts %v", c)
	}
}

func TestSendBackRules(t *testing.T) {
	w, _ := service(t)
	ctx := context.Background()
	var fe *ForbiddenError
	for _, r := range []Role{RoleReporter, RoleAuditor, ScopeRender} {
		if _, err := w.SendBack(ctx, Actor{Role: r, Name: "x"}, 1, 1, "Bổ sung"); !errors.As(err, &fe) {
			t.Errorf("%s sends back: %v", r, err)
		}
	}
	var ve *doc.ValidationError
	if _, err := w.SendBack(ctx, Actor{Role: RoleSecretariat, Name: "vp"}, 1, 1, " \t\n"); !errors.As(err, &ve) || ve.Fields[0].Field != "comment" {
		t.Errorf("no comment: %v", err)
	}
	long := make([]rune, MaxReturnComment+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := w.SendBack(ctx, Actor{Role: RoleSecretariat, Name: "vp"}, 1, 1, string(long)); !errors.As(err, &ve) {
		t.Errorf("too long: %v", err)
	}
}
