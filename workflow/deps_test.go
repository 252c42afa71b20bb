package workflow_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"baocao/api/store"
	"baocao/workflow"
)

// The store implements the workflows' storage interfaces over the
// domain's types (package domain).
var (
	_ workflow.Store       = (*store.Store)(nil)
	_ workflow.Signatures  = (*store.Store)(nil)
	_ workflow.IssuedFiles = (*store.Store)(nil)
)

// TestDomainAtTheCentre: the workflows and the domain's types import
// neither the store nor GORM (go list -deps, test files aside); the
// store depends on them, not the other way round.
func TestDomainAtTheCentre(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goTool); err != nil {
		goTool = "go"
	}
	for _, pkg := range []string{"baocao/workflow", "baocao/domain"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) == 0 || deps[len(deps)-1] != pkg {
			t.Fatalf("go list -deps %s lists %q: not the package's dependencies", pkg, deps)
		}
		for _, d := range deps {
			if d == "baocao/api/store" || strings.HasPrefix(d, "baocao/api/store/") || strings.HasPrefix(d, "gorm.io/") {
				t.Errorf("%s depends on %s: the domain must not import the store or GORM", pkg, d)
			}
		}
	}
}
