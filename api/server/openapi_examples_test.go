package server

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"baocao/domain"
	"baocao/reports/doc"
)

// TestOpenAPIFixtures: every seed plan is a valid body of the operations
// that take a document (POST /plans, PUT /plans/{id}, POST /render), by the
// served schemas; and the Lai Châu progress file's submissions and agencies,
// written as the API's bodies, are valid progress and agency bodies, by the
// schemas and by the decoder.
func TestOpenAPIFixtures(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	plans, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(plans) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range plans {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range []string{"POST /api/v1/plans", "PUT /api/v1/plans/{id}", "POST /api/v1/render"} {
			method, path, _ := strings.Cut(op, " ")
			if err := spec.validate(requestSchema(method, path), data); err != nil {
				t.Errorf("%s as the body of %s: %v", filepath.Base(f), op, err)
			}
		}
	}

	progressFiles, _ := filepath.Glob("../../testdata/progress/*.json")
	if len(progressFiles) == 0 {
		t.Fatal("no progress fixtures")
	}
	for _, f := range progressFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Agencies    []map[string]any `json:"agencies"`
			Submissions []map[string]any `json:"submissions"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		check := func(what, op string, body map[string]any, into any) {
			t.Helper()
			method, path, _ := strings.Cut(op, " ")
			b, _ := json.Marshal(body)
			if err := spec.validate(requestSchema(method, path), b); err != nil {
				t.Errorf("%s %s as the body of %s: %v\n%s", filepath.Base(f), what, op, err, b)
			}
			if err := doc.DecodeJSON(b, into); err != nil {
				t.Errorf("%s %s: the decoder refuses it: %v", filepath.Base(f), what, err)
			}
		}
		for i, a := range file.Agencies {
			check("agencies["+itoa(i)+"]", "POST /api/v1/agencies", a, new(domain.AgencyInput))
		}
		for i, s := range file.Submissions {
			// The file names a task by its STT and keeps the time it was
			// made; the API takes the task's id and stamps the time.
			body := map[string]any{}
			for k, v := range s {
				switch k {
				case "task":
					body["task_id"] = v
				case "submitted_at":
				default:
					body[k] = v
				}
			}
			check("submissions["+itoa(i)+"]", "POST /api/v1/plans/{id}/progress", body, new(domain.SubmitInput))
		}
		if len(file.Submissions) == 0 {
			t.Errorf("%s: no submissions", f)
		}
	}
}

// TestOpenAPIReadmeExamples: every JSON body the README sends — curl's
// -d/--data/--data-binary (inline or @file; not a PDF sent as
// application/pdf), and the `METHOD /path`
// `{…}` examples of the API table — is a valid body of its operation.
func TestOpenAPIReadmeExamples(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	type example struct {
		method, path, body, where string
	}
	var examples []example
	// curl commands, continuation lines joined.
	text := strings.ReplaceAll(string(readme), "\\\n", " ")
	for n, line := range strings.Split(text, "\n") {
		i := strings.Index(line, "curl ")
		if i < 0 || !strings.Contains(line, "/api/v1/") {
			continue
		}
		args := shellWords(line[i:])
		method, target, body, binary := "GET", "", "", false
		for j := 1; j < len(args); j++ {
			switch a := args[j]; {
			case a == "-X" && j+1 < len(args):
				method = args[j+1]
				j++
			case (a == "-d" || a == "--data" || a == "--data-binary" || a == "--data-raw") && j+1 < len(args):
				body = args[j+1]
				if method == "GET" {
					method = "POST"
				}
				j++
			case a == "-H" || a == "-o" || a == "-D":
				// A PDF sent to sign or verify is not a JSON body.
				binary = binary || a == "-H" && j+1 < len(args) && strings.EqualFold(args[j+1], "Content-Type: application/pdf")
				j++
			case strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://"):
				target = a
			}
		}
		if body == "" || binary {
			continue
		}
		if strings.HasPrefix(body, "@") {
			data, err := os.ReadFile(filepath.Join("../..", body[1:]))
			if err != nil {
				t.Errorf("README line %d: %v", n+1, err)
				continue
			}
			body = string(data)
		}
		u, err := url.Parse(target)
		if err != nil || u.Path == "" {
			t.Errorf("README line %d: no URL in %q", n+1, line)
			continue
		}
		examples = append(examples, example{method, u.Path, body, "README line " + itoa(n+1)})
	}
	// The API table's inline bodies: `POST /agencies/{id}/merge` `{"into": 7}`.
	inline := regexp.MustCompile("`(GET|POST|PUT|DELETE) (/[^` ]*)` `(\\{[^`]*\\})`")
	for _, m := range inline.FindAllStringSubmatch(string(readme), -1) {
		path := m[2]
		if !strings.HasPrefix(path, "/api/") {
			path = "/api/v1" + path
		}
		path = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(path, "1")
		examples = append(examples, example{m[1], path, m[3], "README " + m[0]})
	}
	if len(examples) < 4 {
		t.Fatalf("found only %d README examples with a body: %+v", len(examples), examples)
	}
	for _, ex := range examples {
		o, ok := spec.operation(ex.method, ex.path)
		if !ok {
			t.Errorf("%s: %s %s is not in the description", ex.where, ex.method, ex.path)
			continue
		}
		if err := spec.validate(requestSchema(o.method, o.path), []byte(ex.body)); err != nil {
			t.Errorf("%s: the body of %s %s: %v\n%.500s", ex.where, o.method, o.path, err, ex.body)
		}
		if !json.Valid([]byte(ex.body)) || bytes.TrimSpace([]byte(ex.body))[0] != '{' {
			t.Errorf("%s: not a JSON object: %.200s", ex.where, ex.body)
		}
	}
}

// shellWords splits a command line as a POSIX shell would for the simple
// quoting the README uses ('…', "…", and bare words).
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}
