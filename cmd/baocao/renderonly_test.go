package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestRenderOnlyBinary: baocao built with -tags renderonly (baocao-render,
// README: "Memory") links none of the server, the database, the jobs or
// their drivers; it renders a plan and a report to the same bytes as
// baocao, and answers serve, migrate, worker, user and key with a usage
// error naming the binary that has them.
func TestRenderOnlyBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	out, err := exec.Command(goTool(), "list", "-tags", "renderonly", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, heavy := range []string{"baocao/api/server", "baocao/api/store", "baocao/api/demo", "baocao/jobs", "gorm.io/", "github.com/riverqueue/", "github.com/jackc/", "github.com/ncruces/", "github.com/labstack/echo", "github.com/prometheus/"} {
			if strings.HasPrefix(pkg, heavy) {
				t.Errorf("baocao-render links %s", pkg)
			}
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "baocao-render")
	build := exec.Command(goTool(), "build", "-tags", "renderonly", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags renderonly: %v\n%s", err, out)
	}
	for _, c := range [][]string{
		{"render", "--in", fixture, "--doc", "appendix", "--out", "-"},
		{"render", "--in", fixture, "--doc", "plan", "--pdfa", "--out", "-"},
		{"render", "--in", fixture, "--doc", "appendix", "--format", "xlsx", "--out", "-"},
		{"report", "--in", fixture, "--progress", "../../testdata/progress/lai-chau-2024.json", "--period", "2024-Q1", "--format", "pdf", "--out", "-"},
	} {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, c...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("baocao-render %s: %v\n%s", strings.Join(c, " "), err, stderr.String())
		}
		code, want, _ := runCLI(t, "", c...)
		if code != 0 || stdout.String() != want {
			t.Errorf("%s: baocao-render wrote %d bytes, baocao %d (exit %d)", strings.Join(c, " "), stdout.Len(), len(want), code)
		}
	}
	for _, cmdName := range []string{"serve", "migrate", "worker", "user", "key"} {
		cmd := exec.Command(bin, cmdName)
		msg, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(msg), cmdName+" is not in baocao-render") {
			t.Errorf("baocao-render %s: %v\n%s", cmdName, err, msg)
		}
	}
	help, err := exec.Command(bin, "help").Output()
	if err != nil || !strings.Contains(string(help), "baocao-render render") || strings.Contains(string(help), "render serve") {
		t.Errorf("help: %v\n%s", err, help)
	}
}
