package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/pdf"
	"baocao/reports/sample"
)

// TestRenderWritesAsItGoes: render --format pdf writes the file as it is
// made (reports/pdf WriteAppendix, WriteDocument): to a file, to
// standard output and onto an existing file, the bytes are those of the
// renderer holding the file in memory, for a 2,000-task appendix and a
// seed plan as PDF/A, and the file's size is the one reported.
func TestRenderWritesAsItGoes(t *testing.T) {
	dir := t.TempDir()
	raw, err := json.Marshal(sample.Plan(2000))
	if err != nil {
		t.Fatal(err)
	}
	big := writeFile(t, dir, "big.json", string(raw))
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	held := func(file string, appendix, pdfa bool) []byte {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		d, err := doc.DecodeBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		r := pdf.New(fam)
		if pdfa {
			r = r.PDFA()
		}
		render := r.Document
		if appendix {
			render = r.Appendix
		}
		out, err := render(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct {
		in       string
		appendix bool
		args     []string
	}{
		{big, true, []string{"--doc", "appendix"}},
		{fixture, false, []string{"--doc", "plan", "--pdfa"}},
	} {
		want := held(c.in, c.appendix, len(c.args) > 2)
		out := filepath.Join(dir, "out.pdf")
		os.WriteFile(out, []byte("an older file"), 0o644)
		code, _, stderr := runCLI(t, "", append([]string{"render", "--in", c.in, "--out", out}, c.args...)...)
		got, _ := os.ReadFile(out)
		if code != 0 || !bytes.Equal(got, want) {
			t.Fatalf("%s %v: exit %d, %d bytes, want %d: %s", c.in, c.args, code, len(got), len(want), stderr)
		}
		if size := len(want); !strings.Contains(stderr, "wrote "+out+" (") || !strings.Contains(stderr, "("+strconv.Itoa(size)+" bytes)") {
			t.Errorf("stderr %q does not give the size %d", stderr, size)
		}
		code, stdout, stderr := runCLI(t, "", append([]string{"render", "--in", c.in, "--out", "-"}, c.args...)...)
		if code != 0 || stdout != string(want) {
			t.Errorf("to standard output: exit %d, %d bytes, want %d: %s", code, len(stdout), len(want), stderr)
		}
		noTemp(t, dir)
	}
}

// TestStreamOutputFails: a file whose making fails half way (after part
// of it was written) leaves the file it would have replaced as it was and
// no temporary file, and the error is the maker's; a destination that
// fails (a full device) is named as given.
func TestStreamOutputFails(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(dest, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	broke := errors.New("render: broke on page 3")
	err := streamOutput(dest, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 200<<10))
		return broke
	}, io.Discard, io.Discard)
	if !errors.Is(err, broke) {
		t.Fatalf("err = %v, want the render's", err)
	}
	if got, _ := os.ReadFile(dest); string(got) != "old" {
		t.Errorf("the file was replaced: %.20q", got)
	}
	noTemp(t, dir)

	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err = streamOutput("/dev/full", func(w io.Writer) error {
		_, err := w.Write([]byte("%PDF-1.4"))
		if err != nil {
			return errors.New("render: " + err.Error()) // as reports/pdf wraps it
		}
		return nil
	}, io.Discard, io.Discard)
	if err == nil || err.Error() != "write /dev/full: no space left on device" {
		t.Errorf("err = %v, want the device named", err)
	}
}
