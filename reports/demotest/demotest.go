// Package demotest holds what tests of several packages read the Lai
// Châu demo and measure documents with: the demo plan with its progress
// file, and the Decree-30 layout checker (testdata/tools/decree30_check.py).
package demotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"baocao/reports/doc"
	"baocao/reports/progress"
)

// root is the repository's directory.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Need skips a test without its external tools, unless
// BAOCAO_REQUIRE_TOOLS=1 (set by .ci/run) makes that a failure.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required: %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// LaiChau reads the Lai Châu demo plan and its progress file as
// `baocao report` does: the submissions, and each task's lead agencies by
// identity (the progress file's aliases resolved).
func LaiChau(t testing.TB) (*doc.Document, []progress.Submission, map[int64][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(root(), "testdata", "plans", "lai-chau-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := doc.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	progress.TaskIDs(d)
	g, err := os.Open(filepath.Join(root(), "testdata", "progress", "lai-chau-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	pf, err := progress.ReadFile(g)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := pf.Resolve(d)
	if err != nil {
		t.Fatal(err)
	}
	leads, err := pf.LeadAgencies(d)
	if err != nil {
		t.Fatal(err)
	}
	return d, subs, leads
}

var checkerLine = regexp.MustCompile(`^(PASS|FAIL)  (.*?) — (.*)$`)

// Decree30 runs the Decree-30 layout checker on pdfs (a document and,
// optionally, its separate appendix): every rule must pass but the known
// ones (the rule's name, up to the first " —", and why), which must fail
// — one that passes now is to be taken out.
func Decree30(t testing.TB, known map[string]string, pdfs ...string) {
	t.Helper()
	Need(t, "mutool", "python3")
	out, _ := exec.Command("python3", append([]string{filepath.Join(root(), "testdata", "tools", "decree30_check.py")}, pdfs...)...).CombinedOutput()
	rules := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := checkerLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rules++
		_, ok := known[m[2]]
		switch {
		case m[1] == "FAIL" && !ok:
			t.Errorf("FAIL %s — %s", m[2], m[3])
		case m[1] == "PASS" && ok:
			t.Errorf("%s passes now: take it out of the known failures", m[2])
		}
	}
	if rules < 15 {
		t.Errorf("the checker reported %d rules:\n%s", rules, out)
	}
}

// NotForLetters are the checker's rules a công văn does not meet by what
// it is (Decree 30, App. III, Mẫu 1.1), with why: every renderer's letter
// is measured with them left aside.
var NotForLetters = map[string]string{
	"kind line present":            "a công văn prints no kind name: its summary is the V/v line under the number",
	"rule under the title present": "a công văn has no centred title, so no rule under it",
	// The body is one page: page 2 is the appendix's first page, and each
	// appendix is numbered on its own from its second page.
	"page number centred in the top margin from page 2": "page 2 is the appendix's first page",
}
