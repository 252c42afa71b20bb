package pdf

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.sha256 with the hashes of this render, and write the pages of the PDFs that changed as PNG images to a temporary directory")

const goldenFile = "testdata/golden.sha256"

// TestGolden holds the SHA-256 of the plan and the appendix of each seed
// fixture: a change to the output (of the layout, of fpdf in internal/fpdf,
// of the font or of the deflate library) fails it. When the change is meant,
// run
//
//	go test ./reports/pdf -run TestGolden -update
//
// which rewrites the hashes and, with pdftoppm installed, writes the pages
// of each PDF that changed as PNG (50 dpi) to a directory it names, for a
// person to look at before committing the new hashes.
func TestGolden(t *testing.T) {
	want := readGolden(t)
	got := map[string]string{}
	pdfs := map[string][]byte{}
	r := renderer(t)
	for _, file := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		d := loadSample(t, file)
		for _, kind := range []string{"plan", "appendix"} {
			if kind == "appendix" && len(d.Printed().Appendices) == 0 {
				continue // tasks kept for tracking only: no appendix file
			}
			render := r.Document
			if kind == "appendix" {
				render = r.Appendix
			}
			out, err := render(context.Background(), d)
			if err != nil {
				t.Fatalf("%s %s: %v", name, kind, err)
			}
			key := name + "-" + kind + ".pdf"
			sum := sha256.Sum256(out)
			got[key] = hex.EncodeToString(sum[:])
			pdfs[key] = out
		}
	}
	var changed []string
	for key, sum := range got {
		if want[key] != sum {
			changed = append(changed, key)
		}
	}
	for key := range want {
		if _, ok := got[key]; !ok {
			changed = append(changed, key)
		}
	}
	sort.Strings(changed)
	if !*update {
		for _, key := range changed {
			t.Errorf("%s: SHA-256 %s, golden %s; if the change is meant, run go test ./reports/pdf -run TestGolden -update and look at the pages it writes", key, got[key], want[key])
		}
		return
	}
	keys := make([]string, 0, len(got))
	for key := range got {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# SHA-256 of each seed fixture's PDF (reports/pdf TestGolden; rewrite with -update)\n")
	for _, key := range keys {
		fmt.Fprintf(&b, "%s  %s\n", got[key], key)
	}
	if err := os.WriteFile(goldenFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(changed) == 0 {
		t.Logf("%s: no hash changed", goldenFile)
		return
	}
	dir, err := os.MkdirTemp("", "baocao-golden-")
	if err != nil {
		t.Fatal(err)
	}
	_, noPPM := exec.LookPath("pdftoppm")
	for _, key := range changed {
		out, ok := pdfs[key]
		if !ok {
			continue // a fixture that is gone
		}
		path := filepath.Join(dir, key)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if noPPM == nil {
			if msg, err := exec.Command("pdftoppm", "-png", "-r", "50", path, strings.TrimSuffix(path, ".pdf")).CombinedOutput(); err != nil {
				t.Errorf("pdftoppm %s: %v\n%s", key, err, msg)
			}
		}
	}
	if noPPM != nil {
		t.Logf("pdftoppm is not installed: no page images")
	}
	t.Logf("%s rewritten; %d PDFs changed: %s; their files (and pages as PNG) are in %s", goldenFile, len(changed), strings.Join(changed, ", "), dir)
}

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	want := map[string]string{}
	f, err := os.Open(goldenFile)
	if os.IsNotExist(err) && *update {
		return want
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, key, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("%s: bad line %q", goldenFile, line)
		}
		want[key] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}
