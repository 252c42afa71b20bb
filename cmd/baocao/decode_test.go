package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baocao/reports/sample"
)

// TestStrictFiles: plan, progress and narrative files go through the
// strict decoder: the message lists every problem with its field's full
// path, the exit code is 1 and nothing is written.
func TestStrictFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	hostile, err := sample.HostilePlan(raw)
	if err != nil {
		t.Fatal(err)
	}
	plan := write("hostile.json", string(hostile))
	prog := write("progress.json", `{"plan": "lai-chau-2024", "submissions": [
	  {"task": 1, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "done", "Status": "x",
	   "figures": [{"name": "tin bài", "value": "24", "unit": "tin bài"}], "submitted_at": "hôm qua"},
	  {"task": "2", "period": "2024-Q1", "period": "2024-Q2"}]}`)
	narrative := write("narrative.json", `{"shortcomings": ["a"], "causes": "Thiếu nhân lực.", "ketluan": "x"}`)
	out := filepath.Join(dir, "out.pdf")
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"plan", []string{"render", "--in", plan, "--out", out}, sample.HostileFields},
		{"plan on standard input", []string{"render", "--in", "-", "--out", out}, sample.HostileFields},
		{"report's plan", []string{"report", "--in", plan, "--progress", prog, "--period", "2024-Q1", "--out", out}, sample.HostileFields},
		{"progress", []string{"report", "--in", fixture, "--progress", prog, "--period", "2024-Q1", "--out", out}, []string{
			"submissions[0].Status: trường không có trong mẫu (tên trường phân biệt chữ hoa, chữ thường: có phải \"status\"?) / unknown field",
			"submissions[0].figures[0].value: sai kiểu: cần số, nhận chuỗi / wrong type: want a number, got a string",
			"submissions[0].submitted_at: giá trị không hợp lệ / invalid value",
			"submissions[1].task: sai kiểu: cần số nguyên, nhận chuỗi / wrong type: want an integer, got a string",
			"submissions[1].period: trường bị lặp lại trong cùng một đối tượng / duplicate field in the same object",
		}},
		{"narrative", []string{"report", "--in", fixture, "--progress", "../../testdata/progress/lai-chau-2024.json", "--period", "2024-Q1", "--narrative", narrative, "--out", out}, []string{
			"shortcomings: sai kiểu: cần chuỗi, nhận mảng / wrong type: want a string, got an array",
			"ketluan: trường không có trong mẫu / unknown field",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdin := ""
			if c.args[2] == "-" {
				stdin = string(hostile)
			}
			code, _, stderr := runCLI(t, stdin, c.args...)
			if code != 1 {
				t.Errorf("exit %d, want 1: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != len(c.want)+1 {
				t.Errorf("want a heading and %d problems, one a line:\n%s", len(c.want), stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, "\n  "+w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("a refused input left an output file")
			}
		})
	}
}
