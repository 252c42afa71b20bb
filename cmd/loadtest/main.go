// Command loadtest starts several baocao instances on one throwaway
// PostgreSQL cluster (or a given database), loads the demo data, drives a
// realistic mix of requests from N clients for a bounded time, spread over
// the instances as a proxy would, and reports throughput, p50/p99 per
// route, errors by status and each instance's memory (README: "Load
// test").
//
//	go run ./cmd/loadtest --instances 3 --clients 16 --duration 60s
//
// It exits 1 when a request failed with a 5xx status or did not get an
// answer, so that CI can run it at a small scale.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"baocao"
	"baocao/api/auth"
	"baocao/api/demo"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	instances, clients int
	duration           time.Duration
	binary, dbURL      string
}

func run() error {
	var c config
	flag.IntVar(&c.instances, "instances", 3, "baocao serve processes on the one database")
	flag.IntVar(&c.clients, "clients", 16, "clients sending requests at once, each as soon as its last one is answered")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long the clients send requests")
	flag.StringVar(&c.binary, "baocao", "", "the baocao binary to start (default: built from this checkout with go build)")
	flag.StringVar(&c.dbURL, "database-url", "", "an empty PostgreSQL database to use (default: a throwaway cluster made with initdb)")
	flag.Parse()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if c.instances < 1 || c.clients < 1 || c.duration <= 0 {
		return errors.New("--instances, --clients and --duration must be positive")
	}
	dir, err := os.MkdirTemp("", "baocao-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	if c.binary == "" {
		c.binary = filepath.Join(dir, "baocao")
		fmt.Fprintln(os.Stderr, "loadtest: building baocao")
		if out, err := exec.Command("go", "build", "-o", c.binary, "baocao/cmd/baocao").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if c.dbURL == "" {
		cl, err := storetest.NewCluster()
		if err != nil {
			return fmt.Errorf("throwaway PostgreSQL: %w", err)
		}
		defer cl.Remove()
		if c.dbURL, err = cl.CreateDatabase("loadtest"); err != nil {
			return err
		}
	}
	if out, err := exec.Command(c.binary, "migrate", "--database-url", c.dbURL).CombinedOutput(); err != nil {
		return fmt.Errorf("baocao migrate: %v\n%s", err, out)
	}
	fx, err := setUp(ctx, c.dbURL)
	if err != nil {
		return err
	}
	insts := make([]*instance, c.instances)
	for i := range insts {
		if insts[i], err = startInstance(ctx, c.binary, c.dbURL, filepath.Join(dir, fmt.Sprintf("instance-%d.log", i))); err != nil {
			return err
		}
		defer insts[i].stop()
	}
	if err := fx.find(insts[0].base); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loadtest: %d instance(s), %d clients, %v\n", c.instances, c.clients, c.duration)

	rec := &recorder{routes: map[string]*routeStats{}}
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(c.duration)
	for i := range c.clients {
		cl, err := newClient(i, insts, fx, rec)
		if err != nil {
			return err
		}
		wg.Go(func() {
			for time.Now().Before(deadline) {
				cl.step()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, in := range insts {
		in.sample()
	}
	failed := rec.report(os.Stdout, elapsed, insts)
	if err := fx.checkNumbers(insts[0].base, os.Stdout); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed with 5xx or no answer (the instances' logs were in %s)", failed, dir)
	}
	return nil
}

// fixture is what the clients work with: the demo data, a user per role
// for the pages and a key per role for the API.
type fixture struct {
	password                    string
	secretariat, auditor, owner string // API keys (owner: the reporter's)
	planID                      int64  // Lai Châu 2024
	tasks                       []map[string]any
	renderBody                  []byte
}

func setUp(ctx context.Context, dbURL string) (*fixture, error) {
	st, err := store.Open(store.Config{DatabaseURL: dbURL})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := demo.Load(ctx, st); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	fx := &fixture{password: auth.Token(16)}
	lead, _, err := st.TopLead(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range []domain.UserInput{{Username: "vanphong", Role: auth.RoleSecretariat}, {Username: "kiemtra", Role: auth.RoleAuditor}} {
		u.Password = fx.password
		if _, err := st.CreateUser(ctx, u); err != nil {
			return nil, err
		}
	}
	for _, k := range []struct {
		scope  string
		agency int64
		dst    *string
	}{{auth.RoleSecretariat, 0, &fx.secretariat}, {auth.RoleAuditor, 0, &fx.auditor}, {auth.RoleReporter, lead, &fx.owner}} {
		_, secret, err := st.CreateKey(ctx, domain.KeyInput{Name: "loadtest " + k.scope, Scope: k.scope, AgencyID: k.agency})
		if err != nil {
			return nil, err
		}
		*k.dst = "Bearer " + secret
	}
	if fx.renderBody, err = baocao.SeedPlans.ReadFile("testdata/plans/thanh-tri-2022.json"); err != nil {
		return nil, err
	}
	return fx, nil
}

// find reads, through the API, the Lai Châu plan and the tasks the
// reporter's agency leads.
func (fx *fixture) find(base string) error {
	get := func(path, key string, v any) error { return fx.get(base, path, key, v) }
	var list struct{ Items []struct{ ID int64 } }
	if err := get("/api/v1/plans?q=lai+chau", fx.secretariat, &list); err != nil || len(list.Items) == 0 {
		return fmt.Errorf("the Lai Châu plan: %v", err)
	}
	fx.planID = list.Items[0].ID
	var me struct {
		AgencyName string `json:"agency"`
	}
	if err := get("/api/v1/me", fx.owner, &me); err != nil {
		return err
	}
	var tasks struct{ Items []map[string]any }
	if err := get(fmt.Sprintf("/api/v1/plans/%d/tasks", fx.planID), fx.owner, &tasks); err != nil {
		return err
	}
	for _, t := range tasks.Items {
		if lead, _ := t["lead"].([]any); len(lead) > 0 && slices.Contains(lead, any(me.AgencyName)) {
			fx.tasks = append(fx.tasks, map[string]any{"task_id": t["id"], "agency": me.AgencyName})
		}
	}
	if len(fx.tasks) == 0 {
		return fmt.Errorf("no task led by %q", me.AgencyName)
	}
	return nil
}

// checkNumbers reads the plan's reports and checks that the numbers
// issued through the instances are 1…n, each once.
func (fx *fixture) checkNumbers(base string, w io.Writer) error {
	var list struct {
		Items []struct {
			Number int
			Status string
		}
	}
	if err := fx.get(base, fmt.Sprintf("/api/v1/plans/%d/reports", fx.planID), fx.secretariat, &list); err != nil {
		return err
	}
	var nums []int
	for _, r := range list.Items {
		if r.Number > 0 {
			nums = append(nums, r.Number)
		}
	}
	slices.Sort(nums)
	for i, n := range nums {
		if n != i+1 {
			return fmt.Errorf("report numbers issued through the instances: %v, want 1…%d each once", nums, len(nums))
		}
	}
	fmt.Fprintf(w, "\nreports issued: %d, numbered 1…%d, each once\n", len(nums), len(nums))
	return nil
}

// get reads path as JSON with key.
func (fx *fixture) get(base, path, key string, v any) error {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// instance is one baocao serve process.
type instance struct {
	cmd     *exec.Cmd
	base    string
	log     *os.File
	mu      sync.Mutex
	peakRSS int64 // VmHWM, bytes
	rss     int64
	heap    float64 // go_memstats_heap_inuse_bytes at the end
	served  int
}

func startInstance(ctx context.Context, binary, dbURL, logPath string) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, binary, "serve", "--database-url", dbURL, "--addr", addr, "--log-format", "json")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, base: "http://" + addr, log: logf}
	for range 300 {
		if res, err := http.Get(in.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return in, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	in.stop()
	tail, _ := os.ReadFile(logPath)
	return nil, fmt.Errorf("instance on %s not ready after 30 s:\n%s", addr, tail)
}

// sample reads the process's memory: its peak and current resident set
// (/proc) and the Go heap in use (/metrics).
func (in *instance) sample() {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", in.cmd.Process.Pid))
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[2] == "kB" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				switch f[0] {
				case "VmHWM:":
					in.peakRSS = kb << 10
				case "VmRSS:":
					in.rss = kb << 10
				}
			}
		}
	}
	if res, err := http.Get(in.base + "/metrics"); err == nil {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if m := regexp.MustCompile(`(?m)^go_memstats_heap_inuse_bytes (\S+)$`).FindSubmatch(body); m != nil {
			in.heap, _ = strconv.ParseFloat(string(m[1]), 64)
		}
	}
}

func (in *instance) stop() {
	if in.cmd.Process != nil {
		_ = in.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = in.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = in.cmd.Process.Kill()
			<-done
		}
	}
	in.log.Close()
}

// client is one user agent: a browser session (logged in once, on any
// instance) and the API keys, each request sent to the next instance.
type client struct {
	id    int
	insts []*instance
	next  int
	fx    *fixture
	rec   *recorder
	hc    *http.Client
	rnd   *rand.Rand
	// issue is the period this client issues (and replaces) reports of
	// in turn; only one client works on a period, so that none of its
	// requests meets another's version.
	issue string
}

// The periods whose reports are issued: progress goes to 2024-Q4, which
// none of them locks.
var issuePeriods = []string{"2024-Q1", "2024-Q2", "2024-Q3"}

func newClient(id int, insts []*instance, fx *fixture, rec *recorder) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{id: id, insts: insts, next: id, fx: fx, rec: rec, rnd: rand.New(rand.NewPCG(uint64(id), 1)),
		hc: &http.Client{Jar: jar, Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	if id < len(issuePeriods) {
		c.issue = issuePeriods[id]
		// The period's draft, made before the clock starts.
		data, _ := json.Marshal(map[string]any{"narrative": map[string]any{}})
		req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/plans/%d/reports/%s", c.base(), fx.planID, c.issue), bytes.NewReader(data))
		req.Header.Set("Authorization", fx.secretariat)
		req.Header.Set("Content-Type", "application/json")
		res, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("draft of %s: %s", c.issue, res.Status)
		}
	}
	user := "vanphong"
	if id%2 == 1 {
		user = "kiemtra"
	}
	base := c.base()
	res, err := c.hc.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		return nil, errors.New("login page without its form")
	}
	res, err = c.hc.PostForm(base+"/login", url.Values{"username": {user}, "password": {c.fx.password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: %s", user, res.Status)
	}
	return c, nil
}

// base is the instance the next request goes to (round robin, as a proxy
// would spread them).
func (c *client) base() string {
	b := c.insts[c.next%len(c.insts)].base
	c.next++
	return b
}

// action is one kind of request of the mix, with its weight.
type action struct {
	weight int
	do     func(c *client)
}

// mix is what people and applications do, by weight: the web pages most,
// then downloads, progress, API reads, renders, exports and issues.
var mix = []action{
	{14, func(c *client) { c.send("page /plans", "GET", "/plans", "", nil) }},
	{10, func(c *client) { c.send("page /plans/{id}", "GET", fmt.Sprintf("/plans/%d", c.fx.planID), "", nil) }},
	{6, func(c *client) {
		c.send("page /plans/{id}/reports/{period}", "GET", fmt.Sprintf("/plans/%d/reports/2024-Q4", c.fx.planID), "", nil)
	}},
	{8, func(c *client) {
		c.send("GET /api/v1/plans/{id}/status", "GET", fmt.Sprintf("/api/v1/plans/%d/status?period=2024-H1", c.fx.planID), c.fx.secretariat, nil)
	}},
	{8, func(c *client) {
		c.send("GET /api/v1/plans/{id}/document.pdf", "GET", fmt.Sprintf("/api/v1/plans/%d/document.pdf", c.fx.planID), c.fx.secretariat, nil)
	}},
	{5, func(c *client) {
		c.send("GET /api/v1/plans/{id}/appendix.xlsx", "GET", fmt.Sprintf("/api/v1/plans/%d/appendix.xlsx", c.fx.planID), c.fx.secretariat, nil)
	}},
	{5, func(c *client) {
		c.send("GET /api/v1/plans/{id}/reports/{period}.pdf", "GET", fmt.Sprintf("/api/v1/plans/%d/reports/2024-Q4.pdf", c.fx.planID), c.fx.secretariat, nil)
	}},
	{12, func(c *client) {
		t := c.fx.tasks[c.rnd.IntN(len(c.fx.tasks))]
		body := map[string]any{"task_id": t["task_id"], "agency": t["agency"], "period": "2024-Q4", "status": "in_progress",
			"result": fmt.Sprintf("Đã triển khai %d nội dung, đạt %d%% kế hoạch.", c.rnd.IntN(20)+1, c.rnd.IntN(100)), "submitted_by": "Nguyễn Thị Hoa"}
		c.send("POST /api/v1/plans/{id}/progress", "POST", fmt.Sprintf("/api/v1/plans/%d/progress", c.fx.planID), c.fx.owner, body)
	}},
	{6, func(c *client) {
		c.send("POST /api/v1/render", "POST", "/api/v1/render?doc=plan&format=pdf", c.fx.secretariat, c.fx.renderBody)
	}},
	{2, func(c *client) {
		c.send("GET /api/v1/exports/progress.csv", "GET", "/api/v1/exports/progress.csv", c.fx.auditor, nil)
	}},
	{3, (*client).issueReport},
}

var totalWeight = func() int {
	n := 0
	for _, a := range mix {
		n += a.weight
	}
	return n
}()

func (c *client) step() {
	r := c.rnd.IntN(totalWeight)
	for _, a := range mix {
		if r -= a.weight; r < 0 {
			a.do(c)
			return
		}
	}
}

// issueReport issues this client's period's report (its draft made by
// newClient): a draft is issued;
// an issued report is replaced (a new draft) and that issued in turn.
// Clients without a period of their own read the list of reports.
func (c *client) issueReport() {
	base := fmt.Sprintf("/api/v1/plans/%d/reports", c.fx.planID)
	if c.issue == "" {
		c.send("GET /api/v1/plans/{id}/reports", "GET", base, c.fx.secretariat, nil)
		return
	}
	var r struct {
		Status  string
		Version int64
	}
	status, body := c.send("GET /api/v1/plans/{id}/reports/{period}", "GET", base+"/"+c.issue, c.fx.secretariat, nil)
	if status != http.StatusOK || json.Unmarshal(body, &r) != nil {
		return
	}
	if r.Status == "issued" {
		status, body = c.send("POST /api/v1/plans/{id}/reports/{period}/replace", "POST", base+"/"+c.issue+"/replace", c.fx.secretariat, nil,
			"If-Match", fmt.Sprintf(`"v%d"`, r.Version))
		if status != http.StatusCreated || json.Unmarshal(body, &r) != nil {
			return
		}
	}
	c.send("POST /api/v1/plans/{id}/reports/{period}/issue", "POST", base+"/"+c.issue+"/issue", c.fx.secretariat, map[string]any{},
		"If-Match", fmt.Sprintf(`"v%d"`, r.Version))
}

// send makes one request to the next instance and records it under route;
// key "" sends the session cookie instead.
func (c *client) send(route, method, path, key string, body any, headers ...string) (int, []byte) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	inst := c.insts[c.next%len(c.insts)]
	req, err := http.NewRequest(method, c.base()+path, rd)
	if err != nil {
		panic(err) // the paths are ours
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	t0 := time.Now()
	res, err := c.hc.Do(req)
	status := 0
	var data []byte
	if err == nil {
		data, err = io.ReadAll(res.Body)
		res.Body.Close()
		status = res.StatusCode
		if err != nil {
			status = 0
		}
	}
	c.rec.add(route, inst, status, time.Since(t0))
	return status, data
}

// recorder gathers every request's route, status and time.
type recorder struct {
	mu     sync.Mutex
	routes map[string]*routeStats
}

type routeStats struct {
	times    []time.Duration
	statuses map[int]int
}

func (r *recorder) add(route string, in *instance, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.routes[route]
	if s == nil {
		s = &routeStats{statuses: map[int]int{}}
		r.routes[route] = s
	}
	s.times = append(s.times, d)
	s.statuses[status]++
	in.mu.Lock()
	in.served++
	in.mu.Unlock()
}

func pct(ts []time.Duration, p float64) time.Duration {
	if len(ts) == 0 {
		return 0
	}
	return ts[min(len(ts)-1, int(float64(len(ts))*p))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// report prints the figures as Markdown tables and returns the number of
// requests that failed with a 5xx status or got no answer.
func (r *recorder) report(w io.Writer, elapsed time.Duration, insts []*instance) (failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.routes))
	total := 0
	var all []time.Duration
	errs := map[int]int{}
	for name, s := range r.routes {
		names = append(names, name)
		total += len(s.times)
		all = append(all, s.times...)
		slices.Sort(s.times)
		for st, n := range s.statuses {
			if st == 0 || st >= 400 {
				errs[st] += n
			}
			if st == 0 || st >= 500 {
				failed += n
			}
		}
	}
	slices.Sort(all)
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(r.routes[b].times), len(r.routes[a].times)), strings.Compare(a, b))
	})
	fmt.Fprintf(w, "\n%d instance(s), %d requests in %.1f s: %.1f requests/s, p50 %s ms, p99 %s ms\n\n",
		len(insts), total, elapsed.Seconds(), float64(total)/elapsed.Seconds(), ms(pct(all, 0.5)), ms(pct(all, 0.99)))
	fmt.Fprintln(w, "| route | requests | per s | p50 ms | p99 ms | statuses |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | --- |")
	for _, name := range names {
		s := r.routes[name]
		codes := make([]int, 0, len(s.statuses))
		for st := range s.statuses {
			codes = append(codes, st)
		}
		slices.Sort(codes)
		var parts []string
		for _, st := range codes {
			label := strconv.Itoa(st)
			if st == 0 {
				label = "no answer"
			}
			parts = append(parts, fmt.Sprintf("%s ×%d", label, s.statuses[st]))
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %s | %s | %s |\n", name, len(s.times), float64(len(s.times))/elapsed.Seconds(),
			ms(pct(s.times, 0.5)), ms(pct(s.times, 0.99)), strings.Join(parts, ", "))
	}
	fmt.Fprint(w, "\nerrors by status:")
	if len(errs) == 0 {
		fmt.Fprint(w, " none")
	}
	codes := make([]int, 0, len(errs))
	for st := range errs {
		codes = append(codes, st)
	}
	slices.Sort(codes)
	for _, st := range codes {
		fmt.Fprintf(w, " %d ×%d", st, errs[st])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\n| instance | requests | peak RSS MB | RSS at end MB | Go heap in use MB |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	for i, in := range insts {
		fmt.Fprintf(w, "| %d | %d | %.0f | %.0f | %.0f |\n", i, in.served, float64(in.peakRSS)/(1<<20), float64(in.rss)/(1<<20), in.heap/(1<<20))
	}
	return failed
}
