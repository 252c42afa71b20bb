package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"baocao/api/store"
	"baocao/domain"
	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/workflow"
)

// The kinds of jobs and the queue of renders.
const (
	kindRender  = "render"
	kindWebhook = "webhook"
	kindScan    = "scan"
	kindRemind  = "remind"
	kindPrepare = "prepare"
	kindCleanup = "cleanup"
	queueRender = "render"
)

// RenderArgs is an asynchronous render: the document waits in the store
// (store.SaveJobInput) under Input.
type RenderArgs struct {
	Input       string `json:"input"`
	What        string `json:"what"`           // plan or appendix
	Format      string `json:"format"`         // pdf, xlsx or docx
	PDFA        bool   `json:"pdfa,omitempty"` // the PDF as PDF/A-2b
	Name        string `json:"name"`           // the file's download name
	ContentType string `json:"content_type"`
	Owner       string `json:"owner"`
	Webhook     string `json:"webhook,omitempty"`
}

// Kind is the job's kind.
func (RenderArgs) Kind() string { return kindRender }

// InsertOpts puts renders on their own queue, tried three times.
func (RenderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueRender, MaxAttempts: 3}
}

// RenderRequest is a render the API asks for in the background: a
// document already decoded, normalised and validated at the door.
type RenderRequest struct {
	Doc    *doc.Document
	What   string
	Format workflow.Format
	// PDFA makes the PDF PDF/A-2b (render's pdfa=true).
	PDFA        bool
	Name        string
	ContentType string
	Owner       string
	// Webhook is called when the render is done or failed (checked with
	// CheckWebhook first).
	Webhook string
}

// ErrQueueFull: MaxQueued renders are waiting or running already.
var ErrQueueFull = errors.New("too many renders are queued")

// EnqueueRender stores the document and enqueues its render, unless
// MaxQueued renders wait or run already (ErrQueueFull).
func (s *Service) EnqueueRender(ctx context.Context, r RenderRequest) (Job, error) {
	if r.Webhook != "" {
		if err := s.CheckWebhook(r.Webhook); err != nil {
			return Job{}, err
		}
	}
	queued, err := s.q.JobList(ctx, river.NewJobListParams().Kinds(kindRender).First(s.cfg.MaxQueued).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled))
	if err != nil {
		return Job{}, fmt.Errorf("count queued renders: %w", err)
	}
	if len(queued.Jobs) >= s.cfg.MaxQueued {
		return Job{}, ErrQueueFull
	}
	data, err := json.Marshal(r.Doc)
	if err != nil {
		return Job{}, fmt.Errorf("render job: %w", err)
	}
	token, err := s.st.SaveJobInput(ctx, data)
	if err != nil {
		return Job{}, err
	}
	res, err := s.q.Insert(ctx, RenderArgs{Input: token, What: r.What, Format: string(r.Format), PDFA: r.PDFA, Name: r.Name,
		ContentType: r.ContentType, Owner: r.Owner, Webhook: r.Webhook}, nil)
	if err != nil {
		_ = s.st.DeleteJobInput(context.WithoutCancel(ctx), token)
		return Job{}, fmt.Errorf("enqueue render: %w", err)
	}
	s.metrics.enqueued.WithLabelValues(kindRender).Inc()
	return view(res.Job), nil
}

type renderWorker struct {
	river.WorkerDefaults[RenderArgs]
	s *Service
}

// Timeout is the render timeout.
func (w *renderWorker) Timeout(*river.Job[RenderArgs]) time.Duration { return w.s.cfg.RenderTimeout }

func (w *renderWorker) Work(ctx context.Context, job *river.Job[RenderArgs]) error {
	start := time.Now()
	err := w.work(ctx, job)
	if err != nil && outcome(job.JobRow, err) != "retried" && job.Args.Webhook != "" {
		// Given up: the webhook says so.
		if werr := w.s.enqueueWebhook(ctx, job, nil, err); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	return w.s.worked(job.JobRow, start, err)
}

func (w *renderWorker) work(ctx context.Context, job *river.Job[RenderArgs]) error {
	s, a := w.s, job.Args
	data, err := s.st.JobInput(ctx, a.Input)
	if errors.Is(err, domain.ErrNotFound) {
		// Rendered already by an attempt that died before it finished,
		// or cleaned away: nothing left to do but say so.
		if _, ok, _ := s.st.JobResultMeta(ctx, job.ID); ok {
			return nil
		}
		return river.JobCancel(errors.New("the document to render is no longer stored"))
	}
	if err != nil {
		return err
	}
	d, err := doc.Decode(bytes.NewReader(data))
	if err != nil {
		return river.JobCancel(fmt.Errorf("stored document: %w", err))
	}
	render := s.render
	if a.PDFA {
		render.PDF = render.PDF.PDFA()
	}
	out, err := render.Document(ctx, d, a.What, workflow.Format(a.Format))
	var me *fonts.MissingError
	if errors.As(err, &me) {
		return river.JobCancel(fmt.Errorf("%s: the font %s has no glyph for %U", me.Where, me.Family, me.Rune))
	}
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	now := s.now()
	res := store.JobResult{JobID: job.ID, Name: a.Name, ContentType: a.ContentType, Data: out, CreatedAt: now, ExpiresAt: now.Add(s.cfg.ResultTTL)}
	if err := s.st.SaveJobResult(ctx, res); err != nil {
		return err
	}
	s.metrics.renderBytes.WithLabelValues(a.What, a.Format).Observe(float64(len(out)))
	if a.Webhook != "" {
		meta, _, err := s.st.JobResultMeta(ctx, job.ID)
		if err != nil {
			return err
		}
		if err := s.enqueueWebhook(ctx, job, &meta, nil); err != nil {
			return err
		}
	}
	return s.st.DeleteJobInput(ctx, a.Input)
}
