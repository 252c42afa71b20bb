package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"baocao/api/auth"
	"baocao/api/store"
	"baocao/api/store/storetest"
	"baocao/domain"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

func TestMain(m *testing.M) {
	// Request logs only with BAOCAO_TEST_LOGS=1.
	if os.Getenv("BAOCAO_TEST_LOGS") != "1" {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	code := m.Run()
	storetest.Stop()
	os.Exit(code)
}

// client talks to a test server, as an administrator's API key unless
// told otherwise (see as).
type client struct {
	t     *testing.T
	base  string
	srv   *Server
	store *store.Store
	auth  string // the Authorization header; "" sends none
}

func newClient(t *testing.T, st *store.Store, cfg Config) *client {
	s, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	// Every response is checked against the OpenAPI description; the
	// check reports after the server has closed (cleanups run last first).
	h, check := specChecked(t, s.Handler())
	t.Cleanup(check)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c := &client{t: t, base: ts.URL, srv: s, store: st}
	return c.as(auth.RoleAdmin, 0)
}

// as returns a client that calls with a new key of the scope (a
// reporter's for the agency); scope "" calls anonymously.
func (c *client) as(scope string, agency int64) *client {
	c.t.Helper()
	n := *c
	n.auth = ""
	if scope != "" {
		_, secret, err := c.store.CreateKey(context.Background(), domain.KeyInput{Name: "test " + scope, Scope: scope, AgencyID: agency})
		if err != nil {
			c.t.Fatal(err)
		}
		n.auth = "Bearer " + secret
	}
	return &n
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
}

func (r response) problem(t *testing.T) Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error content type %q", ct)
	}
	var p Problem
	r.json(t, &p)
	return p
}

func (c *client) do(method, path string, body any, headers ...string) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: data}
}

// noRedirects answers redirects as they are, so tests see them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (c *client) expect(r response, status int) response {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

func fixtureJSON(t testing.TB, name string) []byte {
	b, err := os.ReadFile("../../testdata/plans/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasField(p Problem, field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

func TestAgenciesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		r := c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "Sở Nội vụ", "symbol": "SNV", "place": "Lai Châu"}), 201)
		var a domain.Agency
		r.json(t, &a)
		if r.header.Get("Location") != fmt.Sprintf("/api/v1/agencies/%d", a.ID) || r.header.Get("ETag") != `"v1"` {
			t.Errorf("headers %v", r.header)
		}
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/agencies/%d", a.ID), nil), 200)
		// Validation: names the fields.
		p := c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "", "symbol": "S N"}), 422).problem(t)
		if !hasField(p, "name") || !hasField(p, "symbol") || p.Type != problemBase+"validation" {
			t.Errorf("problem %+v", p)
		}
		p = c.expect(c.do("POST", "/api/v1/agencies", `{"name": "X", "colour": 1}`), 422).problem(t)
		if !hasField(p, "colour") {
			t.Errorf("unknown field problem %+v", p)
		}
		p = c.expect(c.do("POST", "/api/v1/agencies", `{"name": 5}`), 422).problem(t)
		if !hasField(p, "name") {
			t.Errorf("wrong type problem %+v", p)
		}
		c.expect(c.do("POST", "/api/v1/agencies", map[string]any{"name": "sở nội  vụ"}), 409)
		// Update needs the version; a stale one changes nothing.
		c.expect(c.do("PUT", fmt.Sprintf("/api/v1/agencies/%d", a.ID), map[string]any{"name": "Sở Nội vụ tỉnh"}), 428)
		c.expect(c.do("PUT", fmt.Sprintf("/api/v1/agencies/%d", a.ID), map[string]any{"name": "Sở Nội vụ tỉnh", "symbol": "SNV"}, "If-Match", `"v1"`), 200)
		c.expect(c.do("PUT", fmt.Sprintf("/api/v1/agencies/%d", a.ID), map[string]any{"name": "Khác", "version": 1}), 412)
		var got domain.Agency
		c.expect(c.do("GET", fmt.Sprintf("/api/v1/agencies/%d", a.ID), nil), 200).json(t, &got)
		if got.Name != "Sở Nội vụ tỉnh" || got.Version != 2 {
			t.Errorf("after updates: %+v", got)
		}
		c.expect(c.do("GET", "/api/v1/agencies/abc", nil), 422)
		c.expect(c.do("GET", "/api/v1/agencies/999", nil), 404)
		// In use by a task: 409.
		c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 201)
		var list struct{ Items []domain.Agency }
		c.expect(c.do("GET", "/api/v1/agencies", nil), 200).json(t, &list)
		for _, x := range list.Items {
			if x.Name == "Văn phòng UBND tỉnh" {
				c.expect(c.do("DELETE", fmt.Sprintf("/api/v1/agencies/%d", x.ID), nil), 409)
			}
		}
		c.expect(c.do("DELETE", fmt.Sprintf("/api/v1/agencies/%d", a.ID), nil), 204)
	})
}

func TestRequestLimits(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{MaxBodyBytes: 1000})
	p := c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, "lai-chau-2024")), 413).problem(t)
	if p.Type != problemBase+"too-large" {
		t.Errorf("problem %+v", p)
	}
	r := c.do("POST", "/api/v1/agencies", nil, "Content-Type", "text/plain")
	c.expect(r, 415)
	r = c.do("GET", "/api/v1/nothing", nil, "X-Request-ID", "abc123")
	if r.status != 404 || r.header.Get("X-Request-ID") != "abc123" || r.problem(t).RequestID != "abc123" {
		t.Errorf("404: %d %v %s", r.status, r.header, r.body)
	}
	if c.do("GET", "/healthz", nil).status != 200 || c.do("GET", "/readyz", nil).status != 200 {
		t.Error("health endpoints")
	}
	m := c.expect(c.do("GET", "/metrics", nil), 200)
	if !bytes.Contains(m.body, []byte(`baocao_http_requests_total{method="GET",route="/api/v1/nothing",status="404"}`)) &&
		!bytes.Contains(m.body, []byte(`baocao_http_requests_total{method="GET",route="unmatched",status="404"}`)) {
		t.Errorf("metrics lack the request count:\n%.2000s", m.body)
	}
}

func TestPlansAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		ids := map[string]int64{}
		for _, name := range []string{"lai-chau-2024", "thanh-tri-2022", "binh-dinh-2017", "ninh-thuan-2022", "tay-son-2023"} {
			var p planJSON
			c.expect(c.do("POST", "/api/v1/plans", fixtureJSON(t, name)), 201).json(t, &p)
			ids[name] = p.ID
		}
		var list struct {
			Items []domain.PlanSummary
			Total int64
		}
		c.expect(c.do("GET", "/api/v1/plans?q=tuyen+truyen+cai+cach&year=2024", nil), 200).json(t, &list)
		if list.Total != 1 || list.Items[0].ID != ids["lai-chau-2024"] {
			t.Errorf("search: %+v", list)
		}
		c.expect(c.do("GET", "/api/v1/plans?per_page=2&page=2", nil), 200).json(t, &list)
		if list.Total != 5 || len(list.Items) != 2 {
			t.Errorf("page 2: %+v", list)
		}
		for _, bad := range []string{"year=20x4", "per_page=1000", "kind=XYZ", "page=0"} {
			c.expect(c.do("GET", "/api/v1/plans?"+bad, nil), 422)
		}
		path := fmt.Sprintf("/api/v1/plans/%d", ids["lai-chau-2024"])
		r := c.expect(c.do("GET", path, nil), 200)
		var p planJSON
		r.json(t, &p)
		c.expect(c.do("GET", path, nil, "If-None-Match", r.header.Get("ETag")), 304)

		// Update with If-Match; a second with the same version is refused.
		p.Document.Title += " (sửa đổi)"
		body, _ := json.Marshal(p.Document)
		c.expect(c.do("PUT", path, body, "If-Match", `"v1"`), 200)
		c.expect(c.do("PUT", path, body, "If-Match", `"v1"`), 412)
		c.expect(c.do("PUT", path, body), 428)

		// Invalid documents: the fields are named and nothing is stored.
		bad := map[string]any{}
		json.Unmarshal(fixtureJSON(t, "lai-chau-2024"), &bad)
		bad["date"] = "2024-02-31"
		bad["title"] = ""
		bad["kind"] = "XX"
		pr := c.expect(c.do("POST", "/api/v1/plans", bad), 422).problem(t)
		for _, f := range []string{"date", "title", "kind"} {
			if !hasField(pr, f) {
				t.Errorf("problem lacks %s: %+v", f, pr)
			}
		}
		bad["date"], bad["title"], bad["kind"] = "2024-01", strings.Repeat("x", 2000), "KH"
		pr = c.expect(c.do("POST", "/api/v1/plans", bad), 422).problem(t)
		if !hasField(pr, "title") {
			t.Errorf("over-long title: %+v", pr)
		}
		c.expect(c.do("POST", "/api/v1/plans", `{"kind": "KH",`), 422)
		c.expect(c.do("GET", "/api/v1/plans?per_page=100", nil), 200).json(t, &list)
		if list.Total != 5 {
			t.Errorf("a failed request stored something: %d plans", list.Total)
		}
		c.expect(c.do("DELETE", path, nil), 428)
		c.expect(c.do("DELETE", path, nil, "If-Match", `"v2"`), 204)
		c.expect(c.do("GET", path, nil), 404)
	})
}

func TestTasksAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", sample.Plan(3)), 201).json(t, &p)
		base := fmt.Sprintf("/api/v1/plans/%d/tasks", p.ID)
		var added struct {
			PlanVersion int64 `json:"plan_version"`
			Task        taskJSON
		}
		c.expect(c.do("POST", base, map[string]any{"version": 1, "position": 0, "content": "Nhiệm vụ *mới*", "lead": []string{"Sở Nội vụ"}, "deadline": "Quý II"}), 201).json(t, &added)
		if added.PlanVersion != 2 || added.Task.Position != 0 || added.Task.ID == 0 {
			t.Fatalf("added %+v", added)
		}
		c.expect(c.do("POST", base, map[string]any{"version": 1, "content": "x", "lead": []string{"A"}}), 412)
		p2 := c.expect(c.do("POST", base, map[string]any{"version": 2, "content": "", "lead": []string{}}), 422).problem(t)
		if len(p2.Errors) < 2 {
			t.Errorf("empty task: %+v", p2)
		}
		var list struct {
			PlanVersion int64 `json:"plan_version"`
			Items       []taskJSON
		}
		c.expect(c.do("GET", base, nil), 200).json(t, &list)
		if len(list.Items) != 4 || list.Items[0].Content != "Nhiệm vụ *mới*" {
			t.Fatalf("list %+v", list)
		}
		// Reorder: reverse.
		var order []int64
		for i := len(list.Items) - 1; i >= 0; i-- {
			order = append(order, list.Items[i].ID)
		}
		c.expect(c.do("PUT", base+"/order", map[string]any{"version": 2, "appendix": 0, "order": order[:3]}), 422)
		c.expect(c.do("PUT", base+"/order", map[string]any{"version": 2, "appendix": 0, "order": order}), 200)
		c.expect(c.do("GET", base, nil), 200).json(t, &list)
		if list.Items[0].ID != order[0] || list.PlanVersion != 3 {
			t.Errorf("after reorder %+v", list)
		}
		// Update keeps the id.
		id := list.Items[1].ID
		c.expect(c.do("PUT", fmt.Sprintf("%s/%d", base, id), map[string]any{"content": "Đã sửa", "lead": []string{"Sở Tư pháp"}}, "If-Match", `"v3"`), 200)
		c.expect(c.do("PUT", fmt.Sprintf("%s/%d", base, 99999), map[string]any{"content": "x", "lead": []string{"A"}}, "If-Match", `"v4"`), 404)
		c.expect(c.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil, "If-Match", `"v3"`), 412)
		c.expect(c.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil, "If-Match", `"v4"`), 204)
		c.expect(c.do("GET", base, nil), 200).json(t, &list)
		if len(list.Items) != 3 {
			t.Errorf("after delete: %d tasks", len(list.Items))
		}
	})
}

func TestDownloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		d := sample.Plan(5)
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", d), 201).json(t, &p)
		for _, f := range []struct{ path, ct, ascii, utf string }{
			{"document.pdf", typePDF, "Ke-hoach-15-KH-UBND.pdf", "K%E1%BA%BF%20ho%E1%BA%A1ch%2015-KH-UBND.pdf"},
			{"appendix.pdf", typePDF, "Phu-luc-Ke-hoach-15-KH-UBND.pdf", "Ph%E1%BB%A5%20l%E1%BB%A5c%20K%E1%BA%BF%20ho%E1%BA%A1ch%2015-KH-UBND.pdf"},
			{"appendix.xlsx", typeXLSX, "Phu-luc-Ke-hoach-15-KH-UBND.xlsx", "Ph%E1%BB%A5%20l%E1%BB%A5c%20K%E1%BA%BF%20ho%E1%BA%A1ch%2015-KH-UBND.xlsx"},
			{"document.docx", typeDOCX, "Ke-hoach-15-KH-UBND.docx", "K%E1%BA%BF%20ho%E1%BA%A1ch%2015-KH-UBND.docx"},
			{"appendix.docx", typeDOCX, "Phu-luc-Ke-hoach-15-KH-UBND.docx", "Ph%E1%BB%A5%20l%E1%BB%A5c%20K%E1%BA%BF%20ho%E1%BA%A1ch%2015-KH-UBND.docx"},
		} {
			r := c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d/%s", p.ID, f.path), nil), 200)
			if r.header.Get("Content-Type") != f.ct || r.header.Get("Content-Length") != fmt.Sprint(len(r.body)) {
				t.Errorf("%s: headers %v", f.path, r.header)
			}
			want := `attachment; filename=` + f.ascii + `; filename*=UTF-8''` + f.utf
			if got := r.header.Get("Content-Disposition"); got != want {
				t.Errorf("%s: Content-Disposition\n got %s\nwant %s", f.path, got, want)
			}
			etag := r.header.Get("ETag")
			if len(etag) != 34 {
				t.Errorf("%s: ETag %q", f.path, etag)
			}
			c.expect(c.do("GET", fmt.Sprintf("/api/v1/plans/%d/%s", p.ID, f.path), nil, "If-None-Match", etag), 304)
		}
	})
}

func TestRenderEndpoint(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	body := fixtureJSON(t, "thanh-tri-2022")
	r := c.expect(c.do("POST", "/api/v1/render", body, "Accept", "application/pdf"), 200)
	if !bytes.HasPrefix(r.body, []byte("%PDF-1.4")) {
		t.Error("not a PDF")
	}
	r = c.expect(c.do("POST", "/api/v1/render?doc=appendix", body, "Accept", typeXLSX), 200)
	if r.header.Get("Content-Type") != typeXLSX || !bytes.HasPrefix(r.body, []byte("PK")) {
		t.Error("not an XLSX")
	}
	c.expect(c.do("POST", "/api/v1/render?format=xlsx", body), 422)
	c.expect(c.do("POST", "/api/v1/render", body, "Accept", "text/html"), 406)
	c.expect(c.do("POST", "/api/v1/render?format=odt", body), 422)
	for _, ask := range [][]string{{"/api/v1/render?format=docx"}, {"/api/v1/render?doc=appendix", "Accept", typeDOCX}} {
		r = c.expect(c.do("POST", ask[0], body, ask[1:]...), 200)
		if r.header.Get("Content-Type") != typeDOCX || !bytes.HasPrefix(r.body, []byte("PK")) {
			t.Errorf("%s: not a DOCX", ask[0])
		}
	}
	p := c.expect(c.do("POST", "/api/v1/render", strings.Replace(string(body), `"kind": "KH"`, `"kind": "KH", "extra": true`, 1)), 422).problem(t)
	if !hasField(p, "extra") {
		t.Errorf("unknown field: %+v", p)
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	m["title"] = "Tuyên truyền 中文"
	p = c.expect(c.do("POST", "/api/v1/render", m), 422).problem(t)
	if !hasField(p, "title") {
		t.Errorf("missing glyph: %+v", p)
	}
	var list struct{ Total int64 }
	c.expect(c.do("GET", "/api/v1/plans", nil), 200).json(t, &list)
	if list.Total != 0 {
		t.Error("render stored a plan")
	}
	// Every render slot taken: 503 with Retry-After, not a pile-up.
	for i := 0; i < cap(c.srv.renders); i++ {
		c.srv.renders <- struct{}{}
	}
	r = c.expect(c.do("POST", "/api/v1/render", body), 503)
	if r.header.Get("Retry-After") == "" || r.problem(t).Type != problemBase+"busy" {
		t.Errorf("busy: %v %s", r.header, r.body)
	}
	for i := 0; i < cap(c.srv.renders); i++ {
		<-c.srv.renders
	}
}

// TestConcurrentUpdates: many clients update one plan at once with the
// version they read; every accepted update is in the final state, every
// rejected one got 412, and the version counts the accepted ones.
func TestConcurrentUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClient(t, st, Config{})
		var p planJSON
		c.expect(c.do("POST", "/api/v1/plans", sample.Plan(2)), 201).json(t, &p)
		path := fmt.Sprintf("/api/v1/plans/%d", p.ID)
		const workers, rounds = 8, 5
		var mu sync.Mutex
		accepted := map[string]bool{}
		rejected := 0
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for r := 0; r < rounds; r++ {
					var cur planJSON
					res := c.do("GET", path, nil)
					if err := json.Unmarshal(res.body, &cur); err != nil {
						t.Error(err)
						return
					}
					mark := fmt.Sprintf("Đơn vị %d-%d", w, r)
					cur.Document.Recipients = append(cur.Document.Recipients, mark)
					body, _ := json.Marshal(cur.Document)
					res = c.do("PUT", path, body, "If-Match", fmt.Sprintf(`"v%d"`, cur.Version))
					mu.Lock()
					switch res.status {
					case 200:
						accepted[mark] = true
					case 412:
						rejected++
					default:
						t.Errorf("status %d: %s", res.status, res.body)
					}
					mu.Unlock()
				}
			}(w)
		}
		wg.Wait()
		var final planJSON
		c.expect(c.do("GET", path, nil), 200).json(t, &final)
		seen := map[string]bool{}
		for _, r := range final.Document.Recipients {
			seen[r] = true
		}
		for m := range accepted {
			if !seen[m] {
				t.Errorf("accepted update %q was lost", m)
			}
		}
		if int(final.Version) != 1+len(accepted) || len(accepted)+rejected != workers*rounds {
			t.Errorf("version %d, %d accepted, %d rejected", final.Version, len(accepted), rejected)
		}
		if len(accepted) == 0 {
			t.Error("no update was accepted")
		}
	})
}

var _ = doc.FieldError{}

// TestEmbeddedFieldNames: type errors in bodies whose Go types embed
// structs name the JSON field only.
func TestEmbeddedFieldNames(t *testing.T) {
	c := newClient(t, storetest.SQLite(t), Config{})
	var m map[string]any
	json.Unmarshal(fixtureJSON(t, "thanh-tri-2022"), &m)
	m["title"] = 5
	p := c.expect(c.do("POST", "/api/v1/plans", m), 422).problem(t)
	if !hasField(p, "title") {
		t.Errorf("plan: %+v", p.Errors)
	}
}
