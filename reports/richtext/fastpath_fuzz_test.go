package richtext

import (
	"reflect"
	"testing"
)

// FuzzFastPath: whenever a fast path (a plain line, simpleCell) takes a
// text, goldmark reads it to the same blocks.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{
		"Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh.",
		"Văn phòng UBND tỉnh", "Quý I, 6 tháng, Quý III, năm", "12. Một", "3) Hai", "- gạch", "+ cộng",
		"a  b", "a\tb", " a", "a ", "a *b* c", "- a\n- *b*", "a\n\n*b.*", "*a*b", "- a\nb", "Thường xuyên", "30/6/2024", "http://example.org", "a:b", "1.234,5",
		"***", "a--b", "“ngoặc” – gạch … •", "ﬁ", "\u00a0a", "a\u00a0", "\u3000x", "x\u2028y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainLine(s) {
			if fast, ok := simpleCell(s); ok {
				if slow := parseMarkdown(s); !reflect.DeepEqual(fast, slow) {
					t.Fatalf("%q: shortcut %#v, goldmark %#v", s, fast, slow)
				}
			}
			return
		}
		fast := Parse(s)
		slow := parseMarkdown(s)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast path %#v, goldmark %#v", s, fast, slow)
		}
	})
}
