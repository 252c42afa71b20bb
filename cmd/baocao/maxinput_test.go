package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestMaxInput: --max-input (and BAOCAO_MAX_INPUT) is the largest
// document render and report read: a file of exactly the limit renders,
// one byte less refuses it with exit 1, naming the file and the way to
// raise the limit, and writes nothing; standard input alike; a limit that
// is not a positive number is a usage error (exit 2).
func TestMaxInput(t *testing.T) {
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	size := strconv.Itoa(len(raw))
	less := strconv.Itoa(len(raw) - 1)
	dir := t.TempDir()
	out := filepath.Join(dir, "a.pdf")
	if code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--max-input", size, "--out", out); code != 0 {
		t.Fatalf("at the limit: exit %d: %s", code, stderr)
	}
	os.Remove(out)
	code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--max-input", less, "--out", out)
	if code != 1 || !strings.Contains(stderr, fixture) || !strings.Contains(stderr, "larger than "+less+" bytes") || !strings.Contains(stderr, "--max-input") {
		t.Errorf("over the limit: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused document left a file")
	}
	code, stdout, stderr := runCLI(t, string(raw), "render", "--in", "-", "--out", "-", "--max-input", less)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "larger than "+less+" bytes") {
		t.Errorf("standard input over the limit: exit %d: %s", code, stderr)
	}
	prog := filepath.Join(dir, "progress.json")
	os.WriteFile(prog, []byte(`{"submissions": []}`), 0o644)
	code, _, stderr = runCLI(t, "", "report", "--in", fixture, "--progress", prog, "--period", "2024-Q1", "--out", out, "--max-input", less)
	if code != 1 || !strings.Contains(stderr, "larger than "+less+" bytes") {
		t.Errorf("report over the limit: exit %d: %s", code, stderr)
	}
	t.Setenv("BAOCAO_MAX_INPUT", less)
	if code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--out", out); code != 1 || !strings.Contains(stderr, "larger than "+less) {
		t.Errorf("BAOCAO_MAX_INPUT: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--out", out, "--max-input", size); code != 0 {
		t.Errorf("the flag wins over BAOCAO_MAX_INPUT: exit %d: %s", code, stderr)
	}
	t.Setenv("BAOCAO_MAX_INPUT", "8MB")
	if code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--out", out); code != 2 || !strings.Contains(stderr, "BAOCAO_MAX_INPUT") {
		t.Errorf("BAOCAO_MAX_INPUT=8MB: exit %d: %s", code, stderr)
	}
	t.Setenv("BAOCAO_MAX_INPUT", "")
	if code, _, stderr := runCLI(t, "", "render", "--in", fixture, "--out", out, "--max-input", "0"); code != 2 || !strings.Contains(stderr, "--max-input") {
		t.Errorf("--max-input 0: exit %d: %s", code, stderr)
	}
}
