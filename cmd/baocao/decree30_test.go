package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baocao/reports/demotest"
	"baocao/reports/doc"
)

// knownFails are the checker's rules a seed fails because of what its
// seed text is, not of the layout: the rule's name (up to the first " —")
// and why.
var knownFails = map[string]map[string]string{
	"binh-dinh-2017": {
		// The seed, a decision promulgating a plan, prints no "Nơi nhận".
		`"Nơi nhận:" present`: "the seed has no recipients",
		// Page 2 of the file is the plan's first page: each document is
		// numbered on its own and its first page carries no number.
		"page number centred in the top margin from page 2": "page 2 is the plan's first page",
	},
	"tay-son-2023": {
		`"Nơi nhận:" present`: "the seed has no recipients",
	},
}

// TestDecree30Seeds runs the Decree-30 layout checker
// (testdata/tools/decree30_check.py) on every seed plan with its
// appendix (when it prints one) and on the Lai Châu reports of Quý I,
// 6 tháng, 9 tháng and the year, as the command line renders them: every
// rule passes but the seeds' known ones.
func TestDecree30Seeds(t *testing.T) {
	demotest.Need(t, "mutool", "python3")
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(files) < 5 {
		t.Fatalf("want the five seed plans, found %d", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			plan := filepath.Join(dir, "plan.pdf")
			if code, _, stderr := runCLI(t, "", "render", "--in", file, "--doc", "plan", "--format", "pdf", "--out", plan); code != 0 {
				t.Fatalf("render plan: exit %d: %s", code, stderr)
			}
			args := []string{plan}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			d, err := doc.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Printed().Appendices) > 0 {
				app := filepath.Join(dir, "appendix.pdf")
				if code, _, stderr := runCLI(t, "", "render", "--in", file, "--doc", "appendix", "--format", "pdf", "--out", app); code != 0 {
					t.Fatalf("render appendix: exit %d: %s", code, stderr)
				}
				args = append(args, app)
			}
			checkDecree30(t, knownFails[name], args...)
		})
	}
	for _, period := range []string{"2024-Q1", "2024-H1", "2024-9M", "2024-Y"} {
		t.Run("lai-chau-report-"+period, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.pdf")
			code, _, stderr := runCLI(t, "", "report", "--in", fixture, "--progress", "../../testdata/progress/lai-chau-2024.json",
				"--period", period, "--format", "pdf", "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkDecree30(t, nil, out)
		})
	}
}

func checkDecree30(t *testing.T, known map[string]string, pdfs ...string) {
	t.Helper()
	demotest.Decree30(t, known, pdfs...)
}
