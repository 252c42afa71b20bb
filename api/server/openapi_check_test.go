package server

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The served OpenAPI description, compiled once for the tests: request
// bodies (fixtures, README examples) and every JSON response the API tests
// receive are validated against its schemas (JSON Schema 2020-12, the
// dialect of OpenAPI 3.1) with github.com/santhosh-tekuri/jsonschema/v6.

const specURL = "mem://baocao/openapi.json"

type apiSpec struct {
	raw map[string]any
	ops []specOp

	mu       sync.Mutex // guards c and compiled
	c        *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// specOp is one operation: its method, path template and the regular
// expression matching the paths it serves.
type specOp struct {
	method, path string
	re           *regexp.Regexp
	params       int
	op           map[string]any
}

var (
	specOnce   sync.Once
	theSpec    *apiSpec
	theSpecErr error
)

// loadSpec compiles the description the server serves (openAPIDoc; the
// served one only adds each operation's x-roles and security).
func loadSpec() (*apiSpec, error) {
	specOnce.Do(func() { theSpec, theSpecErr = newSpec(openAPIDoc) })
	return theSpec, theSpecErr
}

func newSpec(src []byte) (*apiSpec, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	raw, _ := v.(map[string]any)
	closeObjects(raw["components"])
	closeObjects(raw["paths"])
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(specURL, v); err != nil {
		return nil, err
	}
	s := &apiSpec{raw: raw, c: c, compiled: map[string]*jsonschema.Schema{}}
	paths, _ := raw["paths"].(map[string]any)
	param := regexp.MustCompile(`\\\{[a-z_]+\\\}`)
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method, op := range ops {
			o, ok := op.(map[string]any)
			if !ok || !strings.Contains("get put post delete patch head options", method) {
				continue
			}
			re := "^" + param.ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`) + "$"
			s.ops = append(s.ops, specOp{method: strings.ToUpper(method), path: path, re: regexp.MustCompile(re),
				params: strings.Count(path, "{"), op: o})
		}
	}
	// A literal segment wins over a parameter (tasks/order over tasks/{task}).
	sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].params < s.ops[j].params })
	return s, nil
}

// closeObjects makes every object schema that lists its properties and
// says nothing of others refuse them (additionalProperties: false), for the
// tests only: the published description leaves responses open to new
// fields, but a response with a field the description lacks fails here,
// including the answers built from maps rather than from a Go type that
// TestOpenAPISchemasMatchTypes walks.
func closeObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok {
			if _, set := v["additionalProperties"]; !set {
				v["additionalProperties"] = false
			}
			for _, p := range props {
				closeObjects(p)
			}
		}
		for k, x := range v {
			if k != "properties" && k != "example" && k != "examples" {
				closeObjects(x)
			}
		}
	case []any:
		for _, x := range v {
			closeObjects(x)
		}
	}
}

// pointer escapes a JSON Pointer token.
func pointer(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// schema compiles the schema at the JSON Pointer ptr of the description
// ("/components/schemas/Document").
func (s *apiSpec) schema(ptr string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[ptr]; ok {
		return sch, nil
	}
	sch, err := s.c.Compile(specURL + "#" + ptr)
	if err != nil {
		return nil, err
	}
	s.compiled[ptr] = sch
	return sch, nil
}

// validate checks a JSON text against the schema at ptr.
func (s *apiSpec) validate(ptr string, data []byte) error {
	sch, err := s.schema(ptr)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(v)
}

// operation finds the operation serving method and path (no query).
func (s *apiSpec) operation(method, path string) (specOp, bool) {
	for _, o := range s.ops {
		if o.method == method && o.re.MatchString(path) {
			return o, true
		}
	}
	return specOp{}, false
}

// at follows a JSON Pointer in the raw description.
func (s *apiSpec) at(ptr string) (any, bool) {
	var v any = s.raw
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if v, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return v, true
}

// requestSchema is the pointer to the JSON request body schema of the
// operation method path (a template such as "/api/v1/plans/{id}").
func requestSchema(method, path string) string {
	return "/paths/" + pointer(path) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
}

// isJSON reports whether a media type is JSON (application/json, …+json).
func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

// checkResponse checks one response against the operation serving method
// and path: the status must be documented (or a default), the content type
// one the status lists, and a JSON body must validate against its schema.
// A path or method the description does not have is not checked here
// (TestOpenAPICoversRoutes compares the routes).
func (s *apiSpec) checkResponse(method, path string, status int, contentType string, size int64, body []byte) error {
	o, ok := s.operation(method, path)
	if !ok {
		return nil
	}
	base := "/paths/" + pointer(o.path) + "/" + strings.ToLower(method) + "/responses/"
	code := strconv.Itoa(status)
	resp, ok := s.at(base + code)
	if !ok {
		code = code[:1] + "XX"
		if resp, ok = s.at(base + code); !ok {
			code = "default"
			if resp, ok = s.at(base + code); !ok {
				return fmt.Errorf("status %d is not documented for %s %s", status, method, o.path)
			}
		}
	}
	ptr := base + pointer(code)
	if m, _ := resp.(map[string]any); m != nil {
		if ref, _ := m["$ref"].(string); strings.HasPrefix(ref, "#/") {
			ptr = ref[1:]
			resp, _ = s.at(ptr)
		}
	}
	if size == 0 {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("status %d of %s %s: content type %q: %v", status, method, o.path, contentType, err)
	}
	content, _ := resp.(map[string]any)["content"].(map[string]any)
	var key string
	var listed []string
	for k := range content {
		listed = append(listed, k)
		if kt, _, err := mime.ParseMediaType(k); err == nil && kt == mt {
			key = k
		}
	}
	if key == "" {
		sort.Strings(listed)
		return fmt.Errorf("status %d of %s %s: content type %q is not documented (documented: %v)", status, method, o.path, mt, listed)
	}
	if !isJSON(mt) {
		return nil
	}
	if _, ok := s.at(ptr + "/content/" + pointer(key) + "/schema"); !ok {
		return nil
	}
	if err := s.validate(ptr+"/content/"+pointer(key)+"/schema", body); err != nil {
		return fmt.Errorf("status %d of %s %s does not match its schema (%s): %v\n%.2000s", status, method, o.path, ptr, err, body)
	}
	return nil
}

// specChecked wraps the test server's handler: every response to an
// operation of the description is checked (checkResponse) and the
// mismatches are reported by the returned function, which the caller runs
// at cleanup once the server has closed, so a response finished after its
// test's last line still fails that test. Only JSON bodies are kept.
func specChecked(t testing.TB, h http.Handler) (http.Handler, func()) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		if !tw.wrote {
			tw.status = http.StatusOK
		}
		if err := spec.checkResponse(r.Method, r.URL.Path, tw.status, tw.contentType, tw.size, tw.body.Bytes()); err != nil {
			mu.Lock()
			problems = append(problems, err.Error())
			mu.Unlock()
		}
	})
	return wrapped, func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("response differs from the OpenAPI description: %s", p)
		}
	}
}

// teeWriter passes a response through, keeping its status, content type
// and, when it is JSON, its body.
type teeWriter struct {
	http.ResponseWriter
	wrote       bool
	status      int
	contentType string
	json        bool
	size        int64
	body        bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.wrote, w.status = true, code
		w.contentType = w.Header().Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(w.contentType)
		w.json = isJSON(mt)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	w.size += int64(len(b))
	if w.json {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestOpenAPIResponseCheck: the check refuses what the description does
// not say: a field it lacks, a status or content type it does not list.
func TestOpenAPIResponseCheck(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	ok := []byte(`{"status":"ok"}`)
	for _, c := range []struct {
		method, path string
		status       int
		ct           string
		body         []byte
		bad          bool
	}{
		{"GET", "/healthz", 200, "application/json", ok, false},
		{"GET", "/healthz", 200, "application/json", []byte(`{"status":"ok","extra":1}`), true},
		{"GET", "/healthz", 200, "text/plain", ok, true},
		{"GET", "/healthz", 418, "application/json", ok, true},
		{"GET", "/api/v1/plans/1/status", 200, "application/json", []byte(`{"period":"2024-Q1"}`), true},
		{"PUT", "/api/v1/plans/1/tasks/order", 404, "application/problem+json", []byte(`{"type":"/api/v1/problems/not-found","title":"x","status":404}`), false},
		{"GET", "/api/v1/plans/1/document.pdf", 200, "application/pdf", []byte("%PDF-"), false},
		{"GET", "/not/described", 418, "text/plain", []byte("x"), false},
	} {
		err := spec.checkResponse(c.method, c.path, c.status, c.ct, int64(len(c.body)), c.body)
		if (err != nil) != c.bad {
			t.Errorf("%s %s %d %s %s: %v", c.method, c.path, c.status, c.ct, c.body, err)
		}
	}
}
