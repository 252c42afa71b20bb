package domain

import (
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"fmt"
	"math"
	"time"
)

// Progress statuses a lead agency reports. "Overdue" and "done late" are
// derived from the deadline and dates, never typed in.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

// Figure is a named quantity with its unit: 24 "tin bài".
type Figure = progress.Figure

// Submission is one report of progress on a task for a period.
type Submission struct {
	ID           int64     `json:"id"`
	PlanID       int64     `json:"plan_id"`
	TaskID       int64     `json:"task_id"`
	AgencyID     int64     `json:"agency_id"`
	Agency       string    `json:"agency"`
	Period       string    `json:"period"`
	Revision     int       `json:"revision"`
	Status       string    `json:"status"`
	CompletedOn  string    `json:"completed_on,omitempty"`
	Result       string    `json:"result,omitempty"`
	Figures      []Figure  `json:"figures"`
	Difficulties string    `json:"difficulties,omitempty"`
	Proposals    string    `json:"proposals,omitempty"`
	SubmittedBy  string    `json:"submitted_by"`
	SubmittedAt  time.Time `json:"submitted_at"`
	Late         bool      `json:"late"`
}

// SubmitInput is a lead agency's report; Agency names it as the task does
// (or AgencyID gives it).
type SubmitInput struct {
	TaskID   int64 `json:"task_id"`
	AgencyID int64 `json:"agency_id,omitempty"`
	progress.Report
}

// ValidStatus reports whether s is a status a reporter may send.
func ValidStatus(s string) bool { return validStatus[s] }

// validStatus lists the statuses a reporter may send.
var validStatus = map[string]bool{StatusNotStarted: true, StatusInProgress: true, StatusDone: true}

// ValidateSubmit checks a submission's fields and lists the problems.
func ValidateSubmit(in *SubmitInput) []doc.FieldError {
	var errs []doc.FieldError
	add := func(f, p string) { errs = append(errs, doc.FieldError{Field: f, Problem: p}) }
	if in.TaskID <= 0 {
		add("task_id", "is required")
	}
	if _, err := period.Parse(in.Period); err != nil {
		add("period", err.Error())
	}
	if in.Agency == "" && in.AgencyID == 0 {
		add("agency", "is required: the lead agency that reports")
	}
	if !validStatus[in.Status] {
		add("status", fmt.Sprintf("must be not_started, in_progress or done, not %q (overdue and late are derived)", in.Status))
	}
	if in.CompletedOn != "" {
		d, err := doc.ParseDate(in.CompletedOn)
		if err != nil || !d.Complete() {
			add("completed_on", "must be a date YYYY-MM-DD")
		}
	}
	if in.Status == StatusDone && in.CompletedOn == "" {
		add("completed_on", "is required when the status is done")
	}
	if in.Status != StatusDone && in.CompletedOn != "" {
		add("completed_on", "is only for a done task")
	}
	if in.SubmittedBy == "" {
		add("submitted_by", "is required")
	} else if len([]rune(in.SubmittedBy)) > 200 {
		add("submitted_by", "is longer than 200 characters")
	}
	for name, v := range map[string]string{"result": in.Result, "difficulties": in.Difficulties, "proposals": in.Proposals} {
		if len([]rune(v)) > 20000 {
			add(name, "is longer than 20000 characters")
		}
	}
	if len(in.Figures) > 50 {
		add("figures", "has more than 50 figures")
	}
	for i, f := range in.Figures {
		if f.Name == "" {
			add(fmt.Sprintf("figures[%d].name", i), "is required")
		}
		if math.IsNaN(f.Value) || f.Value < 0 || f.Value > 1e12 {
			add(fmt.Sprintf("figures[%d].value", i), "must be between 0 and 10^12")
		}
	}
	return errs
}

// ValidateSubmitDates checks a submission's dates against its plan's
// years first–last (period.PlanYears): the period within them (a 2024
// plan takes 2024 periods; one with a task due "Quý I/2025" also 2025's)
// and the completion date neither after today (in Vietnam) nor before the
// plan's first year. Problems are worded "Vietnamese / English".
func ValidateSubmitDates(first, last int, in *SubmitInput, today time.Time) []doc.FieldError {
	var errs []doc.FieldError
	if p, err := period.Parse(in.Period); err == nil {
		if err := period.CheckPlanPeriod(first, last, p); err != nil {
			errs = append(errs, doc.FieldError{Field: "period", Problem: err.Error()})
		}
	}
	if in.CompletedOn != "" {
		if d, err := doc.ParseDate(in.CompletedOn); err == nil && d.Complete() {
			if err := period.CheckCompletedOn(first, d.Time(), today); err != nil {
				errs = append(errs, doc.FieldError{Field: "completed_on", Problem: err.Error()})
			}
		}
	}
	return errs
}

// Return is a submission the secretariat sent back ("cần bổ sung") with
// its comment. The submission is kept as it was and still counts; the
// agency answers with a new revision, which ends the request (the return
// is then no longer open).
type Return struct {
	ID           int64     `json:"id"`
	SubmissionID int64     `json:"submission_id"`
	PlanID       int64     `json:"plan_id"`
	TaskID       int64     `json:"task_id"`
	AgencyID     int64     `json:"agency_id"`
	Period       string    `json:"period"`
	Revision     int       `json:"revision"`
	Comment      string    `json:"comment"`
	ReturnedBy   string    `json:"returned_by"`
	ReturnedAt   time.Time `json:"returned_at"`
}
