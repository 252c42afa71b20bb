package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var outBytes = []byte("%PDF-1.4 baocao test\n")

func writeOut(t *testing.T, dest string) error {
	t.Helper()
	return writeOutput(dest, outBytes, io.Discard, io.Discard)
}

// noTemp fails when a temporary file of writeOutput is left in dir.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".baocao-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

func TestOutputRegularFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(dest, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeOut(t, dest); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dest)
	fi, _ := os.Lstat(dest)
	if !bytes.Equal(got, outBytes) || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("got %q, mode %v; want the new bytes in a regular file that keeps its mode 0600", got, fi.Mode())
	}
	noTemp(t, dir)
}

func TestOutputDeviceStaysDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a device node needs root (CI runs as root)")
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "null")
	// A character device like /dev/null (major 1, minor 3).
	if err := syscall.Mknod(dest, syscall.S_IFCHR|0o666, int(1<<8|3)); err != nil {
		t.Skipf("mknod: %v (a container without CAP_MKNOD)", err)
	}
	if err := writeOut(t, dest); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(dest)
	if err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("after --out onto a device node: %v, %v; want it still a character device", fi.Mode(), err)
	}
	noTemp(t, dir)
	if err := writeOut(t, os.DevNull); err != nil {
		t.Errorf("--out %s: %v", os.DevNull, err)
	}
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
}

func TestOutputSymlinkStaysLink(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "real")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(sub, "target.pdf")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.pdf")
	if err := os.Symlink("real/target.pdf", link); err != nil {
		t.Fatal(err)
	}
	if err := writeOut(t, link); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, outBytes) {
		t.Errorf("target holds %q, want the output", got)
	}
	noTemp(t, dir)
	noTemp(t, sub)

	// A dangling link: the file is created where it points.
	dangling := filepath.Join(dir, "dangling.pdf")
	if err := os.Symlink(filepath.Join(sub, "new.pdf"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := writeOut(t, dangling); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(sub, "new.pdf")); !bytes.Equal(got, outBytes) {
		t.Errorf("a dangling link's target holds %q", got)
	}
	if fi, _ := os.Lstat(dangling); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("a dangling link was replaced")
	}
}

func TestOutputFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if err := writeOut(t, fifo); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, outBytes) {
		t.Errorf("the FIFO's reader got %q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	noTemp(t, dir)
}

func TestOutputMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "missing", "a.pdf")
	err := writeOut(t, dest)
	if err == nil {
		t.Fatal("--out into a missing directory succeeded")
	}
	if !strings.Contains(err.Error(), dest) || strings.Contains(err.Error(), ".baocao-") {
		t.Errorf("error %q should name %s and not the temporary file", err, dest)
	}
	noTemp(t, dir)

	// Through the command line: exit 1, the message names the path given.
	code, _, stderr := runCLI(t, "", "render", "--in", "../../testdata/plans/lai-chau-2024.json", "--doc", "appendix", "--out", dest)
	if code != 1 || !strings.Contains(stderr, dest) || strings.Contains(stderr, ".baocao-") {
		t.Errorf("exit %d, stderr %q; want 1 naming %s", code, stderr, dest)
	}
}

func TestOutputDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	if err := writeOut(t, dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("--out onto a directory: %v", err)
	}
	noTemp(t, dir)
	noTemp(t, filepath.Dir(dir))
}
