package server

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// FuzzContentDisposition: for any name, the header parses back with
// mime.ParseMediaType as an attachment, its plain filename is a safe
// ASCII name (letters, digits, ".", "_", "-"; never empty), and its
// filename* decodes to the name without what file systems refuse.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"Kế hoạch 15/KH-UBND.pdf", "Phụ lục Kế hoạch 15/KH-UBND.xlsx", "", " ", "a=b@c.pdf",
		"x'y\".pdf", "../../etc/passwd", "\x00\r\n", "Số: 310/../../../etc/passwd", "%41", "a+b.pdf", "\xff\xfe", "ĐĐĐ", "😀.pdf",
		"a;b,c.pdf", "\u202eexe.pdf", "漢字.xlsx", "-.", "\u0085\u2028", "a\\b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		cd := contentDisposition(name)
		mt, params, err := mime.ParseMediaType(cd)
		if err != nil || mt != "attachment" {
			t.Fatalf("%q: %q does not parse: %v", name, cd, err)
		}
		if _, ok := params["filename"]; !ok {
			t.Fatalf("%q: %q has no filename", name, cd)
		}
		// The ASCII fallback alone (what a client that ignores filename*
		// reads).
		plain, _, ok := strings.Cut(cd, "; filename*=")
		if !ok {
			t.Fatalf("%q: %q has no filename*", name, cd)
		}
		_, pp, err := mime.ParseMediaType(plain)
		fallback := pp["filename"]
		if err != nil || fallback == "" || fallback == "." || fallback == ".." {
			t.Fatalf("%q: fallback %q of %q: %v", name, fallback, cd, err)
		}
		for _, r := range fallback {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				t.Fatalf("%q: fallback %q holds %q", name, fallback, r)
			}
		}
		if strings.HasPrefix(fallback, "-") {
			t.Fatalf("%q: fallback %q starts with '-'", name, fallback)
		}
		// filename* decodes to the safe name, with no path separator and
		// no control character.
		got := params["filename"]
		if want := safeName(name); got != want {
			t.Fatalf("%q: filename* decodes to %q, want %q", name, got, want)
		}
		if strings.ContainsAny(got, "/\\\x00\r\n") || !utf8.ValidString(got) {
			t.Fatalf("%q: unsafe decoded name %q", name, got)
		}
		if strings.ContainsAny(cd, "\r\n\x00") {
			t.Fatalf("%q: header %q holds a line break or NUL", name, cd)
		}
	})
}

// FuzzAccept: the Accept negotiation never panics, picks only pdf, xlsx
// or nothing, picks nothing for a header naming neither, and wantsPage
// agrees with the header.
func FuzzAccept(f *testing.F) {
	for _, s := range []string{"", "*/*", "application/pdf", typeXLSX, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
		"application/pdf;q=0.1, " + typeXLSX + ";q=0.9", "application/*;q=NaN", "application/pdf;q=1e400", ";;;,,,", "*/*;q=-1",
		"application/json", "text/html", "\x00", "application/pdf;q=\"0.5\"", strings.Repeat("a/b,", 100)} {
		f.Add(s, "GET")
	}
	f.Add("text/html", "POST")
	e := echo.New()
	f.Fuzz(func(t *testing.T, accept, method string) {
		got := formatFromAccept(accept)
		switch got {
		case "", "pdf", "xlsx":
		default:
			t.Fatalf("%q: format %q", accept, got)
		}
		if accept == "" && got != "pdf" {
			t.Fatalf("no Accept: %q, want pdf", got)
		}
		lower := strings.ToLower(accept) // media types ignore case
		if got == "xlsx" && !strings.Contains(lower, typeXLSX) {
			t.Fatalf("%q: xlsx without asking for it", accept)
		}
		if got == "pdf" && accept != "" && !strings.Contains(lower, "pdf") && !strings.Contains(accept, "*") {
			t.Fatalf("%q: pdf without asking for it", accept)
		}
		req := httptest.NewRequest(http.MethodGet, "/api/v1/plans/1/document.pdf", nil)
		if method != "" && validMethod(method) {
			req.Method = method
		}
		req.Header.Set(echo.HeaderAccept, accept)
		c := e.NewContext(req, httptest.NewRecorder())
		page := wantsPage(c)
		if page && !strings.Contains(accept, "text/html") {
			t.Fatalf("%q: a page for a client that does not accept HTML", accept)
		}
		if page && req.Method != http.MethodGet && req.Method != http.MethodHead {
			t.Fatalf("%s %q: a page for a change", req.Method, accept)
		}
	})
}

func validMethod(m string) bool {
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return len(m) < 10
}
