package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/riverqueue/river"

	"baocao/api/store"
	"baocao/reports/doc"
)

// WebhookArgs is one webhook delivery: its body is made once, when the
// render ends, and signed at each try.
type WebhookArgs struct {
	JobID int64           `json:"job_id" river:"unique"`
	Event string          `json:"event" river:"unique"`
	URL   string          `json:"url"`
	Body  json.RawMessage `json:"body"`
}

// Kind is the job's kind.
func (WebhookArgs) Kind() string { return kindWebhook }

// WebhookEvent is the body of a webhook.
type WebhookEvent struct {
	// Event is "job.completed" or "job.failed".
	Event string `json:"event"`
	Job   struct {
		ID    int64  `json:"id"`
		Kind  string `json:"kind"`
		State string `json:"state"` // completed or failed
		Href  string `json:"href"`  // absolute
		// Result is the file, to download with the key that asked for it.
		Result *Result `json:"result,omitempty"`
		Error  string  `json:"error,omitempty"`
	} `json:"job"`
	At time.Time `json:"at"`
}

// Headers of a webhook request.
const (
	HeaderSignature = "X-Baocao-Signature-256" // sha256=<hex HMAC-SHA256 of the body>
	HeaderEvent     = "X-Baocao-Event"
	HeaderDelivery  = "X-Baocao-Delivery" // the webhook job's id, the same on every try
)

// Sign is the signature header's value for body: "sha256=" and the hex
// HMAC-SHA256 of the body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header against body (what a receiver does).
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(header))
}

// CheckWebhook checks a webhook URL at the door: http or https, a host,
// no user or password, at most 2048 bytes, and — when the host is an
// address — one the administrator allows. A name is checked again at
// each delivery, on the address it resolves to then.
func (s *Service) CheckWebhook(raw string) error {
	bad := func(p string) error {
		return &doc.ValidationError{Fields: []doc.FieldError{{Field: "webhook", Problem: p}}}
	}
	if s.cfg.WebhookSecret == "" {
		return bad("webhooks are not enabled on this server (no webhook secret is configured)")
	}
	if len(raw) > 2048 {
		return bad("is longer than 2048 bytes")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return bad(fmt.Sprintf("must be an http or https URL, not %q", raw))
	}
	if u.User != nil {
		return bad("must not hold a user name or password")
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !allowed(ip, s.cfg.WebhookAllow) {
		return bad(fmt.Sprintf("the address %s is not public, and the administrator has not allowed it", ip))
	}
	return nil
}

// nonPublic are the ranges no webhook reaches unless allowed, besides
// loopback, private, link-local, multicast and unspecified addresses.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),  // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64: any IPv4 address, private ones too
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"), // 6to4: embeds IPv4
	netip.MustParsePrefix("100::/64"),
}

// Public reports whether ip is a public unicast address.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || ip.Zone() != "" {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

func allowed(ip netip.Addr, allow []netip.Prefix) bool {
	ip = ip.Unmap()
	for _, p := range allow {
		if p.Contains(ip) {
			return true
		}
	}
	return Public(ip)
}

// RefusedError is a delivery to an address that is not allowed: never
// sent, and not tried again.
type RefusedError struct{ Addr string }

func (e *RefusedError) Error() string {
	return "refused to connect to " + e.Addr + ": not a public address, and not allowed by the administrator"
}

// webhookClient is the HTTP client of deliveries. Its dialer checks the
// address it is about to connect to, after name resolution (so a name
// that resolves to a public address when checked and to a private one
// when used — DNS rebinding — is still refused); no proxy from the
// environment (it would be the address dialled); no redirects followed.
func webhookClient(allow []netip.Prefix, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return &RefusedError{Addr: address}
		}
		if !allowed(ap.Addr(), allow) {
			return &RefusedError{Addr: ap.Addr().String()}
		}
		return nil
	}}
	tr := &http.Transport{Proxy: nil, DialContext: d.DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout, MaxIdleConns: 4, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// enqueueWebhook enqueues the webhook of a render that ended: with its
// result, or with the error it was given up on.
func (s *Service) enqueueWebhook(ctx context.Context, job *river.Job[RenderArgs], res *store.JobResult, failed error) error {
	var ev WebhookEvent
	ev.Event, ev.Job.State = "job.completed", "completed"
	if failed != nil {
		ev.Event, ev.Job.State, ev.Job.Error = "job.failed", "failed", failed.Error()
	}
	ev.Job.ID, ev.Job.Kind, ev.Job.Href = job.ID, kindRender, strings.TrimRight(s.cfg.BaseURL, "/")+href(job.ID)
	if res != nil {
		ev.Job.Result = resultOf(*res)
		ev.Job.Result.Href = strings.TrimRight(s.cfg.BaseURL, "/") + ev.Job.Result.Href
	}
	ev.At = s.now().UTC().Truncate(time.Second)
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = s.q.Insert(ctx, WebhookArgs{JobID: job.ID, Event: ev.Event, URL: job.Args.Webhook, Body: body},
		&river.InsertOpts{MaxAttempts: s.cfg.WebhookAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}})
	if err != nil {
		return fmt.Errorf("enqueue webhook: %w", err)
	}
	s.metrics.enqueued.WithLabelValues(kindWebhook).Inc()
	return nil
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	s      *Service
	client *http.Client
}

// NextRetry waits WebhookBackoff, doubled at each try, up to an hour.
func (w *webhookWorker) NextRetry(job *river.Job[WebhookArgs]) time.Time {
	wait := w.s.cfg.WebhookBackoff << min(max(job.Attempt-1, 0), 20)
	return time.Now().Add(min(wait, time.Hour))
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	start := time.Now()
	return w.s.worked(job.JobRow, start, w.deliver(ctx, job))
}

func (w *webhookWorker) deliver(ctx context.Context, job *river.Job[WebhookArgs]) error {
	a := job.Args
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, bytes.NewReader(a.Body))
	if err != nil {
		return river.JobCancel(fmt.Errorf("webhook URL: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "baocao-webhook/1")
	req.Header.Set(HeaderEvent, a.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(job.ID, 10))
	req.Header.Set(HeaderSignature, Sign(w.s.cfg.WebhookSecret, a.Body))
	resp, err := w.client.Do(req)
	var refused *RefusedError
	if errors.As(err, &refused) {
		w.s.metrics.webhooks.WithLabelValues("refused").Inc()
		return river.JobCancel(refused)
	}
	if err != nil {
		w.s.metrics.webhooks.WithLabelValues("error").Inc()
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		w.s.metrics.webhooks.WithLabelValues("error").Inc()
		return fmt.Errorf("webhook: the receiver answered %s", resp.Status)
	}
	w.s.metrics.webhooks.WithLabelValues("delivered").Inc()
	return nil
}
