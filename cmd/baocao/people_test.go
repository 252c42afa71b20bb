//go:build !renderonly

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"baocao/api/demo"
	"baocao/api/store"
)

func TestUserAndKeyCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "b.db")
	// A reporter needs an agency that exists: load the demo data first.
	st, err := store.Open(store.Config{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, out, errOut := runCLI(t, "", "user", "add", "--db", db, "--username", "Hoa.NT", "--role", "secretariat", "--name", "Nguyễn Thị Hoa",
		"--email", "hoa.nt@laichau.gov.vn")
	if code != 0 || !strings.Contains(out, "user hoa.nt created") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	pw := regexp.MustCompile(`password \(shown only now\): (\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("no password printed: %s", out)
	}
	// "Sở Nội vụ" of Lai Châu and of Bình Định: the CLI says which is which.
	code, _, errOut = runCLI(t, "", "user", "add", "--db", db, "--username", "sonoivu", "--role", "reporter", "--agency", "so noi vu")
	m := regexp.MustCompile(`--agency-id (\d+) \(under Ủy ban nhân dân tỉnh Lai Châu\)`).FindStringSubmatch(errOut)
	if code != 2 || m == nil || !strings.Contains(errOut, "Bình Định") {
		t.Fatalf("ambiguous agency: %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "mật khẩu của cán bộ báo cáo\n", "user", "add", "--db", db, "--username", "sonoivu",
		"--role", "reporter", "--agency-id", m[1], "--password-stdin")
	if code != 0 || strings.Contains(out, "password") || !strings.Contains(out, "Sở Nội vụ") {
		t.Fatalf("reporter add: %d %s %s", code, out, errOut)
	}
	// Mistakes: a clear message and exit 2 (usage) or 1, nothing created.
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"user", "add", "--db", db, "--username", "x", "--role", "boss"}, 2, "--role must be one of"},
		{[]string{"user", "add", "--db", db, "--username", "y", "--role", "reporter"}, 2, "--agency is required"},
		{[]string{"user", "add", "--db", db, "--username", "z", "--role", "reporter", "--agency", "Sở Không Có"}, 2, "no agency is named"},
		{[]string{"user", "add", "--db", db, "--username", "hoa.nt", "--role", "auditor"}, 1, "taken"},
		{[]string{"key", "create", "--db", db, "--name", "app", "--scope", "root"}, 2, "--scope must be render"},
		{[]string{"key", "revoke", "abc", "--db", db}, 2, "is not a key id"},
		{[]string{"user", "add", "--db", db, "--username", "w", "--role", "auditor", "--email", "Hoa <a@b.vn>"}, 2, "--email must be one e-mail address"},
		{[]string{"user", "frobnicate"}, 2, "unknown command"},
	} {
		code, _, errOut := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errOut, c.code, c.msg)
		}
	}
	code, out, _ = runCLI(t, "", "user", "list", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, "sonoivu") || !strings.Contains(out, "hoa.nt@laichau.gov.vn") {
		t.Errorf("user list: %s", out)
	}
	// Log in works with the printed password; keys work once and not after revoking.
	st, err = store.Open(store.Config{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, err := st.Authenticate(ctx, "hoa.nt", pw[1]); err != nil || u.Email != "hoa.nt@laichau.gov.vn" {
		t.Errorf("printed password: %v; e-mail %q", err, u.Email)
	}
	code, out, errOut = runCLI(t, "", "key", "create", "--db", db, "--name", "cổng thông tin", "--scope", "render", "--expires", "2160h")
	if code != 0 {
		t.Fatalf("key create: %d %s", code, errOut)
	}
	secret := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n"):])
	if _, _, err := st.KeyByToken(ctx, secret); err != nil {
		t.Fatalf("created key %q: %v", secret, err)
	}
	// The id after the flags, as people type it.
	if code, out, errOut := runCLI(t, "", "key", "revoke", "--db", db, "1"); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "key", "revoke", "--db", db, "1", "2"); code != 2 || !strings.Contains(errOut, "want one key id") {
		t.Errorf("two ids: %d %s", code, errOut)
	}
	if _, reason, err := st.KeyByToken(ctx, secret); err == nil || reason != "revoked" {
		t.Errorf("revoked key: %v %s", err, reason)
	}
	// The CLI's changes are in the audit trail.
	trail, _, err := st.AuditLog(ctx, store.AuditFilter{Actor: "cli", Limit: 100})
	if err != nil || len(trail) != 4 {
		t.Errorf("audit of the CLI: %d entries, %v", len(trail), err)
	}
}

func TestFirstAccounts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "b.db")
	st, err := store.Open(store.Config{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := firstAccounts(ctx, st, true, "http://127.0.0.1:8080", &out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"admin", "vanphong", "kiemtra", "coquan", "Văn phòng UBND tỉnh", "http://127.0.0.1:8080/login"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("first start message lacks %q:\n%s", w, out.String())
		}
	}
	m := regexp.MustCompile(`(?m)^  admin\s.*password (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no admin password in %s", out.String())
	}
	if u, err := st.Authenticate(ctx, "admin", m[1]); err != nil || u.Role != "admin" {
		t.Errorf("admin login: %v %+v", err, u)
	}
	// A second start makes nothing and prints nothing.
	out.Reset()
	if err := firstAccounts(ctx, st, true, "x", &out); err != nil || out.Len() != 0 {
		t.Errorf("second start: %v %q", err, out.String())
	}
}
