package doc_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baocao/reports/doc"
)

// TestReadSized: an input whose size is known is read into one buffer of
// that size (no copy as it grows); over the limit, known or not, it is
// ErrTooLarge; a size hint that proves wrong still reads everything.
func TestReadSized(t *testing.T) {
	data := strings.Repeat("Kế hoạch ", 10000)
	got, err := doc.ReadInput(strings.NewReader(data), int64(len(data)))
	if err != nil || string(got) != data {
		t.Fatalf("at the limit: %v", err)
	}
	if cap(got) != len(data)+1 {
		t.Errorf("buffer of %d bytes for %d", cap(got), len(data))
	}
	f := filepath.Join(t.TempDir(), "d.json")
	os.WriteFile(f, []byte(data), 0o644)
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if got, err := doc.ReadInput(fh, 1<<30); err != nil || string(got) != data || cap(got) != len(data)+1 {
		t.Errorf("a file: %v, buffer %d for %d", err, cap(got), len(data))
	}
	hidden := func() io.Reader { return io.MultiReader(strings.NewReader(data)) } // size unknown
	for name, r := range map[string]io.Reader{"known": strings.NewReader(data), "unknown": hidden()} {
		if _, err := doc.ReadInput(r, int64(len(data)-1)); !errors.Is(err, doc.ErrTooLarge) {
			t.Errorf("%s size, one byte over: %v", name, err)
		}
	}
	for _, hint := range []int64{-1, 0, 10, int64(len(data)) - 1, int64(len(data)) * 2} {
		got, err := doc.ReadSized(hidden(), hint, int64(len(data))*4)
		if err != nil || string(got) != data {
			t.Errorf("hint %d: %v, %d bytes", hint, err, len(got))
		}
	}
	_, err = doc.DecodeLimit(strings.NewReader(`{"kind": "KH"}`), 5)
	var ve *doc.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "$" || !strings.Contains(ve.Fields[0].Problem, "larger than 5 bytes") {
		t.Errorf("DecodeLimit over the limit: %v", err)
	}
}
