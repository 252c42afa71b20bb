package jobs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"baocao/api/store"
)

// Metrics are the jobs' Prometheus collectors: attempts by kind and
// outcome with their duration, jobs enqueued, webhook deliveries, e-mail
// and what the clean-up removed (this process's counts), and the jobs in
// the database by state (every instance's, read at each scrape).
type Metrics struct {
	attempts    *prometheus.HistogramVec
	enqueued    *prometheus.CounterVec
	webhooks    *prometheus.CounterVec
	mails       *prometheus.CounterVec
	cleaned     *prometheus.CounterVec
	renderBytes *prometheus.HistogramVec
	byState     *prometheus.Desc
	st          *store.Store
	pool        *pgxpool.Pool
}

func newMetrics(st *store.Store, pool *pgxpool.Pool) *Metrics {
	return &Metrics{
		attempts: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "baocao_job_attempts_seconds",
			Help:    "Attempts of background jobs worked by this process, by kind and outcome (completed, retried, cancelled, discarded).",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300}}, []string{"kind", "outcome"}),
		enqueued: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baocao_jobs_enqueued_total",
			Help: "Background jobs enqueued by this process, by kind."}, []string{"kind"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baocao_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by outcome (delivered, error, refused)."}, []string{"outcome"}),
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baocao_mails_total",
			Help: "E-mails, by job kind and outcome (sent, error, no_recipient)."}, []string{"kind", "outcome"}),
		cleaned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baocao_cleanup_removed_total",
			Help: "What the clean-up removed: sessions, results, inputs, files."}, []string{"what"}),
		renderBytes: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "baocao_job_render_size_bytes",
			Help: "Size of background renders.", Buckets: prometheus.ExponentialBuckets(16<<10, 4, 8)}, []string{"document", "format"}),
		byState: prometheus.NewDesc("baocao_jobs", "Background jobs in the database, by state (all instances).", []string{"state"}, nil),
		st:      st, pool: pool,
	}
}

func (m *Metrics) observe(kind, outcome string, d time.Duration) {
	m.attempts.WithLabelValues(kind, outcome).Observe(d.Seconds())
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.collectors() {
		c.Describe(ch)
	}
	ch <- m.byState
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.collectors() {
		c.Collect(ch)
	}
	counts := map[string]float64{}
	for _, s := range States {
		counts[s] = 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := m.countStates(ctx, counts); err != nil {
		return
	}
	for _, s := range States {
		ch <- prometheus.MustNewConstMetric(m.byState, prometheus.GaugeValue, counts[s], s)
	}
}

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.attempts, m.enqueued, m.webhooks, m.mails, m.cleaned, m.renderBytes}
}

const countByState = "SELECT state, count(*) FROM river_job GROUP BY state"

func (m *Metrics) countStates(ctx context.Context, counts map[string]float64) error {
	if m.pool != nil {
		rows, err := m.pool.Query(ctx, countByState)
		if err != nil {
			return err
		}
		defer rows.Close()
		return scanCounts(rows, counts)
	}
	rows, err := m.st.Writer().QueryContext(ctx, countByState)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scanCounts(rows, counts)
}

// scanCounts reads state and count rows (pgx's or database/sql's).
func scanCounts(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, counts map[string]float64) error {
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return err
		}
		counts[s] = float64(n)
	}
	return rows.Err()
}
