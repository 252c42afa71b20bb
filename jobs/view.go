package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"baocao/api/store"
)

// Job is a job as the API and the jobs page show it.
type Job struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	State       string     `json:"state"`
	Attempt     int        `json:"attempt"`
	MaxAttempts int        `json:"max_attempts"`
	CreatedAt   time.Time  `json:"created_at"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	AttemptedAt *time.Time `json:"attempted_at,omitempty"`
	FinalizedAt *time.Time `json:"finalized_at,omitempty"`
	// Subject says what the job is about ("plan appendix xlsx",
	// "plan 2 2024-H1", "job 12").
	Subject string `json:"subject,omitempty"`
	// Errors are the errors of the failed attempts, oldest first.
	Errors []JobError `json:"errors,omitempty"`
	Href   string     `json:"href"`
	// Result is a render's file, once made.
	Result *Result `json:"result,omitempty"`
	// Owner is who asked for the job ("user:3", "key:5"); "" for
	// scheduled work.
	Owner string `json:"-"`
}

// JobError is the error of one attempt.
type JobError struct {
	At      time.Time `json:"at"`
	Attempt int       `json:"attempt"`
	Error   string    `json:"error"`
}

// Result is the file a render made.
type Result struct {
	Href        string    `json:"href"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// States are River's job states, as the API names them.
var States = []string{"available", "cancelled", "completed", "discarded", "pending", "retryable", "running", "scheduled"}

// Kinds are the kinds of baocao's jobs.
var Kinds = []string{kindCleanup, kindPrepare, kindRemind, kindRender, kindScan, kindWebhook}

// ErrNotFound: no such job (or it was cleaned away).
var ErrNotFound = errors.New("job not found")

func href(id int64) string { return "/api/v1/jobs/" + strconv.FormatInt(id, 10) }

// view turns River's row into a Job.
func view(row *rivertype.JobRow) Job {
	j := Job{ID: row.ID, Kind: row.Kind, State: string(row.State), Attempt: row.Attempt, MaxAttempts: row.MaxAttempts,
		CreatedAt: row.CreatedAt.UTC(), ScheduledAt: row.ScheduledAt.UTC(), AttemptedAt: utc(row.AttemptedAt),
		FinalizedAt: utc(row.FinalizedAt), Href: href(row.ID)}
	for _, e := range row.Errors {
		j.Errors = append(j.Errors, JobError{At: e.At.UTC(), Attempt: e.Attempt, Error: e.Error})
	}
	var a struct {
		Owner   string `json:"owner"`
		What    string `json:"what"`
		Format  string `json:"format"`
		PlanID  int64  `json:"plan_id"`
		Period  string `json:"period"`
		When    string `json:"when"`
		JobID   int64  `json:"job_id"`
		Subject string `json:"subject"`
	}
	_ = json.Unmarshal(row.EncodedArgs, &a)
	j.Owner = a.Owner
	switch row.Kind {
	case kindRender:
		j.Subject = a.What + " " + a.Format
	case kindRemind:
		j.Subject = fmt.Sprintf("plan %d %s %s", a.PlanID, a.Period, a.When)
	case kindPrepare:
		j.Subject = fmt.Sprintf("plan %d %s", a.PlanID, a.Period)
	case kindWebhook:
		j.Subject = fmt.Sprintf("job %d", a.JobID)
	}
	return j
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Get reads one job, with its result when it has one.
func (s *Service) Get(ctx context.Context, id int64) (Job, error) {
	row, err := s.q.JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return Job{}, fmt.Errorf("job %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Job{}, fmt.Errorf("job %d: %w", id, err)
	}
	j := view(row)
	if j.Kind == kindRender {
		r, ok, err := s.st.JobResultMeta(ctx, id)
		if err != nil {
			return Job{}, err
		}
		if ok && r.ExpiresAt.After(s.now()) {
			j.Result = resultOf(r)
		}
	}
	return j, nil
}

func resultOf(r store.JobResult) *Result {
	return &Result{Href: href(r.JobID) + "/result", Name: r.Name, ContentType: r.ContentType, SHA256: r.SHA256, ExpiresAt: r.ExpiresAt}
}

// Filter selects jobs in a list.
type Filter struct {
	Kind, State string
	Limit       int // default 50, at most 500
}

// List lists jobs, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Job, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(min(limit, 500))
	if f.Kind != "" {
		p = p.Kinds(f.Kind)
	}
	if f.State != "" {
		p = p.States(rivertype.JobState(f.State))
	} else {
		states := make([]rivertype.JobState, len(States))
		for i, st := range States {
			states[i] = rivertype.JobState(st)
		}
		p = p.States(states...)
	}
	res, err := s.q.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out := make([]Job, len(res.Jobs))
	for i, row := range res.Jobs {
		out[i] = view(row)
	}
	return out, nil
}

// Result reads the file of a render job; store.ErrNotFound when it has
// none (not made yet, failed, or expired).
func (s *Service) Result(ctx context.Context, id int64) (store.JobResult, error) {
	return s.st.JobResult(ctx, id)
}
