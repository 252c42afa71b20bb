package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "progress.json")
	os.WriteFile(prog, []byte(`{"plan": "lai-chau-2024", "submissions": [
	  {"task": 1, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "done", "completed_on": "2024-03-10",
	   "result": "Đăng 24 tin bài", "figures": [{"name": "tin bài", "value": 24, "unit": "tin bài"}],
	   "submitted_by": "Nguyễn Thị Hoa", "submitted_at": "2024-03-12T09:30:00+07:00"}]}`), 0o644)
	for _, format := range []string{"pdf", "xlsx"} {
		out := filepath.Join(dir, "bao-cao."+format)
		code, _, stderr := runCLI(t, "", "report", "--in", fixture, "--progress", prog, "--period", "2024-H1", "--format", format, "--out", out)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		a, _ := os.ReadFile(out)
		runCLI(t, "", "report", "--in", fixture, "--progress", prog, "--period", "2024-H1", "--format", format, "--out", out)
		b, _ := os.ReadFile(out)
		if len(a) < 1000 || !bytes.Equal(a, b) {
			t.Errorf("%s: %d bytes, deterministic %v", format, len(a), bytes.Equal(a, b))
		}
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"submissions": [{"task": 99, "period": "2024-Q1", "agency": "X", "status": "done", "submitted_by": "A", "submitted_at": "2024-03-12T09:30:00+07:00"}]}`), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--in", fixture}, 2, "are required"},
		{[]string{"report", "--in", fixture, "--progress", prog, "--period", "2024-Q5", "--out", "x.pdf"}, 2, "--period"},
		{[]string{"report", "--in", fixture, "--progress", bad, "--period", "2024-Q1", "--out", filepath.Join(dir, "x.pdf")}, 1, "submissions[0].task: the plan has tasks 1 to 14, not 99"},
		{[]string{"report", "--in", fixture, "--progress", prog, "--period", "2024-H1", "--as-of", "2099-01-01", "--out", filepath.Join(dir, "x.pdf")}, 2, "--as-of: ngày lấy số liệu 01/01/2099 chưa đến"},
		{[]string{"report", "--in", fixture, "--progress", prog, "--period", "2024-H1", "--as-of", "2023-12-31", "--out", filepath.Join(dir, "x.pdf")}, 2, "before the period's first day 2024-01-01"},
	} {
		code, _, stderr := runCLI(t, "", c.args...)
		if code != c.code || !bytes.Contains([]byte(stderr), []byte(c.want)) {
			t.Errorf("%v: exit %d, stderr %s", c.args, code, stderr)
		}
	}
}
