package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/workflow"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(child())
	}
	if os.Getenv("BAOCAO_TEST_LOGS") != "1" {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	code := m.Run()
	storetest.Stop()
	os.Exit(code)
}

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// newService migrates River's tables and starts a working service on
// st, stopped at the end of the test.
func newService(t testing.TB, st *store.Store, cfg Config) *Service {
	t.Helper()
	ctx := context.Background()
	if err := Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	cfg.Work = true
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s, err := New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
		s.Close()
	})
	return s
}

// waitJob polls a job until it is in one of the states (at most 60 s).
func waitJob(t testing.TB, s *Service, id int64, states ...string) Job {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j, err := s.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range states {
			if j.State == st {
				return j
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d (%s) is %s, want %v: %+v", id, j.Kind, j.State, states, j.Errors)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls cond (at most 60 s).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// webhookJob finds the webhook job of a render job.
func webhookJob(t testing.TB, s *Service, renderID int64) Job {
	t.Helper()
	var found Job
	waitFor(t, "the webhook job", func() bool {
		list, err := s.List(context.Background(), Filter{Kind: kindWebhook, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range list {
			if j.Subject == "job "+itoa(renderID) {
				found = j
				return true
			}
		}
		return false
	})
	return found
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// seedDoc reads a seed plan as the API's door leaves it.
func seedDoc(t testing.TB, name string) *doc.Document {
	t.Helper()
	f, err := os.Open("../testdata/plans/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := doc.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// receiver is a webhook receiver: it records every request and answers
// with status.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []delivery
	srv    *httptest.Server
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t testing.TB, status int) *receiver {
	r := &receiver{status: status}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{req.Header.Clone(), body})
		st := r.status
		r.mu.Unlock()
		w.WriteHeader(st)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

const secret = "bí mật của quản trị"

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// TestAsyncRender: a render in the background makes the same file as the
// render in the request, downloadable until it expires, and calls the
// webhook with a valid signature over its body.
func TestAsyncRender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clk := &clock{t: time.Now()}
		st.SetClock(clk.Now)
		s := newService(t, st, Config{WebhookSecret: secret, WebhookAllow: loopback, Now: clk.Now, BaseURL: "https://baocao.example.vn"})
		recv := newReceiver(t, http.StatusNoContent)
		ctx := context.Background()
		d := seedDoc(t, "thanh-tri-2022")
		j, err := s.EnqueueRender(ctx, RenderRequest{Doc: d, What: "plan", Format: workflow.FormatPDF, Name: "KH.pdf",
			ContentType: "application/pdf", Owner: "key:1", Webhook: recv.srv.URL + "/hook?x=1"})
		if err != nil {
			t.Fatal(err)
		}
		if j.Kind != kindRender || j.Owner != "key:1" || j.Href != href(j.ID) {
			t.Errorf("enqueued %+v", j)
		}
		done := waitJob(t, s, j.ID, "completed", "cancelled", "discarded")
		if done.State != "completed" || done.Result == nil {
			t.Fatalf("render: %+v", done)
		}
		res, err := s.Result(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.render.Document(ctx, seedDoc(t, "thanh-tri-2022"), "plan", workflow.FormatPDF)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(res.Data, want) || res.Name != "KH.pdf" || res.ContentType != "application/pdf" {
			t.Errorf("result %s %s %d bytes, want the %d bytes rendered at once", res.Name, res.ContentType, len(res.Data), len(want))
		}
		if _, err := st.JobInput(ctx, "x"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("input: %v", err)
		}

		wh := waitJob(t, s, webhookJob(t, s, j.ID).ID, "completed", "cancelled", "discarded")
		if wh.State != "completed" {
			t.Fatalf("webhook: %+v", wh)
		}
		got := recv.deliveries()
		if len(got) != 1 {
			t.Fatalf("%d deliveries, want 1", len(got))
		}
		h := got[0].header
		if !Verify(secret, got[0].body, h.Get(HeaderSignature)) || Verify("another secret", got[0].body, h.Get(HeaderSignature)) {
			t.Errorf("signature %q does not verify", h.Get(HeaderSignature))
		}
		if h.Get(HeaderEvent) != "job.completed" || h.Get(HeaderDelivery) != itoa(wh.ID) || h.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", h)
		}
		var ev WebhookEvent
		if err := json.Unmarshal(got[0].body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Job.ID != j.ID || ev.Job.State != "completed" || ev.Job.Result == nil ||
			ev.Job.Result.Href != "https://baocao.example.vn/api/v1/jobs/"+itoa(j.ID)+"/result" || ev.Job.Result.SHA256 != res.SHA256 {
			t.Errorf("webhook body %s", got[0].body)
		}

		// Expired: no result any more, and the clean-up removes it.
		clk.Set(clk.Now().Add(25 * time.Hour))
		if _, err := s.Result(ctx, j.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired result: %v", err)
		}
		if g, _ := s.Get(ctx, j.ID); g.Result != nil {
			t.Errorf("expired result still shown: %+v", g.Result)
		}
		if _, err := s.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := st.JobResultMeta(ctx, j.ID); ok {
			t.Error("the clean-up left the expired result")
		}
	})
}

// TestAsyncRenderFails: a stored document that does not decode is given
// up at once (cancelled, not tried again) and the webhook says so.
func TestAsyncRenderFails(t *testing.T) {
	st := storetest.SQLite(t)
	s := newService(t, st, Config{WebhookSecret: secret, WebhookAllow: loopback})
	recv := newReceiver(t, http.StatusOK)
	ctx := context.Background()
	token, err := st.SaveJobInput(ctx, []byte(`{"kind": "KH"}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.q.Insert(ctx, RenderArgs{Input: token, What: "plan", Format: "pdf", Name: "x.pdf", Webhook: recv.srv.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, s, res.Job.ID, "completed", "cancelled", "discarded")
	if j.State != "cancelled" || j.Attempt != 1 || len(j.Errors) != 1 || j.Result != nil {
		t.Fatalf("bad input: %+v", j)
	}
	waitJob(t, s, webhookJob(t, s, j.ID).ID, "completed")
	var ev WebhookEvent
	if err := json.Unmarshal(recv.deliveries()[0].body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Event != "job.failed" || ev.Job.State != "failed" || !strings.Contains(ev.Job.Error, "stored document") {
		t.Errorf("failure webhook %+v", ev)
	}
}

// TestWebhookRefused: a webhook to an address that is not public is
// never sent: a literal address is refused at the door, a name that
// resolves to one at the moment of connecting.
func TestWebhookRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newService(t, st, Config{WebhookSecret: secret})
		recv := newReceiver(t, http.StatusOK)
		ctx := context.Background()
		d := seedDoc(t, "thanh-tri-2022")
		req := RenderRequest{Doc: d, What: "appendix", Format: workflow.FormatXLSX, Name: "PL.xlsx", ContentType: "application/xlsx", Owner: "user:1"}
		for _, u := range []string{recv.srv.URL, "http://[::1]:9/", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/",
			"http://192.168.1.1/", "http://[fe80::1%25eth0]/", "ftp://example.com/", "http://user:pw@example.com/", "http:///x", "http://100.64.0.1/"} {
			req.Webhook = u
			var ve *doc.ValidationError
			if _, err := s.EnqueueRender(ctx, req); !errors.As(err, &ve) || ve.Fields[0].Field != "webhook" {
				t.Errorf("%s: %v, want a validation error naming webhook", u, err)
			}
		}
		// A name: checked on the address it resolves to when dialled.
		req.Webhook = strings.Replace(recv.srv.URL, "127.0.0.1", "localhost", 1)
		j, err := s.EnqueueRender(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		waitJob(t, s, j.ID, "completed")
		wh := waitJob(t, s, webhookJob(t, s, j.ID).ID, "completed", "cancelled", "discarded")
		if wh.State != "cancelled" || wh.Attempt != 1 || len(wh.Errors) != 1 || !strings.Contains(wh.Errors[0].Error, "refused to connect to") {
			t.Errorf("webhook to localhost: %+v", wh)
		}
		if n := len(recv.deliveries()); n != 0 {
			t.Errorf("the refused receiver got %d requests", n)
		}
		// No secret configured: webhooks are refused at the door.
		s.cfg.WebhookSecret = ""
		req.Webhook = "https://example.com/hook"
		if err := s.CheckWebhook(req.Webhook); err == nil {
			t.Error("webhook accepted without a secret")
		}
	})
}

func TestPublic(t *testing.T) {
	for s, want := range map[string]bool{"8.8.8.8": true, "2001:4860:4860::8888": true, "127.0.0.1": false, "10.1.2.3": false,
		"172.16.0.1": false, "192.168.0.1": false, "169.254.1.1": false, "::1": false, "fe80::1": false, "fc00::1": false,
		"::ffff:127.0.0.1": false, "::ffff:8.8.8.8": true, "0.0.0.0": false, "100.100.1.1": false, "224.0.0.1": false,
		"255.255.255.255": false, "64:ff9b::a00:1": false, "::": false} {
		if got := Public(netip.MustParseAddr(s)); got != want {
			t.Errorf("Public(%s) = %v", s, got)
		}
	}
}

// TestWebhookGivenUp: a receiver that keeps failing is tried
// WebhookAttempts times with growing waits, then given up, visibly.
func TestWebhookGivenUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newService(t, st, Config{WebhookSecret: secret, WebhookAllow: loopback, WebhookAttempts: 3, WebhookBackoff: 20 * time.Millisecond})
		recv := newReceiver(t, http.StatusInternalServerError)
		ctx := context.Background()
		j, err := s.EnqueueRender(ctx, RenderRequest{Doc: seedDoc(t, "thanh-tri-2022"), What: "plan", Format: workflow.FormatPDF,
			Name: "KH.pdf", ContentType: "application/pdf", Webhook: recv.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		waitJob(t, s, j.ID, "completed")
		wh := waitJob(t, s, webhookJob(t, s, j.ID).ID, "discarded", "completed", "cancelled")
		if wh.State != "discarded" || wh.Attempt != 3 || len(wh.Errors) != 3 {
			t.Fatalf("given up: %+v", wh)
		}
		for i, e := range wh.Errors {
			if !strings.Contains(e.Error, "500 Internal Server Error") || e.Attempt != i+1 {
				t.Errorf("attempt %d: %+v", i+1, e)
			}
		}
		got := recv.deliveries()
		if len(got) != 3 {
			t.Fatalf("%d deliveries, want 3", len(got))
		}
		for _, d := range got {
			if !bytes.Equal(d.body, got[0].body) || d.header.Get(HeaderDelivery) != itoa(wh.ID) || !Verify(secret, d.body, d.header.Get(HeaderSignature)) {
				t.Errorf("a retry differs: %s %v", d.body, d.header)
			}
		}
		// The waits grow: each retry is later than the previous one by at
		// least the back-off of that attempt.
		for i := 1; i < len(wh.Errors); i++ {
			if gap := wh.Errors[i].At.Sub(wh.Errors[i-1].At); gap < 20*time.Millisecond<<(i-1) {
				t.Errorf("retry %d came %v after the previous one", i+1, gap)
			}
		}
		list, err := s.List(ctx, Filter{State: "discarded"})
		if err != nil || len(list) != 1 || list[0].ID != wh.ID {
			t.Errorf("discarded list: %v %+v", err, list)
		}
	})
}

// TestNextRetry: the back-off doubles from WebhookBackoff, at most an hour.
func TestNextRetry(t *testing.T) {
	w := &webhookWorker{s: &Service{cfg: Config{WebhookBackoff: 30 * time.Second}}}
	var prev time.Duration
	for attempt := 1; attempt <= 12; attempt++ {
		job := &rivertype.JobRow{Attempt: attempt}
		wait := time.Until(w.NextRetry(&river.Job[WebhookArgs]{JobRow: job}))
		want := min(30*time.Second<<(attempt-1), time.Hour)
		if wait < want-time.Second || wait > want+time.Second || wait < prev-time.Second {
			t.Errorf("attempt %d waits %v, want %v", attempt, wait, want)
		}
		prev = wait
	}
}

// The child process of TestKilledWorker (see child).
const childEnv = "BAOCAO_JOBS_TEST_CHILD"

// TestStoredDocumentRoundTrip: the document a background render stores
// (json.Marshal of the decoded document) decodes back, strictly, to the
// same document, for every seed plan.
func TestStoredDocumentRoundTrip(t *testing.T) {
	names, err := filepath.Glob("../testdata/plans/*.json")
	if err != nil || len(names) < 5 {
		t.Fatalf("seed plans: %v %v", names, err)
	}
	for _, n := range names {
		d := seedDoc(t, strings.TrimSuffix(filepath.Base(n), ".json"))
		data, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		back, err := doc.Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		again, _ := json.Marshal(back)
		if !bytes.Equal(data, again) {
			t.Errorf("%s: the stored document changes when read back", n)
		}
	}
}

// TestQueueFull: past MaxQueued renders waiting, more are refused and
// nothing is stored for them.
func TestQueueFull(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	if err := Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, st, Config{MaxQueued: 2}) // enqueues only: nothing is worked
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := RenderRequest{Doc: seedDoc(t, "thanh-tri-2022"), What: "plan", Format: workflow.FormatPDF, Name: "KH.pdf", ContentType: "application/pdf"}
	for i := range 2 {
		if _, err := s.EnqueueRender(ctx, req); err != nil {
			t.Fatalf("render %d: %v", i+1, err)
		}
	}
	if _, err := s.EnqueueRender(ctx, req); !errors.Is(err, ErrQueueFull) {
		t.Errorf("a third render: %v, want ErrQueueFull", err)
	}
	list, err := s.List(ctx, Filter{Kind: kindRender})
	if err != nil || len(list) != 2 {
		t.Errorf("queued %d renders (%v), want 2", len(list), err)
	}
}
