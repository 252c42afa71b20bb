package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"baocao/templates/web"
)

// Every text a person reads on a page is Vietnamese (English may follow
// after " / "): TestPagesSpeakVietnamese lists every text of the page
// templates (between tags, and the placeholder, title, aria-label and
// label attributes) and every string literal of the page handlers that is
// not code (not an argument of an error, a log or an API problem, which
// the pages word anew), and fails on a text with English words and no
// Vietnamese in it. Technical words (PDF, Excel, CSV …) are allowed.

// englishWords are common English words; a text holding one and nothing
// Vietnamese is English. (Words that are also Vietnamese — "in", "tin",
// "ban", "con" — are left out.)
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and of to is are was be been not no yes must should may can will for with
		from by at on this that these those it its an or as if then else all any each every some
		date day month year time error errors invalid required missing wrong failed fail success
		page file files report reports plan plans task tasks progress period periods status save saved
		cancel submit back login logout log password user users name search filter download export
		import preview issue issued draft reopen replace delete edit create update new old more
		please try again later here there click open close show hide print next previous first last
		agency agencies number symbol title body text value values list none empty done late overdue
		due help home settings account key keys role roles audit trail action actions detail details
		sent send return returned comment comments count counts total sort ascending descending
		dashboard my your our their you we they he she him her them what which who when where why how
		too many few much less than only also just still yet already because so but nor unknown
		forbidden found allowed denied permission access request server internal unavailable busy`) {
		englishWords[w] = true
	}
}

// technical are the words allowed as they are: formats, abbreviations,
// codes a clerk knows.
var technical = map[string]bool{"pdf": true, "excel": true, "csv": true, "xlsx": true, "baocao": true, "csrf": true,
	"id": true, "ip": true, "url": true, "api": true}

var vietnameseLetters = regexp.MustCompile(`[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]`)

// englishOnly reports whether a text a person reads is English only: its
// first part (before " / ") has an English word and no Vietnamese letter.
func englishOnly(s string) (bool, string) {
	vi, _, _ := strings.Cut(s, " / ")
	low := strings.ToLower(vi)
	if vietnameseLetters.MatchString(low) {
		return false, ""
	}
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] && !technical[w] {
			return true, w
		}
	}
	return false, ""
}

var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	htmlTag        = regexp.MustCompile(`(?s)<[^>]*>`)
	readAttr       = regexp.MustCompile(`(?:placeholder|title|aria-label|alt)="([^"]*)"`)
	styleOrScript  = regexp.MustCompile(`(?s)<(style|script)[^>]*>.*?</(style|script)>`)
)

// templateTexts lists the texts of a template a person reads.
func templateTexts(src string) []string {
	var out []string
	src = styleOrScript.ReplaceAllString(src, " ")
	for _, m := range readAttr.FindAllStringSubmatch(src, -1) {
		out = append(out, templateAction.ReplaceAllString(m[1], " "))
	}
	body := htmlTag.ReplaceAllString(templateAction.ReplaceAllString(src, "\n"), "\n")
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimSpace(html.UnescapeString(l)); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// codeCalls are the functions whose string arguments are code, logs, or
// API problems (which a page words anew), not page messages.
var codeCalls = map[string]bool{"Errorf": true, "New": true, "forbidden": true, "notFound": true, "problem": true,
	"Error": true, "Info": true, "Warn": true, "Debug": true, "QueryParam": true, "FormValue": true, "Param": true,
	"Set": true, "Get": true, "Header": true, "Cookie": true, "ParseInLocation": true, "Parse": true, "Format": true,
	"Sprint": true, "Contains": true, "HasPrefix": true, "HasSuffix": true, "TrimPrefix": true, "TrimSuffix": true,
	"page": true, "ExecuteTemplate": true, "Glob": true, "Sub": true, "handle": true, "h": true, "formList": true,
	"pathID": true, "queryInt": true, "MustCompile": true, "NewReplacer": true, "Cut": true, "String": true}

// pageMessages lists the string literals of the page handlers that may
// reach a page.
func pageMessages(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("pages*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "sendback.go")
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		skip := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				if codeCalls[fn] {
					for _, a := range n.Args {
						ast.Inspect(a, func(m ast.Node) bool {
							if l, ok := m.(*ast.BasicLit); ok {
								skip[l] = true
							}
							return true
						})
					}
				}
			case *ast.KeyValueExpr: // map keys and struct field names are code
				if l, ok := n.Key.(*ast.BasicLit); ok {
					skip[l] = true
				}
			case *ast.Field: // struct tags
				if n.Tag != nil {
					skip[n.Tag] = true
				}
			case *ast.ImportSpec:
				skip[n.Path] = true
			case *ast.BasicLit:
				if n.Kind == token.STRING && !skip[n] {
					if s, err := strconv.Unquote(n.Value); err == nil && strings.Contains(strings.TrimSpace(s), " ") {
						out[s] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
	}
	return out
}

func TestPagesSpeakVietnamese(t *testing.T) {
	names, err := fs.Glob(web.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		src, err := fs.ReadFile(web.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range templateTexts(string(src)) {
			n++
			if bad, w := englishOnly(s); bad {
				t.Errorf("%s: English text on a page (%q): %q", name, w, s)
			}
		}
	}
	msgs := pageMessages(t)
	for s, at := range msgs {
		if bad, w := englishOnly(s); bad {
			t.Errorf("%s: English page message (%q): %q", at, w, s)
		}
	}
	if n < 200 || len(msgs) < 40 {
		t.Errorf("only %d template texts and %d page messages read: the reader is broken", n, len(msgs))
	}
	// The checker itself.
	for s, want := range map[string]bool{"Invalid date": true, "Ngày không hợp lệ / invalid date": false,
		"Xem": false, "PDF": false, "must be a date YYYY-MM-DD": true, "Tải CSV": false, "Save draft": true} {
		if got, _ := englishOnly(s); got != want {
			t.Errorf("englishOnly(%q) = %v, want %v", s, got, want)
		}
	}
}
