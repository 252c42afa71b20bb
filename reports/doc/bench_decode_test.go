package doc_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"baocao/reports/doc"
)

// BenchmarkDecode: the strict decoder on the largest seed plan, and
// encoding/json's plain decoding of it for comparison.
func BenchmarkDecode(b *testing.B) {
	data := readFixture(b, "ninh-thuan-2022")
	b.Run("strict", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := doc.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var d doc.Document
			if err := json.Unmarshal(data, &d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
