package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baocao/api/store/storetest"
	"baocao/jobs"
)

const fixture = "../../testdata/plans/lai-chau-2024.json"

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func TestRenderFiles(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ doc, format, magic string }{
		{"plan", "pdf", "%PDF-1.4"},
		{"appendix", "pdf", "%PDF-1.4"},
		{"appendix", "xlsx", "PK"},
	} {
		out := filepath.Join(dir, c.doc+"."+c.format)
		code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--doc", c.doc, "--format", c.format, "--out", out)
		if code != 0 {
			t.Fatalf("%s %s: exit %d: %s", c.doc, c.format, code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil || !bytes.HasPrefix(b, []byte(c.magic)) {
			t.Errorf("%s %s: file does not start with %q (%v)", c.doc, c.format, c.magic, err)
		}
	}
}

func TestRenderToStdout(t *testing.T) {
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, string(raw), "render", "--in", "-", "--out", "-")
	if code != 0 || !strings.HasPrefix(stdout, "%PDF-") {
		t.Fatalf("exit %d, stderr %s, stdout %.10q", code, stderr, stdout)
	}
}

func TestRenderErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	valid, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	// mutate writes the fixture with one field changed.
	mutate := func(name, field string, value any) string {
		var m map[string]any
		if err := json.Unmarshal(valid, &m); err != nil {
			t.Fatal(err)
		}
		m[field] = value
		b, _ := json.Marshal(m)
		return write(name, string(b))
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"paint"}, 2, `unknown command "paint"`},
		{"unknown flag", []string{"render", "--colour", "red"}, 2, "flag provided but not defined: -colour"},
		{"no input", []string{"render"}, 2, "--in is required"},
		{"bad doc", []string{"render", "--in", fixture, "--doc", "memo"}, 2, "--doc must be plan or appendix"},
		{"bad format", []string{"render", "--in", fixture, "--format", "odt"}, 2, "--format must be pdf, xlsx or docx"},
		{"bad report format", []string{"report", "--in", fixture, "--progress", "p.json", "--period", "2024-Q1", "--format", "odt", "--out", "x"}, 2, "--format must be pdf, xlsx or docx"},
		{"plan as xlsx", []string{"render", "--in", fixture, "--format", "xlsx"}, 2, "use --doc appendix"},
		{"missing file", []string{"render", "--in", filepath.Join(dir, "nope.json")}, 1, "no such file"},
		{"invalid JSON", []string{"render", "--in", write("bad.json", "{\n  \"kind\": \"KH\",\n  oops\n}")}, 1, "invalid JSON at line 3"},
		{"unknown field", []string{"render", "--in", write("unk.json", strings.Replace(string(valid), `"kind"`, `"colour": "red", "kind"`, 1))}, 1, "colour: trường không có trong mẫu / unknown field"},
		{"wrong type", []string{"render", "--in", mutate("type.json", "title", 5)}, 1, "title: sai kiểu: cần chuỗi, nhận số / wrong type: want a string, got a number"},
		{"impossible date", []string{"render", "--in", mutate("date.json", "date", "2024-02-31")}, 1, `date: date "2024-02-31": no such day`},
		{"empty title", []string{"render", "--in", mutate("title.json", "title", " ")}, 1, "title: is required"},
		{"missing glyph", []string{"render", "--in", mutate("glyph.json", "title", "中 Tuyên truyền"), "--out", filepath.Join(dir, "g.pdf")}, 1, `title: contains "中" (U+4E2D), which the font Liberation Serif cannot draw`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, c.code, stderr, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "g.pdf")); !os.IsNotExist(err) {
		t.Error("a failed render left an output file")
	}
}

// TestServeRefusesSchemaBehind: serve will not start against a PostgreSQL
// database whose schema is behind, and says what to run; migrate fixes it.
func TestServeRefusesSchemaBehind(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	code, _, stderr := runCLI(t, "", "serve", "--database-url", cfg.DatabaseURL, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, `run "baocao migrate"`) {
		t.Fatalf("serve on an empty schema: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "migrate", "--database-url", cfg.DatabaseURL); code != 0 {
		t.Fatalf("migrate: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "serve", "--database-url", cfg.DatabaseURL, "--max-renders", "-1"); code != 2 || !strings.Contains(stderr, "must be positive") {
		t.Errorf("bad flag: exit %d, %s", code, stderr)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	storetest.Stop()
	os.Exit(code)
}

// TestEnvBool: boolean settings read true/false/1/0/yes/no alike; anything
// else stops serve with the variable named.
func TestEnvBool(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "TRUE": true, "1": true, "yes": true, "false": false, "0": false, "No": false, "": true} {
		t.Setenv("BAOCAO_DEMO", v)
		ev := &envReader{}
		if got := ev.Bool("BAOCAO_DEMO", true); got != want || len(ev.errs) != 0 {
			t.Errorf("BAOCAO_DEMO=%q: %v %v", v, got, ev.errs)
		}
	}
	t.Setenv("BAOCAO_SECURE_COOKIES", "oui")
	code, _, errOut := runCLI(t, "", "serve", "--db", t.TempDir()+"/x.db")
	if code != 2 || !strings.Contains(errOut, `BAOCAO_SECURE_COOKIES="oui"`) {
		t.Errorf("a bad boolean: %d %s", code, errOut)
	}
}

// TestServeRefusesRiverBehind: baocao's schema current but River's tables
// missing: serve refuses and says to migrate; migrate adds them.
func TestServeRefusesRiverBehind(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	st := storetest.Open(t, cfg) // baocao's migrations only
	code, _, stderr := runCLI(t, "", "serve", "--database-url", cfg.DatabaseURL, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "River") || !strings.Contains(stderr, `run "baocao migrate"`) {
		t.Fatalf("serve without River's tables: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "migrate", "--database-url", cfg.DatabaseURL); code != 0 {
		t.Fatalf("migrate: exit %d, %s", code, stderr)
	}
	if err := jobs.CheckSchema(context.Background(), st); err != nil {
		t.Errorf("after migrate: %v", err)
	}
}

// TestJobFlags: bad background-job settings stop serve and worker with
// exit 2, naming the flag.
func TestJobFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"serve", "--db", db, "--webhook-allow", "10.0.0.0/33"}, "--webhook-allow"},
		{[]string{"serve", "--db", db, "--smtp-host", "mail.example.vn"}, "sender"},
		{[]string{"serve", "--db", db, "--smtp-host", "mail.example.vn", "--mail-from", "a@b.vn", "--smtp-tls", "maybe"}, "starttls, tls or none"},
		{[]string{"serve", "--db", db, "--notify", "vanphong"}, "--notify"},
		{[]string{"serve", "--db", db, "--smtp-ca", db + ".missing"}, "--smtp-ca"},
		{[]string{"worker", "--db", db, "--render-workers", "0"}, "must be positive"},
		{[]string{"worker", "--db", db, "--workers=false"}, "flag provided but not defined"},
	} {
		code, _, errOut := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.msg)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a refused start created the database")
	}
}

// writeFile writes body to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
