package richtext

import (
	"reflect"
	"testing"
)

// FuzzFastPath: whenever the plain-line fast path takes a text, goldmark
// reads it to the same blocks.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{
		"Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh.",
		"Văn phòng UBND tỉnh", "Quý I, 6 tháng, Quý III, năm", "12. Một", "3) Hai", "- gạch", "+ cộng",
		"a  b", "a\tb", " a", "a ", "Thường xuyên", "30/6/2024", "http://example.org", "a:b", "1.234,5",
		"***", "a--b", "“ngoặc” – gạch … •", "ﬁ", "\u00a0a", "a\u00a0", "\u3000x", "x\u2028y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainLine(s) {
			return
		}
		fast := Parse(s)
		slow := parseMarkdown(s)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast path %#v, goldmark %#v", s, fast, slow)
		}
	})
}
