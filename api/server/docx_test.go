package server

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"testing"
)

var xmlTag = regexp.MustCompile(`<[^>]*>`)

// docxText is the text of a DOCX file's body and headers, without markup
// (each paragraph ends a line).
func docxText(t *testing.T, data []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	var out bytes.Buffer
	for _, f := range z.File {
		if f.Name != "word/document.xml" && !regexp.MustCompile(`^word/header\d+\.xml$`).MatchString(f.Name) {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("</w:p>"), []byte("\n"))
		out.Write(xmlTag.ReplaceAll(b, nil))
	}
	return out.Bytes()
}
