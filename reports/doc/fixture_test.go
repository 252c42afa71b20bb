package doc_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"baocao/reports/doc"
)

// seedOf maps each fixture to the seed text it was made from.
var seedOf = map[string]string{
	"lai-chau-2024":   "kh-tuyen-truyen-cchc-lai-chau-2024",
	"thanh-tri-2022":  "kh-tuyen-truyen-cchc-thanh-tri-2022",
	"binh-dinh-2017":  "qd-kh-tuyen-truyen-cchc-binh-dinh-2017",
	"ninh-thuan-2022": "kh-tuyen-truyen-cchc-so-cong-thuong-ninh-thuan-2022",
	"tay-son-2023":    "tin-kh-tuyen-truyen-cchc-tay-son-2023",
}

var htmlTag = regexp.MustCompile(`<[^>]*>|&nbsp;`)

// words lower-cases text and splits it into words of letters and digits,
// dropping markup and punctuation.
func words(s string) []string {
	s = htmlTag.ReplaceAllString(norm.NFC.String(s), " ")
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// TestFixtures checks that every seed line (minus those its .ignore file
// names) appears, word for word and in order, in the printed text of its
// fixture: nothing dropped, nothing altered.
func TestFixtures(t *testing.T) {
	for name, seed := range seedOf {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "..", "testdata", "plans", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			d, err := doc.Decode(f)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			var printed []string
			for _, l := range d.PrintedLines() {
				printed = append(printed, words(l)...)
			}
			seedText, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seeds", seed+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			ignore := ignored(t, filepath.Join("..", "..", "testdata", "seeds", seed+".ignore"))
			used := map[string]bool{}
			pos := 0
			sc := bufio.NewScanner(strings.NewReader(string(seedText)))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for n := 1; sc.Scan(); n++ {
				line := strings.TrimRight(sc.Text(), "\r")
				if ignore[strings.TrimSpace(line)] {
					used[strings.TrimSpace(line)] = true
					continue
				}
				for _, cell := range strings.Split(line, "\t") {
					w := words(cell)
					if len(w) == 0 {
						continue
					}
					at := find(printed, w, pos)
					if at < 0 {
						from := find(printed, w, 0)
						if from >= 0 {
							t.Errorf("seed line %d is printed out of order: %q", n, cell)
						} else {
							t.Errorf("seed line %d is missing or altered: %q", n, cell)
						}
						continue
					}
					pos = at + len(w)
				}
			}
			for l := range ignore {
				if !used[l] {
					t.Errorf("ignore file names a line the seed does not have: %q", l)
				}
			}
		})
	}
}

func ignored(t *testing.T, path string) map[string]bool {
	out := map[string]bool{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

// find returns the first index at or after from where w occurs in s.
func find(s, w []string, from int) int {
outer:
	for i := from; i+len(w) <= len(s); i++ {
		for j := range w {
			if s[i+j] != w[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}
