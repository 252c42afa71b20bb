package sample

import (
	"path/filepath"
	"testing"

	"baocao/reports/doc"
)

// EachFixture runs fn as a subtest for each seed plan fixture in
// testdata/plans, read from a package two directories below the module
// root; fewer than the five seeds is a failure.
func EachFixture(t *testing.T, fn func(t *testing.T, d *doc.Document)) {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(files) < 5 {
		t.Fatalf("want the five seed fixtures, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d, err := doc.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, d)
		})
	}
}
