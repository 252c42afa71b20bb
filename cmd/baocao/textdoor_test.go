package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLITextAtTheDoor: the command line's input files pass the same
// rule as the API: CR LF and Word's characters are cleaned, a character
// the font cannot draw is refused naming the file and the field, exit 1,
// and no output is written.
func TestCLITextAtTheDoor(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(valid, &m)
	// A plan typed on Windows, pasted from Word: renders.
	m["body"] = "## I. MỤC ĐÍCH\r\n\r\nĐoạn “một” – có\u00a0dấu\u200b…\r\nDòng hai."
	b, _ := json.Marshal(m)
	crlf := write("crlf.json", string(b))
	if code, _, stderr := runCLI(t, "", "render", "--in", crlf, "--out", filepath.Join(dir, "crlf.pdf")); code != 0 {
		t.Fatalf("CR LF plan: exit %d: %s", code, stderr)
	}
	tasks := m["appendices"].([]any)[0].(map[string]any)["tasks"].([]any)
	tasks[2].(map[string]any)["content"] = "Tuyên truyền 😀"
	b, _ = json.Marshal(m)
	emoji := write("emoji.json", string(b))

	prog := write("progress.json", `{"submissions": [
	  {"task": 1, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "in_progress",
	   "result": "Đăng tin\r\nbài 📰", "submitted_by": "Nguyễn Thị Hoa", "submitted_at": "2024-03-12T09:30:00+07:00"}]}`)
	progOK := write("progress-ok.json", `{"submissions": [
	  {"task": 1, "period": "2024-Q1", "agency": "Văn phòng UBND tỉnh", "status": "in_progress",
	   "result": "Đăng tin\r\nbài", "submitted_by": "Nguyễn Thị Hoa", "submitted_at": "2024-03-12T09:30:00+07:00"}]}`)
	narBad := write("nar-bad.json", `{"assessment": "Tốt\r\nlắm 👍"}`)
	narOK := write("nar-ok.json", `{"assessment": "Tốt\r\nlắm", "causes": "\t“Khách quan”"}`)
	out := filepath.Join(dir, "out.pdf")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"render", "--in", emoji, "--out", out}, 1, `appendices[0].tasks[2].content: contains "😀" (U+1F600)`},
		{[]string{"render", "--in", "-", "--out", out}, 1, "standard input has characters the font cannot draw"},
		{[]string{"report", "--in", emoji, "--progress", progOK, "--period", "2024-Q1", "--out", out}, 1, "U+1F600"},
		{[]string{"report", "--in", fixture, "--progress", prog, "--period", "2024-Q1", "--out", out}, 1,
			`progress.json has characters the font cannot draw:` + "\n" + `  submissions[0].result: contains "📰" (U+1F4F0)`},
		{[]string{"report", "--in", fixture, "--progress", progOK, "--period", "2024-Q1", "--narrative", narBad, "--out", out}, 1,
			`assessment: contains "👍" (U+1F44D)`},
	} {
		stdin := ""
		if c.args[2] == "-" {
			stdin = string(b)
		}
		code, _, stderr := runCLI(t, stdin, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %s\nwant %q", c.args[:3], code, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a refused input left an output file")
	}
	code, _, stderr := runCLI(t, "", "report", "--in", fixture, "--progress", progOK, "--period", "2024-Q1", "--narrative", narOK, "--out", out)
	if code != 0 {
		t.Errorf("CR LF progress and narrative: exit %d: %s", code, stderr)
	}
	db := filepath.Join(dir, "b.db")
	code, _, stderr = runCLI(t, "", "user", "add", "--db", db, "--username", "hoa", "--role", "secretariat", "--name", "Hoa 🌸")
	if code != 1 || !strings.Contains(stderr, `--name: contains "🌸" (U+1F338)`) {
		t.Errorf("user add with an emoji: exit %d: %s", code, stderr)
	}
}
